package models

import (
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// TestLastActivity: an account's last activity is its newest session request or event, whichever
// is later; accounts without either are absent, and other accounts' activity never counts.
func TestLastActivity(t *testing.T) {
	s, clk := newStore(t)
	s.PasswordCost = bcrypt.MinCost
	const quiet, busy, other = "111111111111", "222222222222", "333333333333"
	for _, u := range []NewUser{
		{Username: "quiet", Role: RoleMember, AccountID: quiet, Password: "quiet-password-1"},
		{Username: "busy", Role: RoleMember, AccountID: busy, Password: "busy-password-12"},
		{Username: "other", Role: RoleMember, AccountID: other, Password: "other-password-1"},
	} {
		if _, err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.LastActivity(ctx, []string{quiet, busy})
	if err != nil || len(got) != 0 {
		t.Fatalf("before anything: %v %v", got, err)
	}

	// busy signs in at t0, then changes something 3 minutes later.
	if _, err := s.SignIn(ctx, Credentials{Username: "busy", Password: "busy-password-12"}); err != nil {
		t.Fatal(err)
	}
	got, err = s.LastActivity(ctx, []string{quiet, busy})
	if err != nil || !got[busy].Equal(t0) || len(got) != 1 {
		t.Fatalf("after busy's sign-in: %v %v", got, err)
	}
	clk.Advance(3 * time.Minute)
	if _, err := s.CreateSecurityGroup(ctx, Scope{AccountID: busy, Region: "us-east-1", Actor: "busy"}, "g", "d"); err != nil {
		t.Fatal(err)
	}
	// other is busier still, later: it must not leak into busy's time.
	clk.Advance(time.Minute)
	if _, err := s.CreateSecurityGroup(ctx, Scope{AccountID: other, Region: "us-east-1", Actor: "other"}, "g", "d"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignIn(ctx, Credentials{Username: "other", Password: "other-password-1"}); err != nil {
		t.Fatal(err)
	}
	got, err = s.LastActivity(ctx, []string{quiet, busy})
	if err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(3 * time.Minute); !got[busy].Equal(want) {
		t.Errorf("busy: %v, want its event at %v", got[busy], want)
	}
	if _, ok := got[quiet]; ok || len(got) != 1 {
		t.Errorf("activity %v, want busy only", got)
	}
	// A later session request counts over the event.
	clk.Advance(10 * time.Minute)
	token, err := s.SignIn(ctx, Credentials{Username: "busy", Password: "busy-password-12"})
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(5 * time.Minute)
	if _, err := s.SessionUser(ctx, token); err != nil {
		t.Fatal(err)
	}
	got, err = s.LastActivity(ctx, []string{busy, other})
	if err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(19 * time.Minute); !got[busy].Equal(want) {
		t.Errorf("busy after a request: %v, want %v", got[busy], want)
	}
	if want := t0.Add(4 * time.Minute); !got[other].Equal(want) {
		t.Errorf("other: %v, want %v", got[other], want)
	}
}
