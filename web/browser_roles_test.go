package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sgconsole/models"
)

// The users TestBrowserRoles signs in, besides the bootstrap admin.
const (
	rolesViewer         = "vera"
	rolesMember         = "mallory"
	rolesMemberAccount  = "222233334444"
	rolesMemberPassword = "mallory-password-1"
	rolesViewerPassword = "vera-password-123"
)

// browserSignInAs signs a user in through the real login form, the way signIn does for the admin.
func browserSignInAs(t *testing.T, ctx context.Context, srv *httptest.Server, username, password string) {
	t.Helper()
	must(t, ctx, "sign in as "+username,
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible(css(`[data-testid="login-form"]`)),
		chromedp.SendKeys(css(`#username`), username),
		chromedp.SendKeys(css(`#password`), password),
		chromedp.Click(css(`[data-testid="login-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="side-nav"]`)),
	)
}

// rolesNavigate loads a console page and returns the HTTP status the browser received.
func rolesNavigate(t *testing.T, ctx context.Context, url string) int {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	res, err := chromedp.Run(stepCtx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("navigate to %s: %v", url, err)
	}
	if res == nil {
		t.Fatalf("navigate to %s: no response", url)
	}
	return int(res.Status)
}

// rolesEval runs a script expression in the page and decodes its result.
func rolesEval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// rolesPresent reports whether anything on the page matches the selector.
func rolesPresent(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	return rolesEval[bool](t, ctx, `!!document.querySelector(`+jsString(sel)+`)`)
}

// rolesWantAbsent reports every selector that matches something on the page.
func rolesWantAbsent(t *testing.T, ctx context.Context, where string, sels ...string) {
	t.Helper()
	for _, sel := range sels {
		if rolesPresent(t, ctx, sel) {
			t.Errorf("%s: %s is on the page, want it absent", where, sel)
		}
	}
}

// rolesVisibleControls lists the visible buttons and links whose text is one of labels: what a user
// would see as a control with that name, whatever its markup.
func rolesVisibleControls(t *testing.T, ctx context.Context, labels ...string) []string {
	t.Helper()
	want, _ := json.Marshal(labels)
	return rolesEval[[]string](t, ctx, `(() => {
		const want = `+string(want)+`;
		return Array.from(document.querySelectorAll('button, a, input[type=submit], input[type=button]'))
			.filter(el => el.offsetParent !== null || el.getClientRects().length > 0)
			.map(el => (el.value && el.tagName === 'INPUT' ? el.value : el.innerText).replace(/\s+/g, ' ').trim())
			.filter(label => want.includes(label));
	})()`)
}

func rolesWantNoControls(t *testing.T, ctx context.Context, where string, labels ...string) {
	t.Helper()
	if got := rolesVisibleControls(t, ctx, labels...); len(got) > 0 {
		t.Errorf("%s: visible controls %q, want none of %q", where, got, labels)
	}
}

// rolesGroupRows lists the group names in the Security Groups table, in order.
func rolesGroupRows(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return rolesEval[[]string](t, ctx, `Array.from(document.querySelectorAll('[data-testid="sg-table"] tbody tr[data-testid^="row-"]'))
		.map(tr => tr.getAttribute('data-testid').slice(4))`)
}

// TestBrowserRoles signs in a viewer, a member of another account and the admin, and checks what
// each of them sees and may do in the Security Groups pane.
func TestBrowserRoles(t *testing.T) {
	srv, store, _ := newConsoleStore(t, true)
	ctx := context.Background()
	if _, err := store.CreateUser(ctx, models.NewUser{Username: rolesViewer, Role: models.RoleViewer,
		AccountID: models.DefaultAccountID, Password: rolesViewerPassword}); err != nil {
		t.Fatalf("create viewer: %v", err)
	}
	created, err := store.CreateUser(ctx, models.NewUser{Username: rolesMember, Role: models.RoleMember,
		AccountID: rolesMemberAccount, Password: rolesMemberPassword})
	if err != nil {
		t.Fatalf("create member: %v", err)
	}
	if !created.AccountCreated {
		t.Fatalf("creating %s did not create account %s", rolesMember, rolesMemberAccount)
	}
	demoGroups := []string{"web-sessions", "app-cache", "reporting", "staging"}

	t.Run("viewer", func(t *testing.T) {
		b := newBrowser(t)
		browserSignInAs(t, b, srv, rolesViewer, rolesViewerPassword)
		wantContains(t, "top bar", text(t, b, `[data-testid="signed-in-user"]`),
			rolesViewer+" (viewer, "+models.DefaultAccountID+")")

		must(t, b, "open the Security Groups pane",
			chromedp.Navigate(srv.URL+"/security-groups?region=us-east-1"),
			chromedp.WaitVisible(css(`[data-testid="sg-table"]`)),
		)
		rows := rolesGroupRows(t, b)
		for _, g := range []string{"web-sessions", "app-cache"} {
			if !slices.Contains(rows, g) {
				t.Errorf("viewer's pane lists %q, want it to list the demo group %s", rows, g)
			}
		}
		rolesWantAbsent(t, b, "viewer's pane", `[data-testid="create-button"]`, `[data-testid="delete-button"]`,
			`a[href*="/security-groups/new"]`)
		rolesWantNoControls(t, b, "viewer's pane", "Create Security Group", "Create", "Delete")
		must(t, b, "the read-only note is shown", chromedp.WaitVisible(css(`[data-testid="read-only-note"]`)))
		wantContains(t, "read-only note", text(t, b, `[data-testid="read-only-note"]`), "read-only access (viewer)")

		must(t, b, "tick web-sessions' box",
			chromedp.Click(css(`[data-testid="select-web-sessions"]`)),
			chromedp.WaitVisible(css(`[data-testid="split-panel"]`)),
			chromedp.WaitVisible(css(`[data-testid="split-panel"] [data-testid="ec2-row-web-servers"]`)),
		)
		wantContains(t, "split panel", text(t, b, `[data-testid="split-panel"] h2`), "web-sessions")
		rolesWantAbsent(t, b, "viewer's split panel",
			`[data-testid="split-panel"] input[name="ec2_security_group_name"]`,
			`[data-testid="split-panel"] [data-testid="authorize-form"]`,
			`[data-testid="authorize-add"]`,
			`[data-testid^="remove-"]`,
			`[data-testid="delete-button"]`,
			`[data-testid="delete-dialog"]`,
		)
		if panel := text(t, b, `[data-testid="split-panel"]`); strings.Contains(panel, "EC2 Security Group Name") {
			t.Errorf("viewer's split panel offers the EC2 Security Group Name field: %q", panel)
		}
		rolesWantNoControls(t, b, "viewer's pane with a group ticked", "Add", "Remove", "Delete", "Create Security Group")
		wantContains(t, "read-only note with a group ticked", text(t, b, `[data-testid="read-only-note"]`), "read-only access (viewer)")
		screenshot(t, b, "viewer-pane")

		if status := rolesNavigate(t, b, srv.URL+"/clusters/sessions?region=us-east-1"); status != http.StatusOK {
			t.Errorf("viewer's cluster page: status %d, want 200", status)
		}
		must(t, b, "open the cluster sessions", chromedp.WaitVisible(css(`[data-testid="cluster-details"]`)))
		wantContains(t, "cluster page title", text(t, b, `[data-testid="page-title"]`), "sessions")
		rolesWantAbsent(t, b, "viewer's cluster page", `[data-testid="modify-button"]`, `[data-testid="delete-button"]`,
			`a[href*="/clusters/sessions/modify"]`, `a[href*="/clusters/sessions/delete"]`)
		rolesWantNoControls(t, b, "viewer's cluster page", "Modify", "Delete")

		status := rolesNavigate(t, b, srv.URL+"/security-groups/new?region=us-east-1")
		must(t, b, "the create page is refused", chromedp.WaitVisible(css(`[data-testid="error-page"]`)))
		if status != http.StatusForbidden {
			t.Errorf("viewer's /security-groups/new: status %d, want 403", status)
		}
		refusal := text(t, b, `[data-testid="error-page"]`)
		wantContains(t, "403 page", refusal, "Error 403")
		wantContains(t, "403 page says why", refusal, "Your role, viewer, can view this account but not change it")
		rolesWantAbsent(t, b, "viewer's /security-groups/new", `[data-testid="create-form"]`, `#sg-name`)
	})

	t.Run("member of another account", func(t *testing.T) {
		b := newBrowser(t)
		browserSignInAs(t, b, srv, rolesMember, rolesMemberPassword)
		wantContains(t, "top bar", text(t, b, `[data-testid="signed-in-user"]`),
			rolesMember+" (member, "+rolesMemberAccount+")")
		rolesWantAbsent(t, b, "member's top bar", `[data-testid="account-select"]`, `[data-testid="account-form"]`)

		must(t, b, "open the Security Groups pane",
			chromedp.Navigate(srv.URL+"/security-groups?region=us-east-1"),
			chromedp.WaitVisible(css(`[data-testid="sg-table"]`)),
		)
		if rows := rolesGroupRows(t, b); !slices.Equal(rows, []string{"default"}) {
			t.Errorf("member's pane lists %q, want only [default]", rows)
		}
		wantContains(t, "page title", text(t, b, `h1`), "Security Groups (1)")
		pageText := text(t, b, `main`)
		for _, g := range demoGroups {
			if strings.Contains(pageText, g) {
				t.Errorf("member's pane mentions the admin's group %s", g)
			}
		}
		rolesWantAbsent(t, b, "member's pane", `[data-testid="account-select"]`, `[data-testid="read-only-note"]`)

		status := rolesNavigate(t, b, srv.URL+"/security-groups/web-sessions?region=us-east-1")
		must(t, b, "another account's group is not found", chromedp.WaitVisible(css(`[data-testid="error-page"]`)))
		if status != http.StatusNotFound {
			t.Errorf("member's /security-groups/web-sessions: status %d, want 404", status)
		}
		wantContains(t, "404 page", text(t, b, `[data-testid="error-page"]`), "Error 404")
		wantContains(t, "404 page title", text(t, b, `[data-testid="error-page"] h1`), "Page not found")
		rolesWantAbsent(t, b, "member's /security-groups/web-sessions", `[data-testid="group-details"]`, `[data-testid="ec2-groups"]`)

		status = rolesNavigate(t, b, srv.URL+"/security-groups?account="+models.DefaultAccountID)
		must(t, b, "another account is not found", chromedp.WaitVisible(css(`[data-testid="error-page"]`)))
		if status != http.StatusNotFound {
			t.Errorf("member's ?account=%s: status %d, want 404", models.DefaultAccountID, status)
		}
		notFound := text(t, b, `[data-testid="error-page"]`)
		wantContains(t, "404 page", notFound, "Error 404")
		wantContains(t, "404 page names the account", notFound, "Account "+models.DefaultAccountID+" not found.")
		rolesWantAbsent(t, b, "member's ?account= page", `[data-testid="sg-table"]`)
		wantContains(t, "top bar on the 404 page", text(t, b, `[data-testid="signed-in-user"]`), "("+"member, "+rolesMemberAccount+")")

		must(t, b, "create a group through the Create form",
			chromedp.Navigate(srv.URL+"/security-groups?region=us-east-1"),
			chromedp.WaitVisible(css(`[data-testid="create-button"]`)),
			chromedp.Click(css(`[data-testid="create-button"]`)),
			chromedp.WaitVisible(css(`[data-testid="create-form"]`)),
			chromedp.SendKeys(css(`#sg-name`), "mallory-cache"),
			chromedp.SendKeys(css(`#sg-description`), "Cache of the member's own account"),
			chromedp.Click(css(`[data-testid="create-submit"]`)),
			chromedp.WaitVisible(css(`[data-testid="group-details"]`)),
		)
		wantContains(t, "flash", text(t, b, `[data-testid="flash"]`), "Successfully created security group mallory-cache.")
		wantContains(t, "owner of the new group", text(t, b, `[data-testid="group-details"]`), rolesMemberAccount)
		must(t, b, "the new group is in the member's list",
			chromedp.Click(css(`[data-testid="nav-security-groups"]`)),
			chromedp.WaitVisible(css(`[data-testid="row-mallory-cache"]`)),
		)
		if rows := rolesGroupRows(t, b); !slices.Equal(rows, []string{"default", "mallory-cache"}) {
			t.Errorf("member's pane after Create lists %q, want [default mallory-cache]", rows)
		}

		g, err := store.GetSecurityGroup(ctx, models.Scope{AccountID: rolesMemberAccount, Region: "us-east-1"}, "mallory-cache")
		if err != nil {
			t.Fatalf("the member's group is not in the member's account: %v", err)
		}
		if g.OwnerID != rolesMemberAccount {
			t.Errorf("owner of mallory-cache = %s, want %s", g.OwnerID, rolesMemberAccount)
		}
		_, err = store.GetSecurityGroup(ctx, models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}, "mallory-cache")
		if !models.HasCode(err, models.CodeCacheSecurityGroupNotFound) {
			t.Errorf("mallory-cache in the admin's account: err = %v, want %s", err, models.CodeCacheSecurityGroupNotFound)
		}
	})

	t.Run("admin", func(t *testing.T) {
		b := newBrowser(t)
		signIn(t, b, srv)
		must(t, b, "open the admin's own pane",
			chromedp.Navigate(srv.URL+"/security-groups?region=us-east-1"),
			chromedp.WaitVisible(css(`[data-testid="row-web-sessions"]`)),
		)
		wantContains(t, "top bar", text(t, b, `[data-testid="signed-in-user"]`), "admin (admin, "+models.DefaultAccountID+")")
		must(t, b, "the account selector is shown", chromedp.WaitVisible(css(`[data-testid="account-select"]`)))
		options := rolesEval[[]string](t, b, `Array.from(document.querySelectorAll('[data-testid="account-select"] option')).map(o => o.value)`)
		for _, a := range []string{models.DefaultAccountID, rolesMemberAccount} {
			if !slices.Contains(options, a) {
				t.Errorf("account selector offers %q, want %s among them", options, a)
			}
		}
		if v, _ := chromedp.Run(b, chromedp.Value(css(`[data-testid="account-select"]`))); v != models.DefaultAccountID {
			t.Errorf("account selector shows %q, want the admin's own %s", v, models.DefaultAccountID)
		}
		labels := rolesEval[[]string](t, b, `Array.from(document.querySelectorAll('[data-testid="account-select"] option')).map(o => o.textContent.trim())`)
		if !slices.Contains(labels, "Account "+rolesMemberAccount) {
			t.Errorf("account selector labels %q, want %q among them", labels, "Account "+rolesMemberAccount)
		}

		// SetValue fires input and change as a user's choice does; change submits the selector's form.
		must(t, b, "choose the member's account",
			chromedp.SetValue(css(`[data-testid="account-select"]`), rolesMemberAccount),
			chromedp.WaitVisible(css(`[data-testid="row-mallory-cache"]`)),
		)
		if rows := rolesGroupRows(t, b); !slices.Equal(rows, []string{"default", "mallory-cache"}) {
			t.Errorf("admin's pane in account %s lists %q, want [default mallory-cache]", rolesMemberAccount, rows)
		}
		loc, _ := chromedp.Run(b, chromedp.Location())
		wantContains(t, "URL after choosing the account", loc, "account="+rolesMemberAccount)
		if v, _ := chromedp.Run(b, chromedp.Value(css(`[data-testid="account-select"]`))); v != rolesMemberAccount {
			t.Errorf("account selector shows %q after choosing %s", v, rolesMemberAccount)
		}
		for _, sel := range []string{`[data-testid="nav-clusters"]`, `[data-testid="nav-security-groups"]`,
			`[data-testid="row-mallory-cache"] td a`} {
			href := rolesEval[string](t, b, `document.querySelector(`+jsString(sel)+`).getAttribute('href')`)
			wantContains(t, "href of "+sel, href, "account="+rolesMemberAccount)
		}
		must(t, b, "follow the Clusters link",
			chromedp.Click(css(`[data-testid="nav-clusters"]`)),
			chromedp.WaitVisible(css(`[data-testid="side-nav"] [aria-current="page"][data-testid="nav-clusters"]`)),
		)
		loc, _ = chromedp.Run(b, chromedp.Location())
		wantContains(t, "URL of the Clusters page", loc, "account="+rolesMemberAccount)
		if v, _ := chromedp.Run(b, chromedp.Value(css(`[data-testid="account-select"]`))); v != rolesMemberAccount {
			t.Errorf("account selector on the Clusters page shows %q, want %s", v, rolesMemberAccount)
		}
	})
}
