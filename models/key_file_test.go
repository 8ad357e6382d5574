package models

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKeyFileFingerprint: the first start records the key's fingerprint; the same key opens the
// database again; a lost key file or another key stops the start with a message naming the file,
// and no new key file is made.
func TestKeyFileFingerprint(t *testing.T) {
	s, _, path := openStore(t)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "console.key")

	mustNoErr(t, s.UseKeyFile(ctx, keyFile), "first UseKeyFile")
	key, err := os.ReadFile(keyFile)
	mustNoErr(t, err, "read key file")
	if !bytes.Equal(key, s.SecretKey) || len(key) != 32 {
		t.Fatalf("store key and key file differ")
	}
	if n := countRows(t, s, &Setting{}, "name = ? AND value = ?", keyFingerprintSetting, keyFingerprint(key)); n != 1 {
		t.Fatalf("fingerprint rows = %d, want 1", n)
	}
	if strings.Contains(keyFingerprint(key), string(key)) {
		t.Fatal("the fingerprint contains the key")
	}

	reopen := func() *Store {
		s2, err := Open(path)
		mustNoErr(t, err, "reopen")
		t.Cleanup(func() { s2.Close() })
		return s2
	}
	same := reopen()
	mustNoErr(t, same.UseKeyFile(ctx, keyFile), "UseKeyFile with the same key")

	mustNoErr(t, os.Rename(keyFile, keyFile+".bak"), "move key file away")
	missing := reopen()
	err = missing.UseKeyFile(ctx, keyFile)
	if !errors.Is(err, ErrKeyFileMissing) || !strings.Contains(err.Error(), "Restore "+keyFile) {
		t.Fatalf("UseKeyFile without the file = %v, want ErrKeyFileMissing naming %s", err, keyFile)
	}
	if _, err := os.Stat(keyFile); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a new key file was made: %v", err)
	}
	if len(missing.SecretKey) != 0 {
		t.Fatal("the store got a key anyway")
	}

	other := filepath.Join(dir, "other.key")
	_, err = LoadOrCreateKeyFile(other)
	mustNoErr(t, err, "make another key")
	wrong := reopen()
	err = wrong.UseKeyFile(ctx, other)
	if !errors.Is(err, ErrKeyMismatch) || !strings.Contains(err.Error(), other+" does not match this database") {
		t.Fatalf("UseKeyFile with another key = %v, want ErrKeyMismatch naming %s", err, other)
	}
}

// TestKeyFileFingerprintOfOlderDatabase: a database from before fingerprints takes the key that
// opens its stored secrets (and records it), refuses another, and refuses a missing key file.
func TestKeyFileFingerprintOfOlderDatabase(t *testing.T) {
	s, _ := newStore(t)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "console.key")
	mustNoErr(t, s.UseKeyFile(ctx, keyFile), "UseKeyFile")
	_, _, err := s.EnsureAdmin(ctx, "a-long-enough-password")
	mustNoErr(t, err, "EnsureAdmin")
	admin, err := s.UserByName(ctx, AdminUsername)
	mustNoErr(t, err, "admin")
	_, err = s.CreateAccessKey(ctx, admin.ID)
	mustNoErr(t, err, "CreateAccessKey")
	forget := func() { mustNoErr(t, s.db.Where("1 = 1").Delete(&Setting{}).Error, "forget fingerprint") }

	forget()
	other := filepath.Join(dir, "other.key")
	err = s.UseKeyFile(ctx, other)
	if !errors.Is(err, ErrKeyFileMissing) {
		t.Fatalf("missing key file with stored access keys = %v, want ErrKeyFileMissing", err)
	}
	_, err = LoadOrCreateKeyFile(other)
	mustNoErr(t, err, "make another key")
	if err := s.UseKeyFile(ctx, other); !errors.Is(err, ErrKeyMismatch) {
		t.Fatalf("another key with stored access keys = %v, want ErrKeyMismatch", err)
	}
	if n := countRows(t, s, &Setting{}, ""); n != 0 {
		t.Fatalf("a refused key left %d settings rows", n)
	}
	mustNoErr(t, s.UseKeyFile(ctx, keyFile), "the right key")
	key, _ := os.ReadFile(keyFile)
	if n := countRows(t, s, &Setting{}, "value = ?", keyFingerprint(key)); n != 1 {
		t.Fatalf("fingerprint not recorded for the right key")
	}
}

// TestImportAccessKeyWithUnreadableSecret: importing the admin's key from the environment when the
// stored secret cannot be opened reports that, not a duplicate-key failure.
func TestImportAccessKeyWithUnreadableSecret(t *testing.T) {
	s, _ := newStore(t)
	mustNoErr(t, s.UseKeyFile(ctx, filepath.Join(t.TempDir(), "k")), "UseKeyFile")
	_, _, err := s.EnsureAdmin(ctx, "a-long-enough-password")
	mustNoErr(t, err, "EnsureAdmin")
	admin, err := s.UserByName(ctx, AdminUsername)
	mustNoErr(t, err, "admin")
	k := NewAccessKey{AccessKeyID: "AKIAABCDEFGHIJKLMNOP", SecretAccessKey: strings.Repeat("s", 40)}
	mustNoErr(t, s.ImportAccessKey(ctx, admin.ID, k), "import")
	s.SecretKey = bytes.Repeat([]byte{7}, 32) // another key, as a replaced key file would give
	err = s.ImportAccessKey(ctx, admin.ID, k)
	if err == nil || strings.Contains(strings.ToLower(err.Error()), "duplicate") || !strings.Contains(err.Error(), "key file") {
		t.Fatalf("import with another key = %v, want the unreadable-secret error", err)
	}
}
