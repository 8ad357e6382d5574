package models

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Sign-in throttling counts failures only, so a classroom behind one address signs in freely.
const (
	ThrottleWindow         = 15 * time.Minute // failures older than this are forgotten
	UsernameLockout        = 15 * time.Minute // how long a user name stays locked
	MaxFailuresPerUsername = 5                // failures within the window that lock a user name
	MaxFailuresPerAddress  = 50               // failures within the window that stop an address
	maxStoredAddressLength = 64
	throttleReasonUsername = "username"
	throttleReasonAddress  = "address"
)

// SignInFailure records one failed sign-in, by hashed user name and client address.
type SignInFailure struct {
	ID          uint      `gorm:"primaryKey"`
	UsernameKey string    `gorm:"size:64;not null;index"`
	Address     string    `gorm:"size:64;not null;index"`
	At          time.Time `gorm:"not null;index"`
}

// TableName keeps the schema explicit.
func (SignInFailure) TableName() string { return "sign_in_failures" }

// SignInLock keeps a user name locked after too many failures, whatever address tries next.
type SignInLock struct {
	UsernameKey string    `gorm:"primaryKey;size:64"`
	LockedUntil time.Time `gorm:"not null"`
}

// TableName keeps the schema explicit.
func (SignInLock) TableName() string { return "sign_in_locks" }

// ThrottledError refuses a sign-in until Until, because of too many failures for the user name or
// from the address (Reason).
type ThrottledError struct {
	Reason string
	Until  time.Time
}

func (e *ThrottledError) Error() string {
	if e.Reason == throttleReasonAddress {
		return "Too many failed sign-ins from your network address. Try again later."
	}
	return fmt.Sprintf("Too many failed sign-ins for this user name. It is locked until %s UTC; try again then.", e.Until.UTC().Format("15:04"))
}

// ByAddress reports whether the address, not the user name, is throttled.
func (e *ThrottledError) ByAddress() bool { return e.Reason == throttleReasonAddress }

// Credentials is one sign-in attempt.
type Credentials struct {
	Username string
	Password string
	Address  string // the client's address, for the per-address limit
}

// SignIn checks the credentials and opens a new session, returning its secret token. It returns
// ErrBadCredentials, ErrUserDisabled or a *ThrottledError when it refuses.
func (s *Store) SignIn(ctx context.Context, c Credentials) (string, error) {
	now := s.now()
	key := usernameKey(c.Username)
	if len(c.Address) > maxStoredAddressLength {
		c.Address = c.Address[:maxStoredAddressLength]
	}
	db := s.db.WithContext(ctx)
	if err := s.throttled(db, key, c.Address, now); err != nil {
		return "", err
	}
	u, err := findUser(db, c.Username)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return "", wrap("sign in", err)
	}
	hash := []byte(u.PasswordHash)
	if u.ID == 0 {
		hash = s.dummyHash()
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(c.Password)) != nil || u.ID == 0 {
		if err := s.recordFailure(ctx, key, c.Address, now); err != nil {
			return "", err
		}
		return "", ErrBadCredentials
	}
	if u.Disabled {
		return "", ErrUserDisabled
	}
	var token string
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if token, err = s.openSession(tx, u, now); err != nil {
			return err
		}
		if err := tx.Where("username_key = ?", key).Delete(&SignInFailure{}).Error; err != nil {
			return err
		}
		return tx.Model(&u).Update("last_sign_in_at", now).Error
	})
	return token, wrap("sign in", err)
}

// throttled refuses a user name that is locked, or an address with too many recent failures.
func (s *Store) throttled(db *gorm.DB, key, address string, now time.Time) error {
	var locks []SignInLock
	if err := db.Where("username_key = ? AND locked_until > ?", key, now).Limit(1).Find(&locks).Error; err != nil {
		return wrap("sign-in lock", err)
	}
	if len(locks) > 0 {
		return &ThrottledError{Reason: throttleReasonUsername, Until: locks[0].LockedUntil}
	}
	if address == "" {
		return nil
	}
	var recent []SignInFailure
	if err := db.Where("address = ? AND at > ?", address, now.Add(-ThrottleWindow)).
		Order("at DESC").Limit(MaxFailuresPerAddress).Find(&recent).Error; err != nil {
		return wrap("sign-in failures", err)
	}
	if len(recent) >= MaxFailuresPerAddress {
		// The address is free again when the oldest of these failures leaves the window.
		return &ThrottledError{Reason: throttleReasonAddress, Until: recent[len(recent)-1].At.Add(ThrottleWindow)}
	}
	return nil
}

// recordFailure stores a failure and locks the user name once it has MaxFailuresPerUsername of
// them within the window; failures past the window are pruned (an index on At keeps that cheap).
func (s *Store) recordFailure(ctx context.Context, key, address string, now time.Time) error {
	return wrap("record sign-in failure", s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("at <= ?", now.Add(-ThrottleWindow)).Delete(&SignInFailure{}).Error; err != nil {
			return err
		}
		if err := tx.Where("locked_until <= ?", now).Delete(&SignInLock{}).Error; err != nil {
			return err
		}
		if err := tx.Create(&SignInFailure{UsernameKey: key, Address: address, At: now}).Error; err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&SignInFailure{}).Where("username_key = ? AND at > ?", key, now.Add(-ThrottleWindow)).Count(&n).Error; err != nil {
			return err
		}
		if n < MaxFailuresPerUsername {
			return nil
		}
		return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "username_key"}}, DoUpdates: clause.AssignmentColumns([]string{"locked_until"})}).
			Create(&SignInLock{UsernameKey: key, LockedUntil: now.Add(UsernameLockout)}).Error
	}))
}

// dummyHashes holds, per bcrypt cost, a hash that unknown user names are checked against, so a
// sign-in takes as long whether the name exists or not.
var dummyHashes sync.Map

func (s *Store) dummyHash() []byte {
	cost := s.PasswordCost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	if h, ok := dummyHashes.Load(cost); ok {
		return h.([]byte)
	}
	h, err := bcrypt.GenerateFromPassword([]byte("sgconsole-timing-equaliser"), cost)
	if err != nil {
		panic(fmt.Sprintf("models: bcrypt: %v", err))
	}
	dummyHashes.Store(cost, h)
	return h
}
