package models

import (
	"context"

	"gorm.io/gorm"
)

// DemoEC2SecurityGroups are the EC2 security groups every demo region offers.
var DemoEC2SecurityGroups = []struct {
	Name, Description string
	Platform          Platform
}{
	{"default", "default EC2-Classic security group", PlatformClassic},
	{"web-servers", "Public web tier", PlatformClassic},
	{"app-servers", "Application servers", PlatformClassic},
	{"bastion", "SSH bastion hosts", PlatformClassic},
	{"vpc-web", "Web tier already migrated to the VPC", PlatformVPC},
}

// demoPartnerAccount owns the EC2 security group the demo's "reporting" group admits: access
// granted to another account's group.
const demoPartnerAccount = "210987654321"

// demoPlan is the demo as seeding data: EC2 security groups in every region, cache security groups
// with authorizations in each state (authorized, authorizing, revoking; one of another account),
// EC2 instances, and clusters that are still being created, as if just launched.
func demoPlan() sandboxPlan {
	from := planned{origin: "the demo"}
	var p sandboxPlan
	for _, region := range Regions {
		for _, g := range DemoEC2SecurityGroups {
			p.ec2Groups = append(p.ec2Groups, plannedEC2Group{Region: region, Name: g.Name, Description: g.Description, Platform: g.Platform, planned: from})
		}
	}
	const us, west = "us-east-1", "us-west-2"
	grant := func(name string, status AuthorizationStatus) plannedGrant {
		return plannedGrant{EC2Group: name, Status: status}
	}
	for _, g := range []plannedCacheGroup{
		{Region: us, Name: DefaultGroupName, Grants: []plannedGrant{grant("default", StatusAuthorized)}},
		{Region: us, Name: "web-sessions", Description: "Session cache for the public web tier", Grants: []plannedGrant{
			grant("web-servers", StatusAuthorized), grant("bastion", StatusRevoking)}},
		{Region: us, Name: "app-cache", Description: "Memcached for application servers", Grants: []plannedGrant{
			grant("app-servers", StatusAuthorized), grant("web-servers", StatusAuthorizing)}},
		{Region: us, Name: "reporting", Description: "Reporting jobs run from the analytics partner account", Grants: []plannedGrant{
			{EC2Group: "etl-workers", Owner: demoPartnerAccount, Status: StatusAuthorized}}},
		{Region: us, Name: "staging", Description: "Staging cache, not yet opened to any EC2 group"},
		{Region: west, Name: "dr-cache", Description: "Disaster-recovery copy of web-sessions", Grants: []plannedGrant{grant("web-servers", StatusAuthorized)}},
	} {
		g.planned = from
		p.cacheGroups = append(p.cacheGroups, g)
	}
	for _, i := range []plannedInstance{
		{InstanceID: "i-0a1b2c3d4e5f60001", Name: "web-1", Platform: PlatformClassic, SecurityGroups: []string{"web-servers"}},
		{InstanceID: "i-0a1b2c3d4e5f60002", Name: "app-1", Platform: PlatformClassic, SecurityGroups: []string{"app-servers", "default"}},
		{InstanceID: "i-0a1b2c3d4e5f60003", Name: "bastion-1", Platform: PlatformClassic, SecurityGroups: []string{"bastion"}},
		{InstanceID: "i-0a1b2c3d4e5f60004", Name: "vpc-web-1", Platform: PlatformVPC, SecurityGroups: []string{"vpc-web"}},
	} {
		i.Region, i.planned = us, from
		p.instances = append(p.instances, i)
	}
	for _, c := range []NewCluster{
		{ID: "sessions", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 2, Network: PlatformClassic, CacheSecurityGroups: []string{"web-sessions"}},
		{ID: "app-memcached", Engine: "memcached", NodeType: "cache.m3.medium", NumNodes: 1, Network: PlatformClassic, CacheSecurityGroups: []string{"app-cache", "default"}},
		// In the default VPC's subnet group prod-private with the VPC security group vpc-cache, which
		// seedDemoNetwork makes (the group's ID is only known then).
		{ID: "orders-redis", Engine: "redis", NodeType: "cache.t2.small", NumNodes: 1, Network: PlatformVPC, SubnetGroup: DemoSubnetGroup},
	} {
		p.clusters = append(p.clusters, plannedCluster{Region: us, Cluster: c, JustCreated: true, planned: from})
	}
	p.demoNetwork = true
	return p
}

// SeedDemo fills an account that has no EC2 security groups yet with a believable demo: EC2
// security groups in every region and cache security groups with authorizations in each state,
// instances, and clusters being created. It reports whether it seeded anything.
func (s *Store) SeedDemo(ctx context.Context, accountID string) (bool, error) {
	seeded := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&EC2SecurityGroup{}).Where("account_id = ?", accountID).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		seeded = true
		if err := lockAccount(tx, accountID); err != nil {
			return err
		}
		return s.seedDemo(tx, accountID)
	})
	return seeded, wrap("seed demo", err)
}

// seedDemo inserts the demo into an account inside the caller's transaction.
func (s *Store) seedDemo(tx *gorm.DB, accountID string) error {
	return s.insertPlan(tx, accountID, demoPlan())
}
