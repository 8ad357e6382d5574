package web_test

import (
	"bufio"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestResetPasswordNeverCreatesADatabase: reset-password on a path where no database is fails
// with a message saying where it looked and leaves no file behind; `make reset-password` passes
// the DB= that `make run` uses.
func TestResetPasswordNeverCreatesADatabase(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	missing := filepath.Join(dir, "x.db")
	code, stdout, stderr := workshopBinary(t, bin, "reset-password", "--db", missing, "admin")
	if code == 0 || !strings.Contains(stderr, "no database at "+missing) || strings.Contains(stdout, "New password") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want a refusal naming %s", code, stdout, stderr, missing)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("reset-password left %v in the directory", entries)
	}
	// The same through SGCONSOLE_DB.
	cmd := exec.Command(bin, "reset-password", "admin")
	cmd.Env = append(os.Environ(), "SGCONSOLE_DB="+missing)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "no database at") {
		t.Fatalf("SGCONSOLE_DB: %v %s", err, out)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("reset-password left %v in the directory", entries)
	}

	// make reset-password runs the built binary on $(DB), the variable `make run` serves.
	dry, err := exec.Command("make", "-s", "-n", "-C", "..", "reset-password", "DB="+missing).CombinedOutput()
	if err != nil {
		t.Fatalf("make -n reset-password: %v\n%s", err, dry)
	}
	if !strings.Contains(string(dry), "reset-password --db "+missing+" admin") {
		t.Fatalf("make reset-password DB=%s runs:\n%s", missing, dry)
	}
	run, _ := exec.Command("make", "-s", "-n", "-C", "..", "run", "DB="+missing).CombinedOutput()
	if !strings.Contains(string(run), "--db "+missing) {
		t.Fatalf("make run DB=%s runs:\n%s", missing, run)
	}
}

// TestServePrintsTheSignInBoxLast: on a first start the sign-in block (URL, user, one-time
// password, access key) is framed and is the last thing printed; page views don't log at the
// default level, so it stays on screen until something worth logging happens (a failed request).
func TestServePrintsTheSignInBoxLast(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "first.db")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db, "--demo")
	cmd.Env = append(os.Environ(), "SGCONSOLE_ADMIN_PASSWORD=", "SGCONSOLE_ADMIN_ACCESS_KEY_ID=", "SGCONSOLE_ADMIN_SECRET_ACCESS_KEY=")
	cmd.Stdout, cmd.Stderr = w, w // one stream, in the order the terminal shows it
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() })

	var mu sync.Mutex
	var lines []string
	go func() {
		s := bufio.NewScanner(r)
		for s.Scan() {
			mu.Lock()
			lines = append(lines, s.Text())
			mu.Unlock()
		}
	}()
	printed := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), lines...)
	}
	nonEmpty := func(ls []string) []string {
		var out []string
		for _, l := range ls {
			if strings.TrimSpace(l) != "" {
				out = append(out, l)
			}
		}
		return out
	}
	// Wait for the frame to close: a rule of "+===" after the framed lines.
	var box []string
	deadline := time.Now().Add(30 * time.Second)
	for box == nil && time.Now().Before(deadline) {
		ls := nonEmpty(printed())
		for i := 0; i < len(ls); i++ {
			if strings.HasPrefix(ls[i], "+===") {
				for j := i + 1; j < len(ls); j++ {
					if strings.HasPrefix(ls[j], "+===") {
						box = ls[i : j+1]
						break
					}
				}
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if box == nil {
		t.Fatalf("no framed sign-in block:\n%s", strings.Join(printed(), "\n"))
	}
	width := len([]rune(box[0]))
	for _, l := range box[1 : len(box)-1] {
		if !strings.HasPrefix(l, "| ") || !strings.HasSuffix(l, " |") || len([]rune(l)) != width {
			t.Errorf("a line of the block is not framed to the rule's width:\n%s", strings.Join(box, "\n"))
			break
		}
	}
	block := strings.Join(box, "\n")
	m := regexp.MustCompile(`running at (http://[0-9.:]+)/`).FindStringSubmatch(block)
	if m == nil {
		t.Fatalf("no URL in the block:\n%s", block)
	}
	base := m[1]
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`Sign in as "admin" with password [0-9a-f]{30} \(shown only now\)`),
		regexp.MustCompile(`API access key ID: AKIA[A-Z2-7]{16}`),
		regexp.MustCompile(`API secret access key: \S{40} \(shown only now\)`),
	} {
		if !want.MatchString(block) {
			t.Errorf("the block lacks %s:\n%s", want, block)
		}
	}

	lastIsBox := func(when string) {
		t.Helper()
		ls := nonEmpty(printed())
		if got := ls[len(ls)-1]; got != box[len(box)-1] {
			t.Fatalf("%s, the last line printed is %q, not the block's frame:\n%s", when, got, strings.Join(ls, "\n"))
		}
	}
	lastIsBox("before any request")
	// A browser opening the sign-in page and its assets: nothing scrolls the block away.
	for _, path := range []string{"/login", "/static/css/app.css", "/static/js/app.js", "/healthz", "/"} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	time.Sleep(300 * time.Millisecond)
	lastIsBox("after page views")
	// A refused write is worth a log line, after the block.
	res, err := http.PostForm(base+"/login", url.Values{"username": {"admin"}, "password": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	deadline = time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		ls := nonEmpty(printed())
		if last := ls[len(ls)-1]; strings.Contains(last, "method=POST") && strings.Contains(last, "uri=/login") {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the refused POST was not logged after the block:\n%s", strings.Join(printed(), "\n"))
}
