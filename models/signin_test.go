package models

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// signInAs tries credentials from an address and returns the error.
func signInAs(s *Store, username, password, address string) error {
	_, err := s.SignIn(ctx, Credentials{Username: username, Password: password, Address: address})
	return err
}

// wantThrottled asserts err is a *ThrottledError for the user name (byAddress false) or the
// address, lasting until until.
func wantThrottled(t *testing.T, err error, byAddress bool, until time.Time) *ThrottledError {
	t.Helper()
	var te *ThrottledError
	if !errors.As(err, &te) {
		t.Fatalf("got %v, want *ThrottledError", err)
	}
	if te.ByAddress() != byAddress {
		t.Fatalf("ByAddress() = %v, want %v (%v)", te.ByAddress(), byAddress, te)
	}
	if !te.Until.Equal(until) {
		t.Fatalf("Until = %v, want %v", te.Until, until)
	}
	if errors.Is(err, ErrBadCredentials) || errors.Is(err, ErrUserDisabled) {
		t.Fatalf("throttled error %v also matches another sign-in error", err)
	}
	return te
}

func wantBadCredentials(t *testing.T, err error, what string) {
	t.Helper()
	if !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("%s: got %v, want ErrBadCredentials", what, err)
	}
}

func TestSignInLocksAUserNameAfterFiveFailures(t *testing.T) {
	s, clk, _ := newUserStore(t)
	for _, n := range []string{"bob", "alice"} {
		mustCreateUser(t, s, NewUser{Username: n, Role: RoleMember, AccountID: DefaultAccountID, Password: n + "-password"})
	}
	sessions := countRows(t, s, &Session{}, "")

	// Five wrong passwords for bob, a minute apart, each from another address and in another case.
	for i, name := range []string{"bob", "BOB", "Bob", "bOb", "boB"} {
		clk.Advance(time.Minute)
		wantBadCredentials(t, signInAs(s, name, "guess-password", fmt.Sprintf("192.0.2.%d", i+1)), fmt.Sprintf("failure %d", i+1))
	}
	fifth := clk.now
	until := fifth.Add(UsernameLockout)

	// The right password from a fresh address is refused too, in any case.
	clk.Advance(time.Second)
	te := wantThrottled(t, signInAs(s, "bob", "bob-password", "198.51.100.99"), false, until)
	if msg := te.Error(); !strings.Contains(msg, "locked until 12:20 UTC") {
		t.Errorf("message %q does not say when the lock ends", msg)
	}
	wantThrottled(t, signInAs(s, "BOB", "bob-password", ""), false, until)
	wantThrottled(t, signInAs(s, "bob", "guess-password", "192.0.2.1"), false, until)
	if n := countRows(t, s, &Session{}, ""); n != sessions {
		t.Fatalf("sessions %d -> %d while bob is locked", sessions, n)
	}

	// Other users, even from bob's addresses, are not affected.
	for i := 1; i <= 5; i++ {
		mustNoErr(t, signInAs(s, "alice", "alice-password", fmt.Sprintf("192.0.2.%d", i)), "alice signs in")
	}

	// Attempts during the lock do not extend it: it ends 15 minutes after the fifth failure.
	clk.Set(until.Add(-time.Second))
	wantThrottled(t, signInAs(s, "bob", "bob-password", "198.51.100.99"), false, until)
	clk.Set(until)
	mustNoErr(t, signInAs(s, "bob", "bob-password", "198.51.100.99"), "bob signs in when the lock ends")
}

func TestSignInSuccessClearsFailures(t *testing.T) {
	s, _, _ := newUserStore(t)
	mustCreateUser(t, s, NewUser{Username: "bob", Role: RoleMember, AccountID: DefaultAccountID, Password: "bob-password"})
	const addr = "192.0.2.10"
	for i := 1; i <= 4; i++ {
		wantBadCredentials(t, signInAs(s, "bob", "typo-password", addr), fmt.Sprintf("first round failure %d", i))
	}
	mustNoErr(t, signInAs(s, "bob", "bob-password", addr), "success after four failures")
	for i := 1; i <= 4; i++ {
		wantBadCredentials(t, signInAs(s, "bob", "typo-password", addr), fmt.Sprintf("second round failure %d", i))
	}
	mustNoErr(t, signInAs(s, "bob", "bob-password", addr), "success after four more failures")

	// The count is live: five failures in a row still lock.
	for i := 1; i <= 5; i++ {
		wantBadCredentials(t, signInAs(s, "bob", "typo-password", addr), fmt.Sprintf("third round failure %d", i))
	}
	wantThrottled(t, signInAs(s, "bob", "bob-password", addr), false, t0.Add(UsernameLockout))
}

func TestSignInThrottlesAnAddress(t *testing.T) {
	s, clk, _ := newUserStore(t)
	for _, n := range []string{"alice", "bob", "carol"} {
		mustCreateUser(t, s, NewUser{Username: n, Role: RoleMember, AccountID: DefaultAccountID, Password: n + "-password"})
	}
	const bad, other = "203.0.113.66", "203.0.113.67"

	// 50 failures, ten seconds apart, each for another user name (one of them real).
	for i := 0; i < MaxFailuresPerAddress; i++ {
		name := fmt.Sprintf("guess%02d", i)
		if i == 17 {
			name = "carol" // she never signs in here, which would clear her failure
		}
		wantBadCredentials(t, signInAs(s, name, "guess-password", bad), fmt.Sprintf("failure %d", i+1))
		clk.Advance(10 * time.Second)
	}
	until := t0.Add(ThrottleWindow) // when the oldest failure leaves the window

	te := wantThrottled(t, signInAs(s, "alice", "alice-password", bad), true, until)
	if !strings.Contains(te.Error(), "network address") {
		t.Errorf("message %q", te.Error())
	}
	wantThrottled(t, signInAs(s, "ALICE", "alice-password", bad), true, until)
	wantThrottled(t, signInAs(s, "guess99", "guess-password", bad), true, until)

	// Another address, and the same users there, are fine; no user name is locked.
	mustNoErr(t, signInAs(s, "alice", "alice-password", other), "alice from another address")
	mustNoErr(t, signInAs(s, "bob", "bob-password", other), "bob from another address")
	mustNoErr(t, signInAs(s, "admin", "admin-password", ""), "admin without an address")

	clk.Set(until.Add(-time.Microsecond))
	wantThrottled(t, signInAs(s, "alice", "alice-password", bad), true, until)
	clk.Set(until)
	mustNoErr(t, signInAs(s, "alice", "alice-password", bad), "alice once the oldest failure is 15 minutes old")
	// Once every failure is 15 minutes old, even failing names are just wrong, not throttled.
	clk.Set(t0.Add(ThrottleWindow + time.Duration(MaxFailuresPerAddress)*10*time.Second))
	wantBadCredentials(t, signInAs(s, "guess01", "guess-password", bad), "a failure after the window")
}

func TestSignInSuccessesFromOneAddressAreNeverLimited(t *testing.T) {
	s, _, _ := newUserStore(t)
	const classroom = "198.51.100.1"
	const students = 40
	for i := 1; i <= students; i++ {
		mustCreateUser(t, s, NewUser{Username: fmt.Sprintf("student%02d", i), Role: RoleMember, AccountID: DefaultAccountID, Password: "student-password"})
	}
	// Two rounds: 80 sign-ins from one address, more than the 50 failures that would stop it.
	for round := 1; round <= 2; round++ {
		for i := 1; i <= students; i++ {
			name := fmt.Sprintf("student%02d", i)
			if err := signInAs(s, name, "student-password", classroom); err != nil {
				t.Fatalf("round %d: %s: %v", round, name, err)
			}
		}
	}
	if n := countRows(t, s, &Session{}, ""); n != 2*students {
		t.Errorf("%d sessions, want %d", n, 2*students)
	}
}

func TestSignInWithOddUserNamesJustFails(t *testing.T) {
	s, _, _ := newUserStore(t)
	mustCreateUser(t, s, NewUser{Username: "bob", Role: RoleMember, AccountID: DefaultAccountID, Password: "bob-password"})
	names := map[string]string{
		"NUL byte":                   "bob\x00",
		"only NUL":                   "\x00",
		"invalid UTF-8":              "b\xffob",
		"lone continuation bytes":    "\x80\x80",
		"10,000 characters":          strings.Repeat("b", 10000),
		"10,000 two-byte characters": strings.Repeat("é", 10000),
		"trailing newline":           "bob\n",
		"SQL":                        "bob' OR '1'='1",
		"LIKE wildcard":              "bo_",
		"percent":                    "%",
	}
	sessions := countRows(t, s, &Session{}, "")
	for what, name := range names {
		t.Run(what, func(t *testing.T) {
			failures := countRows(t, s, &SignInFailure{}, "")
			// bob's own password, so only the name is wrong.
			token, err := s.SignIn(ctx, Credentials{Username: name, Password: "bob-password", Address: "192.0.2.200"})
			if err != ErrBadCredentials || token != "" {
				t.Fatalf("SignIn(%q) = %q, %v; want exactly ErrBadCredentials", what, token, err)
			}
			if n := countRows(t, s, &SignInFailure{}, ""); n != failures+1 {
				t.Errorf("failures %d -> %d; want the attempt counted", failures, n)
			}
		})
	}
	// Odd passwords for a real user are plain failures too.
	for what, pw := range map[string]string{"NUL": "bob-password\x00", "invalid UTF-8": "bob-\xffpassword", "10,000 bytes": strings.Repeat("p", 10000)} {
		if err := signInAs(s, "bob", pw, "192.0.2.201"); err != ErrBadCredentials {
			t.Errorf("password with %s: %v, want exactly ErrBadCredentials", what, err)
		}
	}
	if n := countRows(t, s, &Session{}, ""); n != sessions {
		t.Errorf("sessions %d -> %d after odd sign-ins", sessions, n)
	}

	// Repeated, an odd name is locked like any other, and locking it leaves bob alone. It failed
	// once above already.
	long := names["10,000 characters"]
	for i := 0; i < MaxFailuresPerUsername-1; i++ {
		wantBadCredentials(t, signInAs(s, long, "x", "192.0.2.202"), "long name")
	}
	wantThrottled(t, signInAs(s, long, "x", "192.0.2.203"), false, t0.Add(UsernameLockout))
	mustNoErr(t, signInAs(s, "bob", "bob-password", "192.0.2.200"), "bob signs in")
}
