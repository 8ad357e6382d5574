package api

import (
	"context"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"sgconsole/models"
)

const (
	testKeyID  = "AKIAIOSFODNN7EXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

var testCreds = aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}

// stubLookup knows testKeyID and counts lookups, so a test can prove a request was refused before
// the database was asked.
type stubLookup struct{ calls int }

func (s *stubLookup) lookup(_ context.Context, id string) (models.User, string, error) {
	s.calls++
	if id != testKeyID {
		return models.User{}, "", models.ErrUnknownAccessKey
	}
	return models.User{Username: "admin"}, testSecret, nil
}

func verify(t *testing.T, r *http.Request, body string, now time.Time) (*stubLookup, error) {
	t.Helper()
	s := &stubLookup{}
	_, _, err := verifyRequest(r, []byte(body), now, s.lookup)
	return s, err
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var f *Fault
	if !errors.As(err, &f) || f.Code != code {
		t.Fatalf("got %v, want %s", err, code)
	}
}

// sdkSigned is a Query API POST signed by the SDK's own signer, the oracle of these tests.
func sdkSigned(t *testing.T, body string, at time.Time, headers map[string]string) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	if err := v4.NewSigner().SignHTTP(context.Background(), testCreds, r, sha256Hex([]byte(body)), "elasticache", "us-east-1", at); err != nil {
		t.Fatal(err)
	}
	return r
}

// The derived key of AWS's documentation example (IAM, us-east-1, 2012-02-15).
func TestSigningKeyMatchesAWSExample(t *testing.T) {
	got := hex.EncodeToString(signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam"))
	if want := "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"; got != want {
		t.Fatalf("signing key %s, want %s", got, want)
	}
}

func TestVerifyAcceptsWhatTheSDKSigns(t *testing.T) {
	now := time.Now()
	body := "Action=DescribeCacheSecurityGroups&Version=2015-02-02&CacheSecurityGroupName=a%20b%2Fc"
	cases := map[string]*http.Request{
		"POST with body": sdkSigned(t, body, now, nil),
		// Inner runs of spaces collapse to one, outer spaces are trimmed, as the SDK signs them.
		"header with runs of spaces": sdkSigned(t, body, now, map[string]string{"X-Custom": "a   b  c "}),
		"empty body":                 sdkSigned(t, "", now, nil),
	}
	get := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080/?Action=DescribeEvents&Version=2015-02-02&SourceIdentifier=a+b%2F%C3%A9&Marker=&Z=1&Z=0", nil)
	if err := v4.NewSigner().SignHTTP(context.Background(), testCreds, get, sha256Hex(nil), "elasticache", "us-east-1", now); err != nil {
		t.Fatal(err)
	}
	cases["GET with encoded, empty and repeated query values"] = get
	for name, r := range cases {
		t.Run(name, func(t *testing.T) {
			b := ""
			if r.Method == http.MethodPost && r.ContentLength > 0 {
				b = body
			}
			if _, err := verify(t, r, b, now); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestVerifyRefusesTampering(t *testing.T) {
	now := time.Now()
	body := "Action=DescribeCacheSecurityGroups&Version=2015-02-02"
	cases := map[string]func(r *http.Request) string{
		"body":   func(r *http.Request) string { return body + "&MaxRecords=20" },
		"host":   func(r *http.Request) string { r.Host = "evil.example:8080"; return body },
		"method": func(r *http.Request) string { r.Method = http.MethodPut; return body },
		"query":  func(r *http.Request) string { r.URL.RawQuery = "Action=DeleteCacheCluster"; return body },
		"signed header": func(r *http.Request) string {
			r.Header.Set("Content-Type", "text/plain")
			return body
		},
		"signature": func(r *http.Request) string {
			h := r.Header.Get("Authorization")
			r.Header.Set("Authorization", h[:len(h)-1]+string("0123456789abcdef"[(strings.IndexByte("0123456789abcdef", h[len(h)-1])+1)%16]))
			return body
		},
	}
	for name, tamper := range cases {
		t.Run(name, func(t *testing.T) {
			r := sdkSigned(t, body, now, nil)
			_, err := verify(t, r, tamper(r), now)
			wantCode(t, err, "SignatureDoesNotMatch")
		})
	}
}

func TestVerifyRefusesMalformedKeyIDsBeforeLookup(t *testing.T) {
	now := time.Now()
	for _, id := range []string{"AKIA\xff\xfeAAAAAAAAAAAAAA", "AKIA\x00AAAAAAAAAAAAAAA", "akiaiosfodnn7example", "AKIAIOSFODNN7EXAMPL", "AKIAIOSFODNN7EXAMPLEX", "AKIAIOSFODNN7EXAMPLÉ", "XKIAIOSFODNN7EXAMPLE"} {
		r := sdkSigned(t, "", now, nil)
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), testKeyID, id, 1))
		s, err := verify(t, r, "", now)
		var f *Fault
		if !errors.As(err, &f) || (f.Code != "InvalidClientTokenId" && f.Code != "IncompleteSignature") || statusOf(f.Code) >= 500 {
			t.Fatalf("key ID %q: %v, want InvalidClientTokenId or IncompleteSignature", id, err)
		}
		if s.calls != 0 {
			t.Fatalf("key ID %q was looked up", id)
		}
		if strings.Contains(f.Message, id) {
			t.Fatalf("key ID %q echoed in %q", id, f.Message)
		}
	}
	// Well-formed but unknown: looked up once, then refused.
	r := sdkSigned(t, "", now, nil)
	r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), testKeyID, "ASIAIOSFODNN7EXAMPLE", 1))
	s, err := verify(t, r, "", now)
	wantCode(t, err, "InvalidClientTokenId")
	if s.calls != 1 {
		t.Fatalf("%d lookups, want 1", s.calls)
	}
}

func TestVerifyScopeDateMustEqualRequestDate(t *testing.T) {
	now := time.Now().UTC()
	today := now.Format(scopeDateFormat)
	for _, date := range []string{"", now.Format("2006"), now.Add(-24 * time.Hour).Format(scopeDateFormat), today + "0", " " + today} {
		r := sdkSigned(t, "", now, nil)
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/"+today+"/", "/"+date+"/", 1))
		s, err := verify(t, r, "", now)
		var f *Fault
		if !errors.As(err, &f) || (f.Code != "SignatureDoesNotMatch" && f.Code != "IncompleteSignature") {
			t.Fatalf("scope date %q: %v", date, err)
		}
		if s.calls != 0 {
			t.Fatalf("scope date %q: key looked up", date)
		}
	}
}

func TestVerifyClock(t *testing.T) {
	now := time.Now()
	for _, skew := range []time.Duration{-16 * time.Minute, 16 * time.Minute} {
		_, err := verify(t, sdkSigned(t, "", now.Add(skew), nil), "", now)
		wantCode(t, err, "RequestExpired")
	}
	if _, err := verify(t, sdkSigned(t, "", now.Add(-14*time.Minute), nil), "", now); err != nil {
		t.Fatal(err)
	}
}

// A request signed with only Date (no X-Amz-Date): the string to sign carries the ISO form of it.
func TestVerifyAcceptsDateHeader(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	for _, date := range []string{now.Format(http.TimeFormat), now.Format(amzDateFormat)} {
		r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080/?Action=DescribeEvents", nil)
		r.Header.Set("Date", date)
		signed := []string{"date", "host"}
		canonical, err := canonicalRequest(r, signed, sha256Hex(nil), false)
		if err != nil {
			t.Fatal(err)
		}
		sig := computeSignature(signingKey(testSecret, now.Format(scopeDateFormat), "us-east-1", "elasticache"),
			stringToSign(now, now.Format(scopeDateFormat)+"/us-east-1/elasticache/aws4_request", canonical))
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testKeyID+"/"+now.Format(scopeDateFormat)+"/us-east-1/elasticache/aws4_request, SignedHeaders=date;host, Signature="+sig)
		if _, err := verify(t, r, "", now); err != nil {
			t.Fatalf("Date %q: %v", date, err)
		}
	}
	r := sdkSigned(t, "", now, nil)
	r.Header.Del("X-Amz-Date")
	r.Header.Set("Date", "Monday, 02-Jan-06 15:04:05 GMT") // RFC 850: not a form AWS signs
	_, err := verify(t, r, "", now)
	wantCode(t, err, "IncompleteSignature")
}

func presign(t *testing.T, method, target string, at time.Time, expires string) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	q := r.URL.Query()
	q.Set("X-Amz-Expires", expires)
	r.URL.RawQuery = q.Encode()
	signedURL, _, err := v4.NewSigner().PresignHTTP(context.Background(), testCreds, r, unsignedPayload, "elasticache", "us-east-1", at)
	if err != nil {
		t.Fatal(err)
	}
	return httptest.NewRequest(method, signedURL, nil)
}

func TestVerifyPresigned(t *testing.T) {
	now := time.Now()
	target := "http://127.0.0.1:8080/?Action=DescribeCacheSecurityGroups&Version=2015-02-02"
	if _, err := verify(t, presign(t, http.MethodGet, target, now, "300"), "", now); err != nil {
		t.Fatal(err)
	}
	if _, err := verify(t, presign(t, http.MethodGet, target, now.Add(-6*24*time.Hour), "604800"), "", now); err != nil {
		t.Fatalf("a week-long URL six days on: %v", err)
	}
	_, err := verify(t, presign(t, http.MethodGet, target, now.Add(-301*time.Second), "300"), "", now)
	wantCode(t, err, "RequestExpired")
	_, err = verify(t, presign(t, http.MethodGet, target, now.Add(16*time.Minute), "300"), "", now)
	wantCode(t, err, "RequestExpired")
	for _, expires := range []string{"604801", "0", "-1", "010", "1e3", ""} {
		s, err := verify(t, presign(t, http.MethodGet, target, now, expires), "", now)
		wantCode(t, err, "IncompleteSignature")
		if s.calls != 0 {
			t.Fatalf("X-Amz-Expires %q: key looked up", expires)
		}
	}
	tampered := presign(t, http.MethodGet, target, now, "300")
	tampered.URL.RawQuery = strings.Replace(tampered.URL.RawQuery, "DescribeCacheSecurityGroups", "DescribeCacheClusters", 1)
	_, err = verify(t, tampered, "", now)
	wantCode(t, err, "SignatureDoesNotMatch")

	both := presign(t, http.MethodGet, target, now, "300")
	both.Header.Set("Authorization", sdkSigned(t, "", now, nil).Header.Get("Authorization"))
	_, err = verify(t, both, "", now)
	wantCode(t, err, "IncompleteSignature")

	missing := presign(t, http.MethodGet, target, now, "300")
	q := missing.URL.Query()
	q.Del("X-Amz-Signature")
	missing.URL.RawQuery = q.Encode()
	_, err = verify(t, missing, "", now)
	wantCode(t, err, "IncompleteSignature")
}

func TestParseAuthorizationStrictGrammar(t *testing.T) {
	good := "AWS4-HMAC-SHA256 Credential=" + testKeyID + "/20261201/us-east-1/elasticache/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=" + strings.Repeat("ab", 32)
	if _, err := parseAuthorization(good); err != nil {
		t.Fatal(err)
	}
	if _, err := parseAuthorization(strings.ReplaceAll(good, ", ", ",")); err != nil {
		t.Fatalf("commas without spaces: %v", err)
	}
	for _, bad := range []string{
		"",
		strings.Replace(good, "AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256  ", 1),
		strings.Replace(good, "Credential", "credential", 1),
		strings.Replace(good, "aws4_request", "aws4_request/", 1),
		strings.Replace(good, "/us-east-1/", "//", 1),
		strings.Replace(good, "content-type;host", "host;content-type", 1),
		strings.Replace(good, "content-type;host", "Content-Type;host", 1),
		strings.Replace(good, "content-type;host;x-amz-date", "content-type;x-amz-date", 1),
		strings.Replace(good, "content-type;host", "content-type;;host", 1),
		strings.Replace(good, "content-type;host", "host;host", 1),
		strings.Replace(good, "Signature=ab", "Signature=AB", 1),
		good + "ab",
		good + ", Extra=1",
		good + ",",
		strings.Replace(good, ", SignedHeaders", ",  SignedHeaders", 1),
		strings.Replace(good, "/elasticache/", "/elasti cache/", 1),
	} {
		if _, err := parseAuthorization(bad); err == nil {
			t.Errorf("accepted %q", bad)
		} else {
			wantCode(t, err, "IncompleteSignature")
		}
	}
}

func TestUriEncode(t *testing.T) {
	if got := uriEncode("a b/é~*+", true); got != "a%20b%2F%C3%A9~%2A%2B" {
		t.Fatal(got)
	}
	if got := canonicalURI(&url.URL{Path: ""}); got != "/" {
		t.Fatal(got)
	}
}
