package web_test

import (
	"bufio"
	"context"
	"errors"
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

// buildBinary builds sgconsole the way `make build` does, into a test directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sgconsole")
	build := exec.Command("go", "build", "-o", bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestBinaryPrintsSignInServesAndShutsDownGracefully runs the real binary the way `make run` does.
func TestBinaryPrintsSignInServesAndShutsDownGracefully(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "console.db")

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
	if _, err := store.SignIn(context.Background(), models.Credentials{Username: models.AdminUsername, Password: password}); err != nil {
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
	if _, err := store.SignIn(context.Background(), models.Credentials{Username: models.AdminUsername, Password: password}); err == nil {
		t.Error("the old password still works after reset-password")
	}
	if _, err := store.SignIn(context.Background(), models.Credentials{Username: models.AdminUsername, Password: fresh[1]}); err != nil {
		t.Errorf("the new password does not sign in: %v", err)
	}
}

// TestBinaryManagesUsers drives `sgconsole user ...` and reset-password through the real binary on
// a SQLite file, and checks the result through the same models code the console signs in with.
func TestBinaryManagesUsers(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "users.db")
	ctx := context.Background()
	store, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	const adminPassword = "admin-password-for-cli"
	bootstrapEnv := func(k string) string {
		if k == "SGCONSOLE_ADMIN_PASSWORD" {
			return adminPassword
		}
		return ""
	}
	if _, err := web.Bootstrap(ctx, store, web.Command{DB: db, KeyFile: db + ".key"}, bootstrapEnv); err != nil {
		t.Fatal(err)
	}

	// sgconsole runs the binary on the database with only the given SGCONSOLE_ variables.
	sgconsole := func(vars []string, args ...string) (code int, stdout, stderr string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "SGCONSOLE_") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		cmd.Env = append(cmd.Env, "SGCONSOLE_DB="+db)
		cmd.Env = append(cmd.Env, vars...)
		var out, errOut strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("%q: %v", args, err)
		}
		return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
	}
	lastLine := func(out string) string {
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		return lines[len(lines)-1]
	}
	signIn := func(username, password string) error {
		_, err := store.SignIn(ctx, models.Credentials{Username: username, Password: password})
		return err
	}
	users := func() map[string]models.User {
		t.Helper()
		list, err := store.ListUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]models.User{}
		for _, u := range list {
			byName[u.Username] = u
		}
		return byName
	}

	// A member in a given account; the generated password alone on the last line signs in.
	code, out, errOut := sgconsole(nil, "user", "create", "--db", db, "--role", "member", "--account", "210987654321", "bob")
	if code != 0 || !strings.Contains(out, "member bob") || !strings.Contains(out, "210987654321") {
		t.Fatalf("create bob: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	bobPassword := lastLine(out)
	if strings.ContainsAny(bobPassword, " \t") || len(bobPassword) < models.MinPasswordLength {
		t.Fatalf("the last line is not a password: %q", out)
	}
	if err := signIn("bob", bobPassword); err != nil {
		t.Fatalf("bob cannot sign in with the printed password: %v", err)
	}
	if u := users()["bob"]; u.Role != models.RoleMember || u.AccountID != "210987654321" {
		t.Fatalf("bob = %+v", u)
	}

	// A password from the environment is used and never printed.
	const carolPassword = "carol-chose-this-one"
	code, out, errOut = sgconsole([]string{"SGCONSOLE_NEW_USER_PASSWORD=" + carolPassword}, "user", "create", "--role", "viewer", "--account", "210987654321", "carol")
	if code != 0 || strings.Contains(out+errOut, carolPassword) || !strings.Contains(lastLine(out), "SGCONSOLE_NEW_USER_PASSWORD") {
		t.Fatalf("create carol: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if err := signIn("carol", carolPassword); err != nil {
		t.Fatalf("carol cannot sign in with SGCONSOLE_NEW_USER_PASSWORD: %v", err)
	}

	// Without --account the user gets a new account.
	code, out, errOut = sgconsole(nil, "user", "create", "--role", "viewer", "dave")
	if code != 0 {
		t.Fatalf("create dave: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	dave := users()["dave"]
	if !regexp.MustCompile(`^[0-9]{12}$`).MatchString(dave.AccountID) || dave.AccountID == models.DefaultAccountID || dave.AccountID == "210987654321" {
		t.Fatalf("dave's account is %q", dave.AccountID)
	}
	if ok, err := store.AccountExists(ctx, dave.AccountID); err != nil || !ok {
		t.Fatalf("dave's account %s exists = %v, %v", dave.AccountID, ok, err)
	}
	if !strings.Contains(out, dave.AccountID) || signIn("dave", lastLine(out)) != nil {
		t.Fatalf("create dave printed %q", out)
	}

	// The list shows everyone with role, account and status.
	code, out, errOut = sgconsole(nil, "user", "list")
	if code != 0 {
		t.Fatalf("list: exit %d, %q", code, errOut)
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		rows[f[0]] = f
	}
	for _, want := range [][]string{
		{"USERNAME", "ROLE", "ACCOUNT", "STATUS", "CREATED", "LAST", "SIGN-IN"},
		{"admin", "admin", models.DefaultAccountID, "enabled"},
		{"bob", "member", "210987654321", "enabled"},
		{"carol", "viewer", "210987654321", "enabled"},
		{"dave", "viewer", dave.AccountID, "enabled"},
	} {
		if got := rows[want[0]]; len(got) < len(want) || strings.Join(got[:len(want)], " ") != strings.Join(want, " ") {
			t.Errorf("list row %q, want it to start with %q:\n%s", got, want, out)
		}
	}

	// Disabling refuses sign-in; enabling restores it.
	if code, out, errOut = sgconsole(nil, "user", "disable", "bob"); code != 0 {
		t.Fatalf("disable: exit %d, %q %q", code, out, errOut)
	}
	if err := signIn("bob", bobPassword); !errors.Is(err, models.ErrUserDisabled) {
		t.Fatalf("a disabled bob signs in: %v", err)
	}
	if _, out, _ = sgconsole(nil, "user", "list"); !regexp.MustCompile(`(?m)^bob\s+member\s+210987654321\s+disabled\s`).MatchString(out) {
		t.Errorf("list does not show bob disabled:\n%s", out)
	}
	if code, out, errOut = sgconsole(nil, "user", "enable", "--db", db, "bob"); code != 0 {
		t.Fatalf("enable: exit %d, %q %q", code, out, errOut)
	}
	if err := signIn("bob", bobPassword); err != nil {
		t.Fatalf("an enabled bob cannot sign in: %v", err)
	}

	// Bad input fails with status 1 and a message, and changes nothing.
	before := users()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"user", "create", "--role", "member", "bad name"}, "user name"},
		{[]string{"user", "create", "--role", "member", "BOB"}, "already exists"},
		{[]string{"user", "create", "--role", "superuser", "erin"}, "role"},
		{[]string{"user", "create", "--role", "member", "--account", "2109876543", "erin"}, "12 digits"},
		{[]string{"user", "disable", "admin"}, "last enabled admin"},
		{[]string{"user", "disable", "nobody"}, "not found"},
	} {
		code, out, errOut := sgconsole(nil, tc.args...)
		if code != 1 || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 1 and %q", tc.args, code, out, errOut, tc.want)
		}
	}
	code, out, errOut = sgconsole([]string{"SGCONSOLE_NEW_USER_PASSWORD=short"}, "user", "create", "--role", "member", "erin")
	if code != 1 || out != "" || !strings.Contains(errOut, "at least") {
		t.Errorf("a short password: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	after := users()
	if len(after) != len(before) || after["admin"].Disabled || after["bob"].Username != "bob" {
		t.Errorf("failed commands changed the users: %+v", after)
	}
	if err := signIn("admin", adminPassword); err != nil {
		t.Errorf("admin cannot sign in after the refused disable: %v", err)
	}

	// reset-password still prints a working new password.
	code, out, errOut = sgconsole(nil, "reset-password", "--db", db, "bob")
	fresh := regexp.MustCompile(`^New password for bob: (\S+)\n$`).FindStringSubmatch(out)
	if code != 0 || fresh == nil {
		t.Fatalf("reset-password: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if err := signIn("bob", bobPassword); !errors.Is(err, models.ErrBadCredentials) {
		t.Errorf("the old password after reset-password: %v", err)
	}
	if err := signIn("bob", fresh[1]); err != nil {
		t.Errorf("the reset password does not sign in: %v", err)
	}
}
