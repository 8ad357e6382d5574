package models

import (
	"context"
	"time"

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

// demoInstances are the EC2 instances of the demo's us-east-1.
var demoInstances = []NewEC2Instance{
	{InstanceID: "i-0a1b2c3d4e5f60001", Name: "web-1", Platform: PlatformClassic, SecurityGroups: []string{"web-servers"}},
	{InstanceID: "i-0a1b2c3d4e5f60002", Name: "app-1", Platform: PlatformClassic, SecurityGroups: []string{"app-servers", "default"}},
	{InstanceID: "i-0a1b2c3d4e5f60003", Name: "bastion-1", Platform: PlatformClassic, SecurityGroups: []string{"bastion"}},
	{InstanceID: "i-0a1b2c3d4e5f60004", Name: "vpc-web-1", Platform: PlatformVPC, SecurityGroups: []string{"vpc-web"}},
}

// SeedDemo fills an account that has no EC2 security groups yet with a believable demo: EC2
// security groups in every region and cache security groups with authorizations in each state.
// It reports whether it seeded anything.
func (s *Store) SeedDemo(ctx context.Context, accountID string) (bool, error) {
	seeded := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&EC2SecurityGroup{}).Where("account_id = ?", accountID).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		seeded = true
		now := s.now()
		for _, region := range Regions {
			for _, g := range DemoEC2SecurityGroups {
				if err := tx.Create(&EC2SecurityGroup{AccountID: accountID, Region: region, Name: g.Name, Description: g.Description, Platform: g.Platform}).Error; err != nil {
					return err
				}
			}
		}
		const partner = "210987654321"
		type grant struct {
			name, owner string
			status      AuthorizationStatus
		}
		groups := []struct {
			region, name, description string
			grants                    []grant
		}{
			{"us-east-1", "default", "default", []grant{{"default", accountID, StatusAuthorized}}},
			{"us-east-1", "web-sessions", "Session cache for the public web tier", []grant{
				{"web-servers", accountID, StatusAuthorized}, {"bastion", accountID, StatusRevoking}}},
			{"us-east-1", "app-cache", "Memcached for application servers", []grant{
				{"app-servers", accountID, StatusAuthorized}, {"web-servers", accountID, StatusAuthorizing}}},
			{"us-east-1", "reporting", "Reporting jobs run from the analytics partner account", []grant{
				{"etl-workers", partner, StatusAuthorized}}},
			{"us-east-1", "staging", "Staging cache, not yet opened to any EC2 group", nil},
			{"us-west-2", "dr-cache", "Disaster-recovery copy of web-sessions", []grant{{"web-servers", accountID, StatusAuthorized}}},
		}
		for _, g := range groups {
			scope := Scope{AccountID: accountID, Region: g.region}
			row, err := findGroup(tx, scope, g.name)
			if HasCode(err, CodeCacheSecurityGroupNotFound) {
				row = CacheSecurityGroup{AccountID: accountID, Region: g.region, Name: g.name, Description: g.description, CreatedAt: now.Add(-72 * time.Hour)}
				err = tx.Create(&row).Error
			}
			if err != nil {
				return err
			}
			for _, gr := range g.grants {
				a := EC2Authorization{GroupID: row.ID, EC2GroupName: gr.name, EC2OwnerID: gr.owner,
					AuthorizedAt: now.Add(-48 * time.Hour), ActiveAt: now.Add(-48 * time.Hour)}
				switch gr.status {
				case StatusAuthorizing:
					a.AuthorizedAt, a.ActiveAt = now, now.Add(s.PropagationDelay)
				case StatusRevoking:
					gone := now.Add(s.PropagationDelay)
					a.RevokedAt, a.GoneAt = &now, &gone
				}
				if err := tx.Create(&a).Error; err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil || !seeded {
		return seeded, wrap("seed demo", err)
	}
	// Instances and clusters go through the same code as user input, each in its own transaction.
	scope := Scope{AccountID: accountID, Region: "us-east-1", Actor: "demo"}
	for _, inst := range demoInstances {
		if _, err := s.CreateEC2Instance(ctx, scope, inst); err != nil {
			return true, wrap("seed demo instance", err)
		}
	}
	for _, c := range []NewCluster{
		{ID: "sessions", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 2, Network: PlatformClassic, CacheSecurityGroups: []string{"web-sessions"}},
		{ID: "app-memcached", Engine: "memcached", NodeType: "cache.m3.medium", NumNodes: 1, Network: PlatformClassic, CacheSecurityGroups: []string{"app-cache", "default"}},
		{ID: "orders-redis", Engine: "redis", NodeType: "cache.t2.small", NumNodes: 1, Network: PlatformVPC, SubnetGroup: "prod-private", VPCSecurityGroupIDs: []string{"sg-0a1b2c3d"}},
	} {
		if _, err := s.CreateCluster(ctx, scope, c); err != nil {
			return true, wrap("seed demo cluster", err)
		}
	}
	return true, nil
}
