package models

import (
	"context"
	"errors"
	"net"
	"regexp"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// MaxVPCSecurityGroupsPerVPC is EC2's default quota of security groups per VPC.
const MaxVPCSecurityGroupsPerVPC = 500

// VPCSecurityGroup is a simulated VPC security group: an sg- ID in one VPC, with inbound rules.
type VPCSecurityGroup struct {
	ID          uint                   `gorm:"primaryKey"`
	AccountID   string                 `gorm:"size:12;not null;index:idx_vpcsg_scope_id,unique;index:idx_vpcsg_scope_name,unique"`
	Region      string                 `gorm:"size:32;not null;index:idx_vpcsg_scope_id,unique;index:idx_vpcsg_scope_name,unique"`
	GroupID     string                 `gorm:"size:20;not null;index:idx_vpcsg_scope_id,unique"`
	VpcID       string                 `gorm:"size:21;not null;index:idx_vpcsg_scope_name,unique"`
	Name        string                 `gorm:"size:255;not null;index:idx_vpcsg_scope_name,unique"`
	Description string                 `gorm:"size:255;not null"`
	Rules       []VPCSecurityGroupRule `gorm:"foreignKey:GroupRowID;constraint:OnDelete:CASCADE"`
	CreatedAt   time.Time
}

// TableName keeps the schema explicit.
func (VPCSecurityGroup) TableName() string { return "vpc_security_groups" }

// VPCSecurityGroupRule is one inbound rule: TCP on a port range from a security group or a CIDR block.
type VPCSecurityGroupRule struct {
	ID         uint   `gorm:"primaryKey"`
	GroupRowID uint   `gorm:"not null;index"`
	Protocol   string `gorm:"size:8;not null"`
	FromPort   int    `gorm:"not null"`
	ToPort     int    `gorm:"not null"`
	Source     string `gorm:"size:20;not null"` // an sg- ID or an IPv4 CIDR block
}

// TableName keeps the schema explicit.
func (VPCSecurityGroupRule) TableName() string { return "vpc_security_group_rules" }

// Ports writes the rule's range as the EC2 console does: 6379, or 11211-11212.
func (r VPCSecurityGroupRule) Ports() string {
	if r.FromPort == r.ToPort {
		return itoa(r.FromPort)
	}
	return itoa(r.FromPort) + "-" + itoa(r.ToPort)
}

// Allows reports whether the rule admits TCP on port from a member of one of groups or from an address of block.
func (r VPCSecurityGroupRule) Allows(port int, groups []string, block string) bool {
	if port < r.FromPort || port > r.ToPort {
		return false
	}
	if strings.HasPrefix(r.Source, "sg-") {
		return containsString(groups, r.Source)
	}
	_, src, err1 := net.ParseCIDR(r.Source)
	_, from, err2 := net.ParseCIDR(block)
	if err1 != nil || err2 != nil {
		return false
	}
	srcBits, _ := src.Mask.Size()
	fromBits, _ := from.Mask.Size()
	return src.Contains(from.IP) && srcBits <= fromBits // the whole subnet lies inside the rule's block
}

var vpcSecurityGroupIDPattern = regexp.MustCompile(`^sg-([0-9a-f]{8}|[0-9a-f]{17})$`)

func newGroupID() string { return "sg-" + RandomToken(9)[:17] }

// CreateVPCSecurityGroup adds a security group to a VPC; names are unique within the VPC.
func (s *Store) CreateVPCSecurityGroup(ctx context.Context, scope Scope, vpcID, name, description string) (VPCSecurityGroup, error) {
	var row VPCSecurityGroup
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		var err error
		row, err = createVPCSecurityGroup(tx, scope, s.now(), vpcID, name, description)
		return err
	})
	return row, wrap("create VPC security group", err)
}

// createVPCSecurityGroup is CreateVPCSecurityGroup inside the caller's transaction.
func createVPCSecurityGroup(tx *gorm.DB, scope Scope, now time.Time, vpcID, name, description string) (VPCSecurityGroup, error) {
	vpc, err := findVPC(tx, scope, vpcID)
	if err != nil {
		return VPCSecurityGroup{}, err
	}
	switch {
	case strings.TrimSpace(name) == "":
		return VPCSecurityGroup{}, fieldError(CodeMissingParameter, "name", "Enter a group name.")
	case strings.HasPrefix(strings.ToLower(name), "sg-"):
		return VPCSecurityGroup{}, fieldError(CodeInvalidParameterValue, "name", "Group names may not start with sg-.")
	}
	if err := validLabel("name", name); err != nil {
		return VPCSecurityGroup{}, err
	}
	if err := validLabel("description", description); err != nil {
		return VPCSecurityGroup{}, err
	}
	var n int64
	if err := tx.Model(&VPCSecurityGroup{}).Where("account_id = ? AND region = ? AND vpc_id = ?", scope.AccountID, scope.Region, vpc.VpcID).Count(&n).Error; err != nil {
		return VPCSecurityGroup{}, err
	}
	if n >= MaxVPCSecurityGroupsPerVPC {
		return VPCSecurityGroup{}, newError(CodeVPCSecurityGroupLimit, "The maximum number of security groups for VPC %s (%d) has been reached.", vpc.VpcID, MaxVPCSecurityGroupsPerVPC)
	}
	row := VPCSecurityGroup{AccountID: scope.AccountID, Region: scope.Region, GroupID: newGroupID(), VpcID: vpc.VpcID,
		Name: name, Description: description, CreatedAt: now}
	err = tx.Create(&row).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return row, fieldError(CodeEC2GroupDuplicate, "name", "The security group '%s' already exists for VPC '%s'.", name, vpc.VpcID)
	}
	return row, err
}

// findVPCSecurityGroup reads a VPC security group of the scope by its ID.
func findVPCSecurityGroup(tx *gorm.DB, scope Scope, groupID string) (VPCSecurityGroup, error) {
	var row VPCSecurityGroup
	err := tx.Preload("Rules").
		Where("account_id = ? AND region = ? AND group_id = ?", scope.AccountID, scope.Region, strings.ToLower(groupID)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return row, newError(CodeEC2GroupNotFound, "The security group '%s' does not exist.", groupID)
	}
	sortRules(row.Rules)
	return row, err
}

// sortRules puts a group's rules in the order they are shown and checked: by ports, then source
// byte by byte. Sorted here rather than by ORDER BY, whose text order follows PostgreSQL's
// collation and would differ from SQLite's.
func sortRules(rules []VPCSecurityGroupRule) {
	sort.Slice(rules, func(i, j int) bool {
		a, b := rules[i], rules[j]
		if a.FromPort != b.FromPort {
			return a.FromPort < b.FromPort
		}
		if a.ToPort != b.ToPort {
			return a.ToPort < b.ToPort
		}
		return a.Source < b.Source
	})
}

// GetVPCSecurityGroup reads one VPC security group with its rules.
func (s *Store) GetVPCSecurityGroup(ctx context.Context, scope Scope, groupID string) (VPCSecurityGroup, error) {
	row, err := findVPCSecurityGroup(s.db.WithContext(ctx), scope, groupID)
	return row, wrap("get VPC security group", err)
}

// VPCRule is an inbound rule to add or remove.
type VPCRule struct {
	FromPort, ToPort int
	Source           string // sg- ID of the same VPC, or an IPv4 CIDR block
}

// validate checks a rule against its group: ports 0-65535 in order, a source group of the same VPC.
func (r *VPCRule) validate(tx *gorm.DB, scope Scope, g VPCSecurityGroup) error {
	if r.FromPort < 0 || r.ToPort > 65535 || r.FromPort > r.ToPort {
		return fieldError(CodeInvalidParameterValue, "ports", "Ports are 0 to 65535, the first no greater than the last.")
	}
	r.Source = strings.ToLower(strings.TrimSpace(r.Source))
	if strings.HasPrefix(r.Source, "sg-") {
		if !vpcSecurityGroupIDPattern.MatchString(r.Source) {
			return fieldError(CodeInvalidParameterValue, "source", "%q is not a security group ID: sg- followed by 8 or 17 hexadecimal digits.", r.Source)
		}
		src, err := findVPCSecurityGroup(tx, scope, r.Source)
		if HasCode(err, CodeEC2GroupNotFound) {
			return fieldError(CodeEC2GroupNotFound, "source", "The security group '%s' does not exist.", r.Source)
		}
		if err != nil {
			return err
		}
		if src.VpcID != g.VpcID {
			return fieldError(CodeInvalidParameterValue, "source", "Security group %s is in VPC %s, not %s.", src.GroupID, src.VpcID, g.VpcID)
		}
		return nil
	}
	block, err := parseCIDR("source", r.Source, 0, 32)
	if err != nil {
		return fieldError(CodeInvalidParameterValue, "source", "The source is a security group ID (sg-...) or an IPv4 CIDR block such as 10.0.0.0/16.")
	}
	r.Source = block.String()
	return nil
}

// AuthorizeVPCIngress adds an inbound TCP rule to a VPC security group.
func (s *Store) AuthorizeVPCIngress(ctx context.Context, scope Scope, groupID string, rule VPCRule) (VPCSecurityGroup, error) {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		g, err := findVPCSecurityGroup(tx, scope, groupID)
		if err != nil {
			return err
		}
		return authorizeVPCIngress(tx, scope, g, rule)
	})
	if err != nil {
		return VPCSecurityGroup{}, wrap("authorize VPC ingress", err)
	}
	return s.GetVPCSecurityGroup(ctx, scope, groupID)
}

// authorizeVPCIngress is AuthorizeVPCIngress on a group read inside the caller's transaction.
func authorizeVPCIngress(tx *gorm.DB, scope Scope, g VPCSecurityGroup, rule VPCRule) error {
	if err := rule.validate(tx, scope, g); err != nil {
		return err
	}
	for _, r := range g.Rules {
		if r.FromPort == rule.FromPort && r.ToPort == rule.ToPort && r.Source == rule.Source {
			return fieldError(CodePermissionDuplicate, "source", "The rule (TCP %s from %s) already exists.", r.Ports(), r.Source)
		}
	}
	return tx.Create(&VPCSecurityGroupRule{GroupRowID: g.ID, Protocol: "tcp", FromPort: rule.FromPort, ToPort: rule.ToPort, Source: rule.Source}).Error
}

// RevokeVPCIngress removes an inbound rule.
func (s *Store) RevokeVPCIngress(ctx context.Context, scope Scope, groupID string, rule VPCRule) (VPCSecurityGroup, error) {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		g, err := findVPCSecurityGroup(tx, scope, groupID)
		if err != nil {
			return err
		}
		source := strings.ToLower(strings.TrimSpace(rule.Source))
		for _, r := range g.Rules {
			if r.FromPort == rule.FromPort && r.ToPort == rule.ToPort && r.Source == source {
				return tx.Delete(&r).Error
			}
		}
		return newError(CodePermissionNotFound, "The specified rule does not exist in security group %s.", g.GroupID)
	})
	if err != nil {
		return VPCSecurityGroup{}, wrap("revoke VPC ingress", err)
	}
	return s.GetVPCSecurityGroup(ctx, scope, groupID)
}

// DeleteVPCSecurityGroup removes a group nothing depends on: not a VPC's default group, not a
// source of another group's rule, not used by an instance or a cache cluster.
func (s *Store) DeleteVPCSecurityGroup(ctx context.Context, scope Scope, groupID string) error {
	return wrap("delete VPC security group", s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		g, err := findVPCSecurityGroup(tx, scope, groupID)
		if err != nil {
			return err
		}
		if g.Name == DefaultVPCSecurityGroupName {
			return newError(CodeInvalidParameterValue, "The default security group of a VPC cannot be deleted.")
		}
		var refs int64
		if err := tx.Model(&VPCSecurityGroupRule{}).Where("source = ? AND group_row_id <> ?", g.GroupID, g.ID).Count(&refs).Error; err != nil {
			return err
		}
		var users []string
		if refs > 0 {
			users = append(users, "rules of other security groups")
		}
		var placements []VPCInstancePlacement
		if err := tx.Where("account_id = ? AND region = ? AND security_group_ids LIKE ?", scope.AccountID, scope.Region, "%"+g.GroupID+"%").Find(&placements).Error; err != nil {
			return err
		}
		for _, p := range placements {
			users = append(users, "instance "+p.InstanceID)
		}
		var clusters []CacheCluster
		if err := tx.Where("account_id = ? AND region = ? AND vpc_security_group_ids LIKE ?", scope.AccountID, scope.Region, "%"+g.GroupID+"%").Find(&clusters).Error; err != nil {
			return err
		}
		for _, c := range clusters {
			if c.StatusAt(s.now()) != ClusterGone {
				users = append(users, "cache cluster "+c.ClusterID)
			}
		}
		if len(users) > 0 {
			return newError(CodeDependencyViolation, "resource %s has a dependent object: %s.", g.GroupID, strings.Join(users, ", "))
		}
		return tx.Select("Rules").Delete(&g).Error
	}))
}
