package web

import (
	"net/http"
	"regexp"
	"testing"
	"time"
)

func TestClusterPageShowsNodesAndEndpointsWithCopyButtons(t *testing.T) {
	cs := newConsole(t, true)
	cs.clock.Advance(propagationDelay + time.Second)
	c := cs.signedIn(t)
	r := c.get("/clusters/app-memcached?region=us-east-1").wantStatus(http.StatusOK)
	cfg := r.text(testid("detail-configuration-endpoint"))
	if !regexp.MustCompile(`^app-memcached\.[a-z0-9]{6}\.cfg\.use1\.cache\.amazonaws\.com:11211$`).MatchString(cfg) {
		t.Fatalf("configuration endpoint %q", cfg)
	}
	r.wantPresent(testid("detail-configuration-endpoint") + ` button[data-copy-target="cfg-app-memcached"][aria-label="Copy Configuration endpoint"]`)
	node := testid("cluster-nodes") + " " + testid("node-0001")
	r.wantText(node+" "+testid("node-status"), "available")
	if got := r.text(node + " " + testid("node-endpoint")); !regexp.MustCompile(`^app-memcached\.[a-z0-9]{6}\.0001\.use1\.cache\.amazonaws\.com:11211$`).MatchString(got) {
		t.Fatalf("node endpoint %q", got)
	}
	r.wantPresent(node + ` button[data-copy-target="node-app-memcached-0001"][aria-label="Copy Endpoint of node 0001"]`)
	r.wantPresent(`code#node-app-memcached-0001`)
	r.wantText(testid("detail-parameter-group"), "default.memcached1.4")

	redis := c.get("/clusters/orders-redis?region=us-east-1").wantStatus(http.StatusOK)
	redis.wantAbsent(testid("detail-configuration-endpoint"))
	if got := redis.text(testid("cluster-nodes") + " " + testid("node-0001") + " " + testid("node-endpoint")); !regexp.MustCompile(`^orders-redis\.[a-z0-9]{6}\.0001\.use1\.cache\.amazonaws\.com:6379$`).MatchString(got) {
		t.Fatalf("redis node endpoint %q", got)
	}
}
