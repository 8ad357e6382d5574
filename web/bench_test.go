package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"

	"sgconsole/handlers"
	"sgconsole/models"
)

// benchmarkGet measures one signed-in GET through the whole stack (middleware, session lookup,
// models, templ) without the network.
func benchmarkGet(b *testing.B, groups int, path string) {
	srv, store, _ := newConsoleStore(b, false)
	ctx := context.Background()
	seedGroups(b, store, groups)
	token, err := store.SignIn(ctx, models.Credentials{Username: models.AdminUsername, Password: "browser-test-pw"})
	if err != nil {
		b.Fatal(err)
	}
	replay(b, store, srv.Config.Handler, func() *http.Request {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(&http.Cookie{Name: handlers.SessionCookie, Value: token})
		return req
	})
}

// replay serves newReq's request in a loop and reports, besides time and allocations, the
// statements each request sends to the database (stmts/op). With SGCONSOLE_BENCH_SQL=1 it also
// logs the statements of one request.
func replay(b *testing.B, store *models.Store, handler http.Handler, newReq func() *http.Request) {
	trace, err := store.TraceStatements()
	if err != nil {
		b.Fatal(err)
	}
	serve := func() {
		req := newReq()
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s %s = %d: %.300s", req.Method, req.URL, rec.Code, rec.Body.String())
		}
	}
	serve() // warm caches, as a long-running server's are
	trace.Take()
	statements := 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		serve()
		statements += len(trace.Take())
	}
	b.ReportMetric(float64(statements)/float64(b.N), "stmts/op")
	if os.Getenv("SGCONSOLE_BENCH_SQL") == "1" {
		serve()
		b.Logf("statements of one request:\n%s", models.Summary(trace.Take()))
	}
}

// BenchmarkHealthz is the baseline: the middleware stack and one database ping.
func BenchmarkHealthz(b *testing.B) { benchmarkGet(b, 1, "/healthz") }

// BenchmarkListPage50 renders a full page of 50 groups with three authorizations each.
func BenchmarkListPage50(b *testing.B) { benchmarkGet(b, 50, "/security-groups?size=50") }

// BenchmarkListPageSelected50 adds the split panel of one ticked group.
func BenchmarkListPageSelected50(b *testing.B) {
	benchmarkGet(b, 50, "/security-groups?size=50&selected=group-25")
}

// BenchmarkDetailPage renders one group's detail page.
func BenchmarkDetailPage(b *testing.B) { benchmarkGet(b, 50, "/security-groups/group-25") }

// seedGroups fills us-east-1 with n groups (default included), three authorizations each.
func seedGroups(b *testing.B, store *models.Store, n int) {
	ctx := context.Background()
	scope := models.Scope{AccountID: models.DefaultAccountID, Region: models.DefaultRegion}
	for i := 1; i < n; i++ {
		name := fmt.Sprintf("group-%02d", i)
		if _, err := store.CreateSecurityGroup(ctx, scope, name, "Benchmark group "+name); err != nil {
			b.Fatal(err)
		}
		for _, ec2 := range []string{"web-servers", "app-servers", "bastion"} {
			if _, err := store.AuthorizeIngress(ctx, scope, name, ec2, models.DefaultAccountID); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkDescribe50 is DescribeCacheSecurityGroups of 50 groups, one SigV4-signed request
// replayed through the handler in-process (as web/benchload replays it over loopback): the
// signature is verified every time, and the answer encoded.
func BenchmarkDescribe50(b *testing.B) {
	srv, store, _ := newConsoleStore(b, false)
	seedGroups(b, store, 50)
	ctx := context.Background()
	admin, err := store.UserByName(ctx, models.AdminUsername)
	if err != nil {
		b.Fatal(err)
	}
	key, err := store.CreateAccessKey(ctx, admin.ID)
	if err != nil {
		b.Fatal(err)
	}
	const body = "Action=DescribeCacheSecurityGroups&Version=2015-02-02&MaxRecords=100"
	signed := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	signed.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: key.AccessKeyID, SecretAccessKey: key.SecretAccessKey}
	// The server checks the signature's time against the wall clock, not the store's test clock.
	if err := v4.NewSigner().SignHTTP(ctx, creds, signed, hex.EncodeToString(sum[:]), "elasticache", "us-east-1", time.Now()); err != nil {
		b.Fatal(err)
	}
	replay(b, store, srv.Config.Handler, func() *http.Request {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header = signed.Header.Clone()
		return req
	})
}

// BenchmarkHealthzOverHTTP is the baseline for the API benchmark: one request over loopback.
func BenchmarkHealthzOverHTTP(b *testing.B) {
	srv, _, _ := newConsoleStore(b, false)
	b.ReportAllocs()
	for b.Loop() {
		res, err := http.Get(srv.URL + "/healthz")
		if err != nil {
			b.Fatal(err)
		}
		res.Body.Close()
	}
}

// BenchmarkAPIDescribe50 is DescribeCacheSecurityGroups of 50 groups through the real SDK client:
// signing, SigV4 verification on the server, models and XML both ways.
func BenchmarkAPIDescribe50(b *testing.B) {
	srv, store, _ := newConsoleStore(b, false)
	seedGroups(b, store, 50)
	ctx := context.Background()
	admin, err := store.UserByName(ctx, models.AdminUsername)
	if err != nil {
		b.Fatal(err)
	}
	key, err := store.CreateAccessKey(ctx, admin.ID)
	if err != nil {
		b.Fatal(err)
	}
	client := elasticache.NewFromConfig(aws.Config{Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(key.AccessKeyID, key.SecretAccessKey, "")},
		func(o *elasticache.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	b.ReportAllocs()
	for b.Loop() {
		out, err := client.DescribeCacheSecurityGroups(ctx, &elasticache.DescribeCacheSecurityGroupsInput{})
		if err != nil || len(out.CacheSecurityGroups) != 50 {
			b.Fatalf("describe: %v (%d groups)", err, len(out.CacheSecurityGroups))
		}
	}
}
