package models

import (
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
)

// CacheNode is one node of a cluster; its status, like the cluster's, derives from timestamps.
type CacheNode struct {
	ID           uint      `gorm:"primaryKey"`
	ClusterRowID uint      `gorm:"not null;index:idx_cache_node_cluster_node,unique"`
	NodeID       string    `gorm:"size:4;not null;index:idx_cache_node_cluster_node,unique"` // 0001, 0002, ...
	CreatedAt    time.Time `gorm:"not null"`
	AvailableAt  time.Time `gorm:"not null"` // creating until then
	RemovingAt   *time.Time
	GoneAt       *time.Time // deleting from RemovingAt until then
}

// TableName keeps the schema explicit.
func (CacheNode) TableName() string { return "cache_nodes" }

// StatusAt derives the node's CacheNodeStatus; empty once the node is gone.
func (n CacheNode) StatusAt(now time.Time) string {
	switch {
	case n.GoneAt != nil && !now.Before(*n.GoneAt):
		return ""
	case n.RemovingAt != nil:
		return "deleting"
	case now.Before(n.AvailableAt):
		return "creating"
	}
	return "available"
}

// ClusterNode is a node as the console and the API describe it.
type ClusterNode struct {
	ID               string
	Status           string
	CreatedAt        time.Time
	Address          string
	Port             int
	AvailabilityZone string
}

// nodeID writes the n-th node's ID as the service does.
func nodeID(n int) string { return fmt.Sprintf("%04d", n) }

// createNodes adds count nodes after the highest node ID the row holds (0001... for a new cluster).
func createNodes(tx *gorm.DB, row CacheCluster, count int, now, ready time.Time) error {
	highest := 0
	for _, n := range row.Nodes {
		highest = max(highest, atoi(n.NodeID))
	}
	for i := 1; i <= count; i++ {
		node := CacheNode{ClusterRowID: row.ID, NodeID: nodeID(highest + i), CreatedAt: now, AvailableAt: ready}
		if err := tx.Create(&node).Error; err != nil {
			return err
		}
	}
	return nil
}

// describeNodes lists the cluster's nodes that are not gone, by ID. A cluster from before nodes
// were stored gets its nodes 0001... as of its creation.
func describeNodes(row CacheCluster, c Cluster, now time.Time) []ClusterNode {
	nodes := row.Nodes
	if len(nodes) == 0 {
		for i := 1; i <= row.NumNodes; i++ {
			nodes = append(nodes, CacheNode{NodeID: nodeID(i), CreatedAt: row.CreatedAt, AvailableAt: row.AvailableAt})
		}
	}
	out := []ClusterNode{}
	for _, n := range nodes {
		st := n.StatusAt(now)
		if st == "" {
			continue
		}
		if c.Status == ClusterCreating || c.Status == ClusterDeleting {
			st = string(c.Status)
		}
		out = append(out, ClusterNode{ID: n.NodeID, Status: st, CreatedAt: n.CreatedAt, Port: c.PortNumber,
			Address:          fmt.Sprintf("%s.%s.%s.%s.cache.amazonaws.com", c.ID, c.hash, n.NodeID, ShortRegion(c.Region)),
			AvailabilityZone: c.AvailabilityZone})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ConfigurationEndpoint is a Memcached cluster's address for auto discovery; Redis has none.
func (c Cluster) ConfigurationEndpoint() (string, bool) {
	if c.Engine != "memcached" {
		return "", false
	}
	return fmt.Sprintf("%s.%s.cfg.%s.cache.amazonaws.com", c.ID, c.hash, ShortRegion(c.Region)), true
}

// loadClusterParts reads the nodes and tags of the view's clusters (rows, a subquery of their IDs).
func (v *scopeView) loadClusterParts(db *gorm.DB, rows *gorm.DB, byRow map[uint]int) error {
	var nodes []CacheNode
	if err := db.Where("cluster_row_id IN (?)", rows).Order("node_id").Find(&nodes).Error; err != nil {
		return wrap("load cache nodes", err)
	}
	for _, n := range nodes {
		if ci, ok := byRow[n.ClusterRowID]; ok {
			v.clusters[ci].Nodes = append(v.clusters[ci].Nodes, n)
		}
	}
	var tags []ClusterTag
	if err := db.Where("cluster_row_id IN (?)", rows).Order("key").Find(&tags).Error; err != nil {
		return wrap("load cluster tags", err)
	}
	for _, t := range tags {
		if ci, ok := byRow[t.ClusterRowID]; ok {
			v.clusters[ci].Tags = append(v.clusters[ci].Tags, t)
		}
	}
	return nil
}

// dueTimes are the moments the cluster's derived statuses change by themselves, beyond its own
// creation and deletion: the end of a modification and its nodes' changes.
func (c *CacheCluster) dueTimes() []*time.Time {
	times := []*time.Time{c.ModifyingUntil, c.SnapshottingUntil}
	if p, ok := pendingOf(*c); ok {
		applied := p.DueAt.Add(p.Takes)
		times = append(times, &p.DueAt, &applied)
	}
	for i := range c.Nodes {
		times = append(times, &c.Nodes[i].AvailableAt, c.Nodes[i].GoneAt)
	}
	return times
}
