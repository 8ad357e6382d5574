package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"sgconsole/handlers"
	"sgconsole/models"
	"sgconsole/web"
)

// Each route group gets only its own middleware: these tests pin what a user (a browser, a
// cache in front of the console, an SDK, a health prober) sees of that split.

// groupsEnv is the console on a real listener with a signed-in admin's session token.
type groupsEnv struct {
	*apiEnv
	session string
}

func newGroupsEnv(t *testing.T) groupsEnv {
	t.Helper()
	env := newAPIEnv(t, false)
	session, err := env.store.SignIn(bg, models.Credentials{Username: models.AdminUsername, Password: "browser-test-pw", Address: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	return groupsEnv{apiEnv: env, session: session}
}

// cookieJars are the cookies a request may arrive with: none, a signed-in browser's, and a
// session that no longer exists (the lookup would fail).
func (g groupsEnv) cookieJars() map[string][]*http.Cookie {
	csrf := &http.Cookie{Name: handlers.CSRFCookie, Value: strings.Repeat("a", 64)}
	return map[string][]*http.Cookie{
		"no cookie":     nil,
		"signed in":     {{Name: handlers.SessionCookie, Value: g.session}, csrf},
		"stale session": {{Name: handlers.SessionCookie, Value: "gone"}},
	}
}

func (g groupsEnv) get(t *testing.T, target string, cookies []*http.Cookie) rawResponse {
	t.Helper()
	req := mustRequest(t, http.MethodGet, g.srv.URL+target)
	for _, ck := range cookies {
		req.AddCookie(ck)
	}
	return g.send(t, req)
}

func wantNoCookie(t *testing.T, what string, r rawResponse) {
	t.Helper()
	if sc := r.Header.Values("Set-Cookie"); len(sc) > 0 {
		t.Errorf("%s: Set-Cookie %q, want none", what, sc)
	}
}

// wantSecurityHeaders checks the headers every response carries, whichever group answered.
func wantSecurityHeaders(t *testing.T, what string, r rawResponse) {
	t.Helper()
	for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "X-Request-Id"} {
		if r.Header.Get(h) == "" {
			t.Errorf("%s: no %s header", what, h)
		}
	}
}

// A static file is the same for everyone and marked Cache-Control: public, so a shared cache may
// hand it to anyone: it must never carry a cookie (before, it set the CSRF cookie). /healthz is
// polled by probers that keep no cookies either.
func TestStaticAndHealthzSetNoCookie(t *testing.T) {
	g := newGroupsEnv(t)
	for name, cookies := range g.cookieJars() {
		r := g.get(t, "/static/css/app.css", cookies)
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "{") {
			t.Fatalf("static file, %s: status %d\n%s", name, r.Status, r.Body)
		}
		wantNoCookie(t, "static file, "+name, r)
		wantSecurityHeaders(t, "static file, "+name, r)
		if cc := r.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public") {
			t.Errorf("static file, %s: Cache-Control %q, want public", name, cc)
		}

		r = g.get(t, "/healthz", cookies)
		if r.Status != http.StatusOK || r.Body != "ok\n" {
			t.Fatalf("/healthz, %s: status %d, body %q", name, r.Status, r.Body)
		}
		wantNoCookie(t, "/healthz, "+name, r)
		wantSecurityHeaders(t, "/healthz, "+name, r)
	}
}

// The Query API is signed with SigV4: a call never gets a session or CSRF cookie, even from a
// client that sends the console's cookies, and every failure, wherever it happens, is the API's
// XML, never a console page.
func TestAPIGroupSetsNoCookieAndFailsInXML(t *testing.T) {
	g := newGroupsEnv(t)
	form := apiForm("DescribeCacheSecurityGroups")
	for name, cookies := range g.cookieJars() {
		signed := func(method, target, body string) *http.Request {
			req := g.signed(t, method, target, body)
			for _, ck := range cookies {
				req.AddCookie(ck)
			}
			return req
		}
		r := g.send(t, signed(http.MethodPost, "/", form.Encode()))
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/xml") {
			t.Fatalf("%s: POST / status %d, Content-Type %q\n%s", name, r.Status, r.Header.Get("Content-Type"), r.Body)
		}
		wantNoCookie(t, name+": POST /", r)
		r = g.send(t, signed(http.MethodGet, "/?"+form.Encode(), ""))
		if r.Status != http.StatusOK {
			t.Fatalf("%s: GET /?Action= status %d\n%s", name, r.Status, r.Body)
		}
		wantNoCookie(t, name+": GET /?Action=", r)

		failures := []struct {
			what   string
			req    *http.Request
			status int
			code   string
		}{
			{"a region sgconsole does not simulate", signed(http.MethodPost, "/?region=mars-1", form.Encode()), http.StatusBadRequest, "InvalidParameterValue"},
			{"an action that does not exist", signed(http.MethodGet, "/?"+apiForm("DescribeNothing").Encode(), ""), http.StatusBadRequest, "InvalidAction"},
			{"a method the API does not serve", signed(http.MethodPut, "/", form.Encode()), http.StatusMethodNotAllowed, "InvalidAction"},
			{"an unsigned call", func() *http.Request {
				req := mustRequest(t, http.MethodGet, g.srv.URL+"/?"+form.Encode())
				for _, ck := range cookies {
					req.AddCookie(ck)
				}
				return req
			}(), http.StatusForbidden, "MissingAuthenticationToken"},
		}
		bad := signed(http.MethodPost, "/", form.Encode())
		auth := bad.Header.Get("Authorization")
		flipped := "0"
		if strings.HasSuffix(auth, "0") {
			flipped = "1"
		}
		bad.Header.Set("Authorization", auth[:len(auth)-1]+flipped) // the signature's last hex digit
		failures = append(failures, struct {
			what   string
			req    *http.Request
			status int
			code   string
		}{"a bad signature", bad, http.StatusForbidden, "SignatureDoesNotMatch"})
		for _, f := range failures {
			t.Run(name+"/"+f.what, func(t *testing.T) {
				r := g.send(t, f.req)
				r.wantError(t, f.status, f.code)
				wantNoCookie(t, f.what, r)
				wantSecurityHeaders(t, f.what, r)
			})
		}
	}
}

// The console still sets the CSRF cookie on the sign-in page (the sign-in form needs it), and its
// pages, the redirect of / and error pages, even one no route matched, are never cached.
func TestConsoleGroupKeepsCSRFCookieAndNoStore(t *testing.T) {
	g := newGroupsEnv(t)
	r := g.get(t, "/login", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("/login: status %d", r.Status)
	}
	if sc := strings.Join(r.Header.Values("Set-Cookie"), "; "); !strings.Contains(sc, handlers.CSRFCookie+"=") || !strings.Contains(sc, "HttpOnly") {
		t.Errorf("/login: Set-Cookie %q, want the HttpOnly CSRF cookie", sc)
	}
	signedIn := g.cookieJars()["signed in"]
	for _, c := range []struct {
		target  string
		cookies []*http.Cookie
		status  int
	}{
		{"/login", nil, http.StatusOK},
		{"/", nil, http.StatusSeeOther}, // to the sign-in page
		{"/security-groups", signedIn, http.StatusOK},
		{"/", signedIn, http.StatusFound},
		{"/no-such-page", signedIn, http.StatusNotFound},
		{"/security-groups?region=mars-1", signedIn, http.StatusBadRequest},
	} {
		req := mustRequest(t, http.MethodGet, g.srv.URL+c.target)
		for _, ck := range c.cookies {
			req.AddCookie(ck)
		}
		res, err := http.DefaultTransport.RoundTrip(req) // redirects are the answer, not followed
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != c.status {
			t.Errorf("GET %s: status %d, want %d", c.target, res.StatusCode, c.status)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", c.target, cc)
		}
	}
}

// /healthz takes no turn at the pool gate: while every turn is taken (the console's pages answer
// 503), it still pings the database on an idle connection and answers 200. The gate exists only on
// PostgreSQL, so this test needs it.
func TestHealthzAnswersWhileThePoolGateIsFull(t *testing.T) {
	base := os.Getenv("SGCONSOLE_TEST_POSTGRES")
	if base == "" {
		t.Skip("needs PostgreSQL: set SGCONSOLE_TEST_POSTGRES (make test does); SQLite has no gate")
	}
	dbURL, _, _ := poolTestSchema(t, base)
	const maxConns = 2
	store, err := models.OpenWith(dbURL, models.Options{MaxConns: maxConns, Wait: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	srv := httptest.NewServer(web.New(web.Config{}, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	get := func(path string) (int, string) {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}

	var releases []func()
	for range maxConns {
		release, err := store.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, release)
	}
	if status, _ := get("/login"); status != http.StatusServiceUnavailable {
		t.Errorf("/login with every turn taken: status %d, want 503", status)
	}
	if status, body := get("/healthz"); status != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz with every turn taken: status %d, body %q, want 200 ok", status, body)
	}
	for _, release := range releases {
		release()
	}
	if status, _ := get("/login"); status != http.StatusOK {
		t.Errorf("/login after the turns were given back: status %d, want 200", status)
	}
}
