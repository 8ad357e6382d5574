package web_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveUntilReady starts the real binary with `serve` (listening on a free port) and the given
// extra environment, under sh so the umask can be set. If it comes up, whileUp (when not nil) runs
// and it is stopped with SIGTERM, and started is true; otherwise it returns the exit status and
// everything it printed.
func serveUntilReady(t *testing.T, bin, umask string, env []string, whileUp func(), args ...string) (started bool, code int, output string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	script := "umask " + umask + " && exec \"$0\" serve --addr 127.0.0.1:0 \"$@\""
	cmd := exec.CommandContext(ctx, "sh", append([]string{"-c", script, bin}, args...)...)
	cmd.Env = append(append(os.Environ(), "SGCONSOLE_DB=", "SGCONSOLE_KEY_FILE=", "SGCONSOLE_ADMIN_PASSWORD=",
		"SGCONSOLE_ADMIN_ACCESS_KEY_ID=", "SGCONSOLE_ADMIN_SECRET_ACCESS_KEY="), env...)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	var out bytes.Buffer
	lines := bufio.NewScanner(r)
	for lines.Scan() {
		out.WriteString(lines.Text() + "\n")
		if strings.Contains(lines.Text(), "sgconsole is running at") {
			started = true
			if whileUp != nil {
				whileUp()
			}
			_ = cmd.Process.Signal(syscall.SIGTERM)
			break
		}
	}
	_, _ = io.Copy(&out, r)
	err = cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("serve: %v", err)
	}
	return started, code, out.String()
}

// TestServeStopsOnALostOrWrongKeyFile: a database remembers its key; started without the key file
// it stops naming the file to restore (and makes no new key), started with another key it says the
// key does not match, and with the right key back it serves again with the same API key working.
func TestServeStopsOnALostOrWrongKeyFile(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "console.db")
	keyFile := db + ".key"
	adminKey := []string{"SGCONSOLE_ADMIN_ACCESS_KEY_ID=AKIAKEYFILETESTAAAAA", "SGCONSOLE_ADMIN_SECRET_ACCESS_KEY=" + strings.Repeat("k", 40)}

	if started, code, out := serveUntilReady(t, bin, "022", adminKey, nil, "--db", db); !started {
		t.Fatalf("first start: exit %d\n%s", code, out)
	}
	original, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}

	// The key file is lost; the admin key comes from the environment as before.
	if err := os.Remove(keyFile); err != nil {
		t.Fatal(err)
	}
	started, code, out := serveUntilReady(t, bin, "022", adminKey, nil, "--db", db)
	if started || code != 1 || !strings.Contains(out, "the key file "+keyFile+" is missing") || !strings.Contains(out, "Restore "+keyFile+" from a backup") {
		t.Fatalf("start without the key file: started %v, exit %d, want exit 1 naming %s to restore:\n%s", started, code, keyFile, out)
	}
	if strings.Contains(out, "duplicate") {
		t.Fatalf("start without the key file failed on a duplicate key:\n%s", out)
	}
	if _, err := os.Stat(keyFile); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a start without the key file made a new one (%v)", err)
	}

	// Another key: refused, saying the key does not match.
	other := filepath.Join(dir, "other.key")
	if err := os.WriteFile(other, bytes.Repeat([]byte{1}, 32), 0o600); err != nil {
		t.Fatal(err)
	}
	started, code, out = serveUntilReady(t, bin, "022", adminKey, nil, "--db", db, "--key-file", other)
	if started || code != 1 || !strings.Contains(out, "the key file "+other+" does not match this database") {
		t.Fatalf("start with another key: started %v, exit %d, want exit 1 saying it does not match:\n%s", started, code, out)
	}

	// The key restored: serving again, the admin key from the environment accepted as it is.
	if err := os.WriteFile(keyFile, original, 0o600); err != nil {
		t.Fatal(err)
	}
	if started, code, out := serveUntilReady(t, bin, "022", adminKey, nil, "--db", db); !started {
		t.Fatalf("start with the key restored: exit %d\n%s", code, out)
	}
}

// TestServeCreatesPrivateFiles: under a umask that lets everyone read new files, serve still
// creates the database, its -wal and -shm and the key file readable by their owner only.
func TestServeCreatesPrivateFiles(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "console.db")
	checked := 0
	whileUp := func() { // while serving: SQLite removes -wal and -shm on a clean shutdown
		for _, name := range []string{"console.db", "console.db-wal", "console.db-shm", "console.db.key"} {
			info, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if mode := info.Mode().Perm(); mode != 0o600 {
				t.Errorf("%s has mode %o, want 600", name, mode)
			}
			checked++
		}
	}
	if started, code, out := serveUntilReady(t, bin, "000", nil, whileUp, "--db", db, "--demo"); !started || checked != 4 {
		t.Fatalf("start: exit %d, %d files checked\n%s", code, checked, out)
	}
}
