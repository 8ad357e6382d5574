package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Event source types, as DescribeEvents names them.
const (
	SourceCacheSecurityGroup = "cache-security-group"
	SourceCacheCluster       = "cache-cluster"
)

// EventRetention is how far back events reach; older ones are pruned.
const EventRetention = 14 * 24 * time.Hour

// Event records one change, for the Events page and DescribeEvents. idx_event_date serves pruning,
// which looks across every scope for the oldest events.
type Event struct {
	ID         uint      `gorm:"primaryKey"`
	AccountID  string    `gorm:"size:12;not null;index:idx_event_scope_date"`
	Region     string    `gorm:"size:32;not null;index:idx_event_scope_date"`
	Date       time.Time `gorm:"not null;index:idx_event_scope_date;index:idx_event_date"`
	SourceID   string    `gorm:"size:255;not null"`
	SourceType string    `gorm:"size:32;not null"`
	Message    string    `gorm:"size:1024;not null"`
	Actor      string    `gorm:"size:64"`
	Via        string    `gorm:"size:20"` // "console", or the access key ID of an API call
}

// TableName keeps the schema explicit.
func (Event) TableName() string { return "events" }

// pruneBatch is the most expired events one write deletes. More than the one event a write adds, so
// a backlog (after a long stop, or a clock jump) drains, yet small enough that no write waits on it.
const pruneBatch = 64

// recordEvent writes an event inside the change's own transaction, so a change and its event land
// together or not at all, and prunes events past the retention window.
//
// Pruning is bounded: at most pruneBatch of the oldest expired events, found through idx_event_date,
// so a write costs the same with an empty log or millions of events (an unbounded
// "DELETE ... WHERE date < ?" scanned the whole table on every write). Events not yet pruned are
// already invisible: every read filters on the retention window.
func recordEvent(tx *gorm.DB, scope Scope, now time.Time, sourceType, sourceID, format string, args ...any) error {
	expired := tx.Model(&Event{}).Select("id").Where("date < ?", now.Add(-EventRetention)).Order("date").Limit(pruneBatch)
	if err := tx.Where("id IN (?)", expired).Delete(&Event{}).Error; err != nil {
		return err
	}
	return tx.Create(&Event{AccountID: scope.AccountID, Region: scope.Region, Date: now, SourceID: sourceID,
		SourceType: sourceType, Message: fmt.Sprintf(format, args...), Actor: scope.Actor, Via: scope.Via}).Error
}

// EventQuery selects events, newest first.
type EventQuery struct {
	SourceType string        // "" for all
	SourceID   string        // "" for all
	Window     time.Duration // how far back from now; 0 means the last hour, capped at EventRetention
	Start, End time.Time     // an explicit range instead of Window, when Start is set
	BeforeID   uint          // only events recorded before this one (a DescribeEvents marker)
	Offset     int
	Limit      int
}

// EventPage is one page of events and the number that match.
type EventPage struct {
	Events []Event
	Total  int
}

// ValidSourceType reports whether t is a source type sgconsole records.
func ValidSourceType(t string) bool {
	return t == SourceCacheSecurityGroup || t == SourceCacheCluster || t == SourceCacheSubnetGroup
}

// ListEvents returns the scope's events, newest first.
func (s *Store) ListEvents(ctx context.Context, scope Scope, q EventQuery) (EventPage, error) {
	if q.SourceType != "" && !ValidSourceType(q.SourceType) {
		return EventPage{}, fieldError(CodeInvalidParameterValue, "source_type", "Unknown source type %q.", q.SourceType)
	}
	now := s.now()
	start, end := q.Start, q.End
	if start.IsZero() {
		window := q.Window
		if window <= 0 {
			window = time.Hour
		}
		start, end = now.Add(-window), now
	}
	if end.IsZero() || end.After(now) {
		end = now
	}
	if oldest := now.Add(-EventRetention); start.Before(oldest) {
		start = oldest
	}
	// Times are stored to the microsecond; round the window inwards so PostgreSQL (which rounds a
	// finer parameter to the nearest microsecond) and SQLite agree on the edges.
	if t := start.Truncate(time.Microsecond); t.Before(start) {
		start = t.Add(time.Microsecond)
	}
	end = end.Truncate(time.Microsecond)
	db := s.db.WithContext(ctx).Model(&Event{}).
		Where("account_id = ? AND region = ? AND date >= ? AND date <= ?", scope.AccountID, scope.Region, start, end)
	if q.SourceType != "" {
		db = db.Where("source_type = ?", q.SourceType)
	}
	if q.SourceID != "" {
		db = db.Where("source_id = ?", q.SourceID)
	}
	if q.BeforeID > 0 {
		db = db.Where("id < ?", q.BeforeID)
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return EventPage{}, wrap("count events", err)
	}
	if q.Limit <= 0 {
		q.Limit = 100
	}
	var events []Event
	err := db.Order("date DESC, id DESC").Offset(q.Offset).Limit(q.Limit).Find(&events).Error
	return EventPage{Events: events, Total: int(total)}, wrap("list events", err)
}

// AuditQuery selects events across accounts and regions for the admin's audit view.
type AuditQuery struct {
	AccountID string // "" for every account
	Actor     string // "" for every user; matched ignoring case
	Offset    int
	Limit     int
}

// ListAuditEvents returns events of every account (or the one asked for), newest first.
func (s *Store) ListAuditEvents(ctx context.Context, q AuditQuery) (EventPage, error) {
	db := s.db.WithContext(ctx).Model(&Event{}).Where("date >= ?", s.now().Add(-EventRetention))
	if q.AccountID != "" {
		if !ValidAccountID(q.AccountID) {
			return EventPage{}, fieldError(CodeInvalidParameterValue, "account", "An account ID is 12 digits.")
		}
		db = db.Where("account_id = ?", q.AccountID)
	}
	if q.Actor != "" {
		if ValidateUsername(q.Actor) != nil {
			return EventPage{}, fieldError(CodeInvalidParameterValue, "user", "A user name is 1-64 letters, digits and . _ - @")
		}
		db = db.Where("LOWER(actor) = LOWER(?)", q.Actor)
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return EventPage{}, wrap("count audit events", err)
	}
	if q.Limit <= 0 {
		q.Limit = 50
	}
	var events []Event
	err := db.Order("date DESC, id DESC").Offset(q.Offset).Limit(q.Limit).Find(&events).Error
	return EventPage{Events: events, Total: int(total)}, wrap("list audit events", err)
}
