package models

import (
	"fmt"
	"testing"
)

// vpcConnectivityStore: VPC prod (app subnet 10.0.1.0/24, db subnet 10.0.2.0/24) and VPC other;
// instance app (placed in prod's app subnet, group app-sg), stray (in other), classic web-1; the
// Redis cluster orders in subnet group prod-db with group cache-sg, which admits nothing yet.
type vpcSetup struct {
	prod, other         VPC
	appSubnet, dbSubnet VPCSubnet
	appSG, cacheSG      VPCSecurityGroup
}

const (
	vpcApp   = "i-0c0000000000000a1"
	vpcStray = "i-0c0000000000000a2"
)

func vpcConnectivityStore(t *testing.T) (*Store, vpcSetup) {
	t.Helper()
	s, clk := connectivityStore(t)
	var v vpcSetup
	var err error
	must := func(what string) {
		t.Helper()
		mustNoErr(t, err, what)
	}
	v.prod, err = s.CreateVPC(ctx, scopeUS, "prod", "10.0.0.0/16")
	must("CreateVPC")
	v.other, err = s.CreateVPC(ctx, scopeUS, "other", "10.9.0.0/16")
	must("CreateVPC other")
	v.appSubnet, err = s.CreateSubnet(ctx, scopeUS, v.prod.VpcID, "us-east-1a", "10.0.1.0/24")
	must("CreateSubnet app")
	v.dbSubnet, err = s.CreateSubnet(ctx, scopeUS, v.prod.VpcID, "us-east-1b", "10.0.2.0/24")
	must("CreateSubnet db")
	strayNet, err := s.CreateSubnet(ctx, scopeUS, v.other.VpcID, "us-east-1a", "10.9.1.0/24")
	must("CreateSubnet stray")
	v.appSG, err = s.CreateVPCSecurityGroup(ctx, scopeUS, v.prod.VpcID, "app-sg", "app")
	must("app-sg")
	v.cacheSG, err = s.CreateVPCSecurityGroup(ctx, scopeUS, v.prod.VpcID, "cache-sg", "cache")
	must("cache-sg")
	strayDefault := mustNetwork(t, s).GroupsOf(v.other.VpcID)[0]
	_, err = s.CreateSubnetGroup(ctx, scopeUS, NewSubnetGroup{Name: "prod-db", Description: "db", SubnetIDs: []string{v.dbSubnet.SubnetID}})
	must("CreateSubnetGroup")
	mustInstance(t, s, scopeUS, vpcApp, "app", PlatformVPC, "vpc-web")
	mustInstance(t, s, scopeUS, vpcStray, "stray", PlatformVPC, "vpc-web")
	_, err = s.PlaceInstance(ctx, scopeUS, vpcApp, v.appSubnet.SubnetID, []string{v.appSG.GroupID})
	must("PlaceInstance app")
	_, err = s.PlaceInstance(ctx, scopeUS, vpcStray, strayNet.SubnetID, []string{strayDefault.GroupID})
	must("PlaceInstance stray")
	_, err = s.PlaceInstance(ctx, scopeUS, vpcStray, strayNet.SubnetID, []string{v.appSG.GroupID})
	wantError(t, err, CodeInvalidParameterValue, "") // a group of another VPC
	mustCluster(t, s, scopeUS, NewCluster{ID: "orders-vpc", Engine: "redis", NodeType: "cache.t2.small", NumNodes: 1,
		SubnetGroup: "prod-db", VPCSecurityGroupIDs: []string{v.cacheSG.GroupID}})
	clk.Advance(delay)
	return s, v
}

func mustNetwork(t *testing.T, s *Store) Network {
	t.Helper()
	n, err := s.GetNetwork(ctx, scopeUS)
	mustNoErr(t, err, "GetNetwork")
	return n
}

// wantVPCVerdict: the three EC2-Classic rules do not apply, rule 4 decides, the cluster is available.
func wantVPCVerdict(t *testing.T, x Connectivity, verdict Verdict, rule4 Outcome, fix FixKind) {
	t.Helper()
	wantVerdict(t, x, verdict, OutcomeNotApplied, OutcomeNotApplied, OutcomeNotApplied, rule4, OutcomePass)
	if x.Checks[3].Fix != fix {
		t.Errorf("rule 4 links to %q, want %q", x.Checks[3].Fix, fix)
	}
}

func TestConnectivityVPCByInboundRules(t *testing.T) {
	s, v := vpcConnectivityStore(t)
	x := explain(t, s, vpcApp, "orders-vpc")
	wantVPCVerdict(t, x, CannotConnect, OutcomeFail, FixCluster)
	wantDetail(t, x.Checks[3], v.cacheSG.GroupID, "6379", v.appSG.GroupID, "10.0.1.0/24")

	// A rule for another port does not help; one from the instance's group on 6379 does.
	_, err := s.AuthorizeVPCIngress(ctx, scopeUS, v.cacheSG.GroupID, VPCRule{FromPort: 11211, ToPort: 11211, Source: v.appSG.GroupID})
	mustNoErr(t, err, "authorize 11211")
	wantVPCVerdict(t, explain(t, s, vpcApp, "orders-vpc"), CannotConnect, OutcomeFail, FixCluster)
	_, err = s.AuthorizeVPCIngress(ctx, scopeUS, v.cacheSG.GroupID, VPCRule{FromPort: 6379, ToPort: 6380, Source: v.appSG.GroupID})
	mustNoErr(t, err, "authorize 6379")
	x = explain(t, s, vpcApp, "orders-vpc")
	wantVPCVerdict(t, x, CanConnect, OutcomePass, FixCluster)
	wantDetail(t, x.Checks[3], v.cacheSG.GroupID, "6379-6380", "from "+v.appSG.GroupID)

	// An instance of another VPC never connects, whatever the rules; nor an EC2-Classic one.
	x = explain(t, s, vpcStray, "orders-vpc")
	wantVPCVerdict(t, x, CannotConnect, OutcomeFail, FixInstance)
	wantDetail(t, x.Checks[3], v.other.VpcID, v.prod.VpcID)
	wantVPCVerdict(t, explain(t, s, web1, "orders-vpc"), CannotConnect, OutcomeFail, FixInstance)
	// An unplaced VPC instance is in no subnet of the VPC.
	wantVPCVerdict(t, explain(t, s, vpcWeb, "orders-vpc"), CannotConnect, OutcomeFail, FixInstance)

	// Revoked, the access is gone.
	_, err = s.RevokeVPCIngress(ctx, scopeUS, v.cacheSG.GroupID, VPCRule{FromPort: 6379, ToPort: 6380, Source: v.appSG.GroupID})
	mustNoErr(t, err, "revoke")
	wantVPCVerdict(t, explain(t, s, vpcApp, "orders-vpc"), CannotConnect, OutcomeFail, FixCluster)
}

func TestConnectivityVPCBySubnetCIDR(t *testing.T) {
	s, v := vpcConnectivityStore(t)
	for _, c := range []struct {
		source string
		want   Verdict
	}{
		{"10.0.1.0/25", CannotConnect}, // half the instance's subnet: not the whole of it
		{"10.0.0.0/16", CanConnect},
		{"10.0.1.0/24", CanConnect},
	} {
		t.Run(c.source, func(t *testing.T) {
			_, err := s.AuthorizeVPCIngress(ctx, scopeUS, v.cacheSG.GroupID, VPCRule{FromPort: 6379, ToPort: 6379, Source: c.source})
			mustNoErr(t, err, "authorize")
			x := explain(t, s, vpcApp, "orders-vpc")
			if x.Verdict != c.want {
				t.Fatalf("rule from %s: %s, want %s (%s)", c.source, x.Verdict, c.want, x.Checks[3].Detail)
			}
			_, err = s.RevokeVPCIngress(ctx, scopeUS, v.cacheSG.GroupID, VPCRule{FromPort: 6379, ToPort: 6379, Source: c.source})
			mustNoErr(t, err, fmt.Sprintf("revoke %s", c.source))
		})
	}
}
