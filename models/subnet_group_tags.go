package models

import (
	"context"

	"gorm.io/gorm"
)

// SubnetGroupTag is a key-value label on a cache subnet group (Terraform's aws_elasticache_subnet_group
// reads and writes them).
type SubnetGroupTag struct {
	ID            uint   `gorm:"primaryKey"`
	SubnetGroupID uint   `gorm:"not null;index:idx_subnet_group_tag_key,unique"`
	Key           string `gorm:"size:128;not null;index:idx_subnet_group_tag_key,unique"`
	Value         string `gorm:"size:256;not null"`
}

// TableName keeps the schema explicit.
func (SubnetGroupTag) TableName() string { return "subnet_group_tags" }

func migrateStep5(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&SubnetGroupTag{}); err != nil {
		return err
	}
	return verifySchema(tx, []any{&SubnetGroupTag{}})
}

// subnetGroupARN reports whether an ARN names a cache subnet group, and which one of this scope.
func subnetGroupARN(scope Scope, arn string) (name string, isSubnetGroup bool, err error) {
	m := arnPattern.FindStringSubmatch(arn)
	if m == nil || m[3] != "subnetgroup" {
		return "", false, nil
	}
	if m[1] != scope.Region {
		return "", true, newError(CodeInvalidARN, "%s is not in region %s.", arn, scope.Region)
	}
	if m[2] != scope.AccountID {
		// Another account's group is answered like one that never existed.
		return "", true, subnetGroupNotFound(m[4])
	}
	return m[4], true, nil
}

// putSubnetGroupTags adds or overwrites tags on a subnet group, keeping it within MaxTagsPerResource.
func putSubnetGroupTags(tx *gorm.DB, groupID uint, tags []Tag) error {
	if err := validateTags(tags); err != nil {
		return err
	}
	have, err := listSubnetGroupTags(tx, groupID)
	if err != nil {
		return err
	}
	count := len(have)
	existing := map[string]bool{}
	for _, t := range have {
		existing[t.Key] = true
	}
	for _, t := range tags {
		if existing[t.Key] {
			err := tx.Model(&SubnetGroupTag{}).Where("subnet_group_id = ? AND key = ?", groupID, t.Key).Update("value", t.Value).Error
			if err != nil {
				return err
			}
			continue
		}
		if count++; count > MaxTagsPerResource {
			return newError(CodeTagQuotaExceeded, "A resource can have at most %d tags.", MaxTagsPerResource)
		}
		existing[t.Key] = true
		if err := tx.Create(&SubnetGroupTag{SubnetGroupID: groupID, Key: t.Key, Value: t.Value}).Error; err != nil {
			return err
		}
	}
	return nil
}

func listSubnetGroupTags(db *gorm.DB, groupID uint) ([]Tag, error) {
	var rows []SubnetGroupTag
	if err := db.Where("subnet_group_id = ?", groupID).Order("key").Find(&rows).Error; err != nil {
		return nil, err
	}
	tags := make([]Tag, 0, len(rows))
	for _, r := range rows {
		tags = append(tags, Tag{Key: r.Key, Value: r.Value})
	}
	return tags, nil
}

// listTagsOfSubnetGroup returns a subnet group's tags.
func (s *Store) listTagsOfSubnetGroup(ctx context.Context, scope Scope, name string) ([]Tag, error) {
	db := s.db.WithContext(ctx)
	row, ok, err := findSubnetGroup(db, scope, name)
	if err != nil {
		return nil, wrap("list tags", err)
	}
	if !ok {
		return nil, subnetGroupNotFound(name)
	}
	tags, err := listSubnetGroupTags(db, row.ID)
	return tags, wrap("list tags", err)
}

// changeTagsOfSubnetGroup adds tags to, or removes keys from, a subnet group.
func (s *Store) changeTagsOfSubnetGroup(ctx context.Context, scope Scope, name string, add []Tag, remove []string) ([]Tag, error) {
	var all []Tag
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		row, ok, err := findSubnetGroup(tx, scope, name)
		if err != nil {
			return err
		}
		if !ok {
			return subnetGroupNotFound(name)
		}
		if err := putSubnetGroupTags(tx, row.ID, add); err != nil {
			return err
		}
		if len(remove) > 0 {
			if err := tx.Where("subnet_group_id = ? AND key IN ?", row.ID, remove).Delete(&SubnetGroupTag{}).Error; err != nil {
				return err
			}
		}
		all, err = listSubnetGroupTags(tx, row.ID)
		return err
	})
	return all, wrap("tag subnet group", err)
}
