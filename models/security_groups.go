package models

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

// DefaultGroupName is the cache security group every EC2-Classic region has and nobody may delete.
const DefaultGroupName = "default"

// MaxSecurityGroupsPerRegion is the service quota of cache security groups per account and region.
const MaxSecurityGroupsPerRegion = 50

// MaxNameLength bounds names and descriptions, as the API documents.
const MaxNameLength = 255

// CacheSecurityGroup is the stored row of a cache security group; names are stored lower-case.
type CacheSecurityGroup struct {
	ID             uint               `gorm:"primaryKey"`
	AccountID      string             `gorm:"size:12;not null;index:idx_sg_scope_name,unique"`
	Region         string             `gorm:"size:32;not null;index:idx_sg_scope_name,unique"`
	Name           string             `gorm:"size:255;not null;index:idx_sg_scope_name,unique"`
	Description    string             `gorm:"size:255;not null"`
	CreatedAt      time.Time          `gorm:"not null"`
	Authorizations []EC2Authorization `gorm:"foreignKey:GroupID;constraint:OnDelete:CASCADE"`
}

// TableName keeps the schema explicit.
func (CacheSecurityGroup) TableName() string { return "cache_security_groups" }

// EC2Authorization is one EC2 security group allowed into a cache security group. Its status is
// derived from the timestamps at read time, so it is right after a restart and on every instance.
type EC2Authorization struct {
	ID           uint       `gorm:"primaryKey"`
	GroupID      uint       `gorm:"not null;index:idx_auth_pair,unique"`
	EC2GroupName string     `gorm:"size:255;not null;index:idx_auth_pair,unique"`
	EC2OwnerID   string     `gorm:"size:12;not null;index:idx_auth_pair,unique"`
	AuthorizedAt time.Time  `gorm:"not null"`
	ActiveAt     time.Time  `gorm:"not null"` // authorizing until then
	RevokedAt    *time.Time // revoking from then ...
	GoneAt       *time.Time // ... until then; afterwards the entry no longer exists
}

// TableName keeps the schema explicit.
func (EC2Authorization) TableName() string { return "ec2_authorizations" }

// AuthorizationStatus is the status the service reports for an EC2 security group entry.
type AuthorizationStatus string

// The statuses of an EC2 security group entry; StatusGone entries are not shown anywhere.
const (
	StatusAuthorizing AuthorizationStatus = "authorizing"
	StatusAuthorized  AuthorizationStatus = "authorized"
	StatusRevoking    AuthorizationStatus = "revoking"
	StatusGone        AuthorizationStatus = ""
)

// Pending reports whether the status will change by itself.
func (s AuthorizationStatus) Pending() bool { return s == StatusAuthorizing || s == StatusRevoking }

// StatusAt derives the entry's status at the given time.
func (a EC2Authorization) StatusAt(now time.Time) AuthorizationStatus {
	switch {
	case a.GoneAt != nil && !now.Before(*a.GoneAt):
		return StatusGone
	case a.RevokedAt != nil:
		return StatusRevoking
	case now.Before(a.ActiveAt):
		return StatusAuthorizing
	default:
		return StatusAuthorized
	}
}

// EC2Grant is an EC2 security group entry as both front ends show it.
type EC2Grant struct {
	Name    string
	OwnerID string
	Status  AuthorizationStatus
}

// SecurityGroup is a cache security group as the service describes it.
type SecurityGroup struct {
	OwnerID           string
	Region            string
	Name              string
	Description       string
	CreatedAt         time.Time
	EC2SecurityGroups []EC2Grant
}

// ARN is the group's Amazon Resource Name.
func (g SecurityGroup) ARN() string {
	return SecurityGroupARN(Scope{AccountID: g.OwnerID, Region: g.Region}, g.Name)
}

// SecurityGroupARN builds the ARN of the named group in scope.
func SecurityGroupARN(scope Scope, name string) string {
	return fmt.Sprintf("arn:aws:elasticache:%s:%s:securitygroup:%s", scope.Region, scope.AccountID, name)
}

// IsDefault reports whether this is the undeletable default group.
func (g SecurityGroup) IsDefault() bool { return g.Name == DefaultGroupName }

// Pending reports whether any entry is still authorizing or revoking.
func (g SecurityGroup) Pending() bool {
	for _, e := range g.EC2SecurityGroups {
		if e.Status.Pending() {
			return true
		}
	}
	return false
}

func describe(row CacheSecurityGroup, now time.Time) SecurityGroup {
	g := SecurityGroup{OwnerID: row.AccountID, Region: row.Region, Name: row.Name,
		Description: row.Description, CreatedAt: row.CreatedAt, EC2SecurityGroups: []EC2Grant{}}
	for _, a := range row.Authorizations {
		if st := a.StatusAt(now); st != StatusGone {
			g.EC2SecurityGroups = append(g.EC2SecurityGroups, EC2Grant{Name: a.EC2GroupName, OwnerID: a.EC2OwnerID, Status: st})
		}
	}
	return g
}

var groupNamePattern = regexp.MustCompile(`^[A-Za-z0-9-]+$`)

// ValidateSecurityGroupInput checks a new group's name and description and returns the name as stored.
func ValidateSecurityGroupInput(name, description string) (string, error) {
	var fields []FieldError
	code := CodeInvalidParameterValue
	switch {
	case name == "":
		code = CodeMissingParameter
		fields = append(fields, FieldError{"name", "Enter a name for the security group."})
	case len(name) > MaxNameLength:
		fields = append(fields, FieldError{"name", fmt.Sprintf("The name must be at most %d characters long.", MaxNameLength)})
	case !groupNamePattern.MatchString(name):
		fields = append(fields, FieldError{"name", "The name can contain only letters (A-Z, a-z), digits (0-9) and hyphens (-)."})
	case strings.EqualFold(name, DefaultGroupName):
		fields = append(fields, FieldError{"name", `The name "default" is reserved. Choose another name.`})
	}
	switch {
	case description == "":
		if len(fields) == 0 {
			code = CodeMissingParameter
		}
		fields = append(fields, FieldError{"description", "Enter a description."})
	case !utf8.ValidString(description):
		// Checked here too for callers other than the console and the API, which refuse it first.
		fields = append(fields, FieldError{"description", "The description must be UTF-8 text."})
	case utf8.RuneCountInString(description) > MaxNameLength:
		fields = append(fields, FieldError{"description", fmt.Sprintf("The description must be at most %d characters long.", MaxNameLength)})
	case strings.IndexFunc(description, unicode.IsControl) >= 0:
		fields = append(fields, FieldError{"description", "The description cannot contain control characters such as line breaks or tabs."})
	}
	if len(fields) > 0 {
		return "", &Error{Code: code, Message: fields[0].Message, Fields: fields}
	}
	return strings.ToLower(name), nil
}

// CreateSecurityGroup creates a cache security group with no authorizations.
func (s *Store) CreateSecurityGroup(ctx context.Context, scope Scope, name, description string, tags ...Tag) (SecurityGroup, error) {
	var created CacheSecurityGroup
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		if err := requireClassic(tx, scope); err != nil {
			return err
		}
		stored, err := ValidateSecurityGroupInput(name, description)
		if err != nil {
			return err
		}
		if _, err := findGroup(tx, scope, stored); err == nil {
			return fieldError(CodeCacheSecurityGroupAlreadyExist, "name", "A cache security group named %s already exists.", stored)
		} else if !HasCode(err, CodeCacheSecurityGroupNotFound) {
			return err
		}
		var count int64
		if err := tx.Model(&CacheSecurityGroup{}).Where("account_id = ? AND region = ?", scope.AccountID, scope.Region).Count(&count).Error; err != nil {
			return err
		}
		if count >= MaxSecurityGroupsPerRegion {
			return newError(CodeSecurityGroupQuotaExceeded,
				"This region already has %d cache security groups, the most allowed. Delete one before creating another.", MaxSecurityGroupsPerRegion)
		}
		created = CacheSecurityGroup{AccountID: scope.AccountID, Region: scope.Region, Name: stored, Description: description, CreatedAt: s.now()}
		err = tx.Create(&created).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return fieldError(CodeCacheSecurityGroupAlreadyExist, "name", "A cache security group named %s already exists.", stored)
		}
		if err != nil {
			return err
		}
		if err := securityGroupTags.put(tx, created.ID, tags); err != nil {
			return err
		}
		return recordEvent(tx, scope, created.CreatedAt, SourceCacheSecurityGroup, stored, "Created cache security group %s", stored)
	})
	if err != nil {
		return SecurityGroup{}, wrap("create security group", err)
	}
	return describe(created, s.now()), nil
}

// GetSecurityGroup describes one group; names match case-insensitively.
func (s *Store) GetSecurityGroup(ctx context.Context, scope Scope, name string) (SecurityGroup, error) {
	v, err := s.classicView(ctx, scope)
	if err != nil {
		return SecurityGroup{}, wrap("get security group", err)
	}
	row, err := v.group(name)
	if err != nil {
		return SecurityGroup{}, err
	}
	return describe(row, s.now()), nil
}

func findGroup(db *gorm.DB, scope Scope, name string) (CacheSecurityGroup, error) {
	var row CacheSecurityGroup
	err := db.Where("account_id = ? AND region = ? AND name = ?", scope.AccountID, scope.Region, strings.ToLower(name)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return row, newError(CodeCacheSecurityGroupNotFound, "Cache security group %s not found.", strings.ToLower(name))
	}
	return row, err
}

// DeleteSecurityGroup deletes a group and its authorizations; the default group cannot be deleted.
func (s *Store) DeleteSecurityGroup(ctx context.Context, scope Scope, name string) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		if err := requireClassic(tx, scope); err != nil {
			return err
		}
		row, err := findGroup(tx, scope, name)
		if err != nil {
			return err
		}
		if row.Name == DefaultGroupName {
			return newError(CodeInvalidParameterValue, "You cannot delete the default security group.")
		}
		inUse, err := s.clustersUsingGroup(tx, row.ID)
		if err != nil {
			return err
		}
		if len(inUse) > 0 {
			return newError(CodeInvalidSecurityGroupState, "Cache security group %s is used by cache clusters %s. Remove it from them (Modify) or delete them first.",
				row.Name, strings.Join(inUse, ", "))
		}
		// Memberships of clusters that finished deleting, or that were removed, are history only.
		if err := tx.Where("group_id = ?", row.ID).Delete(&ClusterMembership{}).Error; err != nil {
			return err
		}
		if err := tx.Where("group_id = ?", row.ID).Delete(&EC2Authorization{}).Error; err != nil {
			return err
		}
		if err := securityGroupTags.drop(tx, row.ID); err != nil {
			return err
		}
		if err := tx.Delete(&row).Error; err != nil {
			return err
		}
		return recordEvent(tx, scope, s.now(), SourceCacheSecurityGroup, row.Name, "Deleted cache security group %s", row.Name)
	})
	return wrap("delete security group", err)
}

func ensureDefaultGroup(tx *gorm.DB, scope Scope, now time.Time) error {
	var n int64
	if err := tx.Model(&CacheSecurityGroup{}).Where("account_id = ? AND region = ? AND name = ?", scope.AccountID, scope.Region, DefaultGroupName).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	return tx.Create(&CacheSecurityGroup{AccountID: scope.AccountID, Region: scope.Region, Name: DefaultGroupName, Description: DefaultGroupName, CreatedAt: now}).Error
}

// wrap adds context to infrastructure errors but leaves domain errors as they are, since their
// messages are shown to users.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := AsError(err); ok {
		return err
	}
	return fmt.Errorf("models: %s: %w", op, err)
}
