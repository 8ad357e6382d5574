package web_test

import (
	"bufio"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go"
	"golang.org/x/crypto/bcrypt"

	"sgconsole/handlers"
	"sgconsole/models"
	"sgconsole/web"
)

// The bad-byte table: every console form field, path segment and query value, and every API
// parameter, gets each of these values. No answer may be a 5xx, and SQLite and PostgreSQL must
// answer alike (PostgreSQL used to fail on NUL and invalid UTF-8, and on values longer than a
// column, which SQLite stored).
var badBytes = []struct {
	name string
	make func(base string) string
}{
	{"NUL", func(b string) string { return b + "\x00" }},
	{"invalid UTF-8", func(b string) string { return b + "\xff" }},
	{"lone surrogate", func(b string) string { return b + "\xed\xa0\x80" }},
	{"truncated rune", func(b string) string { return b + "\xe2\x82" }},
	{"control", func(b string) string { return b + "\x01" }},
	{"line break", func(b string) string { return b + "\r\n" }},
	{"256 characters", func(b string) string { return pad(b, 256) }},
	{"1025 characters", func(b string) string { return pad(b, 1025) }},
	{"2049 characters", func(b string) string { return pad(b, 2049) }},
}

func pad(base string, n int) string {
	if base == "" {
		base = "a"
	}
	return base + strings.Repeat("a", max(0, n-len(base)))
}

// engineEnv is the whole server with the demo data on one engine, an admin session and key.
type engineEnv struct {
	*apiEnv
	session *consoleSession
}

// newEngineEnv opens the console on SQLite, or on PostgreSQL in a schema of its own (a small pool:
// the server is shared), exactly as newConsoleStore does otherwise.
func newEngineEnv(t *testing.T, postgres string) *engineEnv {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "badbytes.db")
	if postgres != "" {
		dsn = postgresSchemaURL(t, postgres)
	}
	store, err := models.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	clock := &testClock{now: time.Date(2022, 3, 1, 12, 0, 0, 0, time.UTC)}
	store.Now = clock.Now
	store.PasswordCost = bcrypt.MinCost
	getenv := func(k string) string {
		if k == "SGCONSOLE_ADMIN_PASSWORD" {
			return "browser-test-pw"
		}
		return ""
	}
	if _, err := web.Bootstrap(bg, store, web.Command{Demo: true}, getenv); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(web.Config{}, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	admin, err := store.UserByName(bg, models.AdminUsername)
	if err != nil {
		t.Fatal(err)
	}
	key, err := store.CreateAccessKey(bg, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	// {user} of the route table: a member the user routes act on.
	if _, err := store.CreateUser(bg, models.NewUser{Username: "pat", Role: models.RoleMember, AccountID: models.DefaultAccountID, Password: "pat-password-123"}); err != nil {
		t.Fatal(err)
	}
	env := &apiEnv{srv: srv, store: store, clock: clock, key: key}
	env.client = env.clientFor(key, "us-east-1")
	return &engineEnv{apiEnv: env, session: env.signIn(t)}
}

// postgresSchemaURL gives the test a fresh schema in the database at base, dropped afterwards.
func postgresSchemaURL(t *testing.T, base string) string {
	t.Helper()
	schema := "t_" + models.RandomToken(8)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("PostgreSQL at %s: %v", base, err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", base); err == nil {
			_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// answers records, per request, what a user would notice: the status, where a redirect goes, and
// the messages shown (form errors, alerts, the error page's text, the API's error code).
type answers struct {
	keys []string
	got  map[string]string
}

func (a *answers) add(t *testing.T, key string, status int, detail string) {
	t.Helper()
	if status >= 500 {
		t.Errorf("%s: status %d\n%s", key, status, detail)
	}
	if a.got == nil {
		a.got = map[string]string{}
	}
	if _, dup := a.got[key]; !dup {
		a.keys = append(a.keys, key)
	}
	a.got[key] = fmt.Sprintf("%d %s", status, detail)
}

// statuses counts the answers by status (-1: the SDK did not send the request).
func (a *answers) statuses() map[string]int {
	out := map[string]int{}
	for _, v := range a.got {
		status, _, _ := strings.Cut(v, " ")
		out[status]++
	}
	return out
}

var shownMessages = regexp.MustCompile(`data-testid="(?:error-[a-z0-9_-]+|alert-error|flash|error-message)"[^>]*>([^<]*)`)

// noticed reduces a console answer to what the user sees, without per-run tokens.
func (e *engineEnv) noticed(t *testing.T, r rawResponse) string {
	t.Helper()
	var parts []string
	if loc := r.Header.Get("Location"); loc != "" {
		loc, _, _ = strings.Cut(loc, "#")
		parts = append(parts, "→ "+loc)
		if r.Status == http.StatusSeeOther {
			r = e.session.do(t, http.MethodGet, loc, nil) // a failed form's page, shown once
			parts = append(parts, fmt.Sprint(r.Status))
		}
	}
	for _, m := range shownMessages.FindAllStringSubmatch(r.Body, -1) {
		parts = append(parts, strings.TrimSpace(m[1]))
	}
	if i := strings.Index(r.Body, `<p class="error-page__message"`); i >= 0 {
		parts = append(parts, r.Body[i:min(len(r.Body), i+300)])
	}
	return strings.ReplaceAll(strings.Join(parts, " | "), e.key.AccessKeyID, "{key}")
}

// names of the demo data every route of the isolation table is filled with.
func (e *engineEnv) names() names {
	return names{account: models.DefaultAccountID, group: sharedGroup, cluster: sharedCluster, ec2group: sharedEC2Group,
		instance: sharedInstance, key: e.key.AccessKeyID, user: "pat"}
}

// runConsole drives every console route: each path segment, query value and form field gets each
// bad value in turn.
func (e *engineEnv) runConsole(t *testing.T) *answers {
	a := &answers{}
	n := e.names()
	do := func(key, method, path string, form url.Values) {
		t.Helper()
		if form != nil {
			form.Set("_csrf", e.session.csrf)
		}
		r := e.session.do(t, method, path, form)
		a.add(t, key, r.Status, e.noticed(t, r))
	}
	for _, rc := range consoleRouteTable() {
		method, pattern, _ := strings.Cut(rc.route, " ")
		if strings.HasPrefix(pattern, "/static") || pattern == "/" || pattern == "/logout" || strings.HasSuffix(pattern, "/delete") && method == http.MethodPost && rc.form == nil {
			continue // sign-out ends the session the rest needs; path-only deletes are driven below
		}
		path, query, _ := strings.Cut(n.fill(rc.path), "?")
		// Path segments: each placeholder (or literal name) of the path gets each bad value.
		segments := strings.Split(path, "/")
		for i, seg := range segments {
			if i < 2 || seg == "" || !strings.Contains(pattern, ":") || seg == strings.Split(pattern, "/")[i] {
				continue
			}
			for _, b := range badBytes {
				bad := append([]string(nil), segments...)
				bad[i] = url.PathEscape(b.make(seg))
				form := url.Values(nil)
				if method == http.MethodPost {
					form = n.form(rc.form)
				}
				do(fmt.Sprintf("%s segment %d %s", rc.route, i, b.name), method, strings.Join(bad, "/")+"?"+query, form)
			}
		}
		// Query values, including those every page reads (filter, selected, page, account).
		q, _ := url.ParseQuery(query)
		for _, name := range []string{"filter", "selected", "page", "account", "next", "window"} {
			if !q.Has(name) {
				q.Set(name, "")
			}
		}
		queryNames := make([]string, 0, len(q))
		for name := range q {
			queryNames = append(queryNames, name)
		}
		sort.Strings(queryNames) // the same order on both engines: each request may change the state the next sees
		for _, name := range queryNames {
			for _, b := range badBytes {
				bad := url.Values{}
				for k, v := range q {
					bad[k] = v
				}
				bad.Set(name, b.make(q.Get(name)))
				var form url.Values
				if method == http.MethodPost {
					form = n.form(rc.form)
				}
				do(fmt.Sprintf("%s query %s %s", rc.route, name, b.name), method, path+"?"+bad.Encode(), form)
			}
		}
		if method != http.MethodPost {
			continue
		}
		// Form fields: each field of the route's form, and the hidden _return every form carries.
		fields := []string{handlers.ReturnField}
		for name := range rc.form {
			fields = append(fields, name)
		}
		sort.Strings(fields)
		for _, field := range fields {
			for _, b := range badBytes {
				form := n.form(rc.form)
				form.Set(field, b.make(form.Get(field)))
				do(fmt.Sprintf("%s field %s %s", rc.route, field, b.name), method, path+"?"+query, form)
			}
		}
	}
	// Every create form's free-text fields, which the isolation table leaves short.
	for _, c := range []struct {
		path  string
		form  url.Values
		field string
	}{
		{"/security-groups", url.Values{"name": {"made-here"}, "description": {"Made here"}}, "description"},
		{"/ec2/security-groups", url.Values{"name": {"made-here"}, "description": {"Made here"}, "platform": {"ec2-classic"}}, "description"},
		{"/ec2/security-groups", url.Values{"name": {"made-here"}, "description": {"Made here"}, "platform": {"ec2-classic"}}, "name"},
		{"/ec2/instances", url.Values{"name": {"host"}, "platform": {"ec2-classic"}, "security_groups": {sharedEC2Source}}, "name"},
		{"/clusters", url.Values{"cluster_id": {"made-here"}, "engine": {"redis"}, "node_type": {"cache.t2.small"}, "num_nodes": {"1"}, "network": {"vpc"}, "subnet_group": {"prod"}, "vpc_security_group_ids": {"sg-0a1b2c3d"}}, "vpc_security_group_ids"},
		{"/clusters", url.Values{"cluster_id": {"made-here"}, "engine": {"redis"}, "node_type": {"cache.t2.small"}, "num_nodes": {"1"}, "network": {"vpc"}, "subnet_group": {"prod"}, "vpc_security_group_ids": {"sg-0a1b2c3d"}}, "subnet_group"},
		{"/users", url.Values{"username": {"newcomer"}, "role": {"member"}, "account_id": {models.DefaultAccountID}}, "username"},
		{"/workshops", url.Values{"name": {"class-c"}, "trainees": {"2"}, "prefix": {"student"}, "console_url": {"http://127.0.0.1:8080"}}, "console_url"},
		{"/workshops", url.Values{"name": {"class-c"}, "trainees": {"2"}, "prefix": {"student"}}, "prefix"},
		{"/account/password", url.Values{"current_password": {"browser-test-pw"}, "new_password": {"another-password-1"}, "confirm_password": {"another-password-1"}}, "new_password"},
	} {
		for _, b := range badBytes {
			form := url.Values{}
			for k, v := range c.form {
				form[k] = append([]string(nil), v...)
			}
			form.Set(c.field, b.make(form.Get(c.field)))
			do(fmt.Sprintf("POST %s field %s (valid otherwise) %s", c.path, c.field, b.name), http.MethodPost, c.path, form)
		}
	}
	// A filter longer than SQLite's LIKE pattern limit (50,000 bytes).
	for _, path := range []string{"/security-groups", "/clusters"} {
		do("GET "+path+" filter of 50,001 bytes", http.MethodGet, path+"?filter="+strings.Repeat("%25", 50001), nil)
	}
	// Path-only deletes last: they remove the demo data the routes above are filled with.
	for _, rc := range consoleRouteTable() {
		if !strings.HasSuffix(rc.route, "/delete") || !strings.HasPrefix(rc.route, "POST") || rc.form != nil {
			continue
		}
		path := n.fill(rc.path)
		segments := strings.Split(path, "/")
		for _, b := range badBytes {
			bad := append([]string(nil), segments...)
			bad[len(bad)-2] = url.PathEscape(b.make(bad[len(bad)-2]))
			do(fmt.Sprintf("%s %s", rc.route, b.name), http.MethodPost, strings.Join(bad, "/"), url.Values{})
		}
	}
	return a
}

// runSignIn sends the sign-in form with bad bytes in the username and the password, before any
// session exists (the CSRF token is the cookie's, as for a browser that has not signed in).
func (e *engineEnv) runSignIn(t *testing.T) *answers {
	a := &answers{}
	token := strings.Repeat("c", 64)
	for _, field := range []string{"username", "password", "next"} {
		for _, b := range badBytes {
			form := url.Values{"username": {"admin"}, "password": {"not-the-password"}, "next": {"/clusters"}, "_csrf": {token}}
			form.Set(field, b.make(form.Get(field)))
			req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/login", strings.NewReader(form.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(&http.Cookie{Name: handlers.CSRFCookie, Value: token})
			res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			r := rawResponse{Status: res.StatusCode, Header: res.Header, Body: string(body)}
			var msgs []string
			for _, m := range shownMessages.FindAllStringSubmatch(r.Body, -1) {
				msgs = append(msgs, m[1])
			}
			a.add(t, "POST /login field "+field+" "+b.name, r.Status, r.Header.Get("Location")+" "+strings.Join(msgs, " | "))
		}
	}
	return a
}

// apiParams are every operation's parameters with a valid value each (the demo data's names).
var apiParams = map[string][][2]string{
	"CreateCacheSecurityGroup":           {{"CacheSecurityGroupName", "made-by-api"}, {"Description", "Made by the API"}, {"Tags.Tag.1.Key", "env"}, {"Tags.Tag.1.Value", "prod"}},
	"DescribeCacheSecurityGroups":        {{"CacheSecurityGroupName", sharedGroup}, {"MaxRecords", "20"}, {"Marker", "djE6YQ"}},
	"DeleteCacheSecurityGroup":           {{"CacheSecurityGroupName", "made-by-api"}},
	"AuthorizeCacheSecurityGroupIngress": {{"CacheSecurityGroupName", sharedGroup}, {"EC2SecurityGroupName", sharedEC2Group}, {"EC2SecurityGroupOwnerId", models.DefaultAccountID}},
	"RevokeCacheSecurityGroupIngress":    {{"CacheSecurityGroupName", sharedGroup}, {"EC2SecurityGroupName", sharedEC2Group}, {"EC2SecurityGroupOwnerId", models.DefaultAccountID}},
	"CreateCacheCluster": {{"CacheClusterId", "made-by-api"}, {"Engine", "memcached"}, {"CacheNodeType", "cache.m1.small"}, {"NumCacheNodes", "1"},
		{"CacheSecurityGroupNames.CacheSecurityGroupName.1", sharedGroup}},
	"DescribeCacheClusters":  {{"CacheClusterId", sharedCluster}, {"MaxRecords", "20"}, {"Marker", "djE6YQ"}},
	"ModifyCacheCluster":     {{"CacheClusterId", sharedCluster}, {"CacheSecurityGroupNames.CacheSecurityGroupName.1", sharedGroup}, {"ApplyImmediately", "true"}},
	"DeleteCacheCluster":     {{"CacheClusterId", "made-by-api"}},
	"DescribeEvents":         {{"SourceIdentifier", sharedGroup}, {"SourceType", "cache-security-group"}, {"Duration", "60"}, {"MaxRecords", "20"}},
	"ListTagsForResource":    {{"ResourceName", "arn:aws:elasticache:us-east-1:" + models.DefaultAccountID + ":securitygroup:" + sharedGroup}},
	"AddTagsToResource":      {{"ResourceName", "arn:aws:elasticache:us-east-1:" + models.DefaultAccountID + ":securitygroup:" + sharedGroup}, {"Tags.Tag.1.Key", "env"}, {"Tags.Tag.1.Value", "prod"}},
	"RemoveTagsFromResource": {{"ResourceName", "arn:aws:elasticache:us-east-1:" + models.DefaultAccountID + ":securitygroup:" + sharedGroup}, {"TagKeys.TagKey.1", "env"}},
}

// runAPI drives every operation: each parameter gets each bad value, in a request signed with the
// SDK's signer (the SDK itself would send the bytes too, but a hand-built form says exactly what
// went on the wire), then the same through the SDK client for the values it sends.
func (e *engineEnv) runAPI(t *testing.T) *answers {
	a := &answers{}
	served := make([]string, 0, len(apiParams))
	for op := range apiParams {
		served = append(served, op)
	}
	sort.Strings(served)
	for _, op := range served {
		params := apiParams[op]
		for i := range params {
			for _, b := range badBytes {
				form := apiForm(op)
				for j, p := range params {
					v := p[1]
					if i == j {
						v = b.make(v)
					}
					form.Set(p[0], v)
				}
				r := e.rawCall(t, form, rawOptions{})
				a.add(t, fmt.Sprintf("%s %s %s", op, params[i][0], b.name), r.Status, apiCode(r.Body))
			}
		}
	}
	// The same values through the SDK client, as an application would send them.
	for _, b := range badBytes {
		for _, c := range apiTable(&isolationEnv{apiEnv: e.apiEnv}) {
			bad := names{account: models.DefaultAccountID, group: b.make(sharedGroup), cluster: b.make(sharedCluster), ec2group: b.make(sharedEC2Group)}
			err := c.call(e.client, bad)
			status, code := 200, ""
			if err != nil {
				status = httpStatus(err)
				var ae smithy.APIError
				if errors.As(err, &ae) {
					code = ae.ErrorCode()
				}
			}
			if status == 0 {
				status, code = -1, "not sent: "+err.Error()
			}
			a.add(t, fmt.Sprintf("SDK %s %s", c.action, b.name), status, code)
		}
	}
	return a
}

var apiCodePattern = regexp.MustCompile(`<Code>([^<]*)</Code>`)

func apiCode(body string) string {
	if m := apiCodePattern.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	if strings.Contains(body, "Response xmlns") {
		return "ok"
	}
	return "not XML: " + body[:min(len(body), 200)]
}

// runHeaders sends Authorization headers with bad bytes in the key ID over a raw connection (Go's
// client refuses to send a NUL in a header). The answer must not be a 5xx.
func (e *engineEnv) runHeaders(t *testing.T) *answers {
	a := &answers{}
	body := apiForm("DescribeCacheSecurityGroups").Encode()
	sum := sha256.Sum256([]byte(body))
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	creds := aws.Credentials{AccessKeyID: e.key.AccessKeyID, SecretAccessKey: e.key.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(bg, creds, req, hex.EncodeToString(sum[:]), "elasticache", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	auth := req.Header.Get("Authorization")
	for _, b := range badBytes {
		bad := strings.Replace(auth, "Credential="+e.key.AccessKeyID, "Credential="+b.make(e.key.AccessKeyID), 1)
		status := rawPost(t, e.srv.Listener.Addr().String(), body, map[string]string{
			"Authorization": bad, "X-Amz-Date": req.Header.Get("X-Amz-Date"), "Content-Type": req.Header.Get("Content-Type")})
		a.add(t, "Authorization key ID "+b.name, status, "")
	}
	return a
}

// rawPost writes one HTTP/1.1 request byte for byte and returns the status.
func rawPost(t *testing.T, addr, body string, header map[string]string) int {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var b strings.Builder
	fmt.Fprintf(&b, "POST / HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\nConnection: close\r\n", addr, len(body))
	for k, v := range header {
		fmt.Fprintf(&b, "%s: %s\r\n", k, v)
	}
	b.WriteString("\r\n" + body)
	if _, err := io.WriteString(conn, b.String()); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestBadBytesEverywhere runs the table on SQLite and, when SGCONSOLE_TEST_POSTGRES names a
// database (make test sets it), on PostgreSQL, and compares every answer.
func TestBadBytesEverywhere(t *testing.T) {
	type run struct{ console, signIn, api, headers *answers }
	drive := func(t *testing.T, postgres string) run {
		e := newEngineEnv(t, postgres)
		return run{signIn: e.runSignIn(t), headers: e.runHeaders(t), api: e.runAPI(t), console: e.runConsole(t)}
	}
	var sqlite run
	t.Run("SQLite", func(t *testing.T) { sqlite = drive(t, "") })
	for name, a := range map[string]*answers{"sign-in": sqlite.signIn, "Authorization header": sqlite.headers, "API": sqlite.api, "console": sqlite.console} {
		if a != nil {
			t.Logf("%s: %d requests, statuses %v", name, len(a.keys), a.statuses())
		}
	}
	pg := os.Getenv("SGCONSOLE_TEST_POSTGRES")
	if pg == "" {
		t.Skip("SGCONSOLE_TEST_POSTGRES is not set: the PostgreSQL half and the comparison did not run")
	}
	var postgres run
	t.Run("PostgreSQL", func(t *testing.T) { postgres = drive(t, pg) })
	if sqlite.console == nil || postgres.console == nil {
		t.FailNow()
	}
	compared := 0
	for _, pair := range [][2]*answers{{sqlite.signIn, postgres.signIn}, {sqlite.headers, postgres.headers}, {sqlite.api, postgres.api}, {sqlite.console, postgres.console}} {
		for _, key := range pair[0].keys {
			compared++
			if a, b := pair[0].got[key], pair[1].got[key]; a != b {
				t.Errorf("%s:\n  SQLite:     %s\n  PostgreSQL: %s", key, a, b)
			}
		}
	}
	t.Logf("%d requests answered alike on both engines", compared)
}
