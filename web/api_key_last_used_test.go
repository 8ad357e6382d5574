package web_test

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/elasticache"
)

// The Security credentials page shows when a key was last used by the API; a stream of calls
// records it once a minute (to the minute, as AWS reports it coarsely too), not on every call.
func TestAPIKeyLastUsedShowsOnTheCredentialsPageOnceAMinute(t *testing.T) {
	env := newAPIEnv(t, false)
	s := env.signIn(t)
	lastUsed := func() string {
		t.Helper()
		page := s.do(t, http.MethodGet, "/security-credentials?region=us-east-1", nil)
		if page.Status != http.StatusOK {
			t.Fatalf("credentials page: status %d", page.Status)
		}
		m := regexp.MustCompile(`(?s)data-testid="key-` + env.key.AccessKeyID + `".*?data-testid="key-last-used">([^<]*)<`).FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatalf("no last-used cell for %s on the credentials page", env.key.AccessKeyID)
		}
		return m[1]
	}
	call := func() {
		t.Helper()
		if _, err := env.client.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{}); err != nil {
			t.Fatalf("DescribeCacheSecurityGroups: %v", err)
		}
	}
	if got := lastUsed(); got != "Never" {
		t.Fatalf("before any call the key was last used %q, want Never", got)
	}
	first := env.clock.Now()
	call()
	want := first.UTC().Format("January 2, 2006, 15:04:05 (UTC)")
	if got := lastUsed(); got != want {
		t.Fatalf("after a call: last used %q, want %q", got, want)
	}
	env.clock.Advance(30 * time.Second)
	call()
	if got := lastUsed(); got != want {
		t.Fatalf("a call 30 seconds later: last used %q, want it still %q", got, want)
	}
	env.clock.Advance(31 * time.Second)
	call()
	if got, later := lastUsed(), first.Add(61*time.Second).UTC().Format("January 2, 2006, 15:04:05 (UTC)"); got != later {
		t.Fatalf("a call a minute later: last used %q, want %q", got, later)
	}
}
