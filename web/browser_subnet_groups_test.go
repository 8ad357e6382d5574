package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"sgconsole/models"
)

// TestBrowserCreateSubnetGroup: from the navigation pane's Subnet groups (the demo's prod-private,
// which orders-redis runs in, is listed), a user creates a group of two subnets of a VPC, lands on
// its page with both subnets and their zones, then deletes it through the confirmation dialog and
// finds only the demo's group left.
func TestBrowserCreateSubnetGroup(t *testing.T) {
	srv, store, _ := newConsoleStore(t, true)
	scope := models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}
	vpc, err := store.CreateVPC(bg, scope, "prod", "10.0.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	a, err := store.CreateSubnet(bg, scope, vpc.VpcID, "us-east-1a", "10.0.1.0/24")
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.CreateSubnet(bg, scope, vpc.VpcID, "us-east-1b", "10.0.2.0/24")
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	signIn(t, ctx, srv)

	must(t, ctx, "open Subnet groups from the navigation pane",
		chromedp.Navigate(srv.URL+"/clusters"),
		chromedp.Click(css(`[data-testid="side-nav"] a[href^="/subnet-groups"]`)),
		chromedp.WaitVisible(css(`[data-testid="create-subnet-group-form"]`)),
	)
	wantContains(t, "the demo's group", text(t, ctx, `[data-testid="subnet-group-prod-private"] [data-testid="clusters"]`), "1")

	// A first try without subnets says so next to the field.
	must(t, ctx, "submit without subnets",
		chromedp.SendKeys(css(`#subnet-group-name`), "App-Private"),
		chromedp.SendKeys(css(`#subnet-group-description`), "Private subnets"),
		chromedp.Click(css(`[data-testid="create-subnet-group"]`)),
		chromedp.WaitVisible(css(`[data-testid="error-subnet_ids"]`)),
	)
	wantContains(t, "subnets error", text(t, ctx, `[data-testid="error-subnet_ids"]`), "subnet")

	must(t, ctx, "tick two subnets and create",
		chromedp.Click(css(`[data-testid="subnet-`+a.SubnetID+`"]`)),
		chromedp.Click(css(`[data-testid="subnet-`+b.SubnetID+`"]`)),
		chromedp.Click(css(`[data-testid="create-subnet-group"]`)),
		chromedp.WaitVisible(css(`[data-testid="subnets-table"]`)),
	)
	wantContains(t, "page title", text(t, ctx, `[data-testid="page-title"]`), "app-private")
	wantContains(t, "VPC", text(t, ctx, `[data-testid="subnet-group-details"] [data-testid="vpc-id"]`), vpc.VpcID)
	wantContains(t, "second subnet's zone", text(t, ctx, `[data-testid="subnet-row-`+b.SubnetID+`"]`), "us-east-1b")
	screenshot(t, ctx, "subnet-group-created")
	if g, err := store.GetSubnetGroup(bg, scope, "app-private"); err != nil || len(g.Subnets) != 2 {
		t.Fatalf("stored group %+v, %v", g, err)
	}

	must(t, ctx, "delete it through the dialog",
		chromedp.Click(css(`[data-testid="delete-button"]`)),
		chromedp.WaitVisible(css(`[data-testid="subnet-group-delete-dialog"]`)),
		chromedp.Click(css(`[data-testid="subnet-group-delete-dialog"] [data-testid="confirm-delete"]`)),
		chromedp.WaitVisible(css(`[data-testid="subnet-group-prod-private"]`)),
	)
	if present, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('[data-testid="subnet-group-app-private"]')`)); present {
		t.Fatal("app-private is still listed")
	}
	if _, err := store.GetSubnetGroup(bg, scope, "app-private"); !models.HasCode(err, models.CodeSubnetGroupNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

// TestBrowserVPCPagesAccessibility runs axe-core on the pages of subnet groups, VPCs and VPC
// security groups (the demo's default VPC, a group with its subnets, a failed create).
func TestBrowserVPCPagesAccessibility(t *testing.T) {
	src := axeSource(t)
	srv, store, _ := newConsoleStore(t, true)
	scope := models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}
	n, err := store.GetNetwork(bg, scope)
	if err != nil || len(n.Subnets) == 0 {
		t.Fatalf("demo network %+v, %v", n, err)
	}
	if _, err := store.CreateSubnetGroup(bg, scope, models.NewSubnetGroup{Name: "app-private", Description: "d", SubnetIDs: []string{n.Subnets[0].SubnetID}}); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	signIn(t, ctx, srv)
	for _, path := range []string{"/subnet-groups", "/subnet-groups/app-private", "/ec2/vpcs", "/ec2/vpc-security-groups"} {
		must(t, ctx, "open "+path, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(css(`h1`)))
		reportAxe(t, path, runAxe(t, ctx, src))
	}
	must(t, ctx, "a failed subnet group create",
		chromedp.Navigate(srv.URL+"/subnet-groups"),
		chromedp.Click(css(`[data-testid="create-subnet-group"]`)),
		chromedp.WaitVisible(css(`[data-testid="error-subnet_group_name"]`)),
	)
	reportAxe(t, "failed subnet group create", runAxe(t, ctx, src))
}
