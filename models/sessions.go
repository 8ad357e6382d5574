package models

import (
	"context"
	"database/sql"
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

// SignedIn is a live session as a page view needs it: its user, the flash waiting for the next
// page and whether a failed form's page waits for the browser, read in one statement, so that a
// view with neither needs no other statement before its own reads.
type SignedIn struct {
	User        User
	sessionID   uint
	flash       Flash
	formChecked bool // the lookup was given the browser's form key
	formWaiting bool
}

// NoFailedForm reports that the session lookup saw no failed form's page waiting for this browser
// (see StashFailedForm), so the page need not look for one.
func (si SignedIn) NoFailedForm() bool { return si.formChecked && !si.formWaiting }

// userColumns are the users columns a session or key lookup reads, in userDest's order.
const userColumns = "u.id, u.username, u.account_id, u.role, u.disabled, u.password_hash, u.created_at, u.last_sign_in_at"

// userDest is where a row's userColumns go.
func userDest(u *User) []any {
	return []any{&u.ID, &u.Username, &u.AccountID, &u.Role, &u.Disabled, &u.PasswordHash, &u.CreatedAt, &u.LastSignInAt}
}

// sessionQuery reads a live session, its pending flash and its user in one statement; a plain
// query scanned by hand, because every console request runs it and GORM's struct mapping with a
// preload was two statements and most of the lookup's time. sessionFormQuery also says whether a
// failed form's page waits for the browser.
const (
	sessionColumns = "SELECT s.id, s.last_seen_at, s.flash_kind, s.flash_text, s.flash_done, " + userColumns
	sessionFrom    = " FROM sessions s JOIN users u ON u.id = s.user_id" +
		" WHERE s.token_hash = ? AND s.expires_at > ? AND s.last_seen_at > ?"
	sessionQuery     = sessionColumns + sessionFrom
	sessionFormQuery = sessionColumns +
		", CASE WHEN EXISTS (SELECT 1 FROM form_stashes f WHERE f.key_hash = ? AND f.expires_at > ?) THEN 1 ELSE 0 END" +
		sessionFrom
)

// Session returns a live session, or ErrNotFound: a session ends at its absolute expiry, after
// SessionIdle without requests, or as soon as its user is disabled.
func (s *Store) Session(ctx context.Context, token string) (SignedIn, error) {
	return s.session(ctx, token, "")
}

// SessionForPage is Session for a page view of the browser whose failed forms are kept under
// formKey (see StashFailedForm): the same statement also says whether one waits.
func (s *Store) SessionForPage(ctx context.Context, token, formKey string) (SignedIn, error) {
	return s.session(ctx, token, formKey)
}

func (s *Store) session(ctx context.Context, token, formKey string) (SignedIn, error) {
	var (
		si       SignedIn
		lastSeen time.Time
		flash    [3]sql.NullString // NULL in sessions made before the flash columns
		waiting  int
	)
	now := s.now()
	dest := append([]any{&si.sessionID, &lastSeen, &flash[0], &flash[1], &flash[2]}, userDest(&si.User)...)
	query, args := sessionQuery, []any{hashToken(token), now, now.Add(-s.sessionIdle())}
	if formKey != "" {
		query, args = sessionFormQuery, append([]any{hashToken(formKey), now}, args...)
		dest = append(dest, &waiting)
	}
	err := s.db.WithContext(ctx).Raw(query, args...).Row().Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && si.User.Disabled) {
		return SignedIn{}, ErrNotFound
	}
	if err != nil {
		return SignedIn{}, wrap("session", err)
	}
	si.flash = Flash{Kind: flash[0].String, Text: flash[1].String, Done: flash[2].String}
	si.formChecked, si.formWaiting = formKey != "", waiting == 1
	if now.Sub(lastSeen) >= sessionTouchEvery {
		err := s.tx(ctx, func(tx *gorm.DB) error {
			return tx.Model(&Session{}).Where("id = ?", si.sessionID).Update("last_seen_at", now).Error
		})
		if err != nil {
			return SignedIn{}, wrap("session", err)
		}
	}
	return si, nil
}

// SessionUser returns the user of a live session, or ErrNotFound (see Session).
func (s *Store) SessionUser(ctx context.Context, token string) (User, error) {
	si, err := s.Session(ctx, token)
	return si.User, err
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
// so it reads first and writes nothing then (see clearFlash).
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
	return s.clearFlash(ctx, sess.ID, Flash{Kind: sess.FlashKind, Text: sess.FlashText, Done: sess.FlashDone})
}

// TakeSessionFlash is TakeFlash for a page view whose Session read the flash already: without one
// it runs no statement at all.
func (s *Store) TakeSessionFlash(ctx context.Context, si SignedIn) (Flash, error) {
	return s.clearFlash(ctx, si.sessionID, si.flash)
}

// clearFlash clears the flash f that was read from session id and returns it, or nothing when
// there was none. Clearing is a conditional UPDATE on the texts read: of two requests taking the
// same flash at once only the one whose UPDATE changed the row shows it, and a flash set between
// the read and the UPDATE is left for the next page.
func (s *Store) clearFlash(ctx context.Context, id uint, f Flash) (Flash, error) {
	if f.Text == "" {
		return Flash{}, nil
	}
	var cleared int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Session{}).
			Where("id = ? AND flash_text <> '' AND flash_text = ? AND flash_kind = ? AND flash_done = ?",
				id, f.Text, f.Kind, f.Done).
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
	return f, nil
}
