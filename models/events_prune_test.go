package models

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// seedEvents bulk-inserts n events of scope, dated evenly from oldest to just before newest, in a
// few statements: one batch of up to 10,000 rows, then the table copied into itself until it holds
// n. Two million rows take seconds this way instead of minutes of single inserts.
func seedEvents(tb testing.TB, s *Store, scope Scope, n int, oldest, newest time.Time) {
	tb.Helper()
	if n == 0 {
		return
	}
	batch := min(n, 10000)
	span := newest.Sub(oldest)
	rows := make([]Event, batch)
	for i := range rows {
		rows[i] = Event{AccountID: scope.AccountID, Region: scope.Region,
			Date:     oldest.Add(span / time.Duration(batch) * time.Duration(i)).Truncate(time.Microsecond), // span*i would overflow
			SourceID: fmt.Sprintf("seed-%d", i), SourceType: SourceCacheSecurityGroup, Message: "Seeded event", Actor: "seed", Via: "console"}
	}
	mustNoErr(tb, s.db.CreateInBatches(rows, 1000).Error, "seed events")
	const cols = "account_id, region, date, source_id, source_type, message, actor, via"
	for have := batch; have < n; {
		add := min(have, n-have)
		err := s.db.Exec("INSERT INTO events ("+cols+") SELECT "+cols+" FROM events ORDER BY id LIMIT ?", add).Error
		mustNoErr(tb, err, "copy events")
		have += add
	}
	if s.db.Dialector.Name() == "sqlite" {
		// Fold the bulk insert's write-ahead log into the database now, as a log grown one write at
		// a time would have been, rather than inside the first timed write.
		mustNoErr(tb, s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error, "checkpoint")
	} else {
		mustNoErr(tb, s.db.Exec("ANALYZE events").Error, "analyze")
	}
}

// The retention rule (README: events reach back 14 days, older ones are pruned) holds with the
// bounded prune: expired events go, in batches, while every event inside the window stays.
func TestEventPruningKeepsRetention(t *testing.T) {
	s, clk := newStore(t)
	now := t0.Add(30 * 24 * time.Hour)
	// 200 expired events (more than one write's batch) and 50 inside the window.
	seedEvents(t, s, scopeUS, 200, now.Add(-EventRetention-10*24*time.Hour), now.Add(-EventRetention-time.Second))
	seedEvents(t, s, scopeUSW, 50, now.Add(-EventRetention+time.Second), now.Add(-time.Hour))
	expired := func() int64 { return countRows(t, s, &Event{}, "date < ?", now.Add(-EventRetention)) }
	if got := expired(); got != 200 {
		t.Fatalf("seeded %d expired events, want 200", got)
	}
	clk.Set(now)

	mustCreate(t, s, alice, "first", "First")
	if got := expired(); got != 200-pruneBatch {
		t.Fatalf("after one write %d expired events remain, want %d (one batch pruned)", got, 200-pruneBatch)
	}
	// Not yet pruned, yet already invisible: reads stop at the retention window.
	page := mustListEvents(t, s, scopeUS, EventQuery{Window: 30 * 24 * time.Hour})
	if len(sourceIDs(page)) != 1 || page.Events[0].SourceID != "first" {
		t.Fatalf("events listed = %v, want only the new one", sourceIDs(page))
	}
	for i := 0; expired() > 0; i++ {
		if i == 10 {
			t.Fatalf("%d expired events remain after 10 writes", expired())
		}
		mustCreate(t, s, alice, fmt.Sprintf("g%d", i), "Group")
	}
	if got := countRows(t, s, &Event{}, "region = ?", scopeUSW.Region); got != 50 {
		t.Fatalf("%d events inside the window remain, want all 50", got)
	}

	// An event exactly at the edge of the window is kept; one microsecond older is pruned.
	clk.Set(now.Add(EventRetention - time.Second))
	mustCreate(t, s, alice, "edge", "Edge")
	if got := countRows(t, s, &Event{}, "source_id = ?", "first"); got != 1 {
		t.Fatalf("event at exactly 14 days minus a second was pruned")
	}
	clk.Set(now.Add(EventRetention + time.Microsecond))
	mustCreate(t, s, alice, "later", "Later")
	if got := countRows(t, s, &Event{}, "source_id = ?", "first"); got != 0 {
		t.Fatalf("event older than 14 days was kept")
	}
}

// benchEventsEnv names the event-log sizes BenchmarkWriteWithEventLog runs besides the empty log
// (a comma-separated list); make bench sets it to 2000000.
const benchEventsEnv = "SGCONSOLE_BENCH_EVENTS"

// BenchmarkWriteWithEventLog times one write (create a cache security group, then delete it: two
// transactions, each recording and pruning events) with an empty event log and with a large one,
// all inside the retention window. Each write must cost about the same whatever the log holds.
func BenchmarkWriteWithEventLog(b *testing.B) {
	sizes := []int{0}
	if v := os.Getenv(benchEventsEnv); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("%s=%q: want a number of events", benchEventsEnv, v)
		}
		sizes = append(sizes, n)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			s, clk := newStore(b)
			now := t0.Add(30 * 24 * time.Hour)
			other := Scope{AccountID: otherAccountID, Region: "us-east-1"}
			seedEvents(b, s, other, n, now.Add(-EventRetention+time.Hour), now)
			clk.Set(now)
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				clk.Advance(time.Millisecond)
				name := fmt.Sprintf("bench-%d", i)
				_, err := s.CreateSecurityGroup(ctx, alice, name, "Bench")
				mustNoErr(b, err, "CreateSecurityGroup")
				mustNoErr(b, s.DeleteSecurityGroup(ctx, alice, name), "DeleteSecurityGroup")
			}
		})
	}
}
