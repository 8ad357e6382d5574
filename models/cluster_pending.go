package models

import (
	"encoding/json"
	"time"
)

// pendingChange is a change of nodes or engine version asked for without ApplyImmediately: it
// waits for the cluster's next maintenance window, then takes Takes to apply, all derived at read
// time from DueAt like every other status.
type pendingChange struct {
	NumNodes      int           `json:"num_nodes,omitempty"`
	RemoveIDs     []string      `json:"remove,omitempty"`
	EngineVersion string        `json:"engine_version,omitempty"`
	DueAt         time.Time     `json:"due_at"`
	Takes         time.Duration `json:"takes"`
}

func (p pendingChange) empty() bool { return p.NumNodes == 0 && p.EngineVersion == "" }

// pendingOf reads the row's pending change; false when there is none.
func pendingOf(row CacheCluster) (pendingChange, bool) {
	var p pendingChange
	if row.PendingChanges == "" || json.Unmarshal([]byte(row.PendingChanges), &p) != nil || p.empty() {
		return pendingChange{}, false
	}
	return p, true
}

func (p pendingChange) encode() string {
	if p.empty() {
		return ""
	}
	b, _ := json.Marshal(p)
	return string(b)
}

// nextWindowStart is the first start of a weekly maintenance window after t.
func nextWindowStart(window string, t time.Time) time.Time {
	_, start, _, err := ParseMaintenanceWindow(window)
	if err != nil {
		return t
	}
	t = t.UTC()
	weekStart := time.Date(t.Year(), t.Month(), t.Day()-int(t.Weekday()), 0, 0, 0, 0, time.UTC)
	at := weekStart.Add(time.Duration(start) * time.Minute)
	for !at.After(t) {
		at = at.Add(7 * 24 * time.Hour)
	}
	return at
}

// applyChange applies a change of nodes or engine version to the row in memory, as of at:
// new nodes are created, removed ones deleted, and the cluster is modifying, for takes.
func applyChange(row *CacheCluster, p pendingChange, at time.Time, takes time.Duration) {
	done := at.Add(takes)
	row.ModifyingUntil = &done
	if p.EngineVersion != "" {
		row.EngineVersion = p.EngineVersion
		if v, ok := engineVersionOf(row.Engine, p.EngineVersion); ok && row.ParameterGroup != "" {
			if g, err := FindParameterGroup(row.ParameterGroup); err == nil && g.Family != v.Family {
				row.ParameterGroup = "default." + v.Family // a major upgrade moves to the new family's group
			}
		}
	}
	if p.NumNodes == 0 {
		return
	}
	remove := map[string]bool{}
	for _, id := range p.RemoveIDs {
		remove[id] = true
	}
	taken := map[string]bool{}
	for i := range row.Nodes {
		n := &row.Nodes[i]
		if n.StatusAt(at) != "" {
			taken[n.NodeID] = true
		}
		if remove[n.NodeID] && n.RemovingAt == nil {
			n.RemovingAt, n.GoneAt = &at, &done
		}
	}
	// New nodes take the lowest free IDs, as the service does: tools that remove nodes by count
	// (Terraform removes the highest IDs) rely on the IDs staying 0001...N.
	next := 1
	for i := row.NumNodes; i < p.NumNodes; i++ {
		for taken[nodeID(next)] {
			next++
		}
		taken[nodeID(next)] = true
		row.Nodes = append(row.Nodes, CacheNode{ClusterRowID: row.ID, NodeID: nodeID(next), CreatedAt: at, AvailableAt: done})
	}
	row.NumNodes = p.NumNodes
}

// effectiveRow is the row as of now: a pending change whose maintenance window has come is applied.
func effectiveRow(row CacheCluster, now time.Time) (CacheCluster, *pendingChange) {
	p, ok := pendingOf(row)
	if !ok {
		return row, nil
	}
	if now.Before(p.DueAt) {
		return row, &p
	}
	row.Nodes = append([]CacheNode(nil), row.Nodes...)
	if len(row.Nodes) == 0 {
		row.Nodes = legacyNodes(row)
	}
	applyChange(&row, p, p.DueAt, p.Takes)
	row.PendingChanges = ""
	return row, nil
}

// legacyNodes are the nodes of a cluster stored without node rows (before step 3, or seeded in bulk).
func legacyNodes(row CacheCluster) []CacheNode {
	var nodes []CacheNode
	for i := 1; i <= row.NumNodes; i++ {
		nodes = append(nodes, CacheNode{ClusterRowID: row.ID, NodeID: nodeID(i), CreatedAt: row.CreatedAt, AvailableAt: row.AvailableAt})
	}
	return nodes
}
