package models

import (
	"reflect"
	"strings"
	"testing"

	"gorm.io/gorm"
)

const (
	web1   = "i-0a1b2c3d4e5f60001" // EC2-Classic, web-servers
	app1   = "i-0a1b2c3d4e5f60002" // EC2-Classic, app-servers + default
	vpcWeb = "i-0a1b2c3d4e5f60004" // VPC, vpc-web
)

// connectivityStore has EC2 groups and instances, a cache security group web-sessions with no
// authorization, an EC2-Classic cluster "sessions" in it and a VPC cluster "orders", all available.
func connectivityStore(t *testing.T) (*Store, *testClock) {
	t.Helper()
	s, clk := newStore(t)
	mustEC2Group(t, s, scopeUS, "web-servers", PlatformClassic)
	mustEC2Group(t, s, scopeUS, "app-servers", PlatformClassic)
	mustEC2Group(t, s, scopeUS, "default", PlatformClassic)
	mustEC2Group(t, s, scopeUS, "vpc-web", PlatformVPC)
	mustInstance(t, s, scopeUS, web1, "web-1", PlatformClassic, "web-servers")
	mustInstance(t, s, scopeUS, app1, "app-1", PlatformClassic, "app-servers", "default")
	mustInstance(t, s, scopeUS, vpcWeb, "vpc-web-1", PlatformVPC, "vpc-web")
	mustCreate(t, s, scopeUS, "web-sessions", "Sessions")
	mustCluster(t, s, scopeUS, classicCluster("sessions", "web-sessions"))
	mustCluster(t, s, scopeUS, vpcCluster(t, s, scopeUS, "orders"))
	clk.Advance(delay)
	return s, clk
}

func explain(t *testing.T, s *Store, instance, cluster string) Connectivity {
	t.Helper()
	x, err := s.ExplainConnectivity(ctx, scopeUS, instance, cluster)
	if err != nil {
		t.Fatalf("ExplainConnectivity(%s, %s): %v", instance, cluster, err)
	}
	rules := []string{}
	for _, c := range x.Checks {
		rules = append(rules, c.Rule)
	}
	if want := []string{RuleVPCToClassic, RuleAuthorized, RuleNoIPRanges, RuleVPCSecurityGr, RuleAvailable}; !reflect.DeepEqual(rules, want) {
		t.Fatalf("rules = %q, want the rules in the service's order", rules)
	}
	return x
}

func wantVerdict(t *testing.T, x Connectivity, verdict Verdict, outcomes ...Outcome) {
	t.Helper()
	if len(outcomes) == 4 {
		outcomes = append(outcomes, OutcomePass) // these clusters are available
	}
	if x.Verdict != verdict || !reflect.DeepEqual(checkOutcomes(x), outcomes) {
		t.Fatalf("%s -> %s: verdict %q outcomes %q, want %q %q\nchecks %+v",
			x.Instance.InstanceID, x.Cluster.ID, x.Verdict, checkOutcomes(x), verdict, outcomes, x.Checks)
	}
}

func wantDetail(t *testing.T, c RuleCheck, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(c.Detail, p) {
			t.Errorf("detail %q does not mention %q", c.Detail, p)
		}
	}
}

func TestConnectivityVPCInstanceToClassicCluster(t *testing.T) {
	s, _ := connectivityStore(t)
	// A VPC instance's group can't even be authorized: cache security groups admit EC2-Classic
	// groups only. So rule 1 denies access before any authorization is looked at.
	_, err := s.AuthorizeIngress(ctx, scopeUS, "web-sessions", "vpc-web", DefaultAccountID)
	wantError(t, err, CodeInvalidParameterValue, "")
	x := explain(t, s, vpcWeb, "sessions")
	wantVerdict(t, x, CannotConnect, OutcomeFail, OutcomeNotChecked, OutcomeInfo, OutcomeNotApplied)
	r1 := x.Checks[0]
	if r1.Fix != FixInstance || r1.FixName != vpcWeb || r1.FixText == "" {
		t.Errorf("rule 1 fix = %+v", r1)
	}
	wantDetail(t, r1, vpcWeb, "vpc-web-1", "VPC", "EC2-Classic", "sessions")
	wantDetail(t, x.Checks[1], "earlier rule")
	if x.Instance.InstanceID != vpcWeb || x.Cluster.ID != "sessions" {
		t.Errorf("explanation carries %s / %s", x.Instance.InstanceID, x.Cluster.ID)
	}
}

func TestConnectivityClassicAuthorizationLifecycle(t *testing.T) {
	s, clk := connectivityStore(t)

	// No authorization: network access is off by default.
	x := explain(t, s, web1, "SESSIONS")
	wantVerdict(t, x, CannotConnect, OutcomePass, OutcomeFail, OutcomeInfo, OutcomeNotApplied)
	r2 := x.Checks[1]
	if r2.Fix != FixSecurityGroup || r2.FixName != "web-sessions" || !strings.Contains(r2.FixText, "web-sessions") {
		t.Errorf("rule 2 fix = %+v", r2)
	}
	if r2.Detail != "None of the instance's EC2 security groups (web-servers) is authorized in the cluster's cache security groups (web-sessions)." {
		t.Errorf("rule 2 detail = %q", r2.Detail)
	}
	wantDetail(t, x.Checks[0], "both run in EC2-Classic")

	// Authorizing is not yet authorized.
	mustAuthorize(t, s, scopeUS, "web-sessions", "web-servers", DefaultAccountID)
	x = explain(t, s, web1, "sessions")
	wantVerdict(t, x, CannotConnect, OutcomePass, OutcomeFail, OutcomeInfo, OutcomeNotApplied)
	wantDetail(t, x.Checks[1], "web-servers is authorizing in web-sessions")

	// Authorized in an active membership: can connect, and the fix names the group.
	clk.Advance(delay)
	x = explain(t, s, web1, "sessions")
	wantVerdict(t, x, CanConnect, OutcomePass, OutcomePass, OutcomeInfo, OutcomeNotApplied)
	r2 = x.Checks[1]
	if r2.Fix != FixSecurityGroup || r2.FixName != "web-sessions" {
		t.Errorf("rule 2 fix = %+v", r2)
	}
	wantDetail(t, r2, "web-servers", DefaultAccountID, "web-sessions", "active", "sessions")

	// Another instance whose groups are not authorized still cannot.
	x = explain(t, s, app1, "sessions")
	wantVerdict(t, x, CannotConnect, OutcomePass, OutcomeFail, OutcomeInfo, OutcomeNotApplied)
	wantDetail(t, x.Checks[1], "(app-servers, default)")

	// Revoking: no longer.
	_, err := s.RevokeIngress(ctx, scopeUS, "web-sessions", "web-servers", DefaultAccountID)
	mustNoErr(t, err, "RevokeIngress")
	x = explain(t, s, web1, "sessions")
	wantVerdict(t, x, CannotConnect, OutcomePass, OutcomeFail, OutcomeInfo, OutcomeNotApplied)
	wantDetail(t, x.Checks[1], "web-servers is revoking in web-sessions")

	clk.Advance(delay)
	x = explain(t, s, web1, "sessions")
	wantVerdict(t, x, CannotConnect, OutcomePass, OutcomeFail, OutcomeInfo, OutcomeNotApplied)
	if strings.Contains(x.Checks[1].Detail, "Not yet") {
		t.Errorf("detail after the revocation applied = %q", x.Checks[1].Detail)
	}
}

func TestConnectivityMembershipMustBeActive(t *testing.T) {
	s, clk := connectivityStore(t)
	mustCreate(t, s, scopeUS, "app-cache", "App")
	mustAuthorize(t, s, scopeUS, "app-cache", "app-servers", DefaultAccountID)
	clk.Advance(delay)

	// Authorized in app-cache, but app-cache is not on the cluster yet.
	x := explain(t, s, app1, "sessions")
	wantVerdict(t, x, CannotConnect, OutcomePass, OutcomeFail, OutcomeInfo, OutcomeNotApplied)

	// Modify adds it: the membership is modifying, so still no.
	mustModify(t, s, scopeUS, "sessions", "web-sessions", "app-cache")
	x = explain(t, s, app1, "sessions")
	wantVerdict(t, x, CannotConnect, OutcomePass, OutcomeFail, OutcomeInfo, OutcomeNotApplied)
	wantDetail(t, x.Checks[1], "app-servers is authorized in app-cache", "modifying")

	clk.Advance(delay)
	x = explain(t, s, app1, "sessions")
	wantVerdict(t, x, CanConnect, OutcomePass, OutcomePass, OutcomeInfo, OutcomeNotApplied)
	if x.Checks[1].FixName != "app-cache" {
		t.Errorf("rule 2 fix names %q, want app-cache", x.Checks[1].FixName)
	}

	// Removing the group: modifying (being removed) denies at once.
	mustModify(t, s, scopeUS, "sessions", "web-sessions")
	x = explain(t, s, app1, "sessions")
	wantVerdict(t, x, CannotConnect, OutcomePass, OutcomeFail, OutcomeInfo, OutcomeNotApplied)
	clk.Advance(delay)
	wantVerdict(t, explain(t, s, app1, "sessions"), CannotConnect, OutcomePass, OutcomeFail, OutcomeInfo, OutcomeNotApplied)
}

func TestConnectivityOwnerMustMatch(t *testing.T) {
	s, clk := connectivityStore(t)
	// web-servers owned by another account is a different EC2 security group.
	mustAuthorize(t, s, scopeUS, "web-sessions", "web-servers", otherAccountID)
	clk.Advance(delay)
	x := explain(t, s, web1, "sessions")
	wantVerdict(t, x, CannotConnect, OutcomePass, OutcomeFail, OutcomeInfo, OutcomeNotApplied)
	if strings.Contains(x.Checks[1].Detail, "Not yet") {
		t.Errorf("another account's group counted as a near miss: %q", x.Checks[1].Detail)
	}

	// The instance's own account makes it work.
	mustAuthorize(t, s, scopeUS, "web-sessions", "web-servers", DefaultAccountID)
	clk.Advance(delay)
	wantVerdict(t, explain(t, s, web1, "sessions"), CanConnect, OutcomePass, OutcomePass, OutcomeInfo, OutcomeNotApplied)
}

func TestConnectivityDefaultGroup(t *testing.T) {
	s, clk := connectivityStore(t)
	mustCluster(t, s, scopeUS, classicCluster("plain")) // default group
	clk.Advance(delay)
	// The default EC2 group is authorized nowhere yet.
	wantVerdict(t, explain(t, s, app1, "plain"), CannotConnect, OutcomePass, OutcomeFail, OutcomeInfo, OutcomeNotApplied)
	mustAuthorize(t, s, scopeUS, "default", "default", DefaultAccountID)
	clk.Advance(delay)
	x := explain(t, s, app1, "plain")
	wantVerdict(t, x, CanConnect, OutcomePass, OutcomePass, OutcomeInfo, OutcomeNotApplied)
	if x.Checks[1].FixName != "default" {
		t.Errorf("rule 2 fix names %q", x.Checks[1].FixName)
	}
	// Authorized in default, but sessions only has web-sessions.
	wantVerdict(t, explain(t, s, app1, "sessions"), CannotConnect, OutcomePass, OutcomeFail, OutcomeInfo, OutcomeNotApplied)
}

// A VPC cluster stored before subnet groups existed names a subnet group sgconsole does not hold:
// its network is unknown, so the explainer can't decide (a cluster created now always has one).
func TestConnectivityVPCCluster(t *testing.T) {
	s, _ := connectivityStore(t)
	mustNoErr(t, s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scopeUS); err != nil {
			return err
		}
		return tx.Create(&CacheCluster{AccountID: DefaultAccountID, Region: "us-east-1", ClusterID: "orders-old", Engine: "redis",
			EngineVersion: Engines["redis"], NodeType: "cache.t2.small", NumNodes: 1, Network: PlatformVPC, SubnetGroup: "prod-private-old",
			VPCSecurityGroupIDs: "sg-0a1b2c3d", CreatedAt: t0, AvailableAt: t0}).Error
	}), "cluster from before subnet groups")
	for _, inst := range []string{web1, vpcWeb} {
		x := explain(t, s, inst, "orders-old")
		wantVerdict(t, x, Undetermined, OutcomeNotApplied, OutcomeNotApplied, OutcomeNotApplied, OutcomeInfo)
		r4 := x.Checks[3]
		if r4.Fix != FixCluster || r4.FixName != "orders-old" || r4.FixText == "" {
			t.Errorf("rule 4 fix = %+v", r4)
		}
		wantDetail(t, r4, "sg-0a1b2c3d", "is not one sgconsole holds", "its VPC is unknown")
		if mentions := strings.Contains(r4.Detail, "ClassicLink"); mentions != (inst == web1) {
			t.Errorf("%s: ClassicLink mentioned = %v in %q", inst, mentions, r4.Detail)
		}
		wantDetail(t, x.Checks[0], "prod-private-old")
	}
}

func TestConnectivityInRegionTurnedVPCOnly(t *testing.T) {
	s, clk := connectivityStore(t)
	mustAuthorize(t, s, scopeUS, "web-sessions", "web-servers", DefaultAccountID)
	clk.Advance(delay)
	wantVerdict(t, explain(t, s, web1, "sessions"), CanConnect, OutcomePass, OutcomePass, OutcomeInfo, OutcomeNotApplied)
	mustNoErr(t, s.SetRegionPlatform(ctx, scopeUS, PlatformVPC), "SetRegionPlatform")
	// The cache security groups no longer apply, so nothing grants access.
	wantVerdict(t, explain(t, s, web1, "sessions"), CannotConnect, OutcomePass, OutcomeFail, OutcomeInfo, OutcomeNotApplied)
}

func TestConnectivityNotFound(t *testing.T) {
	s, clk := connectivityStore(t)
	_, err := s.ExplainConnectivity(ctx, scopeUS, "i-ffffffff", "sessions")
	wantError(t, err, CodeEC2InstanceNotFound, "Instance i-ffffffff not found.")
	_, err = s.ExplainConnectivity(ctx, scopeUS, web1, "nope")
	wantError(t, err, CodeCacheClusterNotFound, "Cache cluster nope not found.")
	_, err = s.ExplainConnectivity(ctx, scopeUS, "", "")
	wantError(t, err, CodeEC2InstanceNotFound, "")
	// Other regions and accounts see neither.
	_, err = s.ExplainConnectivity(ctx, scopeUSW, web1, "sessions")
	wantError(t, err, CodeEC2InstanceNotFound, "")
	mustEC2Group(t, s, scopeUSW, "web-servers", PlatformClassic)
	mustInstance(t, s, scopeUSW, web1, "west twin", PlatformClassic, "web-servers")
	_, err = s.ExplainConnectivity(ctx, scopeUSW, web1, "sessions")
	wantError(t, err, CodeCacheClusterNotFound, "")

	// A cluster that finished deleting is not found.
	_, err = s.DeleteCluster(ctx, scopeUS, "sessions")
	mustNoErr(t, err, "DeleteCluster")
	explain(t, s, web1, "sessions") // still there while deleting
	clk.Advance(delay)
	_, err = s.ExplainConnectivity(ctx, scopeUS, web1, "sessions")
	wantError(t, err, CodeCacheClusterNotFound, "")
}

func TestConnectivityNeedsAnAvailableCluster(t *testing.T) {
	s, clk := newStore(t)
	mustNoErr(t, seedConnectivityBasics(t, s, clk), "seed")
	x, err := s.ExplainConnectivity(ctx, scopeUS, "i-0123456789abcdef0", "fresh")
	mustNoErr(t, err, "explain")
	if x.Verdict != CannotConnect || x.Checks[4].Outcome != OutcomeFail {
		t.Fatalf("a creating cluster: verdict %q, availability check %+v", x.Verdict, x.Checks[4])
	}
	clk.Advance(s.PropagationDelay)
	x, err = s.ExplainConnectivity(ctx, scopeUS, "i-0123456789abcdef0", "fresh")
	mustNoErr(t, err, "explain")
	if x.Verdict != CanConnect || x.Checks[4].Outcome != OutcomePass {
		t.Fatalf("an available cluster: verdict %q, availability check %+v", x.Verdict, x.Checks[4])
	}
}

// seedConnectivityBasics makes an EC2-Classic instance in web-servers and a cluster "fresh" (still
// creating) whose cache security group authorizes web-servers.
func seedConnectivityBasics(t *testing.T, s *Store, clk *testClock) error {
	t.Helper()
	if _, err := s.CreateEC2SecurityGroup(ctx, scopeUS, "web-servers", "", PlatformClassic); err != nil {
		return err
	}
	if _, err := s.CreateEC2Instance(ctx, scopeUS, NewEC2Instance{InstanceID: "i-0123456789abcdef0", Platform: PlatformClassic, SecurityGroups: []string{"web-servers"}}); err != nil {
		return err
	}
	mustCreate(t, s, scopeUS, "web", "web")
	if _, err := s.AuthorizeIngress(ctx, scopeUS, "web", "web-servers", DefaultAccountID); err != nil {
		return err
	}
	clk.Advance(s.PropagationDelay)
	_, err := s.CreateCluster(ctx, scopeUS, NewCluster{ID: "fresh", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 1, CacheSecurityGroups: []string{"web"}})
	return err
}
