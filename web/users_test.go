package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"sgconsole/models"
)

// otherAccount is the account of users created outside the admin's.
const otherAccount = "210987654321"

// signInAs signs a new browser in through the form as any user and returns it with the answer.
func (cs *console) signInAs(t *testing.T, username, password string) (*client, *response) {
	t.Helper()
	c := cs.newClient(t)
	page := c.get("/login").wantStatus(http.StatusOK)
	r := c.submit(page, testid("login-form"), map[string]string{"username": username, "password": password})
	if r.Status == http.StatusSeeOther && strings.HasPrefix(r.Header.Get("Location"), "/login") {
		r = c.failedForm(r) // a refused sign-in comes back to the sign-in page with the reason
	}
	return c, r
}

// mustSignInAs signs a user in and fails the test unless the console accepts them.
func (cs *console) mustSignInAs(t *testing.T, username, password string) *client {
	t.Helper()
	c, r := cs.signInAs(t, username, password)
	r.wantStatus(http.StatusSeeOther)
	c.get("/security-groups").wantStatus(http.StatusOK).wantText(testid("signed-in-user"), username)
	return c
}

// addUser stores a user directly, for tests about what admins do with existing users.
func (cs *console) addUser(t *testing.T, username string, role models.Role, accountID, password string) models.User {
	t.Helper()
	created, err := cs.store.CreateUser(context.Background(), models.NewUser{Username: username, Role: role, AccountID: accountID, Password: password})
	if err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return created.User
}

// storedUser reads a user from the store; ok is false when there is none.
func (cs *console) storedUser(t *testing.T, username string) (models.User, bool) {
	t.Helper()
	u, err := cs.store.UserByName(context.Background(), username)
	if errors.Is(err, models.ErrNotFound) {
		return u, false
	}
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return u, true
}

func (cs *console) userCount(t *testing.T) int {
	t.Helper()
	users, err := cs.store.ListUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(users)
}

// wantSignedOut checks a browser's session is gone: its next page sends it to sign in.
func (c *client) wantSignedOut() {
	c.t.Helper()
	r := c.get("/security-groups")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		c.t.Fatalf("want the session signed out (303 to /login), got %d to %q", r.Status, r.Header.Get("Location"))
	}
}

func TestUsersAdminCreatesAMemberInANewAccount(t *testing.T) {
	cs := newConsole(t, false)
	admin := cs.signedIn(t)
	ctx := context.Background()

	list := admin.get("/users").wantStatus(http.StatusOK)
	list.wantText(testid("page-title"), "Users")
	if got := list.attr(testid("nav-users"), "aria-current"); got != "page" {
		t.Fatalf("side nav Users aria-current = %q, want page", got)
	}
	list.wantPresent(testid("nav-audit"))
	list.wantPresent(testid("nav-password"))
	list.wantText(testid("user-admin")+` [data-testid="user-role"]`, "admin")

	form := admin.get(list.attr(testid("create-user"), "href")).wantStatus(http.StatusOK)
	if got := form.attr(`#user-account`, "value"); got != models.DefaultAccountID {
		t.Fatalf("account prefilled with %q, want the acting account %s", got, models.DefaultAccountID)
	}
	if got := form.attr(`#user-role option[selected]`, "value"); got != "member" {
		t.Fatalf("role defaults to %q, want member", got)
	}
	if got := form.attr(`#user-password`, "type"); got != "password" {
		t.Fatalf("password input type %q", got)
	}

	created := admin.submit(form, testid("create-user-form"), map[string]string{"username": "carol", "account_id": "", "password": ""})
	created.wantStatus(http.StatusOK)
	created.wantText(testid("password-warning"), "only time this password can be viewed")
	password := created.text(`#new-user-password-value`)
	if !regexp.MustCompile(`^[0-9a-f]{30}$`).MatchString(password) {
		t.Fatalf("generated password shown as %q", password)
	}
	carol, ok := cs.storedUser(t, "carol")
	if !ok || carol.Role != models.RoleMember || carol.AccountID == models.DefaultAccountID || !models.ValidAccountID(carol.AccountID) {
		t.Fatalf("stored carol: %+v (found %v)", carol, ok)
	}
	created.wantText(testid("account-created"), "Creating the user also created account "+carol.AccountID)
	created.wantText(testid("new-user-account"), carol.AccountID)
	created.wantText(testid("user-carol")+` [data-testid="user-last-sign-in"]`, "Never")
	created.wantText(testid("user-carol")+` [data-testid="user-account"]`, carol.AccountID)
	if exists, err := cs.store.AccountExists(ctx, carol.AccountID); err != nil || !exists {
		t.Fatalf("account %s exists: %v %v", carol.AccountID, exists, err)
	}
	if _, err := cs.store.GetSecurityGroup(ctx, models.Scope{AccountID: carol.AccountID, Region: models.DefaultRegion}, "default"); err != nil {
		t.Fatalf("the new account has no default group: %v", err)
	}

	// The password shown is the one carol signs in with; she acts in her own account.
	other := cs.mustSignInAs(t, "carol", password)
	panel := other.get("/security-groups").wantStatus(http.StatusOK)
	panel.wantText(testid("signed-in-user"), carol.AccountID)
	panel.wantPresent(testid("row-default"))
	panel.wantAbsent(testid("nav-users"))

	// Never again: not on the next page, not in a flash.
	again := admin.get("/users").wantStatus(http.StatusOK)
	if strings.Contains(again.Body, password) {
		t.Fatal("the generated password is shown again on /users")
	}
	again.wantAbsent(testid("new-user"))
	again.wantAbsent(testid("flash"))
	again.wantText(testid("user-carol")+` [data-testid="user-last-sign-in"]`, " UTC")

	// A password the admin chooses, in an existing account, is not shown back.
	form = admin.get("/users/new").wantStatus(http.StatusOK)
	chosen := "dave-chosen-password"
	r := admin.submit(form, testid("create-user-form"), map[string]string{"username": "dave", "role": "viewer", "password": chosen})
	r.wantStatus(http.StatusOK)
	r.wantText(testid("new-user"), "User dave created")
	r.wantAbsent(testid("account-created"))
	if strings.Contains(r.Body, chosen) {
		t.Fatal("the chosen password is shown on the page")
	}
	if dave, ok := cs.storedUser(t, "dave"); !ok || dave.Role != models.RoleViewer || dave.AccountID != models.DefaultAccountID {
		t.Fatalf("stored dave: %+v", dave)
	}
	cs.mustSignInAs(t, "dave", chosen)
}

func TestUsersCreateRefusesBadInputNextToTheField(t *testing.T) {
	cs := newConsole(t, false)
	admin := cs.signedIn(t)
	cs.addUser(t, "Erin", models.RoleMember, models.DefaultAccountID, "erin-password-1")
	before := cs.userCount(t)

	cases := []struct {
		name   string
		values map[string]string
		field  string
		want   string
	}{
		{"bad username", map[string]string{"username": "bad name!"}, "username", "Enter a user name of 1 to 64 letters, digits and . _ - @."},
		{"empty username", map[string]string{"username": ""}, "username", "Enter a user name"},
		{"duplicate in another case", map[string]string{"username": "erin"}, "username", "already exists"},
		{"short password", map[string]string{"username": "frank", "password": "short-pw"}, "password", "at least 12 characters"},
		{"bad account", map[string]string{"username": "frank", "account_id": "12345"}, "account_id", "Enter a 12-digit account ID"},
		{"bad role", map[string]string{"username": "frank", "role": "root"}, "role", "Choose a role"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := admin.in(t)
			form := c.get("/users/new").wantStatus(http.StatusOK)
			r := c.failedForm(c.submit(form, testid("create-user-form"), tc.values)).wantStatus(http.StatusUnprocessableEntity)
			r.wantText(testid("error-"+tc.field), tc.want)
			// The message sits in the field's own form-field, tied to its input.
			field := r.find(`[data-testid="error-` + tc.field + `"]`).Parent()
			input := field.Find(`[name="` + tc.field + `"]`)
			if input.Length() != 1 {
				t.Fatalf("the %s error is not next to its field", tc.field)
			}
			if got, _ := input.Attr("aria-invalid"); got != "true" {
				t.Fatalf("%s aria-invalid = %q", tc.field, got)
			}
			if n := r.find(`.form-field__error`).Length(); n != 1 {
				t.Fatalf("%d field errors shown, want 1", n)
			}
			if v := tc.values["username"]; v != "" {
				if got := r.attr(`#user-name`, "value"); got != v {
					t.Fatalf("username kept as %q, want %q", got, v)
				}
			}
			if pw := tc.values["password"]; pw != "" && strings.Contains(r.Body, pw) {
				t.Fatal("the typed password is sent back")
			}
			if n := cs.userCount(t); n != before {
				t.Fatalf("a refused form wrote a user: %d users, want %d", n, before)
			}
		})
	}
	if _, ok := cs.storedUser(t, "frank"); ok {
		t.Fatal("frank was created")
	}
	// Without the CSRF token nothing is written either.
	admin.post("/users", url.Values{"username": {"frank"}}, nil).wantStatus(http.StatusForbidden)
	if _, ok := cs.storedUser(t, "frank"); ok {
		t.Fatal("frank was created without a CSRF token")
	}
}

func TestUsersDisableSignsOutAtOnceAndEnable(t *testing.T) {
	cs := newConsole(t, false)
	admin := cs.signedIn(t)
	cs.addUser(t, "bob", models.RoleMember, models.DefaultAccountID, "bob-password-123")
	bob := cs.mustSignInAs(t, "bob", "bob-password-123")

	list := admin.get("/users").wantStatus(http.StatusOK)
	list.wantText(testid("user-bob")+` [data-testid="user-status"]`, "Enabled")
	list.wantAbsent(testid("disable-admin")) // no disabling yourself from the page
	r := admin.submit(list, testid("disable-bob"), nil)
	r.wantRedirect(http.StatusSeeOther, "/users?region=us-east-1")
	after := admin.follow(r)
	after.wantText(testid("flash"), "Disabled user bob")
	after.wantText(testid("user-bob")+` [data-testid="user-status"]`, "Disabled")

	bob.wantSignedOut()
	_, refused := cs.signInAs(t, "bob", "bob-password-123")
	refused.wantStatus(http.StatusForbidden)
	refused.wantText(testid("alert-error"), "disabled")

	r = admin.submit(after, testid("enable-bob"), nil)
	r.wantRedirect(http.StatusSeeOther, "/users?region=us-east-1")
	admin.follow(r).wantText(testid("flash"), "Enabled user bob")
	cs.mustSignInAs(t, "bob", "bob-password-123")

	// Disabling yourself is refused on the page, never a 500.
	self := admin.failedForm(admin.post("/users/admin/disable", url.Values{"_csrf": {list.csrfToken()}}, nil))
	self.wantStatus(http.StatusUnprocessableEntity)
	self.wantText(testid("alert-error"), "You cannot disable yourself")
	if u, _ := cs.storedUser(t, "admin"); u.Disabled {
		t.Fatal("the admin disabled themselves")
	}
	admin.get("/users").wantStatus(http.StatusOK)

	// A user that is not there is a 404 page.
	admin.post("/users/nobody/disable", url.Values{"_csrf": {list.csrfToken()}}, nil).wantErrorPage(http.StatusNotFound, "nobody does not exist")
}

func TestUsersResetPassword(t *testing.T) {
	cs := newConsole(t, false)
	admin := cs.signedIn(t)
	cs.addUser(t, "bob", models.RoleMember, otherAccount, "bob-password-123")
	bob := cs.mustSignInAs(t, "bob", "bob-password-123")

	list := admin.get("/users").wantStatus(http.StatusOK)
	list.wantAbsent(testid("reset-admin")) // the admin changes their own password instead
	r := admin.submit(list, testid("reset-bob"), nil).wantStatus(http.StatusOK)
	r.wantText(testid("reset-password"), "New password for bob")
	password := r.text(`#reset-password-password-value`)
	if !regexp.MustCompile(`^[0-9a-f]{30}$`).MatchString(password) {
		t.Fatalf("new password shown as %q", password)
	}

	bob.wantSignedOut()
	_, old := cs.signInAs(t, "bob", "bob-password-123")
	old.wantStatus(http.StatusUnauthorized)
	cs.mustSignInAs(t, "bob", password)

	again := admin.get("/users").wantStatus(http.StatusOK)
	if strings.Contains(again.Body, password) {
		t.Fatal("the new password is shown again")
	}
	admin.post("/users/nobody/reset-password", url.Values{"_csrf": {list.csrfToken()}}, nil).wantErrorPage(http.StatusNotFound, "nobody does not exist")
}

func TestUsersChangeRoleToViewerStopsWrites(t *testing.T) {
	cs := newConsole(t, true)
	admin := cs.signedIn(t)
	cs.addUser(t, "bob", models.RoleMember, models.DefaultAccountID, "bob-password-123")
	bob := cs.mustSignInAs(t, "bob", "bob-password-123")
	newForm := bob.get("/security-groups/new").wantStatus(http.StatusOK)

	list := admin.get("/users").wantStatus(http.StatusOK)
	r := admin.submit(list, testid("role-form-bob"), map[string]string{"role": "viewer"})
	r.wantRedirect(http.StatusSeeOther, "/users?region=us-east-1")
	after := admin.follow(r)
	after.wantText(testid("flash"), "bob now has the viewer role")
	after.wantText(testid("user-bob")+` [data-testid="user-role"]`, "viewer")

	// bob's open form no longer creates anything: the role counts on every request.
	refused := bob.submit(newForm, testid("create-form"), map[string]string{"name": "from-viewer", "description": "should not exist"})
	refused.wantErrorPage(http.StatusForbidden, "viewer")
	if _, ok := cs.group(t, models.DefaultRegion, "from-viewer"); ok {
		t.Fatal("a viewer created a security group")
	}

	// A role that does not exist, and demoting the last enabled admin, are refused on the page.
	bad := admin.submit(after, testid("role-form-bob"), map[string]string{"role": "root"})
	bad = admin.failedForm(bad).wantStatus(http.StatusUnprocessableEntity)
	bad.wantText(testid("alert-error"), "Choose a role")
	last := admin.submit(after, testid("role-form-admin"), map[string]string{"role": "member"})
	last = admin.failedForm(last).wantStatus(http.StatusUnprocessableEntity)
	last.wantText(testid("alert-error"), "last enabled admin")
	if u, _ := cs.storedUser(t, "admin"); u.Role != models.RoleAdmin {
		t.Fatalf("the last admin became %s", u.Role)
	}

	// An admin who gives up their own admin role while another admin remains lands on the pane,
	// and the Users page is no longer theirs.
	cs.addUser(t, "ann", models.RoleAdmin, models.DefaultAccountID, "ann-password-123")
	ann := cs.mustSignInAs(t, "ann", "ann-password-123")
	annList := ann.get("/users").wantStatus(http.StatusOK)
	demoted := ann.submit(annList, testid("role-form-ann"), map[string]string{"role": "member"})
	demoted.wantRedirect(http.StatusSeeOther, "/security-groups?region=us-east-1")
	ann.follow(demoted).wantText(testid("flash"), "ann now has the member role")
	ann.get("/users").wantErrorPage(http.StatusForbidden, "Only administrators")
}

func TestUsersDelete(t *testing.T) {
	cs := newConsole(t, false)
	admin := cs.signedIn(t)
	ctx := context.Background()
	bobUser := cs.addUser(t, "bob", models.RoleMember, otherAccount, "bob-password-123")
	if _, err := cs.store.CreateAccessKey(ctx, bobUser.ID); err != nil {
		t.Fatal(err)
	}
	bob := cs.mustSignInAs(t, "bob", "bob-password-123")

	list := admin.get("/users").wantStatus(http.StatusOK)
	// Not yourself: no Delete on your row, and a forged form is refused.
	list.wantAbsent(testid("delete-admin"))
	self := admin.post("/users/admin/delete", url.Values{"_csrf": {list.csrfToken()}}, nil)
	self = admin.failedForm(self).wantStatus(http.StatusUnprocessableEntity)
	self.wantText(testid("alert-error"), "You cannot delete yourself")
	if _, ok := cs.storedUser(t, "admin"); !ok {
		t.Fatal("the admin deleted themselves")
	}

	// With JavaScript the Delete link opens the dialog; without, the page asks.
	list.wantText(`dialog#delete-user-bob`, "bob")
	confirm := admin.get(list.attr(testid("delete-bob"), "href")).wantStatus(http.StatusOK)
	confirm.wantText(testid("delete-user-name"), "bob")
	done := admin.submit(confirm, testid("delete-user-form"), nil)
	done.wantRedirect(http.StatusSeeOther, "/users?region=us-east-1")
	admin.follow(done).wantText(testid("flash"), "Deleted user bob")
	if _, ok := cs.storedUser(t, "bob"); ok {
		t.Fatal("bob is still stored")
	}
	if keys, _ := cs.store.ListAccessKeys(ctx, bobUser.ID); len(keys) != 0 {
		t.Fatalf("bob's access keys outlive him: %d", len(keys))
	}
	bob.wantSignedOut()
	_, r := cs.signInAs(t, "bob", "bob-password-123")
	r.wantStatus(http.StatusUnauthorized)
	// The account stays.
	if exists, _ := cs.store.AccountExists(ctx, otherAccount); !exists {
		t.Fatal("deleting bob deleted his account")
	}

	admin.get("/users/bob/delete").wantErrorPage(http.StatusNotFound, "bob does not exist")
	admin.submit(confirm, testid("delete-user-form"), nil).wantErrorPage(http.StatusNotFound, "bob does not exist")

	// Never the last enabled admin: a second admin can delete the first, who then can't delete
	// the one left (and the one left can't demote themselves).
	cs.addUser(t, "ann", models.RoleAdmin, models.DefaultAccountID, "ann-password-123")
	ann := cs.mustSignInAs(t, "ann", "ann-password-123")
	annList := ann.get("/users").wantStatus(http.StatusOK)
	ann.submit(ann.get("/users/admin/delete").wantStatus(http.StatusOK), testid("delete-user-form"), nil).wantStatus(http.StatusSeeOther)
	admin.wantSignedOut()
	refused := ann.submit(annList, testid("role-form-ann"), map[string]string{"role": "viewer"})
	refused = ann.failedForm(refused).wantStatus(http.StatusUnprocessableEntity)
	refused.wantText(testid("alert-error"), "ann is the last enabled admin")
	if u, ok := cs.storedUser(t, "ann"); !ok || u.Role != models.RoleAdmin || u.Disabled {
		t.Fatalf("the last admin after the refusals: %+v", u)
	}
}

func TestPasswordChange(t *testing.T) {
	cs := newConsole(t, false)
	here := cs.signedIn(t)
	elsewhere := cs.signedIn(t)
	const next = "a-brand-new-password"

	page := here.get("/account/password").wantStatus(http.StatusOK)
	if got := page.attr(testid("nav-password"), "aria-current"); got != "page" {
		t.Fatalf("side nav Change password aria-current = %q", got)
	}

	wrong := here.submit(page, testid("password-form"), map[string]string{"current_password": "not-the-password", "new_password": next})
	wrong = here.failedForm(wrong).wantStatus(http.StatusUnprocessableEntity)
	wrong.wantText(testid("error-current_password"), "current password is not correct")
	wrong.wantAbsent(testid("error-new_password"))
	if got, _ := wrong.find(`#current-password`).Attr("aria-invalid"); got != "true" {
		t.Fatalf("current password aria-invalid = %q", got)
	}
	if strings.Contains(wrong.Body, "not-the-password") || strings.Contains(wrong.Body, next) {
		t.Fatal("typed passwords are sent back")
	}
	short := here.submit(page, testid("password-form"), map[string]string{"current_password": adminPassword, "new_password": "short"})
	short = here.failedForm(short).wantStatus(http.StatusUnprocessableEntity)
	short.wantText(testid("error-new_password"), "at least 12 characters")
	elsewhere.get("/security-groups").wantStatus(http.StatusOK) // nothing changed yet

	done := here.submit(page, testid("password-form"), map[string]string{"current_password": adminPassword, "new_password": next})
	done.wantRedirect(http.StatusSeeOther, "/security-groups?region=us-east-1")
	here.follow(done).wantText(testid("flash"), "Password changed. Your other sessions were signed out.")
	here.get("/users").wantStatus(http.StatusOK)
	elsewhere.wantSignedOut()

	_, old := cs.signInAs(t, models.AdminUsername, adminPassword)
	old.wantStatus(http.StatusUnauthorized)
	cs.mustSignInAs(t, models.AdminUsername, next)

	// Every role may change their own password.
	cs.addUser(t, "vic", models.RoleViewer, otherAccount, "vic-password-123")
	vic := cs.mustSignInAs(t, "vic", "vic-password-123")
	vicPage := vic.get("/account/password").wantStatus(http.StatusOK)
	vic.submit(vicPage, testid("password-form"), map[string]string{"current_password": "vic-password-123", "new_password": "vic-new-password"}).
		wantStatus(http.StatusSeeOther)
	cs.mustSignInAs(t, "vic", "vic-new-password")
}

func TestUsersAndAuditRefuseMembersAndViewers(t *testing.T) {
	cs := newConsole(t, false)
	cs.addUser(t, "bob", models.RoleMember, models.DefaultAccountID, "bob-password-123")
	cs.addUser(t, "vic", models.RoleViewer, models.DefaultAccountID, "vic-password-123")
	before := cs.userCount(t)

	for _, who := range []struct{ name, password string }{{"bob", "bob-password-123"}, {"vic", "vic-password-123"}} {
		t.Run(who.name, func(t *testing.T) {
			c := cs.mustSignInAs(t, who.name, who.password)
			home := c.get("/security-groups").wantStatus(http.StatusOK)
			home.wantAbsent(testid("nav-users"))
			home.wantAbsent(testid("nav-audit"))
			home.wantPresent(testid("nav-password"))
			token := home.csrfToken()

			c.get("/users").wantErrorPage(http.StatusForbidden, "Only administrators")
			c.get("/users/new").wantErrorPage(http.StatusForbidden, "Only administrators")
			c.get("/audit").wantErrorPage(http.StatusForbidden, "Only administrators")
			c.post("/users", url.Values{"_csrf": {token}, "username": {"mallory"}, "role": {"admin"}}, nil).
				wantErrorPage(http.StatusForbidden, "Only administrators")
			c.post("/users/admin/disable", url.Values{"_csrf": {token}}, nil).wantErrorPage(http.StatusForbidden, "Only administrators")
			c.post("/users/admin/reset-password", url.Values{"_csrf": {token}}, nil).wantErrorPage(http.StatusForbidden, "Only administrators")
			c.post("/users/"+who.name+"/role", url.Values{"_csrf": {token}, "role": {"admin"}}, nil).
				wantErrorPage(http.StatusForbidden, "Only administrators")
			if _, ok := cs.storedUser(t, "mallory"); ok {
				t.Fatal("a non-admin created a user")
			}
			if n := cs.userCount(t); n != before {
				t.Fatalf("%d users, want %d", n, before)
			}
			if u, _ := cs.storedUser(t, who.name); u.Role.IsAdmin() {
				t.Fatal("a non-admin made themselves admin")
			}
			if u, _ := cs.storedUser(t, "admin"); u.Disabled {
				t.Fatal("a non-admin disabled the admin")
			}
		})
	}
	cs.mustSignInAs(t, models.AdminUsername, adminPassword)
}

// auditRows reads the audit table: one "source account user via" per row, top to bottom.
func auditRows(r *response) []string {
	var rows []string
	r.find(`[data-testid="audit-table"] tbody tr`).Each(func(_ int, s *goquery.Selection) {
		cell := func(id string) string { return strings.TrimSpace(s.Find(testid(id)).Text()) }
		rows = append(rows, strings.Join([]string{cell("audit-source"), cell("audit-account"), cell("audit-user"), cell("audit-via")}, " "))
	})
	return rows
}

func TestAuditListsChangesOfEveryAccount(t *testing.T) {
	cs := newConsole(t, false)
	admin := cs.signedIn(t)
	cs.addUser(t, "bob", models.RoleMember, otherAccount, "bob-password-123")
	bob := cs.mustSignInAs(t, "bob", "bob-password-123")

	form := admin.get("/security-groups/new").wantStatus(http.StatusOK)
	admin.submit(form, testid("create-form"), map[string]string{"name": "admin-group", "description": "made by the admin"}).
		wantStatus(http.StatusSeeOther)
	cs.clock.Advance(time.Minute)
	form = bob.get("/security-groups/new?region=eu-west-1").wantStatus(http.StatusOK)
	bob.submit(form, testid("create-form"), map[string]string{"name": "bob-group", "description": "made by bob"}).
		wantStatus(http.StatusSeeOther)

	page := admin.get("/audit").wantStatus(http.StatusOK)
	if got := page.attr(testid("nav-audit"), "aria-current"); got != "page" {
		t.Fatalf("side nav Audit aria-current = %q", got)
	}
	want := []string{"bob-group " + otherAccount + " bob Console", "admin-group " + models.DefaultAccountID + " admin Console"}
	if got := auditRows(page); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("audit rows %q, want %q (newest first)", got, want)
	}
	first := page.find(`[data-testid="audit-row"]`).First()
	if got := strings.TrimSpace(first.Find(testid("audit-region")).Text()); got != "eu-west-1" {
		t.Fatalf("bob's change in region %q", got)
	}
	if got := strings.TrimSpace(first.Find(testid("audit-time")).Text()); got != "2022-06-01 12:01:00 UTC" {
		t.Fatalf("bob's change at %q", got)
	}
	if got := strings.TrimSpace(first.Find(testid("audit-type")).Text()); got != models.SourceCacheSecurityGroup {
		t.Fatalf("source type %q", got)
	}
	page.wantPresent(testid("audit-filter") + ` select[name="filter_account"] option[value="` + otherAccount + `"]`)
	page.wantPresent(testid("audit-filter") + ` input[name="user"]`)

	byUser := admin.get("/audit?user=BOB").wantStatus(http.StatusOK)
	if got := auditRows(byUser); len(got) != 1 || got[0] != want[0] {
		t.Fatalf("filtered by user: %q", got)
	}
	if got := byUser.attr(`#audit-user`, "value"); got != "BOB" {
		t.Fatalf("user filter kept as %q", got)
	}
	byAccount := admin.get("/audit?filter_account=" + models.DefaultAccountID).wantStatus(http.StatusOK)
	if got := auditRows(byAccount); len(got) != 1 || got[0] != want[1] {
		t.Fatalf("filtered by account: %q", got)
	}
	if got := byAccount.attr(`#audit-account option[selected]`, "value"); got != models.DefaultAccountID {
		t.Fatalf("account filter kept as %q", got)
	}
	// Acting in another account (?account=) does not filter the log.
	acting := admin.get("/audit?account=" + otherAccount).wantStatus(http.StatusOK)
	if got := auditRows(acting); len(got) != 2 {
		t.Fatalf("acting in %s: %q", otherAccount, got)
	}
	none := admin.get("/audit?user=bob&filter_account=" + models.DefaultAccountID).wantStatus(http.StatusOK)
	none.wantPresent(testid("empty-state"))

	bad := admin.get("/audit?filter_account=123&user=bad%20name").wantStatus(http.StatusBadRequest)
	if bad.find(`.form-field__error`).Length() == 0 {
		t.Fatal("no field error for the bad filters")
	}
	bad.wantText(testid("error-filter_account"), "12 digits")
}

func TestAuditPages(t *testing.T) {
	cs := newConsole(t, false)
	admin := cs.signedIn(t)
	var names []string
	for i := 0; i < 30; i++ {
		names = append(names, fmt.Sprintf("group-%02d", i))
	}
	cs.createGroups(t, "us-east-1", names...)
	cs.createGroups(t, "us-west-2", names...)

	first := admin.get("/audit").wantStatus(http.StatusOK)
	if n := first.find(`[data-testid="audit-row"]`).Length(); n != 50 {
		t.Fatalf("first page has %d rows, want 50", n)
	}
	first.wantText(testid("table-range"), "Displaying items 1 to 50 of 60")
	next := admin.get(first.attr(testid("next-page"), "href")).wantStatus(http.StatusOK)
	if n := next.find(`[data-testid="audit-row"]`).Length(); n != 10 {
		t.Fatalf("second page has %d rows, want 10", n)
	}
	next.wantText(testid("table-range"), "Displaying items 51 to 60 of 60")
	// The pages keep the filters.
	filtered := admin.get("/audit?filter_account=" + models.DefaultAccountID).wantStatus(http.StatusOK)
	if href := filtered.attr(testid("next-page"), "href"); !strings.Contains(href, "filter_account="+models.DefaultAccountID) {
		t.Fatalf("next page link %q drops the filter", href)
	}
	admin.get("/audit?page=9").wantStatus(http.StatusOK).wantText(testid("table-range"), "Displaying items 51 to 60 of 60")
}
