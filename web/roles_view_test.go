package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"sgconsole/models"
)

// signedInAs creates a user in the default account with the given role and returns a browser
// that signed in as them through the login form.
func (cs *console) signedInAs(t *testing.T, username string, role models.Role) *client {
	t.Helper()
	const password = "role-view-password-1"
	_, err := cs.store.CreateUser(context.Background(), models.NewUser{Username: username, Role: role,
		AccountID: models.DefaultAccountID, Password: password})
	if err != nil {
		t.Fatalf("create %s %s: %v", role, username, err)
	}
	c := cs.newClient(t)
	page := c.get("/login").wantStatus(http.StatusOK)
	c.submit(page, testid("login-form"), map[string]string{"username": username, "password": password}).
		wantStatus(http.StatusSeeOther)
	return c
}

// readOnlyPages are the pages a viewer reads, with a write control a member sees on each.
var readOnlyPages = []struct {
	path   string
	member string // a selector that matches a write control on the member's page
}{
	{"/security-groups?region=us-east-1", testid("create-button")},
	{"/security-groups?region=us-east-1&selected=web-sessions", testid("authorize-form")},
	{"/security-groups/web-sessions?region=us-east-1", testid("authorize-form")},
	{"/clusters?region=us-east-1", testid("create-button")},
	{"/clusters/sessions?region=us-east-1", testid("modify-button")},
	{"/ec2/security-groups?region=us-east-1", testid("create-ec2-group-form")},
	{"/ec2/instances?region=us-east-1", testid("create-instance-form")},
	{"/settings?region=us-east-1", `form[action^="/settings/platform"]`},
}

// writeTestIDs are the data-testids of write controls; none may be on a viewer's page.
var writeTestIDs = []string{
	"create-button", "delete-button", "modify-button", "pane-modify-button", "authorize-form", "authorize-add",
	"delete-dialog", "cluster-delete-form", "confirm-delete", "create-form", "cluster-create-form",
	"create-ec2-group-form", "create-ec2-group", "create-instance-form", "create-instance",
}

// writeControls lists what on a page changes the account: POST forms other than signing out and
// dismissing the banner, links to create, delete and modify pages, the controls above by test id,
// remove, delete and terminate buttons, and the AWS CLI equivalents of writes.
func writeControls(r *response) []string {
	var found []string
	r.find("form").Each(func(_ int, f *goquery.Selection) {
		method, _ := f.Attr("method")
		action, _ := f.Attr("action")
		u, _ := url.Parse(action)
		if strings.EqualFold(method, "post") && u != nil && u.Path != "/logout" && u.Path != "/banner/dismiss" {
			found = append(found, "POST form "+action)
		}
	})
	r.find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u, err := url.Parse(href)
		if err != nil {
			return
		}
		if strings.HasSuffix(u.Path, "/new") || strings.HasSuffix(u.Path, "/delete") || strings.HasSuffix(u.Path, "/modify") {
			found = append(found, "link "+href)
		}
	})
	for _, id := range writeTestIDs {
		if r.find(testid(id)).Length() > 0 {
			found = append(found, "testid "+id)
		}
	}
	r.find(`[data-testid^="remove-"], [data-testid^="delete-"], [data-testid^="terminate-"], [data-testid^="save-platform-"]`).
		Each(func(_ int, s *goquery.Selection) {
			id, _ := s.Attr("data-testid")
			found = append(found, "testid "+id)
		})
	r.find("details.cli-hint").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-testid")
		if !strings.HasPrefix(id, "cli-list-") && !strings.HasPrefix(id, "cli-describe-") {
			found = append(found, "CLI "+id)
		}
	})
	return found
}

func TestViewerSeesNoWriteControlsAndMemberDoes(t *testing.T) {
	cs := newConsole(t, true)
	viewer := cs.signedInAs(t, "vera", models.RoleViewer)
	member := cs.signedInAs(t, "mike", models.RoleMember)

	check := func(t *testing.T) {
		for _, pg := range readOnlyPages {
			t.Run(pg.path, func(t *testing.T) {
				v := viewer.in(t).get(pg.path).wantStatus(http.StatusOK)
				if got := writeControls(v); len(got) > 0 {
					t.Errorf("viewer's %s has write controls: %q", pg.path, got)
				}
				if n := v.find(testid("read-only-note")).Length(); n != 1 {
					t.Errorf("viewer's %s shows the read-only note %d times, want once", pg.path, n)
				}
				v.wantText(testid("read-only-note"), "read-only access (viewer)")
				if v.find(`details.cli-hint[data-testid^="cli-list-"], details.cli-hint[data-testid^="cli-describe-"]`).Length() == 0 &&
					!strings.HasPrefix(pg.path, "/ec2/") && !strings.HasPrefix(pg.path, "/settings") {
					t.Errorf("viewer's %s lost its describe CLI equivalent", pg.path)
				}

				m := member.in(t).get(pg.path).wantStatus(http.StatusOK)
				m.wantAbsent(testid("read-only-note"))
				m.wantPresent(pg.member)
				if len(writeControls(m)) == 0 {
					t.Errorf("member's %s has no write control", pg.path)
				}
			})
		}
	}
	// While the demo settles, busy clusters and pending authorizations show disabled controls.
	t.Run("settling", check)
	cs.clock.Advance(propagationDelay)
	// Once settled, the cluster's Modify and Delete are links and the group's entries removable.
	t.Run("settled", check)

	// What the viewer reads stays.
	v := viewer.get("/security-groups/web-sessions?region=us-east-1").wantStatus(http.StatusOK)
	v.wantPresent(testid("ec2-row-web-servers"))
	v.wantPresent(testid("group-details"))
	v.wantPresent(testid("cli-describe-this-security-group"))
	v = viewer.get("/settings?region=us-east-1").wantStatus(http.StatusOK)
	v.wantText(testid("platform-us-east-1")+" "+testid("platform-label"), models.PlatformClassic.Label())
	v = viewer.get("/clusters/sessions?region=us-east-1").wantStatus(http.StatusOK)
	v.wantPresent(testid("cluster-sg-web-sessions"))
	v.wantPresent(testid("cli-describe-this-cluster"))

	// Pages with nothing to write show no note, for either role, and the viewer no write control.
	for _, path := range []string{"/events?region=us-east-1", "/connectivity?region=us-east-1"} {
		for _, c := range []*client{viewer, member} {
			r := c.get(path).wantStatus(http.StatusOK)
			r.wantAbsent(testid("read-only-note"))
			if c == viewer {
				if got := writeControls(r); len(got) > 0 {
					t.Errorf("viewer's %s has write controls: %q", path, got)
				}
			}
		}
	}
}

func TestViewerSeesNoCreateLinkInEmptyStates(t *testing.T) {
	cs := newConsole(t, false)
	viewer := cs.signedInAs(t, "vera", models.RoleViewer)
	for _, path := range []string{"/clusters?region=us-east-1", "/connectivity?region=us-east-1",
		"/ec2/security-groups?region=us-east-1", "/ec2/instances?region=us-east-1"} {
		r := viewer.get(path).wantStatus(http.StatusOK)
		if got := writeControls(r); len(got) > 0 {
			t.Errorf("viewer's %s has write controls: %q", path, got)
		}
	}
	r := viewer.get("/clusters?region=us-east-1")
	r.wantPresent(testid("empty-state"))
	r.wantPresent(testid("read-only-note"))
}

func TestRoleAdminActingInAnotherAccountSeesThatAccount(t *testing.T) {
	cs := newConsole(t, true)
	const other = "210987654321"
	if _, err := cs.store.CreateUser(context.Background(), models.NewUser{Username: "olga", Role: models.RoleMember,
		AccountID: other, Password: "olga-password-1"}); err != nil {
		t.Fatal(err)
	}
	admin := cs.signedIn(t)

	r := admin.get("/security-groups/default?region=us-east-1&account=" + other).wantStatus(http.StatusOK)
	r.wantText(testid("group-details"), other)
	if strings.Contains(r.text(testid("group-details")), models.DefaultAccountID) {
		t.Errorf("the group's details show the admin's own account: %s", r.text(testid("group-details")))
	}
	r.wantAbsent(testid("read-only-note"))
	r.wantPresent(testid("authorize-form"))
	r.wantText(testid("cli-account-note"), "your own account "+models.DefaultAccountID)

	r = admin.get("/settings?region=us-east-1&account=" + other).wantStatus(http.StatusOK)
	if !strings.Contains(r.text(".page-header"), other) {
		t.Errorf("settings name account %q, want %s", r.text(".page-header"), other)
	}

	// In their own account, no such note.
	r = admin.get("/security-groups/web-sessions?region=us-east-1").wantStatus(http.StatusOK)
	r.wantAbsent(testid("cli-account-note"))
}
