package models

import (
	"context"

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

// clusterARN reports whether an ARN names a cache cluster, and which one of this scope.
func clusterARN(scope Scope, arn string) (id string, isCluster bool, err error) {
	m := arnPattern.FindStringSubmatch(arn)
	if m == nil || m[3] != "cluster" {
		return "", false, nil
	}
	if m[1] != scope.Region {
		return "", true, newError(CodeInvalidARN, "%s is not in region %s.", arn, scope.Region)
	}
	if m[2] != scope.AccountID {
		// Another account's cluster is answered like one that never existed.
		return "", true, newError(CodeCacheClusterNotFound, "Cache cluster %s not found.", m[4])
	}
	return m[4], true, nil
}

// listTagsOfCluster reads a cluster's tags from the scope's view.
func (s *Store) listTagsOfCluster(ctx context.Context, scope Scope, id string) ([]Tag, error) {
	c, err := s.GetCluster(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	return c.Tags, nil
}

// changeTagsOfCluster adds tags to, or removes keys from, a cluster that has not finished deleting.
func (s *Store) changeTagsOfCluster(ctx context.Context, scope Scope, id string, add []Tag, remove []string) ([]Tag, error) {
	var all []Tag
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		row, err := s.liveCluster(tx, scope, id)
		if err != nil {
			return err
		}
		if err := putClusterTags(tx, row.ID, add); err != nil {
			return err
		}
		if len(remove) > 0 {
			if err := tx.Where("cluster_row_id = ? AND key IN ?", row.ID, remove).Delete(&ClusterTag{}).Error; err != nil {
				return err
			}
		}
		all, err = listClusterTags(tx, row.ID)
		return err
	})
	return all, wrap("tag cluster", err)
}
