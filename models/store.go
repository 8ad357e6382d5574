// Package models holds sgconsole's domain rules and persistence. Both the console and the
// AWS-compatible API call it, so validation, state and quotas are decided only here.
package models

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DefaultPropagationDelay is how long an authorization or revocation stays pending.
const DefaultPropagationDelay = 10 * time.Second

// Store is the single entry point to sgconsole's data.
type Store struct {
	db *gorm.DB
	// Now is the clock every status is derived from; tests replace it to move time without sleeping.
	Now func() time.Time
	// PropagationDelay is how long authorizing and revoking last.
	PropagationDelay time.Duration
	// SecretKey (32 bytes) encrypts access key secrets at rest; see LoadOrCreateKeyFile.
	SecretKey []byte
	// SessionIdle signs a browser out after this long without a request.
	SessionIdle time.Duration
	// PasswordCost is the bcrypt cost of new password hashes; 0 means bcrypt.DefaultCost.
	PasswordCost int
	// gate holds one token per request using the database (see Acquire); nil on SQLite.
	gate chan struct{}
	// idleConns is how many idle connections the pool keeps (see configurePool).
	idleConns int
	wait      time.Duration
	// views holds the read model of the scopes read lately (see scopeView).
	views *viewCache
	// writer is SQLite's one write turn in this process (nil on PostgreSQL), see tx.
	writer chan struct{}
}

// IsPostgres reports whether a --db value names a PostgreSQL database rather than a SQLite file.
func IsPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Open opens (creating if needed) the SQLite database file at db, or the PostgreSQL database of a
// postgres:// URL, and brings its schema up to date.
func Open(db string) (*Store, error) { return open(db, "rwc", Options{}) }

// OpenWith is Open with the connection pool's bounds (serve's --db-max-conns and --db-wait).
func OpenWith(db string, o Options) (*Store, error) { return open(db, "rwc", o) }

// OpenExisting is Open for commands that manage what a database already holds: a SQLite file that
// does not exist is an error (mode=rw), never a new empty database.
func OpenExisting(db string) (*Store, error) { return open(db, "rw", Options{}) }

func open(db, mode string, o Options) (*Store, error) {
	dialector := postgres.Open(db)
	var created bool
	if !IsPostgres(db) {
		if mode == "rwc" {
			var err error
			if created, err = createPrivate(db); err != nil {
				return nil, err
			}
		}
		// Pragmas go in the DSN so every pooled connection gets them; _txlock=immediate takes the
		// write lock at BEGIN, so two writers queue on busy_timeout instead of failing mid-transaction.
		dialector = sqlite.Open(SQLiteDSN(db, mode))
	}
	gdb, err := gorm.Open(busyTranslator{dialector}, &gorm.Config{
		TranslateError: true,
		Logger:         logger.Default.LogMode(logger.Silent),
		NowFunc:        func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("models: open database: %w", err)
	}
	s := &Store{db: gdb, Now: func() time.Time { return time.Now().UTC() }, PropagationDelay: DefaultPropagationDelay, SessionIdle: DefaultSessionIdle,
		views: newViewCache(maxCachedViews)}
	if !IsPostgres(db) {
		s.writer = make(chan struct{}, 1)
	}
	if err := s.configurePool(IsPostgres(db), o); err != nil {
		_ = s.Close()
		return nil, err
	}
	applied, err := s.migrate()
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	if applied && IsPostgres(db) {
		// A connection that ran the migrations keeps server-side prepared statements planned for
		// the tables before their last change: reused, "SELECT * FROM cache_clusters" would fail
		// with "cached plan must not change result type". Requests get fresh connections.
		if err := s.renewIdleConnections(); err != nil {
			_ = s.Close()
			return nil, err
		}
	}
	if created {
		// SQLite gives -wal and -shm the database file's mode; this makes sure of it.
		for _, f := range []string{db + "-wal", db + "-shm"} {
			if err := os.Chmod(f, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
				_ = s.Close()
				return nil, fmt.Errorf("models: %w", err)
			}
		}
	}
	return s, nil
}

// SQLiteDSN is the data source every connection to a SQLite file is opened with (mode rw or rwc).
// WAL with synchronous=FULL syncs the log on every commit, so a write is durable when it is
// answered (NORMAL would only sync at checkpoints: a power cut could take back the last commits).
func SQLiteDSN(path, mode string) string {
	return "file:" + path + "?mode=" + mode + "&_journal_mode=WAL&_synchronous=FULL&_busy_timeout=" +
		strconv.Itoa(int(sqliteBusyTimeout/time.Millisecond)) + "&_foreign_keys=on&_txlock=immediate"
}

// sqliteBusyTimeout is how long a SQLite write waits for its turn before the request is answered busy.
const sqliteBusyTimeout = 5 * time.Second

// createPrivate creates a new SQLite database file readable by its owner only (0600 whatever the
// umask), before SQLite opens it: the file holds password hashes and sessions. An existing file
// is left as it is. It reports whether it created the file.
func createPrivate(path string) (bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("models: create database file: %w", err)
	}
	if err := f.Close(); err != nil {
		return false, err
	}
	// The umask can only take bits away from 0600; Chmod makes it exact anyway.
	return true, os.Chmod(path, 0o600)
}

// Close releases the database.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	err = sqlDB.PingContext(ctx)
	if isBusy(err) { // not through GORM, so translated here: a busy server is a 503, not a 500
		return &busyError{err: err}
	}
	return err
}

// now is truncated to microseconds, the precision PostgreSQL stores, so a status derived from a
// stored time is the same on both databases.
func (s *Store) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// tx runs fn in one transaction: every write in sgconsole goes through here.
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if memo := requestVersionsOf(ctx); memo != nil {
		defer memo.forget() // the request's next read sees what it wrote
	}
	if s.writer != nil {
		// SQLite has one writer at a time. Writers of this process queue here, in turn, instead of
		// in SQLite's busy handler, which sleeps and retries: under 16 concurrent writers that put
		// p99 over a second and halved the writes per second. Other processes on the same file
		// still queue on the busy timeout.
		wait := time.NewTimer(sqliteBusyTimeout)
		defer wait.Stop()
		select {
		case s.writer <- struct{}{}:
			defer func() { <-s.writer }()
		case <-ctx.Done():
			return ctx.Err()
		case <-wait.C:
			return &busyError{err: errors.New("waited " + sqliteBusyTimeout.String() + " for a write turn")}
		}
	}
	return s.db.WithContext(ctx).Transaction(fn)
}

// lockScope starts every write of one account and region: it serializes the scope's writers (SQLite
// already allows one writer at a time, _txlock=immediate; PostgreSQL needs the row lock, or two
// concurrent creates could both pass a quota check) and moves the scope to a new version, so no
// instance serves its old view again (see bumpScope).
func lockScope(tx *gorm.DB, scope Scope) error { return bumpScope(tx, scope) }
