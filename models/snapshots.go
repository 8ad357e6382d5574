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

// ElastiCache's snapshot (backup) faults, with the codes the service sends.
const (
	CodeSnapshotNotFound            = "SnapshotNotFoundFault"
	CodeSnapshotAlreadyExists       = "SnapshotAlreadyExistsFault"
	CodeSnapshotQuotaExceeded       = "SnapshotQuotaExceededFault"
	CodeSnapshotFeatureNotSupported = "SnapshotFeatureNotSupportedFault"
	CodeInvalidSnapshotState        = "InvalidSnapshotState"
)

// MaxSnapshotsPerRegion is how many manual snapshots an account keeps per region. AWS publishes no
// fixed number for manual Redis backups (SnapshotQuotaExceededFault exists, the quota page does not
// list it); 50 is the per-region default of the other resources here (cache security groups,
// clusters), enough for more than two DescribeSnapshots pages of 20 and still small for a sandbox.
const MaxSnapshotsPerRegion = 50

// The statuses of a snapshot; a snapshot that finished deleting is never shown.
const (
	SnapshotCreating  = "creating"
	SnapshotAvailable = "available"
	SnapshotDeleting  = "deleting"
)

// SnapshotSourceManual is the SnapshotSource of every snapshot sgconsole takes: it runs no
// automatic backups.
const SnapshotSourceManual = "manual"

// MaxSnapshotNameLength is the longest snapshot name.
const MaxSnapshotNameLength = 255

func init() {
	for code, kind := range map[string]Kind{
		CodeSnapshotNotFound: KindNotFound, CodeSnapshotAlreadyExists: KindAlreadyExists,
		CodeSnapshotQuotaExceeded: KindQuota, CodeSnapshotFeatureNotSupported: KindInvalid,
		CodeInvalidSnapshotState: KindConflict,
	} {
		codeKinds[code] = kind
	}
	taggables[arnSnapshot] = taggable{
		noun:     "snapshots",
		table:    snapshotTags,
		notFound: func(name string) error { return snapshotNotFound(name) },
		// A snapshot's tags can be read and changed until it has finished deleting.
		find: func(s *Store, db *gorm.DB, scope Scope, name string, _ bool) (uint, error) {
			row, err := liveSnapshot(db, scope, name, s.now())
			return row.ID, err
		},
	}
}

// arnSnapshot is the resource type of a snapshot's ARN; snapshotTags is where its tags are.
const arnSnapshot = "snapshot"

var snapshotTags = tagTable{"snapshot_tags", "snapshot_row_id"}

// CacheSnapshot is the stored row of a snapshot: the source cluster's settings when it was taken.
// Its status derives from its timestamps, as a cluster's does.
type CacheSnapshot struct {
	ID                     uint      `gorm:"primaryKey"`
	AccountID              string    `gorm:"size:12;not null;index:idx_snapshot_scope_name,unique"`
	Region                 string    `gorm:"size:32;not null;index:idx_snapshot_scope_name,unique"`
	Name                   string    `gorm:"size:255;not null;index:idx_snapshot_scope_name,unique"`
	ClusterID              string    `gorm:"size:50;not null"`
	Source                 string    `gorm:"size:16;not null"`
	Engine                 string    `gorm:"size:16;not null"`
	EngineVersion          string    `gorm:"size:16;not null"`
	NodeType               string    `gorm:"size:32;not null"`
	NumNodes               int       `gorm:"not null"`
	Port                   int       `gorm:"not null"`
	ParameterGroup         string    `gorm:"size:255;not null"`
	SubnetGroup            string    `gorm:"size:255;not null"`
	VpcID                  string    `gorm:"size:21;not null"`
	MaintenanceWindow      string    `gorm:"size:32;not null"`
	SnapshotWindow         string    `gorm:"size:16;not null"`
	SnapshotRetentionLimit int       `gorm:"not null"`
	MinorUpgradesOff       bool      `gorm:"not null"`
	AvailabilityZone       string    `gorm:"size:32;not null"`
	ClusterCreatedAt       time.Time `gorm:"not null"`
	CreatedAt              time.Time `gorm:"not null"`
	AvailableAt            time.Time `gorm:"not null"` // creating until then
	DeletingAt             *time.Time
	GoneAt                 *time.Time
	Nodes                  []CacheNodeSnapshot `gorm:"foreignKey:SnapshotRowID;constraint:OnDelete:CASCADE"`
	Tags                   []SnapshotTag       `gorm:"foreignKey:SnapshotRowID;constraint:OnDelete:CASCADE"`
}

// TableName keeps the schema explicit.
func (CacheSnapshot) TableName() string { return "snapshots" }

// CacheNodeSnapshot is the stored part of a snapshot taken from one node.
type CacheNodeSnapshot struct {
	ID            uint      `gorm:"primaryKey"`
	SnapshotRowID uint      `gorm:"not null;index:idx_node_snapshot_node,unique"`
	NodeID        string    `gorm:"size:4;not null;index:idx_node_snapshot_node,unique"`
	CacheSize     string    `gorm:"size:32;not null"`
	NodeCreatedAt time.Time `gorm:"not null"`
	TakenAt       time.Time `gorm:"not null"`
}

// TableName keeps the schema explicit.
func (CacheNodeSnapshot) TableName() string { return "node_snapshots" }

// SnapshotTag is a key-value label on a snapshot.
type SnapshotTag struct {
	ID            uint   `gorm:"primaryKey"`
	SnapshotRowID uint   `gorm:"not null;index:idx_snapshot_tag_key,unique"`
	Key           string `gorm:"size:128;not null;index:idx_snapshot_tag_key,unique"`
	Value         string `gorm:"size:256;not null"`
}

// TableName keeps the schema explicit.
func (SnapshotTag) TableName() string { return "snapshot_tags" }

// migrateStep6 adds snapshots (with their nodes and tags) and the end of a cluster's snapshotting.
func migrateStep6(tx *gorm.DB) error {
	timestamp := "DATETIME"
	if tx.Dialector.Name() == "postgres" {
		timestamp = "TIMESTAMPTZ"
	}
	if err := tx.Exec("ALTER TABLE cache_clusters ADD COLUMN snapshotting_until " + timestamp).Error; err != nil {
		return err
	}
	if err := tx.AutoMigrate(&CacheSnapshot{}, &CacheNodeSnapshot{}, &SnapshotTag{}); err != nil {
		return err
	}
	return verifySchema(tx, []any{&CacheSnapshot{}, &CacheNodeSnapshot{}, &SnapshotTag{}})
}

// StatusAt derives the snapshot's status; "" once it has finished deleting.
func (r CacheSnapshot) StatusAt(now time.Time) string {
	switch {
	case r.GoneAt != nil && !now.Before(*r.GoneAt):
		return ""
	case r.DeletingAt != nil:
		return SnapshotDeleting
	case now.Before(r.AvailableAt):
		return SnapshotCreating
	}
	return SnapshotAvailable
}

// Snapshot is a backup of a Redis cluster as the console and the API describe it: the cluster's
// settings when it was taken, which a restore starts from.
type Snapshot struct {
	Name                    string
	ClusterID               string
	Status                  string // creating, available or deleting
	Source                  string // manual
	Engine                  string
	EngineVersion           string
	NodeType                string
	NumNodes                int
	Port                    int
	ParameterGroup          string
	SubnetGroup             string // "" for a snapshot of an EC2-Classic cluster
	VPCID                   string
	MaintenanceWindow       string
	SnapshotWindow          string
	SnapshotRetentionLimit  int
	AutoMinorVersionUpgrade bool
	AvailabilityZone        string
	ClusterCreatedAt        time.Time
	CreatedAt               time.Time
	Nodes                   []NodeSnapshot
	Tags                    []Tag
	OwnerID                 string
	Region                  string
}

// NodeSnapshot is the part of a snapshot taken from one cache node.
type NodeSnapshot struct {
	CacheNodeID        string
	CacheSize          string
	CacheNodeCreatedAt time.Time
	SnapshotCreatedAt  time.Time
}

// ARN is the snapshot's Amazon Resource Name.
func (s Snapshot) ARN() string {
	return "arn:aws:elasticache:" + s.Region + ":" + s.OwnerID + ":snapshot:" + s.Name
}

// Pending reports whether the snapshot's status changes by itself.
func (s Snapshot) Pending() bool { return s.Status == SnapshotCreating || s.Status == SnapshotDeleting }

// IsClassic reports whether the snapshot was taken of an EC2-Classic cluster.
func (s Snapshot) IsClassic() bool { return s.SubnetGroup == "" }

func describeSnapshot(r CacheSnapshot, now time.Time) Snapshot {
	s := Snapshot{Name: r.Name, ClusterID: r.ClusterID, Status: r.StatusAt(now), Source: r.Source, Engine: r.Engine,
		EngineVersion: r.EngineVersion, NodeType: r.NodeType, NumNodes: r.NumNodes, Port: r.Port, ParameterGroup: r.ParameterGroup,
		SubnetGroup: r.SubnetGroup, VPCID: r.VpcID, MaintenanceWindow: r.MaintenanceWindow, SnapshotWindow: r.SnapshotWindow,
		SnapshotRetentionLimit: r.SnapshotRetentionLimit, AutoMinorVersionUpgrade: !r.MinorUpgradesOff,
		AvailabilityZone: r.AvailabilityZone, ClusterCreatedAt: r.ClusterCreatedAt, CreatedAt: r.CreatedAt,
		Nodes: []NodeSnapshot{}, Tags: []Tag{}, OwnerID: r.AccountID, Region: r.Region}
	for _, n := range r.Nodes {
		s.Nodes = append(s.Nodes, NodeSnapshot{CacheNodeID: n.NodeID, CacheSize: n.CacheSize, CacheNodeCreatedAt: n.NodeCreatedAt, SnapshotCreatedAt: n.TakenAt})
	}
	sort.Slice(s.Nodes, func(i, j int) bool { return s.Nodes[i].CacheNodeID < s.Nodes[j].CacheNodeID })
	for _, t := range r.Tags {
		s.Tags = append(s.Tags, Tag{Key: t.Key, Value: t.Value})
	}
	sort.Slice(s.Tags, func(i, j int) bool { return s.Tags[i].Key < s.Tags[j].Key })
	return s
}

var snapshotNamePattern = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]*$`)

// ValidateSnapshotName checks a snapshot name as the service checks its identifiers (1 to 255
// letters, digits and hyphens, starting with a letter, no hyphen at the end nor two in a row) and
// returns it as stored, lower-case. field is the form field the message goes next to.
func ValidateSnapshotName(field, name string) (string, error) {
	switch {
	case name == "":
		return "", fieldError(CodeMissingParameter, field, "Enter a name for the backup.")
	case len(name) > MaxSnapshotNameLength:
		return "", fieldError(CodeInvalidParameterValue, field, "A backup name must be at most %d characters long.", MaxSnapshotNameLength)
	case !snapshotNamePattern.MatchString(name):
		return "", fieldError(CodeInvalidParameterValue, field, "A backup name must start with a letter and contain only letters, digits and hyphens.")
	case strings.HasSuffix(name, "-") || strings.Contains(name, "--"):
		return "", fieldError(CodeInvalidParameterValue, field, "A backup name can't end with a hyphen or contain two consecutive hyphens.")
	}
	return strings.ToLower(name), nil
}

func snapshotNotFound(name string) *Error {
	return newError(CodeSnapshotNotFound, "Snapshot %s not found.", strings.ToLower(name))
}

// findSnapshot reads a snapshot row with its nodes and tags, also one that finished deleting.
func findSnapshot(db *gorm.DB, scope Scope, name string) (CacheSnapshot, bool, error) {
	var rows []CacheSnapshot
	err := db.Preload("Nodes").Preload("Tags").
		Where("account_id = ? AND region = ? AND name = ?", scope.AccountID, scope.Region, strings.ToLower(name)).
		Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return CacheSnapshot{}, false, err
	}
	return rows[0], true, nil
}

// liveSnapshot finds a snapshot that has not finished deleting.
func liveSnapshot(db *gorm.DB, scope Scope, name string, now time.Time) (CacheSnapshot, error) {
	row, ok, err := findSnapshot(db, scope, name)
	if err != nil {
		return row, err
	}
	if !ok || row.StatusAt(now) == "" {
		return row, snapshotNotFound(name)
	}
	return row, nil
}

// purgeSnapshot removes the row of a snapshot that finished deleting, with its nodes and tags.
func purgeSnapshot(tx *gorm.DB, row CacheSnapshot) error {
	if err := tx.Where("snapshot_row_id = ?", row.ID).Delete(&CacheNodeSnapshot{}).Error; err != nil {
		return err
	}
	if err := snapshotTags.drop(tx, row.ID); err != nil {
		return err
	}
	return tx.Delete(&CacheSnapshot{}, row.ID).Error
}

// takeSnapshot stores a snapshot of a cluster row (whose state the caller checked), named by the
// user in form field field. It is creating until the propagation delay has passed.
func (s *Store) takeSnapshot(tx *gorm.DB, scope Scope, cluster CacheCluster, field, name string, tags []Tag, now time.Time) (CacheSnapshot, error) {
	name, err := ValidateSnapshotName(field, name)
	if err != nil {
		return CacheSnapshot{}, err
	}
	if cluster.Engine != "redis" {
		return CacheSnapshot{}, fieldError(CodeSnapshotFeatureNotSupported, field, "Cache cluster %s runs %s: only Redis clusters can be backed up.", cluster.ClusterID, cluster.Engine)
	}
	if err := validateTags(tags); err != nil {
		return CacheSnapshot{}, err
	}
	if len(tags) > MaxTagsPerResource { // refused before the quota and name checks, as a whole
		return CacheSnapshot{}, newError(CodeTagQuotaExceeded, "A resource can have at most %d tags.", MaxTagsPerResource)
	}
	var rows []CacheSnapshot
	if err := tx.Where("account_id = ? AND region = ?", scope.AccountID, scope.Region).Find(&rows).Error; err != nil {
		return CacheSnapshot{}, err
	}
	live := 0
	for _, r := range rows {
		switch {
		case r.StatusAt(now) == "":
			// Snapshots that finished deleting go for good, and their names are free again.
			if err := purgeSnapshot(tx, r); err != nil {
				return CacheSnapshot{}, err
			}
		case r.Name == name:
			return CacheSnapshot{}, fieldError(CodeSnapshotAlreadyExists, field, "A snapshot named %s already exists.", name)
		default:
			live++
		}
	}
	if live >= MaxSnapshotsPerRegion {
		return CacheSnapshot{}, fieldError(CodeSnapshotQuotaExceeded, field, "This region already has %d snapshots, the most allowed: delete one first.", MaxSnapshotsPerRegion)
	}
	c := describeCluster(cluster, now)
	vpcID := ""
	if c.SubnetGroup != "" {
		g, ok, err := findSubnetGroup(tx, scope, c.SubnetGroup)
		if err != nil {
			return CacheSnapshot{}, err
		}
		if ok {
			vpcID = g.VpcID
		}
	}
	row := CacheSnapshot{AccountID: scope.AccountID, Region: scope.Region, Name: name, ClusterID: c.ID, Source: SnapshotSourceManual,
		Engine: c.Engine, EngineVersion: c.EngineVersion, NodeType: c.NodeType, NumNodes: c.NumNodes, Port: c.PortNumber,
		ParameterGroup: c.ParameterGroup, SubnetGroup: c.SubnetGroup, VpcID: vpcID, MaintenanceWindow: c.MaintenanceWindow,
		SnapshotWindow: c.SnapshotWindow, SnapshotRetentionLimit: c.SnapshotRetentionLimit, MinorUpgradesOff: !c.AutoMinorVersionUpgrade,
		AvailabilityZone: c.AvailabilityZone, ClusterCreatedAt: c.CreatedAt, CreatedAt: now, AvailableAt: now.Add(s.PropagationDelay)}
	if err := tx.Omit("Nodes", "Tags").Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return CacheSnapshot{}, fieldError(CodeSnapshotAlreadyExists, field, "A snapshot named %s already exists.", name)
		}
		return CacheSnapshot{}, err
	}
	for _, n := range c.Nodes {
		node := CacheNodeSnapshot{SnapshotRowID: row.ID, NodeID: n.ID, CacheSize: "0 MB", NodeCreatedAt: n.CreatedAt, TakenAt: now}
		if err := tx.Create(&node).Error; err != nil {
			return CacheSnapshot{}, err
		}
		row.Nodes = append(row.Nodes, node)
	}
	if err := snapshotTags.put(tx, row.ID, tags); err != nil {
		return CacheSnapshot{}, err
	}
	for _, t := range tags {
		row.Tags = append(row.Tags, SnapshotTag{SnapshotRowID: row.ID, Key: t.Key, Value: t.Value})
	}
	// The event is dated when the snapshot is done, so it shows up then (events are read up to now).
	err = recordEvent(tx, scope, row.AvailableAt, SourceCacheCluster, c.ID,
		"Snapshot succeeded for snapshot with ID '%s' of cache cluster with ID '%s'", row.Name, c.ID)
	return row, err
}

// CreateSnapshot backs up an available Redis cluster (the console's Backup). The snapshot is
// creating, and the cluster snapshotting, until the propagation delay has passed.
func (s *Store) CreateSnapshot(ctx context.Context, scope Scope, clusterID, name string, tags []Tag) (Snapshot, error) {
	var taken Snapshot
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		if clusterID == "" {
			return fieldError(CodeMissingParameter, "cluster_id", "Choose the cache cluster to back up.")
		}
		if _, err := ValidateSnapshotName("snapshot_name", name); err != nil {
			return err
		}
		cluster, err := s.liveCluster(tx, scope, clusterID)
		if err != nil {
			if e, ok := AsError(err); ok {
				e.Fields = []FieldError{{"cluster_id", e.Message}}
			}
			return err
		}
		now := s.now()
		if cluster.Engine == "redis" {
			if st := cluster.StatusAt(now); st != ClusterAvailable {
				return fieldError(CodeInvalidCacheClusterState, "cluster_id", "Cache cluster %s is %s; it can be backed up once it is available.", cluster.ClusterID, st)
			}
		}
		row, err := s.takeSnapshot(tx, scope, cluster, "snapshot_name", name, tags, now)
		if err != nil {
			return err
		}
		if err := tx.Model(&CacheCluster{}).Where("id = ?", cluster.ID).Update("snapshotting_until", row.AvailableAt).Error; err != nil {
			return err
		}
		taken = describeSnapshot(row, now)
		return nil
	})
	return taken, wrap("create snapshot", err)
}

// GetSnapshot describes one snapshot; names match case-insensitively.
func (s *Store) GetSnapshot(ctx context.Context, scope Scope, name string) (Snapshot, error) {
	now := s.now()
	row, err := liveSnapshot(s.db.WithContext(ctx), scope, name, now)
	if err != nil {
		return Snapshot{}, wrap("get snapshot", err)
	}
	return describeSnapshot(row, now), nil
}

// SnapshotListOptions narrows a list of snapshots, as DescribeSnapshots does.
type SnapshotListOptions struct {
	ClusterID string // only snapshots of this cluster; an unknown one is CacheClusterNotFound
	Name      string // only this snapshot; an unknown one is SnapshotNotFoundFault
	Source    string // "user" (or "manual") or "system" (or "automated"); "" for both
	After     string // only snapshots named after this one (a marker)
	Limit     int    // at most this many; 0 for all
}

// SnapshotPage is one page of snapshots by name; Next is the last name when more follow.
type SnapshotPage struct {
	Items []Snapshot
	Next  string
}

// ListSnapshots lists the region's snapshots by name, those that finished deleting left out.
func (s *Store) ListSnapshots(ctx context.Context, scope Scope, opts SnapshotListOptions) (SnapshotPage, error) {
	page := SnapshotPage{Items: []Snapshot{}}
	switch opts.Source {
	case "", "user", SnapshotSourceManual:
	case "system", "automated":
		return page, nil // sgconsole takes no automatic snapshots
	default:
		return page, fieldError(CodeInvalidParameterValue, "snapshot_source", "The snapshot source is user or system, not %q.", opts.Source)
	}
	db := s.db.WithContext(ctx)
	now := s.now()
	if opts.Name != "" {
		row, err := liveSnapshot(db, scope, opts.Name, now)
		if err != nil {
			return page, wrap("list snapshots", err)
		}
		if opts.ClusterID != "" && row.ClusterID != strings.ToLower(opts.ClusterID) {
			return page, nil
		}
		page.Items = append(page.Items, describeSnapshot(row, now))
		return page, nil
	}
	q := db.Preload("Nodes").Preload("Tags").Where("account_id = ? AND region = ?", scope.AccountID, scope.Region)
	if opts.ClusterID != "" {
		q = q.Where("cluster_id = ?", strings.ToLower(opts.ClusterID))
	}
	var rows []CacheSnapshot
	if err := q.Order("name").Find(&rows).Error; err != nil {
		return page, wrap("list snapshots", err)
	}
	var live []Snapshot
	for _, r := range rows {
		if r.StatusAt(now) != "" {
			live = append(live, describeSnapshot(r, now))
		}
	}
	if opts.ClusterID != "" && len(live) == 0 {
		// A cluster filter names a cluster that exists, or one whose snapshots outlive it.
		if _, err := s.liveCluster(db, scope, opts.ClusterID); err != nil {
			return page, wrap("list snapshots", err)
		}
	}
	for _, sn := range live {
		if sn.Name <= opts.After {
			continue
		}
		if opts.Limit > 0 && len(page.Items) == opts.Limit {
			page.Next = page.Items[len(page.Items)-1].Name
			break
		}
		page.Items = append(page.Items, sn)
	}
	return page, nil
}

// DeleteSnapshot starts deleting an available snapshot; it is gone after the propagation delay.
func (s *Store) DeleteSnapshot(ctx context.Context, scope Scope, name string) (Snapshot, error) {
	var deleted Snapshot
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		now := s.now()
		row, err := liveSnapshot(tx, scope, name, now)
		if err != nil {
			return err
		}
		if st := row.StatusAt(now); st != SnapshotAvailable {
			return newError(CodeInvalidSnapshotState, "Snapshot %s is %s; it can be deleted once it is available.", row.Name, st)
		}
		gone := now.Add(s.PropagationDelay)
		if err := tx.Model(&CacheSnapshot{}).Where("id = ?", row.ID).Updates(map[string]any{"deleting_at": now, "gone_at": gone}).Error; err != nil {
			return err
		}
		row.DeletingAt, row.GoneAt = &now, &gone
		deleted = describeSnapshot(row, now)
		return recordEvent(tx, scope, now, SourceCacheCluster, row.ClusterID, "Snapshot deleted: snapshot with ID '%s' of cache cluster with ID '%s'", row.Name, row.ClusterID)
	})
	return deleted, wrap("delete snapshot", err)
}

// restoreFromSnapshot fills in a new cluster's settings from the snapshot it restores, for what
// the request leaves out (engine, node type, version, port, parameter group, windows, retention,
// minor upgrades), after checking the snapshot can be restored. It returns the snapshot's name,
// "" when the cluster is not a restore.
func restoreFromSnapshot(tx *gorm.DB, scope Scope, n *NewCluster, now time.Time) (string, error) {
	if n.SnapshotName == "" {
		return "", nil
	}
	const field = "snapshot_name"
	row, err := liveSnapshot(tx, scope, n.SnapshotName, now)
	if err != nil {
		if e, ok := AsError(err); ok {
			e.Fields = []FieldError{{field, e.Message}}
		}
		return "", err
	}
	if st := row.StatusAt(now); st != SnapshotAvailable {
		return "", fieldError(CodeInvalidSnapshotState, field, "Snapshot %s is %s; a cluster can be restored from it once it is available.", row.Name, st)
	}
	if n.Engine != "" && n.Engine != row.Engine {
		return "", fieldError(CodeInvalidParameterCombination, "engine", "Snapshot %s is of a %s cluster: it can't be restored as %s.", row.Name, row.Engine, n.Engine)
	}
	n.Engine = row.Engine
	if n.NodeType == "" {
		n.NodeType = row.NodeType
	}
	if n.NumNodes == 0 {
		n.NumNodes = row.NumNodes
	}
	set := &n.Settings
	sameFamily := set.EngineVersion == ""
	if set.EngineVersion != "" {
		asked, ok := findEngineVersion(row.Engine, set.EngineVersion)
		from, _ := engineVersionOf(row.Engine, row.EngineVersion)
		if ok && compareVersions(asked.Actual, row.EngineVersion) < 0 {
			return "", fieldError(CodeInvalidParameterValue, "engine_version", "Snapshot %s holds %s %s data: it can be restored to that version or a newer one, not %s.", row.Name, row.Engine, row.EngineVersion, set.EngineVersion)
		}
		sameFamily = ok && asked.Family == from.Family
	} else {
		set.EngineVersion = row.EngineVersion
	}
	if set.ParameterGroup == "" && sameFamily {
		set.ParameterGroup = row.ParameterGroup
	}
	if set.Port == 0 {
		set.Port = row.Port
	}
	if set.MaintenanceWindow == "" {
		set.MaintenanceWindow = row.MaintenanceWindow
		if set.SnapshotWindow == "" {
			set.SnapshotWindow = row.SnapshotWindow
		}
	}
	if set.SnapshotRetentionLimit == nil {
		limit := row.SnapshotRetentionLimit
		set.SnapshotRetentionLimit = &limit
	}
	if set.AutoMinorVersionUpgrade == nil {
		on := !row.MinorUpgradesOff
		set.AutoMinorVersionUpgrade = &on
	}
	// The restored cluster's network is checked by CreateCluster, as any new VPC cluster's is.
	return row.Name, nil
}

// DeleteClusterWithFinalSnapshot deletes a cluster as DeleteCluster does, after taking a final
// snapshot of it named snapshotName (DeleteCacheCluster's FinalSnapshotIdentifier), in the same
// transaction: if the snapshot can't be taken, the cluster is not deleted.
func (s *Store) DeleteClusterWithFinalSnapshot(ctx context.Context, scope Scope, id, snapshotName string, tags []Tag) (Cluster, error) {
	if snapshotName == "" {
		return Cluster{}, fieldError(CodeMissingParameter, "final_snapshot_name", "Enter a name for the final backup.")
	}
	return s.deleteCluster(ctx, scope, id, func(tx *gorm.DB, row CacheCluster, now time.Time) error {
		_, err := s.takeSnapshot(tx, scope, row, "final_snapshot_name", snapshotName, tags, now)
		return err
	})
}
