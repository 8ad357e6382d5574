package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"sgconsole/handlers"
	"sgconsole/models"
)

// loginFrom signs in through the form from a given client address, as a browser behind it would.
func (c *client) loginFrom(address, username, password string) *response {
	c.t.Helper()
	page := c.get("/login")
	page.wantStatus(http.StatusOK)
	req := newFormRequest("/login", url.Values{"_csrf": {page.csrfToken()}, "username": {username}, "password": {password}})
	req.RemoteAddr = address + ":40000"
	r := c.do(req)
	if r.Status == http.StatusSeeOther && strings.HasPrefix(r.Header.Get("Location"), "/login") {
		return c.failedForm(r) // a refused sign-in comes back to the sign-in page
	}
	return r
}

// addUsers creates members of the default account named user01... with password "password-of-userNN".
func (cs *console) addUsers(t *testing.T, n int, role models.Role) {
	t.Helper()
	cs.store.PasswordCost = bcrypt.MinCost // 40 users at the default cost take seconds under -race
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("user%02d", i)
		if _, err := cs.store.CreateUser(context.Background(), models.NewUser{Username: name, Role: role,
			AccountID: models.DefaultAccountID, Password: "password-of-" + name}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestClassroomBehindOneAddressAllSignIn: successes are never throttled, so 40 trainees behind one
// NAT address all get in within moments, even after some of them mistyped once.
func TestClassroomBehindOneAddressAllSignIn(t *testing.T) {
	cs := newConsole(t, false)
	cs.addUsers(t, 40, models.RoleMember)
	// The address starts five failures short of its limit: were successes counted, the sixth
	// trainee would be refused.
	for i := 0; i < models.MaxFailuresPerAddress-5; i++ {
		cs.newClient(t).loginFrom("203.0.113.9", fmt.Sprintf("guess%02d", i), "password1234").wantStatus(http.StatusUnauthorized)
	}
	for i := 1; i <= 40; i++ {
		name := fmt.Sprintf("user%02d", i)
		c := cs.newClient(t)
		if i%10 == 0 { // a typo first: a failure, cleared again by that user's own success
			c.loginFrom("203.0.113.9", name, "a typo in it").wantStatus(http.StatusUnauthorized)
		}
		c.loginFrom("203.0.113.9", name, "password-of-"+name).wantRedirect(http.StatusSeeOther, "/security-groups")
		c.get("/security-groups").wantText(testid("signed-in-user"), name+" (member, "+models.DefaultAccountID+")")
	}
}

// TestFailedSignInsLockTheUserName: five failures for one name lock it for 15 minutes from every
// address, the right password included, and the page says so; other names are unaffected.
func TestFailedSignInsLockTheUserName(t *testing.T) {
	cs := newConsole(t, false)
	cs.addUsers(t, 2, models.RoleMember)
	for i := 1; i <= models.MaxFailuresPerUsername; i++ {
		r := cs.newClient(t).loginFrom(fmt.Sprintf("198.51.100.%d", i), "user01", "wrong-password")
		r.wantStatus(http.StatusUnauthorized)
		r.wantText(`[role="alert"], .alert`, "Incorrect username or password.")
	}
	for _, address := range []string{"198.51.100.1", "192.0.2.77"} {
		c := cs.newClient(t)
		r := c.loginFrom(address, "USER01", "password-of-user01") // the name is matched ignoring case
		r.wantStatus(http.StatusTooManyRequests)
		r.wantText(`[role="alert"], .alert`, "Too many failed sign-ins for this user name")
		if r.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		if ck := c.cookie(handlers.SessionCookie); ck != nil && ck.Value != "" {
			t.Errorf("a locked sign-in set a session cookie")
		}
	}
	cs.newClient(t).loginFrom("198.51.100.1", "user02", "password-of-user02").wantStatus(http.StatusSeeOther)

	cs.clock.Advance(models.UsernameLockout - 1)
	cs.newClient(t).loginFrom("192.0.2.77", "user01", "password-of-user01").wantStatus(http.StatusTooManyRequests)
	cs.clock.Advance(1)
	cs.newClient(t).loginFrom("192.0.2.77", "user01", "password-of-user01").wantStatus(http.StatusSeeOther)
}

// TestFailuresFromOneAddressStopSpraying: failures across many names from one address stop that
// address, not others.
func TestFailuresFromOneAddressStopSpraying(t *testing.T) {
	cs := newConsole(t, false)
	cs.addUsers(t, 1, models.RoleMember)
	for i := 0; i < models.MaxFailuresPerAddress; i++ {
		cs.newClient(t).loginFrom("203.0.113.50", fmt.Sprintf("guess%02d", i), "password1234").wantStatus(http.StatusUnauthorized)
	}
	r := cs.newClient(t).loginFrom("203.0.113.50", "user01", "password-of-user01")
	r.wantStatus(http.StatusTooManyRequests)
	r.wantText(`[role="alert"], .alert`, "Too many failed sign-ins from your network address")
	cs.newClient(t).loginFrom("203.0.113.51", "user01", "password-of-user01").wantStatus(http.StatusSeeOther)
	cs.clock.Advance(models.ThrottleWindow)
	cs.newClient(t).loginFrom("203.0.113.50", "user01", "password-of-user01").wantStatus(http.StatusSeeOther)
}

// TestSignInRotatesAndSignOutEndsTheSession: every sign-in gets a new session ID (a cookie planted
// before sign-in is never adopted), and a signed-out session's cookie no longer works anywhere.
func TestSignInRotatesAndSignOutEndsTheSession(t *testing.T) {
	cs := newConsole(t, false)
	c := cs.newClient(t)
	c.jar.SetCookies(baseURL, []*http.Cookie{{Name: handlers.SessionCookie, Value: "planted-by-an-attacker", Path: "/"}})
	c.login(adminPassword)
	first := c.cookie(handlers.SessionCookie).Value
	if first == "planted-by-an-attacker" || first == "" {
		t.Fatalf("session cookie after sign-in = %q", first)
	}
	// Signing in again from a signed-in browser also gets a new session ID.
	form := url.Values{"_csrf": {c.get("/security-groups").csrfToken()}, "username": {models.AdminUsername}, "password": {adminPassword}}
	c.post("/login", form, nil).wantStatus(http.StatusSeeOther)
	second := c.cookie(handlers.SessionCookie).Value
	if second == first {
		t.Fatal("a second sign-in kept the same session ID")
	}

	page := c.get("/security-groups")
	page.wantStatus(http.StatusOK)
	c.post("/logout", url.Values{"_csrf": {page.csrfToken()}}, nil).wantRedirect(http.StatusSeeOther, "/login")

	// Replaying the old cookie after sign-out: the server has ended the session.
	replay := cs.newClient(t)
	replay.jar.SetCookies(baseURL, []*http.Cookie{{Name: handlers.SessionCookie, Value: second, Path: "/"}})
	r := replay.get("/security-groups")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("old session after sign-out: %d %s, want a redirect to /login", r.Status, r.Header.Get("Location"))
	}
	// The first session (not signed out) still works: sign-out ends only its own session.
	other := cs.newClient(t)
	other.jar.SetCookies(baseURL, []*http.Cookie{{Name: handlers.SessionCookie, Value: first, Path: "/"}})
	other.get("/security-groups").wantStatus(http.StatusOK)
}

// TestIdleSessionsEnd: 8 hours without a request sign a browser out; requests keep it alive up to
// the 24-hour lifetime.
func TestIdleSessionsEnd(t *testing.T) {
	cs := newConsole(t, false)
	busy, idle := cs.signedIn(t), cs.signedIn(t)
	for i := 0; i < 3; i++ {
		cs.clock.Advance(7 * 60 * 60 * 1e9)
		busy.get("/security-groups").wantStatus(http.StatusOK)
	}
	if r := idle.get("/security-groups"); r.Status != http.StatusSeeOther {
		t.Errorf("a session idle for 21h: status %d, want a redirect to sign in", r.Status)
	}
	cs.clock.Advance(3 * 60 * 60 * 1e9) // 24h after sign-in
	if r := busy.get("/security-groups"); r.Status != http.StatusSeeOther {
		t.Errorf("a busy session after 24h: status %d, want a redirect to sign in", r.Status)
	}
}
