package models

import "testing"

// The demo's default VPC is enough to move a Redis cache into a VPC: a subnet group of its
// subnets and a cluster with vpc-cache, and the demo's VPC instance can connect.
func TestDemoNetworkLetsTheVPCInstanceConnect(t *testing.T) {
	s, clk := newStore(t)
	_, err := s.SeedDemo(ctx, DefaultAccountID)
	mustNoErr(t, err, "SeedDemo")
	n, err := s.GetNetwork(ctx, scopeUS)
	mustNoErr(t, err, "GetNetwork")
	if len(n.VPCs) != 1 || !n.VPCs[0].IsDefault || len(n.SubnetsOf(n.VPCs[0].VpcID)) != 3 {
		t.Fatalf("demo network %+v", n)
	}
	var cache VPCSecurityGroup
	for _, g := range n.Groups {
		if g.Name == "vpc-cache" {
			cache = g
		}
	}
	if len(cache.Rules) != 2 {
		t.Fatalf("vpc-cache = %+v", cache)
	}
	var subnets []string
	for _, sn := range n.Subnets {
		subnets = append(subnets, sn.SubnetID)
	}
	_, err = s.CreateSubnetGroup(ctx, scopeUS, NewSubnetGroup{Name: "migrated", Description: "default VPC", SubnetIDs: subnets})
	mustNoErr(t, err, "CreateSubnetGroup")
	mustCluster(t, s, scopeUS, NewCluster{ID: "sessions-vpc", Engine: "redis", NodeType: "cache.t2.small", NumNodes: 1,
		SubnetGroup: "migrated", VPCSecurityGroupIDs: []string{cache.GroupID}})
	clk.Advance(s.PropagationDelay + 1)
	x, err := s.ExplainConnectivity(ctx, scopeUS, DemoVPCInstance, "sessions-vpc")
	mustNoErr(t, err, "ExplainConnectivity")
	if x.Verdict != CanConnect {
		t.Fatalf("verdict %s: %+v", x.Verdict, x.Checks)
	}
	// The EC2-Classic web-1 can't, whatever the rules.
	x, err = s.ExplainConnectivity(ctx, scopeUS, "i-0a1b2c3d4e5f60001", "sessions-vpc")
	mustNoErr(t, err, "ExplainConnectivity web-1")
	if x.Verdict != CannotConnect {
		t.Fatalf("web-1: %s", x.Verdict)
	}
}
