package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// DemoVPCInstance is the demo's VPC instance, placed in the default VPC's first subnet.
const DemoVPCInstance = "i-0a1b2c3d4e5f60004"

// DemoSubnetGroup is the demo's cache subnet group, of the default VPC's subnets.
const DemoSubnetGroup = "prod-private"

// demoVPCCluster is the demo's cluster in the default VPC.
const demoVPCCluster = "orders-redis"

// demoNetwork is the demo's VPC side of its first region, as rows to insert in one statement per
// table (a workshop seeds hundreds of sandboxes): the default VPC with a /20 subnet per zone and
// its default security group, a VPC security group "vpc-cache" that admits the default group on
// Redis's and Memcached's ports, the cache subnet group prod-private of the VPC's subnets, and the
// VPC instance placed in the first subnet with the default group. The demo's VPC cluster
// (orders-redis) runs in prod-private with vpc-cache, so the explainer says the VPC instance can
// connect to it.
type demoNetwork struct {
	vpc           VPC
	subnets       []VPCSubnet
	def, cache    VPCSecurityGroup
	subnetGroup   CacheSubnetGroup
	placeInstance bool
}

func planDemoNetwork(scope Scope, now time.Time, withInstance bool) demoNetwork {
	n := demoNetwork{placeInstance: withInstance}
	n.vpc = VPC{AccountID: scope.AccountID, Region: scope.Region, VpcID: "vpc-" + RandomToken(9)[:17], Name: "default",
		CIDR: "172.31.0.0/16", IsDefault: true, CreatedAt: now}
	for i, zone := range AvailabilityZones(scope.Region) {
		n.subnets = append(n.subnets, VPCSubnet{AccountID: scope.AccountID, Region: scope.Region, SubnetID: "subnet-" + RandomToken(9)[:17],
			VpcID: n.vpc.VpcID, AvailabilityZone: zone, CIDR: fmt.Sprintf("172.31.%d.0/20", 16*i), CreatedAt: now})
	}
	n.def = VPCSecurityGroup{AccountID: scope.AccountID, Region: scope.Region, GroupID: newGroupID(), VpcID: n.vpc.VpcID,
		Name: DefaultVPCSecurityGroupName, Description: "default VPC security group", CreatedAt: now}
	n.cache = VPCSecurityGroup{AccountID: scope.AccountID, Region: scope.Region, GroupID: newGroupID(), VpcID: n.vpc.VpcID,
		Name: "vpc-cache", Description: "Cache clusters in the default VPC", CreatedAt: now}
	n.subnetGroup = CacheSubnetGroup{AccountID: scope.AccountID, Region: scope.Region, Name: DemoSubnetGroup,
		Description: "Private subnets of the default VPC", VpcID: n.vpc.VpcID, SubnetIDs: subnetIDs(n.subnets), CreatedAt: now}
	return n
}

func (n demoNetwork) insert(tx *gorm.DB) error {
	if err := tx.Create(&n.vpc).Error; err != nil {
		return err
	}
	if err := createAll(tx, n.subnets); err != nil {
		return err
	}
	groups := []VPCSecurityGroup{n.def, n.cache}
	if err := createAll(tx, groups); err != nil {
		return err
	}
	def, cache := groups[0], groups[1]
	rules := []VPCSecurityGroupRule{
		{GroupRowID: def.ID, Protocol: "tcp", FromPort: 0, ToPort: 65535, Source: def.GroupID}, // as every VPC's default group
		{GroupRowID: cache.ID, Protocol: "tcp", FromPort: 6379, ToPort: 6379, Source: def.GroupID},
		{GroupRowID: cache.ID, Protocol: "tcp", FromPort: 11211, ToPort: 11211, Source: def.GroupID},
	}
	if err := createAll(tx, rules); err != nil {
		return err
	}
	if err := tx.Create(&n.subnetGroup).Error; err != nil {
		return err
	}
	if !n.placeInstance {
		return nil
	}
	return tx.Create(&VPCInstancePlacement{AccountID: n.vpc.AccountID, Region: n.vpc.Region, InstanceID: DemoVPCInstance,
		SubnetID: n.subnets[0].SubnetID, SecurityGroupIDs: def.GroupID}).Error
}

// deleteNetworks removes the VPC side of accounts (a sandbox reset, a workshop's deletion):
// instance placements, VPC security groups with their rules, cache subnet groups with their tags,
// subnets and VPCs.
func deleteNetworks(tx *gorm.DB, accountIDs []string) error {
	mine := func() *gorm.DB { return tx.Where("account_id IN ?", accountIDs) }
	for _, step := range []func() *gorm.DB{
		func() *gorm.DB { return mine().Delete(&VPCInstancePlacement{}) },
		func() *gorm.DB {
			return tx.Where("group_row_id IN (?)", tx.Model(&VPCSecurityGroup{}).Select("id").Where("account_id IN ?", accountIDs)).Delete(&VPCSecurityGroupRule{})
		},
		func() *gorm.DB { return mine().Delete(&VPCSecurityGroup{}) },
		func() *gorm.DB {
			return tx.Where("subnet_group_id IN (?)", tx.Model(&CacheSubnetGroup{}).Select("id").Where("account_id IN ?", accountIDs)).Delete(&SubnetGroupTag{})
		},
		func() *gorm.DB { return mine().Delete(&CacheSubnetGroup{}) },
		func() *gorm.DB { return mine().Delete(&VPCSubnet{}) },
		func() *gorm.DB { return mine().Delete(&VPC{}) },
	} {
		if err := step().Error; err != nil {
			return err
		}
	}
	return nil
}
