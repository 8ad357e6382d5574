package models

import (
	"context"
	"time"
)

// activityChunk bounds the account IDs of one IN (...) list.
const activityChunk = 400

// LastActivity returns, for each of the accounts that has any, the time of its latest activity:
// the last request of a signed-in session of one of its users, or its newest event (a change
// from the console or the API), whichever is later. Two queries per few hundred accounts,
// whatever their number of sessions and events; accounts without activity are absent.
func (s *Store) LastActivity(ctx context.Context, accountIDs []string) (map[string]time.Time, error) {
	out := make(map[string]time.Time, len(accountIDs))
	later := func(account string, t time.Time) {
		if t.After(out[account]) {
			out[account] = t.UTC()
		}
	}
	db := s.db.WithContext(ctx)
	for start := 0; start < len(accountIDs); start += activityChunk {
		ids := accountIDs[start:min(start+activityChunk, len(accountIDs))]
		// Sessions are few per user (one per sign-in, pruned at expiry): read them all.
		var sessions []struct {
			AccountID  string
			LastSeenAt time.Time
		}
		if err := db.Table("sessions").Select("users.account_id AS account_id, sessions.last_seen_at AS last_seen_at").
			Joins("JOIN users ON users.id = sessions.user_id").Where("users.account_id IN ?", ids).
			Scan(&sessions).Error; err != nil {
			return nil, wrap("last activity", err)
		}
		for _, r := range sessions {
			later(r.AccountID, r.LastSeenAt)
		}
		// Events are many: take each account's newest by ID (events are only ever appended, in
		// time order), so the date is read as the column it is on SQLite and PostgreSQL alike.
		var events []struct {
			AccountID string
			Date      time.Time
		}
		newest := db.Model(&Event{}).Select("MAX(id)").Where("account_id IN ?", ids).Group("account_id")
		if err := db.Model(&Event{}).Select("account_id, date").Where("id IN (?)", newest).Scan(&events).Error; err != nil {
			return nil, wrap("last activity", err)
		}
		for _, r := range events {
			later(r.AccountID, r.Date)
		}
	}
	return out, nil
}
