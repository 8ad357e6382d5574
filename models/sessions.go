package models

import (
	"context"
	"errors"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// SessionLifetime is the longest a sign-in lasts, however busy the browser is.
const SessionLifetime = 24 * time.Hour

// DefaultSessionIdle signs a browser out after this long without a request.
const DefaultSessionIdle = 8 * time.Hour

// sessionTouchEvery bounds how often a busy session's last-seen time is written.
const sessionTouchEvery = time.Minute

// Session is a signed-in browser. Only a hash of its token is stored, so a copy of the database
// does not hand out live sessions.
type Session struct {
	ID         uint   `gorm:"primaryKey"`
	TokenHash  string `gorm:"size:64;not null;uniqueIndex"`
	UserID     uint   `gorm:"not null;index"`
	User       User   `gorm:"constraint:OnDelete:CASCADE"`
	FlashKind  string `gorm:"size:16"`
	FlashText  string `gorm:"size:1024"`
	FlashDone  string `gorm:"size:1024"` // an in-progress flash's text once the work is done
	ExpiresAt  time.Time
	LastSeenAt time.Time
	CreatedAt  time.Time
}

// TableName keeps the schema explicit.
func (Session) TableName() string { return "sessions" }

func (s *Store) sessionIdle() time.Duration {
	if s.SessionIdle > 0 {
		return s.SessionIdle
	}
	return DefaultSessionIdle
}

// openSession starts a new session (a new ID at every sign-in) and returns its secret token.
func (s *Store) openSession(tx *gorm.DB, u User, now time.Time) (string, error) {
	if err := tx.Where("expires_at <= ? OR last_seen_at <= ?", now, now.Add(-s.sessionIdle())).Delete(&Session{}).Error; err != nil {
		return "", err
	}
	token := RandomToken(32)
	err := tx.Create(&Session{TokenHash: hashToken(token), UserID: u.ID, ExpiresAt: now.Add(SessionLifetime), LastSeenAt: now, CreatedAt: now}).Error
	return token, err
}

// SessionUser returns the user of a live session, or ErrNotFound: a session ends at its absolute
// expiry, after SessionIdle without requests, or as soon as its user is disabled.
func (s *Store) SessionUser(ctx context.Context, token string) (User, error) {
	var sess Session
	now := s.now()
	err := s.db.WithContext(ctx).Preload("User").
		Where("token_hash = ? AND expires_at > ? AND last_seen_at > ?", hashToken(token), now, now.Add(-s.sessionIdle())).Take(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && sess.User.Disabled) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, wrap("session", err)
	}
	if now.Sub(sess.LastSeenAt) >= sessionTouchEvery {
		err := s.tx(ctx, func(tx *gorm.DB) error {
			return tx.Model(&Session{}).Where("id = ?", sess.ID).Update("last_seen_at", now).Error
		})
		if err != nil {
			return User{}, wrap("session", err)
		}
	}
	return sess.User, nil
}

// SignOut ends a session on the server.
func (s *Store) SignOut(ctx context.Context, token string) error {
	return wrap("sign out", s.tx(ctx, func(tx *gorm.DB) error {
		return tx.Where("token_hash = ?", hashToken(token)).Delete(&Session{}).Error
	}))
}

// Flash kinds. An in-progress flash (a change that takes effect after the propagation delay) turns
// into a success flash with its Done text once the page sees nothing pending any more.
const (
	FlashSuccess    = "success"
	FlashError      = "error"
	FlashInfo       = "info"
	FlashInProgress = "in-progress"
)

// flashTextMax bounds a flash's stored texts (the columns' size).
const flashTextMax = 1024

// Flash is a one-time message shown on the next page a session sees.
type Flash struct {
	Kind string // success, error, info or in-progress
	Text string
	Done string // in-progress only: the success text shown once the work has settled
}

// clipText cuts s to at most n bytes without splitting a UTF-8 character.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// SetFlash stores a message for the session's next page; texts longer than the columns are cut.
func (s *Store) SetFlash(ctx context.Context, token string, f Flash) error {
	return wrap("set flash", s.tx(ctx, func(tx *gorm.DB) error {
		return tx.Model(&Session{}).Where("token_hash = ?", hashToken(token)).
			Updates(map[string]any{"flash_kind": clipText(f.Kind, 16), "flash_text": clipText(f.Text, flashTextMax),
				"flash_done": clipText(f.Done, flashTextMax)}).Error
	}))
}

// TakeFlash returns and clears the session's pending message, if any. Most page views have none,
// so it reads first and writes nothing then. Clearing is a conditional UPDATE on the texts just read:
// of two requests taking the same flash at once only the one whose UPDATE changed the row shows it,
// and a flash set between the read and the UPDATE is left for the next page.
func (s *Store) TakeFlash(ctx context.Context, token string) (Flash, error) {
	var sess Session
	err := s.db.WithContext(ctx).Select("id", "flash_kind", "flash_text", "flash_done").
		Where("token_hash = ?", hashToken(token)).Take(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Flash{}, nil
	}
	if err != nil {
		return Flash{}, wrap("take flash", err)
	}
	if sess.FlashText == "" {
		return Flash{}, nil
	}
	var cleared int64
	err = s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Session{}).
			Where("id = ? AND flash_text <> '' AND flash_text = ? AND flash_kind = ? AND flash_done = ?",
				sess.ID, sess.FlashText, sess.FlashKind, sess.FlashDone).
			Updates(map[string]any{"flash_kind": "", "flash_text": "", "flash_done": ""})
		cleared = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return Flash{}, wrap("take flash", err)
	}
	if cleared == 0 {
		return Flash{}, nil // another request showed it first
	}
	return Flash{Kind: sess.FlashKind, Text: sess.FlashText, Done: sess.FlashDone}, nil
}
