package models

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"regexp"
	"time"

	"gorm.io/gorm"
)

// Access key error codes, as IAM and the signature check name them.
const (
	CodeLimitExceeded        = "LimitExceeded"
	CodeNoSuchEntity         = "NoSuchEntity"
	CodeEntityAlreadyExists  = "EntityAlreadyExists"
	CodeAccessDenied         = "AccessDenied"
	MaxAccessKeysPerUser     = 2
	accessKeyIDAlphabet      = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretAccessKeyAlphabet  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	secretAccessKeyLength    = 40
	accessKeyIDRandomSymbols = 16
)

var (
	accessKeyIDPattern     = regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`)
	secretAccessKeyPattern = regexp.MustCompile(`^[A-Za-z0-9+/]{40}$`)
)

// AccessKey is an API credential of a console user. The secret is stored encrypted with the
// server's key file, because signature checks need the secret itself, not a hash of it.
type AccessKey struct {
	ID               uint   `gorm:"primaryKey"`
	AccessKeyID      string `gorm:"size:20;not null;uniqueIndex"`
	UserID           uint   `gorm:"not null;index"`
	User             User   `gorm:"constraint:OnDelete:CASCADE"`
	SecretCiphertext []byte `gorm:"not null"`
	CreatedAt        time.Time
	LastUsedAt       *time.Time
}

// TableName keeps the schema explicit.
func (AccessKey) TableName() string { return "access_keys" }

// LoadOrCreateKeyFile returns the 32-byte key that encrypts access key secrets, creating the file
// (readable by its owner only) on first use. Commands call Store.UseKeyFile, which also checks the
// key against the database. Keeping it outside the database means a copy of the
// database alone reveals no secret.
func LoadOrCreateKeyFile(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err == nil {
		if len(key) != 32 {
			return nil, fmt.Errorf("models: key file %s must hold 32 bytes, has %d", path, len(key))
		}
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("models: read key file: %w", err)
	}
	key = make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("models: create key file: %w", err)
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, fmt.Errorf("models: write key file: %w", err)
	}
	return key, f.Close()
}

func (s *Store) sealer() (cipher.AEAD, error) {
	if len(s.SecretKey) != 32 {
		return nil, errors.New("models: no secret key configured for access keys")
	}
	block, err := aes.NewCipher(s.SecretKey)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func (s *Store) seal(keyID, secret string) ([]byte, error) {
	aead, err := s.sealer()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	// The key ID is authenticated data, so a ciphertext moved to another key's row fails to open.
	return aead.Seal(nonce, nonce, []byte(secret), []byte(keyID)), nil
}

func (s *Store) open(keyID string, sealed []byte) (string, error) {
	aead, err := s.sealer()
	if err != nil {
		return "", err
	}
	if len(sealed) < aead.NonceSize() {
		return "", errors.New("models: sealed secret too short")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(keyID))
	if err != nil {
		return "", fmt.Errorf("models: open secret of %s (was the key file replaced?): %w", keyID, err)
	}
	return string(plain), nil
}

func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("models: crypto/rand failed: %v", err))
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// NewAccessKey is a freshly created key pair; the secret is shown once and never again.
type NewAccessKey struct {
	AccessKeyID     string
	SecretAccessKey string
}

// CreateAccessKey gives a user a new key pair (at most two per user, as IAM allows).
func (s *Store) CreateAccessKey(ctx context.Context, userID uint) (NewAccessKey, error) {
	k := NewAccessKey{AccessKeyID: "AKIA" + randomFrom(accessKeyIDAlphabet, accessKeyIDRandomSymbols),
		SecretAccessKey: randomFrom(secretAccessKeyAlphabet, secretAccessKeyLength)}
	return k, wrap("create access key", s.storeAccessKey(ctx, userID, k))
}

// ImportAccessKey stores a key pair given by the operator (for the admin's first key). Importing
// the same pair again changes nothing.
func (s *Store) ImportAccessKey(ctx context.Context, userID uint, k NewAccessKey) error {
	if !accessKeyIDPattern.MatchString(k.AccessKeyID) {
		return fieldError(CodeInvalidParameterValue, "access_key_id", "An access key ID is AKIA followed by 16 characters A-Z or 2-7.")
	}
	if !secretAccessKeyPattern.MatchString(k.SecretAccessKey) {
		return fieldError(CodeInvalidParameterValue, "secret_access_key", "A secret access key is 40 characters A-Z, a-z, 0-9, + or /.")
	}
	user, secret, err := s.LookupAccessKey(ctx, k.AccessKeyID)
	switch {
	case err == nil:
		if user.ID == userID && secret == k.SecretAccessKey {
			return nil
		}
		return fieldError(CodeInvalidParameterValue, "access_key_id", "Access key %s already exists with another secret or user.", k.AccessKeyID)
	case !errors.Is(err, ErrUnknownAccessKey):
		// The key exists but its secret cannot be read (another key file): say so, rather than
		// failing on the duplicate a second insert would be.
		return err
	}
	return wrap("import access key", s.storeAccessKey(ctx, userID, k))
}

func (s *Store) storeAccessKey(ctx context.Context, userID uint, k NewAccessKey) error {
	sealed, err := s.seal(k.AccessKeyID, k.SecretAccessKey)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if tx.Dialector.Name() == "postgres" { // serialize the limit check, as lockScope does
			if err := tx.Exec("SELECT id FROM users WHERE id = ? FOR UPDATE", userID).Error; err != nil {
				return err
			}
		}
		var n int64
		if err := tx.Model(&AccessKey{}).Where("user_id = ?", userID).Count(&n).Error; err != nil {
			return err
		}
		if n >= MaxAccessKeysPerUser {
			return newError(CodeLimitExceeded, "You already have %d access keys, the most allowed. Delete one before creating another.", MaxAccessKeysPerUser)
		}
		return tx.Create(&AccessKey{AccessKeyID: k.AccessKeyID, UserID: userID, SecretCiphertext: sealed}).Error
	})
}

// ListAccessKeys returns a user's keys, oldest first, without secrets.
func (s *Store) ListAccessKeys(ctx context.Context, userID uint) ([]AccessKey, error) {
	var keys []AccessKey
	err := s.db.WithContext(ctx).Omit("SecretCiphertext").Where("user_id = ?", userID).Order("created_at, id").Find(&keys).Error
	return keys, wrap("list access keys", err)
}

// DeleteAccessKey deletes one of the user's own keys; another user's key is reported as missing.
func (s *Store) DeleteAccessKey(ctx context.Context, userID uint, accessKeyID string) error {
	return wrap("delete access key", s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("user_id = ? AND access_key_id = ?", userID, accessKeyID).Delete(&AccessKey{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return newError(CodeNoSuchEntity, "The access key %s does not exist.", accessKeyID)
		}
		return nil
	}))
}

// ErrUnknownAccessKey is returned for an access key ID nobody has.
var ErrUnknownAccessKey = errors.New("models: unknown access key")

// accessKeyUseEvery bounds how often a busy key's last-used time is written: the credentials page
// shows it to the minute, so a stream of API calls costs at most one write a minute per key.
const accessKeyUseEvery = time.Minute

// KeyUse is what a signature check needs of an access key: its user, its secret, and when it was
// last used (nil if never), read in the same query so recording the use needs no second read.
type KeyUse struct {
	User       User
	Secret     string
	LastUsedAt *time.Time
}

// LookupAccessKey returns the user and the secret of an access key, for signature checks.
func (s *Store) LookupAccessKey(ctx context.Context, accessKeyID string) (User, string, error) {
	k, err := s.LookupKeyUse(ctx, accessKeyID)
	return k.User, k.Secret, err
}

// keyUseQuery reads an access key and its user in one statement, scanned by hand: every API call
// runs it, and GORM's join into structs cost several times the query itself.
const keyUseQuery = "SELECT k.secret_ciphertext, k.last_used_at, " + userColumns +
	" FROM access_keys k JOIN users u ON u.id = k.user_id WHERE k.access_key_id = ?"

// LookupKeyUse reads an access key and its user in one query (every API call does this).
func (s *Store) LookupKeyUse(ctx context.Context, accessKeyID string) (KeyUse, error) {
	return s.LookupKeyUseIn(ctx, accessKeyID, "")
}

// keyUseInRegionQuery is keyUseQuery that also reads the version of the user's account in the
// request's region: an API call then checks its scope's version without a statement of its own.
const keyUseInRegionQuery = "SELECT k.secret_ciphertext, k.last_used_at, " + userColumns + ", r.id, r.platform, r.version" +
	" FROM access_keys k JOIN users u ON u.id = k.user_id" +
	" LEFT JOIN region_settings r ON r.account_id = u.account_id AND r.region = ?" +
	" WHERE k.access_key_id = ?"

// LookupKeyUseIn is LookupKeyUse for a call in region: when ctx carries request versions
// (WithRequestVersions), the same statement records the version of the user's account there.
func (s *Store) LookupKeyUseIn(ctx context.Context, accessKeyID, region string) (KeyUse, error) {
	if !accessKeyIDPattern.MatchString(accessKeyID) {
		return KeyUse{}, ErrUnknownAccessKey
	}
	var (
		use      KeyUse
		sealed   []byte
		rowID    sql.NullInt64
		platform sql.NullString
		version  sql.NullInt64
	)
	dest := append([]any{&sealed, &use.LastUsedAt}, userDest(&use.User)...)
	memo := requestVersionsOf(ctx)
	var row *sql.Row
	if memo != nil && region != "" {
		dest = append(dest, &rowID, &platform, &version)
		row = s.db.WithContext(ctx).Raw(keyUseInRegionQuery, region, accessKeyID).Row()
	} else {
		row = s.db.WithContext(ctx).Raw(keyUseQuery, accessKeyID).Row()
	}
	err := row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && use.User.Disabled) {
		// A disabled user's keys stop working at once, and look like any unknown key.
		return KeyUse{}, ErrUnknownAccessKey
	}
	if err != nil {
		return KeyUse{}, wrap("lookup access key", err)
	}
	if use.Secret, err = s.open(accessKeyID, sealed); err != nil {
		return KeyUse{}, err
	}
	if rowID.Valid {
		memo.put(Scope{AccountID: use.User.AccountID, Region: region},
			scopeStamp{key: viewKey{rowID: uint(rowID.Int64), version: version.Int64}, platform: Platform(platform.String)})
	}
	return use, nil
}

// RecordKeyUse records that a key was just used, for the credentials page. lastUsed is the value LookupKeyUse read,
// and nothing is written while it is less than a minute old. The UPDATE repeats the condition, so
// concurrent calls that all read an old value still write once.
func (s *Store) RecordKeyUse(ctx context.Context, accessKeyID string, lastUsed *time.Time) error {
	now := s.now()
	cutoff := now.Add(-accessKeyUseEvery)
	if lastUsed != nil && lastUsed.After(cutoff) {
		return nil
	}
	return wrap("touch access key", s.tx(ctx, func(tx *gorm.DB) error {
		return tx.Model(&AccessKey{}).Where("access_key_id = ? AND (last_used_at IS NULL OR last_used_at <= ?)", accessKeyID, cutoff).
			Update("last_used_at", now).Error
	}))
}
