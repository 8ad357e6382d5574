package models

import (
	"testing"
	"time"
)

func nodeIDs(c Cluster) string {
	var out string
	for _, n := range c.Nodes {
		out += n.ID + "=" + n.Status + " "
	}
	return out
}

func TestMigrateStep3GivesExistingClustersTheirNodes(t *testing.T) {
	path := emptyPath(t)
	previousRelease(t, path, true)
	created := time.Date(2022, 8, 1, 12, 0, 0, 0, time.UTC)
	old := cacheClusterV1{AccountID: DefaultAccountID, Region: "us-east-1", ClusterID: "legacy", Engine: "memcached", EngineVersion: "1.4.34",
		NodeType: "cache.m1.small", NumNodes: 3, Network: PlatformClassic, CreatedAt: created, AvailableAt: created}
	if err := rawDB(t, path).Create(&old).Error; err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	s.Now = func() time.Time { return t0 }
	c, err := s.GetCluster(ctx, scopeUS, "legacy")
	if err != nil {
		t.Fatal(err)
	}
	if got := nodeIDs(c); got != "0001=available 0002=available 0003=available " {
		t.Fatalf("nodes of a cluster from before step 3: %s", got)
	}
	if c.Port() != 11211 || c.ParameterGroup != "default.memcached1.4" || !c.AutoMinorVersionUpgrade || c.MaintenanceWindow == "" {
		t.Fatalf("defaults of a cluster from before step 3: port %d, group %s, minor %v, window %q", c.Port(), c.ParameterGroup, c.AutoMinorVersionUpgrade, c.MaintenanceWindow)
	}
	if n := countRows(t, s, &CacheNode{}, "cluster_row_id = ?", old.ID); n != 3 {
		t.Fatalf("%d node rows stored, want 3", n)
	}
}

func TestMaintenanceWindowRules(t *testing.T) {
	for _, tc := range []struct {
		window string
		ok     bool
	}{
		{"sun:05:00-sun:06:00", true},
		{"SAT:23:30-sun:00:30", true}, // wraps into the next week
		{"mon:00:00-tue:00:00", true},
		{"mon:00:00-tue:00:01", false}, // over 24 hours
		{"sun:05:00-sun:05:59", false},
		{"sun:24:00-mon:01:00", false},
		{"sun:05:00", false},
	} {
		t.Run(tc.window, func(t *testing.T) {
			_, _, _, err := ParseMaintenanceWindow(tc.window)
			if (err == nil) != tc.ok {
				t.Fatalf("ParseMaintenanceWindow(%q) = %v, want ok=%v", tc.window, err, tc.ok)
			}
		})
	}
	// 2022-06-01 was a Wednesday: the next Sunday 05:00 is June 5.
	wed := time.Date(2022, 6, 1, 12, 0, 0, 0, time.UTC)
	if got := nextWindowStart("sun:05:00-sun:06:00", wed); !got.Equal(time.Date(2022, 6, 5, 5, 0, 0, 0, time.UTC)) {
		t.Fatalf("next window after %v: %v", wed, got)
	}
	if got := nextWindowStart("wed:12:00-wed:13:00", wed); !got.Equal(wed.Add(7 * 24 * time.Hour)) {
		t.Fatalf("a window starting now is next week's: %v", got)
	}
}

func TestPendingChangeAppliesAtTheMaintenanceWindow(t *testing.T) {
	s, clk := newStore(t)
	_, err := s.CreateCluster(ctx, scopeUS, NewCluster{ID: "web", NodeType: "cache.m1.small", NumNodes: 1,
		Settings: ClusterSettings{MaintenanceWindow: "sun:05:00-sun:06:00"}})
	mustNoErr(t, err, "create")
	clk.Advance(s.PropagationDelay)
	three := 3
	c, err := s.ModifyCluster(ctx, scopeUS, "web", ClusterModification{NumNodes: &three})
	mustNoErr(t, err, "modify")
	due := nextWindowStart("sun:05:00-sun:06:00", clk.Now())
	if c.Status != ClusterAvailable || c.NumNodes != 1 || c.PendingChange == nil || c.PendingChange.NumNodes != 3 || !c.PendingChange.DueAt.Equal(due) {
		t.Fatalf("pending: %s, %d nodes, %+v", c.Status, c.NumNodes, c.PendingChange)
	}
	for _, step := range []struct {
		at     time.Time
		status ClusterStatus
		nodes  string
	}{
		{due.Add(-time.Second), ClusterAvailable, "0001=available "},
		{due, ClusterModifying, "0001=available 0002=creating 0003=creating "},
		{due.Add(s.PropagationDelay), ClusterAvailable, "0001=available 0002=available 0003=available "},
	} {
		clk.Set(step.at)
		c, err := s.GetCluster(ctx, scopeUS, "web")
		mustNoErr(t, err, "get")
		if c.Status != step.status || nodeIDs(c) != step.nodes {
			t.Fatalf("at %v: %s, nodes %s; want %s, %s", step.at, c.Status, nodeIDs(c), step.status, step.nodes)
		}
	}
	// The next write stores what the window applied.
	two := 2
	_, err = s.ModifyCluster(ctx, scopeUS, "web", ClusterModification{NumNodes: &two, NodeIDsToRemove: []string{"0002"}, ApplyImmediately: true})
	mustNoErr(t, err, "modify after the window")
	if n := countRows(t, s, &CacheNode{}, "removing_at IS NULL"); n != 2 {
		t.Fatalf("%d nodes not being removed, want 2", n)
	}
	if n := countRows(t, s, &CacheCluster{}, "num_nodes = 2 AND pending_changes = ''"); n != 1 {
		t.Fatalf("the applied change was not stored: %d rows", n)
	}
}
