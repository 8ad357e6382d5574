package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ClusterModification is what ModifyCacheCluster changes; nil or empty fields stay as they are.
type ClusterModification struct {
	// NodeType may only name the cluster's own node type: scaling to another one is not simulated,
	// and is refused by name rather than dropped.
	NodeType                string
	NumNodes                *int
	NodeIDsToRemove         []string
	EngineVersion           string
	CacheSecurityGroups     []string // replaces the set when SetCacheSecurityGroups
	SetCacheSecurityGroups  bool
	VPCSecurityGroupIDs     []string // replaces the set when SetVPCSecurityGroupIDs
	SetVPCSecurityGroupIDs  bool
	ParameterGroup          string
	MaintenanceWindow       string
	SnapshotRetentionLimit  *int
	SnapshotWindow          string
	AutoMinorVersionUpgrade *bool
	// ApplyImmediately applies a change of nodes or engine version now; without it the change
	// waits in PendingModifiedValues for the next maintenance window. Other settings apply now.
	ApplyImmediately bool
}

// ModifyCluster changes an available cluster as ModifyCacheCluster does: the cluster is modifying
// while a change applies, and every change is recorded as an event.
func (s *Store) ModifyCluster(ctx context.Context, scope Scope, id string, m ClusterModification) (Cluster, error) {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		row, err := s.liveCluster(tx, scope, id)
		if err != nil {
			return err
		}
		now := s.now()
		if err := s.settlePending(tx, &row, now); err != nil {
			return err
		}
		if st := row.StatusAt(now); st != ClusterAvailable {
			return newError(CodeInvalidCacheClusterState, "Cache cluster %s is %s; it can be modified once it is available.", row.ClusterID, st)
		}
		return s.modifyCluster(tx, scope, row, m, now)
	})
	if err != nil {
		return Cluster{}, wrap("modify cluster", err)
	}
	return s.GetCluster(ctx, scope, id)
}

// settlePending stores a pending change whose maintenance window has come as applied, and gives
// a cluster stored without node rows its nodes, so a new change starts from what is described.
func (s *Store) settlePending(tx *gorm.DB, row *CacheCluster, now time.Time) error {
	if len(row.Nodes) == 0 && row.NumNodes > 0 {
		row.Nodes = legacyNodes(*row)
		if err := saveNodes(tx, row.Nodes); err != nil {
			return err
		}
	}
	settled, pending := effectiveRow(*row, now)
	if pending != nil || settled.PendingChanges == row.PendingChanges {
		return nil
	}
	*row = settled
	return saveCluster(tx, *row)
}

// modifyCluster validates every part of the modification first, then applies it.
func (s *Store) modifyCluster(tx *gorm.DB, scope Scope, row CacheCluster, m ClusterModification, now time.Time) error {
	var events []string
	if m.NodeType != "" && m.NodeType != row.NodeType {
		return fieldError(CodeInvalidParameterValue, "node_type", "Invalid value for parameter CacheNodeType: changing the node type of %s from %s to %s is not simulated; create a cluster of that node type instead.",
			row.ClusterID, row.NodeType, m.NodeType)
	}
	change, err := plannedChange(tx, scope, row, m, now)
	if err != nil {
		return err
	}
	if err := s.modifySettings(&row, m, &events); err != nil {
		return err
	}
	if len(events) > 0 {
		s.modifyingFor(&row, now) // a settings change shows as modifying while it applies
	}
	if m.SetVPCSecurityGroupIDs {
		if row.Network != PlatformVPC {
			return fieldError(CodeInvalidParameterCombination, "vpc_security_group_ids", "SecurityGroupIds are for VPC clusters; %s runs in EC2-Classic and takes CacheSecurityGroupNames.", row.ClusterID)
		}
		if err := validVPCGroupIDs(m.VPCSecurityGroupIDs); err != nil {
			return err
		}
		if err := CheckClusterNetwork(tx, scope, row.SubnetGroup, m.VPCSecurityGroupIDs); err != nil {
			return err
		}
		if ids := strings.Join(m.VPCSecurityGroupIDs, " "); ids != row.VPCSecurityGroupIDs {
			row.VPCSecurityGroupIDs = ids
			events = append(events, "Applied change to security group: "+strings.Join(m.VPCSecurityGroupIDs, ", "))
			s.modifyingFor(&row, now)
		}
	}
	if m.SetCacheSecurityGroups {
		if err := s.replaceClusterGroups(tx, scope, row, m.CacheSecurityGroups, now); err != nil {
			return err
		}
	}
	if !change.empty() {
		if m.ApplyImmediately {
			applyChange(&row, change, now, s.PropagationDelay)
			row.PendingChanges = ""
			events = append(events, change.describe(true))
		} else {
			change.DueAt, change.Takes = nextWindowStart(row.MaintenanceWindowOrDefault(), now), s.PropagationDelay
			row.PendingChanges = change.encode()
			events = append(events, change.describe(false)+fmt.Sprintf(", pending the maintenance window (%s UTC)", change.DueAt.Format("Mon 2006-01-02 15:04")))
		}
	} else if m.ApplyImmediately && row.PendingChanges != "" {
		// ApplyImmediately with nothing new applies what was waiting, as on AWS.
		p, _ := pendingOf(row)
		applyChange(&row, p, now, s.PropagationDelay)
		row.PendingChanges = ""
		events = append(events, p.describe(true))
	}
	if err := saveCluster(tx, row); err != nil {
		return err
	}
	for _, e := range events {
		if err := recordEvent(tx, scope, now, SourceCacheCluster, row.ClusterID, "%s", clipf(MaxEventMessageLength, "%s", e)); err != nil {
			return err
		}
	}
	return nil
}

// plannedChange checks a change of nodes or engine version against the cluster.
func plannedChange(tx *gorm.DB, scope Scope, row CacheCluster, m ClusterModification, now time.Time) (pendingChange, error) {
	var p pendingChange
	if prev, ok := pendingOf(row); ok {
		p = prev // a new request replaces the waiting values it names and keeps the others
	}
	if m.EngineVersion != "" {
		v, ok := findEngineVersion(row.Engine, m.EngineVersion)
		if !ok {
			return p, fieldError(CodeInvalidParameterValue, "engine_version", "Engine version %s is not a published version of %s (see DescribeCacheEngineVersions).", m.EngineVersion, row.Engine)
		}
		switch c := compareVersions(v.Actual, row.EngineVersion); {
		case c < 0:
			return p, fieldError(CodeInvalidParameterCombination, "engine_version", "Cannot modify engine version from %s to %s since downgrade is not supported.", row.EngineVersion, v.Actual)
		case c > 0:
			p.EngineVersion = v.Actual
		}
	}
	if m.NumNodes == nil {
		if len(m.NodeIDsToRemove) > 0 {
			return p, fieldError(CodeInvalidParameterCombination, "num_nodes", "CacheNodeIdsToRemove needs NumCacheNodes, the number of nodes the cluster keeps.")
		}
		return p, nil
	}
	n := *m.NumNodes
	switch {
	case n < 1:
		return p, fieldError(CodeInvalidParameterValue, "num_nodes", "A cluster needs at least one node.")
	case row.Engine == "redis" && n != 1:
		return p, fieldError(CodeInvalidParameterValue, "num_nodes", "A Redis cluster has exactly one node.")
	case n > MaxNodesPerCluster:
		return p, fieldError(CodeNodeQuotaForCluster, "num_nodes", "A cluster can have at most %d nodes.", MaxNodesPerCluster)
	case n == row.NumNodes:
		if len(m.NodeIDsToRemove) > 0 {
			return p, fieldError(CodeInvalidParameterValue, "num_nodes", "NumCacheNodes equals the current number of nodes (%d); no node can be removed.", n)
		}
		p.NumNodes, p.RemoveIDs = 0, nil
		return p, nil
	case n > row.NumNodes:
		if len(m.NodeIDsToRemove) > 0 {
			return p, fieldError(CodeInvalidParameterCombination, "num_nodes", "CacheNodeIdsToRemove is only for decreasing NumCacheNodes.")
		}
		if err := checkNodeQuotas(tx, scope, now, n-row.NumNodes); err != nil && !HasCode(err, CodeClusterQuotaForCustomer) {
			return p, err
		}
		p.NumNodes, p.RemoveIDs = n, nil
		return p, nil
	}
	want := row.NumNodes - n
	if len(m.NodeIDsToRemove) != want {
		return p, fieldError(CodeInvalidParameterValue, "num_nodes", "Decreasing NumCacheNodes from %d to %d needs CacheNodeIdsToRemove with exactly %d node IDs; %d were given.", row.NumNodes, n, want, len(m.NodeIDsToRemove))
	}
	live := map[string]bool{}
	for _, node := range row.Nodes {
		if node.RemovingAt == nil {
			live[node.NodeID] = true
		}
	}
	seen := map[string]bool{}
	for _, id := range m.NodeIDsToRemove {
		if !live[id] || seen[id] {
			return p, fieldError(CodeInvalidParameterValue, "num_nodes", "Cache node %s is not a node of %s that can be removed.", id, row.ClusterID)
		}
		seen[id] = true
	}
	p.NumNodes, p.RemoveIDs = n, m.NodeIDsToRemove
	return p, nil
}

// modifySettings applies the settings that take effect at once: windows, snapshots, parameter group.
func (s *Store) modifySettings(row *CacheCluster, m ClusterModification, events *[]string) error {
	if m.MaintenanceWindow != "" {
		w, _, _, err := ParseMaintenanceWindow(m.MaintenanceWindow)
		if err != nil {
			return err
		}
		if w != row.MaintenanceWindowOrDefault() {
			row.MaintenanceWindow = w
			*events = append(*events, "Preferred maintenance window changed to "+w)
		}
	}
	if m.SnapshotRetentionLimit != nil || m.SnapshotWindow != "" {
		if row.Engine != "redis" {
			field := "snapshot_window"
			if m.SnapshotRetentionLimit != nil {
				field = "snapshot_retention_limit"
			}
			return fieldError(CodeInvalidParameterValue, field, "Snapshots are for Redis clusters only.")
		}
		r := resolvedSettings{maintenance: row.MaintenanceWindowOrDefault(), retention: row.SnapshotRetentionLimit}
		if err := r.resolveSnapshots(m.SnapshotRetentionLimit, m.SnapshotWindow); err != nil {
			return err
		}
		if m.SnapshotWindow == "" {
			r.snapshotWindow = row.SnapshotWindow
		}
		if r.retention != row.SnapshotRetentionLimit || r.snapshotWindow != row.SnapshotWindow {
			row.SnapshotRetentionLimit, row.SnapshotWindow = r.retention, r.snapshotWindow
			*events = append(*events, fmt.Sprintf("Snapshot settings changed: retention %d days, window %s", r.retention, r.snapshotWindow))
		}
	}
	if m.AutoMinorVersionUpgrade != nil && row.MinorUpgradesOff == *m.AutoMinorVersionUpgrade {
		row.MinorUpgradesOff = !*m.AutoMinorVersionUpgrade
		*events = append(*events, fmt.Sprintf("Auto minor version upgrade set to %v", *m.AutoMinorVersionUpgrade))
	}
	if m.ParameterGroup != "" {
		g, err := FindParameterGroup(m.ParameterGroup)
		if err != nil {
			e, _ := AsError(err)
			e.Fields = []FieldError{{"parameter_group", e.Message}}
			return e
		}
		version := row.EngineVersion
		if p, ok := pendingOf(*row); ok && p.EngineVersion != "" {
			version = p.EngineVersion
		}
		if v, ok := engineVersionOf(row.Engine, version); ok && v.Family != g.Family {
			return fieldError(CodeInvalidParameterCombination, "parameter_group", "The parameter group %s is of family %s; %s %s needs a %s parameter group.", g.Name, g.Family, row.Engine, version, v.Family)
		}
		if g.Name != row.ParameterGroup {
			row.ParameterGroup = g.Name
			*events = append(*events, "Cache parameter group changed to "+g.Name)
		}
	}
	return nil
}

// MaintenanceWindowOrDefault is the stored window, or the one assigned to a cluster without one.
func (c CacheCluster) MaintenanceWindowOrDefault() string {
	if c.MaintenanceWindow != "" {
		return c.MaintenanceWindow
	}
	return defaultMaintenanceWindow(c.AccountID, c.Region, c.ClusterID)
}

func (s *Store) modifyingFor(row *CacheCluster, now time.Time) {
	until := now.Add(s.PropagationDelay)
	if row.ModifyingUntil == nil || row.ModifyingUntil.Before(until) {
		row.ModifyingUntil = &until
	}
}

func (p pendingChange) describe(applied bool) string {
	var parts []string
	if p.NumNodes != 0 {
		parts = append(parts, fmt.Sprintf("number of nodes to %d", p.NumNodes))
		if len(p.RemoveIDs) > 0 {
			parts = append(parts, "removing node(s) "+strings.Join(p.RemoveIDs, ", "))
		}
	}
	if p.EngineVersion != "" {
		parts = append(parts, "engine version to "+p.EngineVersion)
	}
	verb := "Modification requested"
	if applied {
		verb = "Cache cluster modified"
	}
	return verb + ": " + strings.Join(parts, ", ")
}

func validVPCGroupIDs(ids []string) error {
	if len(ids) > MaxVPCSecurityGroups {
		return fieldError(CodeInvalidParameterValue, "vpc_security_group_ids", "A cluster can have at most %d VPC security groups.", MaxVPCSecurityGroups)
	}
	for _, id := range ids {
		if !vpcGroupIDPattern.MatchString(id) {
			return fieldError(CodeInvalidParameterValue, "vpc_security_group_ids", "%q is not a VPC security group ID: use sg- followed by 8 or 17 hexadecimal digits.", id)
		}
	}
	return nil
}

// saveCluster stores the row's modifiable columns and its nodes.
func saveCluster(tx *gorm.DB, row CacheCluster) error {
	err := tx.Model(&CacheCluster{}).Where("id = ?", row.ID).Updates(map[string]any{
		"num_nodes": row.NumNodes, "engine_version": row.EngineVersion, "vpc_security_group_ids": row.VPCSecurityGroupIDs,
		"parameter_group": row.ParameterGroup, "maintenance_window": row.MaintenanceWindow,
		"snapshot_retention_limit": row.SnapshotRetentionLimit, "snapshot_window": row.SnapshotWindow,
		"minor_upgrades_off": row.MinorUpgradesOff, "modifying_until": row.ModifyingUntil, "pending_changes": row.PendingChanges}).Error
	if err != nil {
		return err
	}
	return saveNodes(tx, row.Nodes)
}

// saveNodes creates new nodes and stores the removal of existing ones.
func saveNodes(tx *gorm.DB, nodes []CacheNode) error {
	for i := range nodes {
		n := &nodes[i]
		if n.ID == 0 {
			// A node that finished leaving gives its ID to the new one.
			gone := tx.Where("cluster_row_id = ? AND node_id = ? AND gone_at IS NOT NULL", n.ClusterRowID, n.NodeID)
			if err := gone.Delete(&CacheNode{}).Error; err != nil {
				return err
			}
			if err := tx.Create(n).Error; err != nil {
				return err
			}
			continue
		}
		if n.RemovingAt != nil {
			if err := tx.Model(&CacheNode{}).Where("id = ?", n.ID).Updates(map[string]any{"removing_at": n.RemovingAt, "gone_at": n.GoneAt}).Error; err != nil {
				return err
			}
		}
	}
	return nil
}
