package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"
	"golang.org/x/crypto/bcrypt"

	"sgconsole/handlers"
	"sgconsole/models"
)

// adminPassword is what the test console's admin signs in with.
const adminPassword = "handler-test-password"

// propagationDelay is how long authorizing and revoking last in these tests.
const propagationDelay = 10 * time.Second

// fakeClock is the store's clock; tests move it instead of sleeping.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// console is the whole server (middleware, routes, error handler) over a fresh SQLite file.
type console struct {
	e     *echo.Echo
	store *models.Store
	clock *fakeClock
}

// newConsole builds the console as main does: Bootstrap (optionally with the demo), then New.
func newConsole(t *testing.T, demo bool) *console {
	t.Helper()
	store, err := models.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = store.Close() })
	clock := &fakeClock{now: time.Date(2022, 6, 1, 12, 0, 0, 0, time.UTC)}
	store.Now = clock.Now
	store.PasswordCost = bcrypt.MinCost // the console's own cost is not what these tests are about
	store.PropagationDelay = propagationDelay
	getenv := func(k string) string {
		if k == "SGCONSOLE_ADMIN_PASSWORD" {
			return adminPassword
		}
		return ""
	}
	if _, err := Bootstrap(context.Background(), store, Command{Demo: demo}, getenv); err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	e := New(Config{}, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return &console{e: e, store: store, clock: clock}
}

func scopeOf(region string) models.Scope {
	return models.Scope{AccountID: models.DefaultAccountID, Region: region}
}

// group reads a group straight from the store; ok is false when it does not exist.
func (cs *console) group(t *testing.T, region, name string) (models.SecurityGroup, bool) {
	t.Helper()
	g, err := cs.store.GetSecurityGroup(context.Background(), scopeOf(region), name)
	if models.HasCode(err, models.CodeCacheSecurityGroupNotFound) {
		return g, false
	}
	if err != nil {
		t.Fatalf("get group %s/%s: %v", region, name, err)
	}
	return g, true
}

// groupNames lists the names stored in an EC2-Classic region, in name order.
func (cs *console) groupNames(t *testing.T, region string) []string {
	t.Helper()
	page, err := cs.store.ListSecurityGroups(context.Background(), scopeOf(region), models.ListOptions{Size: 100})
	if err != nil {
		t.Fatalf("list groups in %s: %v", region, err)
	}
	names := make([]string, 0, len(page.Items))
	for _, g := range page.Items {
		names = append(names, g.Name)
	}
	return names
}

// createGroups stores groups directly, for tests about lists and quotas.
func (cs *console) createGroups(t *testing.T, region string, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := cs.store.CreateSecurityGroup(context.Background(), scopeOf(region), n, "Description of "+n); err != nil {
			t.Fatalf("create %s: %v", n, err)
		}
	}
}

// client is one browser: it keeps cookies and submits the forms of the pages it got.
type client struct {
	t   *testing.T
	cs  *console
	jar *cookiejar.Jar
}

var baseURL = &url.URL{Scheme: "http", Host: "example.com", Path: "/"}

func (cs *console) newClient(t *testing.T) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, cs: cs, jar: jar}
}

// signedIn returns a client that went through the sign-in form.
func (cs *console) signedIn(t *testing.T) *client {
	c := cs.newClient(t)
	c.login(adminPassword)
	return c
}

// in returns the same browser (same cookies) reporting failures to t, for use inside subtests.
func (c *client) in(t *testing.T) *client {
	cp := *c
	cp.t = t
	return &cp
}

// response is what came back, with the HTML parsed on demand.
type response struct {
	t      *testing.T
	URL    string
	Status int
	Header http.Header
	Body   string
	Cookie []*http.Cookie
	doc    *goquery.Document
}

func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	for _, ck := range c.jar.Cookies(baseURL) {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	c.cs.e.ServeHTTP(rec, req)
	res := rec.Result()
	c.jar.SetCookies(baseURL, res.Cookies())
	return &response{t: c.t, URL: req.URL.RequestURI(), Status: rec.Code, Header: rec.Header(), Body: rec.Body.String(), Cookie: res.Cookies()}
}

func (c *client) get(target string) *response {
	c.t.Helper()
	target, _, _ = strings.Cut(target, "#") // a browser never sends the fragment (#split-panel, #flash)
	return c.do(httptest.NewRequest(http.MethodGet, target, nil))
}

// attrs lists an attribute of every element of sel.
func attrs(sel *goquery.Selection, name string) []string {
	var out []string
	sel.Each(func(_ int, s *goquery.Selection) {
		if v, ok := s.Attr(name); ok {
			out = append(out, v)
		}
	})
	return out
}

func newFormRequest(target string, form url.Values) *http.Request {
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// post sends a form as is: no token is added, so tests can send none or a wrong one.
func (c *client) post(target string, form url.Values, header http.Header) *response {
	c.t.Helper()
	req := newFormRequest(target, form)
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	return c.do(req)
}

// follow GETs the Location of a redirect.
func (c *client) follow(r *response) *response {
	c.t.Helper()
	loc := r.Header.Get("Location")
	if r.Status < 300 || r.Status > 399 || loc == "" {
		c.t.Fatalf("%s: want a redirect, got %d (Location %q)\n%s", r.URL, r.Status, loc, excerpt(r.Body))
	}
	return c.get(loc)
}

// submit fills in the form selected by sel on page r the way a browser without JavaScript would:
// every named input with its current value (so the page's _csrf token goes along), then values.
func (c *client) submit(r *response, sel string, values map[string]string) *response {
	c.t.Helper()
	form := r.Doc().Find(sel).First()
	if form.Length() == 0 {
		c.t.Fatalf("%s: no form %q on the page\n%s", r.URL, sel, excerpt(r.Body))
	}
	if !form.Is("form") {
		form = form.Find("form").First()
		if form.Length() == 0 {
			c.t.Fatalf("%s: %q holds no form", r.URL, sel)
		}
	}
	fields := url.Values{}
	form.Find("input, select, textarea").Each(func(_ int, s *goquery.Selection) {
		name, ok := s.Attr("name")
		if !ok || name == "" {
			return
		}
		switch {
		case s.Is("select"):
			opt := s.Find("option[selected]").First()
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			v, _ := opt.Attr("value")
			fields.Add(name, v)
		case s.Is("textarea"):
			fields.Add(name, s.Text())
		default:
			typ, _ := s.Attr("type")
			if (typ == "checkbox" || typ == "radio") && !s.Is("[checked]") || typ == "submit" || typ == "button" {
				return
			}
			v, _ := s.Attr("value")
			fields.Add(name, v)
		}
	})
	for k, v := range values {
		fields.Set(k, v)
	}
	action, _ := form.Attr("action")
	if action == "" {
		action = r.URL
	}
	if method, _ := form.Attr("method"); strings.ToLower(method) != "post" {
		c.t.Fatalf("%s: form %q is not a POST form", r.URL, sel)
	}
	return c.post(action, fields, nil)
}

// login signs in through the real form, with its CSRF token; a wrong password is the caller's business.
func (c *client) login(password string) *response {
	c.t.Helper()
	page := c.get("/login")
	page.wantStatus(http.StatusOK)
	r := c.submit(page, `[data-testid="login-form"]`, map[string]string{"username": models.AdminUsername, "password": password})
	if password == adminPassword {
		r.wantStatus(http.StatusSeeOther)
		return r
	}
	return c.failedForm(r)
}

// csrfToken is the token a page's forms carry.
func (r *response) csrfToken() string {
	r.t.Helper()
	v, ok := r.Doc().Find(`input[name="_csrf"]`).First().Attr("value")
	if !ok || v == "" {
		r.t.Fatalf("%s: no _csrf input on the page", r.URL)
	}
	return v
}

func (c *client) cookie(name string) *http.Cookie {
	for _, ck := range c.jar.Cookies(baseURL) {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

func (c *client) sessionCookie() *http.Cookie { return c.cookie(handlers.SessionCookie) }

// Doc parses the body as HTML once.
func (r *response) Doc() *goquery.Document {
	r.t.Helper()
	if r.doc == nil {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(r.Body))
		if err != nil {
			r.t.Fatalf("%s: parse HTML: %v", r.URL, err)
		}
		r.doc = doc
	}
	return r.doc
}

func (r *response) find(sel string) *goquery.Selection { return r.Doc().Find(sel) }

// text is the whitespace-normalised text of everything sel matches.
func (r *response) text(sel string) string {
	return strings.Join(strings.Fields(r.find(sel).Text()), " ")
}

func (r *response) attr(sel, name string) string {
	r.t.Helper()
	s := r.find(sel).First()
	if s.Length() == 0 {
		r.t.Fatalf("%s: nothing matches %q\n%s", r.URL, sel, excerpt(r.Body))
	}
	v, _ := s.Attr(name)
	return v
}

func testid(id string) string { return `[data-testid="` + id + `"]` }

func (r *response) wantStatus(code int) *response {
	r.t.Helper()
	if r.Status != code {
		r.t.Fatalf("%s: status %d, want %d\n%s", r.URL, r.Status, code, excerpt(r.Body))
	}
	return r
}

// wantRedirect checks a redirect's status and Location. A location without a fragment ignores the
// one the redirect may carry (#flash, #ec2-row-…: where the page lands, see TestRedirectsLandWhereTheUserActed).
func (r *response) wantRedirect(code int, location string) *response {
	r.t.Helper()
	r.wantStatus(code)
	got := r.Header.Get("Location")
	if !strings.Contains(location, "#") {
		got, _, _ = strings.Cut(got, "#")
	}
	if got != location {
		r.t.Fatalf("%s: Location %q, want %q", r.URL, got, location)
	}
	return r
}

func (r *response) wantPresent(sel string) *goquery.Selection {
	r.t.Helper()
	s := r.find(sel)
	if s.Length() == 0 {
		r.t.Fatalf("%s: want %q on the page\n%s", r.URL, sel, excerpt(r.Body))
	}
	return s
}

func (r *response) wantAbsent(sel string) {
	r.t.Helper()
	if n := r.find(sel).Length(); n > 0 {
		r.t.Fatalf("%s: want no %q on the page, found %d", r.URL, sel, n)
	}
}

func (r *response) wantText(sel, want string) {
	r.t.Helper()
	r.wantPresent(sel)
	if got := r.text(sel); !strings.Contains(got, want) {
		r.t.Fatalf("%s: %q reads %q, want it to contain %q", r.URL, sel, got, want)
	}
}

// wantErrorPage checks a failure is shown as a console page with the status and message.
func (r *response) wantErrorPage(code int, message string) {
	r.t.Helper()
	r.wantStatus(code)
	r.wantText(testid("error-page"), message)
	if strings.Contains(r.Body, "goroutine") || strings.Contains(r.Body, "sql:") {
		r.t.Fatalf("%s: error page shows internals\n%s", r.URL, excerpt(r.Body))
	}
}

// rowNames lists the group names of the list table, top to bottom.
func (r *response) rowNames() []string {
	var names []string
	r.find(`[data-testid="sg-table"] tbody tr`).Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-testid")
		names = append(names, strings.TrimPrefix(id, "row-"))
	})
	return names
}

func excerpt(body string) string {
	const max = 3000
	if len(body) > max {
		return body[:max] + "…"
	}
	return body
}
