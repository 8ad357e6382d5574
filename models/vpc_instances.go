package models

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// VPCInstancePlacement puts a VPC instance in a subnet with VPC security groups, which the
// explainer checks against a VPC cluster's rules. It is a table of its own so the instances table
// keeps the shape its first migration gave it.
type VPCInstancePlacement struct {
	ID               uint   `gorm:"primaryKey"`
	AccountID        string `gorm:"size:12;not null;index:idx_placement_scope_instance,unique"`
	Region           string `gorm:"size:32;not null;index:idx_placement_scope_instance,unique"`
	InstanceID       string `gorm:"size:19;not null;index:idx_placement_scope_instance,unique"`
	SubnetID         string `gorm:"size:24;not null"`
	SecurityGroupIDs string `gorm:"size:1024;not null"` // space-separated sg- IDs
}

// TableName keeps the schema explicit.
func (VPCInstancePlacement) TableName() string { return "vpc_instance_placements" }

// Groups lists the placement's VPC security group IDs.
func (p VPCInstancePlacement) Groups() []string { return strings.Fields(p.SecurityGroupIDs) }

// PlaceInstance puts a VPC instance in a subnet with VPC security groups of that subnet's VPC,
// replacing any earlier placement.
func (s *Store) PlaceInstance(ctx context.Context, scope Scope, instanceID, subnetID string, groupIDs []string) (VPCInstancePlacement, error) {
	var row VPCInstancePlacement
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		var inst EC2Instance
		err := tx.Where("account_id = ? AND region = ? AND instance_id = ?", scope.AccountID, scope.Region, strings.ToLower(instanceID)).Take(&inst).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return newError(CodeEC2InstanceNotFound, "Instance %s not found.", instanceID)
		}
		if err != nil {
			return err
		}
		if inst.Platform != PlatformVPC {
			return fieldError(CodeInvalidParameterCombination, "subnet_id", "Instance %s runs in EC2-Classic, which has no subnets.", inst.InstanceID)
		}
		subnet, ok, err := findSubnet(tx, scope, subnetID)
		if err != nil {
			return err
		}
		if !ok {
			return fieldError(CodeSubnetNotFound, "subnet_id", "The subnet ID '%s' does not exist.", subnetID)
		}
		if len(groupIDs) == 0 {
			return fieldError(CodeMissingParameter, "vpc_security_group_ids", "Choose at least one VPC security group.")
		}
		var ids []string
		for _, id := range groupIDs {
			g, err := findVPCSecurityGroup(tx, scope, id)
			if HasCode(err, CodeEC2GroupNotFound) {
				return fieldError(CodeEC2GroupNotFound, "vpc_security_group_ids", "The security group '%s' does not exist.", id)
			}
			if err != nil {
				return err
			}
			if g.VpcID != subnet.VpcID {
				return fieldError(CodeInvalidParameterValue, "vpc_security_group_ids", "Security group %s is in VPC %s, but subnet %s is in %s.", g.GroupID, g.VpcID, subnet.SubnetID, subnet.VpcID)
			}
			if !containsString(ids, g.GroupID) {
				ids = append(ids, g.GroupID)
			}
		}
		if err := tx.Where("account_id = ? AND region = ? AND instance_id = ?", scope.AccountID, scope.Region, inst.InstanceID).Delete(&VPCInstancePlacement{}).Error; err != nil {
			return err
		}
		row = VPCInstancePlacement{AccountID: scope.AccountID, Region: scope.Region, InstanceID: inst.InstanceID, SubnetID: subnet.SubnetID, SecurityGroupIDs: strings.Join(ids, " ")}
		return tx.Create(&row).Error
	})
	return row, wrap("place instance", err)
}

// instancePlacement reads a VPC instance's placement; ok is false for an instance never placed.
func instancePlacement(db *gorm.DB, scope Scope, instanceID string) (VPCInstancePlacement, bool, error) {
	var row VPCInstancePlacement
	err := db.Where("account_id = ? AND region = ? AND instance_id = ?", scope.AccountID, scope.Region, instanceID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return row, false, nil
	}
	return row, err == nil, err
}

// ListPlacements returns the region's instance placements by instance ID.
func (s *Store) ListPlacements(ctx context.Context, scope Scope) (map[string]VPCInstancePlacement, error) {
	var rows []VPCInstancePlacement
	err := s.db.WithContext(ctx).Where("account_id = ? AND region = ?", scope.AccountID, scope.Region).Find(&rows).Error
	out := map[string]VPCInstancePlacement{}
	for _, r := range rows {
		out[r.InstanceID] = r
	}
	return out, wrap("list placements", err)
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }
