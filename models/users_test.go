package models

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
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
	mustNoErr(t, s.SetFlash(ctx, a, Flash{Kind: "info", Text: "first"}), "SetFlash 1")
	mustNoErr(t, s.SetFlash(ctx, a, Flash{Kind: "error", Text: "second"}), "SetFlash 2")
	if got, _ := s.TakeFlash(ctx, a); got != (Flash{Kind: "error", Text: "second"}) {
		t.Errorf("TakeFlash = %+v, want the latest", got)
	}

	// Unknown and signed-out sessions have no flash and no error.
	mustNoErr(t, s.SetFlash(ctx, "no-such-token", Flash{Kind: "info", Text: "x"}), "SetFlash unknown")
	if got, err := s.TakeFlash(ctx, "no-such-token"); err != nil || got != (Flash{}) {
		t.Errorf("TakeFlash(unknown) = %+v, %v", got, err)
	}
	mustNoErr(t, s.SetFlash(ctx, b, Flash{Kind: "info", Text: "bye"}), "SetFlash b")
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

// newUserStore is newStore with cheap password hashes, an admin (password "admin-password") and a
// key for access key secrets; it returns the admin.
func newUserStore(t *testing.T) (*Store, *testClock, User) {
	t.Helper()
	s, clk := newStore(t)
	s.PasswordCost = bcrypt.MinCost
	s.SecretKey = bytes.Repeat([]byte{7}, 32)
	_, _, err := s.EnsureAdmin(ctx, "admin-password")
	mustNoErr(t, err, "EnsureAdmin")
	return s, clk, mustUser(t, s, AdminUsername)
}

func mustUser(t *testing.T, s *Store, username string) User {
	t.Helper()
	u, err := s.UserByName(ctx, username)
	mustNoErr(t, err, "UserByName "+username)
	return u
}

func mustCreateUser(t *testing.T, s *Store, n NewUser) CreatedUser {
	t.Helper()
	c, err := s.CreateUser(ctx, n)
	mustNoErr(t, err, "CreateUser "+n.Username)
	return c
}

// userState is every table creating, changing or deleting a user may touch.
type userState struct {
	Users    []User
	Accounts []Account
	Regions  []RegionSetting
	Groups   []CacheSecurityGroup
	Sessions []Session
	Keys     []AccessKey
}

func takeUserState(t *testing.T, s *Store) userState {
	t.Helper()
	var st userState
	if err := s.db.Order("id").Find(&st.Accounts).Error; err != nil {
		t.Fatalf("accounts: %v", err)
	}
	for _, dest := range []any{&st.Users, &st.Regions, &st.Groups, &st.Sessions, &st.Keys} {
		if err := s.db.Order("id").Find(dest).Error; err != nil {
			t.Fatalf("user state: %v", err)
		}
	}
	return st
}

func wantUserStateUnchanged(t *testing.T, s *Store, before userState, after string) {
	t.Helper()
	if now := takeUserState(t, s); !reflect.DeepEqual(before, now) {
		t.Fatalf("database changed after %s:\nbefore %+v\nafter  %+v", after, before, now)
	}
}

// wantFields asserts err is a domain error with code whose field errors name exactly fields, in order.
func wantFields(t *testing.T, err error, code string, fields ...string) *Error {
	t.Helper()
	e := wantError(t, err, code, "")
	got := []string{}
	for _, f := range e.Fields {
		got = append(got, f.Field)
		if f.Message == "" {
			t.Errorf("field %s has no message", f.Field)
		}
	}
	if !reflect.DeepEqual(got, fields) {
		t.Fatalf("error fields = %q, want %q (message %q)", got, fields, e.Message)
	}
	if e.Message != e.Fields[0].Message {
		t.Errorf("message %q is not the first field's %q", e.Message, e.Fields[0].Message)
	}
	return e
}

func TestCreateUserRoles(t *testing.T) {
	s, _, _ := newUserStore(t)
	for _, role := range Roles {
		name := "user-" + string(role)
		c := mustCreateUser(t, s, NewUser{Username: name, Role: role, AccountID: DefaultAccountID, Password: "role-password"})
		if c.Role != role {
			t.Errorf("created %s with role %q, want %q", name, c.Role, role)
		}
		if u := mustUser(t, s, name); u.Role != role || u.Disabled || u.AccountID != DefaultAccountID {
			t.Errorf("stored %s = role %q, disabled %v, account %s", name, u.Role, u.Disabled, u.AccountID)
		}
		if got, _ := s.SessionUser(ctx, mustSignIn(t, s, name, "role-password")); got.Role != role {
			t.Errorf("%s signed in with role %q, want %q", name, got.Role, role)
		}
	}
	if !RoleAdmin.IsAdmin() || RoleMember.IsAdmin() || RoleViewer.IsAdmin() {
		t.Error("only admin should be admin")
	}
	if !RoleAdmin.CanWrite() || !RoleMember.CanWrite() || RoleViewer.CanWrite() {
		t.Error("admin and member write, viewer reads")
	}

	before := takeUserState(t, s)
	for _, role := range []Role{"", "root", "Admin", "admin "} {
		_, err := s.CreateUser(ctx, NewUser{Username: "roleless", Role: role, AccountID: DefaultAccountID, Password: "role-password"})
		e := wantFields(t, err, CodeInvalidParameterValue, "role")
		if !strings.Contains(e.Message, "admin, member or viewer") {
			t.Errorf("role %q message = %q", role, e.Message)
		}
		wantUserStateUnchanged(t, s, before, fmt.Sprintf("refused role %q", role))
	}
	if _, err := ParseRole("viewer"); err != nil {
		t.Errorf("ParseRole(viewer) = %v", err)
	}
}

func TestCreateUserNameRule(t *testing.T) {
	s, _, _ := newUserStore(t)
	const charset = "A user name can contain only letters, digits and . _ - @"
	refused := []struct {
		name, username, code, msg string
	}{
		{"empty", "", CodeMissingParameter, "Enter a user name."},
		{"65 characters", strings.Repeat("a", 65), CodeInvalidParameterValue, "A user name is at most 64 characters long."},
		{"space", "bob smith", CodeInvalidParameterValue, charset},
		{"leading space", " bob", CodeInvalidParameterValue, charset},
		{"accent", "é", CodeInvalidParameterValue, charset},
		{"accent inside", "josé", CodeInvalidParameterValue, charset},
		{"NUL byte", "bob\x00", CodeInvalidParameterValue, charset},
		{"trailing newline", "bob\n", CodeInvalidParameterValue, charset},
		{"slash", "a/b", CodeInvalidParameterValue, charset},
		{"invalid UTF-8", "b\xffb", CodeInvalidParameterValue, charset},
		{"SQL", "bob'--", CodeInvalidParameterValue, charset},
		{"percent", "bo%", CodeInvalidParameterValue, charset},
	}
	before := takeUserState(t, s)
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreateUser(ctx, NewUser{Username: tt.username, Role: RoleMember, AccountID: DefaultAccountID, Password: "name-password"})
			e := wantFields(t, err, tt.code, "username")
			if e.FieldMessage("username") != tt.msg {
				t.Errorf("username message = %q, want %q", e.FieldMessage("username"), tt.msg)
			}
			wantUserStateUnchanged(t, s, before, "a refused user name")
		})
	}

	accepted := []string{strings.Repeat("a", 64), "a", "Z", "0", "first.last_2-x@example.com", "@", "-._"}
	for _, name := range accepted {
		mustCreateUser(t, s, NewUser{Username: name, Role: RoleViewer, AccountID: DefaultAccountID, Password: "name-password"})
		if u := mustUser(t, s, name); u.Username != name {
			t.Errorf("stored name %q, want %q", u.Username, name)
		}
		if u, _ := s.SessionUser(ctx, mustSignIn(t, s, name, "name-password")); u.Username != name {
			t.Errorf("signed in as %q, want %q", u.Username, name)
		}
	}
}

func TestCreateUserReportsEveryBadField(t *testing.T) {
	s, _, _ := newUserStore(t)
	before := takeUserState(t, s)

	_, err := s.CreateUser(ctx, NewUser{Username: "a/b", Role: "root", AccountID: "12345", Password: "short"})
	e := wantFields(t, err, CodeInvalidParameterValue, "username", "role", "account_id", "password")
	if e.FieldMessage("account_id") != "An account ID is 12 digits." {
		t.Errorf("account_id message = %q", e.FieldMessage("account_id"))
	}
	if e.FieldMessage("password") != "A password must be at least 12 characters long." {
		t.Errorf("password message = %q", e.FieldMessage("password"))
	}
	wantUserStateUnchanged(t, s, before, "four bad fields")

	// A missing user name makes the whole error MissingParameter; a valid new account ID next to
	// bad fields is not created.
	const fresh = "555566667777"
	_, err = s.CreateUser(ctx, NewUser{Username: "", Role: "", AccountID: fresh, Password: strings.Repeat("x", 73)})
	wantFields(t, err, CodeMissingParameter, "username", "role", "password")
	wantUserStateUnchanged(t, s, before, "three bad fields")
	if ok, err := s.AccountExists(ctx, fresh); err != nil || ok {
		t.Errorf("AccountExists(%s) = %v, %v after a refused user", fresh, ok, err)
	}

	// Account IDs are exactly 12 digits.
	for _, id := range []string{"12345678901", "1234567890123", "12345678901a", " 23456789012"} {
		_, err := s.CreateUser(ctx, NewUser{Username: "carol", Role: RoleMember, AccountID: id, Password: "carol-password"})
		wantFields(t, err, CodeInvalidParameterValue, "account_id")
	}
	wantUserStateUnchanged(t, s, before, "bad account IDs")
}

func TestCreateUserNamesAreUniqueIgnoringCase(t *testing.T) {
	s, _, _ := newUserStore(t)
	mustCreateUser(t, s, NewUser{Username: "bob", Role: RoleMember, AccountID: DefaultAccountID, Password: "bob-password"})
	before := takeUserState(t, s)
	const fresh = "555566667777"
	for _, n := range []NewUser{
		{Username: "Bob", Role: RoleMember, AccountID: DefaultAccountID, Password: "other-password"},
		{Username: "BOB", Role: RoleAdmin, AccountID: fresh, Password: "other-password"},
		{Username: "bob", Role: RoleViewer}, // new account, generated password
		{Username: "ADMIN", Role: RoleMember, AccountID: DefaultAccountID},
	} {
		_, err := s.CreateUser(ctx, n)
		e := wantFields(t, err, CodeEntityAlreadyExists, "username")
		if !strings.Contains(e.Message, "already exists") {
			t.Errorf("%s: message %q", n.Username, e.Message)
		}
		wantUserStateUnchanged(t, s, before, "a duplicate "+n.Username)
	}
	if ok, _ := s.AccountExists(ctx, fresh); ok {
		t.Errorf("account %s created for a duplicate user", fresh)
	}
	// The first bob keeps his password and his case.
	if u := mustUser(t, s, "BoB"); u.Username != "bob" || u.Role != RoleMember {
		t.Errorf("UserByName(BoB) = %+v", u)
	}
	mustSignIn(t, s, "bob", "bob-password")
	if _, err := s.SignIn(ctx, Credentials{Username: "Bob", Password: "other-password"}); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("duplicate's password works: %v", err)
	}
}

func TestCreateUserCreatesItsAccount(t *testing.T) {
	s, _, _ := newUserStore(t)
	const fresh = "555566667777"
	if ok, _ := s.AccountExists(ctx, fresh); ok {
		t.Fatal("account exists before its first user")
	}
	c := mustCreateUser(t, s, NewUser{Username: "carol", Role: RoleMember, AccountID: fresh, Password: "carol-password"})
	if !c.AccountCreated || c.AccountID != fresh {
		t.Fatalf("CreateUser = account %s, created %v; want %s, true", c.AccountID, c.AccountCreated, fresh)
	}
	wantFreshAccount(t, s, fresh)

	// The account's second user finds it there and changes nothing in it.
	before := takeUserState(t, s)
	d := mustCreateUser(t, s, NewUser{Username: "dave", Role: RoleViewer, AccountID: fresh, Password: "dave-password"})
	if d.AccountCreated {
		t.Error("AccountCreated = true for an existing account")
	}
	after := takeUserState(t, s)
	if !reflect.DeepEqual(before.Accounts, after.Accounts) || !reflect.DeepEqual(before.Regions, after.Regions) || !reflect.DeepEqual(before.Groups, after.Groups) {
		t.Error("adding a user to an existing account changed its account, regions or groups")
	}
	if u, _ := s.SessionUser(ctx, mustSignIn(t, s, "dave", "dave-password")); u.AccountID != fresh {
		t.Errorf("dave's account = %s", u.AccountID)
	}

	// The default account exists already too.
	if e := mustCreateUser(t, s, NewUser{Username: "erin", Role: RoleMember, AccountID: DefaultAccountID, Password: "erin-password"}); e.AccountCreated {
		t.Error("AccountCreated = true for the default account")
	}
}

// wantFreshAccount asserts the account exists with every region EC2-Classic, each with only its
// default cache security group.
func wantFreshAccount(t *testing.T, s *Store, accountID string) {
	t.Helper()
	if ok, err := s.AccountExists(ctx, accountID); err != nil || !ok {
		t.Fatalf("AccountExists(%s) = %v, %v", accountID, ok, err)
	}
	regions, err := s.RegionPlatforms(ctx, accountID)
	mustNoErr(t, err, "RegionPlatforms")
	if len(regions) != len(Regions) {
		t.Fatalf("account %s has %d regions, want %d", accountID, len(regions), len(Regions))
	}
	for i, r := range regions {
		if r.Region != Regions[i] || r.Platform != PlatformClassic {
			t.Errorf("region %d = %s %s, want %s EC2-Classic", i, r.Region, r.Platform, Regions[i])
		}
		scope := Scope{AccountID: accountID, Region: r.Region}
		if g := mustGet(t, s, scope, DefaultGroupName); g.OwnerID != accountID || len(g.EC2SecurityGroups) != 0 {
			t.Errorf("%s default group = %+v", r.Region, g)
		}
		if names := listNames(mustList(t, s, scope, ListOptions{})); !reflect.DeepEqual(names, []string{DefaultGroupName}) {
			t.Errorf("%s groups = %q, want only default", r.Region, names)
		}
	}
}

func TestCreateUserWithoutAccountGetsANewOne(t *testing.T) {
	s, _, _ := newUserStore(t)
	seen := map[string]bool{DefaultAccountID: true}
	for _, name := range []string{"frank", "grace"} {
		c := mustCreateUser(t, s, NewUser{Username: name, Role: RoleMember, Password: name + "-password"})
		if !ValidAccountID(c.AccountID) || seen[c.AccountID] {
			t.Fatalf("%s got account %q; want a fresh 12-digit ID (seen %v)", name, c.AccountID, seen)
		}
		seen[c.AccountID] = true
		if !c.AccountCreated {
			t.Errorf("%s: AccountCreated = false", name)
		}
		if u := mustUser(t, s, name); u.AccountID != c.AccountID {
			t.Errorf("stored account %s, returned %s", u.AccountID, c.AccountID)
		}
		wantFreshAccount(t, s, c.AccountID)
	}
	accounts, err := s.ListAccounts(ctx)
	mustNoErr(t, err, "ListAccounts")
	if len(accounts) != 3 {
		t.Errorf("ListAccounts = %+v, want the default and two new ones", accounts)
	}
	for _, a := range accounts {
		if !seen[a.ID] {
			t.Errorf("unexpected account %s", a.ID)
		}
	}
}

func TestCreateUserGeneratedPassword(t *testing.T) {
	s, _, _ := newUserStore(t)
	c := mustCreateUser(t, s, NewUser{Username: "henry", Role: RoleMember, AccountID: DefaultAccountID})
	pw := c.GeneratedPassword
	if len(pw) < 20 || len(pw) > MaxPasswordLength {
		t.Fatalf("generated password %q", pw)
	}
	u := mustUser(t, s, "henry")
	if u.PasswordHash == pw || strings.Contains(u.PasswordHash, pw) {
		t.Error("generated password stored in clear")
	}
	mustSignIn(t, s, "henry", pw)

	other := mustCreateUser(t, s, NewUser{Username: "irene", Role: RoleMember, AccountID: DefaultAccountID})
	if other.GeneratedPassword == pw {
		t.Error("two users got the same generated password")
	}
	if _, err := s.SignIn(ctx, Credentials{Username: "irene", Password: pw}); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("henry's password signs irene in: %v", err)
	}
	// A chosen password is never echoed back.
	if given := mustCreateUser(t, s, NewUser{Username: "jack", Role: RoleMember, AccountID: DefaultAccountID, Password: "jack-password"}); given.GeneratedPassword != "" {
		t.Errorf("GeneratedPassword = %q for a chosen password", given.GeneratedPassword)
	}
}

func TestCreateUserPasswordBounds(t *testing.T) {
	s, _, _ := newUserStore(t)
	const short = "A password must be at least 12 characters long."
	const long = "A password is at most 72 bytes long."
	tests := []struct {
		name, password, msg string
	}{
		{"11 bytes", strings.Repeat("p", 11), short},
		{"12 bytes", strings.Repeat("p", 12), ""},
		{"72 bytes", strings.Repeat("p", 71) + "!", ""},
		{"73 bytes", strings.Repeat("p", 73), long},
		{"6 two-byte characters (12 bytes)", strings.Repeat("é", 6), short},
		{"12 two-byte characters", strings.Repeat("é", 12), ""},
		{"36 two-byte characters", strings.Repeat("é", 36), ""},
		{"37 two-byte characters", strings.Repeat("é", 37), long},
		{"1000 bytes", strings.Repeat("p", 1000), long},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := fmt.Sprintf("pw%d", i)
			before := takeUserState(t, s)
			_, err := s.CreateUser(ctx, NewUser{Username: user, Role: RoleMember, AccountID: DefaultAccountID, Password: tt.password})
			if tt.msg != "" {
				e := wantFields(t, err, CodeInvalidParameterValue, "password")
				if e.Message != tt.msg {
					t.Errorf("message = %q, want %q", e.Message, tt.msg)
				}
				wantUserStateUnchanged(t, s, before, "a refused password")
				return
			}
			mustNoErr(t, err, "CreateUser")
			mustSignIn(t, s, user, tt.password)
			// Every byte counts: the same password with its last byte changed fails.
			wrong := tt.password[:len(tt.password)-1] + "?"
			if _, err := s.SignIn(ctx, Credentials{Username: user, Password: wrong}); !errors.Is(err, ErrBadCredentials) {
				t.Errorf("password with its last byte changed: %v", err)
			}
		})
	}
}

func TestUserChangesKeepAnEnabledAdmin(t *testing.T) {
	s, _, admin := newUserStore(t)
	mustCreateUser(t, s, NewUser{Username: "bob", Role: RoleMember, AccountID: DefaultAccountID, Password: "bob-password"})
	token := mustSignIn(t, s, "admin", "admin-password")
	const lastAdmin = "admin is the last enabled admin. Make another user admin first."

	// refused runs every change that would leave no enabled admin; none of them may change anything.
	refused := func(step, username string) {
		t.Helper()
		before := takeUserState(t, s)
		wantError(t, s.SetUserDisabled(ctx, 0, username, true), CodeInvalidParameterValue, "")
		wantUserStateUnchanged(t, s, before, step+": disable")
		for _, role := range []Role{RoleMember, RoleViewer} {
			wantError(t, s.SetUserRole(ctx, 0, username, role), CodeInvalidParameterValue, "")
			wantUserStateUnchanged(t, s, before, step+": role "+string(role))
		}
		wantError(t, s.DeleteUser(ctx, 0, username), CodeInvalidParameterValue, "")
		wantUserStateUnchanged(t, s, before, step+": delete")
	}
	wantError(t, s.SetUserDisabled(ctx, 0, "admin", true), CodeInvalidParameterValue, lastAdmin)
	refused("only admin", "admin")
	refused("only admin named in capitals", "ADMIN")
	if u, err := s.SessionUser(ctx, token); err != nil || u.Role != RoleAdmin {
		t.Fatalf("admin's session after refused changes = %+v, %v", u, err)
	}

	// A second admin who is disabled does not count.
	mustCreateUser(t, s, NewUser{Username: "carol", Role: RoleAdmin, AccountID: otherAccountID, Password: "carol-password"})
	mustNoErr(t, s.SetUserDisabled(ctx, admin.ID, "carol", true), "disable carol")
	refused("other admin disabled", "admin")

	// Once she is enabled, admin may step down; then carol is the one who must stay.
	mustNoErr(t, s.SetUserDisabled(ctx, admin.ID, "carol", false), "enable carol")
	mustNoErr(t, s.SetUserRole(ctx, 0, "admin", RoleMember), "demote admin")
	if u := mustUser(t, s, "admin"); u.Role != RoleMember {
		t.Fatalf("admin's role = %q after demotion", u.Role)
	}
	refused("carol now last", "carol")
	// Changing the role of a member, or an admin to admin, needs no other admin.
	mustNoErr(t, s.SetUserRole(ctx, 0, "carol", RoleAdmin), "admin stays admin")
	mustNoErr(t, s.SetUserRole(ctx, 0, "bob", RoleViewer), "member to viewer")

	// With two enabled admins, either may be disabled, demoted or deleted, but not both.
	mustNoErr(t, s.SetUserRole(ctx, 0, "admin", RoleAdmin), "promote admin")
	mustNoErr(t, s.SetUserDisabled(ctx, 0, "carol", true), "disable carol")
	refused("carol disabled", "admin")
	mustNoErr(t, s.DeleteUser(ctx, 0, "carol"), "delete disabled admin carol")
	if _, err := s.UserByName(ctx, "carol"); !errors.Is(err, ErrNotFound) {
		t.Errorf("carol after delete: %v", err)
	}
	refused("carol deleted", "admin")

	// Roles are validated.
	before := takeUserState(t, s)
	wantFields(t, s.SetUserRole(ctx, 0, "bob", "root"), CodeInvalidParameterValue, "role")
	wantUserStateUnchanged(t, s, before, "an unknown role")
}

func TestUsersCannotDisableOrDeleteThemselves(t *testing.T) {
	s, _, admin := newUserStore(t)
	mustCreateUser(t, s, NewUser{Username: "root", Role: RoleAdmin, AccountID: DefaultAccountID, Password: "root-password"})
	root := mustUser(t, s, "root")
	token := mustSignIn(t, s, "root", "root-password")
	before := takeUserState(t, s)

	for _, name := range []string{"root", "ROOT"} {
		wantError(t, s.SetUserDisabled(ctx, root.ID, name, true), CodeInvalidParameterValue, "You cannot disable yourself.")
		wantUserStateUnchanged(t, s, before, "disabling yourself")
		wantError(t, s.DeleteUser(ctx, root.ID, name), CodeInvalidParameterValue, "You cannot delete yourself.")
		wantUserStateUnchanged(t, s, before, "deleting yourself")
	}
	if _, err := s.SessionUser(ctx, token); err != nil {
		t.Fatalf("root's session after refused self-changes: %v", err)
	}
	// Another admin may do it.
	mustNoErr(t, s.SetUserDisabled(ctx, admin.ID, "root", true), "admin disables root")
	mustNoErr(t, s.DeleteUser(ctx, admin.ID, "root"), "admin deletes root")
}

func TestUserChangesOfUnknownUsers(t *testing.T) {
	s, _, admin := newUserStore(t)
	before := takeUserState(t, s)
	for _, name := range []string{"nobody", "", "a b", strings.Repeat("x", 65), "admin\x00"} {
		wantError(t, s.SetUserDisabled(ctx, admin.ID, name, true), CodeNoSuchEntity, "")
		wantError(t, s.SetUserDisabled(ctx, admin.ID, name, false), CodeNoSuchEntity, "")
		wantError(t, s.SetUserRole(ctx, admin.ID, name, RoleViewer), CodeNoSuchEntity, "")
		wantError(t, s.DeleteUser(ctx, admin.ID, name), CodeNoSuchEntity, "")
		if _, err := s.UserByName(ctx, name); !errors.Is(err, ErrNotFound) {
			t.Errorf("UserByName(%q) = %v, want ErrNotFound", name, err)
		}
	}
	wantError(t, s.DeleteUser(ctx, admin.ID, "nobody"), CodeNoSuchEntity, "User nobody not found.")
	wantUserStateUnchanged(t, s, before, "changes of unknown users")
}

func TestDeleteUserRemovesSessionsAndAccessKeys(t *testing.T) {
	s, _, admin := newUserStore(t)
	mustCreateUser(t, s, NewUser{Username: "bob", Role: RoleMember, AccountID: otherAccountID, Password: "bob-password"})
	bob := mustUser(t, s, "bob")
	bobTokens := []string{mustSignIn(t, s, "bob", "bob-password"), mustSignIn(t, s, "bob", "bob-password")}
	var bobKeys []NewAccessKey
	for i := 0; i < 2; i++ {
		k, err := s.CreateAccessKey(ctx, bob.ID)
		mustNoErr(t, err, "CreateAccessKey bob")
		bobKeys = append(bobKeys, k)
	}
	adminToken := mustSignIn(t, s, "admin", "admin-password")
	adminKey, err := s.CreateAccessKey(ctx, admin.ID)
	mustNoErr(t, err, "CreateAccessKey admin")

	mustNoErr(t, s.DeleteUser(ctx, admin.ID, "Bob"), "DeleteUser")

	if _, err := s.UserByName(ctx, "bob"); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob after delete: %v", err)
	}
	for _, tok := range bobTokens {
		if _, err := s.SessionUser(ctx, tok); !errors.Is(err, ErrNotFound) {
			t.Errorf("bob's session after delete: %v", err)
		}
	}
	for _, k := range bobKeys {
		if _, _, err := s.LookupAccessKey(ctx, k.AccessKeyID); !errors.Is(err, ErrUnknownAccessKey) {
			t.Errorf("bob's key %s after delete: %v", k.AccessKeyID, err)
		}
	}
	if n := countRows(t, s, &Session{}, "user_id = ?", bob.ID); n != 0 {
		t.Errorf("%d sessions of bob left", n)
	}
	if n := countRows(t, s, &AccessKey{}, "user_id = ?", bob.ID); n != 0 {
		t.Errorf("%d access keys of bob left", n)
	}
	if _, err := s.SignIn(ctx, Credentials{Username: "bob", Password: "bob-password"}); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("deleted bob signs in: %v", err)
	}
	// Other users keep theirs.
	if _, err := s.SessionUser(ctx, adminToken); err != nil {
		t.Errorf("admin's session after deleting bob: %v", err)
	}
	if u, _, err := s.LookupAccessKey(ctx, adminKey.AccessKeyID); err != nil || u.ID != admin.ID {
		t.Errorf("admin's key after deleting bob: %+v, %v", u, err)
	}

	// A new bob starts with nothing of the old one.
	c := mustCreateUser(t, s, NewUser{Username: "bob", Role: RoleViewer, AccountID: otherAccountID, Password: "new-bob-password"})
	if keys, err := s.ListAccessKeys(ctx, c.ID); err != nil || len(keys) != 0 {
		t.Errorf("new bob's keys = %+v, %v", keys, err)
	}
	for _, tok := range bobTokens {
		if u, err := s.SessionUser(ctx, tok); !errors.Is(err, ErrNotFound) {
			t.Errorf("old bob session signs in new bob: %+v, %v", u, err)
		}
	}
}

func TestDisabledUserIsLockedOutAtOnce(t *testing.T) {
	s, clk, admin := newUserStore(t)
	mustCreateUser(t, s, NewUser{Username: "bob", Role: RoleMember, AccountID: DefaultAccountID, Password: "bob-password"})
	bob := mustUser(t, s, "bob")
	bobToken := mustSignIn(t, s, "bob", "bob-password")
	key, err := s.CreateAccessKey(ctx, bob.ID)
	mustNoErr(t, err, "CreateAccessKey")
	adminToken := mustSignIn(t, s, "admin", "admin-password")

	mustNoErr(t, s.SetUserDisabled(ctx, admin.ID, "BOB", true), "disable bob")

	if u := mustUser(t, s, "bob"); !u.Disabled || u.Enabled() {
		t.Errorf("bob after disable = %+v", u)
	}
	if _, err := s.SessionUser(ctx, bobToken); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob's session after disable: %v", err)
	}
	if _, _, err := s.LookupAccessKey(ctx, key.AccessKeyID); !errors.Is(err, ErrUnknownAccessKey) {
		t.Errorf("bob's access key after disable: %v", err)
	}
	if _, err := s.SignIn(ctx, Credentials{Username: "bob", Password: "bob-password"}); !errors.Is(err, ErrUserDisabled) {
		t.Errorf("disabled bob, right password: %v, want ErrUserDisabled", err)
	}
	if _, err := s.SignIn(ctx, Credentials{Username: "bob", Password: "wrong-password"}); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("disabled bob, wrong password: %v, want ErrBadCredentials", err)
	}
	if n := countRows(t, s, &Session{}, "user_id = ?", bob.ID); n != 0 {
		t.Errorf("%d sessions of disabled bob", n)
	}
	if _, err := s.SessionUser(ctx, adminToken); err != nil {
		t.Errorf("admin's session after disabling bob: %v", err)
	}
	// Disabling again is harmless.
	mustNoErr(t, s.SetUserDisabled(ctx, admin.ID, "bob", true), "disable bob again")

	clk.Advance(time.Hour)
	mustNoErr(t, s.SetUserDisabled(ctx, admin.ID, "bob", false), "enable bob")
	if u := mustUser(t, s, "bob"); u.Disabled {
		t.Error("bob still disabled")
	}
	fresh := mustSignIn(t, s, "bob", "bob-password")
	if u, err := s.SessionUser(ctx, fresh); err != nil || u.ID != bob.ID {
		t.Errorf("bob's new session = %+v, %v", u, err)
	}
	if _, err := s.SessionUser(ctx, bobToken); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob's old session came back: %v", err)
	}
	// The keys were kept while he was disabled and work again.
	if u, secret, err := s.LookupAccessKey(ctx, key.AccessKeyID); err != nil || u.ID != bob.ID || secret != key.SecretAccessKey {
		t.Errorf("bob's access key after enable: %+v, %v", u, err)
	}
}

func TestChangePassword(t *testing.T) {
	s, _, _ := newUserStore(t)
	mustCreateUser(t, s, NewUser{Username: "bob", Role: RoleMember, AccountID: DefaultAccountID, Password: "bob-password"})
	mustCreateUser(t, s, NewUser{Username: "alice", Role: RoleMember, AccountID: DefaultAccountID, Password: "alice-password"})
	bob := mustUser(t, s, "bob")
	kept := mustSignIn(t, s, "bob", "bob-password")
	others := []string{mustSignIn(t, s, "bob", "bob-password"), mustSignIn(t, s, "BOB", "bob-password")}
	alice := mustSignIn(t, s, "alice", "alice-password")

	refused := []struct {
		name, current, next string
		fields              []string
	}{
		{"wrong current", "bob-passwordX", "bob-new-password", []string{"current_password"}},
		{"empty current", "", "bob-new-password", []string{"current_password"}},
		{"short new", "bob-password", "short", []string{"new_password"}},
		{"empty new", "bob-password", "", []string{"new_password"}},
		{"long new", "bob-password", strings.Repeat("n", 73), []string{"new_password"}},
		{"same as current", "bob-password", "bob-password", []string{"new_password"}},
		{"both wrong", "nope", "short", []string{"current_password", "new_password"}},
	}
	before := takeUserState(t, s)
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			wantFields(t, s.ChangePassword(ctx, bob.ID, kept, tt.current, tt.next), CodeInvalidParameterValue, tt.fields...)
			wantUserStateUnchanged(t, s, before, "a refused password change")
		})
	}
	mustSignIn(t, s, "bob", "bob-password")
	before = takeUserState(t, s)

	mustNoErr(t, s.ChangePassword(ctx, bob.ID, kept, "bob-password", "bob-new-password"), "ChangePassword")

	if u, err := s.SessionUser(ctx, kept); err != nil || u.ID != bob.ID {
		t.Errorf("kept session = %+v, %v", u, err)
	}
	for _, tok := range others {
		if _, err := s.SessionUser(ctx, tok); !errors.Is(err, ErrNotFound) {
			t.Errorf("bob's other session survived the change: %v", err)
		}
	}
	if n := countRows(t, s, &Session{}, "user_id = ?", bob.ID); n != 1 {
		t.Errorf("bob has %d sessions, want only the kept one", n)
	}
	if u, err := s.SessionUser(ctx, alice); err != nil || u.Username != "alice" {
		t.Errorf("alice's session = %+v, %v", u, err)
	}
	after := takeUserState(t, s)
	if len(after.Sessions) != len(before.Sessions)-3 {
		t.Errorf("sessions %d -> %d, want three of bob's gone", len(before.Sessions), len(after.Sessions))
	}
	if _, err := s.SignIn(ctx, Credentials{Username: "bob", Password: "bob-password"}); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("old password after change: %v", err)
	}
	mustSignIn(t, s, "bob", "bob-new-password")
	mustSignIn(t, s, "alice", "alice-password")

	// The new password is now the current one.
	wantFields(t, s.ChangePassword(ctx, bob.ID, kept, "bob-password", "bob-third-password"), CodeInvalidParameterValue, "current_password")
	mustNoErr(t, s.ChangePassword(ctx, bob.ID, kept, "bob-new-password", "bob-third-password"), "second change")
	mustSignIn(t, s, "bob", "bob-third-password")
}

func TestSignInOpensNewSessions(t *testing.T) {
	s, clk, _ := newUserStore(t)
	if u := mustUser(t, s, "admin"); u.LastSignInAt != nil {
		t.Fatalf("LastSignInAt = %v before any sign-in", u.LastSignInAt)
	}
	tokens := map[string]bool{}
	for i, name := range []string{"admin", "ADMIN", "Admin", "aDmIn"} {
		clk.Advance(time.Minute)
		tok := mustSignIn(t, s, name, "admin-password")
		if tokens[tok] {
			t.Fatalf("sign-in %d reused a token", i)
		}
		tokens[tok] = true
		u := mustUser(t, s, "admin")
		if u.LastSignInAt == nil || !u.LastSignInAt.Equal(clk.now) {
			t.Errorf("sign-in as %q: LastSignInAt = %v, want %v", name, u.LastSignInAt, clk.now)
		}
	}
	for tok := range tokens {
		if u, err := s.SessionUser(ctx, tok); err != nil || u.Username != "admin" {
			t.Errorf("SessionUser = %+v, %v; want admin", u, err)
		}
	}
	if n := countRows(t, s, &Session{}, ""); n != int64(len(tokens)) {
		t.Errorf("%d sessions, want %d", n, len(tokens))
	}
	// A failed sign-in leaves the last sign-in time alone.
	last := clk.now
	clk.Advance(time.Minute)
	if _, err := s.SignIn(ctx, Credentials{Username: "admin", Password: "wrong-password"}); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	if u := mustUser(t, s, "admin"); u.LastSignInAt == nil || !u.LastSignInAt.Equal(last) {
		t.Errorf("LastSignInAt = %v after a failed sign-in, want %v", u.LastSignInAt, last)
	}
}

func TestListUsers(t *testing.T) {
	s, _, admin := newUserStore(t)
	for _, n := range []string{"zed", "Bob", "carol"} {
		mustCreateUser(t, s, NewUser{Username: n, Role: RoleViewer, AccountID: DefaultAccountID, Password: "list-password"})
	}
	mustNoErr(t, s.SetUserDisabled(ctx, admin.ID, "carol", true), "disable carol")
	users, err := s.ListUsers(ctx)
	mustNoErr(t, err, "ListUsers")
	got := []string{}
	for _, u := range users {
		got = append(got, fmt.Sprintf("%s:%s:%v", u.Username, u.Role, u.Disabled))
	}
	want := []string{"admin:admin:false", "Bob:viewer:false", "carol:viewer:true", "zed:viewer:false"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListUsers = %q, want %q", got, want)
	}
}

func TestListAuditEvents(t *testing.T) {
	s, clk := newStore(t)
	_, err := s.EnsureAccount(ctx, otherAccountID)
	mustNoErr(t, err, "EnsureAccount")
	const key1, key2 = "AKIAAAAAAAAAAAAAAAA1", "AKIAAAAAAAAAAAAAAAA2"
	changes := []struct {
		group string
		scope Scope
	}{
		{"a1", Scope{AccountID: DefaultAccountID, Region: "us-east-1", Actor: "alice", Via: "console"}},
		{"b1", Scope{AccountID: otherAccountID, Region: "us-west-2", Actor: "Bob", Via: key1}},
		{"a2", Scope{AccountID: DefaultAccountID, Region: "eu-west-1", Actor: "bob", Via: "console"}},
		{"b2", Scope{AccountID: otherAccountID, Region: "us-east-1", Actor: "alice", Via: key2}},
		{"a3", Scope{AccountID: DefaultAccountID, Region: "us-east-1", Actor: "alice-admin", Via: "console"}},
	}
	for _, c := range changes {
		clk.Advance(time.Minute)
		mustCreate(t, s, c.scope, c.group, "audit "+c.group)
	}

	audit := func(q AuditQuery) ([]string, int) {
		t.Helper()
		p, err := s.ListAuditEvents(ctx, q)
		mustNoErr(t, err, fmt.Sprintf("ListAuditEvents(%+v)", q))
		got := []string{}
		for _, e := range p.Events {
			got = append(got, e.SourceID)
		}
		return got, p.Total
	}
	tests := []struct {
		name string
		q    AuditQuery
		want []string
	}{
		{"everything, newest first", AuditQuery{}, []string{"a3", "b2", "a2", "b1", "a1"}},
		{"one account", AuditQuery{AccountID: DefaultAccountID}, []string{"a3", "a2", "a1"}},
		{"the other account", AuditQuery{AccountID: otherAccountID}, []string{"b2", "b1"}},
		{"an account without events", AuditQuery{AccountID: "555566667777"}, []string{}},
		{"one actor, any case", AuditQuery{Actor: "BOB"}, []string{"a2", "b1"}},
		{"actor names match whole", AuditQuery{Actor: "alice"}, []string{"b2", "a1"}},
		{"actor and account", AuditQuery{AccountID: otherAccountID, Actor: "Alice"}, []string{"b2"}},
		{"actor without events in the account", AuditQuery{AccountID: otherAccountID, Actor: "alice-admin"}, []string{}},
		{"a page", AuditQuery{Offset: 1, Limit: 2}, []string{"b2", "a2"}},
	}
	for _, tt := range tests {
		got, total := audit(tt.q)
		wantTotal := len(tt.want)
		if tt.q.Limit > 0 {
			wantTotal = len(changes)
		}
		if !reflect.DeepEqual(got, tt.want) || total != wantTotal {
			t.Errorf("%s: events %q (total %d), want %q (total %d)", tt.name, got, total, tt.want, wantTotal)
		}
	}

	// Each event says who did it, how, where and when.
	p, err := s.ListAuditEvents(ctx, AuditQuery{})
	mustNoErr(t, err, "ListAuditEvents")
	for i, e := range p.Events {
		c := changes[len(changes)-1-i]
		if e.AccountID != c.scope.AccountID || e.Region != c.scope.Region || e.Actor != c.scope.Actor || e.Via != c.scope.Via {
			t.Errorf("event %s = %s/%s by %q via %q, want %s/%s by %q via %q", e.SourceID,
				e.AccountID, e.Region, e.Actor, e.Via, c.scope.AccountID, c.scope.Region, c.scope.Actor, c.scope.Via)
		}
		if want := t0.Add(time.Duration(len(changes)-i) * time.Minute); !e.Date.Equal(want) {
			t.Errorf("event %s at %v, want %v", e.SourceID, e.Date, want)
		}
	}

	// Bad filters are refused rather than matching nothing.
	_, err = s.ListAuditEvents(ctx, AuditQuery{AccountID: "12345"})
	wantFields(t, err, CodeInvalidParameterValue, "account")
	_, err = s.ListAuditEvents(ctx, AuditQuery{Actor: "bob' OR '1'='1"})
	wantFields(t, err, CodeInvalidParameterValue, "user")
}
