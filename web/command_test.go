package web_test

import (
	"bufio"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"sgconsole/models"
	"sgconsole/web"
)

func TestParseCommandFollowsTheContract(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    web.Command
		wantErr string
	}{
		{name: "a bare sgconsole serves with the defaults", args: nil,
			want: web.Command{Name: "serve", Config: web.Config{Addr: "127.0.0.1:8080"}, DB: "sgconsole.db", KeyFile: "sgconsole.db.key", PropagationDelay: 10 * time.Second}},
		{name: "environment fallbacks", args: []string{"serve"}, env: map[string]string{"SGCONSOLE_ADDR": "0.0.0.0:9000", "SGCONSOLE_DB": "/data/x.db"},
			want: web.Command{Name: "serve", Config: web.Config{Addr: "0.0.0.0:9000"}, DB: "/data/x.db", KeyFile: "/data/x.db.key", PropagationDelay: 10 * time.Second}},
		{name: "flags win over the environment", args: []string{"serve", "--addr", "127.0.0.1:1", "--db", "a.db", "--demo", "--propagation-delay", "1m"},
			env:  map[string]string{"SGCONSOLE_ADDR": "0.0.0.0:9000", "SGCONSOLE_DB": "/data/x.db"},
			want: web.Command{Name: "serve", Config: web.Config{Addr: "127.0.0.1:1"}, DB: "a.db", KeyFile: "a.db.key", Demo: true, PropagationDelay: time.Minute}},
		{name: "reset-password", args: []string{"reset-password", "--db", "a.db", "admin"},
			want: web.Command{Name: "reset-password", DB: "a.db", KeyFile: "a.db.key", Username: "admin"}},
		{name: "a negative delay", args: []string{"--propagation-delay", "-1s"}, wantErr: "cannot be negative"},
		{name: "a stray argument", args: []string{"serve", "extra"}, wantErr: `unexpected argument "extra"`},
		{name: "PostgreSQL needs a key file", args: []string{"--db", "postgres://u@h/db"}, wantErr: "--key-file"},
		{name: "reset-password needs a user", args: []string{"reset-password"}, wantErr: "usage"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := web.ParseCommand(tc.args, env(tc.env), &strings.Builder{})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestBinaryPrintsSignInServesAndShutsDownGracefully runs the real binary the way `make run` does.
func TestBinaryPrintsSignInServesAndShutsDownGracefully(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "sgconsole")
	build := exec.Command("go", "build", "-o", bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "console.db")

	start := func(args ...string) (*exec.Cmd, string, []string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "SGCONSOLE_ADMIN_PASSWORD=", "SGCONSOLE_ADMIN_ACCESS_KEY_ID=", "SGCONSOLE_ADMIN_SECRET_ACCESS_KEY=")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		lines := bufio.NewScanner(stdout)
		var printed []string
		url := ""
		for url == "" && lines.Scan() {
			printed = append(printed, lines.Text())
			if m := regexp.MustCompile(`running at (http://\S+)/`).FindStringSubmatch(lines.Text()); m != nil {
				url = m[1]
			}
		}
		// Then the sign-in line, and on a new database the one-time API key line.
		if lines.Scan() {
			printed = append(printed, lines.Text())
			if strings.Contains(lines.Text(), "shown only now") && lines.Scan() {
				printed = append(printed, lines.Text())
			}
		}
		go func() {
			for lines.Scan() {
			}
		}()
		if url == "" {
			t.Fatalf("no URL printed: %q", printed)
		}
		return cmd, url, printed
	}
	stop := func(cmd *exec.Cmd) {
		t.Helper()
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("exit after SIGTERM: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("no exit 15s after SIGTERM")
		}
	}

	cmd, url, printed := start("serve", "--addr", "127.0.0.1:0", "--db", db, "--demo")
	m := regexp.MustCompile(`password ([0-9a-f]{30}) \(shown only now\)`).FindStringSubmatch(strings.Join(printed, "\n"))
	if m == nil {
		t.Fatalf("no one-time password printed: %q", printed)
	}
	password := m[1]
	res, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("X-Request-Id") == "" {
		t.Fatalf("healthz = %d, request ID %q", res.StatusCode, res.Header.Get("X-Request-Id"))
	}
	stop(cmd)
	if _, err := os.Stat(db + "-wal"); !os.IsNotExist(err) {
		t.Errorf("the write-ahead log is still there after SIGTERM: the database was not closed (%v)", err)
	}
	if info, err := os.Stat(db + ".key"); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v", info, err)
	}

	// The password is printed once: a restart only says where it was.
	cmd, _, printed = start("--addr", "127.0.0.1:0", "--db", db)
	if out := strings.Join(printed, "\n"); strings.Contains(out, password) || !strings.Contains(out, "printed when") {
		t.Fatalf("restart printed %q", out)
	}
	stop(cmd)

	store, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.SignIn(context.Background(), models.AdminUsername, password); err != nil {
		t.Fatalf("the printed password does not sign in: %v", err)
	}
	store.Close()
	out, err := exec.Command(bin, "reset-password", "--db", db, "admin").CombinedOutput()
	if err != nil {
		t.Fatalf("reset-password: %v\n%s", err, out)
	}
	fresh := regexp.MustCompile(`New password for admin: (\S+)`).FindStringSubmatch(string(out))
	if fresh == nil {
		t.Fatalf("reset-password printed %q", out)
	}
	store, err = models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.SignIn(context.Background(), models.AdminUsername, password); err == nil {
		t.Error("the old password still works after reset-password")
	}
	if _, err := store.SignIn(context.Background(), models.AdminUsername, fresh[1]); err != nil {
		t.Errorf("the new password does not sign in: %v", err)
	}
}
