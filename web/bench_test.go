package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
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
	handler := srv.Config.Handler
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(&http.Cookie{Name: handlers.SessionCookie, Value: token})
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", path, rec.Code)
		}
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
