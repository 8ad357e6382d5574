package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"sgconsole/handlers"
	"sgconsole/models"
)

// newLoadClient is the keep-alive client every row shares: enough idle connections that each of
// the clients keeps its own, and redirects returned rather than followed (a redirect is an error).
func newLoadClient(clients int) *http.Client {
	return &http.Client{
		Transport:     &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, MaxConnsPerHost: clients * 2},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
}

// signedPost is a Query API POST of body to base, signed with the SDK's SigV4 signer for region
// at now, as the AWS SDK and CLI send them.
func signedPost(ctx context.Context, signer *v4.Signer, key models.NewAccessKey, region, base, body string, now time.Time) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/", strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: key.AccessKeyID, SecretAccessKey: key.SecretAccessKey}
	if err := signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "elasticache", region, now); err != nil {
		return nil, err
	}
	return req, nil
}

const describeBody = "Action=DescribeCacheSecurityGroups&Version=2015-02-02&MaxRecords=100"

// replayedDescribe signs one DescribeCacheSecurityGroups request and returns a function that makes
// a fresh copy of it (same headers, same body) for every replay; the server verifies it every time.
func replayedDescribe(ctx context.Context, base string, key models.NewAccessKey) (func() *http.Request, error) {
	signed, err := signedPost(ctx, v4.NewSigner(), key, region, base, describeBody, time.Now())
	if err != nil {
		return nil, err
	}
	header := signed.Header.Clone()
	return func() *http.Request {
		r, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/", strings.NewReader(describeBody))
		r.Header = header.Clone()
		return r
	}, nil
}

// signIn signs a seeded user in through the form, with the CSRF cookie and token the sign-in
// page sets, and returns the session cookie.
func signIn(base, username string) (*http.Cookie, error) {
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
	form := url.Values{"username": {username}, "password": {adminPassword}, "_csrf": {string(m[1])}, "next": {"/security-groups"}}
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

// fetch sends one request and returns the body of its 200 answer.
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
