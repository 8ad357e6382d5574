package models

import (
	"strings"
	"testing"
)

// An in-progress flash keeps the text it turns into once the work is done, and every text is cut
// to its column's size (PostgreSQL would refuse a longer one), never in the middle of a character.
func TestFlashInProgressKeepsItsDoneText(t *testing.T) {
	s, _ := newAdmin(t)
	a := mustSignIn(t, s, "admin", "admin-password")

	want := Flash{Kind: FlashInProgress, Text: "Authorizing EC2 security group web (owner 123456789012) in sessions.",
		Done: "Authorized EC2 security group web (owner 123456789012) in sessions."}
	mustNoErr(t, s.SetFlash(ctx, a, want), "SetFlash")
	got, err := s.TakeFlash(ctx, a)
	mustNoErr(t, err, "TakeFlash")
	if got != want {
		t.Fatalf("TakeFlash = %+v, want %+v", got, want)
	}
	// A later plain flash does not inherit the done text.
	mustNoErr(t, s.SetFlash(ctx, a, want), "SetFlash in progress")
	mustNoErr(t, s.SetFlash(ctx, a, Flash{Kind: FlashSuccess, Text: "Deleted."}), "SetFlash success")
	if got, _ := s.TakeFlash(ctx, a); got != (Flash{Kind: FlashSuccess, Text: "Deleted."}) {
		t.Fatalf("TakeFlash after a plain flash = %+v, want no done text", got)
	}
	if got, _ := s.TakeFlash(ctx, a); got != (Flash{}) {
		t.Fatalf("TakeFlash twice = %+v, want empty", got)
	}

	long := strings.Repeat("é", 600) // 1200 bytes
	mustNoErr(t, s.SetFlash(ctx, a, Flash{Kind: FlashInProgress, Text: long, Done: "x" + long}), "SetFlash long")
	got, err = s.TakeFlash(ctx, a)
	mustNoErr(t, err, "TakeFlash long")
	if len(got.Text) != 1024 || got.Text != long[:1024] {
		t.Errorf("long text kept %d bytes, want the first 1024", len(got.Text))
	}
	if len(got.Done) != 1023 || got.Done != ("x" + long)[:1023] {
		t.Errorf("long done text kept %d bytes, want 1023 (whole characters only)", len(got.Done))
	}
}
