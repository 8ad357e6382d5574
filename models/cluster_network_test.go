package models

import (
	"strings"
	"testing"
)

// A VPC cluster runs in its subnet group's VPC: CreateCacheCluster and a SecurityGroupIds change in
// ModifyCacheCluster take only VPC security groups of that VPC, and name the ones refused.
func TestClusterNetworkRules(t *testing.T) {
	s, clk := newStore(t)
	net := ensureTestNet(t, s, scopeUS)
	other, err := s.CreateVPC(ctx, scopeUS, "other", "10.9.0.0/16")
	mustNoErr(t, err, "CreateVPC other")
	stray, err := s.CreateVPCSecurityGroup(ctx, scopeUS, other.VpcID, "stray", "Of another VPC")
	mustNoErr(t, err, "stray group")
	west := ensureTestNet(t, s, scopeUSW)
	before := takeFullSnapshot(t, s)

	create := func(subnetGroup string, ids ...string) error {
		_, err := s.CreateCluster(ctx, scopeUS, NewCluster{ID: "orders", Engine: "redis", NodeType: "cache.t2.small", NumNodes: 1,
			SubnetGroup: subnetGroup, VPCSecurityGroupIDs: ids})
		return err
	}
	e := wantError(t, create("nope", net.CacheSG.GroupID), CodeSubnetGroupNotFound, "Cache subnet group nope not found.")
	if e.FieldMessage("subnet_group") != e.Message {
		t.Errorf("fields = %+v", e.Fields)
	}
	// A group of another VPC, one of another region, one that does not exist: each is named.
	const ghost = "sg-0123456789abcdef0"
	e = wantError(t, create("prod-private", net.CacheSG.GroupID, stray.GroupID, west.CacheSG.GroupID, ghost), CodeInvalidParameterValue, "")
	for _, id := range []string{stray.GroupID, west.CacheSG.GroupID, ghost, net.VPC.VpcID} {
		if !strings.Contains(e.Message, id) {
			t.Errorf("message %q does not name %s", e.Message, id)
		}
	}
	if strings.Contains(e.Message, net.CacheSG.GroupID) {
		t.Errorf("message %q names the good group", e.Message)
	}
	if e.FieldMessage("vpc_security_group_ids") != e.Message {
		t.Errorf("fields = %+v", e.Fields)
	}
	assertNothingWritten(t, s, before)

	// The VPC's own groups, and none at all, are fine.
	c := mustCluster(t, s, scopeUS, NewCluster{ID: "orders", Engine: "redis", NodeType: "cache.t2.small", NumNodes: 1,
		SubnetGroup: "Prod-Private", VPCSecurityGroupIDs: []string{net.CacheSG.GroupID}})
	if c.SubnetGroup != "prod-private" || len(c.VPCSecurityGroupIDs) != 1 {
		t.Errorf("created %+v", c)
	}
	mustCluster(t, s, scopeUS, NewCluster{ID: "bare", Engine: "memcached", NodeType: "cache.t2.small", NumNodes: 1, SubnetGroup: "prod-private"})
	clk.Advance(delay)

	// Modify: the same rule against the cluster's subnet group.
	before = takeFullSnapshot(t, s)
	_, err = s.ModifyCluster(ctx, scopeUS, "orders", ClusterModification{SetVPCSecurityGroupIDs: true, VPCSecurityGroupIDs: []string{stray.GroupID}})
	e = wantError(t, err, CodeInvalidParameterValue, "")
	if !strings.Contains(e.Message, stray.GroupID) || e.FieldMessage("vpc_security_group_ids") == "" {
		t.Errorf("modify refusal = %+v", e)
	}
	assertNothingWritten(t, s, before)
	def := mustNetwork(t, s).GroupsOf(net.VPC.VpcID)
	var ids []string
	for _, g := range def {
		ids = append(ids, g.GroupID)
	}
	got, err := s.ModifyCluster(ctx, scopeUS, "orders", ClusterModification{SetVPCSecurityGroupIDs: true, VPCSecurityGroupIDs: ids})
	mustNoErr(t, err, "modify to the VPC's groups")
	if len(got.VPCSecurityGroupIDs) != 2 || got.Status != ClusterModifying {
		t.Errorf("modified %+v", got)
	}
}
