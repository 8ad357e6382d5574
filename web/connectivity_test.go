package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"sgconsole/models"
)

const (
	web1    = "i-0a1b2c3d4e5f60001"
	vpcWeb1 = "i-0a1b2c3d4e5f60004"
)

func explainURL(instance, cluster string) string {
	return "/connectivity?region=us-east-1&instance=" + instance + "&cluster=" + cluster
}

// ruleOutcome is the outcome word shown for rule n.
func (r *response) ruleOutcome(n string) string {
	return r.text(testid("rule-"+n) + " " + testid("outcome"))
}

func TestConnectivityExplainerFormAndHint(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	page := c.get("/connectivity").wantStatus(http.StatusOK)
	page.wantText(testid("page-title"), "Connectivity explainer")
	page.wantAbsent(testid("verdict"))
	if m, _ := page.find(testid("explain-form")).Attr("method"); m != "get" {
		t.Errorf("the explainer form uses %q, want get so a verdict can be shared", m)
	}
	page.wantText(testid("instance-select"), "web-1 ("+web1+") — EC2-Classic — web-servers")
	page.wantText(testid("cluster-select"), "sessions — EC2-Classic — creating")
	page.wantText(testid("cluster-select"), "orders-redis — VPC (prod-private)")
	page.wantText(testid("explain"), "Explain")
	page.wantText(testid("try-it"), "web-servers")
	page.wantText(testid("try-it"), "web-sessions")
}

// TestConnectivityBeforeAndAfterAuthorizing is the workshop flow: web-1 reaches sessions only once
// web-servers is authorized (not merely authorizing) in web-sessions.
func TestConnectivityBeforeAndAfterAuthorizing(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	cs.clock.Advance(propagationDelay) // the demo's clusters become available

	// The demo authorizes web-servers in web-sessions; take it away first.
	detail := c.get("/security-groups/web-sessions")
	c.submit(detail, testid("ec2-row-web-servers")+" form", nil).wantStatus(http.StatusSeeOther)
	cs.clock.Advance(propagationDelay)

	r := c.get(explainURL(web1, "sessions")).wantStatus(http.StatusOK)
	r.wantText(testid("verdict"), "Instance web-1 ("+web1+") cannot connect to cluster sessions")
	r.wantText(testid("rule-1")+" "+testid("outcome"), "pass")
	r.wantText(testid("rule-2")+" "+testid("outcome"), "fail")
	r.wantText(testid("rule-2")+" "+testid("detail"), "None of the instance's EC2 security groups (web-servers)")
	if href := r.attr(testid("rule-2")+" "+testid("fix"), "href"); href != "/security-groups/web-sessions?region=us-east-1" {
		t.Errorf("rule 2 links to %q", href)
	}
	r.wantText(testid("try-it"), "Authorize web-servers")
	if v := r.attr("body", "data-pending"); v != "false" {
		t.Errorf("data-pending = %q with nothing changing", v)
	}
	// The selects show the shared verdict's choices.
	if v := r.attr(testid("instance-select")+" option[selected]", "value"); v != web1 {
		t.Errorf("selected instance %q", v)
	}
	if v := r.attr(testid("cluster-select")+" option[selected]", "value"); v != "sessions" {
		t.Errorf("selected cluster %q", v)
	}

	detail = c.get("/security-groups/web-sessions")
	c.submit(detail, testid("authorize-form"), map[string]string{"ec2_security_group_name": "web-servers"}).wantStatus(http.StatusSeeOther)

	r = c.get(explainURL(web1, "sessions")).wantStatus(http.StatusOK)
	r.wantText(testid("verdict"), "cannot connect")
	r.wantText(testid("rule-2")+" "+testid("detail"), "web-servers is authorizing in web-sessions")
	if v := r.attr("body", "data-pending"); v != "true" {
		t.Errorf("data-pending = %q while authorizing, want the verdict to refresh itself", v)
	}
	r.wantPresent(`[data-live-id="connectivity-result"]`)

	cs.clock.Advance(propagationDelay)
	r = c.get(explainURL(web1, "sessions")).wantStatus(http.StatusOK)
	r.wantText(testid("verdict"), "Instance web-1 ("+web1+") can connect to cluster sessions")
	if r.attr(testid("verdict"), "class") != "alert alert--success verdict" {
		t.Errorf("verdict class %q", r.attr(testid("verdict"), "class"))
	}
	r.wantText(testid("rule-2")+" "+testid("outcome"), "pass")
	r.wantText(testid("rule-2")+" "+testid("detail"), "EC2 security group web-servers (owner 123456789012) is authorized in cache security group web-sessions")
	if v := r.attr("body", "data-pending"); v != "false" {
		t.Errorf("data-pending = %q once authorized", v)
	}
}

func TestConnectivityListsEveryRuleInOrder(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	cs.clock.Advance(propagationDelay)
	r := c.get(explainURL(web1, "sessions")).wantStatus(http.StatusOK)
	if n := r.find(testid("rule-checks") + " > li").Length(); n != 5 {
		t.Fatalf("%d rules, want 5", n)
	}
	if !r.find(testid("rule-checks")).Is("ol") {
		t.Error("rules are not an ordered list")
	}
	for n, rule := range []string{models.RuleVPCToClassic, models.RuleAuthorized, models.RuleNoIPRanges, models.RuleVPCSecurityGr, models.RuleAvailable} {
		id := testid("rule-" + string(rune('1'+n)))
		r.wantText(id, rule)
	}
	r.wantText(testid("rule-3")+" "+testid("outcome"), "info")
	r.wantText(testid("rule-4")+" "+testid("outcome"), "does not apply")
	r.wantText(testid("rule-5")+" "+testid("outcome"), "pass")
	// Never colour alone: every outcome has an icon and its word.
	for _, n := range []string{"1", "2", "3", "4", "5"} {
		sel := testid("rule-"+n) + " " + testid("outcome")
		if r.find(sel+" svg").Length() == 0 || strings.TrimSpace(r.text(sel)) == "" {
			t.Errorf("rule %s outcome has no icon or no word", n)
		}
	}
	if cls := r.attr(testid("rule-3")+" "+testid("outcome"), "class"); !strings.Contains(cls, "status--muted") {
		t.Errorf("info outcome class %q", cls)
	}
}

func TestConnectivityVPCInstanceToClassicCluster(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	cs.clock.Advance(propagationDelay)
	r := c.get(explainURL(vpcWeb1, "sessions")).wantStatus(http.StatusOK)
	r.wantText(testid("verdict"), "cannot connect")
	if got := r.ruleOutcome("1"); got != "fail" {
		t.Errorf("rule 1 %q", got)
	}
	if got := r.ruleOutcome("2"); got != "not checked" {
		t.Errorf("rule 2 %q", got)
	}
	if cls := r.attr(testid("rule-1")+" "+testid("outcome"), "class"); !strings.Contains(cls, "status--error") {
		t.Errorf("fail outcome class %q", cls)
	}
	if href := r.attr(testid("rule-1")+" "+testid("fix"), "href"); href != "/ec2/instances?region=us-east-1" {
		t.Errorf("rule 1 links to %q", href)
	}
	r.wantText(testid("rule-1")+" "+testid("detail"), "runs in a VPC")
}

// The demo's VPC cluster runs in the default VPC with vpc-cache, which admits the default group on
// 6379: vpc-web-1 (placed there with it) can connect; the EC2-Classic instances can't.
func TestConnectivityToTheDemoVPCCluster(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	cs.clock.Advance(propagationDelay)
	r := c.get(explainURL(vpcWeb1, "orders-redis")).wantStatus(http.StatusOK)
	r.wantText(testid("verdict"), "can connect")
	if got := r.ruleOutcome("4"); got != "pass" {
		t.Errorf("rule 4 %q", got)
	}
	r.wantText(testid("rule-4")+" "+testid("detail"), cs.vpcGroupID(t, "vpc-cache"))
	for _, inst := range []string{web1, "i-0a1b2c3d4e5f60002"} {
		r := c.get(explainURL(inst, "orders-redis")).wantStatus(http.StatusOK)
		r.wantText(testid("verdict"), "cannot connect")
		if got := r.ruleOutcome("4"); got != "fail" {
			t.Errorf("%s: rule 4 %q", inst, got)
		}
		r.wantText(testid("rule-4")+" "+testid("detail"), "ClassicLink")
	}
}

func TestConnectivityUnknownInstanceOrCluster(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	r := c.get(explainURL("i-deadbeef", "sessions"))
	r.wantStatus(http.StatusNotFound)
	r.wantText(testid("alert-error"), "Instance i-deadbeef not found.")
	r.wantPresent(testid("explain-form"))
	r.wantAbsent(testid("verdict"))

	r = c.get(explainURL(web1, "nope"))
	r.wantStatus(http.StatusNotFound)
	r.wantText(testid("alert-error"), "Cache cluster nope not found.")

	r = c.get("/connectivity?instance=" + web1)
	r.wantStatus(http.StatusBadRequest)
	r.wantText(testid("alert-error"), "Choose both")
}

func TestConnectivityEmptyRegion(t *testing.T) {
	cs := newConsole(t, false)
	c := cs.signedIn(t)
	r := c.get("/connectivity").wantStatus(http.StatusOK)
	r.wantText(testid("empty-state"), "No EC2 instances")
	r.wantText(testid("empty-state"), "No cache clusters")
	if href := r.attr(testid("empty-state")+` a[href^="/ec2/instances"]`, "href"); href != "/ec2/instances?region=us-east-1" {
		t.Errorf("launch link %q", href)
	}
	r.wantPresent(testid("empty-state") + ` a[href="/clusters/new?region=us-east-1"]`)
	r.wantAbsent(testid("explain-form"))

	// With an instance but still no cluster, only the cluster part is missing.
	if _, err := cs.store.CreateEC2SecurityGroup(context.Background(), scopeOf(models.DefaultRegion), "web", "", models.PlatformClassic); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.store.CreateEC2Instance(context.Background(), scopeOf(models.DefaultRegion),
		models.NewEC2Instance{Name: "solo", Platform: models.PlatformClassic, SecurityGroups: []string{"web"}}); err != nil {
		t.Fatal(err)
	}
	r = c.get("/connectivity").wantStatus(http.StatusOK)
	r.wantText(testid("empty-state"), "No cache clusters")
	if strings.Contains(r.text(testid("empty-state")), "No EC2 instances") {
		t.Error("says there are no instances")
	}
}
