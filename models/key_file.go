package models

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Setting is one value the database keeps about itself, such as its key's fingerprint.
type Setting struct {
	Name  string `gorm:"primaryKey;size:64"`
	Value string `gorm:"size:255;not null"`
}

// TableName keeps the schema explicit.
func (Setting) TableName() string { return "settings" }

const keyFingerprintSetting = "key_fingerprint"

// Key file failures at start-up. Both stop the start: a new key could never open the secrets the
// database holds, so every API call with an existing key would fail.
var (
	ErrKeyFileMissing = errors.New("models: key file missing")
	ErrKeyMismatch    = errors.New("models: key file does not match the database")
)

// keyFileError says which file to restore; errors.Is still finds the sentinel.
type keyFileError struct {
	sentinel error
	msg      string
}

func (e *keyFileError) Error() string { return e.msg }
func (e *keyFileError) Unwrap() error { return e.sentinel }

// keyFingerprint identifies a key without revealing it: an HMAC of a fixed text under the key, so
// the fingerprint in the database helps nobody guess the key.
func keyFingerprint(key []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("sgconsole access key secrets"))
	return "hmac-sha256:" + hex.EncodeToString(mac.Sum(nil))
}

// UseKeyFile loads the key that encrypts access key secrets from path and makes it the store's.
// On a database that has never seen a key it creates the file (0600) if needed and records the
// key's fingerprint. Afterwards a start without the file, or with another key, stops with an error
// naming the file, instead of silently making a key that cannot open the stored secrets.
func (s *Store) UseKeyFile(ctx context.Context, path string) error {
	key, err := os.ReadFile(path)
	switch {
	case err == nil:
		if len(key) != 32 {
			return fmt.Errorf("the key file %s must hold 32 bytes, has %d: restore the key file this database was created with", path, len(key))
		}
	case errors.Is(err, os.ErrNotExist):
		used, err := s.keyInUse(ctx)
		if err != nil {
			return err
		}
		if used {
			return &keyFileError{ErrKeyFileMissing, fmt.Sprintf("the key file %s is missing, and this database holds access keys encrypted with it. "+
				"Restore %s from a backup (or point --key-file / SGCONSOLE_KEY_FILE at it); sgconsole does not make a new key, which could not open them", path, path)}
		}
		if key, err = LoadOrCreateKeyFile(path); err != nil {
			return err
		}
	default:
		return fmt.Errorf("read key file: %w", err)
	}
	if err := s.checkKeyFingerprint(ctx, key, path); err != nil {
		return err
	}
	s.SecretKey = key
	return nil
}

// keyInUse reports whether the database already depends on a key: a recorded fingerprint, or
// access keys stored before fingerprints were.
func (s *Store) keyInUse(ctx context.Context) (bool, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&Setting{}).Where("name = ?", keyFingerprintSetting).Count(&n).Error; err != nil || n > 0 {
		return n > 0, wrap("check key fingerprint", err)
	}
	err := s.db.WithContext(ctx).Model(&AccessKey{}).Count(&n).Error
	return n > 0, wrap("count access keys", err)
}

// checkKeyFingerprint compares key with the fingerprint recorded in the database, recording it on
// first use. A database from before fingerprints takes the key only if it opens a stored secret.
func (s *Store) checkKeyFingerprint(ctx context.Context, key []byte, path string) error {
	fingerprint := keyFingerprint(key)
	mismatch := &keyFileError{ErrKeyMismatch, fmt.Sprintf("the key file %s does not match this database: its access key secrets were encrypted with another key. "+
		"Restore the key file this database was created with (or point --key-file / SGCONSOLE_KEY_FILE at it)", path)}
	return wrap("record key fingerprint", s.tx(ctx, func(tx *gorm.DB) error {
		var recorded Setting
		err := tx.Where("name = ?", keyFingerprintSetting).Take(&recorded).Error
		if err == nil {
			if !hmac.Equal([]byte(recorded.Value), []byte(fingerprint)) {
				return mismatch
			}
			return nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		var stored []AccessKey
		if err := tx.Limit(1).Find(&stored).Error; err != nil {
			return err
		}
		if len(stored) > 0 {
			check := Store{SecretKey: key}
			if _, err := check.open(stored[0].AccessKeyID, stored[0].SecretCiphertext); err != nil {
				return mismatch
			}
		}
		// Two instances starting at once on a new database: the first fingerprint stays, and the
		// second instance compares with it below.
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&Setting{Name: keyFingerprintSetting, Value: fingerprint}).Error; err != nil {
			return err
		}
		if err := tx.Where("name = ?", keyFingerprintSetting).Take(&recorded).Error; err != nil {
			return err
		}
		if recorded.Value != fingerprint {
			return mismatch
		}
		return nil
	}))
}
