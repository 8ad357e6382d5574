package web_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	_ "github.com/mattn/go-sqlite3" // "sqlite3" for database/sql
	"golang.org/x/crypto/bcrypt"

	"sgconsole/models"
	"sgconsole/web"
)

// TestSQLiteLockedAnswers503: while another process holds the SQLite file's write lock past the
// busy timeout (5 s), a console form and an API write are answered 503 with Retry-After (the busy
// page; the Throttling XML), not 500, and nothing is written.
func TestSQLiteLockedAnswers503(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locked.db")
	store, err := models.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	store.PasswordCost = bcrypt.MinCost
	key := models.NewAccessKey{AccessKeyID: "AKIALOCKEDTESTAAAAAA", SecretAccessKey: strings.Repeat("l", 40)}
	env := map[string]string{"SGCONSOLE_ADMIN_PASSWORD": "locked-test-password",
		"SGCONSOLE_ADMIN_ACCESS_KEY_ID": key.AccessKeyID, "SGCONSOLE_ADMIN_SECRET_ACCESS_KEY": key.SecretAccessKey}
	if _, err := web.Bootstrap(context.Background(), store, web.Command{}, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(web.Config{}, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	browser := signInTo(t, srv.URL, "locked-test-password")
	res, err := browser.Get(srv.URL + "/security-groups/new")
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := goquery.NewDocumentFromReader(res.Body)
	res.Body.Close()
	token, _ := doc.Find(`input[name="_csrf"]`).First().Attr("value")

	locker, err := sql.Open("sqlite3", "file:"+path+"?_txlock=exclusive")
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close()
	lock, err := locker.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()

	var wg sync.WaitGroup
	var console, api *http.Response
	var consoleBody, apiBody []byte
	wg.Add(2)
	go func() {
		defer wg.Done()
		r, err := browser.PostForm(srv.URL+"/security-groups", url.Values{"_csrf": {token}, "name": {"while-locked"}, "description": {"locked"}})
		if err == nil {
			console = r
			consoleBody, _ = io.ReadAll(r.Body)
			r.Body.Close()
		}
	}()
	go func() {
		defer wg.Done()
		body := url.Values{"Action": {"CreateCacheSecurityGroup"}, "Version": {"2015-02-02"},
			"CacheSecurityGroupName": {"api-while-locked"}, "Description": {"locked"}}.Encode()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		sum := sha256.Sum256([]byte(body))
		creds := aws.Credentials{AccessKeyID: key.AccessKeyID, SecretAccessKey: key.SecretAccessKey}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "elasticache", "us-east-1", time.Now()); err != nil {
			return
		}
		if r, err := http.DefaultClient.Do(req); err == nil {
			api = r
			apiBody, _ = io.ReadAll(r.Body)
			r.Body.Close()
		}
	}()
	wg.Wait()
	_ = lock.Rollback()

	if console == nil || console.StatusCode != http.StatusServiceUnavailable || console.Header.Get("Retry-After") == "" ||
		!strings.Contains(string(consoleBody), "every database connection is in use") {
		t.Errorf("console form while locked: %v, Retry-After %q, want the 503 busy page", statusOf(console), header(console, "Retry-After"))
	}
	if api == nil || api.StatusCode != http.StatusServiceUnavailable || api.Header.Get("Retry-After") == "" ||
		!strings.Contains(string(apiBody), "<Code>Throttling</Code>") {
		t.Errorf("API write while locked: %v, Retry-After %q, want 503 Throttling: %s", statusOf(api), header(api, "Retry-After"), apiBody)
	}
	scope := models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}
	groups, _, err := store.DescribeSecurityGroups(context.Background(), scope, "", "", 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		if strings.Contains(g.Name, "locked") {
			t.Errorf("a refused write was stored: %s", g.Name)
		}
	}
}

func statusOf(r *http.Response) any {
	if r == nil {
		return "no response"
	}
	return r.StatusCode
}

func header(r *http.Response, name string) string {
	if r == nil {
		return ""
	}
	return r.Header.Get(name)
}
