package models

import (
	"time"

	"gorm.io/gorm"
)

// DemoVPCInstance is the demo's VPC instance, placed in the default VPC's first subnet.
const DemoVPCInstance = "i-0a1b2c3d4e5f60004"

// seedDemoNetwork gives the demo's first region the default VPC with a subnet per zone, a VPC
// security group "vpc-cache" that admits the default group on Redis's and Memcached's ports, and
// places the VPC instance in the first subnet with the default group: after a subnet group and a
// cluster with vpc-cache, the explainer says it can connect.
func seedDemoNetwork(tx *gorm.DB, scope Scope, now time.Time) error {
	vpc, err := ensureDefaultVPC(tx, scope, now)
	if err != nil {
		return err
	}
	var def VPCSecurityGroup
	if err := tx.Where("account_id = ? AND region = ? AND vpc_id = ? AND name = ?", scope.AccountID, scope.Region, vpc.VpcID, DefaultVPCSecurityGroupNam).Take(&def).Error; err != nil {
		return err
	}
	cache := VPCSecurityGroup{AccountID: scope.AccountID, Region: scope.Region, GroupID: newGroupID(), VpcID: vpc.VpcID,
		Name: "vpc-cache", Description: "Cache clusters in the default VPC", CreatedAt: now}
	if err := tx.Create(&cache).Error; err != nil {
		return err
	}
	for _, port := range []int{6379, 11211} {
		if err := tx.Create(&VPCSecurityGroupRule{GroupRowID: cache.ID, Protocol: "tcp", FromPort: port, ToPort: port, Source: def.GroupID}).Error; err != nil {
			return err
		}
	}
	var first VPCSubnet
	if err := tx.Where("account_id = ? AND region = ? AND vpc_id = ?", scope.AccountID, scope.Region, vpc.VpcID).Order("availability_zone").Take(&first).Error; err != nil {
		return err
	}
	var n int64
	if err := tx.Model(&EC2Instance{}).Where("account_id = ? AND region = ? AND instance_id = ?", scope.AccountID, scope.Region, DemoVPCInstance).Count(&n).Error; err != nil || n == 0 {
		return err
	}
	return tx.Create(&VPCInstancePlacement{AccountID: scope.AccountID, Region: scope.Region, InstanceID: DemoVPCInstance, SubnetID: first.SubnetID, SecurityGroupIDs: def.GroupID}).Error
}
