package models

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Helpers for the cluster, EC2, connectivity and event tests (issue 3).

// delay is the propagation delay openStore configures.
const delay = 10 * time.Second

// instanceGroupRow is one row of the instance/EC2 security group join table.
type instanceGroupRow struct {
	EC2InstanceID      uint
	EC2SecurityGroupID uint
}

// TableName names the join table GORM creates for EC2Instance.SecurityGroups.
func (instanceGroupRow) TableName() string { return "ec2_instance_security_groups" }

// fullSnapshot captures every mutable domain table, so a failed call can be shown to have written
// nothing at all: no cluster, membership, EC2 row or event either.
type fullSnapshot struct {
	Base           snapshot
	Clusters       []CacheCluster
	Memberships    []ClusterMembership
	EC2Groups      []EC2SecurityGroup
	Instances      []EC2Instance
	InstanceGroups []instanceGroupRow
	Events         []Event
}

func takeFullSnapshot(t *testing.T, s *Store) fullSnapshot {
	t.Helper()
	snap := fullSnapshot{Base: takeSnapshot(t, s)}
	for _, dest := range []any{&snap.Clusters, &snap.Memberships, &snap.EC2Groups, &snap.Instances, &snap.Events} {
		if err := s.db.Order("id").Find(dest).Error; err != nil {
			t.Fatalf("snapshot: %v", err)
		}
	}
	if err := s.db.Table("ec2_instance_security_groups").Order("ec2_instance_id, ec2_security_group_id").Find(&snap.InstanceGroups).Error; err != nil {
		t.Fatalf("snapshot join table: %v", err)
	}
	return snap
}

func assertNothingWritten(t *testing.T, s *Store, before fullSnapshot) {
	t.Helper()
	after := takeFullSnapshot(t, s)
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("database changed after a failed call:\nbefore %+v\nafter  %+v", before, after)
	}
}

// classicCluster is a valid one-node memcached EC2-Classic cluster in the given cache security groups.
func classicCluster(id string, groups ...string) NewCluster {
	return NewCluster{ID: id, Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 1, Network: PlatformClassic, CacheSecurityGroups: groups}
}

// testNet is a VPC network a VPC cluster can run in: VPC "prod" (10.0.0.0/16) with a subnet in
// two zones, the cache subnet group "prod-private" of both, and the VPC security group "cache-sg".
type testNet struct {
	VPC         VPC
	Subnets     []VPCSubnet
	SubnetGroup string
	CacheSG     VPCSecurityGroup
}

// ensureTestNet gives the scope the testNet, once: later calls find what the first made.
func ensureTestNet(t testing.TB, s *Store, scope Scope) testNet {
	t.Helper()
	n := testNet{SubnetGroup: "prod-private"}
	if err := s.db.Where("account_id = ? AND region = ? AND name = ? AND NOT is_default", scope.AccountID, scope.Region, "prod").Take(&n.VPC).Error; err == nil {
		mustNoErr(t, s.db.Where("account_id = ? AND region = ? AND vpc_id = ?", scope.AccountID, scope.Region, n.VPC.VpcID).Order("availability_zone").Find(&n.Subnets).Error, "test net subnets")
		mustNoErr(t, s.db.Where("account_id = ? AND region = ? AND vpc_id = ? AND name = ?", scope.AccountID, scope.Region, n.VPC.VpcID, "cache-sg").Take(&n.CacheSG).Error, "test net cache-sg")
		return n
	}
	var err error
	n.VPC, err = s.CreateVPC(ctx, scope, "prod", "10.0.0.0/16")
	mustNoErr(t, err, "CreateVPC prod")
	for i, zone := range AvailabilityZones(scope.Region)[:2] {
		sub, err := s.CreateSubnet(ctx, scope, n.VPC.VpcID, zone, fmt.Sprintf("10.0.%d.0/24", i+1))
		mustNoErr(t, err, "CreateSubnet")
		n.Subnets = append(n.Subnets, sub)
	}
	n.CacheSG, err = s.CreateVPCSecurityGroup(ctx, scope, n.VPC.VpcID, "cache-sg", "Cache clusters")
	mustNoErr(t, err, "CreateVPCSecurityGroup cache-sg")
	_, err = s.CreateSubnetGroup(ctx, scope, NewSubnetGroup{Name: n.SubnetGroup, Description: "Private subnets of prod",
		SubnetIDs: []string{n.Subnets[0].SubnetID, n.Subnets[1].SubnetID}})
	mustNoErr(t, err, "CreateSubnetGroup prod-private")
	return n
}

// vpcCluster is a valid one-node redis VPC cluster in the scope's testNet (made on first use):
// subnet group prod-private, VPC security group cache-sg.
func vpcCluster(t testing.TB, s *Store, scope Scope, id string) NewCluster {
	t.Helper()
	n := ensureTestNet(t, s, scope)
	return NewCluster{ID: id, Engine: "redis", NodeType: "cache.t2.small", NumNodes: 1, Network: PlatformVPC,
		SubnetGroup: n.SubnetGroup, VPCSecurityGroupIDs: []string{n.CacheSG.GroupID}}
}

func mustCluster(t *testing.T, s *Store, scope Scope, n NewCluster) Cluster {
	t.Helper()
	c, err := s.CreateCluster(ctx, scope, n)
	if err != nil {
		t.Fatalf("CreateCluster(%s, %+v): %v", scope.Region, n, err)
	}
	return c
}

func mustGetCluster(t *testing.T, s *Store, scope Scope, id string) Cluster {
	t.Helper()
	c, err := s.GetCluster(ctx, scope, id)
	if err != nil {
		t.Fatalf("GetCluster(%s, %q): %v", scope.Region, id, err)
	}
	return c
}

func mustModify(t *testing.T, s *Store, scope Scope, id string, groups ...string) Cluster {
	t.Helper()
	c, err := s.ModifyClusterSecurityGroups(ctx, scope, id, groups)
	if err != nil {
		t.Fatalf("ModifyClusterSecurityGroups(%s, %q): %v", id, groups, err)
	}
	return c
}

// memberships renders a cluster's cache security groups as "name=status".
func memberships(c Cluster) []string {
	out := []string{}
	for _, g := range c.CacheSecurityGroups {
		out = append(out, g.Name+"="+string(g.Status))
	}
	return out
}

// wantCluster asserts a cluster's status and memberships.
func wantCluster(t *testing.T, c Cluster, status ClusterStatus, groups ...string) {
	t.Helper()
	if groups == nil {
		groups = []string{}
	}
	if c.Status != status || !reflect.DeepEqual(memberships(c), groups) {
		t.Fatalf("cluster %s = %s %q, want %s %q", c.ID, c.Status, memberships(c), status, groups)
	}
}

// clusterIDs returns the IDs of a page's clusters.
func clusterIDs(p ClusterPage) []string {
	out := []string{}
	for _, c := range p.Items {
		out = append(out, c.ID)
	}
	return out
}

func mustListClusters(t *testing.T, s *Store, scope Scope, opts ClusterListOptions) ClusterPage {
	t.Helper()
	p, err := s.ListClusters(ctx, scope, opts)
	if err != nil {
		t.Fatalf("ListClusters(%s, %+v): %v", scope.Region, opts, err)
	}
	return p
}

func mustEC2Group(t *testing.T, s *Store, scope Scope, name string, p Platform) EC2SecurityGroup {
	t.Helper()
	g, err := s.CreateEC2SecurityGroup(ctx, scope, name, name+" tier", p)
	if err != nil {
		t.Fatalf("CreateEC2SecurityGroup(%s, %q, %s): %v", scope.Region, name, p, err)
	}
	return g
}

func mustInstance(t *testing.T, s *Store, scope Scope, id, name string, p Platform, groups ...string) EC2Instance {
	t.Helper()
	i, err := s.CreateEC2Instance(ctx, scope, NewEC2Instance{InstanceID: id, Name: name, Platform: p, SecurityGroups: groups})
	if err != nil {
		t.Fatalf("CreateEC2Instance(%s, %q): %v", scope.Region, id, err)
	}
	return i
}

// eventsOf returns every stored event row of the scope, oldest first.
func eventsOf(t *testing.T, s *Store, scope Scope) []Event {
	t.Helper()
	var rows []Event
	if err := s.db.Where("account_id = ? AND region = ?", scope.AccountID, scope.Region).Order("id").Find(&rows).Error; err != nil {
		t.Fatalf("events: %v", err)
	}
	return rows
}

// eventLine renders an event as "type/source: message (actor)" for compact comparisons.
func eventLine(e Event) string {
	return e.SourceType + "/" + e.SourceID + ": " + e.Message + " (" + e.Actor + ")"
}

func eventLines(events []Event) []string {
	out := []string{}
	for _, e := range events {
		out = append(out, eventLine(e))
	}
	return out
}

// wantNewEvents asserts the events recorded after the first `since` ones, and returns the new count.
func wantNewEvents(t *testing.T, s *Store, scope Scope, since int, want ...string) int {
	t.Helper()
	all := eventsOf(t, s, scope)
	if len(all) < since {
		t.Fatalf("events shrank from %d to %d", since, len(all))
	}
	got := eventLines(all[since:])
	if want == nil {
		want = []string{}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("new events =\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	return len(all)
}

// checkOutcomes renders an explanation's rule outcomes in order.
func checkOutcomes(x Connectivity) []Outcome {
	out := []Outcome{}
	for _, c := range x.Checks {
		out = append(out, c.Outcome)
	}
	return out
}
