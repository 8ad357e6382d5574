package models

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Verdict is the explainer's answer.
type Verdict string

// The explainer's answers; Undetermined is for VPC clusters whose subnet group sgconsole does not
// hold (made before subnet groups were modelled), so their VPC is unknown.
const (
	CanConnect    Verdict = "can connect"
	CannotConnect Verdict = "cannot connect"
	Undetermined  Verdict = "not determined"
)

// Outcome is the result of one rule.
type Outcome string

// Rule outcomes.
const (
	OutcomePass       Outcome = "pass"
	OutcomeFail       Outcome = "fail"
	OutcomeInfo       Outcome = "info"
	OutcomeNotChecked Outcome = "not checked"
	OutcomeNotApplied Outcome = "does not apply"
)

// FixKind names where a rule's inputs can be changed.
type FixKind string

// Places a rule can link to.
const (
	FixInstance      FixKind = "instance"
	FixCluster       FixKind = "cluster"
	FixSecurityGroup FixKind = "security-group"
	FixNone          FixKind = ""
)

// RuleCheck is one rule of the explanation, in the order the service applies them.
type RuleCheck struct {
	Rule    string
	Outcome Outcome
	Detail  string
	Fix     FixKind
	FixName string // the instance, cluster or cache security group to change
	FixText string
}

// Connectivity explains whether an EC2 instance can open a connection to a cache cluster.
type Connectivity struct {
	Instance EC2Instance
	Cluster  Cluster
	Verdict  Verdict
	Checks   []RuleCheck
	Pending  bool // the verdict may change by itself: the cluster or its groups are still changing
}

// Rule statements, worded as the documentation states them.
const (
	RuleVPCToClassic  = "EC2 instances running in a VPC can't connect to clusters in EC2-Classic."
	RuleAuthorized    = "For a cluster in EC2-Classic, one of the instance's EC2 security groups must be authorized in one of the cluster's cache security groups. Network access is off by default."
	RuleNoIPRanges    = "Access control based on IP range is not enabled: IP ranges never grant access in EC2-Classic."
	RuleVPCSecurityGr = "For a cluster in a VPC, access is controlled with VPC security groups."
	RuleAvailable     = "A cluster accepts connections only once it is available, and no longer while it is being deleted."
)

// ExplainConnectivity checks each rule between an instance and a cluster of the same scope.
func (s *Store) ExplainConnectivity(ctx context.Context, scope Scope, instanceID, clusterID string) (Connectivity, error) {
	inst, err := s.GetEC2Instance(ctx, scope, instanceID)
	if err != nil {
		return Connectivity{}, err
	}
	v, err := s.view(ctx, scope)
	if err != nil {
		return Connectivity{}, wrap("connectivity", err)
	}
	now := s.now()
	row, err := v.cluster(clusterID, now)
	if err != nil {
		return Connectivity{}, err
	}
	cluster := describeCluster(row, now)
	vpc, err := loadVPCFacts(s.db.WithContext(ctx), scope, inst, cluster)
	if err != nil {
		return Connectivity{}, wrap("connectivity", err)
	}
	return explainConnectivity(connectivityFacts{Instance: inst, Cluster: cluster, CacheGroups: v.cacheGroupsOf(cluster, now), VPC: vpc}), nil
}

// cacheGroupsOf describes the cluster's cache security groups for the explainer, none where the
// region is VPC-only: there the groups are kept but no longer apply.
func (v *scopeView) cacheGroupsOf(cluster Cluster, now time.Time) map[string]SecurityGroup {
	groups := map[string]SecurityGroup{}
	if !cluster.IsClassic() || !v.platform.SupportsClassic() {
		return groups
	}
	for _, m := range cluster.CacheSecurityGroups {
		if row, err := v.group(m.Name); err == nil {
			groups[row.Name] = describe(row, now)
		}
	}
	return groups
}

// connectivityFacts is everything the explainer's rules look at, already loaded. explainConnectivity
// reads no database, so the explainer page (which loads one instance and one cluster) and the labs'
// checks (which load whole sandboxes at once) give the same verdict by the same rules.
type connectivityFacts struct {
	Instance EC2Instance // with its EC2 security groups
	Cluster  Cluster     // described at the time of the question
	// CacheGroups holds the cluster's cache security groups by name, described at the same time;
	// it is empty where the region is VPC-only, since cache security groups no longer apply there.
	CacheGroups map[string]SecurityGroup
	VPC         vpcFacts // a VPC cluster's network; unloaded, the VPC verdict is not determined
}

// explainConnectivity applies the rules in the service's order.
func explainConnectivity(f connectivityFacts) Connectivity {
	inst, cluster := f.Instance, f.Cluster
	x := Connectivity{Instance: inst, Cluster: cluster, Pending: connectivityPending(f)}
	label := instanceLabel(inst)

	if !cluster.IsClassic() {
		x.Checks = append(x.Checks,
			RuleCheck{Rule: RuleVPCToClassic, Outcome: OutcomeNotApplied, Detail: fmt.Sprintf("Cluster %s runs in a VPC (subnet group %s).", cluster.ID, cluster.SubnetGroup)},
			RuleCheck{Rule: RuleAuthorized, Outcome: OutcomeNotApplied, Detail: "Cache security groups apply only to clusters in EC2-Classic."},
			RuleCheck{Rule: RuleNoIPRanges, Outcome: OutcomeNotApplied, Detail: "The cluster is not in EC2-Classic."})
		explainVPC(f, &x)
		x.checkAvailable()
		return x
	}

	rule1 := RuleCheck{Rule: RuleVPCToClassic, Outcome: OutcomePass,
		Detail: fmt.Sprintf("%s and cluster %s both run in EC2-Classic.", label, cluster.ID)}
	if inst.Platform == PlatformVPC {
		rule1.Outcome, rule1.Fix, rule1.FixName, rule1.FixText = OutcomeFail, FixInstance, inst.InstanceID, "Use an EC2-Classic instance"
		rule1.Detail = fmt.Sprintf("%s runs in a VPC and cluster %s in EC2-Classic. Migrate the cluster into a VPC, or connect from an EC2-Classic instance.", label, cluster.ID)
	}
	x.Checks = append(x.Checks, rule1)

	rule2 := RuleCheck{Rule: RuleAuthorized}
	if rule1.Outcome == OutcomeFail {
		rule2.Outcome, rule2.Detail = OutcomeNotChecked, "An earlier rule already denies access."
	} else {
		checkAuthorized(f, &rule2)
	}
	x.Checks = append(x.Checks, rule2,
		RuleCheck{Rule: RuleNoIPRanges, Outcome: OutcomeInfo,
			Detail: "All clients of a cluster must be within the EC2 network and authorized through security groups; an IP address or CIDR range can't be authorized."},
		RuleCheck{Rule: RuleVPCSecurityGr, Outcome: OutcomeNotApplied, Detail: fmt.Sprintf("Cluster %s is in EC2-Classic.", cluster.ID)})
	x.Verdict = CanConnect
	if rule1.Outcome == OutcomeFail || rule2.Outcome == OutcomeFail {
		x.Verdict = CannotConnect
	}
	x.checkAvailable()
	return x
}

// checkAvailable adds the cluster's own state: whatever the security groups say, a cluster that is
// still being created or is being deleted takes no connections.
func (x *Connectivity) checkAvailable() {
	check := RuleCheck{Rule: RuleAvailable, Outcome: OutcomePass, Detail: fmt.Sprintf("Cluster %s is %s.", x.Cluster.ID, x.Cluster.Status)}
	if x.Cluster.Status == ClusterCreating || x.Cluster.Status == ClusterDeleting {
		check.Outcome, check.Fix, check.FixName, check.FixText = OutcomeFail, FixCluster, x.Cluster.ID, "View "+x.Cluster.ID
		check.Detail = fmt.Sprintf("Cluster %s is %s.", x.Cluster.ID, x.Cluster.Status)
		x.Verdict = CannotConnect
	}
	x.Checks = append(x.Checks, check)
}

// checkAuthorized fills rule 2: an authorized (not merely authorizing) entry for one of the
// instance's groups, in a cache security group whose membership on the cluster is active.
func checkAuthorized(f connectivityFacts, rule *RuleCheck) {
	inst, cluster := f.Instance, f.Cluster
	mine := map[string]bool{}
	for _, name := range inst.GroupNames() {
		mine[name] = true
	}
	var nearMisses []string
	firstGroup := ""
	for _, member := range cluster.CacheSecurityGroups {
		if firstGroup == "" {
			firstGroup = member.Name
		}
		g, ok := f.CacheGroups[member.Name]
		if !ok {
			continue // the region became VPC-only: its cache security groups no longer apply
		}
		for _, e := range g.EC2SecurityGroups {
			if !mine[e.Name] || e.OwnerID != inst.AccountID {
				continue
			}
			switch {
			case e.Status == StatusAuthorized && member.Status == MembershipActive:
				rule.Outcome, rule.Fix, rule.FixName, rule.FixText = OutcomePass, FixSecurityGroup, g.Name, "View "+g.Name
				rule.Detail = fmt.Sprintf("EC2 security group %s (owner %s) is authorized in cache security group %s, which is active on cluster %s.",
					e.Name, e.OwnerID, g.Name, cluster.ID)
				return
			case e.Status != StatusAuthorized:
				nearMisses = append(nearMisses, fmt.Sprintf("%s is %s in %s", e.Name, e.Status, g.Name))
			default:
				nearMisses = append(nearMisses, fmt.Sprintf("%s is authorized in %s, but %s is still being changed on the cluster (modifying)", e.Name, g.Name, g.Name))
			}
		}
	}
	rule.Outcome, rule.Fix, rule.FixName = OutcomeFail, FixSecurityGroup, firstGroup
	rule.FixText = "Authorize an EC2 security group in " + firstGroup
	groups := make([]string, 0, len(cluster.CacheSecurityGroups))
	for _, m := range cluster.CacheSecurityGroups {
		groups = append(groups, m.Name)
	}
	rule.Detail = fmt.Sprintf("None of the instance's EC2 security groups (%s) is authorized in the cluster's cache security groups (%s).",
		strings.Join(inst.GroupNames(), ", "), strings.Join(groups, ", "))
	if len(nearMisses) > 0 {
		rule.Detail += " Not yet: " + strings.Join(nearMisses, "; ") + "."
	}
}

func vpcDetail(inst EC2Instance, cluster Cluster) string {
	ids := "none"
	if len(cluster.VPCSecurityGroupIDs) > 0 {
		ids = strings.Join(cluster.VPCSecurityGroupIDs, ", ")
	}
	msg := fmt.Sprintf("Cluster %s uses VPC security groups %s, but its subnet group %s is not one sgconsole holds (the cluster was made before subnet groups), so its VPC is unknown and sgconsole can't tell whether %s may connect.", cluster.ID, ids, cluster.SubnetGroup, instanceLabel(inst))
	if inst.Platform == PlatformClassic {
		msg += " An EC2-Classic instance reaches a VPC only through ClassicLink, which sgconsole does not model."
	}
	return msg
}

func instanceLabel(i EC2Instance) string {
	if i.Name != "" {
		return fmt.Sprintf("Instance %s (%s)", i.InstanceID, i.Name)
	}
	return "Instance " + i.InstanceID
}

// connectivityPending reports whether the verdict may change by itself: the cluster or one of its
// cache security groups is still changing, or one of those groups has an entry authorizing or revoking.
func connectivityPending(f connectivityFacts) bool {
	if f.Cluster.Pending() {
		return true
	}
	for _, m := range f.Cluster.CacheSecurityGroups {
		if g, ok := f.CacheGroups[m.Name]; ok && g.Pending() {
			return true
		}
	}
	return false
}
