package models

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A sandbox is one trainee's account. Its starting data is a sandboxPlan: the demo's and the labs'
// setups merged into one list per kind of resource, which is checked once and then inserted with a
// handful of batch statements whatever its size, so that a 500-trainee workshop is seeded in seconds.

// seedBatch bounds the rows of one INSERT (SQLite accepts at most 32766 parameters a statement).
const seedBatch = 200

// How old seeded resources look: groups were made three days ago and opened two days ago, as if
// the sandbox had been in use for a while before the lab. Demo clusters are created "now" instead.
const (
	seededGroupAge = 72 * time.Hour
	seededGrantAge = 48 * time.Hour
)

// plannedEC2Group, plannedInstance, plannedCacheGroup and plannedCluster are the rows a plan
// seeds; origin, source and line say who asked for them, for conflict messages.
type plannedEC2Group struct {
	Region, Name, Description string
	Platform                  Platform
	planned
}

type plannedInstance struct {
	Region, InstanceID, Name string
	Platform                 Platform
	SecurityGroups           []string
	planned
}

type plannedCacheGroup struct {
	Region, Name, Description string
	Grants                    []plannedGrant
	planned
}

// plannedGrant is one EC2 security group entry of a planned cache security group; Owner "" is the
// sandbox's own account.
type plannedGrant struct {
	EC2Group, Owner string
	Status          AuthorizationStatus
}

type plannedCluster struct {
	Region  string
	Cluster NewCluster
	// JustCreated clusters (the demo's) are "creating" for the propagation delay and have their
	// creation event, as if CreateCluster had just run; the others are available at once.
	JustCreated bool
	planned
}

// planned records where a planned row comes from; it is left out of comparisons.
type planned struct {
	origin string // "the demo", or `lab "authorizing-network-access"`
	source string // the lab's file ("built-in" for embedded labs), "" for the demo
	line   int
}

// sandboxPlan is a sandbox's starting data.
type sandboxPlan struct {
	ec2Groups   []plannedEC2Group
	instances   []plannedInstance
	cacheGroups []plannedCacheGroup
	clusters    []plannedCluster
	vpcRegions  []string // regions switched to VPC-only once everything else is in
	demoNetwork bool     // the demo's VPC side (seedDemoNetwork), which its VPC cluster runs in
}

// setupPlan turns a lab's setup into a plan, filling in the defaults the schema documents.
func setupPlan(lab Lab) sandboxPlan {
	origin := fmt.Sprintf("lab %q", lab.ID)
	at := func(line int) planned { return planned{origin: origin, source: lab.Source, line: line} }
	var p sandboxPlan
	for _, g := range lab.Setup.EC2SecurityGroups {
		p.ec2Groups = append(p.ec2Groups, plannedEC2Group{Region: orDefaultRegion(g.Region), Name: g.Name,
			Description: g.Description, Platform: orClassic(g.Platform), planned: at(g.Line)})
	}
	for _, i := range lab.Setup.Instances {
		p.instances = append(p.instances, plannedInstance{Region: orDefaultRegion(i.Region), InstanceID: strings.ToLower(i.InstanceID),
			Name: i.Name, Platform: orClassic(i.Platform), SecurityGroups: i.SecurityGroups, planned: at(i.Line)})
	}
	for _, g := range lab.Setup.CacheSecurityGroups {
		c := plannedCacheGroup{Region: orDefaultRegion(g.Region), Name: strings.ToLower(g.Name), Description: g.Description, planned: at(g.Line)}
		for _, name := range g.Authorize {
			c.Grants = append(c.Grants, plannedGrant{EC2Group: name, Status: StatusAuthorized})
		}
		p.cacheGroups = append(p.cacheGroups, c)
	}
	for _, c := range lab.Setup.Clusters {
		n := NewCluster{ID: strings.ToLower(c.ID), Engine: c.Engine, NodeType: c.NodeType, NumNodes: c.NumNodes,
			Network: PlatformClassic, CacheSecurityGroups: c.CacheSecurityGroups}
		if n.Engine == "" {
			n.Engine = "memcached"
		}
		if n.NodeType == "" {
			n.NodeType = "cache.m1.small"
		}
		if n.NumNodes == 0 {
			n.NumNodes = 1
		}
		p.clusters = append(p.clusters, plannedCluster{Region: orDefaultRegion(c.Region), Cluster: n, planned: at(c.Line)})
	}
	for region, platform := range lab.Setup.Regions {
		if platform == PlatformVPC {
			p.vpcRegions = append(p.vpcRegions, region)
		}
	}
	sort.Strings(p.vpcRegions)
	return p
}

func orDefaultRegion(region string) string {
	if region == "" {
		return DefaultRegion
	}
	return region
}

func orClassic(p Platform) Platform {
	if p == "" {
		return PlatformClassic
	}
	return p
}

// sandboxPlanFor merges what a workshop's labs seed: the demo when no lab is given or any lab
// asks for it, then every lab's setup.
func sandboxPlanFor(labs []Lab) (sandboxPlan, error) {
	var plans []sandboxPlan
	if len(labs) == 0 || slices.ContainsFunc(labs, func(l Lab) bool { return l.Setup.Demo }) {
		plans = append(plans, demoPlan())
	}
	for _, lab := range labs {
		plans = append(plans, setupPlan(lab))
	}
	p, err := mergePlans(plans...)
	if err != nil {
		return p, err
	}
	return p, p.check()
}

// mergePlans concatenates plans. A resource named by several of them (the same kind, region and
// name) is seeded once, and must then be defined the same way each time (descriptions aside):
// two labs that disagree on what web-servers is could not both work in one sandbox.
func mergePlans(plans ...sandboxPlan) (sandboxPlan, error) {
	var out sandboxPlan
	type first struct {
		at         planned
		comparable any
	}
	seen := map[string]first{}
	// keep reports whether an item is new; it fails when an earlier item of the same key differs.
	// comparable is the item without what may differ (where it comes from, its description).
	keep := func(key, what string, comparable any, at planned) (bool, error) {
		earlier, ok := seen[key]
		if !ok {
			seen[key] = first{at, comparable}
			return true, nil
		}
		if reflect.DeepEqual(earlier.comparable, comparable) {
			return false, nil
		}
		return false, &LabFileError{File: at.source, Line: at.line, Msg: fmt.Sprintf(
			"setup: %s is also defined by %s, differently; a resource defined twice in one workshop (by its labs or the demo) must be defined the same way",
			what, earlier.at.origin)}
	}
	regions := map[string]bool{}
	for _, p := range plans {
		for _, g := range p.ec2Groups {
			c := g
			c.Description, c.planned = "", planned{}
			ok, err := keep("ec2/"+g.Region+"/"+g.Name, fmt.Sprintf("EC2 security group %s in %s", g.Name, g.Region), c, g.planned)
			if err != nil {
				return out, err
			}
			if ok {
				out.ec2Groups = append(out.ec2Groups, g)
			}
		}
		for _, i := range p.instances {
			c := i
			c.planned = planned{}
			c.SecurityGroups = sortedCopy(i.SecurityGroups)
			ok, err := keep("instance/"+i.Region+"/"+i.InstanceID, fmt.Sprintf("instance %s in %s", i.InstanceID, i.Region), c, i.planned)
			if err != nil {
				return out, err
			}
			if ok {
				out.instances = append(out.instances, i)
			}
		}
		for _, g := range p.cacheGroups {
			c := g
			c.Description, c.planned = "", planned{}
			c.Grants = slices.Clone(g.Grants)
			sort.Slice(c.Grants, func(a, b int) bool { return fmt.Sprint(c.Grants[a]) < fmt.Sprint(c.Grants[b]) })
			ok, err := keep("csg/"+g.Region+"/"+g.Name, fmt.Sprintf("cache security group %s in %s", g.Name, g.Region), c, g.planned)
			if err != nil {
				return out, err
			}
			if ok {
				out.cacheGroups = append(out.cacheGroups, g)
			}
		}
		for _, cl := range p.clusters {
			c := cl
			c.planned = planned{}
			c.Cluster.CacheSecurityGroups = sortedCopy(cl.Cluster.CacheSecurityGroups)
			ok, err := keep("cluster/"+cl.Region+"/"+cl.Cluster.ID, fmt.Sprintf("cluster %s in %s", cl.Cluster.ID, cl.Region), c, cl.planned)
			if err != nil {
				return out, err
			}
			if ok {
				out.clusters = append(out.clusters, cl)
			}
		}
		out.demoNetwork = out.demoNetwork || p.demoNetwork
		for _, r := range p.vpcRegions {
			if !regions[r] {
				regions[r] = true
				out.vpcRegions = append(out.vpcRegions, r)
			}
		}
	}
	return out, nil
}

func sortedCopy(names []string) []string {
	out := slices.Clone(names)
	for i := range out {
		out[i] = strings.ToLower(out[i])
	}
	sort.Strings(out)
	return out
}

// check refuses a plan that could not be inserted, or not the way the console would have made it:
// invalid names, references to groups the plan does not make, VPC groups in cache security groups,
// quotas. The loader runs it on every lab (with the demo when the lab asks for it).
func (p sandboxPlan) check() error {
	fail := func(at planned, format string, args ...any) error {
		return &LabFileError{File: at.source, Line: at.line, Msg: "setup: " + fmt.Sprintf(format, args...)}
	}
	ec2 := map[string]Platform{}
	for _, g := range p.ec2Groups {
		switch {
		case !ValidRegion(g.Region):
			return fail(g.planned, "EC2 security group %s: unknown region %q (known: %s)", g.Name, g.Region, strings.Join(Regions, ", "))
		case ValidateEC2GroupRef(g.Name, DefaultAccountID) != nil:
			return fail(g.planned, "EC2 security group %q: %s", g.Name, ValidateEC2GroupRef(g.Name, DefaultAccountID).Error())
		case len(g.Description) > MaxNameLength:
			return fail(g.planned, "EC2 security group %s: the description is longer than %d characters", g.Name, MaxNameLength)
		case g.Platform != PlatformClassic && g.Platform != PlatformVPC:
			return fail(g.planned, "EC2 security group %s: platform %q is not ec2-classic or vpc", g.Name, g.Platform)
		}
		ec2[g.Region+"/"+g.Name] = g.Platform
	}
	for _, i := range p.instances {
		switch {
		case !ValidRegion(i.Region):
			return fail(i.planned, "instance %s: unknown region %q (known: %s)", i.InstanceID, i.Region, strings.Join(Regions, ", "))
		case !instanceIDPattern.MatchString(i.InstanceID):
			return fail(i.planned, "instance ID %q is not i- followed by 8 or 17 hexadecimal digits", i.InstanceID)
		case len(i.Name) > MaxNameLength:
			return fail(i.planned, "instance %s: the name is longer than %d characters", i.InstanceID, MaxNameLength)
		case i.Platform != PlatformClassic && i.Platform != PlatformVPC:
			return fail(i.planned, "instance %s: platform %q is not ec2-classic or vpc", i.InstanceID, i.Platform)
		case len(i.SecurityGroups) == 0:
			return fail(i.planned, "instance %s: security_groups is empty; an instance is in at least one EC2 security group", i.InstanceID)
		}
		for _, name := range i.SecurityGroups {
			platform, ok := ec2[i.Region+"/"+name]
			if !ok {
				return fail(i.planned, "instance %s: EC2 security group %s is not in the setup's ec2_security_groups of %s", i.InstanceID, name, i.Region)
			}
			if platform != i.Platform {
				return fail(i.planned, "instance %s is %s but EC2 security group %s is for %s instances", i.InstanceID, i.Platform, name, platform)
			}
		}
	}
	cache := map[string]bool{}
	perRegion := map[string]int{}
	for _, g := range p.cacheGroups {
		if !ValidRegion(g.Region) {
			return fail(g.planned, "cache security group %s: unknown region %q (known: %s)", g.Name, g.Region, strings.Join(Regions, ", "))
		}
		if g.Name == DefaultGroupName {
			if g.Description != "" && g.Description != DefaultGroupName {
				return fail(g.planned, "the default cache security group exists already and its description is %q", DefaultGroupName)
			}
		} else {
			if _, err := ValidateSecurityGroupInput(g.Name, g.Description); err != nil {
				return fail(g.planned, "cache security group %q: %s", g.Name, err.Error())
			}
			if perRegion[g.Region]++; perRegion[g.Region] >= MaxSecurityGroupsPerRegion { // default counts too
				return fail(g.planned, "more than %d cache security groups in %s", MaxSecurityGroupsPerRegion, g.Region)
			}
		}
		for _, grant := range g.Grants {
			if grant.Owner != "" {
				continue // another account's group (the demo's partner): not simulated
			}
			platform, ok := ec2[g.Region+"/"+grant.EC2Group]
			if !ok {
				return fail(g.planned, "cache security group %s authorizes EC2 security group %s, which is not in the setup's ec2_security_groups of %s", g.Name, grant.EC2Group, g.Region)
			}
			if platform != PlatformClassic {
				return fail(g.planned, "cache security group %s authorizes %s, a VPC security group; cache security groups admit EC2-Classic security groups only", g.Name, grant.EC2Group)
			}
		}
		cache[g.Region+"/"+g.Name] = true
	}
	clusters, nodes := map[string]int{}, map[string]int{}
	for _, c := range p.clusters {
		if !ValidRegion(c.Region) {
			return fail(c.planned, "cluster %s: unknown region %q (known: %s)", c.Cluster.ID, c.Region, strings.Join(Regions, ", "))
		}
		n := c.Cluster
		if err := n.validate(); err != nil {
			return fail(c.planned, "cluster %s: %s", c.Cluster.ID, err.Error())
		}
		for _, name := range n.CacheSecurityGroups {
			if name = strings.ToLower(name); name != DefaultGroupName && !cache[c.Region+"/"+name] {
				return fail(c.planned, "cluster %s: cache security group %s is not in the setup's cache_security_groups of %s", n.ID, name, c.Region)
			}
		}
		clusters[c.Region]++
		nodes[c.Region] += n.NumNodes
		if clusters[c.Region] > MaxClustersPerRegion || nodes[c.Region] > MaxNodesPerRegion {
			return fail(c.planned, "more than %d clusters or %d nodes in %s", MaxClustersPerRegion, MaxNodesPerRegion, c.Region)
		}
	}
	for _, r := range p.vpcRegions {
		if !ValidRegion(r) {
			return &LabFileError{Msg: fmt.Sprintf("setup: unknown region %q (known: %s)", r, strings.Join(Regions, ", "))}
		}
	}
	return nil
}

// instanceGroupLink is a row of the join table of EC2Instance.SecurityGroups, written directly so
// that a sandbox's instances take one INSERT instead of one per instance and group.
type instanceGroupLink struct {
	EC2InstanceID      uint
	EC2SecurityGroupID uint
}

// TableName names the join table GORM made for EC2Instance.SecurityGroups.
func (instanceGroupLink) TableName() string { return "ec2_instance_security_groups" }

// insertPlan writes a plan into an account, inside the caller's transaction, in one batch INSERT
// per table. Cache security groups that exist already (the default groups) are reused.
func (s *Store) insertPlan(tx *gorm.DB, accountID string, p sandboxPlan) error {
	now := s.now()
	key := func(region, name string) string { return region + "/" + name }

	ec2Groups := make([]EC2SecurityGroup, len(p.ec2Groups))
	for i, g := range p.ec2Groups {
		ec2Groups[i] = EC2SecurityGroup{AccountID: accountID, Region: g.Region, Name: g.Name, Description: g.Description, Platform: g.Platform, CreatedAt: now}
	}
	if err := createAll(tx, ec2Groups); err != nil {
		return err
	}
	ec2IDs := map[string]uint{}
	for _, g := range ec2Groups {
		ec2IDs[key(g.Region, g.Name)] = g.ID
	}

	groupIDs := map[string]uint{}
	if len(p.cacheGroups) > 0 || len(p.clusters) > 0 {
		var existing []CacheSecurityGroup
		if err := tx.Select("id", "region", "name").Where("account_id = ?", accountID).Find(&existing).Error; err != nil {
			return err
		}
		for _, g := range existing {
			groupIDs[key(g.Region, g.Name)] = g.ID
		}
	}
	var newGroups []CacheSecurityGroup
	for _, g := range p.cacheGroups {
		if _, ok := groupIDs[key(g.Region, g.Name)]; !ok {
			newGroups = append(newGroups, CacheSecurityGroup{AccountID: accountID, Region: g.Region, Name: g.Name,
				Description: g.Description, CreatedAt: now.Add(-seededGroupAge)})
		}
	}
	if err := createAll(tx, newGroups); err != nil {
		return err
	}
	for _, g := range newGroups {
		groupIDs[key(g.Region, g.Name)] = g.ID
	}

	var grants []EC2Authorization
	for _, g := range p.cacheGroups {
		for _, gr := range g.Grants {
			owner := gr.Owner
			if owner == "" {
				owner = accountID
			}
			a := EC2Authorization{GroupID: groupIDs[key(g.Region, g.Name)], EC2GroupName: gr.EC2Group, EC2OwnerID: owner,
				AuthorizedAt: now.Add(-seededGrantAge), ActiveAt: now.Add(-seededGrantAge)}
			switch gr.Status {
			case StatusAuthorizing:
				a.AuthorizedAt, a.ActiveAt = now, now.Add(s.PropagationDelay)
			case StatusRevoking:
				revoked, gone := now, now.Add(s.PropagationDelay)
				a.RevokedAt, a.GoneAt = &revoked, &gone
			}
			grants = append(grants, a)
		}
	}
	if err := createAll(tx, grants); err != nil {
		return err
	}

	instances := make([]EC2Instance, len(p.instances))
	for i, inst := range p.instances {
		instances[i] = EC2Instance{AccountID: accountID, Region: inst.Region, InstanceID: inst.InstanceID, Name: inst.Name, Platform: inst.Platform, CreatedAt: now}
	}
	if err := createAll(tx, instances); err != nil {
		return err
	}
	var links []instanceGroupLink
	for i, inst := range p.instances {
		for _, name := range inst.SecurityGroups {
			links = append(links, instanceGroupLink{EC2InstanceID: instances[i].ID, EC2SecurityGroupID: ec2IDs[key(inst.Region, name)]})
		}
	}
	if err := createAll(tx, links); err != nil {
		return err
	}

	var demoNet demoNetwork
	if p.demoNetwork {
		withInstance := slices.ContainsFunc(p.instances, func(i plannedInstance) bool { return i.Region == DefaultRegion && i.InstanceID == DemoVPCInstance })
		demoNet = planDemoNetwork(Scope{AccountID: accountID, Region: DefaultRegion}, now, withInstance)
	}
	clusters := make([]CacheCluster, len(p.clusters))
	var events []Event
	for i, c := range p.clusters {
		n := c.Cluster
		created, available := now.Add(-seededGrantAge), now.Add(-seededGrantAge)
		if c.JustCreated {
			created, available = now, now.Add(s.PropagationDelay)
			events = append(events, Event{AccountID: accountID, Region: c.Region, Date: now, SourceID: n.ID,
				SourceType: SourceCacheCluster, Message: "Cache cluster created", Actor: "demo"})
		}
		clusters[i] = CacheCluster{AccountID: accountID, Region: c.Region, ClusterID: n.ID, Engine: n.Engine, EngineVersion: Engines[n.Engine],
			NodeType: n.NodeType, NumNodes: n.NumNodes, Network: n.Network, SubnetGroup: n.SubnetGroup,
			VPCSecurityGroupIDs: strings.Join(n.VPCSecurityGroupIDs, " "), CreatedAt: created, AvailableAt: available}
		if p.demoNetwork && c.Region == DefaultRegion && n.ID == demoVPCCluster {
			clusters[i].VPCSecurityGroupIDs = demoNet.cache.GroupID // known only now
		}
	}
	if err := createAll(tx, clusters); err != nil {
		return err
	}
	var memberships []ClusterMembership
	for i, c := range p.clusters {
		names := c.Cluster.CacheSecurityGroups
		if c.Cluster.Network == PlatformClassic && len(names) == 0 {
			names = []string{DefaultGroupName} // as CreateCluster does
		}
		for _, name := range names {
			// A new cluster's groups are active as soon as it is, as CreateCluster makes them.
			memberships = append(memberships, ClusterMembership{ClusterRowID: clusters[i].ID,
				GroupID: groupIDs[key(c.Region, strings.ToLower(name))], ActiveAt: clusters[i].CreatedAt})
		}
	}
	if err := createAll(tx, memberships); err != nil {
		return err
	}
	if err := createAll(tx, events); err != nil {
		return err
	}
	if p.demoNetwork {
		if err := demoNet.insert(tx); err != nil {
			return err
		}
	}

	if len(p.vpcRegions) > 0 {
		return tx.Model(&RegionSetting{}).Where("account_id = ? AND region IN ?", accountID, p.vpcRegions).
			Updates(map[string]any{"platform": PlatformVPC, "updated_at": now, "version": gorm.Expr("version + 1")}).Error
	}
	return nil
}

// createAll inserts rows in batches, filling in their IDs; nothing to insert costs no statement.
func createAll[T any](tx *gorm.DB, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	return tx.CreateInBatches(&rows, seedBatch).Error
}

// seedSandbox fills a fresh account (one that ensureAccount just created, inside the same
// transaction) with its starting data: the demo data when any lab asks for it (or when labs is
// empty), then every lab's setup.
func (s *Store) seedSandbox(tx *gorm.DB, accountID string, labs []Lab) error {
	p, err := sandboxPlanFor(labs)
	if err != nil {
		return err
	}
	return s.insertPlan(tx, accountID, p)
}

// resetSandbox removes everything of an account's resources (groups, authorizations, tags, clusters, snapshots,
// EC2 side, events; region settings back to EC2-Classic with their default groups) and seeds it
// again, inside the caller's transaction. Users, passwords and access keys stay.
func (s *Store) resetSandbox(tx *gorm.DB, accountID string, labs []Lab) error {
	// Check the labs before deleting anything, so a bad lab leaves the sandbox as it was even if
	// the caller were to commit.
	p, err := sandboxPlanFor(labs)
	if err != nil {
		return err
	}
	if err := lockAccount(tx, accountID); err != nil {
		return err
	}
	// Subqueries are built afresh for each statement that uses them.
	groups := func() *gorm.DB {
		return tx.Model(&CacheSecurityGroup{}).Select("id").Where("account_id = ?", accountID)
	}
	clusters := func() *gorm.DB { return tx.Model(&CacheCluster{}).Select("id").Where("account_id = ?", accountID) }
	instances := func() *gorm.DB { return tx.Model(&EC2Instance{}).Select("id").Where("account_id = ?", accountID) }
	snapshots := func() *gorm.DB { return tx.Model(&CacheSnapshot{}).Select("id").Where("account_id = ?", accountID) }
	// Children before parents, for the foreign keys.
	for _, step := range []func() *gorm.DB{
		func() *gorm.DB { return tx.Where("group_id IN (?)", groups()).Delete(&Tag{}) },
		func() *gorm.DB { return tx.Where("group_id IN (?)", groups()).Delete(&EC2Authorization{}) },
		func() *gorm.DB {
			return tx.Where("cluster_row_id IN (?) OR group_id IN (?)", clusters(), groups()).Delete(&ClusterMembership{})
		},
		func() *gorm.DB { return tx.Where("account_id = ?", accountID).Delete(&CacheCluster{}) },
		func() *gorm.DB { return tx.Where("snapshot_row_id IN (?)", snapshots()).Delete(&CacheNodeSnapshot{}) },
		func() *gorm.DB { return tx.Where("snapshot_row_id IN (?)", snapshots()).Delete(&SnapshotTag{}) },
		func() *gorm.DB { return tx.Where("account_id = ?", accountID).Delete(&CacheSnapshot{}) },
		func() *gorm.DB { return tx.Where("account_id = ?", accountID).Delete(&CacheSecurityGroup{}) },
		func() *gorm.DB { return tx.Where("ec2_instance_id IN (?)", instances()).Delete(&instanceGroupLink{}) },
		func() *gorm.DB { return tx.Where("account_id = ?", accountID).Delete(&EC2Instance{}) },
		func() *gorm.DB { return tx.Where("account_id = ?", accountID).Delete(&EC2SecurityGroup{}) },
		func() *gorm.DB { return tx.Where("account_id = ?", accountID).Delete(&Event{}) },
	} {
		if err := step().Error; err != nil {
			return err
		}
	}
	if err := deleteNetworks(tx, []string{accountID}); err != nil {
		return err
	}
	now := s.now()
	if err := tx.Model(&RegionSetting{}).Where("account_id = ?", accountID).
		Updates(map[string]any{"platform": PlatformClassic, "updated_at": now}).Error; err != nil {
		return err
	}
	defaults := make([]CacheSecurityGroup, len(Regions))
	for i, region := range Regions {
		defaults[i] = CacheSecurityGroup{AccountID: accountID, Region: region, Name: DefaultGroupName, Description: DefaultGroupName, CreatedAt: now}
	}
	if err := createAll(tx, defaults); err != nil {
		return err
	}
	return s.insertPlan(tx, accountID, p)
}

// ResetSandbox puts one account back to its starting data for the labs, in one transaction (see
// resetSandbox). It fails with ErrNotFound when the account does not exist.
func (s *Store) ResetSandbox(ctx context.Context, accountID string, labs []Lab) error {
	return wrap("reset sandbox", s.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Account{}).Where("id = ?", accountID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("account %s: %w", accountID, ErrNotFound)
		}
		return s.resetSandbox(tx, accountID, labs)
	}))
}

// lockAccount serializes a reset with every other writer of the account: on PostgreSQL it locks
// the account's region rows, the rows lockScope takes region by region (SQLite allows one writer
// at a time anyway).
func lockAccount(tx *gorm.DB, accountID string) error {
	if tx.Dialector.Name() == "postgres" {
		// In ID order, as every other multi-row lock of region_settings, so two resets never deadlock.
		if err := tx.Exec("SELECT id FROM region_settings WHERE account_id = ? ORDER BY id FOR UPDATE", accountID).Error; err != nil {
			return err
		}
	}
	// Every region of the account changes: no instance serves their old views again.
	return tx.Exec("UPDATE region_settings SET version = version + 1 WHERE account_id = ?", accountID).Error
}
