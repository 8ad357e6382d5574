package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sgconsole/models"
)

// stepState waits until a walkthrough step shows the state (the page's poll updates it).
func stepState(t *testing.T, ctx context.Context, key, state string) {
	t.Helper()
	sel := `[data-testid="step-` + key + `"] [data-testid="step-state"]`
	deadline := time.Now().Add(15 * time.Second)
	for {
		// The page's poll may swap the step while it is read: read again.
		got, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		if err == nil && strings.TrimSpace(got) == state {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("step %s is %q (%v), want %q", key, strings.TrimSpace(got), err, state)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestBrowserMigrateMemcachedToVPC: from the demo's EC2-Classic Memcached cluster's page, a user
// follows Migrate to VPC and creates each step's resource with the walkthrough's forms (a subnet
// group, a VPC security group with its inbound rule, after a refused source next to its field; the
// new cluster, which turns available on the page by itself), checks from the demo's VPC instance
// that it can connect, and deletes the Classic cluster through the typed confirmation, back on
// the walkthrough that says the migration is complete.
func TestBrowserMigrateMemcachedToVPC(t *testing.T) {
	srv, store, clock := newConsoleStore(t, true)
	scope := models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}
	clock.Advance(time.Hour) // the demo's clusters are available
	n, err := store.GetNetwork(bg, scope)
	if err != nil || len(n.Subnets) == 0 {
		t.Fatalf("demo network %+v, %v", n, err)
	}
	ctx := newBrowser(t)
	signIn(t, ctx, srv)

	must(t, ctx, "the cluster's page offers Migrate to VPC, and the banner links to it",
		chromedp.Navigate(srv.URL+"/clusters/sessions"),
		chromedp.WaitVisible(css(`[data-testid="migrate-button"]`)),
	)
	banner := bannerLink(t, ctx)
	wantContains(t, "banner link on a Classic cluster's page", banner, "/clusters/sessions/migrate")
	must(t, ctx, "open the walkthrough",
		chromedp.Click(css(`[data-testid="migrate-button"]`)),
		chromedp.WaitVisible(css(`[data-testid="create-subnet-group-form"]`)),
	)
	wantContains(t, "title", text(t, ctx, `[data-testid="page-title"]`), "Migrate sessions to a VPC")
	stepState(t, ctx, "subnet-group", "to do")
	stepState(t, ctx, "security-group", "waiting")
	stepState(t, ctx, "create", "waiting")
	screenshot(t, ctx, "migration-start")

	must(t, ctx, "step 1: create the subnet group",
		chromedp.Click(css(`[data-testid="subnet-`+n.Subnets[0].SubnetID+`"]`)),
		chromedp.Click(css(`[data-testid="create-subnet-group"]`)),
		chromedp.WaitVisible(css(`[data-testid="create-vpc-sg-form"]`)),
	)
	stepState(t, ctx, "subnet-group", "done")
	screenshot(t, ctx, "migration-walkthrough")
	wantContains(t, "chosen subnet group", text(t, ctx, `[data-testid="chosen-subnet-group"]`), "sessions-subnets")
	wantContains(t, "subnet group CLI", cliText(t, ctx, "subnet-group"),
		"aws elasticache create-cache-subnet-group")

	must(t, ctx, "step 2: a source that is neither a group nor a block is refused next to it",
		chromedp.SetValue(css(`#security-group-source`), "everyone"),
		chromedp.Click(css(`[data-testid="create-vpc-sg"]`)),
		chromedp.WaitVisible(css(`[data-testid="create-vpc-sg-form"] [data-testid="error-source"]`)),
	)
	if _, err := store.GetNetwork(bg, scope); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, "step 2: create the VPC security group with the rule from the VPC instance's group",
		chromedp.SetValue(css(`#security-group-source`), vpcDefaultGroup(t, store, scope)),
		chromedp.Click(css(`[data-testid="create-vpc-sg"]`)),
		chromedp.WaitVisible(css(`[data-testid="target-form"]`)),
	)
	stepState(t, ctx, "security-group", "done")
	wantContains(t, "EC2 CLI", cliText(t, ctx, "security-group"), "aws ec2 authorize-security-group-ingress")

	must(t, ctx, "step 3: create the new cluster",
		chromedp.Click(css(`[data-testid="create-target"]`)),
		chromedp.WaitVisible(css(`[data-testid="chosen-target"]`)),
	)
	stepState(t, ctx, "create", "in progress")
	wantContains(t, "create CLI", cliText(t, ctx, "create"), "--cache-subnet-group-name sessions-subnets")
	clock.Advance(time.Minute)
	stepState(t, ctx, "create", "done") // by the page's poll, without a reload
	must(t, ctx, "reload after the poll", chromedp.Reload(), chromedp.WaitVisible(css(`[data-testid="choose-instance"]`)))

	must(t, ctx, "step 4: check from the demo's VPC instance",
		chromedp.SetValue(css(`#choose-instance-select`), models.DemoVPCInstance),
		chromedp.Click(css(`[data-testid="choose-instance-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="migration-verdict"]`)),
	)
	wantContains(t, "verdict", text(t, ctx, `[data-testid="migration-verdict"]`), "can connect to cluster sessions-vpc")
	stepState(t, ctx, "verify", "done")
	finishMigration(t, ctx, store, clock, scope, "sessions")
	wantContains(t, "what is left", text(t, ctx, `[data-testid="leftover-web-sessions"]`), "you can delete it now")
}

// finishMigration deletes the Classic cluster from the clean-up step through the typed
// confirmation and sees the walkthrough say the migration is complete.
func finishMigration(t *testing.T, ctx context.Context, store *models.Store, clock *testClock, scope models.Scope, id string) {
	t.Helper()
	stepState(t, ctx, "clean-up", "to do")
	must(t, ctx, "step: delete the Classic cluster through the typed confirmation",
		chromedp.Click(css(`[data-testid="delete-classic"]`)),
		chromedp.WaitVisible(css(`[data-testid="confirm-input"]`)),
		chromedp.SendKeys(css(`[data-testid="confirm-input"]`), "confirm"),
		chromedp.Click(css(`[data-testid="confirm-delete"]`)),
		chromedp.WaitVisible(css(`[data-testid="migration-steps"]`)),
	)
	stepState(t, ctx, "clean-up", "in progress")
	clock.Advance(time.Minute)
	stepState(t, ctx, "clean-up", "done")
	must(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(css(`[data-testid="alert-success"]`)))
	wantContains(t, "complete", text(t, ctx, `[data-testid="step-clean-up"]`), "Migration complete")
	stepState(t, ctx, "verify", "done")
	if _, err := store.GetCluster(bg, scope, id); !models.HasCode(err, models.CodeCacheClusterNotFound) {
		t.Fatalf("the Classic cluster is still there: %v", err)
	}
	screenshot(t, ctx, "migration-complete-"+id)
}

// cliText is a step's AWS CLI equivalent (in its closed details element).
func cliText(t *testing.T, ctx context.Context, step string) string {
	t.Helper()
	var err error
	for try := 0; try < 5; try++ { // the page's poll may swap the step while it is read
		var s string
		if s, err = chromedp.Run(ctx, chromedp.TextContent(css(`[data-testid="step-`+step+`"] [data-testid="cli-command"]`))); err == nil {
			return s
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("CLI of step %s: %v", step, err)
	return ""
}

func bannerLink(t *testing.T, ctx context.Context) string {
	t.Helper()
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-testid="banner-migrate"]').getAttribute('href')`))
	if err != nil {
		t.Fatalf("banner link: %v", err)
	}
	return href
}

func vpcDefaultGroup(t *testing.T, store *models.Store, scope models.Scope) string {
	t.Helper()
	n, err := store.GetNetwork(bg, scope)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range n.Groups {
		if g.Name == models.DefaultVPCSecurityGroupName && g.VpcID == n.VPCs[0].VpcID {
			return g.GroupID
		}
	}
	t.Fatal("no default VPC security group")
	return ""
}

// TestBrowserMigrateRedisToVPC: a Redis cluster's walkthrough with existing resources chosen
// (the subnet group and the demo's vpc-cache group, which admits the default group on 6379), a
// backup that turns available, its restore, a new VPC instance that can't connect until it is
// placed in the VPC through the verify step's form, and the Classic cluster deleted.
func TestBrowserMigrateRedisToVPC(t *testing.T) {
	srv, store, clock := newConsoleStore(t, true)
	scope := models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1", Actor: "admin"}
	n, err := store.GetNetwork(bg, scope)
	if err != nil || len(n.Subnets) < 2 {
		t.Fatalf("demo network %+v, %v", n, err)
	}
	if _, err := store.CreateSubnetGroup(bg, scope, models.NewSubnetGroup{Name: "app-private", Description: "d", SubnetIDs: []string{n.Subnets[1].SubnetID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateCluster(bg, scope, models.NewCluster{ID: "carts", Engine: "redis", NodeType: "cache.m1.small", NumNodes: 1, Network: models.PlatformClassic}); err != nil {
		t.Fatal(err)
	}
	const fresh = "i-0d0000000000000d1"
	if _, err := store.CreateEC2SecurityGroup(bg, scope, "vpc-app", "app", models.PlatformVPC); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateEC2Instance(bg, scope, models.NewEC2Instance{InstanceID: fresh, Name: "cart-app", Platform: models.PlatformVPC, SecurityGroups: []string{"vpc-app"}}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	vpcCache := ""
	for _, g := range n.Groups {
		if g.Name == "vpc-cache" {
			vpcCache = g.GroupID
		}
	}
	ctx := newBrowser(t)
	signIn(t, ctx, srv)

	must(t, ctx, "open Security Groups", chromedp.Navigate(srv.URL+"/security-groups"), chromedp.WaitVisible(css(`[data-testid="banner-migrate"]`)))
	banner := bannerLink(t, ctx)
	must(t, ctx, "elsewhere the banner goes to the region's EC2-Classic clusters",
		chromedp.Click(css(`[data-testid="banner-migrate"]`)),
		chromedp.WaitVisible(css(`[data-testid="classic-clusters"]`)),
	)
	wantContains(t, "banner link elsewhere", banner, "/migrate-to-vpc")
	if got := text(t, ctx, `[data-testid="classic-clusters"]`); strings.Contains(got, "orders-redis") {
		t.Fatalf("the chooser lists a VPC cluster: %q", got)
	}
	must(t, ctx, "choose carts",
		chromedp.Click(css(`[data-testid="migrate-carts"]`)),
		chromedp.WaitVisible(css(`[data-testid="choose-subnet-group"]`)),
	)
	must(t, ctx, "step 1: choose the existing subnet group",
		chromedp.SetValue(css(`#choose-subnet-group-select`), "app-private"),
		chromedp.Click(css(`[data-testid="choose-subnet-group-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="choose-vpc-sg"]`)),
	)
	stepState(t, ctx, "subnet-group", "done")
	must(t, ctx, "step 2: choose vpc-cache, which allows 6379 already",
		chromedp.SetValue(css(`#choose-vpc-sg-select`), vpcCache),
		chromedp.Click(css(`[data-testid="choose-vpc-sg-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="backup-form"]`)),
	)
	stepState(t, ctx, "security-group", "done")
	stepState(t, ctx, "restore", "waiting")

	must(t, ctx, "step 3: back up",
		chromedp.Click(css(`[data-testid="create-backup"]`)),
		chromedp.WaitVisible(css(`[data-testid="chosen-snapshot"]`)),
	)
	stepState(t, ctx, "backup", "in progress")
	wantContains(t, "backup CLI", cliText(t, ctx, "backup"), "aws elasticache create-snapshot")
	clock.Advance(time.Minute)
	stepState(t, ctx, "backup", "done")
	must(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(css(`[data-testid="target-form"]`)))
	wantContains(t, "restore CLI", cliText(t, ctx, "restore"), "--snapshot-name carts-migration")

	must(t, ctx, "step 4: restore the backup into the VPC",
		chromedp.Click(css(`[data-testid="create-target"]`)),
		chromedp.WaitVisible(css(`[data-testid="chosen-target"]`)),
	)
	clock.Advance(time.Minute)
	stepState(t, ctx, "restore", "done")
	must(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(css(`[data-testid="choose-instance"]`)))
	restored, err := store.GetCluster(bg, scope, "carts-vpc")
	if err != nil || restored.Engine != "redis" || restored.SubnetGroup != "app-private" {
		t.Fatalf("restored cluster %+v, %v", restored, err)
	}

	must(t, ctx, "step 5: the new instance is in no subnet yet",
		chromedp.SetValue(css(`#choose-instance-select`), fresh),
		chromedp.Click(css(`[data-testid="choose-instance-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="place-form"]`)),
	)
	wantContains(t, "verdict before placing", text(t, ctx, `[data-testid="migration-verdict"]`), "cannot connect")
	must(t, ctx, "place it with the group vpc-cache admits",
		chromedp.Click(css(`[data-testid="place-instance"]`)),
		chromedp.WaitNotPresent(css(`[data-testid="place-form"]`)),
	)
	wantContains(t, "verdict", text(t, ctx, `[data-testid="migration-verdict"]`), "can connect to cluster carts-vpc")
	finishMigration(t, ctx, store, clock, scope, "carts")
}

// TestBrowserMigrationAccessibility runs axe-core on the walkthrough (its start, a refused step with
// its inline error, a step in progress) and on the list of EC2-Classic clusters to migrate.
func TestBrowserMigrationAccessibility(t *testing.T) {
	src := axeSource(t)
	srv, _, clock := newConsoleStore(t, true)
	clock.Advance(time.Hour)
	ctx := newBrowser(t)
	signIn(t, ctx, srv)
	for _, path := range []string{"/migrate-to-vpc", "/clusters/sessions/migrate"} {
		must(t, ctx, "open "+path, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(css(`h1`)))
		reportAxe(t, path, runAxe(t, ctx, src))
	}
	must(t, ctx, "a refused subnet group create",
		chromedp.Click(css(`[data-testid="create-subnet-group"]`)),
		chromedp.WaitVisible(css(`[data-testid="error-subnet_ids"]`)),
	)
	reportAxe(t, "refused subnet group create", runAxe(t, ctx, src))
}
