package models

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"
)

// Pool defaults. A PostgreSQL server has max_connections (100 by default) for every client
// together, so one instance takes a fifth of it; several instances divide the server's limit.
const (
	DefaultMaxConns = 20
	DefaultDBWait   = 3 * time.Second
	// RetryAfterSeconds is the Retry-After of a 503 for ErrPoolExhausted: requests hold a
	// connection for milliseconds, so one is likely free again by then.
	RetryAfterSeconds = 2
)

// Options are how a Store uses its database connections.
type Options struct {
	// MaxConns bounds the PostgreSQL connections of this process (0 means DefaultMaxConns).
	MaxConns int
	// Wait is how long a request waits for one of them before it is refused (0 means DefaultDBWait).
	Wait time.Duration
}

// ErrPoolExhausted means the database could not take the work on now: every connection of the
// pool stayed busy for the whole wait, the PostgreSQL server refused a new client (too many
// clients already), or SQLite stayed locked past its busy timeout. Nothing was written; the
// front ends answer 503 with Retry-After, since trying again shortly will likely work.
var ErrPoolExhausted = errors.New("models: the database is busy: every connection is in use")

// busyError is a driver's "busy" error that also counts as ErrPoolExhausted; the driver's own
// message stays in the log.
type busyError struct{ err error }

func (e *busyError) Error() string        { return "models: the database is busy: " + e.err.Error() }
func (e *busyError) Unwrap() error        { return e.err }
func (e *busyError) Is(target error) bool { return target == ErrPoolExhausted }

// isBusy recognises the drivers' "come back later" errors: PostgreSQL's too_many_connections
// (53300) and SQLite's BUSY and LOCKED.
func isBusy(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "53300"
	}
	var liteErr sqlite3.Error
	if errors.As(err, &liteErr) {
		return liteErr.Code == sqlite3.ErrBusy || liteErr.Code == sqlite3.ErrLocked
	}
	return false
}

// busyTranslator wraps a dialector so every error GORM reports passes through isBusy first, in
// one place rather than at each query.
type busyTranslator struct{ gorm.Dialector }

func (d busyTranslator) Translate(err error) error {
	if isBusy(err) {
		return &busyError{err: err}
	}
	if t, ok := d.Dialector.(gorm.ErrorTranslator); ok {
		return t.Translate(err)
	}
	return err
}

// SavePoint and RollbackTo pass through, so nested transactions keep working behind the wrapper.
func (d busyTranslator) SavePoint(tx *gorm.DB, name string) error {
	return d.Dialector.(gorm.SavePointerDialectorInterface).SavePoint(tx, name)
}

func (d busyTranslator) RollbackTo(tx *gorm.DB, name string) error {
	return d.Dialector.(gorm.SavePointerDialectorInterface).RollbackTo(tx, name)
}

// sqliteIdleConns is how many SQLite connections stay open between requests. database/sql keeps
// two by default, so under a few dozen concurrent requests most of them opened a connection (file,
// WAL, pragmas) and closed it again: a third of a cached read's time.
const sqliteIdleConns = 32

// configurePool bounds the PostgreSQL pool and sets up the gate requests wait at. SQLite keeps an
// unbounded pool: it has no server limit, and its writers already queue on the busy timeout.
func (s *Store) configurePool(postgres bool, o Options) error {
	if !postgres {
		sqlDB, err := s.db.DB()
		if err != nil {
			return err
		}
		sqlDB.SetMaxIdleConns(sqliteIdleConns)
		s.idleConns = sqliteIdleConns
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		return nil
	}
	if o.MaxConns <= 0 {
		o.MaxConns = DefaultMaxConns
	}
	if o.Wait <= 0 {
		o.Wait = DefaultDBWait
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	sqlDB.SetMaxOpenConns(o.MaxConns)
	sqlDB.SetMaxIdleConns(o.MaxConns)
	s.idleConns = o.MaxConns
	// Connections are renewed now and then, so a server restart or failover is picked up and
	// idle ones are handed back to a busy server.
	sqlDB.SetConnMaxLifetime(30 * time.Minute)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	s.gate = make(chan struct{}, o.MaxConns)
	s.wait = o.Wait
	return nil
}

// Acquire waits, at most the pool's wait, for a turn at the database, and returns the function
// that ends it. The web server takes one per request, so at most MaxConns requests use the
// database at once and the rest are refused with ErrPoolExhausted instead of piling up on the
// server. Without a bounded pool (SQLite) it never waits.
func (s *Store) Acquire(ctx context.Context) (release func(), err error) {
	if s.gate == nil {
		return func() {}, nil
	}
	select {
	case s.gate <- struct{}{}:
		return func() { <-s.gate }, nil
	default:
	}
	timer := time.NewTimer(s.wait)
	defer timer.Stop()
	select {
	case s.gate <- struct{}{}:
		return func() { <-s.gate }, nil
	case <-timer.C:
		return nil, ErrPoolExhausted
	case <-ctx.Done():
		return nil, errors.Join(ErrPoolExhausted, ctx.Err())
	}
}

// renewIdleConnections closes the pool's idle connections; later requests open new ones.
func (s *Store) renewIdleConnections() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	sqlDB.SetMaxIdleConns(0) // closes every idle connection now
	sqlDB.SetMaxIdleConns(s.idleConns)
	return nil
}
