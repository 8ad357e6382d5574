package models

import (
	"fmt"
	"strings"
	"testing"
)

// redisClassic is an available-to-be one-node Redis EC2-Classic cluster with settings of its own.
func redisClassic(id string) NewCluster {
	limit, minor := 3, false
	return NewCluster{ID: id, Engine: "redis", NodeType: "cache.m1.small", NumNodes: 1, Network: PlatformClassic,
		Settings: ClusterSettings{EngineVersion: "3.2.10", Port: 6380, MaintenanceWindow: "tue:04:00-tue:05:00",
			SnapshotWindow: "06:00-07:00", SnapshotRetentionLimit: &limit, AutoMinorVersionUpgrade: &minor}}
}

func availableRedis(t *testing.T, s *Store, clk *testClock, scope Scope, id string) Cluster {
	t.Helper()
	c := mustCluster(t, s, scope, redisClassic(id))
	clk.Advance(s.PropagationDelay)
	return c
}

// A backup of a Redis cluster is creating (the cluster snapshotting) and then available, holds the
// cluster's settings and nodes, and says so in the events when it is done.
func TestSnapshotCreateThenAvailable(t *testing.T) {
	s, clk := newStore(t)
	availableRedis(t, s, clk, scopeUS, "cache-1")
	sn, err := s.CreateSnapshot(ctx, scopeUS, "Cache-1", "Before-Move", []Tag{{Key: "why", Value: "migration"}})
	mustNoErr(t, err, "CreateSnapshot")
	if sn.Name != "before-move" || sn.Status != SnapshotCreating || sn.ClusterID != "cache-1" || sn.Source != "manual" {
		t.Fatalf("new snapshot: %+v", sn)
	}
	if sn.ARN() != "arn:aws:elasticache:us-east-1:"+DefaultAccountID+":snapshot:before-move" {
		t.Fatalf("ARN %s", sn.ARN())
	}
	if c := mustGetCluster(t, s, scopeUS, "cache-1"); c.Status != ClusterSnapshotting {
		t.Fatalf("cluster while backed up: %s", c.Status)
	}
	_, err = s.ModifyClusterSecurityGroups(ctx, scopeUS, "cache-1", []string{"default"})
	wantError(t, err, CodeInvalidCacheClusterState, "")
	if page, _ := s.ListEvents(ctx, scopeUS, EventQuery{}); len(page.Events) > 0 && strings.Contains(page.Events[0].Message, "Snapshot succeeded") {
		t.Fatalf("the success event shows before the snapshot is done")
	}
	clk.Advance(s.PropagationDelay)
	got, err := s.GetSnapshot(ctx, scopeUS, "BEFORE-MOVE")
	mustNoErr(t, err, "GetSnapshot")
	want := Snapshot{Name: "before-move", ClusterID: "cache-1", Status: SnapshotAvailable, Source: "manual", Engine: "redis",
		EngineVersion: "3.2.10", NodeType: "cache.m1.small", NumNodes: 1, Port: 6380, ParameterGroup: "default.redis3.2",
		MaintenanceWindow: "tue:04:00-tue:05:00", SnapshotWindow: "06:00-07:00", SnapshotRetentionLimit: 3,
		AvailabilityZone: "us-east-1a", OwnerID: DefaultAccountID, Region: "us-east-1"}
	if got.Status != want.Status || got.EngineVersion != want.EngineVersion || got.Port != want.Port || got.ParameterGroup != want.ParameterGroup ||
		got.MaintenanceWindow != want.MaintenanceWindow || got.SnapshotWindow != want.SnapshotWindow || got.SnapshotRetentionLimit != 3 ||
		got.AutoMinorVersionUpgrade || got.AvailabilityZone != want.AvailabilityZone || got.SubnetGroup != "" || got.VPCID != "" ||
		!got.ClusterCreatedAt.Equal(t0) || !got.CreatedAt.Equal(t0.Add(s.PropagationDelay)) {
		t.Fatalf("snapshot:\n got %+v\nwant %+v", got, want)
	}
	if len(got.Nodes) != 1 || got.Nodes[0].CacheNodeID != "0001" || got.Nodes[0].CacheSize != "0 MB" || len(got.Tags) != 1 {
		t.Fatalf("nodes %+v tags %+v", got.Nodes, got.Tags)
	}
	if c := mustGetCluster(t, s, scopeUS, "cache-1"); c.Status != ClusterAvailable {
		t.Fatalf("cluster after the backup: %s", c.Status)
	}
	page, err := s.ListEvents(ctx, scopeUS, EventQuery{})
	mustNoErr(t, err, "ListEvents")
	if page.Events[0].Message != "Snapshot succeeded for snapshot with ID 'before-move' of cache cluster with ID 'cache-1'" {
		t.Fatalf("latest event: %+v", page.Events[0])
	}
}

func TestSnapshotErrors(t *testing.T) {
	s, clk := newStore(t)
	_, err := s.CreateSnapshot(ctx, scopeUS, "nope", "b1", nil)
	wantError(t, err, CodeCacheClusterNotFound, "")
	mustCluster(t, s, scopeUS, redisClassic("young"))
	_, err = s.CreateSnapshot(ctx, scopeUS, "young", "b1", nil)
	wantError(t, err, CodeInvalidCacheClusterState, "")
	mustCluster(t, s, scopeUS, classicCluster("mc"))
	clk.Advance(s.PropagationDelay)
	_, err = s.CreateSnapshot(ctx, scopeUS, "mc", "b1", nil)
	wantError(t, err, CodeSnapshotFeatureNotSupported, "")
	for _, bad := range []string{"1abc", "a_b", "ab-", "a--b", strings.Repeat("a", 256)} {
		_, err = s.CreateSnapshot(ctx, scopeUS, "young", bad, nil)
		if e := wantError(t, err, CodeInvalidParameterValue, ""); e.FieldMessage("snapshot_name") == "" {
			t.Fatalf("%q: no message for the name field: %+v", bad, e)
		}
	}
	_, err = s.CreateSnapshot(ctx, scopeUS, "young", "", nil)
	wantError(t, err, CodeMissingParameter, "")
	_, err = s.CreateSnapshot(ctx, scopeUS, "young", "b1", nil)
	mustNoErr(t, err, "first")
	clk.Advance(s.PropagationDelay)
	_, err = s.CreateSnapshot(ctx, scopeUS, "young", "B1", nil)
	wantError(t, err, CodeSnapshotAlreadyExists, "")
	_, err = s.GetSnapshot(ctx, scopeUS, "nope")
	wantError(t, err, CodeSnapshotNotFound, "")
	_, err = s.DeleteSnapshot(ctx, scopeUS, "nope")
	wantError(t, err, CodeSnapshotNotFound, "")
	_, err = s.ListSnapshots(ctx, scopeUS, SnapshotListOptions{Name: "nope"})
	wantError(t, err, CodeSnapshotNotFound, "")
	_, err = s.ListSnapshots(ctx, scopeUS, SnapshotListOptions{ClusterID: "nope"})
	wantError(t, err, CodeCacheClusterNotFound, "")
	_, err = s.ListSnapshots(ctx, scopeUS, SnapshotListOptions{Source: "weekly"})
	wantError(t, err, CodeInvalidParameterValue, "")
	// The quota: MaxSnapshotsPerRegion snapshots, including b1.
	for i := 2; i <= MaxSnapshotsPerRegion; i++ {
		_, err = s.CreateSnapshot(ctx, scopeUS, "young", fmt.Sprintf("b%d", i), nil)
		mustNoErr(t, err, "create")
		clk.Advance(s.PropagationDelay)
	}
	_, err = s.CreateSnapshot(ctx, scopeUS, "young", "one-too-many", nil)
	wantError(t, err, CodeSnapshotQuotaExceeded, "")
	// Another region has its own.
	availableRedis(t, s, clk, scopeUSW, "west")
	_, err = s.CreateSnapshot(ctx, scopeUSW, "west", "b1", nil)
	mustNoErr(t, err, "other region")
}

// Deleting: a creating snapshot can't be deleted; an available one is deleting, then gone, its
// name free again, its nodes and tags removed with it.
func TestSnapshotDelete(t *testing.T) {
	s, clk := newStore(t)
	availableRedis(t, s, clk, scopeUS, "c1")
	_, err := s.CreateSnapshot(ctx, scopeUS, "c1", "b1", []Tag{{Key: "k", Value: "v"}})
	mustNoErr(t, err, "create")
	_, err = s.DeleteSnapshot(ctx, scopeUS, "b1")
	wantError(t, err, CodeInvalidSnapshotState, "")
	clk.Advance(s.PropagationDelay)
	sn, err := s.DeleteSnapshot(ctx, scopeUS, "B1")
	mustNoErr(t, err, "delete")
	if sn.Status != SnapshotDeleting {
		t.Fatalf("deleted snapshot: %s", sn.Status)
	}
	_, err = s.DeleteSnapshot(ctx, scopeUS, "b1")
	wantError(t, err, CodeInvalidSnapshotState, "")
	page, err := s.ListSnapshots(ctx, scopeUS, SnapshotListOptions{})
	mustNoErr(t, err, "list")
	if len(page.Items) != 1 || page.Items[0].Status != SnapshotDeleting {
		t.Fatalf("while deleting: %+v", page.Items)
	}
	clk.Advance(s.PropagationDelay)
	_, err = s.GetSnapshot(ctx, scopeUS, "b1")
	wantError(t, err, CodeSnapshotNotFound, "")
	_, err = s.ListTags(ctx, scopeUS, sn.ARN())
	wantError(t, err, CodeSnapshotNotFound, "")
	if page, _ := s.ListSnapshots(ctx, scopeUS, SnapshotListOptions{}); len(page.Items) != 0 {
		t.Fatalf("after delete: %+v", page.Items)
	}
	again, err := s.CreateSnapshot(ctx, scopeUS, "c1", "b1", nil)
	mustNoErr(t, err, "the name is free again")
	if len(again.Tags) != 0 {
		t.Fatalf("the new snapshot inherited tags: %+v", again.Tags)
	}
	if n := countRows(t, s, &SnapshotTag{}, ""); n != 0 {
		t.Fatalf("%d tags left", n)
	}
	if n := countRows(t, s, &CacheNodeSnapshot{}, ""); n != 1 {
		t.Fatalf("%d node snapshots, want the new one only", n)
	}
}

// Listing: by name, filtered by cluster (also one deleted since) and source, in pages.
func TestSnapshotList(t *testing.T) {
	s, clk := newStore(t)
	availableRedis(t, s, clk, scopeUS, "a")
	availableRedis(t, s, clk, scopeUS, "b")
	for _, n := range []string{"a3", "a1", "a2"} {
		_, err := s.CreateSnapshot(ctx, scopeUS, "a", n, nil)
		mustNoErr(t, err, n)
		clk.Advance(s.PropagationDelay)
	}
	_, err := s.CreateSnapshot(ctx, scopeUS, "b", "b1", nil)
	mustNoErr(t, err, "b1")
	clk.Advance(s.PropagationDelay)
	names := func(p SnapshotPage) string {
		var out []string
		for _, i := range p.Items {
			out = append(out, i.Name)
		}
		return strings.Join(out, " ") + "|" + p.Next
	}
	for _, c := range []struct {
		opts SnapshotListOptions
		want string
	}{
		{SnapshotListOptions{}, "a1 a2 a3 b1|"},
		{SnapshotListOptions{Limit: 2}, "a1 a2|a2"},
		{SnapshotListOptions{Limit: 2, After: "a2"}, "a3 b1|"},
		{SnapshotListOptions{ClusterID: "B"}, "b1|"},
		{SnapshotListOptions{Name: "A2"}, "a2|"},
		{SnapshotListOptions{Name: "a2", ClusterID: "b"}, "|"},
		{SnapshotListOptions{Source: "user"}, "a1 a2 a3 b1|"},
		{SnapshotListOptions{Source: "system"}, "|"},
	} {
		p, err := s.ListSnapshots(ctx, scopeUS, c.opts)
		mustNoErr(t, err, "list")
		if got := names(p); got != c.want {
			t.Errorf("%+v: %s, want %s", c.opts, got, c.want)
		}
	}
	// A final snapshot outlives its cluster and is still found by the cluster's ID.
	_, err = s.DeleteClusterWithFinalSnapshot(ctx, scopeUS, "b", "b-final", nil)
	mustNoErr(t, err, "delete with final snapshot")
	clk.Advance(s.PropagationDelay)
	p, err := s.ListSnapshots(ctx, scopeUS, SnapshotListOptions{ClusterID: "b"})
	mustNoErr(t, err, "list by deleted cluster")
	if got := names(p); got != "b-final b1|" {
		t.Fatalf("snapshots of the deleted cluster: %s", got)
	}
}

// DeleteCacheCluster's final snapshot: taken in the same transaction, refused with the
// snapshot's faults (the cluster then stays), Memcached not supported.
func TestSnapshotFinalOnDelete(t *testing.T) {
	s, clk := newStore(t)
	availableRedis(t, s, clk, scopeUS, "r1")
	mustCluster(t, s, scopeUS, classicCluster("m1"))
	clk.Advance(s.PropagationDelay)
	_, err := s.DeleteClusterWithFinalSnapshot(ctx, scopeUS, "m1", "m1-final", nil)
	wantError(t, err, CodeSnapshotFeatureNotSupported, "")
	_, err = s.CreateSnapshot(ctx, scopeUS, "r1", "taken", nil)
	mustNoErr(t, err, "create")
	clk.Advance(s.PropagationDelay)
	_, err = s.DeleteClusterWithFinalSnapshot(ctx, scopeUS, "r1", "Taken", nil)
	wantError(t, err, CodeSnapshotAlreadyExists, "")
	_, err = s.DeleteClusterWithFinalSnapshot(ctx, scopeUS, "r1", "bad--name", nil)
	wantError(t, err, CodeInvalidParameterValue, "")
	if c := mustGetCluster(t, s, scopeUS, "r1"); c.Status != ClusterAvailable {
		t.Fatalf("a refused final snapshot changed the cluster: %s", c.Status)
	}
	c, err := s.DeleteClusterWithFinalSnapshot(ctx, scopeUS, "r1", "r1-final", []Tag{{Key: "k", Value: "v"}})
	mustNoErr(t, err, "delete")
	if c.Status != ClusterDeleting {
		t.Fatalf("cluster: %s", c.Status)
	}
	sn, err := s.GetSnapshot(ctx, scopeUS, "r1-final")
	mustNoErr(t, err, "final snapshot")
	if sn.Status != SnapshotCreating || sn.ClusterID != "r1" || len(sn.Tags) != 1 {
		t.Fatalf("final snapshot: %+v", sn)
	}
	clk.Advance(s.PropagationDelay)
	if sn, _ := s.GetSnapshot(ctx, scopeUS, "r1-final"); sn.Status != SnapshotAvailable {
		t.Fatalf("final snapshot later: %s", sn.Status)
	}
	_, err = s.GetCluster(ctx, scopeUS, "r1")
	wantError(t, err, CodeCacheClusterNotFound, "")
	// The quota counts for final snapshots too.
	availableRedis(t, s, clk, scopeUS, "r2")
	for i := 3; i <= MaxSnapshotsPerRegion; i++ {
		_, err := s.CreateSnapshot(ctx, scopeUS, "r2", fmt.Sprintf("s%d", i), nil)
		mustNoErr(t, err, "create")
		clk.Advance(s.PropagationDelay)
	}
	_, err = s.DeleteClusterWithFinalSnapshot(ctx, scopeUS, "r2", "r2-final", nil)
	wantError(t, err, CodeSnapshotQuotaExceeded, "")
}

// The migration path: a backup of an EC2-Classic Redis cluster restored into a subnet group is a
// VPC cluster with the snapshot's settings, unless the request says otherwise.
func TestSnapshotRestoreIntoSubnetGroup(t *testing.T) {
	s, clk := newStore(t)
	vpc, subnets := vpcWithSubnets(t, s, scopeUS, "10.40.0.0/16", 2)
	_, err := s.CreateSubnetGroup(ctx, scopeUS, NewSubnetGroup{Name: "cache-vpc", Description: "d", SubnetIDs: subnets})
	mustNoErr(t, err, "subnet group")
	availableRedis(t, s, clk, scopeUS, "classic")
	restore := NewCluster{ID: "in-vpc", SubnetGroup: "cache-vpc", SnapshotName: "move"}
	_, err = s.CreateCluster(ctx, scopeUS, restore)
	wantError(t, err, CodeSnapshotNotFound, "")
	_, err = s.CreateSnapshot(ctx, scopeUS, "classic", "move", nil)
	mustNoErr(t, err, "backup")
	_, err = s.CreateCluster(ctx, scopeUS, restore)
	wantError(t, err, CodeInvalidSnapshotState, "")
	clk.Advance(s.PropagationDelay)
	wrong := restore
	wrong.Engine = "memcached"
	_, err = s.CreateCluster(ctx, scopeUS, wrong)
	wantError(t, err, CodeInvalidParameterCombination, "")
	older := restore
	older.Settings.EngineVersion = "2.8.24"
	_, err = s.CreateCluster(ctx, scopeUS, older)
	wantError(t, err, CodeInvalidParameterValue, "")
	// Into a subnet group the account does not hold, or with a VPC security group of another VPC: refused.
	nowhere := restore
	nowhere.SubnetGroup = "no-such-group"
	_, err = s.CreateCluster(ctx, scopeUS, nowhere)
	wantError(t, err, CodeSubnetGroupNotFound, "Cache subnet group no-such-group not found.")
	other, _ := vpcWithSubnets(t, s, scopeUS, "10.41.0.0/16", 1)
	foreign, err := s.CreateVPCSecurityGroup(ctx, scopeUS, other.VpcID, "elsewhere", "another VPC's group")
	mustNoErr(t, err, "VPC security group")
	elsewhere := restore
	elsewhere.VPCSecurityGroupIDs = []string{foreign.GroupID}
	_, err = s.CreateCluster(ctx, scopeUS, elsewhere)
	if e := wantError(t, err, CodeInvalidParameterValue, ""); len(e.Fields) != 1 || e.Fields[0].Field != "vpc_security_group_ids" {
		t.Fatalf("fields %+v", e.Fields)
	}
	c, err := s.CreateCluster(ctx, scopeUS, restore)
	mustNoErr(t, err, "restore")
	if c.Network != PlatformVPC || c.SubnetGroup != "cache-vpc" || c.Engine != "redis" || c.EngineVersion != "3.2.10" ||
		c.NodeType != "cache.m1.small" || c.NumNodes != 1 || c.PortNumber != 6380 || c.ParameterGroup != "default.redis3.2" ||
		c.MaintenanceWindow != "tue:04:00-tue:05:00" || c.SnapshotWindow != "06:00-07:00" || c.SnapshotRetentionLimit != 3 ||
		c.AutoMinorVersionUpgrade || c.Status != ClusterCreating {
		t.Fatalf("restored cluster: %+v", c)
	}
	sg, err := s.GetSubnetGroup(ctx, scopeUS, "cache-vpc")
	mustNoErr(t, err, "subnet group")
	if sg.VpcID != vpc.VpcID {
		t.Fatalf("VPC %s, want %s", sg.VpcID, vpc.VpcID)
	}
	var restored bool
	for _, e := range eventsOf(t, s, scopeUS) {
		restored = restored || (e.SourceID == "in-vpc" && e.Message == "Restored from snapshot 'move'")
	}
	if !restored {
		t.Fatalf("no restore event: %v", eventLines(eventsOf(t, s, scopeUS)))
	}
	// Settings given win over the snapshot's; a backup of the VPC cluster records its VPC.
	port := restore
	port.ID, port.Settings.Port, port.Settings.EngineVersion = "newer", 7000, "6.2"
	c, err = s.CreateCluster(ctx, scopeUS, port)
	mustNoErr(t, err, "restore with settings")
	if c.PortNumber != 7000 || c.EngineVersion != "6.2.6" || c.ParameterGroup != "default.redis6.x" {
		t.Fatalf("restore with settings: port %d version %s group %s", c.PortNumber, c.EngineVersion, c.ParameterGroup)
	}
	clk.Advance(s.PropagationDelay)
	vsn, err := s.CreateSnapshot(ctx, scopeUS, "in-vpc", "vpc-backup", nil)
	mustNoErr(t, err, "backup of the VPC cluster")
	if vsn.SubnetGroup != "cache-vpc" || vsn.VPCID != vpc.VpcID {
		t.Fatalf("VPC snapshot: %+v", vsn)
	}
}

// Another account's snapshots do not exist for this one: not listed, not found, not deletable,
// not restorable, and their ARNs are not found.
func TestSnapshotIsolation(t *testing.T) {
	s, clk := newStore(t)
	other := Scope{AccountID: otherAccountID, Region: "us-east-1"}
	_, err := s.EnsureAccount(ctx, otherAccountID)
	mustNoErr(t, err, "other account")
	availableRedis(t, s, clk, scopeUS, "mine")
	sn, err := s.CreateSnapshot(ctx, scopeUS, "mine", "secret", nil)
	mustNoErr(t, err, "create")
	clk.Advance(s.PropagationDelay)
	_, err = s.GetSnapshot(ctx, other, "secret")
	wantError(t, err, CodeSnapshotNotFound, "")
	_, err = s.DeleteSnapshot(ctx, other, "secret")
	wantError(t, err, CodeSnapshotNotFound, "")
	_, err = s.CreateSnapshot(ctx, other, "mine", "x", nil)
	wantError(t, err, CodeCacheClusterNotFound, "")
	if p, _ := s.ListSnapshots(ctx, other, SnapshotListOptions{}); len(p.Items) != 0 {
		t.Fatalf("other account lists %+v", p.Items)
	}
	_, err = s.CreateCluster(ctx, other, NewCluster{ID: "stolen", SnapshotName: "secret"})
	wantError(t, err, CodeSnapshotNotFound, "")
	otherARN := strings.Replace(sn.ARN(), DefaultAccountID, otherAccountID, 1)
	_, err = s.ListTags(ctx, scopeUS, otherARN)
	wantError(t, err, CodeSnapshotNotFound, "")
	// The account's own ARN takes tags.
	tags, err := s.AddTags(ctx, scopeUS, sn.ARN(), []Tag{{Key: "team", Value: "cache"}})
	mustNoErr(t, err, "AddTags")
	if len(tags) != 1 {
		t.Fatalf("tags: %+v", tags)
	}
	if got, _ := s.GetSnapshot(ctx, scopeUS, "secret"); len(got.Tags) != 1 {
		t.Fatalf("snapshot tags: %+v", got.Tags)
	}
	tags, err = s.RemoveTags(ctx, scopeUS, sn.ARN(), []string{"team"})
	mustNoErr(t, err, "RemoveTags")
	if len(tags) != 0 {
		t.Fatalf("after remove: %+v", tags)
	}
}

// A sandbox reset removes the account's snapshots.
func TestSnapshotGoneWithSandboxReset(t *testing.T) {
	s, clk := newStore(t)
	availableRedis(t, s, clk, scopeUS, "c")
	_, err := s.CreateSnapshot(ctx, scopeUS, "c", "b", []Tag{{Key: "k", Value: "v"}})
	mustNoErr(t, err, "create")
	mustNoErr(t, s.ResetSandbox(ctx, DefaultAccountID, nil), "reset")
	for _, m := range []any{&CacheSnapshot{}, &CacheNodeSnapshot{}, &SnapshotTag{}} {
		if n := countRows(t, s, m, ""); n != 0 {
			t.Fatalf("%T: %d rows after the reset", m, n)
		}
	}
}
