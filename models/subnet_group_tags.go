package models

import "gorm.io/gorm"

// SubnetGroupTag is a key-value label on a cache subnet group (Terraform's aws_elasticache_subnet_group
// reads and writes them; see tagTable for reading and changing them).
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
