package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"sgconsole/models"
	"sgconsole/web"
)

// paddedForm is a DescribeCacheSecurityGroups form whose encoding is exactly size bytes, padded
// with a parameter the operation ignores.
func paddedForm(t *testing.T, size int) url.Values {
	t.Helper()
	form := apiForm("DescribeCacheSecurityGroups")
	form.Set("Padding", "")
	pad := size - len(form.Encode())
	if pad < 0 {
		t.Fatalf("form already %d bytes", len(form.Encode()))
	}
	form.Set("Padding", strings.Repeat("a", pad))
	if n := len(form.Encode()); n != size {
		t.Fatalf("form is %d bytes, want %d", n, size)
	}
	return form
}

// signed is a hand-built request to target (which may carry a query) signed with the env's key.
func (env *apiEnv) signed(t *testing.T, method, target, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, env.srv.URL+target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	}
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: env.key.AccessKeyID, SecretAccessKey: env.key.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(bg, creds, req, hex.EncodeToString(sum[:]), "elasticache", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	return req
}

// The body limit is the Query API's 64,000 bytes (decimal, not 64 KiB): exactly 64,000 is served,
// one byte more is a 413 RequestEntityTooLarge in the API's XML, whether the length was announced
// or the body came chunked; the SDK reads it as that error code.
func TestAPIBodyLimitIs64000BytesAndAnswersXML(t *testing.T) {
	env := newAPIEnv(t, false)

	if r := env.rawCall(t, paddedForm(t, web.MaxBodyBytes), rawOptions{}); r.Status != http.StatusOK {
		t.Fatalf("a %d-byte body: status %d, want 200\n%s", web.MaxBodyBytes, r.Status, r.Body)
	}
	env.rawCall(t, paddedForm(t, web.MaxBodyBytes+1), rawOptions{}).wantError(t, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge")
	chunked := env.rawCall(t, paddedForm(t, web.MaxBodyBytes+1), rawOptions{tamper: func(r *http.Request) {
		r.ContentLength = -1 // sent chunked: the limit is found while reading
		r.Body = io.NopCloser(r.Body)
	}})
	chunked.wantError(t, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge")

	_, err := env.client.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{
		CacheSecurityGroupName: aws.String("big"), Description: aws.String(strings.Repeat("d", web.MaxBodyBytes))})
	wantAPIError(t, err, "RequestEntityTooLarge", http.StatusRequestEntityTooLarge)
	if _, err := env.store.GetSecurityGroup(bg, models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}, "big"); err == nil {
		t.Fatal("the refused group was created")
	}

	// The console keeps its HTML pages, with the same limit.
	s := env.signIn(t)
	consoleForm := func(size int) url.Values {
		f := url.Values{"name": {"console-big"}, "description": {""}}
		f.Set("description", strings.Repeat("d", size-len(f.Encode())))
		return f
	}
	if r := s.do(t, http.MethodPost, "/security-groups", consoleForm(web.MaxBodyBytes)); r.Status == http.StatusRequestEntityTooLarge {
		t.Fatalf("a %d-byte console form was refused as too large", web.MaxBodyBytes)
	}
	r := s.do(t, http.MethodPost, "/security-groups", consoleForm(web.MaxBodyBytes+1))
	if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(r.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("a %d-byte console form: status %d, Content-Type %q; want the 413 page", web.MaxBodyBytes+1, r.Status, r.Header.Get("Content-Type"))
	}
}

// ?region= on an API request names a region the server does not simulate: the API's XML
// InvalidParameterValue, not the console's HTML 400 page.
func TestAPIInvalidRegionQueryAnswersXML(t *testing.T) {
	env := newAPIEnv(t, false)
	form := apiForm("DescribeCacheSecurityGroups")
	env.send(t, env.signed(t, http.MethodPost, "/?region=mars-1", form.Encode())).
		wantError(t, http.StatusBadRequest, "InvalidParameterValue")
	env.send(t, env.signed(t, http.MethodGet, "/?region=mars-1&"+form.Encode(), "")).
		wantError(t, http.StatusBadRequest, "InvalidParameterValue")
	// Unsigned too: the answer is XML whoever asks.
	env.send(t, mustRequest(t, http.MethodPost, env.srv.URL+"/?region=mars-1")).
		wantError(t, http.StatusBadRequest, "InvalidParameterValue")
}

// Methods the Query API does not serve on / answer 405 InvalidAction in XML, with Allow; the SDK
// reads it as that error code.
func TestAPIOtherMethodsAnswerXML(t *testing.T) {
	env := newAPIEnv(t, false)
	body := apiForm("DescribeCacheSecurityGroups").Encode()
	for _, method := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions, "PROPFIND"} {
		r := env.send(t, env.signed(t, method, "/", body))
		r.wantError(t, http.StatusMethodNotAllowed, "InvalidAction")
		if allow := r.Header.Get("Allow"); allow != "GET, HEAD, POST" {
			t.Errorf("%s: Allow %q", method, allow)
		}
	}
	for _, method := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch} {
		client := elasticache.NewFromConfig(aws.Config{Region: "us-east-1",
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: env.key.AccessKeyID, SecretAccessKey: env.key.SecretAccessKey}, nil
			})},
			func(o *elasticache.Options) {
				o.BaseEndpoint = aws.String(env.srv.URL)
				o.Retryer = aws.NopRetryer{}
				o.APIOptions = append(o.APIOptions, withMethod(method))
			})
		_, err := client.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})
		wantAPIError(t, err, "InvalidAction", http.StatusMethodNotAllowed)
	}
	// GET / without Action stays the console's (a redirect to sign in).
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(env.srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("GET / : status %d, want the console's redirect", res.StatusCode)
	}
}

// withMethod makes the SDK send its signed request with another HTTP method.
func withMethod(method string) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("method", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			if req, ok := in.Request.(*smithyhttp.Request); ok {
				req.Method = method
			}
			return next.HandleFinalize(ctx, in)
		}), middleware.After)
	}
}

// The AWS CLI reads these errors as errors, never "invalid XML received".
func TestAWSCLIReadsTransportErrors(t *testing.T) {
	if _, err := os.Stat(awsCLI); err != nil {
		t.Fatalf("the AWS CLI v2 is needed at %s (%v): install it with `apt-get install -y awscli` (.ci/run does)", awsCLI, err)
	}
	env := newAPIEnv(t, false)
	dir := t.TempDir()
	cli := func(endpoint string, args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(bg, time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, awsCLI, append([]string{"elasticache", "--endpoint-url", endpoint}, args...)...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "LANG=C.UTF-8",
			"AWS_ACCESS_KEY_ID=" + env.key.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + env.key.SecretAccessKey,
			"AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE=" + filepath.Join(dir, "none"),
			"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "none"), "AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true",
			"AWS_MAX_ATTEMPTS=1"}
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Fatalf("aws %s succeeded:\n%s", args[0], out)
		}
		if strings.Contains(string(out), "invalid XML") {
			t.Fatalf("aws %s printed:\n%s", args[0], out)
		}
		return string(out)
	}
	if out := cli(env.srv.URL, "create-cache-security-group", "--cache-security-group-name", "big",
		"--description", strings.Repeat("d", web.MaxBodyBytes)); !strings.Contains(out, "(RequestEntityTooLarge)") {
		t.Fatalf("the CLI printed:\n%s\nwant the RequestEntityTooLarge error", out)
	}
	// The CLI keeps an endpoint's query, so this is how a CLI user meets ?region=.
	if out := cli(env.srv.URL+"/?region=mars-1", "describe-cache-security-groups"); !strings.Contains(out, "(InvalidParameterValue)") {
		t.Fatalf("the CLI printed:\n%s\nwant the InvalidParameterValue error", out)
	}
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// Request IDs are the server's: the API's always; the console keeps a client's only when it is at
// most 64 plain characters, so a long or odd one never reaches a page, a header or the log.
func TestRequestIDsAreServerGenerated(t *testing.T) {
	env := newAPIEnv(t, false)
	get := func(id string) string {
		req := mustRequest(t, http.MethodGet, env.srv.URL+"/healthz")
		req.Header.Set("X-Request-Id", id)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.Header.Get("X-Request-Id")
	}
	plain := strings.Repeat("a1-", 21) + "x" // 64 characters
	if got := get(plain); got != plain {
		t.Errorf("a plain 64-character request ID came back as %q", got)
	}
	for _, id := range []string{plain + "y", strings.Repeat("x", 10000), "id with spaces", "<script>", "id_é"} {
		if got := get(id); got == id || !uuidPattern.MatchString(got) {
			t.Errorf("client request ID %.40q: answered %q, want a server-generated UUID", id, got)
		}
	}

	req := env.signed(t, http.MethodPost, "/", apiForm("DescribeCacheSecurityGroups").Encode())
	req.Header.Set("X-Request-Id", "client-chosen-id")
	r := env.send(t, req)
	if r.Status != http.StatusOK {
		t.Fatalf("status %d\n%s", r.Status, r.Body)
	}
	id := r.Header.Get("X-Amzn-RequestId")
	if !uuidPattern.MatchString(id) || !strings.Contains(r.Body, "<RequestId>"+id+"</RequestId>") {
		t.Fatalf("X-Amzn-RequestId %q (body %s): want a server UUID, the same in the body", id, r.Body)
	}
}

// A long URL is logged cut to its first 256 bytes with a marker: a 100 kB request is not a 100 kB
// log line.
func TestLongURLIsTruncatedInTheLog(t *testing.T) {
	store, err := models.Open(filepath.Join(t.TempDir(), "log.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := httptest.NewServer(web.New(web.Config{}, store, log))
	t.Cleanup(srv.Close)

	long := "/healthz?x=" + strings.Repeat("A", 100000)
	req := mustRequest(t, http.MethodGet, srv.URL+long)
	req.Header.Set("X-Request-Id", strings.Repeat("R", 5000))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	srv.Close() // the request's log line is written before the server stops
	var line string
	for _, l := range strings.Split(logged.String(), "\n") {
		if strings.Contains(l, "msg=request") && strings.Contains(l, "/healthz") {
			line = l
		}
	}
	if line == "" {
		t.Fatalf("no request line for /healthz in the log:\n%.2000s", logged.String())
	}
	if len(line) > 1000 || !strings.Contains(line, "uri=\""+long[:256]+"...[truncated 99755 bytes]\"") || strings.Contains(line, "RRRR") {
		t.Fatalf("request log line (%d bytes): %.1500s", len(line), line)
	}
}
