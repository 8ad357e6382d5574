package api

import (
	"bytes"
	"testing"
)

// The cache answers exactly what the derivation answers, derives once per scope and secret, and a
// different secret under the same scope (a rotated key) gets its own key, never the cached one.
func TestSigningKeyCache(t *testing.T) {
	c := &signingKeyCache{}
	const other = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	want := signingKey(testSecret, "20240102", "us-east-1", "elasticache")
	if got := c.get(testSecret, "20240102", "us-east-1", "elasticache"); !bytes.Equal(got, want) {
		t.Fatalf("cached key %x, want %x", got, want)
	}
	if got := c.get(testSecret, "20240102", "us-east-1", "elasticache"); !bytes.Equal(got, want) || c.len() != 1 {
		t.Fatalf("second get = %x with %d entries, want the same key from one entry", got, c.len())
	}
	rotated := c.get(other, "20240102", "us-east-1", "elasticache")
	if bytes.Equal(rotated, want) || !bytes.Equal(rotated, signingKey(other, "20240102", "us-east-1", "elasticache")) {
		t.Fatalf("a different secret got %x, want its own derivation", rotated)
	}
	for _, scope := range [][3]string{{"20240103", "us-east-1", "elasticache"}, {"20240102", "eu-west-1", "elasticache"}, {"20240102", "us-east-1", "iam"}} {
		got := c.get(testSecret, scope[0], scope[1], scope[2])
		if !bytes.Equal(got, signingKey(testSecret, scope[0], scope[1], scope[2])) || bytes.Equal(got, want) {
			t.Errorf("scope %v: got %x, want its own derivation", scope, got)
		}
	}
}

// A full cache starts over instead of growing without bound.
func TestSigningKeyCacheIsBounded(t *testing.T) {
	c := &signingKeyCache{}
	for i := 0; i < signingKeyCacheMax+10; i++ {
		c.get(testSecret, "20240102", "us-east-1", string(rune('a'+i%26))+string(rune(i)))
	}
	if n := c.len(); n > signingKeyCacheMax {
		t.Fatalf("%d cached keys, want at most %d", n, signingKeyCacheMax)
	}
}
