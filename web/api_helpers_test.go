package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/smithy-go"

	"sgconsole/handlers"
	"sgconsole/models"
)

// apiEnv is the whole router on a real listener, an access key of the admin (account
// models.DefaultAccountID) and an SDK client that uses it in us-east-1.
type apiEnv struct {
	srv    *httptest.Server
	store  *models.Store
	clock  *testClock
	key    models.NewAccessKey
	client *elasticache.Client
}

var bg = context.Background()

func newAPIEnv(t *testing.T, demo bool) *apiEnv {
	t.Helper()
	srv, store, clock := newConsoleStore(t, demo)
	admin, err := store.UserByName(bg, models.AdminUsername)
	if err != nil {
		t.Fatal(err)
	}
	key, err := store.CreateAccessKey(bg, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	env := &apiEnv{srv: srv, store: store, clock: clock, key: key}
	env.client = env.clientFor(key, "us-east-1")
	return env
}

// clientFor is the recipe's SDK client with the given key and region; retries are off so a
// fault reaches the test as the server sent it.
func (env *apiEnv) clientFor(key models.NewAccessKey, region string) *elasticache.Client {
	return elasticache.NewFromConfig(aws.Config{Region: region,
		Credentials: credentials.NewStaticCredentialsProvider(key.AccessKeyID, key.SecretAccessKey, "")},
		func(o *elasticache.Options) {
			o.BaseEndpoint = aws.String(env.srv.URL)
			o.Retryer = closedConnRetryer{}
		})
}

// closedConnRetryer retries nothing the server said: a fault reaches the test as sent. It retries
// once a call whose response the client's own connection lost under the read ("use of closed
// network connection", seen twice in full -race CI runs, never in isolation, always after a 200).
type closedConnRetryer struct{ aws.NopRetryer }

func (closedConnRetryer) IsErrorRetryable(err error) bool              { return errors.Is(err, net.ErrClosed) }
func (closedConnRetryer) MaxAttempts() int                             { return 2 }
func (closedConnRetryer) RetryDelay(int, error) (time.Duration, error) { return 0, nil }

// settle moves the simulation clock past every pending transition.
func (env *apiEnv) settle() { env.clock.Advance(models.DefaultPropagationDelay + time.Second) }

// wantFault asserts that err is the typed SDK fault T, with the given HTTP status, and returns it.
func wantFault[T error](t *testing.T, err error, status int) T {
	t.Helper()
	var fault T
	if !errors.As(err, &fault) {
		t.Fatalf("want %T, got %v", fault, err)
	}
	if got := httpStatus(err); got != status {
		t.Fatalf("%T: HTTP status %d, want %d", fault, got, status)
	}
	return fault
}

// wantAPIError asserts an error code that has no typed fault in the SDK (or where the test cares
// only about the code) and returns the message.
func wantAPIError(t *testing.T, err error, code string, status int) string {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("want API error %s, got %v", code, err)
	}
	if apiErr.ErrorCode() != code {
		t.Fatalf("error code %s (%s), want %s", apiErr.ErrorCode(), apiErr.ErrorMessage(), code)
	}
	if got := httpStatus(err); got != status {
		t.Fatalf("%s: HTTP status %d, want %d", code, got, status)
	}
	return apiErr.ErrorMessage()
}

func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// result lets a call's two results be checked inline: ok(c.Op(ctx, in)).get(t).
type result[T any] struct {
	v   T
	err error
}

func ok[T any](v T, err error) result[T] { return result[T]{v, err} }

func (r result[T]) get(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}

// rawResponse is an API answer read off the wire.
type rawResponse struct {
	Status int
	Header http.Header
	Body   string
}

// rawOptions bend a hand-signed request for the signature tests.
type rawOptions struct {
	method   string // POST unless set
	key      *models.NewAccessKey
	region   string
	signedAt time.Time
	tamper   func(r *http.Request) // runs after signing
}

// rawCall signs a hand-built Query API request with the SDK's v4 signer and sends it, the way a
// client other than the Go SDK would: the form is exactly what the test wrote.
func (env *apiEnv) rawCall(t *testing.T, form url.Values, o rawOptions) rawResponse {
	t.Helper()
	if o.method == "" {
		o.method = http.MethodPost
	}
	if o.key == nil {
		o.key = &env.key
	}
	if o.region == "" {
		o.region = "us-east-1"
	}
	if o.signedAt.IsZero() {
		o.signedAt = time.Now()
	}
	var body string
	target := env.srv.URL + "/"
	if o.method == http.MethodGet {
		target += "?" + form.Encode()
	} else {
		body = form.Encode()
	}
	req, err := http.NewRequest(o.method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if o.method != http.MethodGet {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	}
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: o.key.AccessKeyID, SecretAccessKey: o.key.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(bg, creds, req, hex.EncodeToString(sum[:]), "elasticache", o.region, o.signedAt); err != nil {
		t.Fatal(err)
	}
	if o.tamper != nil {
		o.tamper(req)
	}
	return env.send(t, req)
}

func (env *apiEnv) send(t *testing.T, req *http.Request) rawResponse {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawResponse{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}

func mustRequest(t *testing.T, method, target string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// apiForm starts a Query API form for an action.
func apiForm(action string, kv ...string) url.Values {
	f := url.Values{"Action": {action}, "Version": {"2015-02-02"}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Add(kv[i], kv[i+1])
	}
	return f
}

// errorEnvelope is <ErrorResponse> as AWS writes it.
type errorEnvelope struct {
	XMLName xml.Name `xml:"http://elasticache.amazonaws.com/doc/2015-02-02/ ErrorResponse"`
	Error   struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
	RequestID string `xml:"RequestId"`
}

// wantError checks the raw error envelope, its status, its code and the request ID header, and
// returns the message.
func (r rawResponse) wantError(t *testing.T, status int, code string) string {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d\n%s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
		t.Fatalf("Content-Type %q, want text/xml", ct)
	}
	var env errorEnvelope
	if err := xml.Unmarshal([]byte(r.Body), &env); err != nil {
		t.Fatalf("error body is not an ErrorResponse in the ElastiCache namespace: %v\n%s", err, r.Body)
	}
	if env.Error.Type != "Sender" || env.Error.Code != code || env.Error.Message == "" {
		t.Fatalf("error %+v, want Type Sender, Code %s and a message\n%s", env.Error, code, r.Body)
	}
	if env.RequestID == "" || env.RequestID != r.Header.Get("X-Amzn-RequestId") {
		t.Fatalf("RequestId %q, X-Amzn-RequestId header %q: want the same non-empty ID", env.RequestID, r.Header.Get("X-Amzn-RequestId"))
	}
	return env.Error.Message
}

// consoleSession is a signed-in browser session for plain HTTP requests against the console pages.
type consoleSession struct {
	env     *apiEnv
	session string
	csrf    string
}

func (env *apiEnv) signIn(t *testing.T) *consoleSession {
	t.Helper()
	token, err := env.store.SignIn(bg, models.Credentials{Username: models.AdminUsername, Password: "browser-test-pw"})
	if err != nil {
		t.Fatal(err)
	}
	s := &consoleSession{env: env, session: token}
	// The form token is the one a page of this session carries, as a browser would send it.
	page := s.do(t, http.MethodGet, "/security-groups/new", nil)
	m := regexp.MustCompile(`name="_csrf" value="([0-9a-f]{64})"`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no CSRF token on the create page (status %d)", page.Status)
	}
	s.csrf = m[1]
	return s
}

func (s *consoleSession) do(t *testing.T, method, path string, form url.Values) rawResponse {
	t.Helper()
	req, err := http.NewRequest(method, s.env.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: handlers.SessionCookie, Value: s.session})
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-CSRF-Token", s.csrf)
	}
	// Do not follow redirects: the test looks at where the console sends the browser.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawResponse{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}

// groupNames lists names of a DescribeCacheSecurityGroups page.
func groupNames(out *elasticache.DescribeCacheSecurityGroupsOutput) []string {
	names := make([]string, 0, len(out.CacheSecurityGroups))
	for _, g := range out.CacheSecurityGroups {
		names = append(names, aws.ToString(g.CacheSecurityGroupName))
	}
	return names
}
