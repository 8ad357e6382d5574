// Command benchload is issue 11's load benchmark (make bench-load, make bench-smoke,
// docs/benchmarks.md). On SQLite and, unless -pg is empty, on a throwaway PostgreSQL database it
// seeds one account of 50 cache security groups, starts bin/sgconsole serve on it and drives the
// read rows (a trivial same-bytes server, /healthz, a signed Describe replayed, the signed-in list
// page of the admin and of a member) with N keep-alive clients; then adds 999 more accounts of 50 groups and drives the same rows
// on a fresh server; then measures freshly signed group creations on a third. Every server start is
// timed to its first 200 on /healthz and every server's peak RSS is read. One table is printed,
// then each target of the issue marked met or NOT met. It fails only when a request failed, an
// acknowledged write is missing or a server crashed, never on a missed target.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

const (
	groupsPerAccount = 50 // the region's quota: "default" and 49 more
	region           = "us-east-1"
	adminPassword    = "bench-load-password"
)

// config is what the flags choose.
type config struct {
	bin        string
	duration   time.Duration
	clients    int
	accounts   int
	pgURL      string
	pgMaxConns int
}

func main() {
	var cfg config
	flag.DurationVar(&cfg.duration, "duration", 10*time.Second, "how long each row runs")
	flag.IntVar(&cfg.clients, "clients", 16, "concurrent keep-alive clients per row")
	flag.StringVar(&cfg.bin, "bin", "bin/sgconsole", "the sgconsole binary to benchmark (built by make bench-load)")
	flag.IntVar(&cfg.accounts, "accounts", 1000, "accounts of 50 groups in the large database (the admin's and this many minus one more)")
	flag.StringVar(&cfg.pgURL, "pg", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
		"PostgreSQL database to create a throwaway sgc_bench_<pid> database from (and drop it at the end); empty skips PostgreSQL")
	flag.IntVar(&cfg.pgMaxConns, "pg-max-conns", 8, "the PostgreSQL server's --db-max-conns (the machine's max_connections is shared)")
	flag.Parse()
	// Ctrl-C or SIGTERM stops the rows; the deferred clean-up then stops the server and drops the
	// throwaway PostgreSQL database.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, cfg)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config) error {
	if cfg.clients < 1 || cfg.duration <= 0 || cfg.accounts < 1 {
		return errors.New("-clients and -accounts must be at least 1 and -duration longer than 0")
	}
	bin, err := filepath.Abs(cfg.bin)
	if err != nil {
		return err
	}
	cfg.bin = bin
	dir, err := os.MkdirTemp("", "sgconsole-benchload-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	rep := &report{cfg: cfg, commit: builtFrom(cfg.bin)}
	backends := []func() (*backend, error){func() (*backend, error) { return sqliteBackend(dir) }}
	if cfg.pgURL != "" {
		backends = append(backends, func() (*backend, error) { return postgresBackend(ctx, cfg.pgURL, dir, cfg.pgMaxConns) })
	}
	for _, open := range backends {
		b, err := open()
		if err != nil {
			return err
		}
		err = measure(ctx, cfg, b, rep)
		if dropErr := b.cleanup(); dropErr != nil {
			fmt.Fprintln(os.Stderr, "benchload: clean-up:", dropErr)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
	}
	rep.print(os.Stdout)
	if n := rep.failures(); n > 0 {
		return fmt.Errorf("%d requests failed (see the errors column and the first error of each row above)", n)
	}
	return nil
}
