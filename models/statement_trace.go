package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	"gorm.io/gorm"
)

// StatementTrace records the SQL a store sends while it is recording, so benchmarks and tests of
// other packages can report and assert how many statements one request costs (a handler's cost
// outside the database is easy to profile; the number of round trips is not).
type StatementTrace struct {
	mu        sync.Mutex
	recording bool
	sql       []string
}

// TraceStatements starts recording the store's statements into a new trace; call it once per
// store, before serving. Each transaction shows as BEGIN before its statements.
func (s *Store) TraceStatements() (*StatementTrace, error) {
	t := &StatementTrace{recording: true}
	name := "sgconsole:trace:" + RandomToken(4)
	record := func(db *gorm.DB) {
		if !db.DryRun { // GORM runs a subquery's callbacks dry, to build its SQL
			t.add(db.Statement.SQL.String())
		}
	}
	cb := s.db.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register(name, record),
		cb.Row().After("gorm:row").Register(name, record),
		cb.Raw().After("gorm:raw").Register(name, record),
		cb.Create().After("gorm:create").Register(name, record),
		cb.Update().After("gorm:update").Register(name, record),
		cb.Delete().After("gorm:delete").Register(name, record),
	} {
		if err != nil {
			return nil, err
		}
	}
	pool, ok := s.db.Statement.ConnPool.(*sql.DB)
	if !ok {
		return nil, fmt.Errorf("models: trace statements: the connection pool is a %T", s.db.Statement.ConnPool)
	}
	s.db.Statement.ConnPool = tracedPool{DB: pool, trace: t}
	return t, nil
}

// tracedPool is the store's pool, recording each transaction's start as BEGIN.
type tracedPool struct {
	*sql.DB
	trace *StatementTrace
}

func (p tracedPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	p.trace.add("BEGIN")
	return p.DB.BeginTx(ctx, opts)
}

// GetDBConn lets gorm's DB() (Close, Ping) reach the pool behind the wrapper.
func (p tracedPool) GetDBConn() (*sql.DB, error) { return p.DB, nil }

func (t *StatementTrace) add(sql string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.recording {
		t.sql = append(t.sql, sql)
	}
}

// Take returns the statements recorded since the last Take and starts a new list.
func (t *StatementTrace) Take() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := t.sql
	t.sql = nil
	return out
}

// Pause stops recording (a benchmark's setup), Resume starts again.
func (t *StatementTrace) Pause() { t.mu.Lock(); t.recording = false; t.mu.Unlock() }

// Resume starts recording again after Pause.
func (t *StatementTrace) Resume() { t.mu.Lock(); t.recording = true; t.mu.Unlock() }

// Summary is the statements one per line, each cut to its first 120 bytes.
func Summary(sql []string) string {
	var b strings.Builder
	for _, q := range sql {
		if len(q) > 120 {
			q = q[:120] + "..."
		}
		b.WriteString(q)
		b.WriteByte('\n')
	}
	return b.String()
}
