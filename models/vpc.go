package models

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// EC2 error codes of the simulated VPCs, as EC2 reports them.
const (
	CodeVPCNotFound             = "InvalidVpcID.NotFound"
	CodeSubnetNotFound          = "InvalidSubnetID.NotFound"
	CodeSubnetConflict          = "InvalidSubnet.Conflict"
	CodeSubnetRange             = "InvalidSubnet.Range"
	CodePermissionDuplicate     = "InvalidPermission.Duplicate"
	CodePermissionNotFound      = "InvalidPermission.NotFound"
	CodeVPCSecurityGroupLimit   = "SecurityGroupLimitExceeded"
	DefaultVPCSecurityGroupName = "default"
)

func init() {
	for code, kind := range map[string]Kind{
		CodeVPCNotFound: KindNotFound, CodeSubnetNotFound: KindNotFound, CodePermissionNotFound: KindNotFound,
		CodeSubnetConflict: KindConflict, CodeSubnetRange: KindInvalid, CodePermissionDuplicate: KindAlreadyExists,
		CodeVPCSecurityGroupLimit: KindQuota,
	} {
		codeKinds[code] = kind
	}
}

// VPC is a simulated virtual private cloud of an account and region.
type VPC struct {
	ID        uint   `gorm:"primaryKey"`
	AccountID string `gorm:"size:12;not null;index:idx_vpc_scope_id,unique"`
	Region    string `gorm:"size:32;not null;index:idx_vpc_scope_id,unique"`
	VpcID     string `gorm:"size:21;not null;index:idx_vpc_scope_id,unique"`
	Name      string `gorm:"size:255;not null"`
	CIDR      string `gorm:"size:18;not null"`
	IsDefault bool   `gorm:"not null;default:false"`
	CreatedAt time.Time
}

// TableName keeps the schema explicit.
func (VPC) TableName() string { return "vpcs" }

// VPCSubnet is a subnet of a VPC in one availability zone of the region.
type VPCSubnet struct {
	ID               uint   `gorm:"primaryKey"`
	AccountID        string `gorm:"size:12;not null;index:idx_subnet_scope_id,unique"`
	Region           string `gorm:"size:32;not null;index:idx_subnet_scope_id,unique"`
	SubnetID         string `gorm:"size:24;not null;index:idx_subnet_scope_id,unique"`
	VpcID            string `gorm:"size:21;not null"`
	AvailabilityZone string `gorm:"size:40;not null"`
	CIDR             string `gorm:"size:18;not null"`
	CreatedAt        time.Time
}

// TableName keeps the schema explicit.
func (VPCSubnet) TableName() string { return "vpc_subnets" }

// AvailabilityZones are the zones the simulation offers in a region: its name plus a, b and c.
func AvailabilityZones(region string) []string {
	return []string{region + "a", region + "b", region + "c"}
}

// Network is one region's VPCs with their subnets and VPC security groups, as the EC2 pages show it.
type Network struct {
	VPCs    []VPC
	Subnets []VPCSubnet
	Groups  []VPCSecurityGroup
}

// SubnetsOf lists a VPC's subnets.
func (n Network) SubnetsOf(vpcID string) []VPCSubnet {
	var out []VPCSubnet
	for _, s := range n.Subnets {
		if s.VpcID == vpcID {
			out = append(out, s)
		}
	}
	return out
}

// GroupsOf lists a VPC's security groups.
func (n Network) GroupsOf(vpcID string) []VPCSecurityGroup {
	var out []VPCSecurityGroup
	for _, g := range n.Groups {
		if g.VpcID == vpcID {
			out = append(out, g)
		}
	}
	return out
}

// GetNetwork reads the region's VPCs, subnets and VPC security groups with their rules.
func (s *Store) GetNetwork(ctx context.Context, scope Scope) (Network, error) {
	var n Network
	db := s.db.WithContext(ctx)
	where := "account_id = ? AND region = ?"
	err := db.Where(where, scope.AccountID, scope.Region).Order("is_default DESC, vpc_id").Find(&n.VPCs).Error
	if err == nil {
		err = db.Where(where, scope.AccountID, scope.Region).Order("vpc_id, availability_zone, subnet_id").Find(&n.Subnets).Error
	}
	if err == nil {
		err = db.Preload("Rules").Where(where, scope.AccountID, scope.Region).Find(&n.Groups).Error
	}
	// Names are ordered here, byte by byte: ORDER BY would follow PostgreSQL's collation.
	sort.Slice(n.Groups, func(i, j int) bool {
		a, b := n.Groups[i], n.Groups[j]
		if a.VpcID != b.VpcID {
			return a.VpcID < b.VpcID
		}
		return a.Name < b.Name
	})
	for _, g := range n.Groups {
		sortRules(g.Rules)
	}
	return n, wrap("get network", err)
}

// parseCIDR reads an IPv4 CIDR block whose address is the network's own (10.0.0.0/16, not 10.0.0.1/16).
func parseCIDR(field, cidr string, minBits, maxBits int) (*net.IPNet, error) {
	ip, block, err := net.ParseCIDR(cidr)
	if err != nil || ip.To4() == nil {
		return nil, fieldError(CodeInvalidParameterValue, field, "%q is not an IPv4 CIDR block such as 10.0.0.0/16.", cidr)
	}
	if !ip.Equal(block.IP) {
		return nil, fieldError(CodeInvalidParameterValue, field, "%s is not a network address: use %s.", cidr, block.String())
	}
	if bits, _ := block.Mask.Size(); bits < minBits || bits > maxBits {
		return nil, fieldError(CodeInvalidParameterValue, field, "The block size must be between /%d and /%d.", minBits, maxBits)
	}
	return block, nil
}

func overlaps(a, b *net.IPNet) bool { return a.Contains(b.IP) || b.Contains(a.IP) }

func validLabel(field, value string) error {
	if len(value) > MaxNameLength {
		return fieldError(CodeInvalidParameterValue, field, "It must be at most %d characters long.", MaxNameLength)
	}
	if CleanText(value) != "" || HasControl(value) {
		return fieldError(CodeInvalidParameterValue, field, "It must be UTF-8 text without control characters such as line breaks or tabs.")
	}
	return nil
}

// CreateVPC adds a VPC with its default security group, which admits its own members on every port,
// as EC2's default security group does.
func (s *Store) CreateVPC(ctx context.Context, scope Scope, name, cidr string) (VPC, error) {
	var row VPC
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		var err error
		row, err = createVPC(tx, scope, s.now(), name, cidr, false)
		return err
	})
	return row, wrap("create VPC", err)
}

func createVPC(tx *gorm.DB, scope Scope, now time.Time, name, cidr string, isDefault bool) (VPC, error) {
	if err := validLabel("name", name); err != nil {
		return VPC{}, err
	}
	block, err := parseCIDR("cidr", cidr, 16, 28)
	if err != nil {
		return VPC{}, err
	}
	row := VPC{AccountID: scope.AccountID, Region: scope.Region, VpcID: "vpc-" + RandomToken(9)[:17], Name: name,
		CIDR: block.String(), IsDefault: isDefault, CreatedAt: now}
	if err := tx.Create(&row).Error; err != nil {
		return VPC{}, err
	}
	g := VPCSecurityGroup{AccountID: scope.AccountID, Region: scope.Region, GroupID: newGroupID(), VpcID: row.VpcID,
		Name: DefaultVPCSecurityGroupName, Description: "default VPC security group", CreatedAt: now}
	if err := tx.Create(&g).Error; err != nil {
		return VPC{}, err
	}
	return row, tx.Create(&VPCSecurityGroupRule{GroupRowID: g.ID, Protocol: "tcp", FromPort: 0, ToPort: 65535, Source: g.GroupID}).Error
}

// findVPC reads a VPC of the scope, or InvalidVpcID.NotFound.
func findVPC(tx *gorm.DB, scope Scope, vpcID string) (VPC, error) {
	var row VPC
	err := tx.Where("account_id = ? AND region = ? AND vpc_id = ?", scope.AccountID, scope.Region, strings.ToLower(vpcID)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return row, fieldError(CodeVPCNotFound, "vpc_id", "The vpc ID '%s' does not exist.", vpcID)
	}
	return row, err
}

// CreateSubnet adds a subnet to a VPC: inside the VPC's block, overlapping none of its other subnets,
// in one of the region's availability zones.
func (s *Store) CreateSubnet(ctx context.Context, scope Scope, vpcID, zone, cidr string) (VPCSubnet, error) {
	var row VPCSubnet
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		var err error
		row, err = createSubnet(tx, scope, s.now(), vpcID, zone, cidr)
		return err
	})
	return row, wrap("create subnet", err)
}

func createSubnet(tx *gorm.DB, scope Scope, now time.Time, vpcID, zone, cidr string) (VPCSubnet, error) {
	vpc, err := findVPC(tx, scope, vpcID)
	if err != nil {
		return VPCSubnet{}, err
	}
	if !containsString(AvailabilityZones(scope.Region), zone) {
		return VPCSubnet{}, fieldError(CodeInvalidParameterValue, "availability_zone", "Choose an availability zone of %s: %s.",
			scope.Region, strings.Join(AvailabilityZones(scope.Region), ", "))
	}
	block, err := parseCIDR("cidr", cidr, 16, 28)
	if err != nil {
		return VPCSubnet{}, err
	}
	_, vpcBlock, _ := net.ParseCIDR(vpc.CIDR)
	vpcBits, _ := vpcBlock.Mask.Size()
	if bits, _ := block.Mask.Size(); !vpcBlock.Contains(block.IP) || bits < vpcBits {
		return VPCSubnet{}, fieldError(CodeSubnetRange, "cidr", "The CIDR '%s' is invalid: it is not inside VPC %s's block %s.", block, vpc.VpcID, vpc.CIDR)
	}
	var siblings []VPCSubnet
	if err := tx.Where("account_id = ? AND region = ? AND vpc_id = ?", scope.AccountID, scope.Region, vpc.VpcID).Find(&siblings).Error; err != nil {
		return VPCSubnet{}, err
	}
	for _, other := range siblings {
		if _, b, err := net.ParseCIDR(other.CIDR); err == nil && overlaps(block, b) {
			return VPCSubnet{}, fieldError(CodeSubnetConflict, "cidr", "The CIDR '%s' conflicts with subnet %s (%s).", block, other.SubnetID, other.CIDR)
		}
	}
	row := VPCSubnet{AccountID: scope.AccountID, Region: scope.Region, SubnetID: "subnet-" + RandomToken(9)[:17], VpcID: vpc.VpcID,
		AvailabilityZone: zone, CIDR: block.String(), CreatedAt: now}
	return row, tx.Create(&row).Error
}

// findSubnet reads a subnet of the scope.
func findSubnet(tx *gorm.DB, scope Scope, subnetID string) (VPCSubnet, bool, error) {
	var row VPCSubnet
	err := tx.Where("account_id = ? AND region = ? AND subnet_id = ?", scope.AccountID, scope.Region, strings.ToLower(subnetID)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return row, false, nil
	}
	return row, err == nil, err
}

// DeleteSubnet removes a subnet no cache subnet group or instance uses.
func (s *Store) DeleteSubnet(ctx context.Context, scope Scope, subnetID string) error {
	return wrap("delete subnet", s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		row, ok, err := findSubnet(tx, scope, subnetID)
		if err != nil {
			return err
		}
		if !ok {
			return newError(CodeSubnetNotFound, "The subnet ID '%s' does not exist.", subnetID)
		}
		users, err := subnetUsers(tx, scope, row.SubnetID)
		if err != nil {
			return err
		}
		if len(users) > 0 {
			return newError(CodeDependencyViolation, "The subnet '%s' has dependencies and cannot be deleted: %s.", row.SubnetID, strings.Join(users, ", "))
		}
		return tx.Delete(&row).Error
	}))
}

// subnetUsers names what uses a subnet: cache subnet groups and instances.
func subnetUsers(tx *gorm.DB, scope Scope, subnetID string) ([]string, error) {
	var users []string
	var groups []CacheSubnetGroup
	if err := tx.Where("account_id = ? AND region = ? AND subnet_ids LIKE ?", scope.AccountID, scope.Region, "%"+subnetID+"%").Find(&groups).Error; err != nil {
		return nil, err
	}
	for _, g := range groups {
		if containsString(g.Subnets(), subnetID) {
			users = append(users, "cache subnet group "+g.Name)
		}
	}
	var placements []VPCInstancePlacement
	if err := tx.Where("account_id = ? AND region = ? AND subnet_id = ?", scope.AccountID, scope.Region, subnetID).Find(&placements).Error; err != nil {
		return nil, err
	}
	for _, p := range placements {
		users = append(users, "instance "+p.InstanceID)
	}
	return users, nil
}

// EnsureDefaultVPC gives a region the default VPC EC2 creates (172.31.0.0/16, one /20 subnet per
// availability zone, its default security group) unless it already has one.
func (s *Store) EnsureDefaultVPC(ctx context.Context, scope Scope) (VPC, error) {
	var row VPC
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		var err error
		row, err = ensureDefaultVPC(tx, scope, s.now())
		return err
	})
	return row, wrap("default VPC", err)
}

func ensureDefaultVPC(tx *gorm.DB, scope Scope, now time.Time) (VPC, error) {
	var row VPC
	err := tx.Where("account_id = ? AND region = ? AND is_default", scope.AccountID, scope.Region).Take(&row).Error
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return row, err
	}
	row, err = createVPC(tx, scope, now, "default", "172.31.0.0/16", true)
	if err != nil {
		return row, err
	}
	for i, zone := range AvailabilityZones(scope.Region) {
		if _, err := createSubnet(tx, scope, now, row.VpcID, zone, fmt.Sprintf("172.31.%d.0/20", 16*i)); err != nil {
			return row, err
		}
	}
	return row, nil
}
