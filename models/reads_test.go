package models

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"
)

// statementCounter counts the statements a store runs, by kind, through GORM callbacks: reads
// (queries and raw rows) and writes (creates, updates, deletes, raw Execs), and the transactions
// it begins (on SQLite every one takes the write lock: _txlock=immediate).
type statementCounter struct{ reads, writes, begins atomic.Int64 }

// beginCounter is the store's connection pool, counting BeginTx.
type beginCounter struct {
	*sql.DB
	begins *atomic.Int64
}

func (p beginCounter) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	p.begins.Add(1)
	return p.DB.BeginTx(ctx, opts)
}

func countStatements(t *testing.T, s *Store) *statementCounter {
	t.Helper()
	c := &statementCounter{}
	pool, ok := s.db.Statement.ConnPool.(*sql.DB)
	if !ok {
		t.Fatalf("connection pool is a %T, want *sql.DB", s.db.Statement.ConnPool)
	}
	s.db.Statement.ConnPool = beginCounter{DB: pool, begins: &c.begins}
	read := func(*gorm.DB) { c.reads.Add(1) }
	write := func(*gorm.DB) { c.writes.Add(1) }
	cb := s.db.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("test:count_query", read),
		cb.Row().After("gorm:row").Register("test:count_row", read),
		cb.Create().After("gorm:create").Register("test:count_create", write),
		cb.Update().After("gorm:update").Register("test:count_update", write),
		cb.Delete().After("gorm:delete").Register("test:count_delete", write),
		cb.Raw().After("gorm:raw").Register("test:count_raw", write),
	} {
		mustNoErr(t, err, "register callback")
	}
	return c
}

func (c *statementCounter) reset() { c.reads.Store(0); c.writes.Store(0); c.begins.Store(0) }

// A page view with no flash (the session check within its minute, then TakeFlash) writes nothing;
// with a flash it writes once, and the next view writes nothing again.
func TestPageViewWithoutFlashWritesNothing(t *testing.T) {
	s, clk := newAdmin(t)
	a := mustSignIn(t, s, "admin", "admin-password")
	c := countStatements(t, s)
	clk.Advance(10 * time.Second)
	view := func() Flash {
		t.Helper()
		_, err := s.SessionUser(ctx, a)
		mustNoErr(t, err, "SessionUser")
		f, err := s.TakeFlash(ctx, a)
		mustNoErr(t, err, "TakeFlash")
		return f
	}
	if f := view(); f != (Flash{}) || c.writes.Load() != 0 || c.begins.Load() != 0 {
		t.Fatalf("page view without a flash: flash %+v, %d write statements, %d transactions, want none", f, c.writes.Load(), c.begins.Load())
	}
	mustNoErr(t, s.SetFlash(ctx, a, Flash{Kind: FlashSuccess, Text: "Created."}), "SetFlash")
	c.reset()
	if f := view(); f.Text != "Created." || c.writes.Load() != 1 || c.begins.Load() != 1 {
		t.Fatalf("page view with a flash: flash %+v, %d write statements, %d transactions, want the flash, 1 and 1", f, c.writes.Load(), c.begins.Load())
	}
	c.reset()
	if f := view(); f != (Flash{}) || c.writes.Load() != 0 || c.begins.Load() != 0 {
		t.Fatalf("next page view: flash %+v, %d write statements, %d transactions, want none", f, c.writes.Load(), c.begins.Load())
	}
}

// Two requests of the same session taking a flash at the same time show it once between them.
func TestFlashIsShownOnceToConcurrentTakers(t *testing.T) {
	s, _ := newAdmin(t)
	a := mustSignIn(t, s, "admin", "admin-password")
	for round := 0; round < 20; round++ {
		mustNoErr(t, s.SetFlash(ctx, a, Flash{Kind: FlashInfo, Text: "Shown once."}), "SetFlash")
		var wg sync.WaitGroup
		var shown atomic.Int64
		start := make(chan struct{})
		for i := 0; i < 2; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				f, err := s.TakeFlash(ctx, a)
				if err != nil {
					t.Errorf("TakeFlash: %v", err)
				}
				if f.Text != "" {
					shown.Add(1)
				}
			}()
		}
		close(start)
		wg.Wait()
		if n := shown.Load(); n != 1 {
			t.Fatalf("round %d: the flash was shown %d times, want once", round, n)
		}
	}
}

// The API's lookup reads the key and its user in one query.
func TestKeyLookupIsOneQuery(t *testing.T) {
	s, u := newKeyStore(t)
	k, err := s.CreateAccessKey(ctx, u.ID)
	mustNoErr(t, err, "CreateAccessKey")
	c := countStatements(t, s)
	use, err := s.LookupKeyUse(ctx, k.AccessKeyID)
	mustNoErr(t, err, "LookupKeyUse")
	if use.User.ID != u.ID || use.User.Username != "alice" || use.Secret != k.SecretAccessKey || use.LastUsedAt != nil {
		t.Fatalf("LookupKeyUse = %+v", use)
	}
	if n := c.reads.Load() + c.writes.Load(); n != 1 {
		t.Fatalf("LookupKeyUse ran %d statements, want 1", n)
	}
}

// 100 API calls within a minute record the key's last use once; a call a minute after that
// record writes it again, and the credentials page shows each time.
func TestKeyLastUsedIsWrittenAtMostOnceAMinute(t *testing.T) {
	s, u := newKeyStore(t)
	clk := &testClock{now: t0}
	s.Now = clk.Now
	k, err := s.CreateAccessKey(ctx, u.ID)
	mustNoErr(t, err, "CreateAccessKey")
	c := countStatements(t, s)
	call := func() {
		t.Helper()
		use, err := s.LookupKeyUse(ctx, k.AccessKeyID)
		mustNoErr(t, err, "LookupKeyUse")
		mustNoErr(t, s.RecordKeyUse(ctx, k.AccessKeyID, use.LastUsedAt), "RecordKeyUse")
	}
	lastUsed := func() time.Time {
		t.Helper()
		keys, err := s.ListAccessKeys(ctx, u.ID)
		mustNoErr(t, err, "ListAccessKeys")
		if len(keys) != 1 || keys[0].LastUsedAt == nil {
			t.Fatalf("keys = %+v, want one used key", keys)
		}
		return keys[0].LastUsedAt.UTC()
	}
	first := clk.Now()
	for i := 0; i < 100; i++ {
		call()
		clk.Advance(500 * time.Millisecond) // the 100 calls span 50 seconds
	}
	if n := c.writes.Load(); n != 1 {
		t.Fatalf("100 calls within a minute ran %d write statements, want 1", n)
	}
	if got := lastUsed(); !got.Equal(first) {
		t.Fatalf("last used %v, want the first call's %v", got, first)
	}
	clk.Set(first.Add(time.Minute))
	call()
	if n := c.writes.Load(); n != 2 {
		t.Fatalf("a call a minute later: %d write statements in all, want 2", n)
	}
	if got := lastUsed(); !got.Equal(first.Add(time.Minute)) {
		t.Fatalf("last used %v, want %v", got, first.Add(time.Minute))
	}
	// Calls that all read the old value (concurrent requests) write once: the UPDATE repeats the
	// condition, so the second one finds a fresh value and leaves it.
	stale := first.Add(time.Minute)
	clk.Advance(2 * time.Minute)
	recorded := clk.Now()
	mustNoErr(t, s.RecordKeyUse(ctx, k.AccessKeyID, &stale), "RecordKeyUse stale")
	clk.Advance(time.Second)
	mustNoErr(t, s.RecordKeyUse(ctx, k.AccessKeyID, &stale), "RecordKeyUse stale again")
	if got := lastUsed(); !got.Equal(recorded) {
		t.Fatalf("after two records from the same stale read: last used %v, want the first's %v", got, recorded)
	}
}
