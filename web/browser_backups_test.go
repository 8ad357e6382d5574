package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"sgconsole/models"
)

// TestBrowserBackupAndRestore: a user backs up the demo's Redis cluster from its page, watches the
// backup become available without reloading, restores it into a subnet group with a VPC security
// group of that VPC, and lands on the new cluster's page. axe-core checks the new pages on the way.
func TestBrowserBackupAndRestore(t *testing.T) {
	src := axeSource(t)
	srv, store, clock := newConsoleStore(t, true)
	scope := models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}
	n, err := store.GetNetwork(bg, scope)
	if err != nil || len(n.VPCs) == 0 {
		t.Fatalf("demo network %+v, %v", n, err)
	}
	vpc := n.VPCs[0]
	if _, err := store.CreateSubnetGroup(bg, scope, models.NewSubnetGroup{Name: "app-private", Description: "d", SubnetIDs: []string{n.SubnetsOf(vpc.VpcID)[0].SubnetID}}); err != nil {
		t.Fatal(err)
	}
	cacheGroup := ""
	for _, g := range n.GroupsOf(vpc.VpcID) {
		if g.Name == "vpc-cache" {
			cacheGroup = g.GroupID
		}
	}
	if cacheGroup == "" {
		t.Fatalf("the demo's default VPC has no vpc-cache group: %+v", n.Groups)
	}
	other, err := store.CreateVPC(bg, scope, "other", "10.9.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	elsewhere, err := store.CreateVPCSecurityGroup(bg, scope, other.VpcID, "elsewhere", "another VPC's group")
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(models.DefaultPropagationDelay) // the demo's clusters are available
	ctx := newBrowser(t)
	signIn(t, ctx, srv)

	must(t, ctx, "open the Redis cluster's Backup form",
		chromedp.Navigate(srv.URL+"/clusters/orders-redis"),
		chromedp.Click(css(`[data-testid="backup-button"]`)),
		chromedp.WaitVisible(css(`[data-testid="backup-create-form"]`)),
	)
	reportAxe(t, "backup form", runAxe(t, ctx, src))
	must(t, ctx, "name the backup and create it",
		chromedp.Clear(css(`#backup-name`)),
		chromedp.SendKeys(css(`#backup-name`), "before-upgrade"),
		chromedp.Click(css(`[data-testid="backup-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="backup-details"]`)),
	)
	wantContains(t, "page title", text(t, ctx, `[data-testid="page-title"]`), "before-upgrade")
	wantContains(t, "flash", text(t, ctx, `[data-testid="flash"]`), "Creating backup before-upgrade of cluster orders-redis.")
	wantContains(t, "status", text(t, ctx, `[data-live-id="backup-header-status"]`), "creating")

	clock.Advance(models.DefaultPropagationDelay)
	must(t, ctx, "the page notices the backup is available",
		chromedp.WaitVisible(css(`[data-live-id="backup-header-status"] .status--success`)),
		chromedp.WaitVisible(css(`a[data-testid="restore-button"]`)),
	)
	wantContains(t, "flash once done", text(t, ctx, `[data-testid="flash"]`), "Backup before-upgrade is available.")
	reportAxe(t, "backup page", runAxe(t, ctx, src))
	screenshot(t, ctx, "backup-available")

	must(t, ctx, "the Backups list shows it",
		chromedp.Click(css(`[data-testid="nav-backups"]`)),
		chromedp.WaitVisible(css(`[data-testid="backup-row-before-upgrade"]`)),
	)
	wantContains(t, "list row", text(t, ctx, `[data-testid="backup-row-before-upgrade"]`), "orders-redis")
	reportAxe(t, "backups list", runAxe(t, ctx, src))

	must(t, ctx, "open Restore without choosing a subnet group",
		chromedp.Click(css(`[data-testid="backup-row-before-upgrade"] a`)),
		chromedp.WaitVisible(css(`a[data-testid="restore-button"]`)),
		chromedp.Click(css(`[data-testid="restore-button"]`)),
		chromedp.WaitVisible(css(`[data-testid="restore-form"]`)),
		// The form suggests the backup's subnet group (orders-redis runs in the demo's prod-private): unchoose it.
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#restore-subnet-group'); s.value = '';
			s.dispatchEvent(new Event('change', { bubbles: true })); })()`),
		chromedp.WaitVisible(css(`[data-testid="vpc-sg-`+elsewhere.GroupID+`"]`)), // every VPC's until a subnet group is chosen
		chromedp.SendKeys(css(`#restore-cluster-id`), "orders-restored"),
		chromedp.Click(css(`[data-testid="restore-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="error-subnet_group"]`)),
	)
	reportAxe(t, "failed restore", runAxe(t, ctx, src))
	screenshot(t, ctx, "backup-restore-refused")
	// Choosing the subnet group leaves only its VPC's security groups to choose from.
	must(t, ctx, "choose the subnet group",
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#restore-subnet-group'); s.value = 'app-private';
			s.dispatchEvent(new Event('change', { bubbles: true })); })()`),
		chromedp.WaitNotVisible(css(`[data-testid="vpc-sg-`+elsewhere.GroupID+`"]`)),
	)
	must(t, ctx, "choose the VPC's security group and restore",
		chromedp.Click(css(`[data-testid="vpc-sg-`+cacheGroup+`"]`)),
		chromedp.Click(css(`[data-testid="restore-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="vpc-cluster-note"]`)),
	)
	wantContains(t, "new cluster's page", text(t, ctx, `[data-testid="page-title"]`), "orders-restored")
	wantContains(t, "flash", text(t, ctx, `[data-testid="flash"]`), "Restoring backup before-upgrade into cache cluster orders-restored.")
	wantContains(t, "subnet group", text(t, ctx, `[data-testid="detail-subnet-group"]`), "app-private")
	wantContains(t, "VPC security group", text(t, ctx, `[data-testid="detail-vpc-security-groups"]`), cacheGroup)
	screenshot(t, ctx, "backup-restored")
	c, err := store.GetCluster(bg, scope, "orders-restored")
	if err != nil || c.Engine != "redis" || c.SubnetGroup != "app-private" {
		t.Fatalf("restored cluster %+v, %v", c, err)
	}
}
