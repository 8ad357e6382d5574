// Command benchload is issue 11's load benchmark (make bench-load, docs/benchmarks.md): it fills a
// temporary SQLite database with one account of 50 cache security groups, starts bin/sgconsole serve
// on it and drives four rows with N concurrent keep-alive clients for a fixed duration each: a
// trivial in-process server returning the same Describe bytes, /healthz, one SigV4-signed
// DescribeCacheSecurityGroups request replayed, and the signed-in /security-groups?size=100 page.
// First version: single account on SQLite; the 1,000-account and PostgreSQL rows come later.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"sgconsole/handlers"
	"sgconsole/models"
)

const (
	groups        = 50
	region        = "us-east-1"
	adminPassword = "bench-load-password"
	describeBody  = "Action=DescribeCacheSecurityGroups&Version=2015-02-02&MaxRecords=100"
)

func main() {
	duration := flag.Duration("duration", 10*time.Second, "how long each row runs")
	clients := flag.Int("clients", 16, "concurrent clients")
	bin := flag.String("bin", "bin/sgconsole", "the sgconsole binary to benchmark (built by make bench-load)")
	flag.Parse()
	if err := run(*bin, *duration, *clients); err != nil {
		fmt.Fprintln(os.Stderr, "benchload:", err)
		os.Exit(1)
	}
}

func run(bin string, duration time.Duration, clients int) error {
	if clients < 1 || duration <= 0 {
		return errors.New("-clients must be at least 1 and -duration longer than 0")
	}
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "sgconsole-benchload-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	dbPath, keyFile := filepath.Join(dir, "bench.db"), filepath.Join(dir, "key")
	ctx := context.Background()
	key, err := seed(ctx, dbPath, keyFile)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}

	port, err := freePort()
	if err != nil {
		return err
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:"+strconv.Itoa(port), "--db", dbPath, "--key-file", keyFile, "--log-level", "error")
	cmd.Env = append(os.Environ(), "SGCONSOLE_ADMIN_PASSWORD="+adminPassword)
	var serverOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &serverOut, &serverOut
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	if err := waitHealthy(base, 30*time.Second); err != nil {
		return fmt.Errorf("%w; server output:\n%s", err, serverOut.String())
	}

	client := &http.Client{
		Transport:     &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, MaxConnsPerHost: clients * 2},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
	describe, err := signedDescribe(ctx, base, key)
	if err != nil {
		return err
	}
	describeBytes, err := fetch(client, describe())
	if err != nil {
		return fmt.Errorf("signed Describe: %w", err)
	}
	if !bytes.Contains(describeBytes, []byte("<DescribeCacheSecurityGroupsResult>")) || bytes.Count(describeBytes, []byte("<CacheSecurityGroupName>")) != groups {
		return fmt.Errorf("signed Describe did not list %d groups:\n%s", groups, describeBytes)
	}

	trivial := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write(describeBytes)
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = trivial.Serve(ln) }()
	defer trivial.Close()
	trivialURL := "http://" + ln.Addr().String() + "/"

	session, err := signIn(base)
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	listPage := func() *http.Request {
		req, _ := http.NewRequest(http.MethodGet, base+"/security-groups?size=100", nil)
		req.AddCookie(session)
		return req
	}
	page, err := fetch(client, listPage())
	if err != nil {
		return fmt.Errorf("list page: %w", err)
	}
	if !bytes.Contains(page, []byte("bench-group-49")) {
		return errors.New("the signed-in list page does not show bench-group-49")
	}

	rows := []struct {
		name string
		req  func() *http.Request
	}{
		{"trivial Go server, same Describe bytes", func() *http.Request { r, _ := http.NewRequest(http.MethodGet, trivialURL, nil); return r }},
		{"/healthz", func() *http.Request { r, _ := http.NewRequest(http.MethodGet, base+"/healthz", nil); return r }},
		{"DescribeCacheSecurityGroups (signed, replayed)", describe},
		{"/security-groups?size=100, signed in", listPage},
	}
	fmt.Printf("sgconsole load benchmark: 1 account × %d cache security groups on SQLite, %d clients, %s per row, %d bytes of Describe\n",
		groups, clients, duration, len(describeBytes))
	fmt.Printf("(first version: the 1,000-account and PostgreSQL rows come later)\n\n")
	results := make([]result, len(rows))
	for i, row := range rows {
		results[i] = load(client, row.req, clients, duration)
	}
	peak, err := vmHWM(cmd.Process.Pid)
	if err != nil {
		return err
	}

	fmt.Printf("| %-48s | %10s | %8s | %8s | %6s |\n", "request", "req/s", "p50", "p99", "errors")
	fmt.Printf("|%s|%s:|%s:|%s:|%s:|\n", strings.Repeat("-", 50), strings.Repeat("-", 11), strings.Repeat("-", 9), strings.Repeat("-", 9), strings.Repeat("-", 7))
	for i, row := range rows {
		r := results[i]
		fmt.Printf("| %-48s | %10.0f | %8s | %8s | %6d |\n", row.name, r.rps, ms(r.p50), ms(r.p99), r.errors)
	}
	fmt.Printf("\nserver peak RSS (VmHWM at the end): %s\n", peak)
	target := func(name string, num, den result) {
		ratio := 0.0
		if den.rps > 0 {
			ratio = num.rps / den.rps
		}
		verdict := "below"
		if ratio >= 0.25 {
			verdict = "meets"
		}
		p99 := "over"
		if num.p99 < 25*time.Millisecond {
			p99 = "under"
		}
		fmt.Printf("%s: %.1f%% (%s the 25%% target); p99 %s (%s the 25 ms target)\n", name, 100*ratio, verdict, ms(num.p99), p99)
	}
	target("Describe / trivial", results[2], results[0])
	target("list / healthz", results[3], results[1])
	if results[0].errors+results[1].errors+results[2].errors+results[3].errors > 0 {
		return errors.New("some requests failed (see the errors column)")
	}
	return nil
}

// seed fills a new SQLite database: the admin, an access key for it and 50 groups in the default
// account (the region's "default" and 49 more) with three authorizations each. It returns the key.
func seed(ctx context.Context, dbPath, keyFile string) (models.NewAccessKey, error) {
	store, err := models.Open(dbPath)
	if err != nil {
		return models.NewAccessKey{}, err
	}
	defer store.Close()
	store.PropagationDelay = 0
	if err := store.UseKeyFile(ctx, keyFile); err != nil {
		return models.NewAccessKey{}, err
	}
	if _, _, err := store.EnsureAdmin(ctx, adminPassword); err != nil {
		return models.NewAccessKey{}, err
	}
	admin, err := store.UserByName(ctx, models.AdminUsername)
	if err != nil {
		return models.NewAccessKey{}, err
	}
	key, err := store.CreateAccessKey(ctx, admin.ID)
	if err != nil {
		return models.NewAccessKey{}, err
	}
	scope := models.Scope{AccountID: models.DefaultAccountID, Region: region, Actor: "benchload", Via: "console"}
	// The region starts with its "default" group; 49 more make the 50 (the region's quota).
	for i := 1; i <= groups; i++ {
		name := "default"
		if i < groups {
			name = fmt.Sprintf("bench-group-%d", i)
			if _, err := store.CreateSecurityGroup(ctx, scope, name, "load benchmark group "+strconv.Itoa(i)); err != nil {
				return models.NewAccessKey{}, err
			}
		}
		for j := 1; j <= 3; j++ {
			if _, err := store.AuthorizeIngress(ctx, scope, name, fmt.Sprintf("app-%d", j), fmt.Sprintf("2109876543%02d", j)); err != nil {
				return models.NewAccessKey{}, err
			}
		}
	}
	return key, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func waitHealthy(base string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if res, err := http.Get(base + "/healthz"); err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s/healthz did not answer 200 within %s", base, within)
}

// signedDescribe signs one DescribeCacheSecurityGroups request with the SDK's signer and returns a
// function that makes a fresh copy of it (same headers, same body) for every replay.
func signedDescribe(ctx context.Context, base string, key models.NewAccessKey) (func() *http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, base+"/", strings.NewReader(describeBody))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(describeBody))
	creds := aws.Credentials{AccessKeyID: key.AccessKeyID, SecretAccessKey: key.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "elasticache", region, time.Now()); err != nil {
		return nil, err
	}
	header := req.Header.Clone()
	return func() *http.Request {
		r, _ := http.NewRequest(http.MethodPost, base+"/", strings.NewReader(describeBody))
		r.Header = header.Clone()
		return r
	}, nil
}

// signIn signs the admin in through the form, with the CSRF cookie and token the sign-in page
// sets, and returns the session cookie.
func signIn(base string) (*http.Cookie, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(base + "/login")
	if err != nil {
		return nil, err
	}
	page, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	m := regexp.MustCompile(`name="_csrf" value="([0-9a-f]+)"`).FindSubmatch(page)
	if m == nil {
		return nil, fmt.Errorf("no CSRF token on /login (status %d)", res.StatusCode)
	}
	form := url.Values{"username": {models.AdminUsername}, "password": {adminPassword}, "_csrf": {string(m[1])}, "next": {"/security-groups"}}
	res, err = c.PostForm(base+"/login", form)
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	u, _ := url.Parse(base)
	for _, ck := range jar.Cookies(u) {
		if ck.Name == handlers.SessionCookie {
			return &http.Cookie{Name: ck.Name, Value: ck.Value}, nil
		}
	}
	return nil, fmt.Errorf("POST /login answered %d without a session cookie", res.StatusCode)
}

func fetch(c *http.Client, req *http.Request) ([]byte, error) {
	res, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err == nil && res.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d: %.300s", res.StatusCode, b)
	}
	return b, err
}

type result struct {
	rps      float64
	p50, p99 time.Duration
	errors   int
}

// load runs clients goroutines, each sending newReq's request and reading the whole answer in a
// loop, for duration. A non-200 answer or a transport error counts as an error.
func load(c *http.Client, newReq func() *http.Request, clients int, duration time.Duration) result {
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      int
		wg        sync.WaitGroup
	)
	start := time.Now()
	end := start.Add(duration)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for time.Now().Before(end) {
				t0 := time.Now()
				res, err := c.Do(newReq())
				if err != nil {
					bad++
					continue
				}
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if err != nil || res.StatusCode != http.StatusOK {
					bad++
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	r := result{rps: float64(len(latencies)) / elapsed.Seconds(), errors: errs}
	if n := len(latencies); n > 0 {
		r.p50, r.p99 = latencies[n*50/100], latencies[min(n-1, n*99/100)]
	}
	return r
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// vmHWM is the process's peak resident set size, from /proc/<pid>/status.
func vmHWM(pid int) (string, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%.1f MB", float64(kb)/1024), nil
		}
	}
	return "", errors.New("no VmHWM in /proc status")
}
