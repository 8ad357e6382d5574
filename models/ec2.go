package models

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
)

// EC2 error codes of the simulated EC2 side.
const (
	CodeEC2GroupDuplicate    = "InvalidGroup.Duplicate"
	CodeEC2GroupNotFound     = "InvalidGroup.NotFound"
	CodeEC2InstanceDuplicate = "InvalidInstanceID.Duplicate"
	CodeEC2InstanceNotFound  = "InvalidInstanceID.NotFound"
	CodeDependencyViolation  = "DependencyViolation"
)

// EC2SecurityGroup is a simulated EC2 security group of the account; the authorize form suggests these.
type EC2SecurityGroup struct {
	ID          uint     `gorm:"primaryKey"`
	AccountID   string   `gorm:"size:12;not null;index:idx_ec2sg_scope_name,unique"`
	Region      string   `gorm:"size:32;not null;index:idx_ec2sg_scope_name,unique"`
	Name        string   `gorm:"size:255;not null;index:idx_ec2sg_scope_name,unique"`
	Description string   `gorm:"size:255;not null"`
	Platform    Platform `gorm:"size:16;not null;default:ec2-classic"`
	CreatedAt   time.Time
}

// TableName keeps the schema explicit.
func (EC2SecurityGroup) TableName() string { return "ec2_security_groups" }

// EC2Instance is a simulated EC2 instance, the client side of the connectivity explainer.
type EC2Instance struct {
	ID             uint               `gorm:"primaryKey"`
	AccountID      string             `gorm:"size:12;not null;index:idx_ec2i_scope_id,unique"`
	Region         string             `gorm:"size:32;not null;index:idx_ec2i_scope_id,unique"`
	InstanceID     string             `gorm:"size:19;not null;index:idx_ec2i_scope_id,unique"`
	Name           string             `gorm:"size:255"`
	Platform       Platform           `gorm:"size:16;not null"`
	SecurityGroups []EC2SecurityGroup `gorm:"many2many:ec2_instance_security_groups;constraint:OnDelete:CASCADE"`
	CreatedAt      time.Time
}

// TableName keeps the schema explicit.
func (EC2Instance) TableName() string { return "ec2_instances" }

// GroupNames lists the instance's EC2 security groups by name.
func (i EC2Instance) GroupNames() []string {
	names := make([]string, 0, len(i.SecurityGroups))
	for _, g := range i.SecurityGroups {
		names = append(names, g.Name)
	}
	return names
}

var instanceIDPattern = regexp.MustCompile(`^i-([0-9a-f]{8}|[0-9a-f]{17})$`)

// ListEC2SecurityGroups returns the region's EC2 security groups by name.
func (s *Store) ListEC2SecurityGroups(ctx context.Context, scope Scope) ([]EC2SecurityGroup, error) {
	var rows []EC2SecurityGroup
	err := s.db.WithContext(ctx).Where("account_id = ? AND region = ?", scope.AccountID, scope.Region).Order("name").Find(&rows).Error
	return rows, wrap("list EC2 security groups", err)
}

// requirePlatform refuses EC2-Classic resources where the region is VPC-only.
func requirePlatform(tx *gorm.DB, scope Scope, p Platform) error {
	if _, err := ParsePlatform(string(p)); err != nil {
		return err
	}
	if p == PlatformClassic {
		region, err := regionPlatform(tx, scope)
		if err != nil {
			return err
		}
		if !region.SupportsClassic() {
			return fieldError(CodeInvalidParameterValue, "platform", "This region supports only VPC, so EC2-Classic resources can't be created here.")
		}
	}
	return nil
}

// CreateEC2SecurityGroup adds a simulated EC2 security group.
func (s *Store) CreateEC2SecurityGroup(ctx context.Context, scope Scope, name, description string, platform Platform) (EC2SecurityGroup, error) {
	row := EC2SecurityGroup{AccountID: scope.AccountID, Region: scope.Region, Name: name, Description: description, Platform: platform}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		if err := ValidateEC2GroupRef(name, scope.AccountID); err != nil {
			return renameField(err, "ec2_security_group_name", "name")
		}
		if len(description) > MaxNameLength {
			return fieldError(CodeInvalidParameterValue, "description", "The description must be at most %d characters long.", MaxNameLength)
		}
		if CleanText(description) != "" || HasControl(description) {
			// EC2 allows printable characters only in descriptions, as cache group descriptions.
			return fieldError(CodeInvalidParameterValue, "description", "The description must be UTF-8 text without control characters such as line breaks or tabs.")
		}
		if err := requirePlatform(tx, scope, platform); err != nil {
			return err
		}
		err := tx.Create(&row).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return fieldError(CodeEC2GroupDuplicate, "name", "An EC2 security group named %s already exists.", name)
		}
		return err
	})
	return row, wrap("create EC2 security group", err)
}

// DeleteEC2SecurityGroup removes a simulated EC2 security group that no instance uses.
func (s *Store) DeleteEC2SecurityGroup(ctx context.Context, scope Scope, name string) error {
	return wrap("delete EC2 security group", s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		var row EC2SecurityGroup
		err := tx.Where("account_id = ? AND region = ? AND name = ?", scope.AccountID, scope.Region, name).Take(&row).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return newError(CodeEC2GroupNotFound, "EC2 security group %s not found.", name)
		}
		if err != nil {
			return err
		}
		var users int64
		if err := tx.Table("ec2_instance_security_groups").Where("ec2_security_group_id = ?", row.ID).Count(&users).Error; err != nil {
			return err
		}
		if users > 0 {
			return newError(CodeDependencyViolation, "EC2 security group %s is used by %d instance(s); change or terminate them first.", name, users)
		}
		return tx.Delete(&row).Error
	}))
}

// NewEC2Instance is the input of CreateEC2Instance.
type NewEC2Instance struct {
	InstanceID     string // generated when empty
	Name           string
	Platform       Platform
	SecurityGroups []string
}

// CreateEC2Instance adds a simulated instance in EC2 security groups of its own platform.
func (s *Store) CreateEC2Instance(ctx context.Context, scope Scope, n NewEC2Instance) (EC2Instance, error) {
	if n.InstanceID == "" {
		n.InstanceID = "i-" + RandomToken(9)[:17]
	}
	n.InstanceID = strings.ToLower(n.InstanceID)
	row := EC2Instance{AccountID: scope.AccountID, Region: scope.Region, InstanceID: n.InstanceID, Name: n.Name, Platform: n.Platform}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		switch {
		case !instanceIDPattern.MatchString(n.InstanceID):
			return fieldError(CodeInvalidParameterValue, "instance_id", "An instance ID is i- followed by 8 or 17 hexadecimal digits.")
		case len(n.Name) > MaxNameLength:
			return fieldError(CodeInvalidParameterValue, "name", "The name must be at most %d characters long.", MaxNameLength)
		case CleanText(n.Name) != "" || HasControl(n.Name):
			// The name is the instance's Name tag, which EC2 keeps to printable UTF-8.
			return fieldError(CodeInvalidParameterValue, "name", "The name must be UTF-8 text without control characters such as line breaks or tabs.")
		case len(n.SecurityGroups) == 0:
			return fieldError(CodeMissingParameter, "security_groups", "Choose at least one EC2 security group.")
		}
		if err := requirePlatform(tx, scope, n.Platform); err != nil {
			return err
		}
		for _, name := range n.SecurityGroups {
			var g EC2SecurityGroup
			err := tx.Where("account_id = ? AND region = ? AND name = ?", scope.AccountID, scope.Region, name).Take(&g).Error
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fieldError(CodeEC2GroupNotFound, "security_groups", "EC2 security group %s not found.", name)
			}
			if err != nil {
				return err
			}
			if g.Platform != n.Platform {
				return fieldError(CodeInvalidParameterCombination, "security_groups",
					"EC2 security group %s is for %s instances, not %s.", name, g.Platform.Short(), n.Platform.Short())
			}
			row.SecurityGroups = append(row.SecurityGroups, g)
		}
		err := tx.Omit("SecurityGroups.*").Create(&row).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return fieldError(CodeEC2InstanceDuplicate, "instance_id", "Instance %s already exists.", n.InstanceID)
		}
		return err
	})
	return row, wrap("create EC2 instance", err)
}

// ListEC2Instances returns the region's instances with their security groups.
func (s *Store) ListEC2Instances(ctx context.Context, scope Scope) ([]EC2Instance, error) {
	var rows []EC2Instance
	err := s.db.WithContext(ctx).Preload("SecurityGroups", func(db *gorm.DB) *gorm.DB { return db.Order("name") }).
		Where("account_id = ? AND region = ?", scope.AccountID, scope.Region).Order("name, instance_id").Find(&rows).Error
	return rows, wrap("list EC2 instances", err)
}

// GetEC2Instance finds one instance.
func (s *Store) GetEC2Instance(ctx context.Context, scope Scope, instanceID string) (EC2Instance, error) {
	var row EC2Instance
	err := s.db.WithContext(ctx).Preload("SecurityGroups", func(db *gorm.DB) *gorm.DB { return db.Order("name") }).
		Where("account_id = ? AND region = ? AND instance_id = ?", scope.AccountID, scope.Region, strings.ToLower(instanceID)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return row, newError(CodeEC2InstanceNotFound, "Instance %s not found.", instanceID)
	}
	return row, wrap("get EC2 instance", err)
}

// DeleteEC2Instance terminates a simulated instance.
func (s *Store) DeleteEC2Instance(ctx context.Context, scope Scope, instanceID string) error {
	return wrap("delete EC2 instance", s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		var row EC2Instance
		err := tx.Where("account_id = ? AND region = ? AND instance_id = ?", scope.AccountID, scope.Region, strings.ToLower(instanceID)).Take(&row).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return newError(CodeEC2InstanceNotFound, "Instance %s not found.", instanceID)
		}
		if err != nil {
			return err
		}
		if err := tx.Model(&row).Association("SecurityGroups").Clear(); err != nil {
			return err
		}
		return tx.Delete(&row).Error
	}))
}

// renameField moves a validation message to the form field of the page that shows it.
func renameField(err error, from, to string) error {
	if e, ok := AsError(err); ok {
		for i := range e.Fields {
			if e.Fields[i].Field == from {
				e.Fields[i].Field = to
			}
		}
	}
	return err
}
