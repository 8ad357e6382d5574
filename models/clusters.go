package models

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Cache cluster error codes.
const (
	CodeInvalidParameterCombination   = "InvalidParameterCombination"
	CodeCacheClusterNotFound          = "CacheClusterNotFound"
	CodeCacheClusterAlreadyExists     = "CacheClusterAlreadyExists"
	CodeInvalidCacheClusterState      = "InvalidCacheClusterState"
	CodeClusterQuotaForCustomer       = "ClusterQuotaForCustomerExceeded"
	CodeNodeQuotaForCluster           = "NodeQuotaForClusterExceeded"
	CodeNodeQuotaForCustomer          = "NodeQuotaForCustomerExceeded"
	MessageSecurityGroupsWithVPCParts = "Use of cache security groups is not permitted along with cache subnet group and/or security group Ids."
)

// Cluster quotas per account and region, as the service's defaults.
const (
	MaxClustersPerRegion = 50
	MaxNodesPerCluster   = 20
	MaxNodesPerRegion    = 100
)

// NodeTypes lists the cache node types offered; VPCOnly ones cannot run in EC2-Classic.
var NodeTypes = []NodeType{
	{"cache.t1.micro", false}, {"cache.m1.small", false}, {"cache.m1.medium", false}, {"cache.m1.large", false},
	{"cache.m1.xlarge", false}, {"cache.m2.xlarge", false}, {"cache.m2.2xlarge", false}, {"cache.m2.4xlarge", false},
	{"cache.m3.medium", false}, {"cache.m3.large", false}, {"cache.m3.xlarge", false}, {"cache.m3.2xlarge", false},
	{"cache.c1.xlarge", false}, {"cache.t2.micro", true}, {"cache.t2.small", true}, {"cache.t2.medium", true},
	{"cache.m4.large", true}, {"cache.r3.large", true},
}

// NodeType is a cache node type and whether it needs a VPC.
type NodeType struct {
	Name    string
	VPCOnly bool
}

func findNodeType(name string) (NodeType, bool) {
	for _, t := range NodeTypes {
		if t.Name == name {
			return t, true
		}
	}
	return NodeType{}, false
}

// ClusterStatus is a cluster's CacheClusterStatus.
type ClusterStatus string

// The statuses a cluster passes through; ClusterGone is never shown.
const (
	ClusterCreating  ClusterStatus = "creating"
	ClusterAvailable ClusterStatus = "available"
	ClusterModifying ClusterStatus = "modifying"
	ClusterDeleting  ClusterStatus = "deleting"
	// ClusterSnapshotting is a Redis cluster while a backup of it is being created.
	ClusterSnapshotting ClusterStatus = "snapshotting"
	ClusterGone         ClusterStatus = ""
)

// Pending reports whether the status changes by itself.
func (s ClusterStatus) Pending() bool {
	return s == ClusterCreating || s == ClusterModifying || s == ClusterDeleting || s == ClusterSnapshotting
}

// MembershipStatus is the status of a cache security group on a cluster.
type MembershipStatus string

// Membership statuses: a group being added or removed is "modifying" until the change applies.
const (
	MembershipActive    MembershipStatus = "active"
	MembershipModifying MembershipStatus = "modifying"
	MembershipGone      MembershipStatus = ""
)

// CacheCluster is the stored row of a cache cluster; statuses derive from its timestamps.
type CacheCluster struct {
	ID                  uint      `gorm:"primaryKey"`
	AccountID           string    `gorm:"size:12;not null;index:idx_cluster_scope_id,unique"`
	Region              string    `gorm:"size:32;not null;index:idx_cluster_scope_id,unique"`
	ClusterID           string    `gorm:"size:50;not null;index:idx_cluster_scope_id,unique"`
	Engine              string    `gorm:"size:16;not null"`
	EngineVersion       string    `gorm:"size:16;not null"`
	NodeType            string    `gorm:"size:32;not null"`
	NumNodes            int       `gorm:"not null"`
	Network             Platform  `gorm:"size:16;not null"`
	SubnetGroup         string    `gorm:"size:255"`
	VPCSecurityGroupIDs string    `gorm:"size:1024"` // space-separated sg- IDs
	CreatedAt           time.Time `gorm:"not null"`
	AvailableAt         time.Time `gorm:"not null"` // creating until then
	DeletingAt          *time.Time
	GoneAt              *time.Time
	// Settings of schema step 3. Zero values read as the service's defaults (rows from before the
	// step, and sandboxes seeded in bulk): port 0 is the engine's, an empty window or parameter
	// group the cluster's default.
	Port                   int                 `gorm:"not null"`
	ParameterGroup         string              `gorm:"size:255;not null"`
	MaintenanceWindow      string              `gorm:"size:32;not null"`
	SnapshotRetentionLimit int                 `gorm:"not null"`
	SnapshotWindow         string              `gorm:"size:16;not null"`
	MinorUpgradesOff       bool                `gorm:"not null"` // AutoMinorVersionUpgrade=false; negated so false is the default
	AvailabilityZone       string              `gorm:"size:32;not null"`
	ModifyingUntil         *time.Time          // modifying until then (a change of settings or nodes)
	PendingChanges         string              `gorm:"size:1024;not null"` // JSON: changes waiting for the maintenance window
	SnapshottingUntil      *time.Time          // snapshotting until then (schema step 6, snapshots.go)
	Memberships            []ClusterMembership `gorm:"foreignKey:ClusterRowID;constraint:OnDelete:CASCADE"`
	Nodes                  []CacheNode         `gorm:"foreignKey:ClusterRowID;constraint:OnDelete:CASCADE"`
	Tags                   []ClusterTag        `gorm:"foreignKey:ClusterRowID;constraint:OnDelete:CASCADE"`
}

// TableName keeps the schema explicit.
func (CacheCluster) TableName() string { return "cache_clusters" }

// ClusterMembership ties a cache security group to an EC2-Classic cluster.
type ClusterMembership struct {
	ID           uint               `gorm:"primaryKey"`
	ClusterRowID uint               `gorm:"not null;index"`
	GroupID      uint               `gorm:"not null;index"`
	Group        CacheSecurityGroup `gorm:"constraint:OnDelete:RESTRICT"`
	ActiveAt     time.Time          `gorm:"not null"` // modifying (being added) until then
	RemovedAt    *time.Time         // modifying (being removed) from then ...
	GoneAt       *time.Time         // ... until then
}

// TableName keeps the schema explicit.
func (ClusterMembership) TableName() string { return "cluster_memberships" }

// StatusAt derives the membership's status.
func (m ClusterMembership) StatusAt(now time.Time) MembershipStatus {
	switch {
	case m.GoneAt != nil && !now.Before(*m.GoneAt):
		return MembershipGone
	case m.RemovedAt != nil || now.Before(m.ActiveAt):
		return MembershipModifying
	}
	return MembershipActive
}

// StatusAt derives the cluster's status.
func (c CacheCluster) StatusAt(now time.Time) ClusterStatus {
	switch {
	case c.GoneAt != nil && !now.Before(*c.GoneAt):
		return ClusterGone
	case c.DeletingAt != nil:
		return ClusterDeleting
	case now.Before(c.AvailableAt):
		return ClusterCreating
	case c.ModifyingUntil != nil && now.Before(*c.ModifyingUntil):
		return ClusterModifying
	case c.SnapshottingUntil != nil && now.Before(*c.SnapshottingUntil):
		return ClusterSnapshotting
	}
	for _, m := range c.Memberships {
		if m.StatusAt(now) == MembershipModifying {
			return ClusterModifying
		}
	}
	return ClusterAvailable
}

// Cluster is a cache cluster as the console and the API describe it.
type Cluster struct {
	ID                  string
	OwnerID             string
	Region              string
	Engine              string
	EngineVersion       string
	NodeType            string
	NumNodes            int
	Status              ClusterStatus
	Network             Platform
	SubnetGroup         string
	VPCSecurityGroupIDs []string
	CacheSecurityGroups []ClusterGroup
	CreatedAt           time.Time
	// PortNumber is the port every node listens on.
	PortNumber              int
	ParameterGroup          string
	ParameterGroupFamily    string
	MaintenanceWindow       string
	SnapshotRetentionLimit  int    // Redis only
	SnapshotWindow          string // Redis only
	AutoMinorVersionUpgrade bool
	AvailabilityZone        string
	Nodes                   []ClusterNode
	Tags                    []Tag
	PendingChange           *PendingValues // changes waiting for the maintenance window
	hash                    string
}

// PendingValues are a cluster's PendingModifiedValues: what applies at its next maintenance window.
type PendingValues struct {
	NumNodes        int // 0: unchanged
	NodeIDsToRemove []string
	EngineVersion   string // "": unchanged
	DueAt           time.Time
}

// ClusterGroup is one cache security group of a cluster with its membership status.
type ClusterGroup struct {
	Name   string
	Status MembershipStatus
}

// Pending reports whether anything on the cluster changes by itself: its status or a membership.
func (c Cluster) Pending() bool {
	if c.Status.Pending() {
		return true
	}
	for _, g := range c.CacheSecurityGroups {
		if g.Status == MembershipModifying {
			return true
		}
	}
	return false
}

// AnyPending reports whether any of the clusters is changing by itself.
func AnyPending(clusters []Cluster) bool {
	for _, c := range clusters {
		if c.Pending() {
			return true
		}
	}
	return false
}

// ARN is the cluster's Amazon Resource Name.
func (c Cluster) ARN() string {
	return fmt.Sprintf("arn:aws:elasticache:%s:%s:cluster:%s", c.Region, c.OwnerID, c.ID)
}

// IsClassic reports whether the cluster runs in EC2-Classic (it has no subnet group).
func (c Cluster) IsClassic() bool { return c.Network == PlatformClassic }

// Port is the port the cluster's nodes listen on.
func (c Cluster) Port() int { return c.PortNumber }

// DefaultPort is an engine's port when none is asked for.
func DefaultPort(engine string) int {
	if engine == "redis" {
		return 6379
	}
	return 11211
}

// IsRedis reports whether the cluster runs Redis, the engine with snapshots.
func (c Cluster) IsRedis() bool { return c.Engine == "redis" }

func describeCluster(row CacheCluster, now time.Time) Cluster {
	row, pending := effectiveRow(row, now)
	c := Cluster{ID: row.ClusterID, OwnerID: row.AccountID, Region: row.Region, Engine: row.Engine,
		EngineVersion: row.EngineVersion, NodeType: row.NodeType, NumNodes: row.NumNodes, Status: row.StatusAt(now),
		Network: row.Network, SubnetGroup: row.SubnetGroup, VPCSecurityGroupIDs: strings.Fields(row.VPCSecurityGroupIDs),
		CacheSecurityGroups: []ClusterGroup{}, CreatedAt: row.CreatedAt}
	describeSettings(&c, row, now)
	if pending != nil {
		c.PendingChange = &PendingValues{NumNodes: pending.NumNodes, NodeIDsToRemove: pending.RemoveIDs, EngineVersion: pending.EngineVersion, DueAt: pending.DueAt}
	}
	if c.VPCSecurityGroupIDs == nil {
		c.VPCSecurityGroupIDs = []string{}
	}
	for _, m := range row.Memberships {
		if st := m.StatusAt(now); st != MembershipGone {
			c.CacheSecurityGroups = append(c.CacheSecurityGroups, ClusterGroup{Name: m.Group.Name, Status: st})
		}
	}
	sort.Slice(c.CacheSecurityGroups, func(i, j int) bool { return c.CacheSecurityGroups[i].Name < c.CacheSecurityGroups[j].Name })
	return c
}

// NewCluster is the input of CreateCluster.
type NewCluster struct {
	ID                  string
	Engine              string
	NodeType            string
	NumNodes            int
	Network             Platform // PlatformClassic or PlatformVPC; empty infers it from the other fields
	CacheSecurityGroups []string
	SubnetGroup         string
	VPCSecurityGroupIDs []string
	Settings            ClusterSettings
	// SnapshotName restores the (Redis) cluster from this snapshot: what is left empty above and
	// in Settings comes from the snapshot (see restoreFromSnapshot).
	SnapshotName string
}

var (
	clusterIDPattern   = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]*$`)
	subnetGroupPattern = regexp.MustCompile(`^[a-zA-Z0-9-]+$`)
	vpcGroupIDPattern  = regexp.MustCompile(`^sg-([0-9a-f]{8}|[0-9a-f]{17})$`)
)

// ValidateClusterID checks a cluster ID and returns it as stored (lower-case).
func ValidateClusterID(id string) (string, error) {
	const field = "cluster_id"
	switch {
	case id == "":
		return "", fieldError(CodeMissingParameter, field, "Enter a cluster ID.")
	case len(id) > 50:
		return "", fieldError(CodeInvalidParameterValue, field, "The cluster ID must be at most 50 characters long.")
	case !clusterIDPattern.MatchString(id):
		return "", fieldError(CodeInvalidParameterValue, field, "The cluster ID must start with a letter and contain only letters, digits and hyphens.")
	case strings.HasSuffix(id, "-") || strings.Contains(id, "--"):
		return "", fieldError(CodeInvalidParameterValue, field, "The cluster ID can't end with a hyphen or contain two consecutive hyphens.")
	}
	return strings.ToLower(id), nil
}

// SplitIDs splits a list of IDs separated by commas or spaces.
func SplitIDs(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

// validate checks everything that needs no database and normalizes the input.
func (n *NewCluster) validate() error {
	var fields []FieldError
	add := func(field, format string, args ...any) {
		fields = append(fields, FieldError{field, fmt.Sprintf(format, args...)})
	}
	code := CodeInvalidParameterValue
	id, err := ValidateClusterID(n.ID)
	if err != nil {
		e, _ := AsError(err)
		code = e.Code
		fields = append(fields, e.Fields...)
	}
	n.ID = id
	if n.Engine == "" {
		n.Engine = "memcached" // the service's default engine
	}
	if _, ok := Engines[n.Engine]; !ok {
		add("engine", "Choose an engine: memcached or redis.")
	}
	nodeType, ok := findNodeType(n.NodeType)
	switch {
	case n.NodeType == "":
		if len(fields) == 0 {
			code = CodeMissingParameter
		}
		add("node_type", "Choose a cache node type.")
	case !ok:
		add("node_type", "Choose a cache node type from the list.")
	}
	switch {
	case n.NumNodes < 1:
		add("num_nodes", "A cluster needs at least one node.")
	case n.Engine == "redis" && n.NumNodes != 1:
		add("num_nodes", "A Redis cluster has exactly one node.")
	}
	hasVPCParts := n.SubnetGroup != "" || len(n.VPCSecurityGroupIDs) > 0
	if len(n.CacheSecurityGroups) > 0 && hasVPCParts {
		return &Error{Code: CodeInvalidParameterCombination, Message: MessageSecurityGroupsWithVPCParts,
			Fields: append(fields, FieldError{"cache_security_groups", MessageSecurityGroupsWithVPCParts})}
	}
	if n.Network == "" {
		n.Network = PlatformClassic
		if hasVPCParts {
			n.Network = PlatformVPC
		}
	}
	switch n.Network {
	case PlatformClassic:
		if hasVPCParts {
			add("subnet_group", "An EC2-Classic cluster has no subnet group or VPC security groups.")
		}
		if ok && nodeType.VPCOnly {
			add("node_type", "Node type %s is available only in a VPC.", n.NodeType)
		}
	case PlatformVPC:
		if len(n.CacheSecurityGroups) > 0 {
			return &Error{Code: CodeInvalidParameterCombination, Message: MessageSecurityGroupsWithVPCParts,
				Fields: append(fields, FieldError{"cache_security_groups", MessageSecurityGroupsWithVPCParts})}
		}
		switch {
		case n.SubnetGroup == "":
			add("subnet_group", "Enter the cache subnet group of the VPC.")
		case len(n.SubnetGroup) > 255 || !subnetGroupPattern.MatchString(n.SubnetGroup):
			add("subnet_group", "A subnet group name has at most 255 letters, digits and hyphens.")
		}
		n.SubnetGroup = strings.ToLower(n.SubnetGroup)
		if len(n.VPCSecurityGroupIDs) > MaxVPCSecurityGroups {
			add("vpc_security_group_ids", "A cluster can have at most %d VPC security groups.", MaxVPCSecurityGroups)
		}
		for _, id := range n.VPCSecurityGroupIDs {
			if !vpcGroupIDPattern.MatchString(id) {
				add("vpc_security_group_ids", "%q is not a VPC security group ID: use sg- followed by 8 or 17 hexadecimal digits.", id)
				break
			}
		}
	default:
		add("network", "Choose the network: ec2-classic or vpc.")
	}
	if len(fields) > 0 {
		return &Error{Code: code, Message: fields[0].Message, Fields: fields}
	}
	return nil
}

// CreateCluster creates a cache cluster. An EC2-Classic cluster with no cache security groups gets
// `default`. Sending cache security groups together with VPC settings is refused.
func (s *Store) CreateCluster(ctx context.Context, scope Scope, n NewCluster) (Cluster, error) {
	var id string
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		restored, err := restoreFromSnapshot(tx, scope, &n, s.now())
		if err != nil {
			return err
		}
		if err := n.validate(); err != nil {
			return err
		}
		settings, err := n.Settings.resolve(scope, n.ID, n.Engine)
		if err != nil {
			return err
		}
		platform, err := regionPlatform(tx, scope)
		if err != nil {
			return err
		}
		if n.Network == PlatformClassic && !platform.SupportsClassic() {
			return classicNotPermitted()
		}
		if old, err := findCluster(tx, scope, n.ID); err == nil {
			if old.StatusAt(s.now()) != ClusterGone {
				return fieldError(CodeCacheClusterAlreadyExists, "cluster_id", "A cache cluster named %s already exists.", n.ID)
			}
			// The ID of a cluster that finished deleting is free again.
			if err := tx.Select("Memberships", "Nodes", "Tags").Delete(&old).Error; err != nil {
				return err
			}
		} else if !HasCode(err, CodeCacheClusterNotFound) {
			return err
		}
		if err := checkNodeQuotas(tx, scope, s.now(), n.NumNodes); err != nil {
			return err
		}
		groups, err := resolveGroups(tx, scope, n.Network, n.CacheSecurityGroups)
		if err != nil {
			return err
		}
		if n.Network == PlatformVPC {
			if err := CheckClusterNetwork(tx, scope, n.SubnetGroup, n.VPCSecurityGroupIDs); err != nil {
				return err
			}
		}
		now := s.now()
		row := CacheCluster{AccountID: scope.AccountID, Region: scope.Region, ClusterID: n.ID, Engine: n.Engine,
			EngineVersion: settings.version.Actual, NodeType: n.NodeType, NumNodes: n.NumNodes, Network: n.Network,
			SubnetGroup: n.SubnetGroup, VPCSecurityGroupIDs: strings.Join(n.VPCSecurityGroupIDs, " "),
			CreatedAt: now, AvailableAt: now.Add(s.PropagationDelay)}
		settings.apply(&row)
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return fieldError(CodeCacheClusterAlreadyExists, "cluster_id", "A cache cluster named %s already exists.", n.ID)
			}
			return err
		}
		if err := createNodes(tx, row, row.NumNodes, now, row.AvailableAt); err != nil {
			return err
		}
		if err := clusterTags.put(tx, row.ID, n.Settings.Tags); err != nil {
			return err
		}
		for _, g := range groups {
			// A new cluster's groups are active as soon as it is; only later changes show "modifying".
			if err := tx.Create(&ClusterMembership{ClusterRowID: row.ID, GroupID: g.ID, ActiveAt: now}).Error; err != nil {
				return err
			}
		}
		id = row.ClusterID
		if restored != "" {
			if err := recordEvent(tx, scope, now, SourceCacheCluster, row.ClusterID, "Restored from snapshot '%s'", restored); err != nil {
				return err
			}
		}
		return recordEvent(tx, scope, now, SourceCacheCluster, row.ClusterID, "Cache cluster created")
	})
	if err != nil {
		return Cluster{}, wrap("create cluster", err)
	}
	return s.GetCluster(ctx, scope, id)
}

func checkNodeQuotas(tx *gorm.DB, scope Scope, now time.Time, nodes int) error {
	if nodes > MaxNodesPerCluster {
		return fieldError(CodeNodeQuotaForCluster, "num_nodes", "A cluster can have at most %d nodes.", MaxNodesPerCluster)
	}
	var rows []CacheCluster
	if err := tx.Where("account_id = ? AND region = ?", scope.AccountID, scope.Region).Find(&rows).Error; err != nil {
		return err
	}
	clusters, used := 0, 0
	for _, r := range rows {
		if r.GoneAt == nil || now.Before(*r.GoneAt) {
			clusters++
			used += r.NumNodes
		}
	}
	if clusters >= MaxClustersPerRegion {
		return newError(CodeClusterQuotaForCustomer, "This region already has %d cache clusters, the most allowed.", MaxClustersPerRegion)
	}
	if used+nodes > MaxNodesPerRegion {
		return fieldError(CodeNodeQuotaForCustomer, "num_nodes", "This region's clusters already use %d of the %d nodes allowed.", used, MaxNodesPerRegion)
	}
	return nil
}

// resolveGroups finds the named cache security groups, `default` when none is named.
func resolveGroups(tx *gorm.DB, scope Scope, network Platform, names []string) ([]CacheSecurityGroup, error) {
	if network != PlatformClassic {
		return nil, nil
	}
	if len(names) == 0 {
		names = []string{DefaultGroupName}
	}
	seen := map[string]bool{}
	var groups []CacheSecurityGroup
	for _, name := range names {
		name = strings.ToLower(name)
		if seen[name] {
			continue
		}
		seen[name] = true
		g, err := findGroup(tx, scope, name)
		if err != nil {
			if e, ok := AsError(err); ok {
				e.Fields = []FieldError{{"cache_security_groups", e.Message}}
			}
			return nil, err
		}
		groups = append(groups, g)
	}
	return groups, nil
}

func findCluster(db *gorm.DB, scope Scope, id string) (CacheCluster, error) {
	var rows []CacheCluster
	err := db.Preload("Memberships.Group").Preload("Nodes").Preload("Tags").
		Where("account_id = ? AND region = ? AND cluster_id = ?", scope.AccountID, scope.Region, strings.ToLower(id)).
		Limit(1).Find(&rows).Error
	if err != nil {
		return CacheCluster{}, err
	}
	if len(rows) == 0 {
		return CacheCluster{}, newError(CodeCacheClusterNotFound, "Cache cluster %s not found.", strings.ToLower(id))
	}
	return rows[0], nil
}

// liveCluster finds a cluster that has not finished deleting.
func (s *Store) liveCluster(db *gorm.DB, scope Scope, id string) (CacheCluster, error) {
	row, err := findCluster(db, scope, id)
	if err != nil {
		return row, err
	}
	if row.StatusAt(s.now()) == ClusterGone {
		return row, newError(CodeCacheClusterNotFound, "Cache cluster %s not found.", strings.ToLower(id))
	}
	return row, nil
}

// GetCluster describes one cluster; IDs match case-insensitively.
func (s *Store) GetCluster(ctx context.Context, scope Scope, id string) (Cluster, error) {
	v, err := s.view(ctx, scope)
	if err != nil {
		return Cluster{}, wrap("get cluster", err)
	}
	now := s.now()
	row, err := v.cluster(id, now)
	if err != nil {
		return Cluster{}, err
	}
	return describeCluster(row, now), nil
}

// ClusterListOptions narrows a list of clusters.
type ClusterListOptions struct {
	Filter string // matched against ID, engine, node type and subnet group
	Page   int
	Size   int
	After  string // only clusters whose ID sorts after this one (for markers)
}

// ClusterPage is one page of clusters.
type ClusterPage struct {
	Items []Cluster
	Total int
	Page  int
	Size  int
	Pages int
}

// ListClusters returns the region's clusters by ID. Clusters that finished deleting are left out.
func (s *Store) ListClusters(ctx context.Context, scope Scope, opts ClusterListOptions) (ClusterPage, error) {
	if err := ValidFilter(opts.Filter); err != nil {
		return ClusterPage{}, err
	}
	v, err := s.view(ctx, scope)
	if err != nil {
		return ClusterPage{}, wrap("list clusters", err)
	}
	now := s.now()
	filter := strings.ToLower(opts.Filter)
	var all []Cluster
	for _, row := range v.clusters {
		if row.ClusterID <= opts.After || row.StatusAt(now) == ClusterGone {
			continue
		}
		c := describeCluster(row, now)
		if filter != "" && !strings.Contains(strings.ToLower(strings.Join([]string{c.ID, c.Engine, c.NodeType, c.SubnetGroup, string(c.Status)}, " ")), filter) {
			continue
		}
		all = append(all, c)
	}
	// At most 50 live clusters per region, so paging in memory is cheap and keeps derived
	// statuses out of SQL.
	lo := ListOptions{Page: opts.Page, Size: opts.Size}.normalized()
	page := ClusterPage{Total: len(all), Size: lo.Size, Pages: max(1, (len(all)+lo.Size-1)/lo.Size)}
	page.Page = min(lo.Page, page.Pages)
	start := (page.Page - 1) * page.Size
	page.Items = all[start:min(start+page.Size, len(all))]
	return page, nil
}

// ModifyClusterSecurityGroups replaces an EC2-Classic cluster's cache security groups, as
// ModifyCacheCluster does. Added and removed groups show "modifying" until the change applies.
func (s *Store) ModifyClusterSecurityGroups(ctx context.Context, scope Scope, id string, names []string) (Cluster, error) {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		row, err := s.liveCluster(tx, scope, id)
		if err != nil {
			return err
		}
		now := s.now()
		if st := row.StatusAt(now); st != ClusterAvailable {
			return newError(CodeInvalidCacheClusterState, "Cache cluster %s is %s; its security groups can be changed once it is available.", row.ClusterID, st)
		}
		return s.replaceClusterGroups(tx, scope, row, names, now)
	})
	if err != nil {
		return Cluster{}, wrap("modify cluster", err)
	}
	return s.GetCluster(ctx, scope, id)
}

// replaceClusterGroups replaces an available EC2-Classic cluster's cache security groups.
func (s *Store) replaceClusterGroups(tx *gorm.DB, scope Scope, row CacheCluster, names []string, now time.Time) error {
	if !row.Network.SupportsClassic() {
		return fieldError(CodeInvalidParameterCombination, "cache_security_groups", "%s", MessageSecurityGroupsWithVPCParts)
	}
	if err := requireClassic(tx, scope); err != nil {
		return err
	}
	if len(names) == 0 {
		return fieldError(CodeInvalidParameterValue, "cache_security_groups", "Choose at least one cache security group.")
	}
	groups, err := resolveGroups(tx, scope, PlatformClassic, names)
	if err != nil {
		return err
	}
	wanted := map[uint]bool{}
	for _, g := range groups {
		wanted[g.ID] = true
	}
	applied := now.Add(s.PropagationDelay)
	var changes []string
	for _, m := range row.Memberships {
		if m.StatusAt(now) == MembershipGone {
			continue
		}
		if wanted[m.GroupID] {
			delete(wanted, m.GroupID)
			continue
		}
		if err := tx.Model(&m).Updates(map[string]any{"removed_at": now, "gone_at": applied}).Error; err != nil {
			return err
		}
		changes = append(changes, "removed "+m.Group.Name)
	}
	for _, g := range groups {
		if !wanted[g.ID] {
			continue
		}
		if err := tx.Create(&ClusterMembership{ClusterRowID: row.ID, GroupID: g.ID, ActiveAt: applied}).Error; err != nil {
			return err
		}
		changes = append(changes, "added "+g.Name)
	}
	if len(changes) == 0 {
		return nil
	}
	// Five 255-character names overflow the message column: shorten, as the change is valid.
	return recordEvent(tx, scope, now, SourceCacheCluster, row.ClusterID, "%s",
		clipf(MaxEventMessageLength, "Applied change to security group: %s", strings.Join(changes, ", ")))
}

// DeleteCluster starts deleting a cluster; it is gone, and its groups free, after the delay.
func (s *Store) DeleteCluster(ctx context.Context, scope Scope, id string) (Cluster, error) {
	return s.deleteCluster(ctx, scope, id, nil)
}

// deleteCluster is DeleteCluster; before, when not nil, runs in its transaction once the cluster
// is known to be available (a final snapshot), and its failure leaves the cluster as it was.
func (s *Store) deleteCluster(ctx context.Context, scope Scope, id string, before func(tx *gorm.DB, row CacheCluster, now time.Time) error) (Cluster, error) {
	var deleted Cluster
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		row, err := s.liveCluster(tx, scope, id)
		if err != nil {
			return err
		}
		now := s.now()
		// A pending change whose maintenance window has come is applied first, as DescribeCacheClusters
		// shows it: while it applies the cluster is modifying and can't be deleted.
		if err := s.settlePending(tx, &row, now); err != nil {
			return err
		}
		if st := row.StatusAt(now); st != ClusterAvailable {
			return newError(CodeInvalidCacheClusterState, "Cache cluster %s is %s and can't be deleted now.", row.ClusterID, st)
		}
		event := "Cache cluster deleted"
		if p, ok := pendingOf(row); ok {
			// One still waiting for its window goes with the cluster, and the event says so.
			event += "; pending change discarded (" + strings.TrimPrefix(p.describe(false), "Modification requested: ") + ")"
			row.PendingChanges = ""
		}
		if before != nil {
			if err := before(tx, row, now); err != nil {
				return err
			}
		}
		gone := now.Add(s.PropagationDelay)
		if err := tx.Model(&row).Updates(map[string]any{"deleting_at": now, "gone_at": gone, "pending_changes": row.PendingChanges}).Error; err != nil {
			return err
		}
		row.DeletingAt, row.GoneAt = &now, &gone
		deleted = describeCluster(row, now)
		return recordEvent(tx, scope, now, SourceCacheCluster, row.ClusterID, "%s", clipf(MaxEventMessageLength, "%s", event))
	})
	return deleted, wrap("delete cluster", err)
}

// clustersUsingGroup lists the live clusters the group is (or is becoming, or is leaving) a member of.
func (s *Store) clustersUsingGroup(tx *gorm.DB, groupID uint) ([]string, error) {
	var rows []CacheCluster
	err := tx.Preload("Memberships").Joins("JOIN cluster_memberships m ON m.cluster_row_id = cache_clusters.id").
		Where("m.group_id = ?", groupID).Distinct().Order("cluster_id").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	now := s.now()
	var ids []string
	for _, r := range rows {
		if r.StatusAt(now) == ClusterGone {
			continue
		}
		for _, m := range r.Memberships {
			if m.GroupID == groupID && m.StatusAt(now) != MembershipGone {
				ids = append(ids, r.ClusterID)
				break
			}
		}
	}
	return ids, nil
}

// ClustersUsingGroup names the live clusters that use a cache security group.
func (s *Store) ClustersUsingGroup(ctx context.Context, scope Scope, name string) ([]Cluster, error) {
	v, err := s.view(ctx, scope)
	if err != nil {
		return nil, wrap("clusters using group", err)
	}
	g, err := v.group(name)
	if err != nil {
		return nil, err
	}
	now := s.now()
	using := v.clustersUsing(g.ID, now)
	clusters := make([]Cluster, 0, len(using))
	for _, row := range using {
		clusters = append(clusters, describeCluster(row, now))
	}
	return clusters, nil
}
