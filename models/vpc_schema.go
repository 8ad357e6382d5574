package models

import "gorm.io/gorm"

// step4Models are the tables of VPCs, their subnets and security groups, instance placements and
// cache subnet groups: all new, so creating them is the whole step.
func step4Models() []any {
	return []any{&VPC{}, &VPCSubnet{}, &VPCSecurityGroup{}, &VPCSecurityGroupRule{}, &VPCInstancePlacement{}, &CacheSubnetGroup{}}
}

// migrateStep4 creates the VPC and cache subnet group tables.
func migrateStep4(tx *gorm.DB) error {
	if err := tx.AutoMigrate(step4Models()...); err != nil {
		return err
	}
	return verifySchema(tx, step4Models())
}
