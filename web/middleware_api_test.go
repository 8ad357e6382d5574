package web

import (
	"bytes"
	"encoding/xml"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
)

// A panic on the API path is an XML InternalFailure 500 (Type Receiver) whose details stay in the
// log; the console's HTML error page never answers an API client.
func TestAPIPanicAnswersInternalFailureXML(t *testing.T) {
	store, err := models.Open(filepath.Join(t.TempDir(), "panic.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	var logged bytes.Buffer
	e := New(Config{}, store, slog.New(slog.NewTextHandler(&logged, nil)))
	e.POST("/", func(echo.Context) error { panic("secret detail") }) // in place of the API handler

	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("Action=DescribeCacheSecurityGroups"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	e.ServeHTTP(rec, req)

	var env struct {
		Type      string `xml:"Error>Type"`
		Code      string `xml:"Error>Code"`
		RequestID string `xml:"RequestId"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &env); err != nil {
		t.Fatalf("status %d, body not XML: %v\n%s", rec.Code, err, rec.Body.String())
	}
	if rec.Code != http.StatusInternalServerError || env.Code != "InternalFailure" || env.Type != "Receiver" ||
		env.RequestID == "" || env.RequestID != rec.Header().Get("X-Amzn-RequestId") {
		t.Fatalf("status %d, error %+v, X-Amzn-RequestId %q\n%s", rec.Code, env, rec.Header().Get("X-Amzn-RequestId"), rec.Body.String())
	}
	if strings.Contains(rec.Body.String(), "secret detail") || !strings.Contains(logged.String(), "secret detail") {
		t.Fatalf("the panic's detail must be in the log only\nbody: %s\nlog: %s", rec.Body.String(), logged.String())
	}
}

// FuzzSanitizeRequestID: whatever a client sends, the ID kept is empty (the server makes one) or
// the same string, at most 64 characters of [A-Za-z0-9-].
func FuzzSanitizeRequestID(f *testing.F) {
	for _, seed := range []string{"", "abc-123", strings.Repeat("a", 64), strings.Repeat("a", 65), "a b", "<script>", "é", "\x00", "id\r\nX-Evil: 1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, id string) {
		got := sanitizeRequestID(id)
		if got == "" {
			return
		}
		if got != id || len(got) > maxClientRequestID {
			t.Fatalf("sanitizeRequestID(%q) = %q", id, got)
		}
		for _, c := range got {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				t.Fatalf("sanitizeRequestID(%q) kept %q", id, c)
			}
		}
	})
}

// FuzzTruncateForLog: a logged URI is never longer than the limit plus its marker, and keeps a
// short URI whole.
func FuzzTruncateForLog(f *testing.F) {
	f.Add("/")
	f.Add("/healthz?x=" + strings.Repeat("A", 300))
	f.Fuzz(func(t *testing.T, uri string) {
		got := truncateForLog(uri)
		if len(uri) <= maxLoggedURI && got != uri {
			t.Fatalf("short URI changed: %q -> %q", uri, got)
		}
		if len(got) > maxLoggedURI+len("...[truncated 0000000000 bytes]") || !strings.HasPrefix(got, uri[:min(len(uri), maxLoggedURI)]) {
			t.Fatalf("truncateForLog(%d bytes) = %d bytes", len(uri), len(got))
		}
	})
}
