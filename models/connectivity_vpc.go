package models

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// vpcFacts is what the VPC rules look at: where the instance runs and the cluster's network.
type vpcFacts struct {
	InstanceVPC   string // "" for an instance never placed in a subnet
	InstanceCIDR  string // the instance's subnet's block
	InstanceSGs   []string
	ClusterVPC    string // "" when the cluster's subnet group does not exist (made before they did)
	ClusterGroups []VPCSecurityGroup
}

// loadedNetwork is the part of a region's VPC side the VPC rules read: the explainer loads what one
// instance and one cluster need, the labs' checks a whole sandbox's at once.
type loadedNetwork struct {
	placements   map[string]VPCInstancePlacement // by instance ID
	subnets      map[string]VPCSubnet            // by subnet ID
	subnetGroups map[string]string               // the VPC of each cache subnet group, by name
	groups       map[string]*VPCSecurityGroup    // by group ID; with Rules
}

func newLoadedNetwork() *loadedNetwork {
	return &loadedNetwork{placements: map[string]VPCInstancePlacement{}, subnets: map[string]VPCSubnet{},
		subnetGroups: map[string]string{}, groups: map[string]*VPCSecurityGroup{}}
}

// vpcFacts finds the instance's place and the cluster's network in what was loaded; a nil network
// (a region with no VPC side) admits nobody.
func (n *loadedNetwork) vpcFacts(inst EC2Instance, cluster Cluster) vpcFacts {
	var f vpcFacts
	if n == nil || cluster.IsClassic() {
		return f
	}
	if p, ok := n.placements[inst.InstanceID]; ok {
		if sn, ok := n.subnets[p.SubnetID]; ok {
			f.InstanceVPC, f.InstanceCIDR, f.InstanceSGs = sn.VpcID, sn.CIDR, p.Groups()
		}
	}
	vpc, ok := n.subnetGroups[cluster.SubnetGroup]
	if !ok {
		return f
	}
	f.ClusterVPC = vpc
	for _, id := range cluster.VPCSecurityGroupIDs {
		if g, ok := n.groups[id]; ok {
			f.ClusterGroups = append(f.ClusterGroups, *g)
		}
	}
	return f
}

// loadVPCFacts reads the instance's placement and the cluster's subnet group and VPC security groups.
func loadVPCFacts(db *gorm.DB, scope Scope, inst EC2Instance, cluster Cluster) (vpcFacts, error) {
	if cluster.IsClassic() {
		return vpcFacts{}, nil
	}
	n := newLoadedNetwork()
	if p, ok, err := instancePlacement(db, scope, inst.InstanceID); err != nil {
		return vpcFacts{}, err
	} else if ok {
		n.placements[inst.InstanceID] = p
		if sn, found, err := findSubnet(db, scope, p.SubnetID); err != nil {
			return vpcFacts{}, err
		} else if found {
			n.subnets[p.SubnetID] = sn
		}
	}
	group, ok, err := findSubnetGroup(db, scope, cluster.SubnetGroup)
	if err != nil {
		return vpcFacts{}, err
	}
	if ok {
		n.subnetGroups[cluster.SubnetGroup] = group.VpcID
		for _, id := range cluster.VPCSecurityGroupIDs {
			g, err := findVPCSecurityGroup(db, scope, id)
			if HasCode(err, CodeEC2GroupNotFound) {
				continue
			}
			if err != nil {
				return vpcFacts{}, err
			}
			n.groups[id] = &g
		}
	}
	return n.vpcFacts(inst, cluster), nil
}

// explainVPC decides rule 4 for a VPC cluster, as the service does: the instance must run in the
// VPC of the cluster's subnet group, and an inbound rule of one of the cluster's VPC security
// groups must allow it (one of its VPC security groups, or its subnet's CIDR block) on the
// cluster's port.
func explainVPC(f connectivityFacts, x *Connectivity) {
	inst, cluster, v := f.Instance, f.Cluster, f.VPC
	label := instanceLabel(inst)
	rule := RuleCheck{Rule: RuleVPCSecurityGr, Fix: FixCluster, FixName: cluster.ID, FixText: "See the cluster's VPC security groups"}
	switch {
	case v.ClusterVPC == "":
		rule.Outcome, rule.Detail = OutcomeInfo, vpcDetail(inst, cluster)
		x.Checks, x.Verdict = append(x.Checks, rule), Undetermined
		return
	case inst.Platform == PlatformClassic:
		rule.Detail = fmt.Sprintf("%s runs in EC2-Classic; cluster %s runs in VPC %s. An EC2-Classic instance reaches a VPC only through ClassicLink, which sgconsole does not model.", label, cluster.ID, v.ClusterVPC)
	case v.InstanceVPC == "":
		rule.Detail = fmt.Sprintf("%s is in no subnet of VPC %s, the VPC of cluster %s.", label, v.ClusterVPC, cluster.ID)
	case v.InstanceVPC != v.ClusterVPC:
		rule.Detail = fmt.Sprintf("%s runs in VPC %s; cluster %s runs in VPC %s (subnet group %s).", label, v.InstanceVPC, cluster.ID, v.ClusterVPC, cluster.SubnetGroup)
	default:
		checkInbound(f, &rule)
	}
	if rule.Outcome == "" { // the instance is outside the cluster's VPC
		rule.Outcome, rule.Fix, rule.FixName, rule.FixText = OutcomeFail, FixInstance, inst.InstanceID, "Use an instance in "+v.ClusterVPC
	}
	x.Checks, x.Verdict = append(x.Checks, rule), CanConnect
	if rule.Outcome == OutcomeFail {
		x.Verdict = CannotConnect
	}
}

// checkInbound looks for a rule of one of the cluster's VPC security groups that admits the instance.
func checkInbound(f connectivityFacts, rule *RuleCheck) {
	port, v := f.Cluster.Port(), f.VPC
	for _, g := range v.ClusterGroups {
		for _, r := range g.Rules {
			if r.Allows(port, v.InstanceSGs, v.InstanceCIDR) {
				rule.Outcome = OutcomePass
				rule.Detail = fmt.Sprintf("%s and cluster %s both run in VPC %s, and security group %s (%s) of the cluster allows TCP %s from %s, which covers the instance on port %d.",
					instanceLabel(f.Instance), f.Cluster.ID, v.ClusterVPC, g.GroupID, g.Name, r.Ports(), r.Source, port)
				return
			}
		}
	}
	rule.Outcome = OutcomeFail
	groups := make([]string, 0, len(v.ClusterGroups))
	for _, g := range v.ClusterGroups {
		groups = append(groups, g.GroupID)
	}
	if len(groups) == 0 {
		rule.Detail = fmt.Sprintf("Cluster %s has no VPC security group of VPC %s, so nothing is allowed in.", f.Cluster.ID, v.ClusterVPC)
		return
	}
	rule.Detail = fmt.Sprintf("No inbound rule of %s allows TCP port %d from the instance's security groups (%s) or its subnet (%s).",
		strings.Join(groups, ", "), port, strings.Join(v.InstanceSGs, ", "), v.InstanceCIDR)
}
