package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers "sqlite3" for the bulk inserts

	"sgconsole/models"
)

// backend is one database the benchmark runs on: what serve's --db gets, how the seeder reaches
// the same database with plain SQL, and how to throw it away.
type backend struct {
	name      string   // "SQLite" or "PostgreSQL", as the table shows it
	db        string   // serve --db and models.Open
	driver    string   // database/sql driver of the bulk inserts
	sqlDSN    string   // its DSN
	keyFile   string   // serve --key-file
	serveArgs []string // more serve flags
	cleanup   func() error
}

// placeholder is the n-th (1-based) bind parameter in this backend's SQL.
func (b *backend) placeholder(n int) string {
	if b.driver == "pgx" {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// sqliteBackend is a new database file in dir. The seeder's connection uses the pragmas of
// models.Open's DSN (models/store.go), so what it reports of synchronous is what the server runs.
func sqliteBackend(dir string) (*backend, error) {
	path := filepath.Join(dir, "bench.db")
	return &backend{
		name:    "SQLite",
		db:      path,
		driver:  "sqlite3",
		sqlDSN:  models.SQLiteDSN(path, "rw"),
		keyFile: filepath.Join(dir, "sqlite.key"),
		cleanup: func() error { return nil },
	}, nil
}

// postgresBackend creates sgc_bench_<pid> from the database adminURL names and returns it with a
// clean-up that drops it (forcing out connections a killed server left). Databases of earlier runs
// whose process no longer exists are dropped first.
func postgresBackend(ctx context.Context, adminURL, dir string, maxConns int) (*backend, error) {
	admin, err := sql.Open("pgx", adminURL)
	if err != nil {
		return nil, err
	}
	admin.SetMaxOpenConns(1)
	dropStaleDatabases(ctx, admin)
	name := fmt.Sprintf("sgc_bench_%d", os.Getpid())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return nil, fmt.Errorf("create PostgreSQL database %s through %s: %w", name, redact(adminURL), err)
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		admin.Close()
		return nil, err
	}
	u.Path = "/" + name
	return &backend{
		name:      "PostgreSQL",
		db:        u.String(),
		driver:    "pgx",
		sqlDSN:    u.String(),
		keyFile:   filepath.Join(dir, "pg.key"),
		serveArgs: []string{"--db-max-conns", strconv.Itoa(maxConns)},
		cleanup: func() error {
			defer admin.Close()
			// Not the run's context: after Ctrl-C it is cancelled, and the database must still go.
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			return err
		},
	}, nil
}

var benchDatabase = regexp.MustCompile(`^sgc_bench_([0-9]+)$`)

// dropStaleDatabases drops sgc_bench_<pid> databases left by a benchload that was killed before
// its clean-up ran (its pid no longer exists on this machine). Failures are only reported.
func dropStaleDatabases(ctx context.Context, admin *sql.DB) {
	rows, err := admin.QueryContext(ctx, "SELECT datname FROM pg_database WHERE datname LIKE 'sgc_bench_%'")
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			continue
		}
		m := benchDatabase.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		pid, _ := strconv.Atoi(m[1])
		if syscall.Kill(pid, 0) == syscall.ESRCH {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "benchload: could not drop the stale database %s: %v\n", name, err)
		}
	}
}

// redact hides a password in a database URL for error messages.
func redact(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "the -pg URL"
	}
	return u.Redacted()
}

// durabilitySettings says how the database commits, read on a connection of its own, and
// whether that makes a commit durable when it returns: SQLite in WAL mode syncs the log on every
// commit only with synchronous=FULL or EXTRA (NORMAL syncs at checkpoints, so a power cut can take
// back the last commits, though a crashed process loses none); PostgreSQL with synchronous_commit
// and fsync on.
func (b *backend) durabilitySettings(ctx context.Context) (string, bool, error) {
	db, err := sql.Open(b.driver, b.sqlDSN)
	if err != nil {
		return "", false, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if b.driver == "pgx" {
		var commit, fsync string
		if err := db.QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&commit); err != nil {
			return "", false, err
		}
		if err := db.QueryRowContext(ctx, "SHOW fsync").Scan(&fsync); err != nil {
			return "", false, err
		}
		return "synchronous_commit=" + commit + ", fsync=" + fsync, commit != "off" && commit != "local" && fsync == "on", nil
	}
	var journal string
	var sync int
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journal); err != nil {
		return "", false, err
	}
	if err := db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		return "", false, err
	}
	level := map[int]string{0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[sync]
	return fmt.Sprintf("journal_mode=%s, synchronous=%s (%d) on a connection with models.Open's DSN", strings.ToUpper(journal), level, sync), sync >= 2, nil
}
