package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// AdminUsername is the user created on an empty database.
const AdminUsername = "admin"

// SessionLifetime is how long a sign-in lasts.
const SessionLifetime = 12 * time.Hour

// User is a console user; every user acts within one account.
type User struct {
	ID           uint   `gorm:"primaryKey"`
	Username     string `gorm:"size:64;not null;uniqueIndex"`
	AccountID    string `gorm:"size:12;not null;index"`
	PasswordHash string `gorm:"size:100;not null"`
	CreatedAt    time.Time
}

// TableName keeps the schema explicit.
func (User) TableName() string { return "users" }

// Session is a signed-in browser. Only a hash of its token is stored, so a copy of the database
// does not hand out live sessions.
type Session struct {
	ID        uint   `gorm:"primaryKey"`
	TokenHash string `gorm:"size:64;not null;uniqueIndex"`
	UserID    uint   `gorm:"not null;index"`
	User      User   `gorm:"constraint:OnDelete:CASCADE"`
	FlashKind string `gorm:"size:16"`
	FlashText string `gorm:"size:1024"`
	ExpiresAt time.Time
	CreatedAt time.Time
}

// TableName keeps the schema explicit.
func (Session) TableName() string { return "sessions" }

// ErrBadCredentials is returned for an unknown user or a wrong password alike.
var ErrBadCredentials = errors.New("models: incorrect username or password")

// dummyHash keeps sign-in of unknown users as slow as of known ones, so timing does not reveal names.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("sgconsole-timing-equaliser"), bcrypt.DefaultCost)

// RandomPassword returns a password suitable for printing once.
func RandomPassword() string {
	return RandomToken(15)
}

// RandomToken returns n random bytes as hex.
func RandomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("models: crypto/rand failed: %v", err)) // the OS has no entropy: nothing is safe
	}
	return hex.EncodeToString(b)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// EnsureAdmin creates the admin user in the default account when there are no users. With an empty
// password it generates one and returns it so it can be shown once.
func (s *Store) EnsureAdmin(ctx context.Context, password string) (created bool, shown string, err error) {
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&User{}).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		if password == "" {
			password = RandomPassword()
			shown = password
		}
		if err := createUser(tx, AdminUsername, DefaultAccountID, password); err != nil {
			return err
		}
		created = true
		return nil
	})
	return created, shown, wrap("ensure admin", err)
}

// CreateUser adds a console user to an account.
func (s *Store) CreateUser(ctx context.Context, username, accountID, password string) error {
	return wrap("create user", s.tx(ctx, func(tx *gorm.DB) error { return createUser(tx, username, accountID, password) }))
}

func createUser(tx *gorm.DB, username, accountID, password string) error {
	if len(password) < 8 {
		return fieldError(CodeInvalidParameterValue, "password", "A password must be at least 8 characters long.")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	return tx.Create(&User{Username: username, AccountID: accountID, PasswordHash: string(hash)}).Error
}

// ResetPassword gives the user a new random password and signs out all of the user's sessions.
func (s *Store) ResetPassword(ctx context.Context, username string) (string, error) {
	password := RandomPassword()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Where("username = ?", username).Take(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("user %q: %w", username, ErrNotFound)
			}
			return err
		}
		if err := tx.Model(&u).Update("password_hash", string(hash)).Error; err != nil {
			return err
		}
		return tx.Where("user_id = ?", u.ID).Delete(&Session{}).Error
	})
	return password, wrap("reset password", err)
}

// SignIn checks the credentials and opens a session, returning its secret token.
func (s *Store) SignIn(ctx context.Context, username, password string) (string, error) {
	var users []User
	if err := s.db.WithContext(ctx).Where("username = ?", username).Limit(1).Find(&users).Error; err != nil {
		return "", wrap("sign in", err)
	}
	if len(users) == 0 {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return "", ErrBadCredentials
	}
	if bcrypt.CompareHashAndPassword([]byte(users[0].PasswordHash), []byte(password)) != nil {
		return "", ErrBadCredentials
	}
	token := RandomToken(32)
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("expires_at < ?", now).Delete(&Session{}).Error; err != nil {
			return err
		}
		return tx.Create(&Session{TokenHash: hashToken(token), UserID: users[0].ID, ExpiresAt: now.Add(SessionLifetime)}).Error
	})
	return token, wrap("sign in", err)
}

// SessionUser returns the user of a live session, or ErrNotFound.
func (s *Store) SessionUser(ctx context.Context, token string) (User, error) {
	var sess Session
	err := s.db.WithContext(ctx).Preload("User").Where("token_hash = ? AND expires_at > ?", hashToken(token), s.now()).Take(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, wrap("session", err)
	}
	return sess.User, nil
}

// SignOut ends a session.
func (s *Store) SignOut(ctx context.Context, token string) error {
	return wrap("sign out", s.tx(ctx, func(tx *gorm.DB) error {
		return tx.Where("token_hash = ?", hashToken(token)).Delete(&Session{}).Error
	}))
}

// Flash is a one-time message shown on the next page a session sees.
type Flash struct {
	Kind string // success, error or info
	Text string
}

// SetFlash stores a message for the session's next page.
func (s *Store) SetFlash(ctx context.Context, token string, f Flash) error {
	return wrap("set flash", s.tx(ctx, func(tx *gorm.DB) error {
		return tx.Model(&Session{}).Where("token_hash = ?", hashToken(token)).
			Updates(map[string]any{"flash_kind": f.Kind, "flash_text": f.Text}).Error
	}))
}

// TakeFlash returns and clears the session's pending message, if any.
func (s *Store) TakeFlash(ctx context.Context, token string) (Flash, error) {
	var f Flash
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var sess Session
		if err := tx.Where("token_hash = ?", hashToken(token)).Take(&sess).Error; err != nil {
			return err
		}
		if sess.FlashText == "" {
			return nil
		}
		f = Flash{Kind: sess.FlashKind, Text: sess.FlashText}
		return tx.Model(&sess).Updates(map[string]any{"flash_kind": "", "flash_text": ""}).Error
	})
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Flash{}, nil
	}
	return f, wrap("take flash", err)
}
