package web_test

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"

	"sgconsole/models"
)

// handSigned is a request signed from the SigV4 specification by hand, the way clients other than
// the Go SDK sign (botocore, curl, Java): it signs exactly the headers it lists, including the ones
// the SDK's signer refuses (User-Agent, Expect, X-Amzn-Trace-Id).
type handSigned struct {
	key       models.NewAccessKey
	scopeDate string // the credential scope's date; the request date unless a test bends it
	region    string
	at        time.Time // the time in the string to sign
	signed    []string  // header names, lower case
}

func hmacSum(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func hexSum(data string) string {
	s := sha256.Sum256([]byte(data))
	return hex.EncodeToString(s[:])
}

// sign sets the Authorization header of req, whose body is body.
func (h handSigned) sign(req *http.Request, body string) {
	if h.region == "" {
		h.region = "us-east-1"
	}
	if h.scopeDate == "" {
		h.scopeDate = h.at.UTC().Format("20060102")
	}
	names := append([]string(nil), h.signed...)
	sort.Strings(names)
	var headers strings.Builder
	for _, name := range names {
		var value string
		switch name {
		case "host":
			value = req.URL.Host
		case "content-length":
			value = strconv.Itoa(len(body))
		default:
			value = strings.Join(strings.Fields(req.Header.Get(name)), " ")
		}
		headers.WriteString(name + ":" + value + "\n")
	}
	query := req.URL.Query()
	var pairs []string
	for k, vs := range query {
		for _, v := range vs {
			pairs = append(pairs, strings.ReplaceAll(url.QueryEscape(k), "+", "%20")+"="+strings.ReplaceAll(url.QueryEscape(v), "+", "%20"))
		}
	}
	sort.Strings(pairs)
	canonical := strings.Join([]string{req.Method, "/", strings.Join(pairs, "&"), headers.String(), strings.Join(names, ";"), hexSum(body)}, "\n")
	scope := h.scopeDate + "/" + h.region + "/elasticache/aws4_request"
	toSign := "AWS4-HMAC-SHA256\n" + h.at.UTC().Format("20060102T150405Z") + "\n" + scope + "\n" + hexSum(canonical)
	k := hmacSum([]byte("AWS4"+h.key.SecretAccessKey), h.scopeDate)
	for _, part := range []string{h.region, "elasticache", "aws4_request"} {
		k = hmacSum(k, part)
	}
	req.Header.Set("Authorization", fmt.Sprintf("AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%x",
		h.key.AccessKeyID, scope, strings.Join(names, ";"), hmacSum(k, toSign)))
}

func (env *apiEnv) formRequest(t *testing.T, form url.Values) (*http.Request, string) {
	t.Helper()
	body := form.Encode()
	req, err := http.NewRequest(http.MethodPost, env.srv.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	return req, body
}

func (r rawResponse) wantOK(t *testing.T, action string) {
	t.Helper()
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "<"+action+"Response") {
		t.Fatalf("status %d, want 200 with %sResponse\n%s", r.Status, action, r.Body)
	}
}

func TestAPISignatureAsAWSSpecifies(t *testing.T) {
	env := newAPIEnv(t, false)
	form := apiForm("DescribeCacheSecurityGroups")
	const action = "DescribeCacheSecurityGroups"

	t.Run("the hand signer agrees with the SDK signer", func(t *testing.T) {
		// Without this the cases below would only prove the server agrees with the test.
		at := time.Now().UTC()
		sdk, body := env.formRequest(t, form)
		sdk.Header.Set("X-Amz-Date", at.Format("20060102T150405Z"))
		hand, _ := env.formRequest(t, form)
		hand.Header.Set("X-Amz-Date", at.Format("20060102T150405Z"))
		creds := aws.Credentials{AccessKeyID: env.key.AccessKeyID, SecretAccessKey: env.key.SecretAccessKey}
		if err := v4.NewSigner().SignHTTP(bg, creds, sdk, hexSum(body), "elasticache", "us-east-1", at); err != nil {
			t.Fatal(err)
		}
		handSigned{key: env.key, at: at, signed: []string{"content-length", "content-type", "host", "x-amz-date"}}.sign(hand, body)
		if a, b := sdk.Header.Get("Authorization"), hand.Header.Get("Authorization"); a != b {
			t.Fatalf("SDK:  %s\nhand: %s", a, b)
		}
	})
	t.Run("SDK client", func(t *testing.T) {
		ok(env.client.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})).get(t)
	})
	t.Run("User-Agent, Expect and X-Amzn-Trace-Id signed", func(t *testing.T) {
		at := time.Now().UTC()
		req, body := env.formRequest(t, form)
		req.Header.Set("X-Amz-Date", at.Format("20060102T150405Z"))
		req.Header.Set("User-Agent", "aws-cli/2.9  Python/3.11   (hand made)")
		req.Header.Set("Expect", "100-continue")
		req.Header.Set("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793")
		handSigned{key: env.key, at: at, signed: []string{"content-type", "expect", "host", "user-agent", "x-amz-date", "x-amzn-trace-id"}}.sign(req, body)
		env.send(t, req).wantOK(t, action)

		// The same request with the signed User-Agent changed is refused.
		req, body = env.formRequest(t, form)
		req.Header.Set("X-Amz-Date", at.Format("20060102T150405Z"))
		req.Header.Set("User-Agent", "aws-cli/2.9")
		handSigned{key: env.key, at: at, signed: []string{"content-type", "host", "user-agent", "x-amz-date"}}.sign(req, body)
		req.Header.Set("User-Agent", "aws-cli/3.0")
		env.send(t, req).wantError(t, http.StatusForbidden, "SignatureDoesNotMatch")
	})
	t.Run("Date header instead of X-Amz-Date", func(t *testing.T) {
		at := time.Now().UTC().Truncate(time.Second)
		for _, date := range []string{at.Format(http.TimeFormat), at.Format("20060102T150405Z")} {
			req, body := env.formRequest(t, form)
			req.Header.Set("Date", date)
			handSigned{key: env.key, at: at, signed: []string{"content-type", "date", "host"}}.sign(req, body)
			env.send(t, req).wantOK(t, action)
		}
	})
	t.Run("scope date must equal the request date", func(t *testing.T) {
		at := time.Now().UTC()
		today := at.Format("20060102")
		for _, date := range []string{"", at.Format("2006"), at.Add(-24 * time.Hour).Format("20060102"), today + "1"} {
			// Signed over the date the header shows, and signed over today with the header's date
			// bent afterwards (a server re-deriving the scope from X-Amz-Date would accept that one).
			for _, signedDate := range []string{date, today} {
				req, body := env.formRequest(t, form)
				req.Header.Set("X-Amz-Date", at.Format("20060102T150405Z"))
				h := handSigned{key: env.key, at: at, signed: []string{"content-type", "host", "x-amz-date"}, scopeDate: signedDate}
				if signedDate == "" {
					h.scopeDate = "x" // signed over "x", sent as the empty date
				}
				h.sign(req, body)
				req.Header.Set("Authorization", strings.Replace(req.Header.Get("Authorization"), "/"+h.scopeDate+"/", "/"+date+"/", 1))
				env.send(t, req).wantError(t, http.StatusForbidden, "SignatureDoesNotMatch")
			}
		}
	})
	t.Run("presigned URLs", func(t *testing.T) {
		creds := aws.Credentials{AccessKeyID: env.key.AccessKeyID, SecretAccessKey: env.key.SecretAccessKey}
		presign := func(method, query string, header http.Header, at time.Time, expires string) string {
			req, err := http.NewRequest(method, env.srv.URL+"/?"+query+"&X-Amz-Expires="+expires, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range header {
				req.Header[k] = v
			}
			signed, _, err := v4.NewSigner().PresignHTTP(bg, creds, req, "UNSIGNED-PAYLOAD", "elasticache", "us-east-1", at)
			if err != nil {
				t.Fatal(err)
			}
			return signed
		}
		now := time.Now()
		get := func(target string) rawResponse { return env.send(t, mustRequest(t, http.MethodGet, target)) }

		get(presign(http.MethodGet, form.Encode(), nil, now, "300")).wantOK(t, action)

		// POST: the URL signs no body, so the form travels as the body, as AWS allows.
		ctype := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
		target := presign(http.MethodPost, "", ctype, now, "300")
		create := apiForm("CreateCacheSecurityGroup", "CacheSecurityGroupName", "presigned", "Description", "made by a presigned POST")
		req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(create.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		env.send(t, req).wantOK(t, "CreateCacheSecurityGroup")
		describeGroup(t, env.client, "presigned")

		get(presign(http.MethodGet, form.Encode(), nil, now.Add(-61*time.Second), "60")).wantError(t, http.StatusBadRequest, "RequestExpired")
		get(presign(http.MethodGet, form.Encode(), nil, now.Add(-6*24*time.Hour), "604800")).wantOK(t, action)
		get(presign(http.MethodGet, form.Encode(), nil, now, "604801")).wantError(t, http.StatusBadRequest, "IncompleteSignature")

		good := presign(http.MethodGet, form.Encode(), nil, now, "300")
		last := good[len(good)-1]
		flipped := "1"
		if last == '1' {
			flipped = "2"
		}
		get(good[:len(good)-1]+flipped).wantError(t, http.StatusForbidden, "SignatureDoesNotMatch")
		get(strings.Replace(good, "DescribeCacheSecurityGroups", "DescribeCacheClusters", 1)).wantError(t, http.StatusForbidden, "SignatureDoesNotMatch")

		both := mustRequest(t, http.MethodGet, good)
		handSigned{key: env.key, at: now, signed: []string{"host"}}.sign(both, "")
		env.send(t, both).wantError(t, http.StatusBadRequest, "IncompleteSignature")
	})
	t.Run("bad bytes in the key ID", func(t *testing.T) {
		req, _ := env.formRequest(t, form)
		req.Header.Set("X-Amz-Date", time.Now().UTC().Format("20060102T150405Z"))
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIA\xff\xfeAAAAAAAAAAAAAA/"+time.Now().UTC().Format("20060102")+
			"/us-east-1/elasticache/aws4_request, SignedHeaders=host;x-amz-date, Signature="+strings.Repeat("0", 64))
		env.send(t, req).wantError(t, http.StatusForbidden, "InvalidClientTokenId")

		// A NUL cannot be sent by Go's client. Written on the wire, Go's HTTP server refuses the header
		// itself (400 text/plain, before any handler runs, so it cannot be XML); it must not be a 5xx.
		// The handler's own answer to a NUL in the key ID is tested in handlers/api.
		conn, err := net.Dial("tcp", env.srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		body := form.Encode()
		fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Amz-Date: %s\r\n"+
			"Authorization: AWS4-HMAC-SHA256 Credential=AKIA\x00AAAAAAAAAAAAAAA/%s/us-east-1/elasticache/aws4_request, SignedHeaders=host;x-amz-date, Signature=%s\r\n"+
			"Content-Length: %d\r\nConnection: close\r\n\r\n%s",
			env.srv.Listener.Addr().String(), time.Now().UTC().Format("20060102T150405Z"), time.Now().UTC().Format("20060102"), strings.Repeat("0", 64), len(body), body)
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode < 400 || res.StatusCode >= 500 {
			t.Fatalf("NUL in the key ID: status %d, want 4xx", res.StatusCode)
		}
	})
}
