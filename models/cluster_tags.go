package models

// ClusterTag is a key-value label on a cache cluster (see tagTable for reading and changing them).
type ClusterTag struct {
	ID           uint   `gorm:"primaryKey"`
	ClusterRowID uint   `gorm:"not null;index:idx_cluster_tag_key,unique"`
	Key          string `gorm:"size:128;not null;index:idx_cluster_tag_key,unique"`
	Value        string `gorm:"size:256;not null"`
}

// TableName keeps the schema explicit.
func (ClusterTag) TableName() string { return "cluster_tags" }
