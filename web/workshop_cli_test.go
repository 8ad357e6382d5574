package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"sgconsole/models"
	"sgconsole/views"
	"sgconsole/web"
)

// workshopBinary runs the real binary and returns its exit status and output.
func workshopBinary(t *testing.T, bin string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "SGCONSOLE_DB=", "SGCONSOLE_KEY_FILE=", "SGCONSOLE_ADMIN_PASSWORD=", "SGCONSOLE_ADMIN_ACCESS_KEY_ID=", "SGCONSOLE_ADMIN_SECRET_ACCESS_KEY=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), stdout.String(), stderr.String()
	case err != nil:
		t.Fatalf("%v: %v", args, err)
	}
	return 0, stdout.String(), stderr.String()
}

// runCardCommands pastes a card's lines into a shell with the real AWS CLI and nothing else of
// AWS configured (each trainee gets a HOME of their own), and returns what the last command printed.
func runCardCommands(t *testing.T, script string) []byte {
	t.Helper()
	if _, err := os.Stat(awsCLI); err != nil {
		t.Fatalf("the AWS CLI v2 is needed at %s (%v): install it with `apt-get install -y awscli`", awsCLI, err)
	}
	home := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-e", "-c", script)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + home, "LANG=C.UTF-8", "AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials")}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("the card's commands failed (%v):\n%s\nstderr:\n%s", err, script, stderr.String())
	}
	return stdout.Bytes()
}

func readCredentialsCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("credentials.csv does not parse: %v", err)
	}
	want := []string{"username", "password", "account_id", "access_key_id", "secret_access_key", "console_url"}
	if len(records) == 0 || !reflect.DeepEqual(records[0][:len(want)], want) {
		t.Fatalf("credentials.csv header = %v, want it to start with %v", records, want)
	}
	var rows []map[string]string
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, col := range records[0] {
			row[col] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

// consoleCounts is what the workshop commands may change, for "nothing written" checks.
func consoleCounts(t *testing.T, store *models.Store) [3]int {
	t.Helper()
	ctx := context.Background()
	users, err := store.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := store.ListAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	workshops, err := store.ListWorkshops(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return [3]int{len(users), len(accounts), len(workshops)}
}

type describedGroups struct {
	CacheSecurityGroups []struct {
		CacheSecurityGroupName string
		OwnerId                string
	}
}

// TestWorkshopCommandsThroughTheBinary runs `sgconsole workshop create`, `reset` and `delete` as an
// instructor would, against a database a console is serving at the same time, and uses every
// credential handed out: each password signs in, and each card's AWS CLI lines, pasted into a
// shell, make a real AWS CLI call to that console that sees that trainee's sandbox only.
func TestWorkshopCommandsThroughTheBinary(t *testing.T) {
	bin := buildBinary(t)
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "console.db")
	store, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	env := func(k string) string {
		if k == "SGCONSOLE_ADMIN_PASSWORD" {
			return "workshop-admin-pw"
		}
		return ""
	}
	if _, err := web.Bootstrap(ctx, store, web.Command{DB: db, KeyFile: db + ".key", Demo: true}, env); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(web.Config{}, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)

	// Create, with the console's real address on the cards.
	out := filepath.Join(dir, "class")
	code, stdout, stderr := workshopBinary(t, bin, "workshop", "create", "--db", db, "--trainees", "3", "--out", out, "--name", "class-1", "--console-url", srv.URL)
	if code != 0 {
		t.Fatalf("workshop create: exit %d\n%s\n%s", code, stdout, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	csvPath, cardsPath := filepath.Join(out, "credentials.csv"), filepath.Join(out, "cards.html")
	if len(lines) < 3 || lines[len(lines)-2] != csvPath || lines[len(lines)-1] != cardsPath || !strings.Contains(stdout, "class-1") || !strings.Contains(stdout, "3 trainees") {
		t.Fatalf("workshop create printed:\n%s", stdout)
	}
	for _, p := range []string{csvPath, cardsPath} {
		if info, err := os.Stat(p); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v (want mode 0600: it holds secrets)", p, info, err)
		}
	}

	rows := readCredentialsCSV(t, csvPath)
	if len(rows) != 3 {
		t.Fatalf("credentials.csv has %d trainees", len(rows))
	}
	page, err := os.ReadFile(cardsPath)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToLower(string(page)), "<script") {
		t.Error("cards.html has a <script")
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("cards.html does not parse: %v", err)
	}
	// The style is the one CardsCSP allows, so the console can serve the page as it is.
	style := doc.Find("head style").Text()
	sum := sha256.Sum256([]byte(style))
	if !strings.Contains(views.CardsCSP, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
		t.Errorf("CardsCSP %q does not allow the page's style", views.CardsCSP)
	}
	for _, rule := range []string{"@page { size: auto; margin: 12mm }", "break-inside: avoid", "width: calc(50% - 2.5mm)"} {
		if !strings.Contains(style, rule) {
			t.Errorf("the print style lacks %q", rule)
		}
	}
	cards := doc.Find(`[data-testid="card"]`)
	if cards.Length() != 3 {
		t.Fatalf("cards.html has %d cards, want 3", cards.Length())
	}

	accounts := map[string]bool{}
	for i, row := range rows {
		user := row["username"]
		if want := []string{"trainee-01", "trainee-02", "trainee-03"}[i]; user != want {
			t.Errorf("row %d is %q, want %q", i, user, want)
		}
		if row["console_url"] != srv.URL || row["account_id"] == models.DefaultAccountID || accounts[row["account_id"]] {
			t.Errorf("row %+v", row)
		}
		accounts[row["account_id"]] = true

		// The password signs in, as that trainee, a member in the sandbox account.
		if _, err := store.SignIn(ctx, models.Credentials{Username: user, Password: row["password"]}); err != nil {
			t.Errorf("%s cannot sign in with the password from credentials.csv: %v", user, err)
		}
		u, err := store.UserByName(ctx, user)
		if err != nil || u.Role != models.RoleMember || u.AccountID != row["account_id"] {
			t.Errorf("user %+v, %v", u, err)
		}

		// The card says the same as the CSV.
		card := cards.Eq(i)
		field := func(id string) string {
			return strings.TrimSpace(card.Find(`[data-testid="` + id + `"]`).Text())
		}
		if card.AttrOr("data-username", "") != user || field("card-user") != user || field("card-password") != row["password"] ||
			field("card-account-id") != row["account_id"] || field("card-access-key-id") != row["access_key_id"] ||
			field("card-secret-access-key") != row["secret_access_key"] || field("card-console-url") != srv.URL {
			t.Errorf("card %d does not match %s's row: %q", i, user, card.Text())
		}
		configure, example := field("card-configure"), field("card-example")
		for _, want := range []string{
			"aws configure set aws_access_key_id " + row["access_key_id"] + " --profile " + user,
			"aws configure set aws_secret_access_key " + row["secret_access_key"] + " --profile " + user,
			"aws configure set region us-east-1 --profile " + user,
		} {
			if !strings.Contains(configure, want) {
				t.Errorf("card %d lacks %q:\n%s", i, want, configure)
			}
		}
		if example != "aws elasticache describe-cache-security-groups --endpoint-url "+srv.URL+" --profile "+user {
			t.Errorf("card %d example: %q", i, example)
		}

		// Pasted into a shell, the card's lines make a real, signed AWS CLI call that sees the
		// trainee's own sandbox and nothing of the admin's demo account.
		var groups describedGroups
		if err := json.Unmarshal(runCardCommands(t, configure+"\n"+example), &groups); err != nil {
			t.Fatalf("%s: describe output: %v", user, err)
		}
		names := map[string]bool{}
		for _, g := range groups.CacheSecurityGroups {
			names[g.CacheSecurityGroupName] = true
			if g.OwnerId != row["account_id"] {
				t.Errorf("%s sees group %s of account %s", user, g.CacheSecurityGroupName, g.OwnerId)
			}
		}
		if !names["default"] || len(groups.CacheSecurityGroups) < 2 {
			t.Errorf("%s's sandbox lists %v: want its default group and its starting data", user, names)
		}
	}

	code, stdout, _ = workshopBinary(t, bin, "workshop", "list", "--db", db)
	if code != 0 || !regexp.MustCompile(`(?m)^class-1\s+3\s`).MatchString(stdout) {
		t.Errorf("workshop list: exit %d\n%s", code, stdout)
	}

	// Bad input exits 1 and writes nothing: no file, no database row, no database file.
	before := consoleCounts(t, store)
	for _, args := range [][]string{
		{"--trainees", "0", "--db", db},
		{"--trainees", "501", "--db", db},
		{"--trainees", "2", "--name", "class-1", "--db", db},
		{"--trainees", "2", "--name", "Not_A_Name", "--db", db},
		{"--trainees", "0", "--db", filepath.Join(dir, "never.db")},
	} {
		refused := filepath.Join(dir, "refused")
		code, stdout, stderr := workshopBinary(t, bin, append([]string{"workshop", "create", "--out", refused}, args...)...)
		if code != 1 || stderr == "" {
			t.Errorf("workshop create %v: exit %d, want 1\n%s\n%s", args, code, stdout, stderr)
		}
		if _, err := os.Stat(refused); !os.IsNotExist(err) {
			t.Errorf("workshop create %v wrote %s", args, refused)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "never.db")); !os.IsNotExist(err) {
		t.Error("a refused workshop create made a database file")
	}
	if after := consoleCounts(t, store); after != before {
		t.Errorf("refused creates changed the database: users, accounts, workshops %v -> %v", before, after)
	}

	// Reset one trainee: their sandbox loses what they made; the others keep theirs; the
	// trainee's password and key still work.
	scopeOf := func(row map[string]string) models.Scope {
		return models.Scope{AccountID: row["account_id"], Region: "us-east-1", Actor: row["username"]}
	}
	for _, row := range rows[:2] {
		if _, err := store.CreateSecurityGroup(ctx, scopeOf(row), "made-in-class", "by the trainee"); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr = workshopBinary(t, bin, "workshop", "reset", "--db", db, "--workshop", "class-1", "--trainee", "trainee-02")
	if code != 0 {
		t.Fatalf("workshop reset: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if _, err := store.GetSecurityGroup(ctx, scopeOf(rows[1]), "made-in-class"); !models.HasCode(err, models.CodeCacheSecurityGroupNotFound) {
		t.Errorf("trainee-02's group survived the reset: %v", err)
	}
	if _, err := store.GetSecurityGroup(ctx, scopeOf(rows[0]), "made-in-class"); err != nil {
		t.Errorf("resetting trainee-02 removed trainee-01's group: %v", err)
	}
	if _, err := store.GetSecurityGroup(ctx, scopeOf(rows[1]), "default"); err != nil {
		t.Errorf("trainee-02's default group is missing after the reset: %v", err)
	}
	if _, err := store.SignIn(ctx, models.Credentials{Username: "trainee-02", Password: rows[1]["password"]}); err != nil {
		t.Errorf("trainee-02's password stopped working after the reset: %v", err)
	}
	if _, secret, err := store.LookupAccessKey(ctx, rows[1]["access_key_id"]); err != nil || secret != rows[1]["secret_access_key"] {
		t.Errorf("trainee-02's key after the reset: %v", err)
	}
	code, _, stderr = workshopBinary(t, bin, "workshop", "reset", "--db", db, "--workshop", "class-1", "--trainee", "admin")
	if code != 1 || !strings.Contains(stderr, "no trainee named admin") {
		t.Errorf("reset of a user outside the workshop: exit %d, %s", code, stderr)
	}
	code, _, stderr = workshopBinary(t, bin, "workshop", "reset", "--db", db, "--workshop", "nope")
	if code != 1 || !strings.Contains(stderr, "nope not found") {
		t.Errorf("reset of an unknown workshop: exit %d, %s", code, stderr)
	}

	// Export writes the same credentials again.
	again := filepath.Join(dir, "again")
	if code, stdout, stderr := workshopBinary(t, bin, "workshop", "export", "--db", db, "--workshop", "class-1", "--out", again); code != 0 {
		t.Fatalf("workshop export: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if exported := readCredentialsCSV(t, filepath.Join(again, "credentials.csv")); !reflect.DeepEqual(exported, rows) {
		t.Errorf("exported credentials differ:\n%v\n%v", exported, rows)
	}

	// Delete: the trainees, their keys and sandboxes go; the admin's account and users stay.
	code, stdout, stderr = workshopBinary(t, bin, "workshop", "delete", "--db", db, "--workshop", "class-1")
	if code != 0 {
		t.Fatalf("workshop delete: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, row := range rows {
		if _, err := store.SignIn(ctx, models.Credentials{Username: row["username"], Password: row["password"]}); !errors.Is(err, models.ErrBadCredentials) {
			t.Errorf("%s still signs in after delete: %v", row["username"], err)
		}
		if _, _, err := store.LookupAccessKey(ctx, row["access_key_id"]); !errors.Is(err, models.ErrUnknownAccessKey) {
			t.Errorf("%s's key still works after delete: %v", row["username"], err)
		}
		if exists, err := store.AccountExists(ctx, row["account_id"]); exists || err != nil {
			t.Errorf("sandbox %s still exists after delete (%v)", row["account_id"], err)
		}
	}
	if _, err := store.SignIn(ctx, models.Credentials{Username: models.AdminUsername, Password: "workshop-admin-pw"}); err != nil {
		t.Errorf("the admin cannot sign in after the delete: %v", err)
	}
	if _, err := store.GetSecurityGroup(ctx, models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}, "web-sessions"); err != nil {
		t.Errorf("the admin's demo data went with the workshop: %v", err)
	}
	if got := consoleCounts(t, store); got != [3]int{1, 1, 0} {
		t.Errorf("after delete: users, accounts, workshops = %v, want [1 1 0]", got)
	}
	code, _, stderr = workshopBinary(t, bin, "workshop", "delete", "--db", db, "--workshop", "class-1")
	if code != 1 || !strings.Contains(stderr, "not found") {
		t.Errorf("deleting it again: exit %d, %s", code, stderr)
	}
}

// TestWorkshopAndServeRefuseABrokenLabDirectory: a broken lab file stops `serve --labs` and
// `workshop create --labs` with the file, the line and the reason, before anything is written.
func TestWorkshopAndServeRefuseABrokenLabDirectory(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	labs := filepath.Join(dir, "labs")
	if err := os.Mkdir(labs, 0o755); err != nil {
		t.Fatal(err)
	}
	broken := "id: broken-lab\ntitle: Broken\nsteps:\n  - title: One\n    instructions: Do it.\n    check:\n      type: no-such-check\n"
	if err := os.WriteFile(filepath.Join(labs, "broken.yaml"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	where := regexp.MustCompile(regexp.QuoteMeta(filepath.Join(labs, "broken.yaml")) + `:[1-9][0-9]*: \S`)
	db := filepath.Join(dir, "never.db")
	for _, args := range [][]string{
		{"serve", "--addr", "127.0.0.1:0", "--db", db, "--labs", labs},
		{"workshop", "create", "--db", db, "--trainees", "2", "--labs", labs, "--out", filepath.Join(dir, "out")},
	} {
		code, stdout, stderr := workshopBinary(t, bin, args...)
		if code != 1 || !where.MatchString(stderr) {
			t.Errorf("%v: exit %d, stderr %q, want exit 1 naming the file and line\n%s", args, code, stderr, stdout)
		}
	}
	for _, p := range []string{db, filepath.Join(dir, "out")} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s was written", p)
		}
	}

	// A good lab directory is taken: the workshop's sandboxes start with its setup.
	good := filepath.Join(dir, "good")
	if err := os.Mkdir(good, 0o755); err != nil {
		t.Fatal(err)
	}
	lab := "id: custom-lab\ntitle: Custom\nsummary: A lab of our own.\nsetup:\n  cache_security_groups:\n    - name: custom-start\n      description: from the lab\nsteps:\n  - title: Delete it\n    instructions: Delete custom-start.\n    check:\n      type: security_group_absent\n      name: custom-start\n"
	if err := os.WriteFile(filepath.Join(good, "custom.yaml"), []byte(lab), 0o644); err != nil {
		t.Fatal(err)
	}
	okDB := filepath.Join(dir, "ok.db")
	code, stdout, stderr := workshopBinary(t, bin, "workshop", "create", "--db", okDB, "--trainees", "1", "--labs", good, "--out", filepath.Join(dir, "ok"), "--name", "custom")
	if code != 0 {
		t.Fatalf("workshop create --labs: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// A new database gets its admin, as serve's first start would make it.
	if !strings.Contains(stdout, `Sign in as "admin" with password`) {
		t.Errorf("a new database's admin sign-in was not printed:\n%s", stdout)
	}
	store, err := models.Open(okDB)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	w, trainees, err := store.GetWorkshop(context.Background(), "custom")
	if err != nil || len(trainees) != 1 || !strings.Contains(","+w.LabIDs+",", ",custom-lab,") {
		t.Fatalf("workshop %+v, %d trainees, %v", w, len(trainees), err)
	}
	if _, err := store.GetSecurityGroup(context.Background(), models.Scope{AccountID: trainees[0].AccountID, Region: "us-east-1"}, "custom-start"); err != nil {
		t.Errorf("the lab's setup is not in the sandbox: %v", err)
	}
	// Resetting needs the same lab directory.
	if code, _, stderr := workshopBinary(t, bin, "workshop", "reset", "--db", okDB, "--workshop", "custom"); code != 1 || !strings.Contains(stderr, "custom-lab") {
		t.Errorf("reset without --labs: exit %d, %s", code, stderr)
	}
	if code, stdout, stderr := workshopBinary(t, bin, "workshop", "reset", "--db", okDB, "--workshop", "custom", "--labs", good); code != 0 {
		t.Errorf("reset with --labs: exit %d\n%s\n%s", code, stdout, stderr)
	}
}
