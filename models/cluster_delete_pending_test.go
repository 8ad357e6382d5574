package models

import (
	"testing"
	"time"
)

// DeleteCacheCluster and a pending change (PendingModifiedValues) agree with what
// DescribeCacheClusters shows: a change whose window has come is applied first (the cluster is
// modifying while it applies and can't be deleted), and one still waiting for its window is
// discarded with the cluster, which the deletion's event says.
func TestDeleteClusterWithPendingChange(t *testing.T) {
	s, clk := newStore(t)
	for _, id := range []string{"due", "waiting"} {
		mustCluster(t, s, scopeUS, NewCluster{ID: id, Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 2,
			Settings: ClusterSettings{MaintenanceWindow: "sun:05:00-sun:06:00"}})
	}
	clk.Advance(delay)
	three := 3
	c, err := s.ModifyCluster(ctx, scopeUS, "due", ClusterModification{NumNodes: &three})
	mustNoErr(t, err, "ModifyCluster due")
	if c.PendingChange == nil || c.NumNodes != 2 {
		t.Fatalf("modified %+v", c)
	}
	due := c.PendingChange.DueAt
	clk.Advance(delay) // the settings change is done; the nodes wait for the window

	// The window has come: the cluster is modifying while the nodes are added, and says so.
	clk.Set(due.Add(time.Second))
	if got := mustGetCluster(t, s, scopeUS, "due"); got.Status != ClusterModifying || got.NumNodes != 3 || got.PendingChange != nil {
		t.Fatalf("at the window: %s, %d nodes, pending %+v", got.Status, got.NumNodes, got.PendingChange)
	}
	before := takeFullSnapshot(t, s)
	_, err = s.DeleteCluster(ctx, scopeUS, "due")
	wantError(t, err, CodeInvalidCacheClusterState, "Cache cluster due is modifying and can't be deleted now.")
	assertNothingWritten(t, s, before)

	// Once applied it deletes as it is described: three nodes, nothing pending.
	clk.Set(due.Add(delay + time.Second))
	n := len(eventsOf(t, s, scopeUS))
	deleted, err := s.DeleteCluster(ctx, scopeUS, "due")
	mustNoErr(t, err, "DeleteCluster due")
	if deleted.Status != ClusterDeleting || deleted.NumNodes != 3 || deleted.PendingChange != nil {
		t.Fatalf("deleted %s, %d nodes, pending %+v", deleted.Status, deleted.NumNodes, deleted.PendingChange)
	}
	if got := mustGetCluster(t, s, scopeUS, "due"); got.NumNodes != 3 || len(got.Nodes) != 3 || got.PendingChange != nil {
		t.Fatalf("described while deleting: %d nodes %+v, pending %+v", got.NumNodes, got.Nodes, got.PendingChange)
	}
	wantNewEvents(t, s, scopeUS, n, "cache-cluster/due: Cache cluster deleted ()")

	// A change still waiting for its window goes with the cluster.
	c, err = s.ModifyCluster(ctx, scopeUS, "waiting", ClusterModification{NumNodes: &three})
	mustNoErr(t, err, "ModifyCluster waiting")
	if c.PendingChange == nil {
		t.Fatalf("no pending change: %+v", c)
	}
	n = len(eventsOf(t, s, scopeUS))
	deleted, err = s.DeleteCluster(ctx, scopeUS, "waiting")
	mustNoErr(t, err, "DeleteCluster waiting")
	if deleted.NumNodes != 2 || deleted.PendingChange != nil {
		t.Fatalf("deleted %d nodes, pending %+v", deleted.NumNodes, deleted.PendingChange)
	}
	if got := mustGetCluster(t, s, scopeUS, "waiting"); got.Status != ClusterDeleting || got.PendingChange != nil {
		t.Fatalf("described while deleting: %s, pending %+v", got.Status, got.PendingChange)
	}
	wantNewEvents(t, s, scopeUS, n, "cache-cluster/waiting: Cache cluster deleted; pending change discarded (number of nodes to 3) ()")
}
