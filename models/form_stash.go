package models

import (
	"context"
	"errors"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// A failed form submit answers 303 See Other to the page the form was on, so the address bar never
// shows a POST-only URL; the page with the errors and the typed values waits here, keyed to the
// browser, and the next GET of that page shows it once. The table is shared by every instance on
// one database.

// FormStashTTL is how long a failed form's page waits for the browser to follow the redirect.
const FormStashTTL = 5 * time.Minute

// MaxStashedPage bounds one stashed page; a larger page is rendered in place instead.
const MaxStashedPage = 512 << 10

// maxStashedPath is the path column's size.
const maxStashedPath = 2048

// ErrStashTooLarge reports a page larger than MaxStashedPage.
var ErrStashTooLarge = errors.New("models: the page is too large to keep")

// FormStash is one failed form's page, waiting for its browser's next GET of Path.
type FormStash struct {
	ID        uint      `gorm:"primaryKey"`
	KeyHash   string    `gorm:"size:64;not null;uniqueIndex"` // one page per browser: the newest failure wins
	Path      string    `gorm:"size:2048;not null"`           // maxStashedPath
	Status    int       `gorm:"not null"`
	Body      []byte    `gorm:"not null"`
	ExpiresAt time.Time `gorm:"not null;index"`
}

// TableName keeps the schema explicit.
func (FormStash) TableName() string { return "form_stashes" }

// StashFailedForm keeps the page a failed submit rendered (status and HTML) for the browser whose
// secret key is browserKey, until it GETs path. Only a hash of the key is stored. Each browser
// keeps at most one page, and expired pages of every browser are dropped on the way.
func (s *Store) StashFailedForm(ctx context.Context, browserKey, path string, status int, body []byte) error {
	// A path longer than its column (a 2,049-character name in a URL) is kept no more than a
	// body too large: the caller renders the page in place instead, on both engines alike.
	if len(body) > MaxStashedPage || utf8.RuneCountInString(path) > maxStashedPath {
		return ErrStashTooLarge
	}
	if browserKey == "" || path == "" {
		return errors.New("models: a stashed form needs a browser key and a path")
	}
	now := s.now()
	return wrap("stash form", s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("expires_at <= ? OR key_hash = ?", now, hashToken(browserKey)).Delete(&FormStash{}).Error; err != nil {
			return err
		}
		return tx.Create(&FormStash{KeyHash: hashToken(browserKey), Path: path, Status: status, Body: body,
			ExpiresAt: now.Add(FormStashTTL)}).Error
	}))
}

// TakeFailedForm returns, once, the page stashed for this browser and path; ok is false when there
// is none (never stashed, already shown, expired, or stashed for another page). When two requests
// race, only one gets it.
func (s *Store) TakeFailedForm(ctx context.Context, browserKey, path string) (status int, body []byte, ok bool, err error) {
	if browserKey == "" {
		return 0, nil, false, nil
	}
	var st FormStash
	err = s.db.WithContext(ctx).Where("key_hash = ? AND path = ? AND expires_at > ?", hashToken(browserKey), path, s.now()).
		Take(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, nil, false, nil
	}
	if err != nil {
		return 0, nil, false, wrap("take form", err)
	}
	res := s.db.WithContext(ctx).Where("id = ?", st.ID).Delete(&FormStash{})
	if res.Error != nil {
		return 0, nil, false, wrap("take form", res.Error)
	}
	if res.RowsAffected != 1 {
		return 0, nil, false, nil // another request showed it
	}
	return st.Status, st.Body, true, nil
}
