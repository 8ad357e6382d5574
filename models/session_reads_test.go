package models

import (
	"testing"
	"time"
)

// A signed-in page view costs one statement when no flash waits: the session lookup reads the
// user and the flash together, and taking a flash it did not see runs nothing. With a flash it
// adds the one conditional UPDATE, and the flash is shown once.
func TestPageViewIsOneStatementWithoutFlash(t *testing.T) {
	s, clk := newAdmin(t)
	token := mustSignIn(t, s, "admin", "admin-password")
	c := countStatements(t, s)
	clk.Advance(10 * time.Second) // within the minute: no last-seen write
	view := func() (User, Flash) {
		t.Helper()
		si, err := s.Session(ctx, token)
		mustNoErr(t, err, "Session")
		f, err := s.TakeSessionFlash(ctx, si)
		mustNoErr(t, err, "TakeSessionFlash")
		return si.User, f
	}
	u, f := view()
	if u.Username != "admin" || u.Role != RoleAdmin || u.AccountID != DefaultAccountID || u.PasswordHash == "" || u.LastSignInAt == nil {
		t.Fatalf("session user = %+v, want the admin as UserByName reads it", u)
	}
	if f != (Flash{}) || c.reads.Load() != 1 || c.writes.Load() != 0 || c.begins.Load() != 0 {
		t.Fatalf("view without a flash: flash %+v, %d reads, %d writes, %d transactions; want none, 1, 0, 0",
			f, c.reads.Load(), c.writes.Load(), c.begins.Load())
	}
	want := Flash{Kind: FlashInProgress, Text: "Deleting group-1.", Done: "Deleted group-1."}
	mustNoErr(t, s.SetFlash(ctx, token, want), "SetFlash")
	c.reset()
	if _, f := view(); f != want || c.reads.Load() != 1 || c.writes.Load() != 1 {
		t.Fatalf("view with a flash: flash %+v, %d reads, %d writes; want %+v, 1, 1", f, c.reads.Load(), c.writes.Load(), want)
	}
	if _, f := view(); f != (Flash{}) {
		t.Fatalf("next view shows the flash again: %+v", f)
	}
}

// A flash set after the session was read is not lost: the page that read none leaves it for the
// next page, and a page that read an older one clears only that one.
func TestSessionFlashReadEarlierLeavesNewerFlash(t *testing.T) {
	s, _ := newAdmin(t)
	token := mustSignIn(t, s, "admin", "admin-password")
	before, err := s.Session(ctx, token)
	mustNoErr(t, err, "Session")
	mustNoErr(t, s.SetFlash(ctx, token, Flash{Kind: FlashSuccess, Text: "First."}), "SetFlash")
	if f, err := s.TakeSessionFlash(ctx, before); err != nil || f != (Flash{}) {
		t.Fatalf("page that read no flash: %+v, %v; want none", f, err)
	}
	older, err := s.Session(ctx, token)
	mustNoErr(t, err, "Session")
	mustNoErr(t, s.SetFlash(ctx, token, Flash{Kind: FlashSuccess, Text: "Second."}), "SetFlash")
	if f, err := s.TakeSessionFlash(ctx, older); err != nil || f != (Flash{}) {
		t.Fatalf("page that read the replaced flash: %+v, %v; want none", f, err)
	}
	if f, err := s.TakeFlash(ctx, token); err != nil || f.Text != "Second." {
		t.Fatalf("next page: %+v, %v; want the newer flash", f, err)
	}
}

// A disabled user's session, an expired one and an idle one all end at once.
func TestSessionEndsForDisabledExpiredAndIdle(t *testing.T) {
	s, clk := newAdmin(t)
	mustNoErr(t, createUser(s, "bob", DefaultAccountID, "bob-password"), "CreateUser")
	admin, err := s.UserByName(ctx, "admin")
	mustNoErr(t, err, "UserByName")
	bob := mustSignIn(t, s, "bob", "bob-password")
	if _, err := s.Session(ctx, bob); err != nil {
		t.Fatalf("live session: %v", err)
	}
	mustNoErr(t, s.SetUserDisabled(ctx, admin.ID, "bob", true), "disable bob")
	if _, err := s.Session(ctx, bob); err != ErrNotFound {
		t.Fatalf("disabled user's session: %v, want ErrNotFound", err)
	}
	a := mustSignIn(t, s, "admin", "admin-password")
	clk.Advance(DefaultSessionIdle + time.Second)
	if _, err := s.Session(ctx, a); err != ErrNotFound {
		t.Fatalf("idle session: %v, want ErrNotFound", err)
	}
	if _, err := s.Session(ctx, "not-a-token"); err != ErrNotFound {
		t.Fatalf("unknown token: %v, want ErrNotFound", err)
	}
}

// A page view's session lookup also says whether a failed form's page waits for the browser, so
// the page looks for one only then: after a failed submit until the page is shown or expires, and
// only for that browser's key.
func TestSessionForPageSeesAWaitingFailedForm(t *testing.T) {
	s, clk := newAdmin(t)
	token := mustSignIn(t, s, "admin", "admin-password")
	const key, otherKey = "browser-form-key", "another-browser"
	noForm := func(formKey string) bool {
		t.Helper()
		si, err := s.SessionForPage(ctx, token, formKey)
		mustNoErr(t, err, "SessionForPage")
		return si.NoFailedForm()
	}
	if !noForm(key) {
		t.Fatal("no form stashed, yet the lookup says one waits")
	}
	mustNoErr(t, s.StashFailedForm(ctx, key, "/security-groups/new", 422, []byte("<form>")), "StashFailedForm")
	c := countStatements(t, s)
	if noForm(key) {
		t.Fatal("a stashed form is not seen by its browser's page view")
	}
	if n := c.reads.Load() + c.writes.Load(); n != 1 {
		t.Fatalf("the page view's session lookup ran %d statements, want 1", n)
	}
	if !noForm(otherKey) {
		t.Fatal("another browser's page view sees the stashed form")
	}
	if _, _, ok, err := s.TakeFailedForm(ctx, key, "/security-groups/new"); err != nil || !ok {
		t.Fatalf("TakeFailedForm = %v, %v; want the page", ok, err)
	}
	if !noForm(key) {
		t.Fatal("the form was shown, yet the lookup still says one waits")
	}
	mustNoErr(t, s.StashFailedForm(ctx, key, "/security-groups/new", 422, []byte("<form>")), "StashFailedForm")
	clk.Advance(FormStashTTL)
	if !noForm(key) {
		t.Fatal("an expired form still counts as waiting")
	}
	if si, err := s.Session(ctx, token); err != nil || si.NoFailedForm() {
		t.Fatalf("Session without a form key: %v, NoFailedForm %v; want an unchecked session", err, si.NoFailedForm())
	}
}
