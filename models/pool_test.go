package models

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

// TestPoolWaitTimeoutIsErrPoolExhausted: with every connection of a bounded pool taken, the next
// request waits --db-wait and gets the sentinel the front ends answer 503 for; a released turn is
// taken again at once.
func TestPoolWaitTimeoutIsErrPoolExhausted(t *testing.T) {
	base := os.Getenv("SGCONSOLE_TEST_POSTGRES")
	if base == "" {
		// SQLite has no server limit: its pool is not bounded and a request never waits.
		s, _, _ := openStore(t)
		for range 3 * DefaultMaxConns {
			if _, err := s.Acquire(ctx); err != nil {
				t.Fatalf("Acquire on SQLite: %v", err)
			}
		}
		return
	}
	s, err := OpenWith(postgresSchema(t, base), Options{MaxConns: 2, Wait: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	release1, err := s.Acquire(ctx)
	mustNoErr(t, err, "first Acquire")
	release2, err := s.Acquire(ctx)
	mustNoErr(t, err, "second Acquire")
	started := time.Now()
	if _, err := s.Acquire(ctx); !errors.Is(err, ErrPoolExhausted) {
		t.Fatalf("third Acquire with 2 connections busy = %v, want ErrPoolExhausted", err)
	}
	if waited := time.Since(started); waited < 50*time.Millisecond {
		t.Fatalf("refused after %v, before the 50ms wait", waited)
	}
	release1()
	release3, err := s.Acquire(ctx)
	mustNoErr(t, err, "Acquire after a release")
	release2()
	release3()
	sqlDB, _ := s.db.DB()
	if got := sqlDB.Stats().MaxOpenConnections; got != 2 {
		t.Fatalf("MaxOpenConnections = %d, want 2", got)
	}
}

// TestBusyDriverErrorsAreErrPoolExhausted: PostgreSQL's "too many clients" (53300) and SQLite's
// BUSY/LOCKED count as the same sentinel, other driver errors do not.
func TestBusyDriverErrorsAreErrPoolExhausted(t *testing.T) {
	d := busyTranslator{}
	for _, err := range []error{
		&pgconn.PgError{Code: "53300", Message: "sorry, too many clients already"},
		sqlite3.Error{Code: sqlite3.ErrBusy},
		sqlite3.Error{Code: sqlite3.ErrLocked},
	} {
		if got := d.Translate(err); !errors.Is(got, ErrPoolExhausted) || !errors.Is(got, err) {
			t.Errorf("Translate(%v) = %v, want ErrPoolExhausted wrapping the driver's error", err, got)
		}
	}
	for _, err := range []error{&pgconn.PgError{Code: "23505"}, sqlite3.Error{Code: sqlite3.ErrConstraint}, errors.New("other")} {
		if errors.Is(d.Translate(err), ErrPoolExhausted) {
			t.Errorf("Translate(%v) counts as ErrPoolExhausted", err)
		}
	}
}

// TestSQLiteLockedIsErrPoolExhausted: a write that finds the SQLite file locked by another process
// past the busy timeout reports ErrPoolExhausted (503), not an unexpected failure (500).
func TestSQLiteLockedIsErrPoolExhausted(t *testing.T) {
	if os.Getenv("SGCONSOLE_TEST_POSTGRES") != "" {
		t.Skip("SQLite locking; PostgreSQL's counterpart is TestPoolWaitTimeoutIsErrPoolExhausted")
	}
	path := filepath.Join(t.TempDir(), "locked.db")
	s2, err := Open(path)
	mustNoErr(t, err, "Open")
	defer s2.Close()
	_, err = s2.EnsureAccount(ctx, DefaultAccountID)
	mustNoErr(t, err, "EnsureAccount")
	// One connection with a short busy timeout, so the test does not wait the default 5 s.
	sqlDB, _ := s2.db.DB()
	sqlDB.SetMaxOpenConns(1)
	mustNoErr(t, s2.db.Exec("PRAGMA busy_timeout = 50").Error, "busy_timeout")
	other, err := sql.Open("sqlite3", "file:"+path+"?_txlock=exclusive")
	mustNoErr(t, err, "open second connection")
	defer other.Close()
	tx, err := other.Begin()
	mustNoErr(t, err, "BEGIN EXCLUSIVE")
	defer tx.Rollback()
	_, err = s2.CreateSecurityGroup(ctx, scopeUS, "locked", "while locked")
	if !errors.Is(err, ErrPoolExhausted) {
		t.Fatalf("create while the file is locked = %v, want ErrPoolExhausted", err)
	}
}
