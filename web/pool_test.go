package web_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" for database/sql

	"sgconsole/models"
)

// poolTestSchema is a fresh schema of the PostgreSQL test database, dropped after the test, and
// the URL that uses it under its own application_name, so the test can count the server's
// connections of exactly this console.
func poolTestSchema(t *testing.T, base string) (dbURL, appName string, admin *sql.DB) {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	admin.SetMaxOpenConns(3)
	t.Cleanup(func() { admin.Close() })
	schema := "pool_" + strings.ToLower(models.RandomToken(6))
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("PostgreSQL at %s: %v", base, err)
	}
	t.Cleanup(func() { _, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("application_name", "sgconsole_"+schema)
	u.RawQuery = q.Encode()
	return u.String(), "sgconsole_" + schema, admin
}

// startConsole runs the real binary until the test ends and returns its URL.
func startConsole(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(buildBinary(t), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(append(os.Environ(), "SGCONSOLE_DB=", "SGCONSOLE_KEY_FILE="), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if m := regexp.MustCompile(`running at (http://\S+)/`).FindStringSubmatch(lines.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return m[1]
		}
	}
	t.Fatalf("the console did not start")
	return ""
}

// poolOutcome is one answer under load, checked by the request's own rules.
type poolOutcome struct {
	what   string
	status int
	err    string // what is wrong with the answer, "" when it is right
}

// TestPoolBoundedUnderLoad runs the console on PostgreSQL with 4 connections and a 200 ms wait and
// sends 40 requests at once, console pages and API calls, while the tables they read are locked so
// every admitted request holds its connection: the console never has more than 4 connections
// open, the requests that find none free are answered 503 with Retry-After (the console's page, or
// the API's Throttling XML), nothing answers any other 5xx, and every 200 is the right answer.
func TestPoolBoundedUnderLoad(t *testing.T) {
	base := os.Getenv("SGCONSOLE_TEST_POSTGRES")
	if base == "" {
		t.Skip("needs PostgreSQL: set SGCONSOLE_TEST_POSTGRES (make test does)")
	}
	const maxConns, concurrent = 4, 40
	dbURL, appName, admin := poolTestSchema(t, base)
	key := models.NewAccessKey{AccessKeyID: "AKIAPOOLTESTAAAAAAAA", SecretAccessKey: strings.Repeat("p", 40)}
	consoleURL := startConsole(t, []string{"SGCONSOLE_ADMIN_PASSWORD=pool-test-password",
		"SGCONSOLE_ADMIN_ACCESS_KEY_ID=" + key.AccessKeyID, "SGCONSOLE_ADMIN_SECRET_ACCESS_KEY=" + key.SecretAccessKey},
		"--db", dbURL, "--key-file", filepath.Join(t.TempDir(), "pool.key"), "--demo",
		"--db-max-conns", fmt.Sprint(maxConns), "--db-wait", "200ms")
	browser := signInTo(t, consoleURL, "pool-test-password")

	// The most connections the console held, sampled while the load runs.
	var peak atomic.Int64
	sampling, stopSampling := context.WithCancel(context.Background())
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for sampling.Err() == nil {
			var n int64
			if err := admin.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", appName).Scan(&n); err == nil && n > peak.Load() {
				peak.Store(n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()

	run := func(lock time.Duration) []poolOutcome {
		t.Helper()
		var tx *sql.Tx
		if lock > 0 {
			// Sessions and access keys are what every console page and API call reads first:
			// locked, each admitted request waits on them holding its connection.
			var err error
			if tx, err = admin.Begin(); err != nil {
				t.Fatal(err)
			}
			schema := strings.TrimPrefix(appName, "sgconsole_")
			if _, err := tx.Exec("LOCK TABLE " + schema + ".sessions, " + schema + ".access_keys IN ACCESS EXCLUSIVE MODE"); err != nil {
				t.Fatal(err)
			}
		}
		outcomes := make([]poolOutcome, concurrent)
		var wg sync.WaitGroup
		for i := range concurrent {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i%2 == 0 {
					outcomes[i] = consolePage(browser, consoleURL)
				} else {
					outcomes[i] = apiDescribe(consoleURL, key)
				}
			}()
		}
		if tx != nil {
			time.Sleep(lock)
			_ = tx.Rollback()
		}
		wg.Wait()
		return outcomes
	}

	for _, phase := range []struct {
		name   string
		lock   time.Duration
		min503 int
		min200 int
	}{
		// Locked for longer than the wait: only the 4 admitted requests can get an answer.
		{name: "connections held", lock: time.Second, min503: concurrent - maxConns, min200: 1},
		// Unlocked: most get through; any refused are refused the same way.
		{name: "connections free", lock: 0, min503: 0, min200: concurrent / 2},
	} {
		outcomes := run(phase.lock)
		counts := map[int]int{}
		for _, o := range outcomes {
			counts[o.status]++
			if o.err != "" {
				t.Errorf("%s: %s: %s", phase.name, o.what, o.err)
			}
		}
		t.Logf("%s: %d requests, answers by status %v", phase.name, concurrent, counts)
		if counts[http.StatusServiceUnavailable] < phase.min503 || counts[http.StatusOK] < phase.min200 ||
			counts[http.StatusOK]+counts[http.StatusServiceUnavailable] != concurrent {
			t.Errorf("%s: answers by status %v, want only 200 and 503, at least %d of 503 and %d of 200",
				phase.name, counts, phase.min503, phase.min200)
		}
	}
	stopSampling()
	<-sampled
	t.Logf("most connections open at once: %d (pool of %d)", peak.Load(), maxConns)
	if peak.Load() > maxConns || peak.Load() == 0 {
		t.Errorf("the console had %d PostgreSQL connections open at once, want 1 to %d", peak.Load(), maxConns)
	}
}

// signInTo signs in through the real form and returns the signed-in browser.
func signInTo(t *testing.T, consoleURL, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := browser.Get(consoleURL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	token, _ := doc.Find(`input[name="_csrf"]`).First().Attr("value")
	res, err = browser.PostForm(consoleURL+"/login", url.Values{"_csrf": {token}, "username": {models.AdminUsername}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: status %d", res.StatusCode)
	}
	return browser
}

// consolePage loads the security groups pane: 200 lists the demo's groups; 503 is the console's
// busy page with Retry-After.
func consolePage(browser *http.Client, consoleURL string) poolOutcome {
	o := poolOutcome{what: "console GET /security-groups"}
	res, err := browser.Get(consoleURL + "/security-groups")
	if err != nil {
		o.err = err.Error()
		return o
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	o.status = res.StatusCode
	switch res.StatusCode {
	case http.StatusOK:
		for _, name := range []string{"web-sessions", "app-cache", "reporting"} {
			if !strings.Contains(string(body), name) {
				o.err = "200 without the group " + name
			}
		}
	case http.StatusServiceUnavailable:
		if res.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "every database connection is in use") {
			o.err = fmt.Sprintf("503 without Retry-After (%q) or the busy message", res.Header.Get("Retry-After"))
		}
	default:
		o.err = fmt.Sprintf("status %d", res.StatusCode)
	}
	return o
}

// apiDescribe calls DescribeCacheSecurityGroups signed with SigV4: 200 lists the demo's groups;
// 503 is the Query API's Throttling error with Retry-After.
func apiDescribe(consoleURL string, key models.NewAccessKey) poolOutcome {
	o := poolOutcome{what: "API DescribeCacheSecurityGroups"}
	body := url.Values{"Action": {"DescribeCacheSecurityGroups"}, "Version": {"2015-02-02"}}.Encode()
	req, _ := http.NewRequest(http.MethodPost, consoleURL+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: key.AccessKeyID, SecretAccessKey: key.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "elasticache", "us-east-1", time.Now()); err != nil {
		o.err = err.Error()
		return o
	}
	res, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		o.err = err.Error()
		return o
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	o.status = res.StatusCode
	switch res.StatusCode {
	case http.StatusOK:
		for _, name := range []string{"web-sessions", "app-cache", "reporting"} {
			if !strings.Contains(string(b), "<CacheSecurityGroupName>"+name+"</CacheSecurityGroupName>") {
				o.err = "200 without the group " + name
			}
		}
	case http.StatusServiceUnavailable:
		if res.Header.Get("Retry-After") == "" || !strings.Contains(string(b), "<Code>Throttling</Code>") ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), "text/xml") {
			o.err = fmt.Sprintf("503 without Retry-After (%q) or not the Throttling XML: %s", res.Header.Get("Retry-After"), b)
		}
	default:
		o.err = fmt.Sprintf("status %d: %.200s", res.StatusCode, b)
	}
	return o
}
