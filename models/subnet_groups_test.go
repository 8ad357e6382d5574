package models

import (
	"fmt"
	"strings"
	"testing"
)

// vpcWithSubnets makes a VPC with n /24 subnets in the region's zones.
func vpcWithSubnets(t *testing.T, s *Store, scope Scope, cidr string, n int) (VPC, []string) {
	t.Helper()
	v, err := s.CreateVPC(ctx, scope, "v", cidr)
	mustNoErr(t, err, "CreateVPC")
	prefix := strings.TrimSuffix(cidr, ".0.0/16")
	var ids []string
	for i := 0; i < n; i++ {
		sn, err := s.CreateSubnet(ctx, scope, v.VpcID, AvailabilityZones(scope.Region)[i%3], fmt.Sprintf("%s.%d.0/24", prefix, i))
		mustNoErr(t, err, "CreateSubnet")
		ids = append(ids, sn.SubnetID)
	}
	return v, ids
}

func TestSubnetGroupLifecycle(t *testing.T) {
	s, _ := newStore(t)
	v, subnets := vpcWithSubnets(t, s, scopeUS, "10.0.0.0/16", 3)
	_, others := vpcWithSubnets(t, s, scopeUS, "10.9.0.0/16", 1)

	g, err := s.CreateSubnetGroup(ctx, scopeUS, NewSubnetGroup{Name: "Prod-Private", Description: "Private subnets", SubnetIDs: subnets[:2]})
	mustNoErr(t, err, "CreateSubnetGroup")
	if g.Name != "prod-private" || g.VpcID != v.VpcID || len(g.Subnets) != 2 || g.Subnets[0].AvailabilityZone != "us-east-1a" {
		t.Fatalf("group = %+v", g)
	}
	_, err = s.CreateSubnetGroup(ctx, scopeUS, NewSubnetGroup{Name: "prod-private", Description: "x", SubnetIDs: subnets[:1]})
	wantError(t, err, CodeSubnetGroupAlreadyExists, "Cache subnet group prod-private already exists.")
	_, err = s.CreateSubnetGroup(ctx, scopeUS, NewSubnetGroup{Name: "mixed", Description: "x", SubnetIDs: []string{subnets[0], others[0]}})
	wantError(t, err, CodeInvalidSubnet, "")
	_, err = s.CreateSubnetGroup(ctx, scopeUS, NewSubnetGroup{Name: "ghost", Description: "x", SubnetIDs: []string{"subnet-0123456789abcdef0"}})
	wantError(t, err, CodeInvalidSubnet, "The subnet ID subnet-0123456789abcdef0 does not exist.")
	_, err = s.CreateSubnetGroup(ctx, scopeUS, NewSubnetGroup{Name: "1st", Description: "x", SubnetIDs: subnets[:1]})
	wantError(t, err, CodeInvalidParameterValue, "")
	if _, err := s.GetSubnetGroup(ctx, scopeUSW, "prod-private"); !HasCode(err, CodeSubnetGroupNotFound) {
		t.Fatalf("another region sees the group: %v", err)
	}

	desc := "All private subnets"
	g, err = s.ModifySubnetGroup(ctx, scopeUS, "prod-private", &desc, subnets)
	mustNoErr(t, err, "ModifySubnetGroup")
	if g.Description != desc || len(g.Subnets) != 3 {
		t.Fatalf("modified group = %+v", g)
	}
	_, err = s.ModifySubnetGroup(ctx, scopeUS, "prod-private", nil, others)
	wantError(t, err, CodeInvalidSubnet, "")
	_, err = s.ModifySubnetGroup(ctx, scopeUS, "nope", &desc, nil)
	wantError(t, err, CodeSubnetGroupNotFound, "")

	// A cluster placed in the group keeps it, and its subnets, in place.
	_, err = s.CreateCluster(ctx, scopeUS, NewCluster{ID: "orders", Engine: "redis", NodeType: "cache.t2.small", NumNodes: 1, SubnetGroup: "prod-private"})
	mustNoErr(t, err, "CreateCluster")
	_, err = s.ModifySubnetGroup(ctx, scopeUS, "prod-private", nil, subnets[:1])
	wantError(t, err, CodeSubnetInUse, "")
	err = s.DeleteSubnetGroup(ctx, scopeUS, "prod-private")
	wantError(t, err, CodeSubnetGroupInUse, "Cache subnet group prod-private is currently in use by cache cluster(s): orders.")
	err = s.DeleteSubnet(ctx, scopeUS, subnets[0])
	wantError(t, err, CodeDependencyViolation, "")

	page, err := s.ListSubnetGroups(ctx, scopeUS, "", 100)
	mustNoErr(t, err, "ListSubnetGroups")
	if len(page.Items) != 1 || strings.Join(page.Items[0].Clusters, ",") != "orders" {
		t.Fatalf("page = %+v", page)
	}
}

func TestSubnetGroupDeleteAndPaging(t *testing.T) {
	s, _ := newStore(t)
	_, subnets := vpcWithSubnets(t, s, scopeUS, "10.0.0.0/16", 1)
	for _, name := range []string{"c", "a", "b"} {
		_, err := s.CreateSubnetGroup(ctx, scopeUS, NewSubnetGroup{Name: name, Description: name, SubnetIDs: subnets})
		mustNoErr(t, err, "CreateSubnetGroup")
	}
	first, err := s.ListSubnetGroups(ctx, scopeUS, "", 2)
	mustNoErr(t, err, "ListSubnetGroups")
	rest, err := s.ListSubnetGroups(ctx, scopeUS, first.Next, 2)
	mustNoErr(t, err, "ListSubnetGroups page 2")
	if len(first.Items) != 2 || first.Items[0].Name != "a" || first.Next != "b" || len(rest.Items) != 1 || rest.Items[0].Name != "c" || rest.Next != "" {
		t.Fatalf("pages %+v / %+v", first, rest)
	}
	mustNoErr(t, s.DeleteSubnetGroup(ctx, scopeUS, "B"), "DeleteSubnetGroup")
	wantError(t, s.DeleteSubnetGroup(ctx, scopeUS, "b"), CodeSubnetGroupNotFound, "Cache subnet group b not found.")
}

func TestSubnetGroupQuotas(t *testing.T) {
	s, _ := newStore(t)
	_, subnets := vpcWithSubnets(t, s, scopeUS, "10.0.0.0/16", MaxSubnetsPerSubnetGroup+1)
	_, err := s.CreateSubnetGroup(ctx, scopeUS, NewSubnetGroup{Name: "wide", Description: "x", SubnetIDs: subnets})
	wantError(t, err, CodeSubnetQuota, "")
	for i := 0; i < MaxSubnetGroups; i++ {
		mustNoErr(t, s.db.Create(&CacheSubnetGroup{AccountID: scopeUS.AccountID, Region: scopeUS.Region, Name: fmt.Sprintf("g%d", i), VpcID: "vpc-x", SubnetIDs: subnets[0]}).Error, "insert")
	}
	_, err = s.CreateSubnetGroup(ctx, scopeUS, NewSubnetGroup{Name: "one-more", Description: "x", SubnetIDs: subnets[:1]})
	wantError(t, err, CodeSubnetGroupQuota, "")
}

func TestClusterNetworkChecks(t *testing.T) {
	s, _ := newStore(t)
	v, subnets := vpcWithSubnets(t, s, scopeUS, "10.0.0.0/16", 1)
	other, _ := vpcWithSubnets(t, s, scopeUS, "10.9.0.0/16", 1)
	_, err := s.CreateSubnetGroup(ctx, scopeUS, NewSubnetGroup{Name: "prod", Description: "x", SubnetIDs: subnets})
	mustNoErr(t, err, "CreateSubnetGroup")
	mine, err := s.CreateVPCSecurityGroup(ctx, scopeUS, v.VpcID, "cache", "x")
	mustNoErr(t, err, "CreateVPCSecurityGroup")
	foreign, err := s.CreateVPCSecurityGroup(ctx, scopeUS, other.VpcID, "cache", "x")
	mustNoErr(t, err, "CreateVPCSecurityGroup")
	db := s.db.WithContext(ctx)
	mustNoErr(t, CheckClusterNetwork(db, scopeUS, "PROD", []string{mine.GroupID}), "CheckClusterNetwork")
	wantError(t, CheckClusterNetwork(db, scopeUS, "nope", nil), CodeSubnetGroupNotFound, "Cache subnet group nope not found.")
	wantError(t, CheckClusterNetwork(db, scopeUSW, "prod", nil), CodeSubnetGroupNotFound, "")
	e := wantError(t, CheckClusterNetwork(db, scopeUS, "prod", []string{mine.GroupID, foreign.GroupID}), CodeInvalidParameterValue, "")
	if !strings.Contains(e.Message, foreign.GroupID) || strings.Contains(e.Message, mine.GroupID) {
		t.Fatalf("message %q should name only %s", e.Message, foreign.GroupID)
	}
}
