package models

import (
	"context"
	"errors"
	"regexp"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ElastiCache's cache subnet group faults, with the codes the service sends (some keep "Fault").
const (
	CodeSubnetGroupAlreadyExists = "CacheSubnetGroupAlreadyExists"
	CodeSubnetGroupNotFound      = "CacheSubnetGroupNotFoundFault"
	CodeSubnetGroupInUse         = "CacheSubnetGroupInUse"
	CodeSubnetGroupQuota         = "CacheSubnetGroupQuotaExceeded"
	CodeSubnetQuota              = "CacheSubnetQuotaExceededFault"
	CodeInvalidSubnet            = "InvalidSubnet"
	CodeSubnetInUse              = "SubnetInUse"
	SourceCacheSubnetGroup       = "cache-subnet-group"
)

// AWS's default quotas: subnet groups per region, subnets per subnet group.
const (
	MaxSubnetGroups          = 150
	MaxSubnetsPerSubnetGroup = 20
)

func init() {
	for code, kind := range map[string]Kind{
		CodeSubnetGroupAlreadyExists: KindAlreadyExists, CodeSubnetGroupNotFound: KindNotFound,
		CodeSubnetGroupInUse: KindConflict, CodeSubnetGroupQuota: KindQuota, CodeSubnetQuota: KindQuota,
		CodeInvalidSubnet: KindInvalid, CodeSubnetInUse: KindConflict,
	} {
		codeKinds[code] = kind
	}
}

// CacheSubnetGroup is a named set of subnets of one VPC that VPC clusters are placed in.
type CacheSubnetGroup struct {
	ID          uint   `gorm:"primaryKey"`
	AccountID   string `gorm:"size:12;not null;index:idx_csng_scope_name,unique"`
	Region      string `gorm:"size:32;not null;index:idx_csng_scope_name,unique"`
	Name        string `gorm:"size:255;not null;index:idx_csng_scope_name,unique"`
	Description string `gorm:"size:255;not null"`
	VpcID       string `gorm:"size:21;not null"`
	SubnetIDs   string `gorm:"size:1024;not null"` // space-separated, in the order given
	CreatedAt   time.Time
}

// TableName keeps the schema explicit.
func (CacheSubnetGroup) TableName() string { return "cache_subnet_groups" }

// Subnets lists the group's subnet IDs.
func (g CacheSubnetGroup) Subnets() []string { return strings.Fields(g.SubnetIDs) }

// SubnetGroup is a cache subnet group as both front ends show it: its subnets with their zones.
type SubnetGroup struct {
	AccountID   string
	Region      string
	Name        string
	Description string
	VpcID       string
	Subnets     []VPCSubnet
	Clusters    []string // IDs of the clusters placed in it
	CreatedAt   time.Time
}

// ARN is the subnet group's Amazon Resource Name.
func (g SubnetGroup) ARN() string {
	return "arn:aws:elasticache:" + g.Region + ":" + g.AccountID + ":subnetgroup:" + g.Name
}

// NewSubnetGroup is the input of CreateSubnetGroup and ModifySubnetGroup.
type NewSubnetGroup struct {
	Name        string
	Description string
	SubnetIDs   []string
	Tags        []Tag
}

// validateName checks a subnet group name as the service does: letters, digits and hyphens, at most
// 255, starting with a letter, stored lower-case.
func validSubnetGroupName(name string) error {
	switch {
	case name == "":
		return fieldError(CodeMissingParameter, "subnet_group_name", "Enter a name for the subnet group.")
	case len(name) > 255 || !subnetGroupNamePattern.MatchString(name) || !isLetter(name[0]) || strings.HasSuffix(name, "-") || strings.Contains(name, "--"):
		return fieldError(CodeInvalidParameterValue, "subnet_group_name", "A subnet group name is 1 to 255 letters, digits or hyphens, starting with a letter, without two hyphens in a row or a hyphen at the end.")
	}
	return nil
}

var subnetGroupNamePattern = regexp.MustCompile(`^[a-zA-Z0-9-]+$`)

func isLetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

// resolveSubnets checks a group's subnets: at least one, at most 20, each existing in the scope and
// all in one VPC (vpcID, when set, is the VPC they must be in). Repeats count once.
func resolveSubnets(tx *gorm.DB, scope Scope, ids []string, vpcID string) ([]VPCSubnet, error) {
	if len(ids) == 0 {
		return nil, fieldError(CodeMissingParameter, "subnet_ids", "Choose at least one subnet.")
	}
	var subnets []VPCSubnet
	seen := map[string]bool{}
	for _, id := range ids {
		id = strings.ToLower(strings.TrimSpace(id))
		if seen[id] {
			continue
		}
		seen[id] = true
		sn, ok, err := findSubnet(tx, scope, id)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fieldError(CodeInvalidSubnet, "subnet_ids", "The subnet ID %s does not exist.", id)
		}
		if vpcID == "" {
			vpcID = sn.VpcID
		}
		if sn.VpcID != vpcID {
			return nil, fieldError(CodeInvalidSubnet, "subnet_ids", "Subnet %s is in VPC %s; every subnet of the group must be in %s.", sn.SubnetID, sn.VpcID, vpcID)
		}
		subnets = append(subnets, sn)
	}
	if len(subnets) > MaxSubnetsPerSubnetGroup {
		return nil, fieldError(CodeSubnetQuota, "subnet_ids", "A cache subnet group can have at most %d subnets.", MaxSubnetsPerSubnetGroup)
	}
	return subnets, nil
}

func subnetIDs(subnets []VPCSubnet) string {
	ids := make([]string, len(subnets))
	for i, s := range subnets {
		ids[i] = s.SubnetID
	}
	return strings.Join(ids, " ")
}

// CreateSubnetGroup creates a cache subnet group of subnets of one VPC.
func (s *Store) CreateSubnetGroup(ctx context.Context, scope Scope, n NewSubnetGroup) (SubnetGroup, error) {
	name := strings.ToLower(n.Name)
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		if err := validSubnetGroupName(n.Name); err != nil {
			return err
		}
		if strings.TrimSpace(n.Description) == "" {
			return fieldError(CodeMissingParameter, "subnet_group_description", "Enter a description.")
		}
		if err := validLabel("subnet_group_description", n.Description); err != nil {
			return err
		}
		subnets, err := resolveSubnets(tx, scope, n.SubnetIDs, "")
		if err != nil {
			return err
		}
		var count int64
		if err := tx.Model(&CacheSubnetGroup{}).Where("account_id = ? AND region = ?", scope.AccountID, scope.Region).Count(&count).Error; err != nil {
			return err
		}
		if _, found, err := findSubnetGroup(tx, scope, name); err != nil {
			return err
		} else if found {
			return fieldError(CodeSubnetGroupAlreadyExists, "subnet_group_name", "Cache subnet group %s already exists.", name)
		}
		if count >= MaxSubnetGroups {
			return newError(CodeSubnetGroupQuota, "You have reached the maximum of %d cache subnet groups in %s.", MaxSubnetGroups, scope.Region)
		}
		now := s.now()
		row := CacheSubnetGroup{AccountID: scope.AccountID, Region: scope.Region, Name: name, Description: n.Description,
			VpcID: subnets[0].VpcID, SubnetIDs: subnetIDs(subnets), CreatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return fieldError(CodeSubnetGroupAlreadyExists, "subnet_group_name", "Cache subnet group %s already exists.", name)
			}
			return err
		}
		if err := subnetGroupTags.put(tx, row.ID, n.Tags); err != nil {
			return err
		}
		return recordEvent(tx, scope, now, SourceCacheSubnetGroup, name, "Cache subnet group created")
	})
	if err != nil {
		return SubnetGroup{}, wrap("create subnet group", err)
	}
	return s.GetSubnetGroup(ctx, scope, name)
}

func findSubnetGroup(tx *gorm.DB, scope Scope, name string) (CacheSubnetGroup, bool, error) {
	var row CacheSubnetGroup
	err := tx.Where("account_id = ? AND region = ? AND name = ?", scope.AccountID, scope.Region, strings.ToLower(name)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return row, false, nil
	}
	return row, err == nil, err
}

func subnetGroupNotFound(name string) error {
	return newError(CodeSubnetGroupNotFound, "Cache subnet group %s not found.", name)
}

// subnetGroupClusters lists the IDs of the clusters (not yet gone) placed in a subnet group.
func subnetGroupClusters(tx *gorm.DB, scope Scope, name string, now time.Time) ([]string, error) {
	var rows []CacheCluster
	if err := tx.Where("account_id = ? AND region = ? AND subnet_group = ?", scope.AccountID, scope.Region, name).Order("cluster_id").Find(&rows).Error; err != nil {
		return nil, err
	}
	ids := []string{}
	for _, c := range rows {
		if c.StatusAt(now) != ClusterGone {
			ids = append(ids, c.ClusterID)
		}
	}
	return ids, nil
}

// describeSubnetGroup joins a group with its subnets and clusters.
func describeSubnetGroup(tx *gorm.DB, scope Scope, row CacheSubnetGroup, now time.Time) (SubnetGroup, error) {
	g := SubnetGroup{AccountID: row.AccountID, Region: row.Region, Name: row.Name, Description: row.Description, VpcID: row.VpcID, CreatedAt: row.CreatedAt}
	for _, id := range row.Subnets() {
		sn, ok, err := findSubnet(tx, scope, id)
		if err != nil {
			return g, err
		}
		if ok {
			g.Subnets = append(g.Subnets, sn)
		}
	}
	var err error
	g.Clusters, err = subnetGroupClusters(tx, scope, row.Name, now)
	return g, err
}

// GetSubnetGroup reads one cache subnet group.
func (s *Store) GetSubnetGroup(ctx context.Context, scope Scope, name string) (SubnetGroup, error) {
	db := s.db.WithContext(ctx)
	row, ok, err := findSubnetGroup(db, scope, name)
	if err != nil {
		return SubnetGroup{}, wrap("get subnet group", err)
	}
	if !ok {
		return SubnetGroup{}, subnetGroupNotFound(name)
	}
	g, err := describeSubnetGroup(db, scope, row, s.now())
	return g, wrap("get subnet group", err)
}

// SubnetGroupPage is one page of subnet groups by name; Next is the last name when more follow.
type SubnetGroupPage struct {
	Items []SubnetGroup
	Next  string
}

// ListSubnetGroups returns up to limit groups named after `after`, by name.
func (s *Store) ListSubnetGroups(ctx context.Context, scope Scope, after string, limit int) (SubnetGroupPage, error) {
	db := s.db.WithContext(ctx)
	var rows []CacheSubnetGroup
	q := db.Where("account_id = ? AND region = ?", scope.AccountID, scope.Region)
	if after != "" {
		q = q.Where("name > ?", after)
	}
	if err := q.Order("name").Limit(limit + 1).Find(&rows).Error; err != nil {
		return SubnetGroupPage{}, wrap("list subnet groups", err)
	}
	var page SubnetGroupPage
	if len(rows) > limit {
		rows = rows[:limit]
		page.Next = rows[limit-1].Name
	}
	now := s.now()
	for _, r := range rows {
		g, err := describeSubnetGroup(db, scope, r, now)
		if err != nil {
			return SubnetGroupPage{}, wrap("list subnet groups", err)
		}
		page.Items = append(page.Items, g)
	}
	return page, nil
}

// ModifySubnetGroup changes a group's description and, when newSubnets is not nil, replaces its
// subnets with others of the same VPC; a subnet can't leave a group that clusters are placed in.
func (s *Store) ModifySubnetGroup(ctx context.Context, scope Scope, name string, description *string, newSubnets []string) (SubnetGroup, error) {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		row, ok, err := findSubnetGroup(tx, scope, name)
		if err != nil {
			return err
		}
		if !ok {
			return subnetGroupNotFound(name)
		}
		now := s.now()
		if description != nil {
			if err := validLabel("subnet_group_description", *description); err != nil {
				return err
			}
			row.Description = *description
		}
		if newSubnets != nil {
			subnets, err := resolveSubnets(tx, scope, newSubnets, row.VpcID)
			if err != nil {
				return err
			}
			clusters, err := subnetGroupClusters(tx, scope, row.Name, now)
			if err != nil {
				return err
			}
			kept := strings.Fields(subnetIDs(subnets))
			for _, old := range row.Subnets() {
				if !containsString(kept, old) && len(clusters) > 0 {
					return fieldError(CodeSubnetInUse, "subnet_ids", "Subnet %s is in use by cache cluster %s and can't be removed from %s.", old, clusters[0], row.Name)
				}
			}
			row.SubnetIDs = strings.Join(kept, " ")
		}
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		return recordEvent(tx, scope, now, SourceCacheSubnetGroup, row.Name, "Cache subnet group modified")
	})
	if err != nil {
		return SubnetGroup{}, wrap("modify subnet group", err)
	}
	return s.GetSubnetGroup(ctx, scope, name)
}

// DeleteSubnetGroup removes a group no cluster is placed in.
func (s *Store) DeleteSubnetGroup(ctx context.Context, scope Scope, name string) error {
	return wrap("delete subnet group", s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		row, ok, err := findSubnetGroup(tx, scope, name)
		if err != nil {
			return err
		}
		if !ok {
			return subnetGroupNotFound(name)
		}
		now := s.now()
		clusters, err := subnetGroupClusters(tx, scope, row.Name, now)
		if err != nil {
			return err
		}
		if len(clusters) > 0 {
			return newError(CodeSubnetGroupInUse, "Cache subnet group %s is currently in use by cache cluster(s): %s.", row.Name, strings.Join(clusters, ", "))
		}
		if err := subnetGroupTags.drop(tx, row.ID); err != nil {
			return err
		}
		if err := tx.Delete(&row).Error; err != nil {
			return err
		}
		return recordEvent(tx, scope, now, SourceCacheSubnetGroup, row.Name, "Cache subnet group deleted")
	}))
}

// CheckClusterNetwork holds a VPC cluster to its network: the subnet group must exist in the scope
// and every VPC security group must be one of that group's VPC. CreateCacheCluster and a change of
// SecurityGroupIds in ModifyCacheCluster call it.
func CheckClusterNetwork(tx *gorm.DB, scope Scope, subnetGroup string, groupIDs []string) error {
	if subnetGroup == "" {
		return nil
	}
	row, ok, err := findSubnetGroup(tx, scope, subnetGroup)
	if err != nil {
		return err
	}
	if !ok {
		return fieldError(CodeSubnetGroupNotFound, "subnet_group", "Cache subnet group %s not found.", subnetGroup)
	}
	var bad []string
	for _, id := range groupIDs {
		var g VPCSecurityGroup
		err := tx.Where("account_id = ? AND region = ? AND group_id = ?", scope.AccountID, scope.Region, strings.ToLower(id)).Take(&g).Error
		if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && g.VpcID != row.VpcID) {
			bad = append(bad, id)
			continue
		}
		if err != nil {
			return err
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return fieldError(CodeInvalidParameterValue, "vpc_security_group_ids", "Some security group IDs are not VPC security groups of %s (the VPC of subnet group %s): %s.",
			row.VpcID, row.Name, strings.Join(bad, ", "))
	}
	return nil
}
