package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sgconsole/models"
)

// storedCluster reads a cluster straight from the store; ok is false when it does not exist (or is gone).
func (cs *console) storedCluster(t *testing.T, region, id string) (models.Cluster, bool) {
	t.Helper()
	c, err := cs.store.GetCluster(context.Background(), scopeOf(region), id)
	if models.HasCode(err, models.CodeCacheClusterNotFound) {
		return c, false
	}
	if err != nil {
		t.Fatalf("get cluster %s/%s: %v", region, id, err)
	}
	return c, true
}

func (cs *console) mustCluster(t *testing.T, region, id string) models.Cluster {
	t.Helper()
	c, ok := cs.storedCluster(t, region, id)
	if !ok {
		t.Fatalf("cluster %s/%s does not exist", region, id)
	}
	return c
}

func groupsOf(c models.Cluster) string {
	var parts []string
	for _, g := range c.CacheSecurityGroups {
		parts = append(parts, g.Name+":"+string(g.Status))
	}
	return strings.Join(parts, ",")
}

// createCluster opens the create form of region and submits it with values.
func (c *client) createCluster(region string, values url.Values) *response {
	c.t.Helper()
	page := c.get("/clusters/new?region=" + region + "&network=" + values.Get("network")).wantStatus(http.StatusOK)
	return c.submitValues(page, testid("cluster-create-form"), values)
}

func classicCluster(id string, groups ...string) url.Values {
	return url.Values{"cluster_id": {id}, "engine": {"memcached"}, "node_type": {"cache.m1.small"}, "num_nodes": {"2"},
		"network": {"ec2-classic"}, "cache_security_groups": groups}
}

func vpcCluster(id, subnet, sgs string) url.Values {
	return url.Values{"cluster_id": {id}, "engine": {"redis"}, "node_type": {"cache.t2.small"}, "num_nodes": {"1"},
		"network": {"vpc"}, "subnet_group": {subnet}, "vpc_security_group_ids": {sgs}}
}

func TestClusterListShowsTheDemoClusters(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	r := c.get("/clusters?region=us-east-1").wantStatus(http.StatusOK)
	r.wantText(testid("page-title"), "Clusters (3)")
	r.wantText(testid("create-button"), "Create cluster")
	if got := r.attr(testid("create-button"), "href"); got != "/clusters/new?region=us-east-1" {
		t.Fatalf("create link %q", got)
	}
	row := testid("cluster-row-sessions")
	r.wantText(row+" "+testid("cluster-engine"), "Memcached 1.4.34")
	r.wantText(row+" "+testid("cluster-node-type"), "cache.m1.small")
	r.wantText(row+" "+testid("cluster-nodes"), "2")
	r.wantText(row+" "+testid("cluster-network"), "EC2-Classic")
	r.wantText(row+" "+testid("cluster-status"), "creating")
	if got := r.attr(row+" a", "href"); got != "/clusters/sessions?region=us-east-1" {
		t.Fatalf("row link %q", got)
	}
	r.wantText(testid("cluster-row-orders-redis")+" "+testid("cluster-network"), "prod-private")
	if r.attr("body", "data-pending") != "true" {
		t.Fatal("a list with creating clusters should keep itself current")
	}

	cs.clock.Advance(propagationDelay)
	r = c.get("/clusters?region=us-east-1").wantStatus(http.StatusOK)
	r.wantText(testid("cluster-row-sessions")+" "+testid("cluster-status"), "available")
	r.wantPresent(testid("cluster-row-sessions") + " .status--success")
	if r.attr("body", "data-pending") != "false" {
		t.Fatal("nothing is pending once the clusters are available")
	}

	// Filter and pagination keep their state in the URL, like the Security Groups list.
	r = c.get("/clusters?region=us-east-1&filter=redis").wantStatus(http.StatusOK)
	r.wantText(testid("page-title"), "Clusters (1)")
	r.wantText(testid("match-count"), "1 match")
	r.wantPresent(testid("cluster-row-orders-redis"))
	r.wantAbsent(testid("cluster-row-sessions"))
	r = c.get("/clusters?region=us-east-1&filter=nothing-like-this").wantStatus(http.StatusOK)
	r.wantText(testid("empty-state"), "No matches")

	for i := 0; i < 10; i++ {
		id := "bulk-" + string(rune('a'+i))
		if _, err := cs.store.CreateCluster(context.Background(), scopeOf("us-east-1"), models.NewCluster{ID: id, Engine: "memcached", NodeType: "cache.t1.micro", NumNodes: 1}); err != nil {
			t.Fatal(err)
		}
	}
	r = c.get("/clusters?region=us-east-1&size=10").wantStatus(http.StatusOK)
	r.wantText(testid("table-range"), "Displaying items 1 to 10 of 13")
	next := r.attr(testid("next-page"), "href")
	if next != "/clusters?page=2&region=us-east-1&size=10" {
		t.Fatalf("next page link %q", next)
	}
	r = c.get(next).wantStatus(http.StatusOK)
	r.wantText(testid("table-range"), "Displaying items 11 to 13 of 13")

	// Another region has none: the empty state offers Create.
	r = c.get("/clusters?region=eu-west-1").wantStatus(http.StatusOK)
	r.wantText(testid("page-title"), "Clusters (0)")
	r.wantText(testid("empty-state"), "Create cluster")
}

func TestCreateClassicClusterWithAGroup(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	// Step 1 chooses the network (a GET form), and nothing else.
	step1 := c.get("/clusters/new?region=us-east-1").wantStatus(http.StatusOK)
	step1.wantText(testid("form-step"), "Step 1 of 2")
	step1.wantPresent(testid("cluster-network-form") + `[method="get"] ` + testid("network-ec2-classic") + "[checked]")
	step1.wantPresent(testid("network-vpc"))
	step1.wantAbsent(testid("cluster-create-form"))
	step1.wantAbsent(`input[name="cluster_id"]`)
	// Step 2 shows the chosen network's fields; the other network's are hidden and disabled.
	form := c.get("/clusters/new?region=us-east-1&network=ec2-classic").wantStatus(http.StatusOK)
	form.wantText(testid("form-step"), "Step 2 of 2")
	form.wantText(testid("network-summary"), "EC2-Classic")
	form.wantPresent(testid("sg-reporting"))
	form.wantAbsent(testid("classic-fields") + "[hidden]")
	form.wantPresent(testid("vpc-fields") + "[hidden][disabled] " + `input[name="subnet_group"]`)
	if got := form.attr(testid("change-network"), "href"); got != "/clusters/new?change=ec2-classic&region=us-east-1" {
		t.Errorf("Change network goes to %q", got)
	}
	form.wantText(testid("cache-security-groups"), "default")
	if got := form.text(`select[name="node_type"] option[value="cache.t2.micro"]`); got != "cache.t2.micro (VPC only)" {
		t.Fatalf("t2 option reads %q", got)
	}

	r := c.submitValues(form, testid("cluster-create-form"), classicCluster("Web-Cache", "reporting", "staging"))
	r.wantRedirect(http.StatusSeeOther, "/clusters/web-cache?region=us-east-1")
	got := cs.mustCluster(t, "us-east-1", "web-cache")
	if !got.IsClassic() || got.NumNodes != 2 || groupsOf(got) != "reporting:active,staging:active" || got.Status != models.ClusterCreating {
		t.Fatalf("stored %+v", got)
	}
	page := c.follow(r).wantStatus(http.StatusOK)
	page.wantText(testid("flash"), "Creating cache cluster web-cache. It becomes available in about 10s.")
	page.wantText(testid("page-title"), "web-cache")
	page.wantText(testid("cluster-status"), "creating")
	if page.attr("body", "data-pending") != "true" {
		t.Fatal("a creating cluster's page should keep itself current")
	}
	page.wantPresent(`button[disabled]` + testid("delete-button"))
	page.wantPresent(`button[disabled]` + testid("modify-button"))

	cs.clock.Advance(propagationDelay)
	page = c.get("/clusters/web-cache?region=us-east-1").wantStatus(http.StatusOK)
	page.wantText(testid("cluster-status"), "available")
	if page.attr("body", "data-pending") != "false" {
		t.Fatal("an available cluster's page is not pending")
	}
	if got := cs.mustCluster(t, "us-east-1", "web-cache").Status; got != models.ClusterAvailable {
		t.Fatalf("status %s after the delay", got)
	}
}

func TestCreateClassicClusterWithoutGroupsGetsDefault(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	form := c.get("/clusters/new?region=us-east-1&network=ec2-classic").wantStatus(http.StatusOK)
	form.wantText(testid("cache-security-groups"), "If you choose none, the cluster gets the default group")
	r := c.submitValues(form, testid("cluster-create-form"), classicCluster("plain"))
	r.wantRedirect(http.StatusSeeOther, "/clusters/plain?region=us-east-1")
	if got := groupsOf(cs.mustCluster(t, "us-east-1", "plain")); got != "default:active" {
		t.Fatalf("groups %q, want default", got)
	}
}

func TestCreateVPCCluster(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	cache, def := cs.vpcGroupID(t, "vpc-cache"), cs.vpcGroupID(t, "default")
	// A VPC security group that is not one of the subnet group's VPC is refused next to its field.
	r := c.createCluster("us-east-1", vpcCluster("orders-2", "Prod-Private", cache+", sg-1234abcd"))
	r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
	r.wantText(testid("error-vpc_security_group_ids"), "sg-1234abcd")
	r = c.createCluster("us-east-1", vpcCluster("orders-2", "Prod-Private", cache+", "+def))
	r.wantRedirect(http.StatusSeeOther, "/clusters/orders-2?region=us-east-1")
	got := cs.mustCluster(t, "us-east-1", "orders-2")
	if got.IsClassic() || got.SubnetGroup != "prod-private" || strings.Join(got.VPCSecurityGroupIDs, " ") != cache+" "+def || len(got.CacheSecurityGroups) != 0 {
		t.Fatalf("stored %+v", got)
	}
	list := c.get("/clusters?region=us-east-1").wantStatus(http.StatusOK)
	list.wantText(testid("cluster-row-orders-2")+" "+testid("cluster-network"), "prod-private")
	list.wantText(testid("cluster-row-orders-2")+" "+testid("cluster-engine"), "Redis 3.2.10")
}

func TestCreateClusterRefusesGroupsWithVPCSettings(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	values := vpcCluster("mixed", "prod-private", "sg-0a1b2c3d")
	values["cache_security_groups"] = []string{"reporting"}
	r := c.failedForm(c.createCluster("us-east-1", values)).wantStatus(http.StatusUnprocessableEntity)
	// The console can't send a mix (the other network's fields are disabled); posted anyway, it is
	// answered next to the network in the console's words, never the API's.
	r.wantText(testid("error-network"), "A VPC cluster is reached through VPC security groups, so it takes no cache security groups. Clear the cache security groups, or choose EC2-Classic to use them.")
	if strings.Contains(r.Body, models.MessageSecurityGroupsWithVPCParts) {
		t.Error("the page shows the API's wording")
	}
	r.wantAbsent(testid("alert-error"))
	r.wantText(testid("network-summary"), "VPC")
	// The user's input is kept.
	if v := r.attr(`input[name="cluster_id"]`, "value"); v != "mixed" {
		t.Fatalf("cluster_id kept as %q", v)
	}
	if v := r.attr(`input[name="subnet_group"]`, "value"); v != "prod-private" {
		t.Fatalf("subnet_group kept as %q", v)
	}
	r.wantPresent(`input[name="cache_security_groups"][value="reporting"][checked]`)
	r.wantPresent(`input[name="network"][value="vpc"][checked]`)
	if _, ok := cs.storedCluster(t, "us-east-1", "mixed"); ok {
		t.Fatal("a refused cluster was stored")
	}
}

func TestCreateClusterRejectsBadIDs(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	for name, id := range map[string]string{
		"trailing hyphen":   "cache-",
		"double hyphen":     "my--cache",
		"starts with digit": "1cache",
		"51 characters":     "a" + strings.Repeat("b", 50),
		"empty":             "",
		"bad character":     "my_cache",
	} {
		t.Run(name, func(t *testing.T) {
			c := c.in(t)
			r := c.failedForm(c.createCluster("us-east-1", classicCluster(id))).wantStatus(http.StatusUnprocessableEntity)
			r.wantPresent(testid("error-cluster_id"))
			r.wantPresent(`#cluster-id.input--invalid`)
			if v := r.attr(`input[name="cluster_id"]`, "value"); v != id {
				t.Fatalf("input kept as %q, want %q", v, id)
			}
		})
	}
	page, err := cs.store.ListClusters(context.Background(), scopeOf("us-east-1"), models.ClusterListOptions{})
	if err != nil || page.Total != 3 {
		t.Fatalf("clusters after bad IDs: %d (%v), want the 3 demo ones", page.Total, err)
	}
}

func TestCreateClusterRefusesADuplicate(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	r := c.failedForm(c.createCluster("us-east-1", classicCluster("SESSIONS"))).wantStatus(http.StatusUnprocessableEntity)
	r.wantText(testid("error-cluster_id"), "A cache cluster named sessions already exists.")
	if got := groupsOf(cs.mustCluster(t, "us-east-1", "sessions")); got != "web-sessions:active" {
		t.Fatalf("existing cluster changed: %q", got)
	}
}

func TestCreateClusterWithUnknownGroupIsAFieldError(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	r := c.failedForm(c.createCluster("us-east-1", classicCluster("ghosts", "no-such-group"))).wantStatus(http.StatusUnprocessableEntity)
	r.wantText(testid("error-cache_security_groups"), "no-such-group")
	if _, ok := cs.storedCluster(t, "us-east-1", "ghosts"); ok {
		t.Fatal("cluster stored with an unknown group")
	}
}

func TestCreateClusterRefusesRedisWithTwoNodesAndT2InClassic(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	redis := classicCluster("redis-two")
	redis.Set("engine", "redis")
	r := c.failedForm(c.createCluster("us-east-1", redis)).wantStatus(http.StatusUnprocessableEntity)
	r.wantText(testid("error-num_nodes"), "Enter 1: a Redis cluster has exactly one node.")
	r.wantPresent(`select[name="engine"] option[value="redis"][selected]`)

	t2 := classicCluster("tiny")
	t2.Set("node_type", "cache.t2.micro")
	r = c.failedForm(c.createCluster("us-east-1", t2)).wantStatus(http.StatusUnprocessableEntity)
	r.wantText(testid("error-node_type"), "available only in a VPC")
	r.wantPresent(`select[name="node_type"] option[value="cache.t2.micro"][selected]`)

	bad := classicCluster("words")
	bad.Set("num_nodes", "two")
	r = c.failedForm(c.createCluster("us-east-1", bad)).wantStatus(http.StatusUnprocessableEntity)
	r.wantText(testid("error-num_nodes"), "whole number")
	for _, id := range []string{"redis-two", "tiny", "words"} {
		if _, ok := cs.storedCluster(t, "us-east-1", id); ok {
			t.Fatalf("refused cluster %s was stored", id)
		}
	}
}

func TestClassicClusterDetailShowsTheSecurityGroupsPane(t *testing.T) {
	cs := newConsole(t, true)
	cs.clock.Advance(propagationDelay)
	c := cs.signedIn(t)
	r := c.get("/clusters/app-memcached?region=us-east-1").wantStatus(http.StatusOK)
	r.wantText(testid("page-title"), "app-memcached")
	r.wantText(testid("detail-engine"), "Memcached")
	r.wantText(testid("detail-engine-version"), "1.4.34")
	r.wantText(testid("detail-node-type"), "cache.m3.medium")
	r.wantText(testid("detail-port"), "11211")
	r.wantText(testid("detail-created"), "June 1, 2022, 12:00:00 (UTC)")
	r.wantText(testid("detail-arn"), "arn:aws:elasticache:us-east-1:123456789012:cluster:app-memcached")
	r.wantText(testid("detail-subnet-group"), "-")
	pane := testid("cluster-security-groups")
	r.wantText(pane+" "+testid("cluster-sg-app-cache"), "active")
	r.wantText(pane+" "+testid("cluster-sg-default"), "active")
	r.wantPresent(pane + " " + testid("cluster-sg-app-cache") + " .status--success")
	if got := r.attr(pane+" "+testid("cluster-sg-app-cache")+" a", "href"); got != "/security-groups/app-cache?region=us-east-1" {
		t.Fatalf("group link %q", got)
	}
	if got := r.attr(pane+" "+testid("pane-modify-button"), "href"); got != "/clusters/app-memcached/modify?region=us-east-1" {
		t.Fatalf("pane Modify link %q", got)
	}
	r.wantAbsent(testid("vpc-cluster-note"))
	r.wantPresent(`a` + testid("delete-button") + `[data-dialog="cluster-delete-dialog"]`)
	r.wantText(testid("delete-dialog"), "app-memcached")
}

func TestVPCClusterDetailHasNoPaneButANote(t *testing.T) {
	cs := newConsole(t, true)
	cs.clock.Advance(propagationDelay)
	c := cs.signedIn(t)
	r := c.get("/clusters/ORDERS-REDIS?region=us-east-1").wantStatus(http.StatusOK)
	r.wantText(testid("page-title"), "orders-redis")
	r.wantAbsent(testid("cluster-security-groups"))
	r.wantAbsent(testid("modify-button"))
	r.wantText(testid("vpc-cluster-note"), "VPC security groups")
	// The note leads to where those rules are changed and to the explainer, asked about this cluster.
	r.wantPresent(testid("vpc-cluster-note") + ` a[href^="/ec2/vpc-security-groups"]`)
	r.wantPresent(testid("vpc-cluster-note") + ` a[href^="/connectivity"][href*="cluster=orders-redis"]`)
	r.wantText(testid("detail-subnet-group"), "prod-private")
	r.wantText(testid("detail-vpc-security-groups"), cs.vpcGroupID(t, "vpc-cache"))
	r.wantText(testid("detail-port"), "6379")
}

func TestUnknownClusterIsA404Page(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	c.get("/clusters/nope?region=us-east-1").wantErrorPage(http.StatusNotFound, "Cache cluster nope not found.")
	c.get("/clusters/nope/modify?region=us-east-1").wantErrorPage(http.StatusNotFound, "not found")
	c.get("/clusters/nope/delete?region=us-east-1").wantErrorPage(http.StatusNotFound, "not found")
	// The demo clusters live in us-east-1 only.
	c.get("/clusters/sessions?region=eu-west-1").wantErrorPage(http.StatusNotFound, "not found")
}

func TestModifyReplacesTheGroupsAndShowsModifying(t *testing.T) {
	cs := newConsole(t, true)
	cs.clock.Advance(propagationDelay)
	c := cs.signedIn(t)
	form := c.get("/clusters/app-memcached/modify?region=us-east-1").wantStatus(http.StatusOK)
	form.wantPresent(`input[name="cache_security_groups"][value="app-cache"][checked]`)
	form.wantPresent(`input[name="cache_security_groups"][value="default"][checked]`)
	form.wantPresent(`input[name="cache_security_groups"][value="reporting"]:not([checked])`)

	r := c.submitValues(form, testid("cluster-modify-form"), url.Values{"cache_security_groups": {"app-cache", "reporting"}})
	r.wantRedirect(http.StatusSeeOther, "/clusters/app-memcached?region=us-east-1")
	got := cs.mustCluster(t, "us-east-1", "app-memcached")
	if groupsOf(got) != "app-cache:active,default:modifying,reporting:modifying" || got.Status != models.ClusterModifying {
		t.Fatalf("after modify: %s %q", got.Status, groupsOf(got))
	}
	page := c.follow(r).wantStatus(http.StatusOK)
	page.wantText(testid("flash"), "Modifying the security groups of app-memcached. The change applies in about 10s.")
	page.wantText(testid("cluster-status"), "modifying")
	page.wantText(testid("cluster-sg-reporting"), "modifying")
	page.wantPresent(testid("cluster-sg-reporting") + " .status--pending")
	if page.attr("body", "data-pending") != "true" {
		t.Fatal("a modifying cluster's page should keep itself current")
	}
	// While it is modifying, another change is refused with the cluster's state.
	r = c.post("/clusters/app-memcached/modify?region=us-east-1", url.Values{"_csrf": {page.csrfToken()}, "cache_security_groups": {"default"}}, nil)
	r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
	r.wantText(testid("alert-error"), "Cache cluster app-memcached is modifying")

	cs.clock.Advance(propagationDelay)
	page = c.get("/clusters/app-memcached?region=us-east-1").wantStatus(http.StatusOK)
	page.wantText(testid("cluster-status"), "available")
	page.wantText(testid("cluster-sg-reporting"), "active")
	page.wantAbsent(testid("cluster-sg-default"))
	if got := groupsOf(cs.mustCluster(t, "us-east-1", "app-memcached")); got != "app-cache:active,reporting:active" {
		t.Fatalf("after the delay: %q", got)
	}
}

func TestModifyRefusesNoGroupAndUnavailableClusters(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	// Still creating: the form posts, and the model's state error shows as an alert.
	form := c.get("/clusters/sessions/modify?region=us-east-1").wantStatus(http.StatusOK)
	r := c.submitValues(form, testid("cluster-modify-form"), url.Values{"cache_security_groups": {"reporting"}})
	r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
	r.wantText(testid("alert-error"), "Cache cluster sessions is creating")
	r.wantPresent(`input[name="cache_security_groups"][value="reporting"][checked]`)

	cs.clock.Advance(propagationDelay)
	form = c.get("/clusters/sessions/modify?region=us-east-1").wantStatus(http.StatusOK)
	r = c.submitValues(form, testid("cluster-modify-form"), url.Values{})
	r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
	r.wantText(testid("error-cache_security_groups"), "Choose at least one cache security group.")
	r = c.submitValues(form, testid("cluster-modify-form"), url.Values{"cache_security_groups": {"nope"}})
	r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
	r.wantText(testid("error-cache_security_groups"), "nope")
	if got := groupsOf(cs.mustCluster(t, "us-east-1", "sessions")); got != "web-sessions:active" {
		t.Fatalf("refused modify changed the groups: %q", got)
	}
}

func TestModifyOfAVPCClusterIsRefused(t *testing.T) {
	cs := newConsole(t, true)
	cs.clock.Advance(propagationDelay)
	c := cs.signedIn(t)
	r := c.get("/clusters/orders-redis/modify?region=us-east-1").wantStatus(http.StatusOK)
	r.wantAbsent(testid("cluster-modify-form"))
	r.wantText(testid("alert-error"), models.MessageSecurityGroupsWithVPCParts)

	r = c.post("/clusters/orders-redis/modify?region=us-east-1", url.Values{"_csrf": {r.csrfToken()}, "cache_security_groups": {"default"}}, nil)
	r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
	r.wantText(testid("alert-error"), models.MessageSecurityGroupsWithVPCParts)
	if got := cs.mustCluster(t, "us-east-1", "orders-redis"); len(got.CacheSecurityGroups) != 0 {
		t.Fatalf("VPC cluster got cache groups: %q", groupsOf(got))
	}
}

func TestDeleteClusterShowsDeletingThenItIsGone(t *testing.T) {
	cs := newConsole(t, true)
	cs.clock.Advance(propagationDelay)
	c := cs.signedIn(t)
	confirm := c.get("/clusters/sessions/delete?region=us-east-1").wantStatus(http.StatusOK)
	confirm.wantText(testid("delete-name"), "sessions")
	r := c.submit(confirm, testid("cluster-delete-form"), map[string]string{"confirm": "confirm"})
	r.wantRedirect(http.StatusSeeOther, "/clusters?region=us-east-1")
	if got := cs.mustCluster(t, "us-east-1", "sessions").Status; got != models.ClusterDeleting {
		t.Fatalf("status %s, want deleting", got)
	}
	list := c.follow(r).wantStatus(http.StatusOK)
	list.wantText(testid("flash"), "Deleting cache cluster sessions.")
	list.wantText(testid("cluster-row-sessions")+" "+testid("cluster-status"), "deleting")
	if list.attr("body", "data-pending") != "true" {
		t.Fatal("a list with a deleting cluster should keep itself current")
	}
	detail := c.get("/clusters/sessions?region=us-east-1").wantStatus(http.StatusOK)
	detail.wantPresent(`button[disabled]` + testid("delete-button"))
	detail.wantAbsent(testid("delete-dialog"))
	// A second delete is refused while it is deleting.
	r = landed(c, c.post("/clusters/sessions/delete?region=us-east-1", url.Values{"_csrf": {detail.csrfToken()}}, nil))
	r.wantStatus(http.StatusConflict)
	r.wantText(testid("alert-error"), "deleting")

	cs.clock.Advance(propagationDelay)
	list = c.get("/clusters?region=us-east-1").wantStatus(http.StatusOK)
	list.wantAbsent(testid("cluster-row-sessions"))
	list.wantText(testid("page-title"), "Clusters (2)")
	if _, ok := cs.storedCluster(t, "us-east-1", "sessions"); ok {
		t.Fatal("the cluster is still there after the delay")
	}
	c.get("/clusters/sessions?region=us-east-1").wantErrorPage(http.StatusNotFound, "not found")
}

func TestGroupDetailListsItsClustersAndCannotBeDeletedWhileUsed(t *testing.T) {
	cs := newConsole(t, true)
	cs.clock.Advance(propagationDelay)
	c := cs.signedIn(t)
	r := c.get("/security-groups/web-sessions?region=us-east-1").wantStatus(http.StatusOK)
	r.wantText(testid("group-clusters"), "Clusters (1)")
	if got := r.attr(testid("group-cluster-sessions")+" a", "href"); got != "/clusters/sessions?region=us-east-1" {
		t.Fatalf("cluster link %q", got)
	}
	// The split panel shows the same section.
	r = c.get("/security-groups?region=us-east-1&selected=app-cache").wantStatus(http.StatusOK)
	r.wantPresent(testid("split-panel") + " " + testid("group-cluster-app-memcached"))
	r = c.get("/security-groups/reporting?region=us-east-1").wantStatus(http.StatusOK)
	r.wantText(testid("group-clusters"), "No cache cluster uses this security group.")

	// The confirmation of the group in use names the cluster (a link) and offers no Delete; a
	// forced POST is refused with the same page (409).
	confirm := c.get("/security-groups/web-sessions/delete?region=us-east-1").wantStatus(http.StatusOK)
	confirm.wantPresent(testid("delete-in-use") + ` a[href="/clusters/sessions?region=us-east-1"]`)
	confirm.wantAbsent(testid("confirm-delete"))
	forced := url.Values{"_csrf": {confirm.csrfToken()}, "confirm": {"confirm"}}
	r = landed(c, c.post("/security-groups/web-sessions/delete?region=us-east-1", forced, nil))
	r.wantStatus(http.StatusConflict)
	r.wantText(testid("delete-in-use"), "sessions")
	r.wantAbsent(testid("confirm-delete"))
	if _, ok := cs.group(t, "us-east-1", "web-sessions"); !ok {
		t.Fatal("a group in use was deleted")
	}

	// Deleting the cluster frees the group once the cluster is gone.
	confirmCluster := c.get("/clusters/sessions/delete?region=us-east-1").wantStatus(http.StatusOK)
	c.submit(confirmCluster, testid("cluster-delete-form"), map[string]string{"confirm": "confirm"}).wantStatus(http.StatusSeeOther)
	r = landed(c, c.post("/security-groups/web-sessions/delete?region=us-east-1", forced, nil))
	r.wantStatus(http.StatusConflict)
	r.wantText(testid("delete-in-use"), "sessions")

	cs.clock.Advance(propagationDelay)
	r = c.get("/security-groups/web-sessions?region=us-east-1").wantStatus(http.StatusOK)
	r.wantText(testid("group-clusters"), "Clusters (0)")
	confirm = c.get("/security-groups/web-sessions/delete?region=us-east-1").wantStatus(http.StatusOK)
	confirm.wantAbsent(testid("delete-in-use"))
	r = c.submit(confirm, "form[action^=\"/security-groups/web-sessions/delete\"]", map[string]string{"confirm": "Confirm"})
	r.wantRedirect(http.StatusSeeOther, "/security-groups?region=us-east-1")
	if _, ok := cs.group(t, "us-east-1", "web-sessions"); ok {
		t.Fatal("the freed group was not deleted")
	}
}

func TestVPCOnlyRegionOffersOnlyVPCClusters(t *testing.T) {
	cs := newConsole(t, true)
	cs.clock.Advance(propagationDelay)
	if err := cs.store.SetRegionPlatform(context.Background(), scopeOf("us-east-1"), models.PlatformVPC); err != nil {
		t.Fatal(err)
	}
	c := cs.signedIn(t)
	// The clusters stay listed.
	list := c.get("/clusters?region=us-east-1").wantStatus(http.StatusOK)
	list.wantText(testid("page-title"), "Clusters (3)")

	// One network: no step 1.
	form := c.get("/clusters/new?region=us-east-1").wantStatus(http.StatusOK)
	form.wantAbsent(testid("network-ec2-classic"))
	form.wantAbsent(testid("form-step"))
	form.wantAbsent(`input[name="cache_security_groups"]`)
	form.wantPresent(`input[type="hidden"][name="network"][value="vpc"]`)
	form.wantText(testid("classic-unavailable"), "EC2-Classic isn't available")

	r := c.submitValues(form, testid("cluster-create-form"), classicCluster("old-style"))
	r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
	r.wantText(testid("alert-error"), models.MessageClassicNotPermitted)
	r.wantPresent(testid("cluster-create-form"))
	if _, ok := cs.storedCluster(t, "us-east-1", "old-style"); ok {
		t.Fatal("an EC2-Classic cluster was created in a VPC-only region")
	}

	r = c.submitValues(form, testid("cluster-create-form"), vpcCluster("new-style", "prod-private", cs.vpcGroupID(t, "vpc-cache")))
	r.wantRedirect(http.StatusSeeOther, "/clusters/new-style?region=us-east-1")

	// The existing EC2-Classic cluster still shows its details; Modify says why it can't.
	c.get("/clusters/sessions?region=us-east-1").wantStatus(http.StatusOK).wantPresent(testid("cluster-security-groups"))
	c.get("/clusters/sessions/modify?region=us-east-1").wantStatus(http.StatusOK).wantText(testid("alert-error"), models.MessageClassicNotPermitted)
}
