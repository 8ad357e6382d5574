package models

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ec2GroupNamePattern is the character set EC2 accepts in security group names.
var ec2GroupNamePattern = regexp.MustCompile(`^[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]+$`)

// ValidateEC2GroupRef checks the EC2 security group name and owner account ID of an authorization.
func ValidateEC2GroupRef(name, ownerID string) error {
	var fields []FieldError
	code := CodeInvalidParameterValue
	switch {
	case name == "":
		code = CodeMissingParameter
		fields = append(fields, FieldError{"ec2_security_group_name", "Enter the name of an EC2 security group."})
	case len(name) > MaxNameLength:
		fields = append(fields, FieldError{"ec2_security_group_name", "An EC2 security group name is at most 255 characters long."})
	case !ec2GroupNamePattern.MatchString(name):
		fields = append(fields, FieldError{"ec2_security_group_name", "An EC2 security group name can contain only letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"})
	}
	switch {
	case ownerID == "":
		if len(fields) == 0 {
			code = CodeMissingParameter
		}
		fields = append(fields, FieldError{"ec2_security_group_owner_id", "Enter the AWS account ID that owns the EC2 security group."})
	case strings.HasPrefix(ownerID, "AKIA") || strings.HasPrefix(ownerID, "ASIA"):
		fields = append(fields, FieldError{"ec2_security_group_owner_id", "That is an access key ID. Enter the owner's 12-digit AWS account number instead."})
	case !ValidAccountID(ownerID):
		fields = append(fields, FieldError{"ec2_security_group_owner_id", "The owner ID must be a 12-digit AWS account number."})
	}
	if len(fields) > 0 {
		return &Error{Code: code, Message: fields[0].Message, Fields: fields}
	}
	return nil
}

// ingressChange is what Authorize and Revoke both look up before deciding: the cache security
// group and the current entry for the EC2 security group (found is false when there is none).
type ingressChange struct {
	group    CacheSecurityGroup
	existing EC2Authorization
	found    bool
	status   AuthorizationStatus
	now      time.Time
}

// changeIngress runs one authorize or revoke in a transaction, after the checks both share.
func (s *Store) changeIngress(ctx context.Context, scope Scope, op, group, ec2Name, ownerID string, apply func(tx *gorm.DB, c ingressChange) error) (SecurityGroup, error) {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		if err := requireClassic(tx, scope); err != nil {
			return err
		}
		row, err := findGroup(tx, scope, group)
		if err != nil {
			return err
		}
		if err := ValidateEC2GroupRef(ec2Name, ownerID); err != nil {
			return err
		}
		c := ingressChange{group: row, now: s.now()}
		if c.existing, c.found, err = findAuthorization(tx, row.ID, ec2Name, ownerID); err != nil {
			return err
		}
		c.status = StatusGone
		if c.found {
			c.status = c.existing.StatusAt(c.now)
		}
		return apply(tx, c)
	})
	if err != nil {
		return SecurityGroup{}, wrap(op, err)
	}
	return s.GetSecurityGroup(ctx, scope, group)
}

// AuthorizeIngress lets the EC2 security group (name, owner) into the cache security group. The
// entry is authorizing for the propagation delay, then authorized.
func (s *Store) AuthorizeIngress(ctx context.Context, scope Scope, group, ec2Name, ownerID string) (SecurityGroup, error) {
	return s.changeIngress(ctx, scope, "authorize ingress", group, ec2Name, ownerID, func(tx *gorm.DB, c ingressChange) error {
		if err := refuseVPCGroup(tx, scope, ec2Name, ownerID); err != nil {
			return err
		}
		switch {
		case c.status == StatusRevoking:
			return fieldError(CodeInvalidSecurityGroupState, "ec2_security_group_name",
				"EC2 security group %s (owner %s) is still being revoked from %s. Authorize it again once the revocation completes.", ec2Name, ownerID, c.group.Name)
		case c.status != StatusGone:
			return fieldError(CodeAuthorizationAlreadyExists, "ec2_security_group_name",
				"EC2 security group %s (owner %s) is already authorized for %s.", ec2Name, ownerID, c.group.Name)
		case c.found: // a finished revocation leaves its row behind until the pair is used again
			if err := tx.Delete(&c.existing).Error; err != nil {
				return err
			}
		}
		if err := tx.Create(&EC2Authorization{GroupID: c.group.ID, EC2GroupName: ec2Name, EC2OwnerID: ownerID,
			AuthorizedAt: c.now, ActiveAt: c.now.Add(s.PropagationDelay)}).Error; err != nil {
			return err
		}
		return s.recordIngressEvents(tx, scope, c.group, c.now, "Authorized EC2 security group %s (owner %s)", ec2Name, ownerID)
	})
}

// RevokeIngress starts removing an EC2 security group from the cache security group. The entry is
// revoking for the propagation delay and then no longer exists.
func (s *Store) RevokeIngress(ctx context.Context, scope Scope, group, ec2Name, ownerID string) (SecurityGroup, error) {
	return s.changeIngress(ctx, scope, "revoke ingress", group, ec2Name, ownerID, func(tx *gorm.DB, c ingressChange) error {
		switch c.status {
		case StatusGone:
			return fieldError(CodeAuthorizationNotFound, "ec2_security_group_name",
				"EC2 security group %s (owner %s) is not authorized for %s.", ec2Name, ownerID, c.group.Name)
		case StatusRevoking:
			return fieldError(CodeInvalidSecurityGroupState, "ec2_security_group_name",
				"EC2 security group %s (owner %s) is already being revoked from %s.", ec2Name, ownerID, c.group.Name)
		}
		gone := c.now.Add(s.PropagationDelay)
		if err := tx.Model(&c.existing).Updates(map[string]any{"revoked_at": c.now, "gone_at": gone}).Error; err != nil {
			return err
		}
		return s.recordIngressEvents(tx, scope, c.group, c.now, "Revoked EC2 security group %s (owner %s)", ec2Name, ownerID)
	})
}

func findAuthorization(tx *gorm.DB, groupID uint, ec2Name, ownerID string) (EC2Authorization, bool, error) {
	var rows []EC2Authorization
	err := tx.Where("group_id = ? AND ec2_group_name = ? AND ec2_owner_id = ?", groupID, ec2Name, ownerID).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return EC2Authorization{}, false, err
	}
	return rows[0], true, nil
}

// recordIngressEvents records an ingress change on the group and, as the service's
// CacheClusterSecurityGroupModified notification does, on every cluster that uses the group.
func (s *Store) recordIngressEvents(tx *gorm.DB, scope Scope, group CacheSecurityGroup, now time.Time, format string, args ...any) error {
	change := fmt.Sprintf(format, args...)
	if err := recordEvent(tx, scope, now, SourceCacheSecurityGroup, group.Name, "%s", change); err != nil {
		return err
	}
	clusters, err := s.clustersUsingGroup(tx, group.ID)
	if err != nil {
		return err
	}
	for _, id := range clusters {
		if err := recordEvent(tx, scope, now, SourceCacheCluster, id, "Applied change to security group %s: %s", group.Name, lowerFirst(change)); err != nil {
			return err
		}
	}
	return nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// AuthorizableEC2SecurityGroups lists the account's EC2 security groups that a cache security group
// can admit: the EC2-Classic ones (refuseVPCGroup turns the others away).
func (s *Store) AuthorizableEC2SecurityGroups(ctx context.Context, scope Scope) ([]EC2SecurityGroup, error) {
	v, err := s.view(ctx, scope)
	if err != nil {
		return nil, wrap("authorizable EC2 security groups", err)
	}
	return slices.Clone(v.suggest), nil
}

// refuseVPCGroup refuses the account's own VPC security groups: a cache security group admits
// EC2-Classic security groups only. Groups of other accounts, which sgconsole does not simulate,
// are taken on trust.
func refuseVPCGroup(tx *gorm.DB, scope Scope, ec2Name, ownerID string) error {
	if ownerID != scope.AccountID {
		return nil
	}
	var groups []EC2SecurityGroup
	err := tx.Where("account_id = ? AND region = ? AND name = ?", scope.AccountID, scope.Region, ec2Name).Limit(1).Find(&groups).Error
	if err != nil || len(groups) == 0 || groups[0].Platform != PlatformVPC {
		return err
	}
	return fieldError(CodeInvalidParameterValue, "ec2_security_group_name",
		"%s is a VPC security group. Cache security groups admit EC2-Classic security groups only; in a VPC, use VPC security groups on the cluster.", ec2Name)
}
