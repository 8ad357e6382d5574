package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// DeleteVPC deletes a VPC, as EC2 does, once nothing is left in it but its default security group:
// its subnets, its other security groups and the cache subnet groups of its subnets must go first
// (DependencyViolation names them). The default group goes with the VPC.
func (s *Store) DeleteVPC(ctx context.Context, scope Scope, vpcID string) error {
	return wrap("delete VPC", s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		vpc, err := findVPC(tx, scope, vpcID)
		if err != nil {
			return err
		}
		in := func() *gorm.DB {
			return tx.Where("account_id = ? AND region = ? AND vpc_id = ?", scope.AccountID, scope.Region, vpc.VpcID)
		}
		var users []string
		var subnets []VPCSubnet
		if err := in().Order("subnet_id").Find(&subnets).Error; err != nil {
			return err
		}
		for _, sn := range subnets {
			users = append(users, "subnet "+sn.SubnetID)
		}
		var groups []VPCSecurityGroup
		if err := in().Order("group_id").Find(&groups).Error; err != nil {
			return err
		}
		var groupRows []uint
		for _, g := range groups {
			groupRows = append(groupRows, g.ID)
			if g.Name != DefaultVPCSecurityGroupName {
				users = append(users, "security group "+g.GroupID)
			}
		}
		var subnetGroups []CacheSubnetGroup
		if err := in().Order("name").Find(&subnetGroups).Error; err != nil {
			return err
		}
		for _, g := range subnetGroups {
			users = append(users, "cache subnet group "+g.Name)
		}
		if len(users) > 0 {
			return newError(CodeDependencyViolation, "The vpc '%s' has dependencies and cannot be deleted: %s.", vpc.VpcID, strings.Join(users, ", "))
		}
		if len(groupRows) > 0 {
			if err := tx.Where("group_row_id IN ?", groupRows).Delete(&VPCSecurityGroupRule{}).Error; err != nil {
				return err
			}
			if err := tx.Where("id IN ?", groupRows).Delete(&VPCSecurityGroup{}).Error; err != nil {
				return err
			}
		}
		return tx.Delete(&vpc).Error
	}))
}
