package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"sgconsole/models"
)

// backupConsole is the demo console with its clusters available, a subnet group app-private in
// the default VPC of us-east-1, and a VPC security group "elsewhere" of another VPC; cacheGroup is
// the ID of the default VPC's vpc-cache group, otherGroup that of elsewhere.
func backupConsole(t *testing.T) (cs *console, c *client, cacheGroup, otherGroup string) {
	t.Helper()
	cs = newConsole(t, true)
	c = cs.signedIn(t)
	cs.clock.Advance(propagationDelay)
	ctx, scope := context.Background(), scopeOf("us-east-1")
	n, err := cs.store.GetNetwork(ctx, scope)
	if err != nil || len(n.VPCs) == 0 {
		t.Fatalf("demo network %+v, %v", n, err)
	}
	vpc := n.VPCs[0]
	if _, err := cs.store.CreateSubnetGroup(ctx, scope, models.NewSubnetGroup{Name: "app-private", Description: "d", SubnetIDs: []string{n.SubnetsOf(vpc.VpcID)[0].SubnetID}}); err != nil {
		t.Fatal(err)
	}
	for _, g := range n.GroupsOf(vpc.VpcID) {
		if g.Name == "vpc-cache" {
			cacheGroup = g.GroupID
		}
	}
	other, err := cs.store.CreateVPC(ctx, scope, "other", "10.9.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	g, err := cs.store.CreateVPCSecurityGroup(ctx, scope, other.VpcID, "elsewhere", "another VPC's group")
	if err != nil {
		t.Fatal(err)
	}
	if cacheGroup == "" {
		t.Fatalf("the demo's default VPC has no vpc-cache group: %+v", n.Groups)
	}
	return cs, c, cacheGroup, g.GroupID
}

// backUp takes a backup of cluster through the console's Backup form.
func (c *client) backUp(cluster, name string) *response {
	c.t.Helper()
	form := c.get("/clusters/" + cluster + "/backup?region=us-east-1").wantStatus(http.StatusOK)
	return c.submitValues(form, testid("backup-create-form"), url.Values{"snapshot_name": {name}})
}

func TestBackupARedisClusterFromItsPage(t *testing.T) {
	cs, c, _, _ := backupConsole(t)
	page := c.get("/clusters/orders-redis?region=us-east-1").wantStatus(http.StatusOK)
	if got := page.attr(testid("backup-button"), "href"); got != "/clusters/orders-redis/backup?region=us-east-1" {
		t.Fatalf("Backup goes to %q", got)
	}
	// Memcached keeps no data to back up: no Backup action, and its form says why.
	c.get("/clusters/sessions?region=us-east-1").wantStatus(http.StatusOK).wantAbsent(testid("backup-button"))
	c.get("/clusters/sessions/backup?region=us-east-1").wantStatus(http.StatusOK).wantText(testid("alert-error"), "Backups are for Redis clusters only")

	form := c.get("/clusters/orders-redis/backup?region=us-east-1").wantStatus(http.StatusOK)
	form.wantText(testid("page-title"), "Back up orders-redis")
	if got := form.attr(`#backup-name`, "value"); got != "orders-redis-backup-20220601" {
		t.Fatalf("suggested name %q", got)
	}
	form.wantText(testid("cli-back-up-this-cluster")+" "+testid("cli-command"), "create-snapshot")

	// A bad name comes back next to the field, with what was typed.
	bad := c.failedForm(c.submitValues(form, testid("backup-create-form"), url.Values{"snapshot_name": {"1st backup"}}))
	bad.wantStatus(http.StatusUnprocessableEntity)
	bad.wantPresent(testid("error-snapshot_name"))
	if got := bad.attr(`#backup-name`, "value"); got != "1st backup" {
		t.Fatalf("the form kept %q", got)
	}
	empty := c.failedForm(c.submitValues(form, testid("backup-create-form"), url.Values{"snapshot_name": {""}}))
	empty.wantStatus(http.StatusUnprocessableEntity)
	empty.wantPresent(testid("error-snapshot_name"))

	r := c.backUp("orders-redis", "nightly")
	r.wantRedirect(http.StatusSeeOther, "/backups/nightly?region=us-east-1")
	page = c.follow(r).wantStatus(http.StatusOK)
	page.wantText(testid("flash"), "Creating backup nightly of cluster orders-redis.")
	page.wantText(testid("page-title"), "nightly")
	page.wantText(testid("backup-status"), "creating")
	page.wantText(testid("detail-cluster"), "orders-redis")
	page.wantText(testid("detail-engine"), "Redis")
	page.wantText(testid("detail-node-type"), "cache.t2.small")
	page.wantText(testid("detail-port"), "6379")
	page.wantText(testid("detail-arn"), "arn:aws:elasticache:us-east-1:"+models.DefaultAccountID+":snapshot:nightly")
	page.wantPresent(`button[disabled]` + testid("restore-button"))
	page.wantPresent(`button[disabled]` + testid("delete-button"))
	if page.attr("body", "data-pending") != "true" {
		t.Fatal("a creating backup's page should keep itself current")
	}

	// Meanwhile the cluster is snapshotting: its Backup waits, and the form says why.
	cluster := c.get("/clusters/orders-redis?region=us-east-1").wantStatus(http.StatusOK)
	cluster.wantText(testid("cluster-status"), "snapshotting")
	cluster.wantPresent(`button[disabled]` + testid("backup-button"))
	busy := c.get("/clusters/orders-redis/backup?region=us-east-1").wantStatus(http.StatusOK)
	busy.wantText(testid("alert-error"), "The cluster is snapshotting")
	busy.wantAbsent(testid("backup-create-form"))

	cs.clock.Advance(propagationDelay)
	page = c.get("/backups/nightly?region=us-east-1").wantStatus(http.StatusOK)
	page.wantText(testid("backup-status"), "available")
	if got := page.attr(testid("restore-button"), "href"); got != "/backups/nightly/restore?region=us-east-1" {
		t.Fatalf("Restore goes to %q", got)
	}
	page.wantPresent(testid("backup-delete-dialog"))
	page.wantPresent(testid("node-snapshot-0001"))
	if page.attr("body", "data-pending") != "false" {
		t.Fatal("an available backup's page is not pending")
	}

	// The same name again is refused next to the field.
	dup := c.failedForm(c.backUp("orders-redis", "Nightly"))
	dup.wantStatus(http.StatusUnprocessableEntity)
	dup.wantText(testid("error-snapshot_name"), "nightly")
}

func TestBackupsListFiltersAndPages(t *testing.T) {
	cs, c, _, _ := backupConsole(t)
	empty := c.get("/backups?region=us-east-1").wantStatus(http.StatusOK)
	empty.wantText(testid("page-title"), "Backups (0)")
	empty.wantText(testid("empty-state"), "No backups")
	empty.wantPresent(testid("side-nav") + ` a[aria-current="page"]` + testid("nav-backups"))

	// One backup at a time: the cluster is snapshotting while one is created.
	for _, name := range []string{"alpha", "beta", "gamma"} {
		c.backUp("orders-redis", name).wantStatus(http.StatusSeeOther)
		if name != "gamma" {
			cs.clock.Advance(propagationDelay)
		}
	}
	list := c.get("/backups?region=us-east-1").wantStatus(http.StatusOK)
	list.wantText(testid("page-title"), "Backups (3)")
	row := testid("backup-row-beta")
	list.wantText(row+" "+testid("backup-cluster"), "orders-redis")
	list.wantText(testid("backup-row-gamma")+" "+testid("backup-status"), "creating")
	list.wantText(row+" "+testid("backup-status"), "available")
	list.wantText(row+" "+testid("backup-engine"), "Redis")
	list.wantText(row+" "+testid("backup-node-type"), "cache.t2.small")
	list.wantText(row+" "+testid("backup-source"), "manual")
	if got := list.attr(row+" a", "href"); got != "/backups/beta?region=us-east-1" {
		t.Fatalf("row link %q", got)
	}
	if list.attr("body", "data-pending") != "true" {
		t.Fatal("a list with creating backups keeps itself current")
	}

	filtered := c.get("/backups?region=us-east-1&filter=gam").wantStatus(http.StatusOK)
	filtered.wantText(testid("match-count"), "1 match")
	filtered.wantPresent(testid("backup-row-gamma"))
	filtered.wantAbsent(testid("backup-row-alpha"))
	c.get("/backups?region=us-east-1&filter=nothing-like-this").wantStatus(http.StatusOK).wantText(testid("empty-state"), "No matches")

	for i := 0; i < 8; i++ {
		cs.clock.Advance(propagationDelay)
		c.backUp("orders-redis", "bulk-"+string(rune('a'+i))).wantStatus(http.StatusSeeOther)
	}
	page := c.get("/backups?region=us-east-1&size=10").wantStatus(http.StatusOK)
	page.wantText(testid("table-range"), "Displaying items 1 to 10 of 11")
	next := page.attr(testid("next-page"), "href")
	if next != "/backups?page=2&region=us-east-1&size=10" {
		t.Fatalf("next page link %q", next)
	}
	c.get(next).wantStatus(http.StatusOK).wantText(testid("table-range"), "Displaying items 11 to 11 of 11")

	// Another region has none of them.
	c.get("/backups?region=eu-west-1").wantStatus(http.StatusOK).wantText(testid("page-title"), "Backups (0)")
}

func TestRestoreABackupIntoASubnetGroup(t *testing.T) {
	cs, c, cacheGroup, otherGroup := backupConsole(t)
	c.backUp("orders-redis", "nightly").wantStatus(http.StatusSeeOther)
	// A creating backup can't be restored yet: the form says so instead of offering itself.
	busy := c.get("/backups/nightly/restore?region=us-east-1").wantStatus(http.StatusOK)
	busy.wantText(testid("alert-error"), "The backup is creating")
	busy.wantAbsent(testid("restore-form"))
	cs.clock.Advance(propagationDelay)

	form := c.get("/backups/nightly/restore?region=us-east-1").wantStatus(http.StatusOK)
	form.wantText(testid("page-title"), "Restore nightly")
	form.wantPresent(`select[name="node_type"] option[value="cache.t2.small"][selected]`)
	if got := form.attr(`#restore-port`, "value"); got != "6379" {
		t.Fatalf("port starts at %q", got)
	}
	form.wantPresent(testid("restore-subnet-group") + ` option[value="app-private"]`)
	form.wantPresent(testid("vpc-sg-" + cacheGroup))
	form.wantText(testid("restore-vpc-sgs"), "elsewhere") // each group named with its VPC
	form.wantText(testid("cli-restore-this-backup")+" "+testid("cli-command"), "--snapshot-name nightly")

	restore := func(values url.Values) *response {
		return c.submitValues(form, testid("restore-form"), values)
	}
	good := url.Values{"cluster_id": {"Orders-Restored"}, "node_type": {"cache.t2.small"}, "port": {"6379"},
		"subnet_group": {"app-private"}, "vpc_security_group_ids": {cacheGroup}}
	with := func(k, v string) url.Values {
		out := url.Values{}
		for key, vs := range good {
			out[key] = vs
		}
		out.Set(k, v)
		return out
	}

	// Every refusal comes back next to its field, never as a 500.
	for _, tc := range []struct {
		field  string
		values url.Values
	}{
		{"subnet_group", with("subnet_group", "")},
		{"subnet_group", with("subnet_group", "no-such-group")},
		{"vpc_security_group_ids", with("vpc_security_group_ids", otherGroup)},
		{"cluster_id", with("cluster_id", "1-bad")},
		{"cluster_id", with("cluster_id", "orders-redis")},
		{"port", with("port", "sixty")},
		{"node_type", with("node_type", "cache.x9.huge")},
	} {
		page := c.failedForm(restore(tc.values))
		if page.Status != http.StatusUnprocessableEntity {
			t.Fatalf("restore with %v: status %d, want 422", tc.values, page.Status)
		}
		page.wantPresent(testid("error-" + tc.field))
		page.wantPresent(testid("restore-form"))
	}
	if _, ok := cs.storedCluster(t, "us-east-1", "orders-restored"); ok {
		t.Fatal("a refused restore created the cluster")
	}

	r := restore(good)
	r.wantRedirect(http.StatusSeeOther, "/clusters/orders-restored?region=us-east-1")
	got := cs.mustCluster(t, "us-east-1", "orders-restored")
	if got.Engine != "redis" || got.SubnetGroup != "app-private" || len(got.VPCSecurityGroupIDs) != 1 || got.VPCSecurityGroupIDs[0] != cacheGroup || got.Status != models.ClusterCreating {
		t.Fatalf("restored %+v", got)
	}
	page := c.follow(r).wantStatus(http.StatusOK)
	page.wantText(testid("flash"), "Restoring backup nightly into cache cluster orders-restored.")
	page.wantText(testid("detail-subnet-group"), "app-private")
	// The backup is kept.
	c.get("/backups/nightly?region=us-east-1").wantStatus(http.StatusOK).wantText(testid("backup-status"), "available")
}

func TestDeleteABackup(t *testing.T) {
	cs, c, _, _ := backupConsole(t)
	c.backUp("orders-redis", "old").wantStatus(http.StatusSeeOther)
	// Still creating: the confirmation page refuses and leads back.
	c.get("/backups/old/delete?region=us-east-1").wantStatus(http.StatusOK).wantText(testid("alert-error"), "creating")
	cs.clock.Advance(propagationDelay)

	confirm := c.get("/backups/old/delete?region=us-east-1").wantStatus(http.StatusOK)
	confirm.wantText(testid("delete-name"), "old")
	confirm.wantText("main", "orders-redis is not affected")
	if got := confirm.attr(testid("confirm-cancel"), "href"); got != "/backups/old?region=us-east-1" {
		t.Fatalf("Cancel goes to %q", got)
	}
	r := c.submit(confirm, testid("backup-delete-form"), nil)
	r.wantRedirect(http.StatusSeeOther, "/backups?region=us-east-1")
	c.follow(r).wantStatus(http.StatusOK).wantText(testid("flash"), "Deleting backup old.")
	cs.clock.Advance(propagationDelay)
	c.get("/backups?region=us-east-1").wantStatus(http.StatusOK).wantAbsent(testid("backup-row-old"))
	c.get("/backups/old?region=us-east-1").wantStatus(http.StatusNotFound)
	// The cluster it was taken from is untouched.
	if got := cs.mustCluster(t, "us-east-1", "orders-redis").Status; got != models.ClusterAvailable {
		t.Fatalf("orders-redis is %s", got)
	}
}

// A backup outlives its cluster: its page names the deleted cluster without a link, and it can
// still be restored.
func TestABackupOutlivesItsCluster(t *testing.T) {
	cs, c, _, _ := backupConsole(t)
	c.backUp("orders-redis", "last-copy").wantStatus(http.StatusSeeOther)
	cs.clock.Advance(propagationDelay)
	page := c.get("/backups/last-copy?region=us-east-1").wantStatus(http.StatusOK)
	if got := page.attr(testid("detail-cluster")+" a", "href"); got != "/clusters/orders-redis?region=us-east-1" {
		t.Fatalf("cluster link %q", got)
	}
	if _, err := cs.store.DeleteCluster(context.Background(), scopeOf("us-east-1"), "orders-redis"); err != nil {
		t.Fatal(err)
	}
	cs.clock.Advance(propagationDelay)
	page = c.get("/backups/last-copy?region=us-east-1").wantStatus(http.StatusOK)
	page.wantText(testid("detail-cluster"), "orders-redis (deleted)")
	page.wantAbsent(testid("detail-cluster") + " a")
	page.wantPresent(`a` + testid("restore-button"))
}

func TestUnknownBackupsAndClustersAre404Pages(t *testing.T) {
	_, c, _, _ := backupConsole(t)
	for _, path := range []string{"/backups/nope", "/backups/nope/restore", "/backups/nope/delete", "/clusters/nope/backup"} {
		c.get(path + "?region=us-east-1").wantStatus(http.StatusNotFound)
	}
	page := c.get("/backups?region=us-east-1").wantStatus(http.StatusOK)
	for _, path := range []string{"/backups/nope/restore", "/backups/nope/delete", "/clusters/nope/backup"} {
		res := c.post(path+"?region=us-east-1", url.Values{"_csrf": {page.csrfToken()}, "snapshot_name": {"x"}, "cluster_id": {"x"}, "port": {"6379"}}, nil)
		if res.Status == http.StatusSeeOther {
			res = c.failedForm(res)
		}
		res.wantStatus(http.StatusNotFound)
	}
}

// A viewer reads backups but is offered none of Backup, Restore and Delete; a member is.
func TestViewerReadsBackupsWithoutWriteControls(t *testing.T) {
	cs, admin, _, _ := backupConsole(t)
	admin.backUp("orders-redis", "nightly").wantStatus(http.StatusSeeOther)
	cs.clock.Advance(propagationDelay)
	viewer := cs.signedInAs(t, "vera", models.RoleViewer)
	member := cs.signedInAs(t, "mike", models.RoleMember)
	for _, path := range []string{"/backups?region=us-east-1", "/backups/nightly?region=us-east-1", "/clusters/orders-redis?region=us-east-1"} {
		v := viewer.get(path).wantStatus(http.StatusOK)
		if got := writeControls(v); len(got) > 0 {
			t.Errorf("viewer's %s has write controls: %q", path, got)
		}
		v.wantAbsent(testid("backup-button"))
		v.wantAbsent(testid("restore-button"))
	}
	v := viewer.get("/backups/nightly?region=us-east-1").wantStatus(http.StatusOK)
	v.wantText(testid("read-only-note"), "read-only access (viewer)")
	v.wantPresent(testid("cli-describe-this-backup"))
	viewer.get("/backups/nightly/restore?region=us-east-1").wantStatus(http.StatusForbidden)

	m := member.get("/backups/nightly?region=us-east-1").wantStatus(http.StatusOK)
	m.wantPresent(`a` + testid("restore-button"))
	m.wantPresent(testid("backup-delete-dialog"))
	member.get("/clusters/orders-redis?region=us-east-1").wantStatus(http.StatusOK).wantPresent(`a` + testid("backup-button"))
}

// The commands the backup pages show, pasted into a shell with the real AWS CLI against the
// console's own server, do what the pages do: back up, describe, restore into a subnet group, delete.
func TestBackupCLIHintsRunWithTheAWSCLI(t *testing.T) {
	cs, c, _, _ := backupConsole(t)
	srv := httptest.NewServer(cs.e)
	t.Cleanup(srv.Close)
	base := srv.URL
	keys := c.get(base + "/security-credentials?region=us-east-1").wantStatus(http.StatusOK)
	created := c.post(base+"/security-credentials?region=us-east-1", url.Values{"_csrf": {keys.csrfToken()}}, nil).wantStatus(http.StatusOK)
	setup := strings.TrimSpace(created.find(testid("new-key-setup")).Text())
	scope := scopeOf("us-east-1")

	form := c.get(base + "/clusters/orders-redis/backup?region=us-east-1").wantStatus(http.StatusOK)
	runPageCommand(t, setup, cliText(form, "Back up this cluster"))
	if sn, err := cs.store.GetSnapshot(context.Background(), scope, "orders-redis-backup-20220601"); err != nil || sn.Status != models.SnapshotCreating {
		t.Fatalf("after the backup command: %+v, %v", sn, err)
	}
	cs.clock.Advance(propagationDelay)

	detail := c.get(base + "/backups/orders-redis-backup-20220601?region=us-east-1").wantStatus(http.StatusOK)
	var described struct {
		Snapshots []struct{ SnapshotName, CacheClusterId, SnapshotStatus string }
	}
	if err := json.Unmarshal(runPageCommand(t, setup, cliText(detail, "Describe this backup")), &described); err != nil ||
		len(described.Snapshots) != 1 || described.Snapshots[0].CacheClusterId != "orders-redis" || described.Snapshots[0].SnapshotStatus != "available" {
		t.Fatalf("describe: %+v, %v", described, err)
	}

	// The restore form's command, with the two values the user has not chosen yet filled in.
	restore := c.get(base + "/backups/orders-redis-backup-20220601/restore?region=us-east-1").wantStatus(http.StatusOK)
	// (The form suggests the region's first subnet group, the demo's prod-private: the user picks app-private.)
	cmd := strings.NewReplacer("CLUSTER_ID", "cli-restored", "SUBNET_GROUP", "app-private",
		"--cache-subnet-group-name prod-private", "--cache-subnet-group-name app-private").Replace(cliText(restore, "Restore this backup"))
	runPageCommand(t, setup, cmd)
	got := cs.mustCluster(t, "us-east-1", "cli-restored")
	if got.Engine != "redis" || got.SubnetGroup != "app-private" || got.NodeType != "cache.t2.small" || got.Port() != 6379 {
		t.Fatalf("restored by the CLI: %+v", got)
	}

	confirm := c.get(base + "/backups/orders-redis-backup-20220601/delete?region=us-east-1").wantStatus(http.StatusOK)
	runPageCommand(t, setup, cliText(confirm, "Delete this backup"))
	if sn, err := cs.store.GetSnapshot(context.Background(), scope, "orders-redis-backup-20220601"); err != nil || sn.Status != models.SnapshotDeleting {
		t.Fatalf("after the delete command: %+v, %v", sn, err)
	}
}
