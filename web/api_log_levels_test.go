package web_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	smithymiddleware "github.com/aws/smithy-go/middleware"
	"golang.org/x/crypto/bcrypt"

	"sgconsole/models"
	"sgconsole/web"
)

// levelRecorder is a slog handler that keeps the level of each request log line by request ID.
type levelRecorder struct {
	mu     sync.Mutex
	levels map[string]slog.Level
}

func (h *levelRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *levelRecorder) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *levelRecorder) WithGroup(string) slog.Handler            { return h }
func (h *levelRecorder) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "request" {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "request_id" {
			h.mu.Lock()
			h.levels[a.Value.String()] = r.Level
			h.mu.Unlock()
			return false
		}
		return true
	})
	return nil
}

// level waits for the request line of id (the server may log it just after the client has its answer).
func (h *levelRecorder) level(t *testing.T, id string) slog.Level {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		h.mu.Lock()
		l, ok := h.levels[id]
		h.mu.Unlock()
		if ok {
			return l
		}
	}
	t.Fatalf("no request log line with request_id %q", id)
	return 0
}

// API calls that only read are logged at debug, like page views, so the default (info) log shows
// the changes and the failures: a DescribeCacheSecurityGroups is debug, a CreateCacheSecurityGroup
// info, and a refused read info.
func TestAPIReadsAreLoggedAtDebugAndWritesAtInfo(t *testing.T) {
	store, err := models.Open(filepath.Join(t.TempDir(), "levels.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	store.PasswordCost = bcrypt.MinCost
	env := func(k string) string {
		if k == "SGCONSOLE_ADMIN_PASSWORD" {
			return "log-levels-pw"
		}
		return ""
	}
	if _, err := web.Bootstrap(context.Background(), store, web.Command{}, env); err != nil {
		t.Fatal(err)
	}
	rec := &levelRecorder{levels: map[string]slog.Level{}}
	srv := httptest.NewServer(web.New(web.Config{}, store, slog.New(rec)))
	t.Cleanup(srv.Close)
	admin, err := store.UserByName(bg, models.AdminUsername)
	if err != nil {
		t.Fatal(err)
	}
	key, err := store.CreateAccessKey(bg, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := elasticache.NewFromConfig(aws.Config{Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(key.AccessKeyID, key.SecretAccessKey, "")},
		func(o *elasticache.Options) { o.BaseEndpoint = aws.String(srv.URL); o.Retryer = aws.NopRetryer{} })
	idOf := func(md smithymiddleware.Metadata) string {
		t.Helper()
		id, ok := awsmiddleware.GetRequestIDMetadata(md)
		if !ok || id == "" {
			t.Fatal("the response has no request ID")
		}
		return id
	}

	described, err := c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if l := rec.level(t, idOf(described.ResultMetadata)); l != slog.LevelDebug {
		t.Errorf("DescribeCacheSecurityGroups logged at %v, want DEBUG", l)
	}
	created, err := c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{
		CacheSecurityGroupName: aws.String("logged"), Description: aws.String("d")})
	if err != nil {
		t.Fatal(err)
	}
	if l := rec.level(t, idOf(created.ResultMetadata)); l != slog.LevelInfo {
		t.Errorf("CreateCacheSecurityGroup logged at %v, want INFO", l)
	}
	_, err = c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String("nope")})
	var refused *awshttp.ResponseError
	if !errors.As(err, &refused) || refused.HTTPStatusCode() != http.StatusNotFound {
		t.Fatalf("describing a missing group: %v, want a 404 with a request ID", err)
	}
	if l := rec.level(t, refused.ServiceRequestID()); l != slog.LevelInfo {
		t.Errorf("a refused DescribeCacheSecurityGroups logged at %v, want INFO", l)
	}
}
