package models

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

func newKeyStore(t *testing.T) (*Store, User) {
	t.Helper()
	s, _ := newStore(t)
	s.SecretKey = bytes.Repeat([]byte{7}, 32)
	mustNoErr(t, createUser(s, "alice", DefaultAccountID, "alice-password"), "CreateUser")
	u, err := s.UserByName(ctx, "alice")
	mustNoErr(t, err, "UserByName")
	return s, u
}

func TestAccessKeysAreCreatedLookedUpAndLimited(t *testing.T) {
	s, u := newKeyStore(t)
	k, err := s.CreateAccessKey(ctx, u.ID)
	mustNoErr(t, err, "CreateAccessKey")
	if !regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`).MatchString(k.AccessKeyID) {
		t.Errorf("access key ID %q", k.AccessKeyID)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9+/]{40}$`).MatchString(k.SecretAccessKey) {
		t.Errorf("secret %q", k.SecretAccessKey)
	}
	owner, secret, err := s.LookupAccessKey(ctx, k.AccessKeyID)
	mustNoErr(t, err, "LookupAccessKey")
	if owner.ID != u.ID || owner.AccountID != DefaultAccountID || secret != k.SecretAccessKey {
		t.Errorf("lookup = %+v %q", owner, secret)
	}
	if _, _, err := s.LookupAccessKey(ctx, "AKIAAAAAAAAAAAAAAAAA"); !errors.Is(err, ErrUnknownAccessKey) {
		t.Errorf("unknown key: %v", err)
	}

	_, err = s.CreateAccessKey(ctx, u.ID)
	mustNoErr(t, err, "second key")
	_, err = s.CreateAccessKey(ctx, u.ID)
	wantError(t, err, CodeLimitExceeded, "")
	keys, err := s.ListAccessKeys(ctx, u.ID)
	mustNoErr(t, err, "ListAccessKeys")
	if len(keys) != 2 || keys[0].SecretCiphertext != nil {
		t.Errorf("list = %d keys, ciphertext loaded: %v", len(keys), keys[0].SecretCiphertext != nil)
	}
}

func TestAccessKeySecretsAreEncryptedAtRest(t *testing.T) {
	s, u := newKeyStore(t)
	k, err := s.CreateAccessKey(ctx, u.ID)
	mustNoErr(t, err, "CreateAccessKey")
	var row AccessKey
	mustNoErr(t, s.db.Where("access_key_id = ?", k.AccessKeyID).Take(&row).Error, "read row")
	if bytes.Contains(row.SecretCiphertext, []byte(k.SecretAccessKey)) {
		t.Fatal("the secret is stored in clear")
	}
	s.SecretKey = bytes.Repeat([]byte{8}, 32)
	if _, _, err := s.LookupAccessKey(ctx, k.AccessKeyID); err == nil {
		t.Fatal("a different key file opened the secret")
	}
}

func TestDeleteAccessKeyOnlyTouchesTheUsersOwnKeys(t *testing.T) {
	s, alice := newKeyStore(t)
	mustNoErr(t, createUser(s, "bob", DefaultAccountID, "bob-password"), "CreateUser bob")
	bob, _ := s.UserByName(ctx, "bob")
	k, err := s.CreateAccessKey(ctx, alice.ID)
	mustNoErr(t, err, "CreateAccessKey")
	wantError(t, s.DeleteAccessKey(ctx, bob.ID, k.AccessKeyID), CodeNoSuchEntity, "")
	if _, _, err := s.LookupAccessKey(ctx, k.AccessKeyID); err != nil {
		t.Fatalf("bob's delete removed alice's key: %v", err)
	}
	mustNoErr(t, s.DeleteAccessKey(ctx, alice.ID, k.AccessKeyID), "delete own key")
	if _, _, err := s.LookupAccessKey(ctx, k.AccessKeyID); !errors.Is(err, ErrUnknownAccessKey) {
		t.Fatalf("deleted key still works: %v", err)
	}
}

func TestImportAccessKeyIsIdempotentAndValidated(t *testing.T) {
	s, u := newKeyStore(t)
	k := NewAccessKey{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	mustNoErr(t, s.ImportAccessKey(ctx, u.ID, k), "import")
	mustNoErr(t, s.ImportAccessKey(ctx, u.ID, k), "import again")
	if keys, _ := s.ListAccessKeys(ctx, u.ID); len(keys) != 1 {
		t.Fatalf("keys after importing twice = %d", len(keys))
	}
	other := k
	other.SecretAccessKey = "xJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	wantError(t, s.ImportAccessKey(ctx, u.ID, other), CodeInvalidParameterValue, "")
	wantError(t, s.ImportAccessKey(ctx, u.ID, NewAccessKey{AccessKeyID: "AKIA123", SecretAccessKey: k.SecretAccessKey}), CodeInvalidParameterValue, "")
	wantError(t, s.ImportAccessKey(ctx, u.ID, NewAccessKey{AccessKeyID: "AKIAIOSFODNN7EXAMPLF", SecretAccessKey: "short"}), CodeInvalidParameterValue, "")
}

func TestKeyFileIsCreatedPrivateAndReused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db.key")
	first, err := LoadOrCreateKeyFile(path)
	mustNoErr(t, err, "create")
	info, err := os.Stat(path)
	mustNoErr(t, err, "stat")
	if len(first) != 32 || info.Mode().Perm() != 0o600 {
		t.Fatalf("key %d bytes, mode %v", len(first), info.Mode().Perm())
	}
	again, err := LoadOrCreateKeyFile(path)
	mustNoErr(t, err, "reload")
	if !bytes.Equal(first, again) {
		t.Fatal("the key changed on reload")
	}
	mustNoErr(t, os.WriteFile(path, []byte("short"), 0o600), "corrupt")
	if _, err := LoadOrCreateKeyFile(path); err == nil {
		t.Fatal("a 5-byte key file was accepted")
	}
}
