package models

import (
	"errors"
	"strings"
	"testing"
)

// TestFormStash: a failed form's page is shown once, only to its browser and only on its page,
// until it expires; a newer failure replaces the browser's older one; oversized pages are refused.
func TestFormStash(t *testing.T) {
	s, clk, _ := openStore(t)
	const alice, bob = "alice-browser-key", "bob-browser-key"
	page := []byte("<p>Enter a name of 1 to 255 letters</p>")

	if err := s.StashFailedForm(ctx, alice, "/security-groups/new?region=us-east-1", 422, page); err != nil {
		t.Fatal(err)
	}
	// Another browser, or the same browser on another page, gets nothing.
	if _, _, ok, err := s.TakeFailedForm(ctx, bob, "/security-groups/new?region=us-east-1"); ok || err != nil {
		t.Fatalf("another browser took it: %v %v", ok, err)
	}
	if _, _, ok, err := s.TakeFailedForm(ctx, alice, "/security-groups/new?region=us-west-2"); ok || err != nil {
		t.Fatalf("another page took it: %v %v", ok, err)
	}
	status, body, ok, err := s.TakeFailedForm(ctx, alice, "/security-groups/new?region=us-east-1")
	if err != nil || !ok || status != 422 || string(body) != string(page) {
		t.Fatalf("take = %d %q %v %v", status, body, ok, err)
	}
	// Once only: a reload gets the fresh page.
	if _, _, ok, _ := s.TakeFailedForm(ctx, alice, "/security-groups/new?region=us-east-1"); ok {
		t.Fatal("taken twice")
	}

	// The newest failure replaces the older one of the same browser; other browsers keep theirs.
	stashMust(t, s.StashFailedForm(ctx, alice, "/clusters/new", 422, []byte("old")))
	stashMust(t, s.StashFailedForm(ctx, bob, "/login", 401, []byte("bob's")))
	stashMust(t, s.StashFailedForm(ctx, alice, "/users/new", 422, []byte("new")))
	if _, _, ok, _ := s.TakeFailedForm(ctx, alice, "/clusters/new"); ok {
		t.Fatal("the replaced page was still there")
	}
	if _, body, ok, _ := s.TakeFailedForm(ctx, alice, "/users/new"); !ok || string(body) != "new" {
		t.Fatalf("newest = %q %v", body, ok)
	}

	// Expired pages are never shown and are dropped by the next stash of anyone.
	clk.Advance(FormStashTTL)
	if _, _, ok, _ := s.TakeFailedForm(ctx, bob, "/login"); ok {
		t.Fatal("an expired page was shown")
	}
	stashMust(t, s.StashFailedForm(ctx, alice, "/settings", 422, []byte("x")))
	var n int64
	if err := s.db.Model(&FormStash{}).Count(&n).Error; err != nil || n != 1 {
		t.Fatalf("rows after expiry = %d %v, want 1 (bob's expired page dropped)", n, err)
	}
	// Keys are stored hashed, never as sent.
	var row FormStash
	stashMust(t, s.db.Take(&row).Error)
	if row.KeyHash == alice || strings.Contains(row.KeyHash, "alice") {
		t.Fatalf("key stored in clear: %q", row.KeyHash)
	}

	// Bounded size.
	big := []byte(strings.Repeat("x", MaxStashedPage+1))
	if err := s.StashFailedForm(ctx, alice, "/x", 422, big); !errors.Is(err, ErrStashTooLarge) {
		t.Fatalf("oversized page: %v", err)
	}
}

func stashMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestFormStashAcrossInstances: the instance that answers the GET need not be the one that took
// the POST, and of two instances racing for the same page only one shows it.
func TestFormStashAcrossInstances(t *testing.T) {
	a, clk, path := openStore(t)
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	b.Now = clk.Now
	stashMust(t, a.StashFailedForm(ctx, "key", "/clusters/new", 422, []byte("page")))
	type result struct {
		ok  bool
		err error
	}
	results := make(chan result, 2)
	for _, s := range []*Store{a, b} {
		go func(s *Store) {
			_, _, ok, err := s.TakeFailedForm(ctx, "key", "/clusters/new")
			results <- result{ok, err}
		}(s)
	}
	shown := 0
	for range 2 {
		r := <-results
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.ok {
			shown++
		}
	}
	if shown != 1 {
		t.Fatalf("the page was shown %d times, want once", shown)
	}
}
