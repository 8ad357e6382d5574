package models

import (
	"time"

	"gorm.io/gorm"
)

// cacheClusterV1 is cache_clusters as step 1 made it, frozen so the columns step 3 adds to
// CacheCluster are not created by step 1 first.
type cacheClusterV1 struct {
	ID                  uint      `gorm:"primaryKey"`
	AccountID           string    `gorm:"size:12;not null;index:idx_cluster_scope_id,unique"`
	Region              string    `gorm:"size:32;not null;index:idx_cluster_scope_id,unique"`
	ClusterID           string    `gorm:"size:50;not null;index:idx_cluster_scope_id,unique"`
	Engine              string    `gorm:"size:16;not null"`
	EngineVersion       string    `gorm:"size:16;not null"`
	NodeType            string    `gorm:"size:32;not null"`
	NumNodes            int       `gorm:"not null"`
	Network             Platform  `gorm:"size:16;not null"`
	SubnetGroup         string    `gorm:"size:255"`
	VPCSecurityGroupIDs string    `gorm:"size:1024"`
	CreatedAt           time.Time `gorm:"not null"`
	AvailableAt         time.Time `gorm:"not null"`
	DeletingAt          *time.Time
	GoneAt              *time.Time
	Memberships         []ClusterMembership `gorm:"foreignKey:ClusterRowID;constraint:OnDelete:CASCADE"`
}

func (cacheClusterV1) TableName() string { return "cache_clusters" }

// cacheNodeV3 and clusterTagV3 are the tables as step 3 makes them, each with a foreign key that
// deletes its rows with their cluster (sandbox resets and account deletes remove clusters by SQL).
type cacheNodeV3 struct {
	ID           uint           `gorm:"primaryKey"`
	ClusterRowID uint           `gorm:"not null;index:idx_cache_node_cluster_node,unique"`
	NodeID       string         `gorm:"size:4;not null;index:idx_cache_node_cluster_node,unique"`
	CreatedAt    time.Time      `gorm:"not null"`
	AvailableAt  time.Time      `gorm:"not null"`
	RemovingAt   *time.Time     //
	GoneAt       *time.Time     //
	Cluster      cacheClusterV1 `gorm:"foreignKey:ClusterRowID;constraint:OnDelete:CASCADE"`
}

func (cacheNodeV3) TableName() string { return "cache_nodes" }

type clusterTagV3 struct {
	ID           uint           `gorm:"primaryKey"`
	ClusterRowID uint           `gorm:"not null;index:idx_cluster_tag_key,unique"`
	Key          string         `gorm:"size:128;not null;index:idx_cluster_tag_key,unique"`
	Value        string         `gorm:"size:256;not null"`
	Cluster      cacheClusterV1 `gorm:"foreignKey:ClusterRowID;constraint:OnDelete:CASCADE"`
}

func (clusterTagV3) TableName() string { return "cluster_tags" }

// migrateStep3 adds the cluster settings real tools send (port, parameter group, windows,
// snapshots, minor upgrades, zone), pending changes, and the nodes and tags of clusters. Existing
// clusters get their nodes 0001... as of their creation.
func migrateStep3(tx *gorm.DB) error {
	timestamp := "DATETIME"
	if tx.Dialector.Name() == "postgres" {
		timestamp = "TIMESTAMPTZ"
	}
	for _, column := range []string{
		"port INTEGER NOT NULL DEFAULT 0",
		"parameter_group VARCHAR(255) NOT NULL DEFAULT ''",
		"maintenance_window VARCHAR(32) NOT NULL DEFAULT ''",
		"snapshot_retention_limit INTEGER NOT NULL DEFAULT 0",
		"snapshot_window VARCHAR(16) NOT NULL DEFAULT ''",
		"minor_upgrades_off BOOLEAN NOT NULL DEFAULT FALSE",
		"availability_zone VARCHAR(32) NOT NULL DEFAULT ''",
		"modifying_until " + timestamp,
		"pending_changes VARCHAR(1024) NOT NULL DEFAULT ''",
	} {
		if err := tx.Exec("ALTER TABLE cache_clusters ADD COLUMN " + column).Error; err != nil {
			return err
		}
	}
	if err := tx.Migrator().CreateTable(&cacheNodeV3{}, &clusterTagV3{}); err != nil {
		return err
	}
	var clusters []cacheClusterV1
	if err := tx.Find(&clusters).Error; err != nil {
		return err
	}
	for _, c := range clusters {
		for i := 1; i <= c.NumNodes; i++ {
			node := CacheNode{ClusterRowID: c.ID, NodeID: nodeID(i), CreatedAt: c.CreatedAt, AvailableAt: c.AvailableAt}
			if err := tx.Create(&node).Error; err != nil {
				return err
			}
		}
	}
	return nil
}
