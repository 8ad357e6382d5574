package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"sgconsole/models"
)

func formsScope(region string) models.Scope {
	return models.Scope{AccountID: models.DefaultAccountID, Region: region}
}

// formsEval returns the value of a JavaScript expression.
func formsEval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// navStatus is the HTTP status and kind (navigate, reload) of the page's own navigation.
const navStatus = `(() => { const n = performance.getEntriesByType('navigation')[0]; return n.type + ' ' + n.responseStatus; })()`

// TestBrowserFailedSubmitKeepsAReloadableURL: a bad name on the create form comes back with the
// address bar on the form's GET URL (never the POST URL), the error next to the field and focus in
// it; a reload is a plain GET (200, no re-post: the error is gone and nothing was sent again).
func TestBrowserFailedSubmitKeepsAReloadableURL(t *testing.T) {
	srv, store, _ := newConsoleStore(t, true)
	ctx := newBrowser(t)
	// A fresh database: the sign-in page says where the password is.
	must(t, ctx, "open the sign-in page", chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(css(`[data-testid="first-start-note"]`)))
	wantContains(t, "first-start note", text(t, ctx, `[data-testid="first-start-note"]`), "Run make reset-password")
	screenshot(t, ctx, "sign-in-first-start")
	signIn(t, ctx, srv)

	must(t, ctx, "submit the create form with a bad name",
		chromedp.Navigate(srv.URL+"/security-groups/new?region=us-west-2"),
		chromedp.WaitVisible(css(`[data-testid="create-form"]`)),
		chromedp.SendKeys(css(`#sg-name`), "bad name!"),
		chromedp.SendKeys(css(`#sg-description`), "Typed by hand"),
		chromedp.Click(css(`[data-testid="create-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="error-name"]`)),
	)
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if loc != srv.URL+"/security-groups/new?region=us-west-2#sg-name" {
		t.Fatalf("address bar after a failed submit: %q, want the form's GET URL, at the invalid field", loc)
	}
	if got := formsEval[string](t, ctx, navStatus); got != "navigate 422" {
		t.Errorf("the failed form's page: %q, want navigate 422", got)
	}
	wantContains(t, "error next to the name", text(t, ctx, `#sg-name ~ [data-testid="error-name"]`), "Enter a name of 1 to 255 letters, digits or hyphens")
	if got := formsEval[string](t, ctx, `document.activeElement.id`); got != "sg-name" {
		t.Errorf("focus is on %q, want the invalid name field", got)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(css(`#sg-description`))); v != "Typed by hand" {
		t.Errorf("description kept as %q", v)
	}
	screenshot(t, ctx, "forms-failed-submit")

	// A reload is a GET of the same URL: 200 and a clean form. Had it re-posted, the error would be back.
	must(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(css(`[data-testid="create-form"]`)))
	if got := formsEval[string](t, ctx, navStatus); got != "reload 200" {
		t.Errorf("reload: %q, want reload 200", got)
	}
	if n := formsEval[int](t, ctx, `document.querySelectorAll('[data-testid="error-name"]').length`); n != 0 {
		t.Error("the reload shows the error again: the form was posted again")
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(css(`#sg-name`))); v != "" {
		t.Errorf("the reloaded form keeps %q", v)
	}
	if _, err := store.GetSecurityGroup(context.Background(), formsScope("us-west-2"), "bad name!"); err == nil {
		t.Fatal("the bad group exists")
	}
}

// TestBrowserClusterFormTwoSteps: with JavaScript, step 2 switches the network in place (the other
// network's fields hide and are not sent, the address follows); without JavaScript, step 1 is a
// form of its own and step 2 shows only the chosen network's fields, with a link to change it.
func TestBrowserClusterFormTwoSteps(t *testing.T) {
	srv, store, clock := newConsoleStore(t, true)
	clock.Advance(models.DefaultPropagationDelay) // the demo clusters are available
	visible := func(ctx context.Context, sel string) bool {
		t.Helper()
		return formsEval[bool](t, ctx, `(() => { const e = document.querySelector('`+sel+`'); return !!e && e.getClientRects().length > 0; })()`)
	}

	t.Run("js", func(t *testing.T) {
		ctx := newBrowser(t)
		signIn(t, ctx, srv)
		must(t, ctx, "step 1: choose EC2-Classic",
			chromedp.Navigate(srv.URL+"/clusters/new?region=us-east-1"),
			chromedp.WaitVisible(css(`[data-testid="cluster-network-form"]`)),
			chromedp.Click(css(`[data-testid="network-next"]`)),
			chromedp.WaitVisible(css(`[data-testid="cluster-create-form"]`)),
		)
		screenshot(t, ctx, "cluster-create-classic")
		if !visible(ctx, `[data-testid="sg-staging"]`) || visible(ctx, `#cluster-subnet-group`) {
			t.Fatal("EC2-Classic step 2 should show cache security groups and no VPC fields")
		}
		must(t, ctx, "tick a cache group, then switch to VPC in place",
			chromedp.Click(css(`[data-testid="sg-staging"]`)),
			chromedp.Click(css(`[data-testid="network-vpc"]`)),
			chromedp.WaitVisible(css(`#cluster-subnet-group`)),
		)
		if visible(ctx, `[data-testid="sg-staging"]`) {
			t.Fatal("the cache security groups still show for VPC")
		}
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		wantContains(t, "address after switching", loc, "network=vpc")
		must(t, ctx, "create a VPC cluster (the ticked cache group is not sent)",
			chromedp.SendKeys(css(`#cluster-id`), "switched"),
			chromedp.SendKeys(css(`#cluster-subnet-group`), "prod-private"),
			chromedp.SendKeys(css(`#cluster-vpc-sgs`), vpcGroupNamed(t, store, formsScope("us-east-1"), "vpc-cache")),
			chromedp.Click(css(`[data-testid="create-submit"]`)),
			chromedp.WaitVisible(css(`[data-testid="vpc-cluster-note"]`)),
		)
		c, err := store.GetCluster(context.Background(), formsScope("us-east-1"), "switched")
		if err != nil || c.IsClassic() || len(c.CacheSecurityGroups) != 0 || c.SubnetGroup != "prod-private" {
			t.Fatalf("stored %+v %v", c, err)
		}

		// An error on a group of choices puts focus on its first choice, like a text field's.
		must(t, ctx, "modify with every group cleared",
			chromedp.Navigate(srv.URL+"/clusters/app-memcached/modify?region=us-east-1"),
			chromedp.WaitVisible(css(`[data-testid="cluster-modify-form"]`)),
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('input[name="cache_security_groups"]:checked').forEach((b) => { b.checked = false; })`),
			chromedp.Click(css(`[data-testid="modify-submit"]`)),
			chromedp.WaitVisible(css(`[data-testid="error-cache_security_groups"]`)),
		)
		if got := formsEval[string](t, ctx, `document.activeElement.name`); got != "cache_security_groups" {
			t.Errorf("focus after a refused modify is on %q, want the first cache security group", got)
		}
	})

	t.Run("nojs", func(t *testing.T) {
		ctx := newBrowser(t)
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("disable JavaScript: %v", err)
		}
		signIn(t, ctx, srv)
		must(t, ctx, "step 1: choose VPC",
			chromedp.Navigate(srv.URL+"/clusters/new?region=us-east-1"),
			chromedp.WaitVisible(css(`[data-testid="cluster-network-form"]`)),
		)
		screenshot(t, ctx, "cluster-create-network")
		must(t, ctx, "step 1: choose VPC",
			chromedp.Click(css(`[data-testid="network-vpc"]`)),
			chromedp.Click(css(`[data-testid="network-next"]`)),
			chromedp.WaitVisible(css(`[data-testid="cluster-create-form"]`)),
		)
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		wantContains(t, "step 2 address", loc, "network=vpc")
		if visible(ctx, `[data-testid="network-ec2-classic"]`) || visible(ctx, `[data-testid="cache-security-groups"]`) || !visible(ctx, `#cluster-subnet-group`) {
			t.Fatal("VPC step 2 without JavaScript should show only the VPC fields")
		}
		wantContains(t, "network summary", text(t, ctx, `[data-testid="network-summary"]`), "VPC")
		screenshot(t, ctx, "cluster-create-vpc-nojs")
		must(t, ctx, "change the network: back to step 1, then EC2-Classic",
			chromedp.Click(css(`[data-testid="change-network"]`)),
			chromedp.WaitVisible(css(`[data-testid="cluster-network-form"]`)),
			chromedp.Click(css(`[data-testid="network-ec2-classic"]`)),
			chromedp.Click(css(`[data-testid="network-next"]`)),
			chromedp.WaitVisible(css(`[data-testid="sg-staging"]`)),
		)
		if visible(ctx, `#cluster-subnet-group`) || visible(ctx, `#cluster-vpc-sgs`) {
			t.Fatal("EC2-Classic step 2 without JavaScript shows VPC fields")
		}
		must(t, ctx, "a bad ID comes back on step 2 with the error",
			chromedp.SendKeys(css(`#cluster-id`), "bad--id"),
			chromedp.Click(css(`[data-testid="sg-staging"]`)),
			chromedp.Click(css(`[data-testid="create-submit"]`)),
			chromedp.WaitVisible(css(`[data-testid="error-cluster_id"]`)),
		)
		loc, _ = chromedp.Run(ctx, chromedp.Location())
		if !strings.HasSuffix(loc, "/clusters/new?region=us-east-1&network=ec2-classic#cluster-id") { // step 2's own URL, not POST /clusters
			t.Errorf("address after a failed create: %q", loc)
		}
		if !formsEval[bool](t, ctx, `document.querySelector('[data-testid="sg-staging"]').checked`) {
			t.Error("the ticked group was not kept")
		}
		must(t, ctx, "fix the ID and create",
			chromedp.Clear(css(`#cluster-id`)),
			chromedp.SendKeys(css(`#cluster-id`), "classic-nojs"),
			chromedp.Click(css(`[data-testid="create-submit"]`)),
			chromedp.WaitVisible(css(`[data-testid="cluster-security-groups"]`)),
		)
		c, err := store.GetCluster(context.Background(), formsScope("us-east-1"), "classic-nojs")
		if err != nil || !c.IsClassic() || len(c.CacheSecurityGroups) != 1 || c.CacheSecurityGroups[0].Name != "staging" {
			t.Fatalf("stored %+v %v", c, err)
		}
	})
}

// TestBrowserFormsAccessibility runs axe-core, in light and dark mode, on the forms' own states:
// the first-start sign-in page, a refused sign-in, the cluster form's two steps for each network, a
// failed create with its errors and a cluster mix refused next to the network.
func TestBrowserFormsAccessibility(t *testing.T) {
	src := axeSource(t)
	srv, _, _ := newConsoleStore(t, true)
	ctx := newBrowser(t)
	for _, scheme := range []string{"light", "dark"} {
		emulateColorScheme(t, ctx, scheme)
		must(t, ctx, "the sign-in page",
			chromedp.Navigate(srv.URL+"/login"),
			chromedp.WaitVisible(css(`[data-testid="login-form"]`)),
		)
		if scheme == "light" && !formsEval[bool](t, ctx, `!!document.querySelector('[data-testid="first-start-note"]')`) {
			t.Fatal("no first-start note before the admin's first sign-in")
		}
		reportAxe(t, scheme+" sign-in", runAxe(t, ctx, src))
		must(t, ctx, "a refused sign-in",
			chromedp.Click(css(`[data-testid="login-submit"]`)),
			chromedp.WaitVisible(css(`[data-testid="error-username"]`)),
		)
		reportAxe(t, scheme+" refused sign-in", runAxe(t, ctx, src))
		signIn(t, ctx, srv)
		for _, path := range []string{"/clusters/new?region=us-east-1", "/clusters/new?region=us-east-1&network=ec2-classic", "/clusters/new?region=us-east-1&network=vpc"} {
			must(t, ctx, "open "+path, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(css(`h1`)))
			reportAxe(t, scheme+" "+path, runAxe(t, ctx, src))
		}
		must(t, ctx, "a create with two errors",
			chromedp.Navigate(srv.URL+"/clusters/new?region=us-east-1&network=vpc"),
			chromedp.WaitVisible(css(`[data-testid="cluster-create-form"]`)),
			chromedp.SendKeys(css(`#cluster-id`), "bad--id"),
			chromedp.Click(css(`[data-testid="create-submit"]`)),
			chromedp.WaitVisible(css(`[data-testid="error-cluster_id"]`)),
			chromedp.WaitVisible(css(`[data-testid="error-subnet_group"]`)),
		)
		reportAxe(t, scheme+" failed cluster create", runAxe(t, ctx, src))
		must(t, ctx, "a cluster mix posted by hand",
			chromedp.Evaluate[chromedp.Void](`(() => { const f = document.querySelector('[data-testid="cluster-create-form"]');
				const i = document.createElement('input'); i.type = 'hidden'; i.name = 'cache_security_groups'; i.value = 'default'; f.appendChild(i);
				document.querySelector('#cluster-id').value = 'mix'; document.querySelector('#cluster-subnet-group').value = 'prod'; f.submit(); })()`),
			chromedp.WaitVisible(css(`[data-testid="error-network"]`)),
		)
		reportAxe(t, scheme+" cluster mix", runAxe(t, ctx, src))
		must(t, ctx, "sign out", chromedp.Click(css(`form.top-nav__signout button, [data-testid="sign-out"]`)), chromedp.WaitVisible(css(`[data-testid="login-form"]`)))
	}
}
