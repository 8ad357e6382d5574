package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sgconsole/models"
)

// TestAdminReadOnlyView: an admin opening a sandbox with ?readonly=1 (the workshop dashboard's
// "view" link) sees it as a viewer would, every link keeps the view, and a write is refused.
func TestAdminReadOnlyView(t *testing.T) {
	cs := newConsole(t, true)
	const other = "333344445555"
	if _, err := cs.store.CreateUser(context.Background(), models.NewUser{Username: "trainee-01", Role: models.RoleMember, AccountID: other, Password: "trainee-password-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.store.SeedDemo(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	admin := cs.signedIn(t)
	for _, p := range readOnlyPages {
		r := admin.get(p.path + "&account=" + other + "&readonly=1")
		r.wantStatus(http.StatusOK)
		if found := writeControls(r); len(found) > 0 {
			t.Errorf("%s read-only: write controls %v", p.path, found)
		}
		r.wantText(testid("read-only-note"), "You are viewing account "+other+" read-only.")
		for _, href := range attrs(r.find(`[data-testid^="nav-"]`), "href") {
			if !strings.Contains(href, "account="+other) || !strings.Contains(href, "readonly=1") {
				t.Errorf("%s read-only: nav link %s drops the account or the view", p.path, href)
			}
		}
		// The same page without ?readonly= has the write control again.
		admin.get(p.path + "&account=" + other).wantPresent(p.member)
	}
	page := admin.get("/security-groups?account=" + other)
	r := admin.post("/security-groups?account="+other+"&readonly=1", url.Values{"_csrf": {page.csrfToken()}, "name": {"sneaky"}, "description": {"d"}}, nil)
	r.wantStatus(http.StatusForbidden)
	if _, err := cs.store.GetSecurityGroup(context.Background(), models.Scope{AccountID: other, Region: "us-east-1"}, "sneaky"); !models.HasCode(err, models.CodeCacheSecurityGroupNotFound) {
		t.Errorf("a read-only view wrote a group: %v", err)
	}
	// A member can't use the view to reach another account, and ?readonly= changes nothing for them.
	member := cs.signedInAs(t, "member-x", models.RoleMember)
	member.get("/security-groups?account=" + other + "&readonly=1").wantStatus(http.StatusNotFound)
}
