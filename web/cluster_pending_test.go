package web

import (
	"context"
	"net/http"
	"testing"
	"time"

	"sgconsole/models"
)

// A change of nodes and engine version made without ApplyImmediately (through the API, say) shows
// on the cluster's page under "Pending changes", with the maintenance window it waits for, and is
// gone once the window has come and the change applied.
func TestClusterPageShowsPendingChanges(t *testing.T) {
	cs := newConsole(t, false)
	ctx := context.Background()
	us := scopeOf("us-east-1")
	_, err := cs.store.CreateCluster(ctx, us, models.NewCluster{ID: "queue", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 3,
		Settings: models.ClusterSettings{EngineVersion: "1.4.24", MaintenanceWindow: "sun:05:00-sun:06:00"}})
	if err != nil {
		t.Fatal(err)
	}
	cs.clock.Advance(propagationDelay)
	c := cs.signedIn(t)
	page := c.get("/clusters/queue?region=us-east-1").wantStatus(http.StatusOK)
	page.wantAbsent(testid("cluster-pending"))

	two := 2
	changed, err := cs.store.ModifyCluster(ctx, us, "queue", models.ClusterModification{NumNodes: &two, NodeIDsToRemove: []string{"0002"}, EngineVersion: "1.4.34"})
	if err != nil {
		t.Fatal(err)
	}
	if changed.PendingChange == nil {
		t.Fatal("the change did not wait for the window")
	}
	page = c.get("/clusters/queue?region=us-east-1").wantStatus(http.StatusOK)
	page.wantText(testid("cluster-pending")+" h2", "Pending changes")
	page.wantText(testid("pending-nodes"), "3 → 2")
	page.wantText(testid("pending-remove"), "0002")
	page.wantText(testid("pending-engine-version"), "1.4.24 → 1.4.34")
	page.wantText(testid("pending-when"), "next maintenance window (sun:05:00-sun:06:00 UTC)")
	page.wantText(testid("pending-when"), changed.PendingChange.DueAt.UTC().Format("January 2, 2006, 15:04:05"))
	page.wantText(testid("detail-nodes"), "3") // still running as it is
	page.wantText(testid("detail-engine-version"), "1.4.24")

	// The window comes: the change applies, nothing is pending any more.
	cs.clock.Advance(changed.PendingChange.DueAt.Sub(cs.clock.Now()) + propagationDelay + time.Second)
	c = cs.signedIn(t) // days later: a new session
	page = c.get("/clusters/queue?region=us-east-1").wantStatus(http.StatusOK)
	page.wantAbsent(testid("cluster-pending"))
	page.wantText(testid("detail-nodes"), "2")
	page.wantText(testid("detail-engine-version"), "1.4.34")
}
