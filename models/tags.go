package models

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Tagging error codes.
const (
	CodeInvalidARN         = "InvalidARN"
	CodeTagQuotaExceeded   = "TagQuotaPerResourceExceeded"
	MaxTagsPerResource     = 50
	maxTagKeyLength        = 128
	maxTagValueLength      = 256
	securityGroupARNPrefix = "securitygroup"
)

// Tag is a key-value label on a cache security group.
type Tag struct {
	ID      uint   `gorm:"primaryKey"`
	GroupID uint   `gorm:"not null;index:idx_tag_group_key,unique"`
	Key     string `gorm:"size:128;not null;index:idx_tag_group_key,unique"`
	Value   string `gorm:"size:256;not null"`
}

// TableName keeps the schema explicit.
func (Tag) TableName() string { return "tags" }

var arnPattern = regexp.MustCompile(`^arn:aws:elasticache:([a-z0-9-]+):([0-9]{12}):([a-z]+):(.+)$`)

// groupNameFromARN checks that an ARN names a cache security group of this scope.
func groupNameFromARN(scope Scope, arn string) (string, error) {
	m := arnPattern.FindStringSubmatch(arn)
	if m == nil {
		return "", newError(CodeInvalidARN, "%s is not a valid ElastiCache ARN.", arn)
	}
	if m[1] != scope.Region {
		return "", newError(CodeInvalidARN, "%s is not in region %s.", arn, scope.Region)
	}
	if m[3] != securityGroupARNPrefix {
		return "", newError(CodeInvalidParameterValue, "sgconsole supports tags on cache security groups and clusters only, not on %s resources.", m[3])
	}
	if m[2] != scope.AccountID {
		// Another account's group is answered like one that never existed.
		return "", newError(CodeCacheSecurityGroupNotFound, "Cache security group %s not found.", m[4])
	}
	return m[4], nil
}

func validateTags(tags []Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		switch {
		case t.Key == "" || utf8.RuneCountInString(t.Key) > maxTagKeyLength:
			return newError(CodeInvalidParameterValue, "A tag key is 1 to %d characters long.", maxTagKeyLength)
		case CleanText(t.Key) != "" || HasControl(t.Key) || CleanText(t.Value) != "" || HasControl(t.Value):
			return newError(CodeInvalidParameterValue, "Tag keys and values must be UTF-8 text without control characters.")
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return newError(CodeInvalidParameterValue, "Tag keys can't start with \"aws:\": that prefix is reserved.")
		case utf8.RuneCountInString(t.Value) > maxTagValueLength:
			return newError(CodeInvalidParameterValue, "A tag value is at most %d characters long.", maxTagValueLength)
		case seen[t.Key]:
			return newError(CodeInvalidParameterValue, "The tag key %s appears twice.", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

// taggableGroup finds the group an ARN names; the default group takes no tags.
func taggableGroup(tx *gorm.DB, scope Scope, arn string) (CacheSecurityGroup, error) {
	name, err := groupNameFromARN(scope, arn)
	if err != nil {
		return CacheSecurityGroup{}, err
	}
	if err := requireClassic(tx, scope); err != nil {
		return CacheSecurityGroup{}, err
	}
	g, err := findGroup(tx, scope, name)
	if err != nil {
		return g, err
	}
	if g.Name == DefaultGroupName {
		return g, newError(CodeInvalidParameterValue, "Tags can't be added to or removed from the default security group.")
	}
	return g, nil
}

// putTags adds or overwrites tags, keeping the resource within MaxTagsPerResource.
func putTags(tx *gorm.DB, groupID uint, tags []Tag) error {
	if err := validateTags(tags); err != nil {
		return err
	}
	var existing []Tag
	if err := tx.Where("group_id = ?", groupID).Find(&existing).Error; err != nil {
		return err
	}
	have := map[string]Tag{}
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
		if err := tx.Create(&Tag{GroupID: groupID, Key: t.Key, Value: t.Value}).Error; err != nil {
			return err
		}
	}
	return nil
}

func listTags(tx *gorm.DB, groupID uint) ([]Tag, error) {
	tags := []Tag{}
	err := tx.Where("group_id = ?", groupID).Order("key").Find(&tags).Error
	return tags, err
}

// ListTags returns the tags of the cache security group or cluster an ARN names.
func (s *Store) ListTags(ctx context.Context, scope Scope, arn string) ([]Tag, error) {
	if name, ok, err := subnetGroupARN(scope, arn); ok {
		if err != nil {
			return nil, err
		}
		return s.listTagsOfSubnetGroup(ctx, scope, name)
	}
	if id, ok, err := clusterARN(scope, arn); ok {
		if err != nil {
			return nil, err
		}
		return s.listTagsOfCluster(ctx, scope, id)
	}
	db := s.db.WithContext(ctx)
	name, err := groupNameFromARN(scope, arn)
	if err != nil {
		return nil, err
	}
	if err := requireClassic(db, scope); err != nil {
		return nil, err
	}
	g, err := findGroup(db, scope, name)
	if err != nil {
		return nil, err
	}
	tags, err := listTags(db, g.ID)
	return tags, wrap("list tags", err)
}

// AddTags adds or overwrites tags on a cache security group and returns all its tags.
func (s *Store) AddTags(ctx context.Context, scope Scope, arn string, tags []Tag) ([]Tag, error) {
	if name, ok, err := subnetGroupARN(scope, arn); ok {
		if err != nil {
			return nil, err
		}
		return s.changeTagsOfSubnetGroup(ctx, scope, name, tags, nil)
	}
	if id, ok, err := clusterARN(scope, arn); ok {
		if err != nil {
			return nil, err
		}
		return s.changeTagsOfCluster(ctx, scope, id, tags, nil)
	}
	var all []Tag
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		g, err := taggableGroup(tx, scope, arn)
		if err != nil {
			return err
		}
		if err := putTags(tx, g.ID, tags); err != nil {
			return err
		}
		all, err = listTags(tx, g.ID)
		return err
	})
	return all, wrap("add tags", err)
}

// RemoveTags removes the given keys (missing ones are ignored, as the service does) and returns the rest.
func (s *Store) RemoveTags(ctx context.Context, scope Scope, arn string, keys []string) ([]Tag, error) {
	if name, ok, err := subnetGroupARN(scope, arn); ok {
		if err != nil {
			return nil, err
		}
		return s.changeTagsOfSubnetGroup(ctx, scope, name, nil, keys)
	}
	if id, ok, err := clusterARN(scope, arn); ok {
		if err != nil {
			return nil, err
		}
		return s.changeTagsOfCluster(ctx, scope, id, nil, keys)
	}
	var all []Tag
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		g, err := taggableGroup(tx, scope, arn)
		if err != nil {
			return err
		}
		if len(keys) > 0 {
			if err := tx.Where("group_id = ? AND key IN ?", g.ID, keys).Delete(&Tag{}).Error; err != nil {
				return err
			}
		}
		all, err = listTags(tx, g.ID)
		return err
	})
	return all, wrap("remove tags", err)
}
