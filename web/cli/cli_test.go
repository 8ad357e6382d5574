package cli

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"sgconsole/models"
	"sgconsole/web"
)

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// run calls Main the way main does, returning the exit status and what it printed.
func run(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr strings.Builder
	code := Main(context.Background(), args, &stdout, &stderr, envOf(vars))
	return code, stdout.String(), stderr.String()
}

// defaultPool is serve's pool without flags: 20 PostgreSQL connections, a 3 s wait.
var defaultPool = models.Options{MaxConns: models.DefaultMaxConns, Wait: models.DefaultDBWait}

func TestParseServeFollowsTheContract(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    web.Command
		wantErr string
	}{
		{name: "the defaults", args: nil,
			want: web.Command{Config: web.Config{Addr: "127.0.0.1:8080"}, DB: "sgconsole.db", KeyFile: "sgconsole.db.key", PropagationDelay: 10 * time.Second, SessionIdle: 8 * time.Hour, Pool: defaultPool}},
		{name: "environment fallbacks", env: map[string]string{"SGCONSOLE_ADDR": "0.0.0.0:9000", "SGCONSOLE_DB": "/data/x.db"},
			want: web.Command{Config: web.Config{Addr: "0.0.0.0:9000"}, DB: "/data/x.db", KeyFile: "/data/x.db.key", PropagationDelay: 10 * time.Second, SessionIdle: 8 * time.Hour, Pool: defaultPool}},
		{name: "a key file from the environment", env: map[string]string{"SGCONSOLE_DB": "postgres://u@h/db", "SGCONSOLE_KEY_FILE": "/etc/sg.key"},
			want: web.Command{Config: web.Config{Addr: "127.0.0.1:8080"}, DB: "postgres://u@h/db", KeyFile: "/etc/sg.key", PropagationDelay: 10 * time.Second, SessionIdle: 8 * time.Hour, Pool: defaultPool}},
		{name: "flags win over the environment",
			args: []string{"--addr", "127.0.0.1:1", "--db", "a.db", "--demo", "--propagation-delay", "1m", "--session-idle", "30m", "--secure-cookies"},
			env:  map[string]string{"SGCONSOLE_ADDR": "0.0.0.0:9000", "SGCONSOLE_DB": "/data/x.db"},
			want: web.Command{Config: web.Config{Addr: "127.0.0.1:1", SecureCookies: true}, DB: "a.db", KeyFile: "a.db.key", Demo: true, PropagationDelay: time.Minute, SessionIdle: 30 * time.Minute, Pool: defaultPool}},
		{name: "pool bounds from the environment", env: map[string]string{"SGCONSOLE_DB_MAX_CONNS": "8", "SGCONSOLE_DB_WAIT": "500ms"},
			want: web.Command{Config: web.Config{Addr: "127.0.0.1:8080"}, DB: "sgconsole.db", KeyFile: "sgconsole.db.key", PropagationDelay: 10 * time.Second, SessionIdle: 8 * time.Hour,
				Pool: models.Options{MaxConns: 8, Wait: 500 * time.Millisecond}}},
		{name: "pool flags win over the environment", args: []string{"--db-max-conns", "4", "--db-wait", "1s"}, env: map[string]string{"SGCONSOLE_DB_MAX_CONNS": "8"},
			want: web.Command{Config: web.Config{Addr: "127.0.0.1:8080"}, DB: "sgconsole.db", KeyFile: "sgconsole.db.key", PropagationDelay: 10 * time.Second, SessionIdle: 8 * time.Hour,
				Pool: models.Options{MaxConns: 4, Wait: time.Second}}},
		{name: "no connections", args: []string{"--db-max-conns", "0"}, wantErr: "--db-max-conns must be at least 1"},
		{name: "no wait", args: []string{"--db-wait", "0s"}, wantErr: "--db-wait must be longer than 0"},
		{name: "a pool size that is not a number", env: map[string]string{"SGCONSOLE_DB_MAX_CONNS": "many"}, wantErr: `SGCONSOLE_DB_MAX_CONNS="many"`},
		{name: "a wait that is not a duration", env: map[string]string{"SGCONSOLE_DB_WAIT": "3"}, wantErr: `SGCONSOLE_DB_WAIT="3"`},
		{name: "a negative delay", args: []string{"--propagation-delay", "-1s"}, wantErr: "cannot be negative"},
		{name: "no idle time", args: []string{"--session-idle", "0s"}, wantErr: "--session-idle"},
		{name: "a negative idle time", args: []string{"--session-idle", "-1h"}, wantErr: "--session-idle"},
		{name: "a stray argument", args: []string{"extra"}, wantErr: `unexpected argument "extra"`},
		{name: "PostgreSQL needs a key file", args: []string{"--db", "postgres://u@h/db"}, wantErr: "--key-file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFlagSet(serveCommand, env{stdout: &strings.Builder{}, stderr: &strings.Builder{}})
			got, err := parseServe(fs, tc.args, envOf(tc.env))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestCLIDispatchAndExitStatuses(t *testing.T) {
	all := []string{"[serve]", "reset-password", "user create", "user list", "user disable", "user enable", "--session-idle"}
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		code, stdout, stderr := run(t, nil, args...)
		if code != 0 || stderr != "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
		for _, want := range all {
			if !strings.Contains(stdout, want) {
				t.Errorf("%q does not list %q:\n%s", args, want, stdout)
			}
		}
	}
	// A command's own help lists its flags and exits 0 without touching a database.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"help", "user", "create"}, "-account"},
		{[]string{"user", "create", "-h"}, "-role"},
		{[]string{"serve", "--help"}, "-session-idle"},
		{[]string{"help", "serve"}, "-propagation-delay"},
	} {
		code, stdout, stderr := run(t, nil, tc.args...)
		if code != 0 || !strings.Contains(stdout+stderr, tc.want) {
			t.Errorf("%q: exit %d, output %q, want %q in it", tc.args, code, stdout+stderr, tc.want)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"user"}, "user needs a subcommand"},
		{[]string{"user", "delete", "bob"}, `unknown user subcommand "delete"`},
		{[]string{"user", "create", "bob"}, "--role is required"},
		{[]string{"user", "create", "--role", "member"}, "missing argument"},
		{[]string{"user", "list", "extra"}, `unexpected argument "extra"`},
		{[]string{"user", "enable", "--nope", "bob"}, "flag provided but not defined"},
		{[]string{"reset-password"}, "usage: sgconsole reset-password [--db PATH] USERNAME"},
		{[]string{"serve", "extra"}, `unexpected argument "extra"`},
	} {
		code, stdout, stderr := run(t, nil, tc.args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and %q on stderr", tc.args, code, stdout, stderr, tc.want)
		}
	}
}

func TestCLIUserCommandsCreateNoDatabaseByMistake(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "typo.db")
	for _, args := range [][]string{
		{"user", "create", "--db", db, "--role", "member", "bad name"},
		{"user", "create", "--db", db, "--role", "superuser", "bob"},
		{"user", "create", "--db", db, "--role", "member", "--account", "12345", "bob"},
		{"user", "list", "--db", db},
		{"user", "disable", "--db", db, "bob"},
		{"user", "enable", "--db", db, "bob"},
		{"reset-password", "--db", db, "bob"},
	} {
		code, stdout, stderr := run(t, nil, args...)
		if code != 1 || stdout != "" || stderr == "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 1 and a message", args, code, stdout, stderr)
		}
	}
	code, _, stderr := run(t, map[string]string{newUserPasswordEnv: "short"}, "user", "create", "--db", db, "--role", "member", "bob")
	if code != 1 || !strings.Contains(stderr, newUserPasswordEnv) {
		t.Errorf("a short %s: exit %d, stderr %q", newUserPasswordEnv, code, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Fatalf("failed commands left files behind: %v", entries)
	}

	// Creating the first user makes the database, with flags after the name too, and warns that no
	// admin exists yet.
	code, stdout, stderr := run(t, nil, "user", "create", "--db", db, "bob", "--role", "viewer")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 || len(lines) != 2 || !strings.HasPrefix(lines[0], "Created viewer bob in new account ") || len(lines[1]) < models.MinPasswordLength {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "no enabled admin") {
		t.Errorf("no warning about the missing admin: %q", stderr)
	}
	code, stdout, _ = run(t, nil, "user", "list", "--db", db)
	if code != 0 || !strings.Contains(stdout, "bob") || !strings.Contains(stdout, "viewer") || !strings.Contains(stdout, "never") {
		t.Errorf("list: exit %d\n%s", code, stdout)
	}
}
