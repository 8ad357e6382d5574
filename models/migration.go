package models

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// The migration of an EC2-Classic cluster into a VPC, as the AWS guide "Migrating an EC2-Classic
// cluster into a VPC" walks it: a cache subnet group, a VPC security group that lets the
// application in on the cluster's port, then for Redis a backup restored into the subnet group,
// for Memcached (which has no backups, and whose cache holds nothing worth carrying) a new cluster
// with the same settings; then a VPC instance proves it can connect, and what is left goes.
// MigrationPlan reads every step's state from the account's real resources and the user's choices
// so far, so the walkthrough keeps no state of its own and its URL can be shared.

// MigrationChoices are the resources the user chose so far, by name or ID.
type MigrationChoices struct {
	SubnetGroup      string // a cache subnet group
	VPCSecurityGroup string // an sg- ID of the subnet group's VPC
	Snapshot         string // the backup of the Redis cluster
	Target           string // the new cluster's ID
	Instance         string // the VPC instance that verifies the connection
}

// MigrationState is how far a step of the migration is.
type MigrationState string

// Step states. Waiting: an earlier step must be done first.
const (
	MigrationDone       MigrationState = "done"
	MigrationToDo       MigrationState = "to do"
	MigrationInProgress MigrationState = "in progress"
	MigrationWaiting    MigrationState = "waiting"
)

// Step keys, in the guide's order; a Redis migration has backup and restore, a Memcached one create.
const (
	StepSubnetGroup   = "subnet-group"
	StepSecurityGroup = "security-group"
	StepBackup        = "backup"
	StepRestore       = "restore"
	StepCreate        = "create"
	StepVerify        = "verify"
	StepCleanUp       = "clean-up"
)

// MigrationStep is one step of the guide with its state.
type MigrationStep struct {
	Key     string
	Number  int
	Title   string
	State   MigrationState
	Detail  string // what the account's resources say about the step
	Problem string // a choice that can't be used, and why
}

// MigrationPlan is the migration of one EC2-Classic cluster as it stands.
type MigrationPlan struct {
	Cluster        Cluster // the EC2-Classic cluster; its Status is ClusterGone once it is deleted
	Choices        MigrationChoices
	Steps          []MigrationStep
	Network        Network           // the region's VPCs, subnets and VPC security groups
	SubnetGroups   []SubnetGroup     // the region's cache subnet groups, to choose from
	SubnetGroup    *SubnetGroup      // the chosen one, when it exists
	SecurityGroup  *VPCSecurityGroup // the chosen one, when it exists in the subnet group's VPC
	Snapshot       *Snapshot         // the chosen backup, when it is one of this cluster's
	Backups        []Snapshot        // the Redis cluster's backups, to choose from
	Target         *Cluster          // the new cluster, when it exists
	Instances      []EC2Instance     // the region's VPC instances, to verify from
	Placements     map[string]VPCInstancePlacement
	Verify         *Connectivity // the explainer from the chosen instance to the new cluster
	LeftoverGroups []string      // the cluster's cache security groups no other cluster uses (never default)
	Pending        bool          // something on the way changes by itself: the page refreshes
}

// Step returns the step of the given key; ok is false when this engine's guide has no such step.
func (p MigrationPlan) Step(key string) (MigrationStep, bool) {
	for _, s := range p.Steps {
		if s.Key == key {
			return s, true
		}
	}
	return MigrationStep{}, false
}

// VPCID is the VPC the cluster moves into: the chosen subnet group's.
func (p MigrationPlan) VPCID() string {
	if p.SubnetGroup == nil {
		return ""
	}
	return p.SubnetGroup.VpcID
}

// Done reports whether every step is done.
func (p MigrationPlan) Done() bool {
	for _, s := range p.Steps {
		if s.State != MigrationDone {
			return false
		}
	}
	return true
}

// NewTarget is the cluster the guide creates in the VPC: for Redis, the backup restored into the
// subnet group with the VPC security group; for Memcached, a new cluster with the Classic one's
// engine version, node type, nodes, port and parameter group.
func (p MigrationPlan) NewTarget(id string) NewCluster {
	c := p.Cluster
	n := NewCluster{ID: id, Network: PlatformVPC, SubnetGroup: p.Choices.SubnetGroup, VPCSecurityGroupIDs: []string{p.Choices.VPCSecurityGroup}}
	if c.IsRedis() {
		n.SnapshotName = p.Choices.Snapshot // the rest comes from the backup
		return n
	}
	n.Engine, n.NodeType, n.NumNodes = c.Engine, c.NodeType, c.NumNodes
	n.Settings = ClusterSettings{EngineVersion: c.EngineVersion, Port: c.Port(), ParameterGroup: c.ParameterGroup}
	return n
}

// MigrationPlan reports each step of the migration of an EC2-Classic cluster into a VPC for the
// cluster's engine, with the user's choices so far. A cluster already deleted (at the end of the
// migration) still has its plan; one that runs in a VPC has nothing to migrate.
func (s *Store) MigrationPlan(ctx context.Context, scope Scope, clusterID string, choices MigrationChoices) (MigrationPlan, error) {
	v, err := s.view(ctx, scope)
	if err != nil {
		return MigrationPlan{}, wrap("migration plan", err)
	}
	now := s.now()
	row, ok := v.clusterRow(clusterID)
	if !ok {
		return MigrationPlan{}, newError(CodeCacheClusterNotFound, "Cache cluster %s not found.", strings.ToLower(clusterID))
	}
	p := MigrationPlan{Cluster: describeCluster(row, now), Choices: normalChoices(choices)}
	if !p.Cluster.IsClassic() {
		return p, newError(CodeInvalidParameterValue, "Cache cluster %s runs in a VPC already (subnet group %s): there is nothing to migrate.", p.Cluster.ID, p.Cluster.SubnetGroup)
	}
	if p.Network, err = s.GetNetwork(ctx, scope); err != nil {
		return p, err
	}
	groups, err := s.ListSubnetGroups(ctx, scope, "", MaxSubnetGroups)
	if err != nil {
		return p, err
	}
	p.SubnetGroups = groups.Items
	if err := s.loadMigrationChoices(ctx, scope, &p); err != nil {
		return p, err
	}
	for _, m := range p.Cluster.CacheSecurityGroups {
		g, err := v.group(m.Name)
		if err != nil || g.Name == DefaultGroupName {
			continue
		}
		used := false
		for _, other := range v.clustersUsing(g.ID, now) {
			used = used || other.ClusterID != row.ClusterID
		}
		if !used {
			p.LeftoverGroups = append(p.LeftoverGroups, g.Name)
		}
	}
	sort.Strings(p.LeftoverGroups)
	p.Steps = migrationSteps(p)
	p.Pending = p.Cluster.Pending() || p.Target != nil && p.Target.Pending() || p.Snapshot != nil && p.Snapshot.Pending()
	return p, nil
}

// clusterRow finds a cluster's row, deleted ones included.
func (v *scopeView) clusterRow(id string) (CacheCluster, bool) {
	id = strings.ToLower(id)
	i := sort.Search(len(v.clusters), func(i int) bool { return v.clusters[i].ClusterID >= id })
	if i == len(v.clusters) || v.clusters[i].ClusterID != id {
		return CacheCluster{}, false
	}
	return v.clusters[i], true
}

func normalChoices(c MigrationChoices) MigrationChoices {
	return MigrationChoices{SubnetGroup: strings.ToLower(strings.TrimSpace(c.SubnetGroup)),
		VPCSecurityGroup: strings.ToLower(strings.TrimSpace(c.VPCSecurityGroup)), Snapshot: strings.TrimSpace(c.Snapshot),
		Target: strings.ToLower(strings.TrimSpace(c.Target)), Instance: strings.ToLower(strings.TrimSpace(c.Instance))}
}

// loadMigrationChoices reads the chosen resources that exist.
func (s *Store) loadMigrationChoices(ctx context.Context, scope Scope, p *MigrationPlan) error {
	c := p.Choices
	if c.SubnetGroup != "" {
		g, err := s.GetSubnetGroup(ctx, scope, c.SubnetGroup)
		if err == nil {
			p.SubnetGroup = &g
		} else if !HasCode(err, CodeSubnetGroupNotFound) {
			return err
		}
	}
	for i, g := range p.Network.Groups {
		if g.GroupID == c.VPCSecurityGroup && g.VpcID == p.VPCID() {
			p.SecurityGroup = &p.Network.Groups[i]
		}
	}
	if p.Cluster.IsRedis() {
		backups, err := s.ListSnapshots(ctx, scope, SnapshotListOptions{ClusterID: p.Cluster.ID})
		if err != nil && !HasCode(err, CodeCacheClusterNotFound) { // a deleted cluster's backups are not listed by it
			return err
		}
		p.Backups = backups.Items
	}
	if p.Cluster.IsRedis() && c.Snapshot != "" {
		snap, err := s.GetSnapshot(ctx, scope, c.Snapshot)
		if err == nil && snap.ClusterID == p.Cluster.ID {
			p.Snapshot = &snap
		} else if err != nil && !HasCode(err, CodeSnapshotNotFound) {
			return err
		}
	}
	if c.Target != "" {
		t, err := s.GetCluster(ctx, scope, c.Target)
		if err == nil {
			p.Target = &t
		} else if !HasCode(err, CodeCacheClusterNotFound) {
			return err
		}
	}
	all, err := s.ListEC2Instances(ctx, scope)
	if err != nil {
		return err
	}
	for _, i := range all {
		if i.Platform == PlatformVPC {
			p.Instances = append(p.Instances, i)
		}
	}
	if p.Placements, err = s.ListPlacements(ctx, scope); err != nil {
		return err
	}
	if c.Instance != "" && p.Target != nil {
		x, err := s.ExplainConnectivity(ctx, scope, c.Instance, p.Target.ID)
		if err == nil {
			p.Verify = &x
		} else if !HasCode(err, CodeEC2InstanceNotFound) {
			return err
		}
	}
	return nil
}

// migrationSteps decides each step's state, in the guide's order.
func migrationSteps(p MigrationPlan) []MigrationStep {
	c, port := p.Choices, p.Cluster.Port()
	var steps []MigrationStep
	add := func(st MigrationStep) MigrationStep {
		st.Number = len(steps) + 1
		steps = append(steps, st)
		return st
	}

	sub := MigrationStep{Key: StepSubnetGroup, Title: "Choose or create a cache subnet group", State: MigrationToDo,
		Detail: "A cache subnet group names the subnets of one VPC that the new cluster's nodes run in."}
	switch {
	case p.SubnetGroup != nil:
		sub.State = MigrationDone
		sub.Detail = fmt.Sprintf("Subnet group %s: %d subnet(s) of VPC %s.", p.SubnetGroup.Name, len(p.SubnetGroup.Subnets), p.SubnetGroup.VpcID)
	case c.SubnetGroup != "":
		sub.Problem = fmt.Sprintf("Cache subnet group %s does not exist. Choose another or create it.", c.SubnetGroup)
	}
	sub = add(sub)

	sg := MigrationStep{Key: StepSecurityGroup, Title: "Choose or create a VPC security group", State: MigrationToDo,
		Detail: fmt.Sprintf("A VPC security group of the new cluster must allow TCP port %d from your application's instances: by their security group or a CIDR block.", port)}
	switch {
	case sub.State != MigrationDone:
		sg.State = MigrationWaiting
		if c.VPCSecurityGroup != "" {
			sg.Detail = fmt.Sprintf("Security group %s is chosen; choose the subnet group first, to know its VPC.", c.VPCSecurityGroup)
		}
	case p.SecurityGroup != nil && ruleOnPort(*p.SecurityGroup, port) != nil:
		r := ruleOnPort(*p.SecurityGroup, port)
		sg.State = MigrationDone
		sg.Detail = fmt.Sprintf("Security group %s (%s) allows TCP %s from %s.", p.SecurityGroup.GroupID, p.SecurityGroup.Name, r.Ports(), r.Source)
	case p.SecurityGroup != nil:
		sg.Detail = fmt.Sprintf("Security group %s (%s) has no inbound rule for TCP port %d yet: add one.", p.SecurityGroup.GroupID, p.SecurityGroup.Name, port)
	case c.VPCSecurityGroup != "":
		sg.Problem = fmt.Sprintf("Security group %s is not a security group of %s. Choose one of that VPC's groups or create one.", c.VPCSecurityGroup, p.VPCID())
	}
	sg = add(sg)
	ready := sub.State == MigrationDone && sg.State == MigrationDone

	if p.Cluster.IsRedis() {
		b := MigrationStep{Key: StepBackup, Title: "Back up the cluster", State: MigrationToDo,
			Detail: fmt.Sprintf("A backup (snapshot) of %s holds its data, which the new cluster starts from.", p.Cluster.ID)}
		switch {
		case p.Snapshot != nil && p.Snapshot.Status == SnapshotAvailable:
			b.State, b.Detail = MigrationDone, fmt.Sprintf("Backup %s of %s is available.", p.Snapshot.Name, p.Cluster.ID)
		case p.Snapshot != nil:
			b.State, b.Detail = MigrationInProgress, fmt.Sprintf("Backup %s of %s is %s.", p.Snapshot.Name, p.Cluster.ID, p.Snapshot.Status)
		case c.Snapshot != "":
			b.Problem = fmt.Sprintf("Backup %s is not a backup of %s. Choose another or create one.", c.Snapshot, p.Cluster.ID)
		}
		b = add(b)
		ready = ready && b.State == MigrationDone
		add(targetStep(p, ready, StepRestore, "Restore the backup into the VPC"))
	} else {
		add(targetStep(p, ready, StepCreate, "Create the new cluster in the VPC"))
	}
	created := steps[len(steps)-1].State == MigrationDone

	verify := MigrationStep{Key: StepVerify, Title: "Verify that an instance in the VPC can connect", State: MigrationToDo,
		Detail: "The connectivity explainer checks an instance of the VPC against the new cluster's VPC security groups."}
	switch {
	case !created:
		verify.State = MigrationWaiting
	case p.Verify != nil && p.Verify.Verdict == CanConnect:
		verify.State = MigrationDone
		verify.Detail = fmt.Sprintf("%s can connect to %s.", instanceLabel(p.Verify.Instance), p.Target.ID)
	case p.Verify != nil:
		verify.Detail = fmt.Sprintf("%s cannot connect to %s yet: %s", instanceLabel(p.Verify.Instance), p.Target.ID, firstFailure(*p.Verify))
	case c.Instance != "":
		verify.Problem = fmt.Sprintf("Instance %s does not exist. Choose another.", c.Instance)
	}
	verify = add(verify)

	clean := MigrationStep{Key: StepCleanUp, Title: "Clean up", State: MigrationToDo,
		Detail: fmt.Sprintf("Delete EC2-Classic cluster %s once the new cluster serves your application.", p.Cluster.ID)}
	switch p.Cluster.Status {
	case ClusterGone:
		clean.State, clean.Detail = MigrationDone, fmt.Sprintf("EC2-Classic cluster %s is deleted.", p.Cluster.ID)
	case ClusterDeleting:
		clean.State, clean.Detail = MigrationInProgress, fmt.Sprintf("EC2-Classic cluster %s is being deleted.", p.Cluster.ID)
	default:
		if verify.State != MigrationDone {
			clean.State = MigrationWaiting
		}
	}
	add(clean)
	return steps
}

// targetStep is the step that makes the new cluster: restore (Redis) or create (Memcached).
func targetStep(p MigrationPlan, ready bool, key, title string) MigrationStep {
	c := p.Choices
	st := MigrationStep{Key: key, Title: title, State: MigrationToDo,
		Detail: "The new cluster runs in the subnet group with the VPC security group."}
	if key == StepCreate {
		st.Detail = fmt.Sprintf("A Memcached cluster has no backups and its cache holds nothing to carry over: create a new one with %s's engine version, node type, nodes, port and parameter group.", p.Cluster.ID)
	}
	t := p.Target
	switch {
	case t != nil && t.ID == p.Cluster.ID:
		st.Problem = "The new cluster needs an ID of its own."
	case t != nil && (t.IsClassic() || t.SubnetGroup != c.SubnetGroup || !containsString(t.VPCSecurityGroupIDs, c.VPCSecurityGroup) || t.Engine != p.Cluster.Engine):
		st.Problem = fmt.Sprintf("Cluster %s exists but is not a %s cluster in subnet group %s with security group %s. Choose another ID.", t.ID, p.Cluster.Engine, c.SubnetGroup, c.VPCSecurityGroup)
	case t != nil && t.Status == ClusterAvailable || t != nil && t.Status == ClusterModifying:
		st.State, st.Detail = MigrationDone, fmt.Sprintf("Cluster %s is available in subnet group %s.", t.ID, t.SubnetGroup)
		return st
	case t != nil && t.Status == ClusterCreating:
		st.State, st.Detail = MigrationInProgress, fmt.Sprintf("Cluster %s is being created in subnet group %s.", t.ID, t.SubnetGroup)
		return st
	case t != nil:
		st.Problem = fmt.Sprintf("Cluster %s is %s.", t.ID, t.Status)
	}
	if !ready {
		st.State = MigrationWaiting
	}
	return st
}

// ruleOnPort is the group's first inbound rule that covers port, or nil.
func ruleOnPort(g VPCSecurityGroup, port int) *VPCSecurityGroupRule {
	for i, r := range g.Rules {
		if r.FromPort <= port && port <= r.ToPort {
			return &g.Rules[i]
		}
	}
	return nil
}

// firstFailure is the detail of the explainer's first failing check.
func firstFailure(x Connectivity) string {
	for _, c := range x.Checks {
		if c.Outcome == OutcomeFail {
			return c.Detail
		}
	}
	return string(x.Verdict) + "."
}

// CreateMigrationSecurityGroup creates a VPC security group in vpcID with the inbound rule that
// lets the application reach the cluster, in one transaction, as the walkthrough's step 2 does.
func (s *Store) CreateMigrationSecurityGroup(ctx context.Context, scope Scope, vpcID, name, description string, rule VPCRule) (VPCSecurityGroup, error) {
	var g VPCSecurityGroup
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		var err error
		if g, err = createVPCSecurityGroup(tx, scope, s.now(), vpcID, name, description); err != nil {
			return err
		}
		return authorizeVPCIngress(tx, scope, g, rule)
	})
	if err != nil {
		return VPCSecurityGroup{}, wrap("create VPC security group", err)
	}
	return s.GetVPCSecurityGroup(ctx, scope, g.GroupID)
}
