package models

import "testing"

// BenchmarkSessionUser is the lookup every signed-in console request starts with.
func BenchmarkSessionUser(b *testing.B) {
	s, _ := newStore(b)
	_, _, err := s.EnsureAdmin(ctx, "admin-password")
	if err != nil {
		b.Fatal(err)
	}
	token, err := s.SignIn(ctx, Credentials{Username: AdminUsername, Password: "admin-password"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.SessionUser(ctx, token); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookupKeyUse is the lookup every API call starts with (its signature check needs it).
func BenchmarkLookupKeyUse(b *testing.B) {
	s, _ := newStore(b)
	s.SecretKey = make([]byte, 32)
	_, _, err := s.EnsureAdmin(ctx, "admin-password")
	if err != nil {
		b.Fatal(err)
	}
	admin, err := s.UserByName(ctx, AdminUsername)
	if err != nil {
		b.Fatal(err)
	}
	k, err := s.CreateAccessKey(ctx, admin.ID)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.LookupKeyUse(ctx, k.AccessKeyID); err != nil {
			b.Fatal(err)
		}
	}
}
