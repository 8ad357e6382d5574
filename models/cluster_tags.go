package models

import (
	"gorm.io/gorm"
)

// ClusterTag is a key-value label on a cache cluster.
type ClusterTag struct {
	ID           uint   `gorm:"primaryKey"`
	ClusterRowID uint   `gorm:"not null;index:idx_cluster_tag_key,unique"`
	Key          string `gorm:"size:128;not null;index:idx_cluster_tag_key,unique"`
	Value        string `gorm:"size:256;not null"`
}

// TableName keeps the schema explicit.
func (ClusterTag) TableName() string { return "cluster_tags" }

// putClusterTags adds or overwrites tags on a cluster, keeping it within MaxTagsPerResource.
func putClusterTags(tx *gorm.DB, clusterRowID uint, tags []Tag) error {
	if err := validateTags(tags); err != nil {
		return err
	}
	var existing []ClusterTag
	if err := tx.Where("cluster_row_id = ?", clusterRowID).Find(&existing).Error; err != nil {
		return err
	}
	have := map[string]ClusterTag{}
	for _, t := range existing {
		have[t.Key] = t
	}
	count := len(existing)
	for _, t := range tags {
		if old, ok := have[t.Key]; ok {
			if err := tx.Model(&old).Update("value", t.Value).Error; err != nil {
				return err
			}
			continue
		}
		if count++; count > MaxTagsPerResource {
			return newError(CodeTagQuotaExceeded, "A resource can have at most %d tags.", MaxTagsPerResource)
		}
		if err := tx.Create(&ClusterTag{ClusterRowID: clusterRowID, Key: t.Key, Value: t.Value}).Error; err != nil {
			return err
		}
	}
	return nil
}

func listClusterTags(tx *gorm.DB, clusterRowID uint) ([]Tag, error) {
	var rows []ClusterTag
	if err := tx.Where("cluster_row_id = ?", clusterRowID).Order("key").Find(&rows).Error; err != nil {
		return nil, err
	}
	tags := make([]Tag, 0, len(rows))
	for _, r := range rows {
		tags = append(tags, Tag{Key: r.Key, Value: r.Value})
	}
	return tags, nil
}
