package models

import (
	"context"
	"time"
)

// EC2SecurityGroup is a simulated EC2 security group of the account; the authorize form suggests these.
type EC2SecurityGroup struct {
	ID          uint   `gorm:"primaryKey"`
	AccountID   string `gorm:"size:12;not null;index:idx_ec2sg_scope_name,unique"`
	Region      string `gorm:"size:32;not null;index:idx_ec2sg_scope_name,unique"`
	Name        string `gorm:"size:255;not null;index:idx_ec2sg_scope_name,unique"`
	Description string `gorm:"size:255;not null"`
	CreatedAt   time.Time
}

// TableName keeps the schema explicit.
func (EC2SecurityGroup) TableName() string { return "ec2_security_groups" }

// ListEC2SecurityGroups returns the region's EC2 security groups by name.
func (s *Store) ListEC2SecurityGroups(ctx context.Context, scope Scope) ([]EC2SecurityGroup, error) {
	var rows []EC2SecurityGroup
	err := s.db.WithContext(ctx).Where("account_id = ? AND region = ?", scope.AccountID, scope.Region).Order("name").Find(&rows).Error
	return rows, wrap("list EC2 security groups", err)
}
