package models

import (
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
)

// The check types. Each is a condition on what the sandbox holds now, decided by the same rules the
// console applies (statuses derived from timestamps, the connectivity explainer's verdict), so a
// check never disagrees with the pages the trainee looks at.

// checkKind describes one check type: its parameters, the tables it reads and how it decides.
type checkKind struct {
	// params are the parameters it takes besides type and region (region is always allowed).
	params []string
	// oneOf lists alternatives of which exactly one must be given (for example name or pattern);
	// required must all be given.
	oneOf    []string
	required []string
	reads    tables
	decide   func(e *evaluator, c Check, box *loadedSandbox) StepResult
}

// checkKinds are the check types by name.
var checkKinds = map[string]checkKind{
	// security_group_exists: a cache security group named name (or matching pattern) exists in region.
	"security_group_exists": {params: []string{"name", "pattern"}, oneOf: []string{"name", "pattern"}, reads: tableGroups, decide: (*evaluator).groupExists},
	// security_group_absent: no cache security group named name (or matching pattern) exists in region.
	"security_group_absent": {params: []string{"name", "pattern"}, oneOf: []string{"name", "pattern"}, reads: tableGroups, decide: (*evaluator).groupAbsent},
	// security_group_deleted: like security_group_absent, and an event shows such a group existed (it was deleted, not never made).
	"security_group_deleted": {params: []string{"name", "pattern"}, oneOf: []string{"name", "pattern"}, reads: tableGroups | tableGroupEvents, decide: (*evaluator).groupDeleted},
	// ec2_group_authorized: EC2 security group ec2_group of owner is authorized in cache security group name (pending while authorizing).
	"ec2_group_authorized": {params: []string{"name", "ec2_group", "owner"}, required: []string{"name", "ec2_group"}, reads: tableGroups | tableGrants, decide: (*evaluator).ec2GroupAuthorized},
	// ec2_group_revoked: EC2 security group ec2_group of owner is no longer in cache security group name, which still exists (pending while revoking).
	"ec2_group_revoked": {params: []string{"name", "ec2_group", "owner"}, required: []string{"name", "ec2_group"}, reads: tableGroups | tableGrants, decide: (*evaluator).ec2GroupRevoked},
	// tag_present: cache security group name has the tag key (with value, when given).
	"tag_present": {params: []string{"name", "key", "value"}, required: []string{"name", "key"}, reads: tableGroups | tableTags, decide: (*evaluator).tagPresent},
	// cluster_exists: cache cluster cluster (or one matching pattern), of network when given, is available (pending while creating).
	"cluster_exists": {params: []string{"cluster", "pattern", "network"}, oneOf: []string{"cluster", "pattern"}, reads: tableClusters | tableGroups, decide: (*evaluator).clusterExists},
	// cluster_uses_group: cache cluster cluster has cache security group name, active (pending while being added).
	"cluster_uses_group": {params: []string{"cluster", "name"}, required: []string{"cluster", "name"}, reads: tableClusters | tableGroups, decide: (*evaluator).clusterUsesGroup},
	// instance_exists: an EC2 instance with ID or Name instance, of network when given, exists.
	"instance_exists": {params: []string{"instance", "network"}, required: []string{"instance"}, reads: tableInstances, decide: (*evaluator).instanceExists},
	// can_connect: the connectivity explainer says instance can connect to cluster (pending while its verdict may still change).
	"can_connect": {params: []string{"instance", "cluster"}, required: []string{"instance", "cluster"}, reads: connectivityTables, decide: (*evaluator).canConnect},
	// cannot_connect: the connectivity explainer says instance cannot connect to cluster (pending while its verdict may still change).
	"cannot_connect": {params: []string{"instance", "cluster"}, required: []string{"instance", "cluster"}, reads: connectivityTables, decide: (*evaluator).cannotConnect},
	// region_vpc_only: region is VPC-only (its Security Groups pane is gone).
	"region_vpc_only": {reads: tableRegions, decide: (*evaluator).regionVPCOnly},
	// region_classic: region supports EC2-Classic and VPC.
	"region_classic": {reads: tableRegions, decide: (*evaluator).regionClassic},
}

// CheckTypes lists the check types by name, for documentation and error messages.
func CheckTypes() []string {
	names := make([]string, 0, len(checkKinds))
	for name := range checkKinds {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// checkParams maps a parameter's name in lab files to its value in a Check.
var checkParams = map[string]func(Check) string{
	"name":      func(c Check) string { return c.Name },
	"pattern":   func(c Check) string { return c.Pattern },
	"ec2_group": func(c Check) string { return c.EC2Group },
	"owner":     func(c Check) string { return c.Owner },
	"cluster":   func(c Check) string { return c.Cluster },
	"instance":  func(c Check) string { return c.Instance },
	"network":   func(c Check) string { return string(c.Network) },
	"key":       func(c Check) string { return c.Key },
	"value":     func(c Check) string { return c.Value },
}

// OwnerSelf is the owner of a check that means the sandbox's own account (the default).
const OwnerSelf = "self"

// tables names what a set of checks reads, so that an evaluation loads nothing else.
type tables uint

const (
	tableRegions     tables = 1 << iota // region platforms
	tableGroups                         // cache security groups
	tableGrants                         // their EC2 security group entries
	tableTags                           // their tags
	tableClusters                       // cache clusters with their memberships
	tableInstances                      // EC2 instances with their EC2 security groups' names
	tableGroupEvents                    // which cache security groups events mention
	tableNetworks                       // the VPC side: placements, subnets, subnet groups, VPC security groups with rules
)

const connectivityTables = tableRegions | tableGroups | tableGrants | tableClusters | tableInstances | tableNetworks

// tablesFor is what evaluating every check of the labs reads.
func tablesFor(labs []Lab) tables {
	var t tables
	for _, lab := range labs {
		for _, step := range lab.Steps {
			t |= checkKinds[step.Check.Type].reads
		}
	}
	return t
}

// loadedSandbox is one account's resources as the checks need them, loaded for many accounts at once.
type loadedSandbox struct {
	accountID string
	platforms map[string]Platform                       // by region, for those that are not EC2-Classic
	groups    map[string]map[string]*CacheSecurityGroup // by region, then name; with Authorizations
	tags      map[uint][]Tag                            // by cache security group ID
	clusters  map[string]map[string]*CacheCluster       // by region, then cluster ID; with Memberships and their Group's name
	instances map[string][]*EC2Instance                 // by region; with SecurityGroups (names only)
	mentioned map[string]map[string]bool                // by region: cache security group names that events mention
	networks  map[string]*loadedNetwork                 // by region
}

func (box *loadedSandbox) network(region string) *loadedNetwork {
	n := box.networks[region]
	if n == nil {
		n = newLoadedNetwork()
		box.networks[region] = n
	}
	return n
}

func newLoadedSandbox(accountID string) *loadedSandbox {
	return &loadedSandbox{accountID: accountID, platforms: map[string]Platform{}, groups: map[string]map[string]*CacheSecurityGroup{},
		tags: map[uint][]Tag{}, clusters: map[string]map[string]*CacheCluster{}, instances: map[string][]*EC2Instance{},
		mentioned: map[string]map[string]bool{}, networks: map[string]*loadedNetwork{}}
}

// platform is a region's platform: EC2-Classic (with VPC), as every region starts, unless loaded
// otherwise.
func (box *loadedSandbox) platform(region string) Platform {
	if p, ok := box.platforms[region]; ok {
		return p
	}
	return PlatformClassic
}

// sandboxChunk bounds the account IDs of one IN list, well within SQLite's variable limit.
const sandboxChunk = 500

// loadSandboxes loads what the checks read for every account (each once, in the order given),
// with one query per table and chunk of accounts, whatever the number of accounts, labs and steps.
// An account that does not exist is an empty sandbox.
func loadSandboxes(db *gorm.DB, accountIDs []string, need tables) ([]*loadedSandbox, error) {
	byID := map[string]*loadedSandbox{}
	var boxes []*loadedSandbox
	var ids []string
	for _, id := range accountIDs {
		if byID[id] == nil {
			byID[id] = newLoadedSandbox(id)
			boxes = append(boxes, byID[id])
			ids = append(ids, id)
		}
	}
	for start := 0; start < len(ids); start += sandboxChunk {
		if err := loadSandboxChunk(db, ids[start:min(start+sandboxChunk, len(ids))], need, byID); err != nil {
			return nil, err
		}
	}
	return boxes, nil
}

// evaluateSandboxes evaluates every step of the labs in every sandbox. The dashboard's hundreds of
// sandboxes are shared out among the CPUs, each with an evaluator of its own.
func evaluateSandboxes(now time.Time, boxes []*loadedSandbox, labs []Lab) [][]LabProgress {
	results := make([][]LabProgress, len(boxes))
	const perShard = 100 // below that, starting goroutines costs more than it saves
	shards := max(1, min(runtime.GOMAXPROCS(0), len(boxes)/perShard))
	var wg sync.WaitGroup
	for shard := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := newEvaluator(now)
			for i := shard; i < len(boxes); i += shards {
				progress := make([]LabProgress, len(labs))
				for j, lab := range labs {
					steps := make([]StepResult, len(lab.Steps))
					for k, step := range lab.Steps {
						steps[k] = e.evaluate(step.Check, boxes[i])
					}
					progress[j] = LabProgress{Lab: lab, Steps: steps}
				}
				results[i] = progress
			}
		}()
	}
	wg.Wait()
	return results
}

// loadSandboxChunk runs one query per table the checks need. The dashboard evaluates hundreds of
// sandboxes a few times a minute, so the queries read only the columns the checks use, scan them
// without GORM's reflection (the rows built here are partial on purpose), and run side by side on
// separate connections; the rows are put together once all are in. They are separate snapshots:
// a change committed meanwhile may show only in part (a new entry of a group not loaded is left
// out), which the dashboard's next refresh, a few seconds later, sets right.
func loadSandboxChunk(db *gorm.DB, ids []string, need tables, boxes map[string]*loadedSandbox) error {
	type link struct {
		instance uint
		group    string
	}
	type mention struct{ account, region, group string }
	var (
		vpcRegions   []RegionSetting
		groups       []*CacheSecurityGroup
		grants       []EC2Authorization
		tags         []Tag
		clusters     []*CacheCluster
		memberships  []ClusterMembership
		instances    []*EC2Instance
		links        []link
		mentions     []mention
		placements   []VPCInstancePlacement
		subnets      []VPCSubnet
		subnetGroups []CacheSubnetGroup
		vpcGroups    []*VPCSecurityGroup
		vpcRules     []VPCSecurityGroupRule
		queries      []func() error
	)
	query := func(when tables, fn func() error) {
		if need&when != 0 {
			queries = append(queries, fn)
		}
	}
	// Regions are EC2-Classic unless a row says otherwise, so only those rows are read.
	query(tableRegions, func() error {
		return eachRow(db, "SELECT account_id, region, platform FROM region_settings WHERE account_id IN ? AND platform <> ?",
			[]any{ids, PlatformClassic}, func(scan scanFunc) error {
				var r RegionSetting
				err := scan(&r.AccountID, &r.Region, &r.Platform)
				vpcRegions = append(vpcRegions, r)
				return err
			})
	})
	query(tableGroups|tableGrants|tableTags|tableClusters, func() error {
		return eachRow(db, "SELECT id, account_id, region, name FROM cache_security_groups WHERE account_id IN ?", ids, func(scan scanFunc) error {
			g := &CacheSecurityGroup{}
			err := scan(&g.ID, &g.AccountID, &g.Region, &g.Name)
			groups = append(groups, g)
			return err
		})
	})
	query(tableGrants, func() error {
		return eachRow(db, `SELECT a.group_id, a.ec2_group_name, a.ec2_owner_id, a.active_at, a.revoked_at, a.gone_at
			FROM ec2_authorizations a JOIN cache_security_groups g ON g.id = a.group_id
			WHERE g.account_id IN ? ORDER BY a.ec2_group_name, a.ec2_owner_id`, ids, func(scan scanFunc) error {
			var a EC2Authorization
			err := scan(&a.GroupID, &a.EC2GroupName, &a.EC2OwnerID, &a.ActiveAt, &a.RevokedAt, &a.GoneAt)
			grants = append(grants, a)
			return err
		})
	})
	query(tableTags, func() error {
		return eachRow(db, `SELECT t.group_id, t.key, t.value FROM tags t JOIN cache_security_groups g ON g.id = t.group_id
			WHERE g.account_id IN ?`, ids, func(scan scanFunc) error {
			var t Tag
			err := scan(&t.GroupID, &t.Key, &t.Value)
			tags = append(tags, t)
			return err
		})
	})
	query(tableClusters, func() error {
		return eachRow(db, `SELECT id, account_id, region, cluster_id, engine, network, subnet_group, vpc_security_group_ids,
			available_at, deleting_at, gone_at, port FROM cache_clusters WHERE account_id IN ?`, ids, func(scan scanFunc) error {
			c := &CacheCluster{}
			var subnet, vpcIDs *string // NULL for EC2-Classic clusters
			var port *int              // NULL or 0 for clusters from before ports: the engine's default
			err := scan(&c.ID, &c.AccountID, &c.Region, &c.ClusterID, &c.Engine, &c.Network, &subnet, &vpcIDs,
				&c.AvailableAt, &c.DeletingAt, &c.GoneAt, &port)
			if port != nil {
				c.Port = *port
			}
			if subnet != nil {
				c.SubnetGroup = *subnet
			}
			if vpcIDs != nil {
				c.VPCSecurityGroupIDs = *vpcIDs
			}
			clusters = append(clusters, c)
			return err
		})
	})
	query(tableClusters, func() error {
		return eachRow(db, `SELECT m.cluster_row_id, m.group_id, m.active_at, m.removed_at, m.gone_at
			FROM cluster_memberships m JOIN cache_clusters c ON c.id = m.cluster_row_id WHERE c.account_id IN ?`, ids, func(scan scanFunc) error {
			var m ClusterMembership
			err := scan(&m.ClusterRowID, &m.GroupID, &m.ActiveAt, &m.RemovedAt, &m.GoneAt)
			memberships = append(memberships, m)
			return err
		})
	})
	query(tableInstances, func() error {
		return eachRow(db, "SELECT id, account_id, region, instance_id, name, platform FROM ec2_instances WHERE account_id IN ? ORDER BY instance_id", ids, func(scan scanFunc) error {
			inst := &EC2Instance{}
			var name *string
			err := scan(&inst.ID, &inst.AccountID, &inst.Region, &inst.InstanceID, &name, &inst.Platform)
			if name != nil {
				inst.Name = *name
			}
			instances = append(instances, inst)
			return err
		})
	})
	query(tableInstances, func() error {
		return eachRow(db, `SELECT l.ec2_instance_id, g.name FROM ec2_instance_security_groups l
			JOIN ec2_security_groups g ON g.id = l.ec2_security_group_id WHERE g.account_id IN ? ORDER BY g.name`, ids, func(scan scanFunc) error {
			var l link
			err := scan(&l.instance, &l.group)
			links = append(links, l)
			return err
		})
	})
	query(tableGroupEvents, func() error {
		return eachRow(db, "SELECT DISTINCT account_id, region, source_id FROM events WHERE account_id IN ? AND source_type = ?",
			[]any{ids, SourceCacheSecurityGroup}, func(scan scanFunc) error {
				var m mention
				err := scan(&m.account, &m.region, &m.group)
				mentions = append(mentions, m)
				return err
			})
	})
	query(tableNetworks, func() error {
		return eachRow(db, "SELECT account_id, region, instance_id, subnet_id, security_group_ids FROM vpc_instance_placements WHERE account_id IN ?", ids, func(scan scanFunc) error {
			var p VPCInstancePlacement
			err := scan(&p.AccountID, &p.Region, &p.InstanceID, &p.SubnetID, &p.SecurityGroupIDs)
			placements = append(placements, p)
			return err
		})
	})
	query(tableNetworks, func() error {
		return eachRow(db, "SELECT account_id, region, subnet_id, vpc_id, c_id_r FROM vpc_subnets WHERE account_id IN ?", ids, func(scan scanFunc) error {
			var sn VPCSubnet
			err := scan(&sn.AccountID, &sn.Region, &sn.SubnetID, &sn.VpcID, &sn.CIDR)
			subnets = append(subnets, sn)
			return err
		})
	})
	query(tableNetworks, func() error {
		return eachRow(db, "SELECT account_id, region, name, vpc_id FROM cache_subnet_groups WHERE account_id IN ?", ids, func(scan scanFunc) error {
			var g CacheSubnetGroup
			err := scan(&g.AccountID, &g.Region, &g.Name, &g.VpcID)
			subnetGroups = append(subnetGroups, g)
			return err
		})
	})
	query(tableNetworks, func() error {
		return eachRow(db, "SELECT id, account_id, region, group_id, vpc_id, name FROM vpc_security_groups WHERE account_id IN ?", ids, func(scan scanFunc) error {
			g := &VPCSecurityGroup{}
			err := scan(&g.ID, &g.AccountID, &g.Region, &g.GroupID, &g.VpcID, &g.Name)
			vpcGroups = append(vpcGroups, g)
			return err
		})
	})
	query(tableNetworks, func() error {
		return eachRow(db, `SELECT r.group_row_id, r.protocol, r.from_port, r.to_port, r.source FROM vpc_security_group_rules r
			JOIN vpc_security_groups g ON g.id = r.group_row_id WHERE g.account_id IN ?`, ids, func(scan scanFunc) error {
			var r VPCSecurityGroupRule
			err := scan(&r.GroupRowID, &r.Protocol, &r.FromPort, &r.ToPort, &r.Source)
			vpcRules = append(vpcRules, r)
			return err
		})
	})
	if err := runTogether(queries); err != nil {
		return err
	}
	for _, p := range placements {
		boxes[p.AccountID].network(p.Region).placements[p.InstanceID] = p
	}
	for _, sn := range subnets {
		boxes[sn.AccountID].network(sn.Region).subnets[sn.SubnetID] = sn
	}
	for _, g := range subnetGroups {
		boxes[g.AccountID].network(g.Region).subnetGroups[g.Name] = g.VpcID
	}
	vpcGroupsByID := make(map[uint]*VPCSecurityGroup, len(vpcGroups))
	for _, g := range vpcGroups {
		boxes[g.AccountID].network(g.Region).groups[g.GroupID] = g
		vpcGroupsByID[g.ID] = g
	}
	for _, r := range vpcRules {
		if g := vpcGroupsByID[r.GroupRowID]; g != nil {
			g.Rules = append(g.Rules, r)
		}
	}
	for _, g := range vpcGroups {
		sortRules(g.Rules)
	}

	for _, r := range vpcRegions {
		boxes[r.AccountID].platforms[r.Region] = r.Platform
	}
	groupsByID := make(map[uint]*CacheSecurityGroup, len(groups))
	for _, g := range groups {
		box := boxes[g.AccountID]
		if box.groups[g.Region] == nil {
			box.groups[g.Region] = map[string]*CacheSecurityGroup{}
		}
		box.groups[g.Region][g.Name] = g
		groupsByID[g.ID] = g
	}
	for _, a := range grants {
		if g := groupsByID[a.GroupID]; g != nil {
			g.Authorizations = append(g.Authorizations, a)
		}
	}
	for _, t := range tags {
		if g := groupsByID[t.GroupID]; g != nil {
			boxes[g.AccountID].tags[t.GroupID] = append(boxes[g.AccountID].tags[t.GroupID], t)
		}
	}
	clustersByID := make(map[uint]*CacheCluster, len(clusters))
	for _, c := range clusters {
		box := boxes[c.AccountID]
		if box.clusters[c.Region] == nil {
			box.clusters[c.Region] = map[string]*CacheCluster{}
		}
		box.clusters[c.Region][c.ClusterID] = c
		clustersByID[c.ID] = c
	}
	for _, m := range memberships {
		c, g := clustersByID[m.ClusterRowID], groupsByID[m.GroupID]
		if c != nil && g != nil {
			m.Group = CacheSecurityGroup{ID: g.ID, Name: g.Name} // describeCluster names groups by it
			c.Memberships = append(c.Memberships, m)
		}
	}
	instancesByID := make(map[uint]*EC2Instance, len(instances))
	for _, inst := range instances {
		boxes[inst.AccountID].instances[inst.Region] = append(boxes[inst.AccountID].instances[inst.Region], inst)
		instancesByID[inst.ID] = inst
	}
	for _, l := range links {
		if inst := instancesByID[l.instance]; inst != nil {
			inst.SecurityGroups = append(inst.SecurityGroups, EC2SecurityGroup{Name: l.group})
		}
	}
	for _, m := range mentions {
		box := boxes[m.account]
		if box.mentioned[m.region] == nil {
			box.mentioned[m.region] = map[string]bool{}
		}
		box.mentioned[m.region][m.group] = true
	}
	return nil
}

// queryWorkers bounds the queries of one evaluation that run at once. database/sql keeps two idle
// connections by default: more queries at once would open (and then close) new connections, which
// costs more than the queries themselves (a PostgreSQL connection's start-up, a SQLite file's).
const queryWorkers = 2

// runTogether runs fns, queryWorkers at a time, and returns their errors.
func runTogether(fns []func() error) error {
	errs := make([]error, len(fns))
	next := make(chan int, len(fns))
	for i := range fns {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(queryWorkers, len(fns)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = fns[i]()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// scanFunc scans the current row into its arguments.
type scanFunc func(dest ...any) error

// eachRow runs a query and calls fn for each row. args is the query's one argument, or a []any of
// several.
func eachRow(db *gorm.DB, query string, args any, fn func(scan scanFunc) error) error {
	list, ok := args.([]any)
	if !ok {
		list = []any{args}
	}
	rows, err := db.Raw(query, list...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// evaluator decides checks at one instant; it compiles each pattern once for all sandboxes.
type evaluator struct {
	now      time.Time
	patterns map[string]*regexp.Regexp
}

func newEvaluator(now time.Time) *evaluator {
	return &evaluator{now: now, patterns: map[string]*regexp.Regexp{}}
}

// evaluate decides one check against one sandbox.
func (e *evaluator) evaluate(c Check, box *loadedSandbox) StepResult {
	kind, ok := checkKinds[c.Type]
	if !ok {
		return todo("Unknown check type `%s`.", c.Type)
	}
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if c.Owner == "" || c.Owner == OwnerSelf {
		c.Owner = box.accountID
	}
	return kind.decide(e, c, box)
}

func done() StepResult { return StepResult{State: StepDone} }

func todo(format string, args ...any) StepResult {
	return StepResult{State: StepTodo, Detail: fmt.Sprintf(format, args...)}
}

func pending(format string, args ...any) StepResult {
	return StepResult{State: StepPending, Detail: fmt.Sprintf(format, args...)}
}

// best is the furthest of several results: done, else pending, else the first.
func best(results []StepResult) StepResult {
	for _, want := range []StepState{StepDone, StepPending} {
		for _, r := range results {
			if r.State == want {
				return r
			}
		}
	}
	return results[0]
}

// pattern compiles a check's pattern, anchored so that it must match the whole name. The loader
// has compiled it once already, so an invalid one only comes from labs built in code.
func (e *evaluator) pattern(expr string) *regexp.Regexp {
	re, ok := e.patterns[expr]
	if !ok {
		re, _ = regexp.Compile(anchored(expr))
		e.patterns[expr] = re
	}
	return re
}

func anchored(expr string) string { return `^(?:` + expr + `)$` }

// matchingGroups lists the names of the region's cache security groups the check names, sorted.
// A pattern never matches default, which every EC2-Classic region has without anyone creating it.
func (e *evaluator) matchingGroups(c Check, box *loadedSandbox) []string {
	var names []string
	if c.Pattern == "" {
		if _, ok := box.groups[c.Region][strings.ToLower(c.Name)]; ok {
			names = append(names, strings.ToLower(c.Name))
		}
		return names
	}
	re := e.pattern(c.Pattern)
	for name := range box.groups[c.Region] {
		if name != DefaultGroupName && re != nil && re.MatchString(name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// groupWanted words what a group check looks for: "named `x`" or "whose name matches `x`".
func groupWanted(c Check) string {
	if c.Pattern != "" {
		return fmt.Sprintf("whose name matches `%s`", c.Pattern)
	}
	return fmt.Sprintf("named `%s`", strings.ToLower(c.Name))
}

func (e *evaluator) groupExists(c Check, box *loadedSandbox) StepResult {
	if len(e.matchingGroups(c, box)) > 0 {
		return done()
	}
	return todo("No cache security group %s in %s yet.", groupWanted(c), c.Region)
}

func (e *evaluator) groupAbsent(c Check, box *loadedSandbox) StepResult {
	if names := e.matchingGroups(c, box); len(names) > 0 {
		return todo("Cache security group `%s` still exists in %s.", names[0], c.Region)
	}
	return done()
}

func (e *evaluator) groupDeleted(c Check, box *loadedSandbox) StepResult {
	if r := e.groupAbsent(c, box); r.State != StepDone {
		return r
	}
	for name := range box.mentioned[c.Region] {
		if c.Pattern == "" && name == strings.ToLower(c.Name) ||
			c.Pattern != "" && name != DefaultGroupName && e.pattern(c.Pattern).MatchString(name) {
			return done()
		}
	}
	return todo("No cache security group %s has existed in %s (no event mentions one), so none was deleted yet.", groupWanted(c), c.Region)
}

// grantStatus finds the status of an EC2 security group's entry in a cache security group now.
func (e *evaluator) grantStatus(c Check, g *CacheSecurityGroup) AuthorizationStatus {
	for _, a := range g.Authorizations {
		if a.EC2GroupName == c.EC2Group && a.EC2OwnerID == c.Owner {
			return a.StatusAt(e.now)
		}
	}
	return StatusGone
}

func (e *evaluator) ec2GroupAuthorized(c Check, box *loadedSandbox) StepResult {
	g, ok := box.groups[c.Region][strings.ToLower(c.Name)]
	if !ok {
		return todo("No cache security group named `%s` in %s yet.", strings.ToLower(c.Name), c.Region)
	}
	switch e.grantStatus(c, g) {
	case StatusAuthorized:
		return done()
	case StatusAuthorizing:
		return pending("EC2 security group `%s` (owner %s) is authorizing in `%s`; it is authorized once the change has propagated.", c.EC2Group, c.Owner, g.Name)
	case StatusRevoking:
		return todo("EC2 security group `%s` (owner %s) is being revoked from `%s`.", c.EC2Group, c.Owner, g.Name)
	}
	return todo("EC2 security group `%s` (owner %s) is not authorized in `%s` in %s yet.", c.EC2Group, c.Owner, g.Name, c.Region)
}

func (e *evaluator) ec2GroupRevoked(c Check, box *loadedSandbox) StepResult {
	g, ok := box.groups[c.Region][strings.ToLower(c.Name)]
	if !ok {
		return todo("No cache security group named `%s` in %s: revoke the EC2 security group from it rather than delete it.", strings.ToLower(c.Name), c.Region)
	}
	switch st := e.grantStatus(c, g); st {
	case StatusGone:
		return done()
	case StatusRevoking:
		return pending("EC2 security group `%s` (owner %s) is revoking in `%s`; it is gone once the change has propagated.", c.EC2Group, c.Owner, g.Name)
	default:
		return todo("EC2 security group `%s` (owner %s) is still %s in `%s`.", c.EC2Group, c.Owner, st, g.Name)
	}
}

func (e *evaluator) tagPresent(c Check, box *loadedSandbox) StepResult {
	g, ok := box.groups[c.Region][strings.ToLower(c.Name)]
	if !ok {
		return todo("No cache security group named `%s` in %s yet.", strings.ToLower(c.Name), c.Region)
	}
	for _, t := range box.tags[g.ID] {
		if t.Key != c.Key {
			continue
		}
		if c.Value != "" && t.Value != c.Value {
			return todo("Tag `%s` of `%s` is `%s`, not `%s`.", c.Key, g.Name, t.Value, c.Value)
		}
		return done()
	}
	return todo("Cache security group `%s` has no tag `%s` yet.", g.Name, c.Key)
}

// liveCluster is the cluster a check names, if it exists and has not finished deleting.
func (e *evaluator) liveCluster(region, id string, box *loadedSandbox) (*CacheCluster, bool) {
	c, ok := box.clusters[region][strings.ToLower(id)]
	if !ok || c.StatusAt(e.now) == ClusterGone {
		return nil, false
	}
	return c, true
}

func (e *evaluator) clusterExists(c Check, box *loadedSandbox) StepResult {
	var candidates []*CacheCluster
	if c.Pattern == "" {
		if row, ok := e.liveCluster(c.Region, c.Cluster, box); ok {
			candidates = append(candidates, row)
		}
	} else {
		re := e.pattern(c.Pattern)
		for id := range box.clusters[c.Region] {
			if row, ok := e.liveCluster(c.Region, id, box); ok && re != nil && re.MatchString(id) {
				candidates = append(candidates, row)
			}
		}
		sort.Slice(candidates, func(i, j int) bool { return candidates[i].ClusterID < candidates[j].ClusterID })
	}
	wanted := fmt.Sprintf("`%s`", strings.ToLower(c.Cluster))
	if c.Pattern != "" {
		wanted = fmt.Sprintf("whose ID matches `%s`", c.Pattern)
	}
	if len(candidates) == 0 {
		return todo("No cache cluster %s in %s yet.", wanted, c.Region)
	}
	results := make([]StepResult, 0, len(candidates))
	for _, row := range candidates {
		switch st := row.StatusAt(e.now); {
		case c.Network != "" && row.Network != c.Network:
			results = append(results, todo("Cache cluster `%s` in %s runs in %s, not %s.", row.ClusterID, c.Region, networkName(row.Network), networkName(c.Network)))
		case st == ClusterCreating:
			results = append(results, pending("Cache cluster `%s` is still being created.", row.ClusterID))
		case st == ClusterDeleting:
			results = append(results, todo("Cache cluster `%s` is being deleted.", row.ClusterID))
		default:
			results = append(results, done())
		}
	}
	return best(results)
}

// networkName words a network as the cluster form does.
func networkName(p Platform) string {
	if p == PlatformVPC {
		return "a VPC"
	}
	return "EC2-Classic"
}

func (e *evaluator) clusterUsesGroup(c Check, box *loadedSandbox) StepResult {
	row, ok := e.liveCluster(c.Region, c.Cluster, box)
	if !ok {
		return todo("No cache cluster `%s` in %s yet.", strings.ToLower(c.Cluster), c.Region)
	}
	name := strings.ToLower(c.Name)
	var uses []string
	for _, m := range row.Memberships {
		switch st := m.StatusAt(e.now); {
		case st == MembershipGone:
			continue
		case m.Group.Name != name:
			uses = append(uses, m.Group.Name)
		case st == MembershipActive:
			return done()
		case m.RemovedAt != nil:
			return todo("Cache security group `%s` is being removed from cluster `%s`.", name, row.ClusterID)
		default:
			return pending("Cache security group `%s` is being added to cluster `%s` (modifying).", name, row.ClusterID)
		}
	}
	sort.Strings(uses)
	if len(uses) == 0 {
		return todo("Cache cluster `%s` does not use cache security group `%s` yet.", row.ClusterID, name)
	}
	return todo("Cache cluster `%s` does not use cache security group `%s` yet (it uses %s).", row.ClusterID, name, strings.Join(uses, ", "))
}

// findInstances lists the region's instances whose ID or Name is the check's instance.
func findInstances(region, instance string, box *loadedSandbox) []*EC2Instance {
	var found []*EC2Instance
	for _, inst := range box.instances[region] {
		if inst.InstanceID == strings.ToLower(instance) || inst.Name == instance {
			found = append(found, inst)
		}
	}
	return found
}

func (e *evaluator) instanceExists(c Check, box *loadedSandbox) StepResult {
	found := findInstances(c.Region, c.Instance, box)
	if len(found) == 0 {
		return todo("No EC2 instance `%s` in %s yet.", c.Instance, c.Region)
	}
	for _, inst := range found {
		if c.Network == "" || inst.Platform == c.Network {
			return done()
		}
	}
	return todo("EC2 instance `%s` in %s runs in %s, not %s.", c.Instance, c.Region, networkName(found[0].Platform), networkName(c.Network))
}

func (e *evaluator) canConnect(c Check, box *loadedSandbox) StepResult {
	return e.connectivity(c, box, CanConnect)
}

func (e *evaluator) cannotConnect(c Check, box *loadedSandbox) StepResult {
	return e.connectivity(c, box, CannotConnect)
}

// connectivity asks the explainer's rules (explainConnectivity, the very function behind the
// explainer page) about the sandbox as loaded, and compares the verdict with the one wanted.
func (e *evaluator) connectivity(c Check, box *loadedSandbox, want Verdict) StepResult {
	row, ok := e.liveCluster(c.Region, c.Cluster, box)
	if !ok {
		return todo("No cache cluster `%s` in %s yet.", strings.ToLower(c.Cluster), c.Region)
	}
	instances := findInstances(c.Region, c.Instance, box)
	if len(instances) == 0 {
		return todo("No EC2 instance `%s` in %s yet.", c.Instance, c.Region)
	}
	cluster := describeCluster(*row, e.now)
	groups := map[string]SecurityGroup{}
	if box.platform(c.Region).SupportsClassic() {
		for _, m := range cluster.CacheSecurityGroups {
			if g, ok := box.groups[c.Region][m.Name]; ok {
				groups[m.Name] = describe(*g, e.now)
			}
		}
	}
	results := make([]StepResult, 0, len(instances))
	for _, inst := range instances {
		x := explainConnectivity(connectivityFacts{Instance: *inst, Cluster: cluster, CacheGroups: groups,
			VPC: box.networks[c.Region].vpcFacts(*inst, cluster)})
		results = append(results, verdictResult(x, want))
	}
	return best(results)
}

// verdictResult turns an explanation into a step result: done when the verdict is the one wanted
// and can't change by itself any more, pending while it may.
func verdictResult(x Connectivity, want Verdict) StepResult {
	who := fmt.Sprintf("`%s` → `%s`", x.Instance.InstanceID, x.Cluster.ID)
	if x.Instance.Name != "" {
		who = fmt.Sprintf("`%s` (%s) → `%s`", x.Instance.InstanceID, x.Instance.Name, x.Cluster.ID)
	}
	switch {
	case x.Pending:
		return pending("The connectivity explainer says %s: %s for now, but the cluster or its security groups are still changing.", who, x.Verdict)
	case x.Verdict == want:
		return done()
	case x.Verdict == Undetermined:
		return todo("The connectivity explainer can't decide %s: the cluster's subnet group is not one sgconsole holds (the cluster was made before subnet groups).", who)
	}
	reason := ""
	for _, rule := range x.Checks {
		if rule.Outcome == OutcomeFail || x.Verdict == CanConnect && rule.Rule == RuleAuthorized {
			reason = " " + rule.Detail
			break
		}
	}
	return todo("The connectivity explainer says %s: %s.%s", who, x.Verdict, reason)
}

func (e *evaluator) regionVPCOnly(c Check, box *loadedSandbox) StepResult {
	if box.platform(c.Region) == PlatformVPC {
		return done()
	}
	return todo("Region %s still supports EC2-Classic and VPC.", c.Region)
}

func (e *evaluator) regionClassic(c Check, box *loadedSandbox) StepResult {
	if box.platform(c.Region) == PlatformClassic {
		return done()
	}
	return todo("Region %s is VPC-only.", c.Region)
}
