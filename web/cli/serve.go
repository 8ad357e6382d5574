package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"sgconsole/models"
	"sgconsole/web"
)

var serveCommand = &command{
	name:     "serve",
	synopsis: "[--addr 127.0.0.1:8080] [--db PATH|postgres://…] [--key-file PATH] [--demo] [--propagation-delay 10s] [--session-idle 8h] [--db-max-conns 20] [--db-wait 3s] [--secure-cookies] [--labs DIR] [--log-level info|debug]",
	summary:  "Serve the console and its API (the default command). SIGINT and SIGTERM shut it down gracefully.",
	run:      runServe,
}

// parseServe reads serve's flags, with SGCONSOLE_ADDR, SGCONSOLE_DB, SGCONSOLE_KEY_FILE,
// SGCONSOLE_DB_MAX_CONNS and SGCONSOLE_DB_WAIT as fallbacks.
func parseServe(fs *flag.FlagSet, args []string, getenv func(string) string) (web.Command, error) {
	var cmd web.Command
	var db dbFlags
	db.register(fs, getenv)
	fs.StringVar(&cmd.Config.Addr, "addr", orDefault(getenv("SGCONSOLE_ADDR"), "127.0.0.1:8080"), "listen address (env SGCONSOLE_ADDR)")
	fs.BoolVar(&cmd.Demo, "demo", false, "fill an empty database with demo data")
	fs.DurationVar(&cmd.PropagationDelay, "propagation-delay", models.DefaultPropagationDelay, "how long authorizations and revocations stay pending")
	fs.DurationVar(&cmd.SessionIdle, "session-idle", models.DefaultSessionIdle, "sign a browser out after this long without a request")
	fs.BoolVar(&cmd.Config.SecureCookies, "secure-cookies", false, "mark cookies Secure (serve behind HTTPS)")
	maxConns, wait, err := poolDefaults(getenv)
	if err != nil {
		return cmd, err
	}
	fs.IntVar(&cmd.Pool.MaxConns, "db-max-conns", maxConns, "most PostgreSQL connections this instance opens; instances × this must stay below the server's max_connections (env SGCONSOLE_DB_MAX_CONNS)")
	fs.DurationVar(&cmd.Pool.Wait, "db-wait", wait, "how long a request waits for a free PostgreSQL connection before it is answered 503 with Retry-After (env SGCONSOLE_DB_WAIT)")
	if _, err := parse(fs, args, 0); err != nil {
		return cmd, err
	}
	db.resolve()
	cmd.DB, cmd.KeyFile = db.DB, db.KeyFile
	switch {
	case cmd.KeyFile == "" && models.IsPostgres(cmd.DB):
		return cmd, errors.New("with a PostgreSQL database, set --key-file (or SGCONSOLE_KEY_FILE) so every instance shares the key that encrypts access key secrets")
	case cmd.PropagationDelay < 0:
		return cmd, errors.New("--propagation-delay cannot be negative")
	case cmd.SessionIdle <= 0:
		return cmd, errors.New("--session-idle must be longer than 0")
	case cmd.Pool.MaxConns < 1:
		return cmd, errors.New("--db-max-conns must be at least 1")
	case cmd.Pool.Wait <= 0:
		return cmd, errors.New("--db-wait must be longer than 0")
	}
	return cmd, nil
}

// poolDefaults are the pool flags' defaults: SGCONSOLE_DB_MAX_CONNS and SGCONSOLE_DB_WAIT when set.
func poolDefaults(getenv func(string) string) (int, time.Duration, error) {
	maxConns, wait := models.DefaultMaxConns, models.DefaultDBWait
	if v := getenv("SGCONSOLE_DB_MAX_CONNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, 0, fmt.Errorf("SGCONSOLE_DB_MAX_CONNS=%q is not a whole number of connections", v)
		}
		maxConns = n
	}
	if v := getenv("SGCONSOLE_DB_WAIT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return 0, 0, fmt.Errorf("SGCONSOLE_DB_WAIT=%q is not a duration such as 3s or 500ms", v)
		}
		wait = d
	}
	return maxConns, wait, nil
}

// runServe opens the database, prepares it (admin, demo, keys), prints where to sign in and serves
// until the server fails or ctx ends or a SIGINT or SIGTERM arrives.
func runServe(ctx context.Context, e env, c *command, args []string) error {
	fs := newFlagSet(c, e)
	logLevel := new(slog.Level)
	fs.TextVar(logLevel, "log-level", slog.LevelInfo, "log level: debug logs every request, info (the default) only writes and failures")
	labsDir := fs.String("labs", "", "directory of lab files (YAML or JSON, one lab a file) added to the built-in labs; a broken file stops the start")
	cmd, err := parseServe(fs, args, e.getenv)
	if err != nil {
		return err
	}
	// The labs load before anything else: a broken lab file stops the start with its file, line
	// and reason, and nothing is opened.
	if cmd.Config.Labs, err = models.Catalog(*labsDir); err != nil {
		return err
	}
	store, err := models.OpenWith(cmd.DB, cmd.Pool)
	if err != nil {
		return err
	}
	defer store.Close()
	store.PropagationDelay = cmd.PropagationDelay
	store.SessionIdle = cmd.SessionIdle
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	signIn, err := web.Bootstrap(ctx, store, cmd, e.getenv)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cmd.Config.Addr)
	if err != nil {
		return err
	}
	srv := web.New(cmd.Config, store, slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: *logLevel})))
	// The sign-in block is the last thing printed before requests come in, framed so it stands out;
	// routine page views log at debug level, so they don't scroll it away.
	fmt.Fprint(e.stdout, signInBox(append([]string{fmt.Sprintf("sgconsole is running at http://%s/", ln.Addr())},
		strings.Split(signIn, "\n")...)))
	served := make(chan error, 1)
	go func() { served <- srv.Server.Serve(ln) }()
	select {
	case err = <-served:
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = srv.Shutdown(shutdownCtx)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// signInBox frames lines in a plain-ASCII box, so it reads the same in every terminal and log viewer.
func signInBox(lines []string) string {
	width := 0
	for _, l := range lines {
		width = max(width, utf8.RuneCountInString(l))
	}
	rule := "+" + strings.Repeat("=", width+2) + "+\n"
	var b strings.Builder
	b.WriteString("\n" + rule)
	for _, l := range lines {
		b.WriteString("| " + l + strings.Repeat(" ", width-utf8.RuneCountInString(l)) + " |\n")
	}
	b.WriteString(rule + "\n")
	return b.String()
}
