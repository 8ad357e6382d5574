package models

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestEnsureAdminGeneratesPasswordOnce(t *testing.T) {
	s, _ := newStore(t)
	created, shown, err := s.EnsureAdmin(ctx, "")
	mustNoErr(t, err, "EnsureAdmin")
	if !created {
		t.Fatal("EnsureAdmin on an empty database created nothing")
	}
	if len(shown) < 20 {
		t.Fatalf("generated password %q is shorter than 20 characters", shown)
	}
	var u User
	mustNoErr(t, s.db.Where("username = ?", AdminUsername).Take(&u).Error, "load admin")
	if u.AccountID != DefaultAccountID || u.PasswordHash == "" || u.PasswordHash == shown {
		t.Errorf("admin = %+v", u)
	}
	token, err := s.SignIn(ctx, Credentials{Username: "admin", Password: shown})
	mustNoErr(t, err, "SignIn with generated password")
	if token == "" {
		t.Fatal("empty session token")
	}

	// Later calls create nothing and reveal nothing, whatever password they carry.
	for _, pw := range []string{"", "another-password"} {
		created, again, err := s.EnsureAdmin(ctx, pw)
		mustNoErr(t, err, "EnsureAdmin again")
		if created || again != "" {
			t.Errorf("EnsureAdmin(%q) again = %v, %q; want false, \"\"", pw, created, again)
		}
	}
	if n := countRows(t, s, &User{}, ""); n != 1 {
		t.Errorf("users = %d, want 1", n)
	}
	if _, err := s.SignIn(ctx, Credentials{Username: "admin", Password: "another-password"}); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("second EnsureAdmin changed the password: %v", err)
	}
	if _, err := s.SignIn(ctx, Credentials{Username: "admin", Password: shown}); err != nil {
		t.Errorf("generated password stopped working: %v", err)
	}
}

func TestEnsureAdminGeneratesDifferentPasswords(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 3; i++ {
		s, _ := newStore(t)
		_, shown, err := s.EnsureAdmin(ctx, "")
		mustNoErr(t, err, "EnsureAdmin")
		if seen[shown] {
			t.Fatalf("password %q generated twice", shown)
		}
		seen[shown] = true
	}
}

func TestEnsureAdminWithGivenPassword(t *testing.T) {
	s, _ := newStore(t)
	created, shown, err := s.EnsureAdmin(ctx, "correct horse battery")
	mustNoErr(t, err, "EnsureAdmin")
	if !created || shown != "" {
		t.Fatalf("EnsureAdmin(given) = %v, %q; want true, \"\"", created, shown)
	}
	if _, err := s.SignIn(ctx, Credentials{Username: "admin", Password: "correct horse battery"}); err != nil {
		t.Fatalf("SignIn with given password: %v", err)
	}
}

func TestEnsureAdminRefusesShortPassword(t *testing.T) {
	s, _ := newStore(t)
	created, _, err := s.EnsureAdmin(ctx, "12345678901")
	e := wantError(t, err, CodeInvalidParameterValue, "A password must be at least 12 characters long.")
	if e.FieldMessage("password") == "" {
		t.Error("no message on field password")
	}
	if created {
		t.Error("created = true on failure")
	}
	if n := countRows(t, s, &User{}, ""); n != 0 {
		t.Errorf("users = %d after refused password, want 0", n)
	}
}

func TestCreateUserPasswordLength(t *testing.T) {
	s, _ := newStore(t)
	tests := []struct {
		user, password string
		ok             bool
	}{
		{"a", "", true}, // generated
		{"b", "12345678901", false},
		{"c", "123456789012", true},
	}
	for _, tt := range tests {
		err := createUser(s, tt.user, DefaultAccountID, tt.password)
		if tt.ok {
			mustNoErr(t, err, "CreateUser")
		} else {
			wantError(t, err, CodeInvalidParameterValue, "A password must be at least 12 characters long.")
		}
		want := int64(0)
		if tt.ok {
			want = 1
		}
		if n := countRows(t, s, &User{}, "username = ?", tt.user); n != want {
			t.Errorf("user %s rows = %d, want %d", tt.user, n, want)
		}
	}
	if err := createUser(s, "c", DefaultAccountID, "different-password"); err == nil {
		t.Error("duplicate username accepted")
	}
	if n := countRows(t, s, &User{}, "username = ?", "c"); n != 1 {
		t.Errorf("user c rows = %d after duplicate, want 1", n)
	}
}

func newAdmin(t *testing.T) (*Store, *testClock) {
	t.Helper()
	s, clk := newStore(t)
	_, _, err := s.EnsureAdmin(ctx, "admin-password")
	mustNoErr(t, err, "EnsureAdmin")
	return s, clk
}

func TestSignIn(t *testing.T) {
	s, _ := newAdmin(t)
	mustNoErr(t, createUser(s, "bob", otherAccountID, "bob-password"), "CreateUser bob")
	tests := []struct {
		name, user, password string
		ok                   bool
	}{
		{"good", "admin", "admin-password", true},
		{"other user", "bob", "bob-password", true},
		{"wrong password", "admin", "admin-passwordX", false},
		{"other user's password", "admin", "bob-password", false},
		{"empty password", "admin", "", false},
		{"unknown user", "mallory", "admin-password", false},
		{"empty user", "", "admin-password", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := countRows(t, s, &Session{}, "")
			token, err := s.SignIn(ctx, Credentials{Username: tt.user, Password: tt.password})
			if !tt.ok {
				if !errors.Is(err, ErrBadCredentials) || token != "" {
					t.Fatalf("SignIn = %q, %v; want ErrBadCredentials", token, err)
				}
				if n := countRows(t, s, &Session{}, ""); n != before {
					t.Errorf("sessions %d -> %d after failed sign-in", before, n)
				}
				return
			}
			mustNoErr(t, err, "SignIn")
			if len(token) != 64 {
				t.Errorf("token %q is not 32 random bytes in hex", token)
			}
			// Only a hash of the token is stored.
			if n := countRows(t, s, &Session{}, "token_hash = ?", token); n != 0 {
				t.Error("raw token stored in the database")
			}
			if n := countRows(t, s, &Session{}, "token_hash = ?", hashToken(token)); n != 1 {
				t.Error("token hash not stored")
			}
			u, err := s.SessionUser(ctx, token)
			mustNoErr(t, err, "SessionUser")
			if u.Username != tt.user {
				t.Errorf("SessionUser = %q, want %q", u.Username, tt.user)
			}
		})
	}
	if u, _ := s.SessionUser(ctx, mustSignIn(t, s, "bob", "bob-password")); u.AccountID != otherAccountID {
		t.Errorf("bob's account = %q", u.AccountID)
	}
}

func mustSignIn(t *testing.T, s *Store, user, password string) string {
	t.Helper()
	token, err := s.SignIn(ctx, Credentials{Username: user, Password: password})
	mustNoErr(t, err, "SignIn")
	return token
}

func TestSessions(t *testing.T) {
	s, clk := newAdmin(t)
	a := mustSignIn(t, s, "admin", "admin-password")
	b := mustSignIn(t, s, "admin", "admin-password")
	if a == b {
		t.Fatal("two sign-ins share a token")
	}

	check := func(step, token string, wantOK bool) {
		t.Helper()
		u, err := s.SessionUser(ctx, token)
		if wantOK {
			if err != nil || u.Username != AdminUsername {
				t.Errorf("%s: SessionUser = %+v, %v; want admin", step, u, err)
			}
			return
		}
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: SessionUser err = %v, want ErrNotFound", step, err)
		}
	}
	check("fresh a", a, true)
	check("fresh b", b, true)
	check("unknown token", "not-a-token", false)
	check("empty token", "", false)

	mustNoErr(t, s.SignOut(ctx, a), "SignOut")
	check("a after sign-out", a, false)
	check("b after a signed out", b, true)
	mustNoErr(t, s.SignOut(ctx, a), "SignOut twice")

	// Idle timeout: a session used every 7 hours lives on; one left alone for 8 hours ends.
	idle := mustSignIn(t, s, "admin", "admin-password")
	for i := 0; i < 3; i++ {
		clk.Advance(7 * time.Hour)
		check(fmt.Sprintf("b used after %dx7h", i+1), b, true)
	}
	check("idle after 21h", idle, false)

	// Absolute lifetime: however busy, a session ends 24 hours after sign-in.
	clk.Set(t0.Add(SessionLifetime - time.Second))
	check("b just before the 24h lifetime", b, true)
	clk.Set(t0.Add(SessionLifetime))
	check("b at 24h", b, false)

	// A later sign-in purges expired sessions.
	if n := countRows(t, s, &Session{}, ""); n != 2 {
		t.Fatalf("sessions before purge = %d, want 2 (b and idle, both ended)", n)
	}
	c := mustSignIn(t, s, "admin", "admin-password")
	if n := countRows(t, s, &Session{}, ""); n != 1 {
		t.Errorf("sessions after purge = %d, want only the new one", n)
	}
	check("new session", c, true)
}

func TestResetPassword(t *testing.T) {
	s, _ := newAdmin(t)
	mustNoErr(t, createUser(s, "bob", DefaultAccountID, "bob-password"), "CreateUser bob")
	a1 := mustSignIn(t, s, "admin", "admin-password")
	a2 := mustSignIn(t, s, "admin", "admin-password")
	bob := mustSignIn(t, s, "bob", "bob-password")

	pw, err := s.ResetPassword(ctx, "admin")
	mustNoErr(t, err, "ResetPassword")
	if len(pw) < 20 || pw == "admin-password" {
		t.Fatalf("new password %q", pw)
	}
	for _, tok := range []string{a1, a2} {
		if _, err := s.SessionUser(ctx, tok); !errors.Is(err, ErrNotFound) {
			t.Errorf("admin session survived reset: %v", err)
		}
	}
	if _, err := s.SessionUser(ctx, bob); err != nil {
		t.Errorf("bob's session killed by admin's reset: %v", err)
	}
	if _, err := s.SignIn(ctx, Credentials{Username: "admin", Password: "admin-password"}); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("old password still works: %v", err)
	}
	mustSignIn(t, s, "admin", pw)

	before := countRows(t, s, &User{}, "")
	if _, err := s.ResetPassword(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ResetPassword(unknown) = %v, want ErrNotFound", err)
	}
	if n := countRows(t, s, &User{}, ""); n != before {
		t.Errorf("users changed after failed reset")
	}
}

func TestFlash(t *testing.T) {
	s, _ := newAdmin(t)
	a := mustSignIn(t, s, "admin", "admin-password")
	b := mustSignIn(t, s, "admin", "admin-password")

	f, err := s.TakeFlash(ctx, a)
	mustNoErr(t, err, "TakeFlash empty")
	if f != (Flash{}) {
		t.Errorf("fresh session flash = %+v", f)
	}

	want := Flash{Kind: "success", Text: "Cache security group web created."}
	mustNoErr(t, s.SetFlash(ctx, a, want), "SetFlash")
	if got, _ := s.TakeFlash(ctx, b); got != (Flash{}) {
		t.Errorf("flash leaked to another session: %+v", got)
	}
	got, err := s.TakeFlash(ctx, a)
	mustNoErr(t, err, "TakeFlash")
	if got != want {
		t.Errorf("TakeFlash = %+v, want %+v", got, want)
	}
	got, err = s.TakeFlash(ctx, a)
	mustNoErr(t, err, "TakeFlash again")
	if got != (Flash{}) {
		t.Errorf("second TakeFlash = %+v, want empty", got)
	}

	// The latest flash wins.
	mustNoErr(t, s.SetFlash(ctx, a, Flash{"info", "first"}), "SetFlash 1")
	mustNoErr(t, s.SetFlash(ctx, a, Flash{"error", "second"}), "SetFlash 2")
	if got, _ := s.TakeFlash(ctx, a); got != (Flash{"error", "second"}) {
		t.Errorf("TakeFlash = %+v, want the latest", got)
	}

	// Unknown and signed-out sessions have no flash and no error.
	mustNoErr(t, s.SetFlash(ctx, "no-such-token", Flash{"info", "x"}), "SetFlash unknown")
	if got, err := s.TakeFlash(ctx, "no-such-token"); err != nil || got != (Flash{}) {
		t.Errorf("TakeFlash(unknown) = %+v, %v", got, err)
	}
	mustNoErr(t, s.SetFlash(ctx, b, Flash{"info", "bye"}), "SetFlash b")
	mustNoErr(t, s.SignOut(ctx, b), "SignOut b")
	if got, err := s.TakeFlash(ctx, b); err != nil || got != (Flash{}) {
		t.Errorf("TakeFlash(signed out) = %+v, %v", got, err)
	}
}

func TestRandomPassword(t *testing.T) {
	p1, p2 := RandomPassword(), RandomPassword()
	if len(p1) < 20 || p1 == p2 {
		t.Errorf("RandomPassword = %q, %q", p1, p2)
	}
	if len(RandomToken(32)) != 64 {
		t.Error("RandomToken(32) is not 64 hex characters")
	}
}

// createUser adds a member user to an account, for tests about other things than user management.
func createUser(s *Store, username, accountID, password string) error {
	_, err := s.CreateUser(ctx, NewUser{Username: username, Role: RoleMember, AccountID: accountID, Password: password})
	return err
}
