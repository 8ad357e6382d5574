package views

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"sgconsole/models"
)

// NavBackups is the side navigation's Backups item.
const NavBackups = "backups"

// BackupPath is a backup's (snapshot's) page.
func BackupPath(name string) string { return "/backups/" + urlPathEscape(name) }

// BackupRestorePath is the restore form of a backup (POST: restore).
func BackupRestorePath(name string) string { return BackupPath(name) + "/restore" }

// BackupDeletePath is where Delete posts (GET: its confirmation page).
func BackupDeletePath(name string) string { return BackupPath(name) + "/delete" }

// ClusterBackupPath is the Backup form of a cluster (POST: create the backup).
func ClusterBackupPath(id string) string { return ClusterPath(id) + "/backup" }

// BackupList is what the Backups page shows: one page of the backups that match the filter.
type BackupList struct {
	Backups BackupPage
	Filter  string
}

// BackupPage is one page of the Backups list.
type BackupPage struct {
	Items []models.Snapshot
	Total int // matching backups across all pages
	Page  int
	Size  int
	Pages int
}

// PageBackups filters a region's backups (by name, cluster, status, engine version, node type and
// source, case-insensitively) and cuts out page of size, as the other lists do. A region holds at
// most models.MaxSnapshotsPerRegion backups, so this works on the whole list.
func PageBackups(all []models.Snapshot, filter string, page, size int) BackupPage {
	if !slices.Contains(models.PageSizes, size) {
		size = models.DefaultPageSize
	}
	filter = strings.ToLower(filter)
	var items []models.Snapshot
	for _, s := range all {
		text := strings.ToLower(strings.Join([]string{s.Name, s.ClusterID, s.Status, s.EngineVersion, s.NodeType, backupSource(s)}, " "))
		if filter == "" || strings.Contains(text, filter) {
			items = append(items, s)
		}
	}
	pg := BackupPage{Total: len(items), Size: size, Pages: max(1, (len(items)+size-1)/size)}
	pg.Page = min(max(page, 1), pg.Pages)
	start := (pg.Page - 1) * size
	pg.Items = items[start:min(start+size, len(items))]
	return pg
}

// BackupForm is the Backup form of a cluster: the backup's name.
type BackupForm struct {
	Cluster models.Cluster
	Name    string
	Errors  FieldErrors
	Message string // a refusal that names no field (the cluster is busy, the quota)
}

// BackupDetail is a backup's page.
type BackupDetail struct {
	Backup        models.Snapshot
	ClusterExists bool // the cluster it was taken from still exists (manual backups outlive it)
}

// RestoreForm is the form that restores a backup into a new cluster.
type RestoreForm struct {
	Backup              models.Snapshot
	ClusterID           string
	NodeType            string
	Port                string
	SubnetGroup         string
	VPCSecurityGroupIDs []string
	Errors              FieldErrors
	Message             string
	// What the form offers: the account's subnet groups and the VPC security groups of the region.
	SubnetGroups []models.SubnetGroup
	Network      models.Network
}

// SuggestedBackupName is the name the Backup form starts with: the cluster's ID and the day,
// as in "orders-redis-backup-20220301".
func SuggestedBackupName(clusterID string, now time.Time) string {
	return clusterID + "-backup-" + now.UTC().Format("20060102")
}

// AnyBackupPending reports whether a list has a backup that is creating or deleting.
func AnyBackupPending(list []models.Snapshot) bool {
	for _, s := range list {
		if s.Pending() {
			return true
		}
	}
	return false
}

func backupFirst(pg BackupPage) int {
	if pg.Total == 0 {
		return 0
	}
	return (pg.Page-1)*pg.Size + 1
}

func backupLast(pg BackupPage) int {
	if len(pg.Items) == 0 {
		return 0
	}
	return backupFirst(pg) + len(pg.Items) - 1
}

// backupListLink is a list URL with the current filter and size, overridden by kv.
func backupListLink(p Page, l BackupList, kv ...string) string {
	base := map[string]string{"filter": l.Filter, "size": "", "page": ""}
	if l.Backups.Size != models.DefaultPageSize {
		base["size"] = strconv.Itoa(l.Backups.Size)
	}
	if l.Backups.Page > 1 {
		base["page"] = strconv.Itoa(l.Backups.Page)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		base[kv[i]] = kv[i+1]
	}
	pairs := []string{}
	for _, k := range []string{"filter", "size", "page"} {
		pairs = append(pairs, k, base[k])
	}
	return p.Link("/backups", pairs...)
}

// backupSource is the Source column: "manual" for a backup a user took.
func backupSource(s models.Snapshot) string {
	if s.Source == "" {
		return "manual"
	}
	return s.Source
}

// backupConfirm is Delete's confirmation: a backup's data is lost with it, but nothing else is.
func backupConfirm(p Page, s models.Snapshot, id string) Confirm {
	return Confirm{ID: id, Title: "Delete backup", Action: p.Link(BackupDeletePath(s.Name)),
		CancelURL: p.Link(BackupPath(s.Name)), TestID: "backup-delete-dialog", FormTestID: "backup-delete-form"}
}

// restoreChose reports whether a VPC security group is ticked in the restore form.
func restoreChose(chosen []string, id string) bool { return clusterChose(chosen, id) }

// restoreVPCs are the VPCs that have subnet groups or security groups, in the network's order.
func restoreVPCs(f RestoreForm) []models.VPC {
	var out []models.VPC
	for _, v := range f.Network.VPCs {
		if len(f.Network.GroupsOf(v.VpcID)) > 0 {
			out = append(out, v)
		}
	}
	return out
}

// CLICreateSnapshot is the Backup form's command.
func CLICreateSnapshot(p Page, clusterID, name string) string {
	return awsCommand(p, "create-snapshot", opt("--cache-cluster-id", clusterID, "CLUSTER_ID"), opt("--snapshot-name", name, "SNAPSHOT_NAME"))
}

// CLIDescribeSnapshot describes one backup.
func CLIDescribeSnapshot(p Page, name string) string {
	return awsCommand(p, "describe-snapshots", opt("--snapshot-name", name, "SNAPSHOT_NAME"))
}

// CLIDescribeSnapshots lists the region's backups, as many per call as the list shows (the API
// takes 20 to 50).
func CLIDescribeSnapshots(p Page, pageSize int) string {
	return awsCommand(p, "describe-snapshots", opt("--max-records", strconv.Itoa(min(maxRecords(pageSize), 50)), "N"))
}

// CLIDeleteSnapshot deletes a backup.
func CLIDeleteSnapshot(p Page, name string) string {
	return awsCommand(p, "delete-snapshot", opt("--snapshot-name", name, "SNAPSHOT_NAME"))
}

// CLIRestoreSnapshot is the restore form's command: a new cluster from the backup, in a subnet group.
func CLIRestoreSnapshot(p Page, f RestoreForm) string {
	args := []cliArg{
		opt("--cache-cluster-id", f.ClusterID, "CLUSTER_ID"),
		opt("--snapshot-name", f.Backup.Name, "SNAPSHOT_NAME"),
		opt("--engine", f.Backup.Engine, "ENGINE"),
		opt("--cache-node-type", f.NodeType, "NODE_TYPE"),
		opt("--num-cache-nodes", "1", "N"),
	}
	if f.Port != "" {
		args = append(args, opt("--port", f.Port, "PORT"))
	}
	args = append(args, opt("--cache-subnet-group-name", f.SubnetGroup, "SUBNET_GROUP"))
	if len(f.VPCSecurityGroupIDs) > 0 {
		args = append(args, optList("--security-group-ids", f.VPCSecurityGroupIDs, "SG_ID"))
	}
	return awsCommand(p, "create-cache-cluster", args...)
}

// dashIfEmpty shows "-" for a value a backup does not have (an EC2-Classic cluster's VPC).
func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
