package models

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gorm.io/gorm"
)

// Trainee sandboxes of these tests; none is the demo's default account.
const (
	traineeA = "111111111111"
	traineeB = "222222222222"
)

// newLabSandbox creates an account and seeds it for the labs in one transaction, as creating a
// workshop does.
func newLabSandbox(t *testing.T, s *Store, accountID string, labs []Lab) {
	t.Helper()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := ensureAccount(tx, accountID, s.now()); err != nil {
			return err
		}
		return s.seedSandbox(tx, accountID, labs)
	})
	mustNoErr(t, err, "create sandbox "+accountID)
}

// builtinLab finds a built-in lab by ID.
func builtinLab(t *testing.T, id string) Lab {
	t.Helper()
	for _, l := range BuiltinLabs() {
		if l.ID == id {
			return l
		}
	}
	t.Fatalf("no built-in lab %q", id)
	return Lab{}
}

// stepStates evaluates one lab in one sandbox and returns its steps' states, with the details.
func stepStates(t *testing.T, s *Store, accountID string, lab Lab) ([]StepState, []string) {
	t.Helper()
	progress, err := s.EvaluateLabs(ctx, accountID, []Lab{lab})
	mustNoErr(t, err, "EvaluateLabs")
	if len(progress) != 1 || progress[0].Lab.ID != lab.ID || len(progress[0].Steps) != len(lab.Steps) {
		t.Fatalf("EvaluateLabs returned %+v", progress)
	}
	var states []StepState
	var details []string
	for _, r := range progress[0].Steps {
		states = append(states, r.State)
		details = append(details, r.Detail)
		if (r.State == StepDone) != (r.Detail == "") {
			t.Errorf("step %s with detail %q: a step not done says why, a done one says nothing", r.State, r.Detail)
		}
	}
	return states, details
}

// compact writes states as one letter each: d(one), p(ending), t(odo).
func compact(states []StepState) string {
	var b strings.Builder
	for _, st := range states {
		b.WriteByte(string(st)[0])
	}
	return b.String()
}

// labWalk drives one lab in a sandbox seeded with every built-in lab (as a workshop with all of
// them is), asserting after each action which steps are done, pending and to do.
type labWalk struct {
	t     *testing.T
	s     *Store
	clk   *testClock
	lab   Lab
	scope Scope
}

func startLab(t *testing.T, id string) *labWalk {
	t.Helper()
	s, clk, _ := openStore(t)
	newLabSandbox(t, s, traineeA, BuiltinLabs())
	newLabSandbox(t, s, traineeB, BuiltinLabs())
	return &labWalk{t: t, s: s, clk: clk, lab: builtinLab(t, id), scope: Scope{AccountID: traineeA, Region: "us-east-1", Actor: "trainee-01", Via: "console"}}
}

func (w *labWalk) in(region string) Scope {
	scope := w.scope
	scope.Region = region
	return scope
}

// want asserts the states of the lab's steps, written compactly ("ddpt").
func (w *labWalk) want(after, states string) []string {
	w.t.Helper()
	got, details := stepStates(w.t, w.s, traineeA, w.lab)
	if compact(got) != states {
		w.t.Fatalf("after %s: steps %s, want %s\ndetails %q", after, compact(got), states, details)
	}
	// The other trainee's sandbox has seen none of it.
	other, _ := stepStates(w.t, w.s, traineeB, w.lab)
	if strings.Trim(compact(other), "t") != "" {
		w.t.Fatalf("after %s: the other sandbox's steps are %s", after, compact(other))
	}
	return details
}

func (w *labWalk) must(err error, what string) {
	w.t.Helper()
	mustNoErr(w.t, err, what)
}

func TestBuiltinLabs(t *testing.T) {
	labs := BuiltinLabs()
	want := []string{"creating-a-security-group", "listing-available-security-groups", "authorizing-network-access",
		"associating-a-group-with-a-cluster", "when-the-account-is-vpc-only", "security-groups-with-the-aws-cli"}
	var ids []string
	steps := 0
	for _, l := range labs {
		ids = append(ids, l.ID)
		steps += len(l.Steps)
		if l.Source != BuiltinSource || l.Title == "" || l.Summary == "" {
			t.Errorf("lab %s: source %q, title %q", l.ID, l.Source, l.Title)
		}
		for i, st := range l.Steps {
			if _, ok := checkKinds[st.Check.Type]; !ok || st.Check.Line == 0 || st.Check.Region == "" || st.Instructions == "" {
				t.Errorf("lab %s step %d: %+v", l.ID, i+1, st)
			}
		}
	}
	if !reflect.DeepEqual(ids, want) {
		t.Fatalf("built-in labs = %q, want %q", ids, want)
	}
	if steps < 20 {
		t.Errorf("built-in labs have %d steps", steps)
	}
	// BuiltinLabs hands out copies: changing one changes nothing for the next caller.
	labs[0].Steps[0].Title = "changed"
	labs[0].Title = "changed"
	if again := BuiltinLabs(); again[0].Title == "changed" || again[0].Steps[0].Title == "changed" {
		t.Error("BuiltinLabs returned shared steps")
	}
	if c, err := Catalog(""); err != nil || len(c) != len(want) {
		t.Errorf("Catalog(\"\") = %d labs, %v", len(c), err)
	}
	// The CLI lab uses the trainee's own endpoint and account.
	cli := builtinLab(t, "security-groups-with-the-aws-cli").Personalized("http://10.0.0.5:8080", traineeA)
	text := cli.Summary + cli.Steps[1].Instructions
	if strings.Contains(text, PlaceholderConsoleURL) || !strings.Contains(text, "--endpoint-url http://10.0.0.5:8080") ||
		!strings.Contains(text, "--ec2-security-group-owner-id "+traineeA) {
		t.Errorf("personalized CLI lab:\n%s", text)
	}
	if builtinLab(t, "security-groups-with-the-aws-cli").Steps[1].Instructions == cli.Steps[1].Instructions {
		t.Error("Personalized changed the lab it was called on")
	}
}

// The schema documentation in labs_load.go names every check type and parameter.
func TestLabSchemaIsDocumented(t *testing.T) {
	src, err := os.ReadFile("labs_load.go")
	mustNoErr(t, err, "read labs_load.go")
	doc := string(src[:strings.Index(string(src), "import (")])
	for _, typ := range CheckTypes() {
		if !strings.Contains(doc, "//\t"+typ+" ") && !strings.Contains(doc, "//\t"+typ+"\n") {
			t.Errorf("check type %s is not in the schema documentation", typ)
		}
	}
	for name := range checkParams {
		if !strings.Contains(doc, name) {
			t.Errorf("parameter %s is not in the schema documentation", name)
		}
	}
}

// Every step of every built-in lab starts "todo" in a fresh sandbox, also with the demo seeded
// along: a check that held from the start would tick itself.
func TestBuiltinLabsStartUndone(t *testing.T) {
	s, clk, _ := openStore(t)
	labs := BuiltinLabs()
	newLabSandbox(t, s, traineeA, labs)
	newLabSandbox(t, s, traineeB, append([]Lab{{ID: "with-demo", Setup: Setup{Demo: true}}}, labs...))
	clk.Advance(delay) // the demo's entries and clusters settle
	all, err := s.EvaluateLabsForAccounts(ctx, []string{traineeA, traineeB}, labs)
	mustNoErr(t, err, "EvaluateLabsForAccounts")
	for _, id := range []string{traineeA, traineeB} {
		for _, p := range all[id] {
			for i, r := range p.Steps {
				if r.State != StepTodo || r.Detail == "" {
					t.Errorf("sandbox %s, lab %s, step %d: %s %q at the start", id, p.Lab.ID, i+1, r.State, r.Detail)
				}
			}
		}
	}
}

func TestLabCreatingASecurityGroup(t *testing.T) {
	w := startLab(t, "creating-a-security-group")
	details := w.want("nothing", "ttt")
	if details[0] != "No cache security group named `training-cache` in us-east-1 yet." {
		t.Errorf("detail = %q", details[0])
	}
	_, err := w.s.CreateSecurityGroup(ctx, w.scope, "training-cache", "Cache for the training web tier")
	w.must(err, "create training-cache")
	w.want("creating training-cache", "dtt")
	// The refusals the step asks to try.
	_, err = w.s.CreateSecurityGroup(ctx, w.scope, "default", "x")
	wantError(t, err, CodeInvalidParameterValue, "")
	_, err = w.s.CreateSecurityGroup(ctx, w.scope, "training_cache", "x")
	wantError(t, err, CodeInvalidParameterValue, "")
	_, err = w.s.CreateSecurityGroup(ctx, w.scope, "Training-Reports", "Reports for the training team")
	w.must(err, "create Training-Reports")
	w.want("creating Training-Reports", "ddt")
	_, err = w.s.CreateSecurityGroup(ctx, w.in("us-west-2"), "training-cache", "Cache for the training web tier")
	w.must(err, "create training-cache in us-west-2")
	w.want("creating training-cache in us-west-2", "ddd")
	// Deleting the group undoes its step: checks look at the sandbox as it is now.
	w.must(w.s.DeleteSecurityGroup(ctx, w.scope, "training-reports"), "delete")
	w.want("deleting training-reports", "dtd")
}

func TestLabListingAvailableSecurityGroups(t *testing.T) {
	w := startLab(t, "listing-available-security-groups")
	details := w.want("nothing", "ttt")
	if details[0] != "Cache security group `orders-archive` still exists in us-east-1." {
		t.Errorf("detail = %q", details[0])
	}
	// What the instructions promise: the filter finds two groups, orders-cache is in use.
	if names := listNames(mustList(t, w.s, w.scope, ListOptions{Filter: "orders"})); !reflect.DeepEqual(names, []string{"orders-archive", "orders-cache"}) {
		t.Errorf("filter orders = %q", names)
	}
	wantError(t, w.s.DeleteSecurityGroup(ctx, w.scope, "orders-cache"), CodeInvalidSecurityGroupState, "")
	w.must(w.s.DeleteSecurityGroup(ctx, w.scope, "orders-archive"), "delete orders-archive")
	w.want("deleting orders-archive", "dtt")
	wantGrants(t, mustGet(t, w.s, w.scope, "search-cache"), "old-batch/"+traineeA+"=authorized", "web-servers/"+traineeA+"=authorized")
	_, err := w.s.RevokeIngress(ctx, w.scope, "search-cache", "old-batch", traineeA)
	w.must(err, "revoke old-batch")
	details = w.want("removing old-batch", "dpt")
	if !strings.Contains(details[1], "revoking") {
		t.Errorf("pending detail = %q", details[1])
	}
	w.clk.Advance(delay)
	w.want("the revocation applied", "ddt")
	_, err = w.s.CreateSecurityGroup(ctx, w.scope, "orders-cache-v2", "Order service sessions, next version")
	w.must(err, "create orders-cache-v2")
	w.want("creating orders-cache-v2", "ddd")
	if p := mustList(t, w.s, w.scope, ListOptions{Filter: "orders"}); p.Total != 2 {
		t.Errorf("filter orders matches %d", p.Total)
	}
}

func TestLabAuthorizingNetworkAccess(t *testing.T) {
	w := startLab(t, "authorizing-network-access")
	details := w.want("nothing", "ttt")
	if !strings.Contains(details[1], "cannot connect") || !strings.Contains(details[1], "web-servers") {
		t.Errorf("can_connect detail = %q", details[1])
	}
	if details[2] != "No EC2 instance `vpc-lab-1` in us-east-1 yet." {
		t.Errorf("cannot_connect detail = %q", details[2])
	}
	_, err := w.s.AuthorizeIngress(ctx, w.scope, "lab-sessions", "web-servers", traineeA)
	w.must(err, "authorize web-servers")
	w.want("authorizing web-servers", "ppt")
	w.clk.Advance(delay / 2)
	w.want("half the delay", "ppt")
	w.clk.Advance(delay / 2)
	w.want("the authorization applied", "ddt")
	_, err = w.s.CreateEC2Instance(ctx, w.scope, NewEC2Instance{Name: "vpc-lab-1", Platform: PlatformVPC, SecurityGroups: []string{"vpc-web"}})
	w.must(err, "launch vpc-lab-1")
	// The refusal the step asks to read.
	_, err = w.s.AuthorizeIngress(ctx, w.scope, "lab-sessions", "vpc-web", traineeA)
	wantError(t, err, CodeInvalidParameterValue, "")
	w.want("launching vpc-lab-1", "ddd")
	// The checks agree with the explainer page.
	x, err := w.s.ExplainConnectivity(ctx, w.scope, "i-0b1c2d3e4f5a60011", "lab-sessions")
	w.must(err, "explain")
	if x.Verdict != CanConnect || x.Pending {
		t.Errorf("explainer: %s pending=%v", x.Verdict, x.Pending)
	}
	// Revoking takes the access away again.
	_, err = w.s.RevokeIngress(ctx, w.scope, "lab-sessions", "web-servers", traineeA)
	w.must(err, "revoke")
	// While an entry of the cluster's group is revoking, the explainer says its verdicts may change.
	w.want("revoking", "tpp")
}

func TestLabAssociatingAGroupWithACluster(t *testing.T) {
	w := startLab(t, "associating-a-group-with-a-cluster")
	details := w.want("nothing", "tttt")
	if details[0] != "No cache cluster `lab-app` in us-east-1 yet." {
		t.Errorf("detail = %q", details[0])
	}
	if details[2] != "Cache cluster `lab-existing` does not use cache security group `lab-app-cache` yet (it uses default)." {
		t.Errorf("detail = %q", details[2])
	}
	_, err := w.s.CreateCluster(ctx, w.scope, classicCluster("lab-app", "lab-app-cache"))
	w.must(err, "create lab-app")
	details = w.want("creating lab-app", "dptt")
	if !strings.Contains(details[1], "still changing") {
		t.Errorf("pending detail = %q", details[1])
	}
	w.clk.Advance(delay)
	w.want("lab-app available", "ddtt")
	_, err = w.s.ModifyClusterSecurityGroups(ctx, w.scope, "lab-existing", []string{"lab-app-cache"})
	w.must(err, "modify lab-existing")
	w.want("modifying lab-existing", "ddpp")
	w.clk.Advance(delay)
	w.want("the modification applied", "dddd")
}

func TestLabWhenTheAccountIsVPCOnly(t *testing.T) {
	w := startLab(t, "when-the-account-is-vpc-only")
	west := w.in("us-west-2")
	w.want("nothing", "tttt")
	x, err := w.s.ExplainConnectivity(ctx, west, "i-0b1c2d3e4f5a60031", "lab-dr-sessions")
	w.must(err, "explain")
	if x.Verdict != CanConnect {
		t.Fatalf("before the switch dr-web-1 %s", x.Verdict)
	}
	_, err = w.s.CreateSecurityGroup(ctx, west, "legacy-sessions", "Kept through the switch")
	w.must(err, "create legacy-sessions")
	w.want("creating legacy-sessions", "dttt")
	w.must(w.s.SetRegionPlatform(ctx, west, PlatformVPC), "switch us-west-2")
	w.want("switching us-west-2 to VPC", "dddt")
	// The refusal the last step quotes; the groups are kept.
	_, err = w.s.GetSecurityGroup(ctx, west, "legacy-sessions")
	wantError(t, err, CodeInvalidParameterValue, MessageClassicNotPermitted)
	_, err = w.s.CreateCluster(ctx, west, classicCluster("lab-vpc-sessions", "legacy-sessions"))
	wantError(t, err, CodeInvalidParameterValue, MessageClassicNotPermitted)
	// The step's network: a VPC with a subnet, the subnet group lab-private, the VPC's default group.
	labVPC, err := w.s.CreateVPC(ctx, west, "lab-vpc", "10.0.0.0/16")
	w.must(err, "create lab-vpc")
	subnet, err := w.s.CreateSubnet(ctx, west, labVPC.VpcID, "us-west-2a", "10.0.1.0/24")
	w.must(err, "create the subnet")
	_, err = w.s.CreateSubnetGroup(ctx, west, NewSubnetGroup{Name: "lab-private", Description: "Lab", SubnetIDs: []string{subnet.SubnetID}})
	w.must(err, "create lab-private")
	net, err := w.s.GetNetwork(ctx, west)
	w.must(err, "network")
	_, err = w.s.CreateCluster(ctx, west, NewCluster{ID: "lab-vpc-sessions", Engine: "redis", NodeType: "cache.t2.small", NumNodes: 1,
		SubnetGroup: "lab-private", VPCSecurityGroupIDs: []string{net.GroupsOf(labVPC.VpcID)[0].GroupID}})
	w.must(err, "create lab-vpc-sessions")
	w.want("creating the VPC cluster", "dddp")
	w.clk.Advance(delay)
	w.want("the VPC cluster available", "dddd")
	// Switching back brings the pane back and the VPC-only step undone.
	w.must(w.s.SetRegionPlatform(ctx, west, PlatformClassic), "switch back")
	w.want("switching back", "dttd")
	mustGet(t, w.s, west, "legacy-sessions")
}

func TestLabSecurityGroupsWithTheAWSCLI(t *testing.T) {
	w := startLab(t, "security-groups-with-the-aws-cli")
	w.scope.Via = "AKIAIOSFODNN7EXAMPLE" // the API runs the same model calls
	w.want("nothing", "ttttt")
	_, err := w.s.CreateSecurityGroup(ctx, w.scope, "cli-cache", "Created with the AWS CLI")
	w.must(err, "create-cache-security-group")
	w.want("create-cache-security-group", "dtttt")
	_, err = w.s.AuthorizeIngress(ctx, w.scope, "cli-cache", "batch-workers", traineeA)
	w.must(err, "authorize-cache-security-group-ingress")
	w.want("authorize-cache-security-group-ingress", "dpttt")
	w.clk.Advance(delay)
	w.want("the authorization applied", "ddttt")
	arn := SecurityGroupARN(w.scope, "cli-cache")
	_, err = w.s.AddTags(ctx, w.scope, arn, []Tag{{Key: "team", Value: "ops"}})
	w.must(err, "add-tags-to-resource team=ops")
	details := w.want("a tag with the wrong value", "ddttt")
	if details[2] != "Tag `team` of `cli-cache` is `ops`, not `batch`." {
		t.Errorf("detail = %q", details[2])
	}
	_, err = w.s.AddTags(ctx, w.scope, arn, []Tag{{Key: "team", Value: "batch"}})
	w.must(err, "add-tags-to-resource team=batch")
	w.want("add-tags-to-resource", "dddtt")
	_, err = w.s.CreateCluster(ctx, w.scope, classicCluster("cli-batch", "cli-cache"))
	w.must(err, "create-cache-cluster")
	wantError(t, w.s.DeleteSecurityGroup(ctx, w.scope, "cli-cache"), CodeInvalidSecurityGroupState, "")
	w.want("create-cache-cluster", "ddddp")
	w.clk.Advance(delay)
	w.want("the cluster available", "ddddd")
}

// The connectivity checks and the explainer page agree on every pair of the demo's instances
// and clusters, while the demo's entries and clusters are still changing and after.
func TestConnectivityChecksAgreeWithTheExplainer(t *testing.T) {
	s, clk := newStore(t)
	_, err := s.SeedDemo(ctx, DefaultAccountID)
	mustNoErr(t, err, "SeedDemo")
	mustAuthorize(t, s, scopeUS, "web-sessions", "app-servers", DefaultAccountID)
	instances, err := s.ListEC2Instances(ctx, scopeUS)
	mustNoErr(t, err, "instances")
	clusters := mustListClusters(t, s, scopeUS, ClusterListOptions{Size: 100})
	for _, moment := range []string{"at seed time", "after the delay"} {
		var lab Lab
		var want []StepState
		for _, inst := range instances {
			for _, c := range clusters.Items {
				x, err := s.ExplainConnectivity(ctx, scopeUS, inst.InstanceID, c.ID)
				mustNoErr(t, err, "explain")
				for _, typ := range []string{"can_connect", "cannot_connect"} {
					lab.Steps = append(lab.Steps, Step{Title: inst.Name + " " + typ + " " + c.ID,
						Check: Check{Type: typ, Instance: inst.InstanceID, Cluster: c.ID}})
					state := StepTodo
					switch {
					case x.Pending:
						state = StepPending
					case typ == "can_connect" && x.Verdict == CanConnect, typ == "cannot_connect" && x.Verdict == CannotConnect:
						state = StepDone
					}
					want = append(want, state)
				}
			}
		}
		got, _ := stepStates(t, s, DefaultAccountID, lab)
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: %s: check %s, explainer %s", moment, lab.Steps[i].Title, got[i], want[i])
			}
		}
		if moment == "after the delay" && (!strings.Contains(compact(got), "d") || !strings.Contains(compact(got), "t")) {
			t.Errorf("%s: states %s do not cover both verdicts", moment, compact(got))
		}
		clk.Advance(delay)
	}
}

// Check types not exercised by the built-in labs, and their details.
func TestOtherChecks(t *testing.T) {
	s, clk, _ := openStore(t)
	newLabSandbox(t, s, traineeA, nil) // the demo
	scope := Scope{AccountID: traineeA, Region: "us-east-1"}
	lab := Lab{ID: "other", Steps: []Step{
		{Check: Check{Type: "security_group_exists", Pattern: "train.*"}},
		{Check: Check{Type: "security_group_absent", Name: "Staging"}},
		{Check: Check{Type: "security_group_deleted", Pattern: "stag.*"}},
		{Check: Check{Type: "security_group_deleted", Name: "never-there"}},
		{Check: Check{Type: "cluster_exists", Pattern: "orders-.*", Network: PlatformClassic}},
		{Check: Check{Type: "instance_exists", Instance: "web-1", Network: PlatformClassic}},
		{Check: Check{Type: "instance_exists", Instance: "i-0A1B2C3D4E5F60004", Network: PlatformClassic}},
		{Check: Check{Type: "region_classic", Region: "eu-west-1"}},
		{Check: Check{Type: "ec2_group_authorized", Name: "reporting", EC2Group: "etl-workers", Owner: "210987654321"}},
		{Check: Check{Type: "ec2_group_authorized", Name: "web-sessions", EC2Group: "bastion"}},
		{Check: Check{Type: "no_such_check"}},
	}}
	states, details := stepStates(t, s, traineeA, lab)
	if got := compact(states); got != "tttttdtddtt" {
		t.Fatalf("states = %s, details %q", got, details)
	}
	wantDetails := map[int]string{
		0:  "No cache security group whose name matches `train.*` in us-east-1 yet.",
		1:  "Cache security group `staging` still exists in us-east-1.",
		3:  "No cache security group named `never-there` has existed in us-east-1 (no event mentions one), so none was deleted yet.",
		4:  "Cache cluster `orders-redis` in us-east-1 runs in a VPC, not EC2-Classic.",
		6:  "EC2 instance `i-0A1B2C3D4E5F60004` in us-east-1 runs in a VPC, not EC2-Classic.",
		9:  "EC2 security group `bastion` (owner " + traineeA + ") is being revoked from `web-sessions`.",
		10: "Unknown check type `no_such_check`.",
	}
	for i, want := range wantDetails {
		if details[i] != want {
			t.Errorf("step %d detail = %q, want %q", i+1, details[i], want)
		}
	}
	// The default group never matches a pattern: it is there without anyone making it.
	lab.Steps = []Step{{Check: Check{Type: "security_group_exists", Pattern: "def.*"}}}
	if states, _ := stepStates(t, s, traineeA, lab); states[0] != StepTodo {
		t.Error("a pattern matched default")
	}
	_, err := s.CreateSecurityGroup(ctx, scope, "training", "x")
	mustNoErr(t, err, "create")
	mustNoErr(t, s.DeleteSecurityGroup(ctx, scope, "staging"), "delete staging")
	mustNoErr(t, s.SetRegionPlatform(ctx, Scope{AccountID: traineeA, Region: "eu-west-1"}, PlatformVPC), "switch")
	clk.Advance(delay)
	lab.Steps = []Step{
		{Check: Check{Type: "security_group_exists", Pattern: "train.*"}},
		{Check: Check{Type: "security_group_absent", Name: "Staging"}},
		{Check: Check{Type: "security_group_deleted", Pattern: "stag.*"}},
		{Check: Check{Type: "region_classic", Region: "eu-west-1"}},
		{Check: Check{Type: "ec2_group_revoked", Name: "web-sessions", EC2Group: "bastion", Owner: OwnerSelf}},
		{Check: Check{Type: "cluster_exists", Cluster: "sessions"}},
	}
	if states, details := stepStates(t, s, traineeA, lab); compact(states) != "dddtdd" {
		t.Fatalf("states = %s, details %q", compact(states), details)
	}
}

// writeLab writes a lab file into dir.
func writeLab(t *testing.T, dir, name, text string) {
	t.Helper()
	mustNoErr(t, os.MkdirAll(dir, 0o755), "mkdir")
	mustNoErr(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644), "write "+name)
}

const customYAML = `# An instructor's lab.
id: tagging-groups
title: Tagging cache security groups
summary: Tags label groups by team.
setup:
  regions: {eu-west-1: vpc}
  ec2_security_groups:
    - {name: web-servers, description: Public web tier}
  instances:
    - instance_id: i-0c0c0c0c0c0c0c0c1
      name: tag-web-1
      security_groups: [web-servers]
  cache_security_groups:
    - name: team-cache
      description: A team's cache
      authorize: [web-servers]
  clusters:
    - id: team-cluster
      cache_security_groups: [team-cache]
steps:
  - title: Tag it
    instructions: |
      Add the tag team=web to team-cache.
    check:
      type: tag_present
      name: team-cache
      key: team
      value: web
  - title: Connect
    instructions: Use the explainer.
    check: {type: can_connect, instance: tag-web-1, cluster: team-cluster}
`

// customJSON is indented with tabs, as JSON often is (which YAML's block style does not allow).
const customJSON = "{\n\t\"id\": \"json-lab\",\n\t\"title\": \"A lab in JSON\",\n\t\"setup\": {\"demo\": true},\n" +
	"\t\"steps\": [\n\t\t{\n\t\t\t\"title\": \"Delete staging\",\n\t\t\t\"instructions\": \"Delete the group `staging`.\",\n" +
	"\t\t\t\"check\": {\"type\": \"security_group_deleted\", \"name\": \"staging\"}\n\t\t}\n\t]\n}\n"

func TestLoadLabs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "labs")
	writeLab(t, dir, "10-tagging.yaml", customYAML)
	writeLab(t, dir, "20-json.json", customJSON)
	writeLab(t, dir, "README.md", "not a lab")
	mustNoErr(t, os.MkdirAll(filepath.Join(dir, "drafts.yaml"), 0o755), "a directory named like a lab")
	labs, err := LoadLabs(dir)
	mustNoErr(t, err, "LoadLabs")
	if len(labs) != 2 || labs[0].ID != "tagging-groups" || labs[1].ID != "json-lab" {
		t.Fatalf("labs = %+v", labs)
	}
	tag := labs[0]
	if tag.Source != filepath.Join(dir, "10-tagging.yaml") || tag.Steps[0].Instructions != "Add the tag team=web to team-cache.\n" {
		t.Errorf("lab = %+v", tag)
	}
	wantCheck := Check{Type: "tag_present", Region: "us-east-1", Name: "team-cache", Key: "team", Value: "web", Owner: OwnerSelf, Line: 24}
	if tag.Steps[0].Check != wantCheck {
		t.Errorf("check = %+v, want %+v", tag.Steps[0].Check, wantCheck)
	}
	if c := tag.Steps[1].Check; c.Line != 31 || c.Instance != "tag-web-1" {
		t.Errorf("flow-style check = %+v", c)
	}
	wantSetup := Setup{
		Regions:             map[string]Platform{"eu-west-1": PlatformVPC},
		EC2SecurityGroups:   []SetupEC2Group{{Region: "us-east-1", Name: "web-servers", Description: "Public web tier", Platform: PlatformClassic, Line: 8}},
		Instances:           []SetupInstance{{Region: "us-east-1", InstanceID: "i-0c0c0c0c0c0c0c0c1", Name: "tag-web-1", Platform: PlatformClassic, SecurityGroups: []string{"web-servers"}, Line: 10}},
		CacheSecurityGroups: []SetupCacheGroup{{Region: "us-east-1", Name: "team-cache", Description: "A team's cache", Authorize: []string{"web-servers"}, Line: 14}},
		Clusters:            []SetupCluster{{Region: "us-east-1", ID: "team-cluster", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 1, CacheSecurityGroups: []string{"team-cache"}, Line: 18}},
	}
	if !reflect.DeepEqual(tag.Setup, wantSetup) {
		t.Errorf("setup = %+v\nwant    %+v", tag.Setup, wantSetup)
	}
	if j := labs[1]; !j.Setup.Demo || j.Steps[0].Check.Type != "security_group_deleted" || j.Steps[0].Check.Line != 9 {
		t.Errorf("JSON lab = %+v", j)
	}

	// The catalog puts them after the built-in labs, and a workshop with them works.
	catalog, err := Catalog(dir)
	mustNoErr(t, err, "Catalog")
	builtin := BuiltinLabs()
	if len(catalog) != len(builtin)+2 || catalog[len(builtin)].ID != "tagging-groups" || catalog[0].ID != builtin[0].ID {
		t.Fatalf("catalog = %d labs", len(catalog))
	}
	s, clk, _ := openStore(t)
	newLabSandbox(t, s, traineeA, catalog)
	scope := Scope{AccountID: traineeA, Region: "us-east-1"}
	if p, err := s.RegionPlatform(ctx, Scope{AccountID: traineeA, Region: "eu-west-1"}); err != nil || p != PlatformVPC {
		t.Errorf("eu-west-1 = %s, %v", p, err)
	}
	states, _ := stepStates(t, s, traineeA, tag)
	if compact(states) != "td" {
		t.Errorf("tagging lab at the start = %s", compact(states))
	}
	_, err = s.AddTags(ctx, scope, SecurityGroupARN(scope, "team-cache"), []Tag{{Key: "team", Value: "web"}})
	mustNoErr(t, err, "AddTags")
	mustNoErr(t, s.DeleteSecurityGroup(ctx, scope, "staging"), "delete the demo's staging")
	clk.Advance(delay)
	all, err := s.EvaluateLabs(ctx, traineeA, labs)
	mustNoErr(t, err, "EvaluateLabs")
	if compact(stateList(all[0])) != "dd" || compact(stateList(all[1])) != "d" {
		t.Errorf("custom labs after the work: %s %s", compact(stateList(all[0])), compact(stateList(all[1])))
	}
}

func stateList(p LabProgress) []StepState {
	var out []StepState
	for _, r := range p.Steps {
		out = append(out, r.State)
	}
	return out
}

// A broken lab file is refused with its name, the line and the reason.
func TestLoadLabsRefusesBrokenFiles(t *testing.T) {
	const head = "id: broken-lab\ntitle: Broken\nsteps:\n"                                                                         // lines 1-3
	const step = "  - title: Create\n    instructions: Create it.\n    check:\n      type: security_group_exists\n      name: x\n" // 5 lines
	cases := []struct {
		name, file, text string
		line             int
		reason           string
	}{
		{"bad indentation", "broken.yaml", head + step + "  - title: Two\n   instructions: x\n", 10, "invalid YAML: did not find expected '-' indicator"},
		{"unclosed quote", "broken.yaml", head + "  - title: \"Create\n    instructions: x\n", 4, "invalid YAML: found unexpected end of stream"},
		{"tab indentation", "broken.yaml", head + "  - title: Create\n\tinstructions: x\n", 5, "invalid YAML: found a tab character that violates indentation"},
		{"JSON syntax", "broken.json", "{\n  \"id\": \"broken-lab\",\n  \"title\": \"Broken\"\n  \"steps\": []\n}\n", 4, "invalid JSON: invalid character '\"' after object key:value pair"},
		{"unknown field", "broken.yaml", head + step + "      nmae: y\n", 9, `step 1: check: unknown field "nmae" (known: type, region, name, pattern, ec2_group, owner, cluster, instance, network, key, value)`},
		{"unknown top-level field", "broken.yaml", "id: broken-lab\ntitel: Broken\n", 2, `unknown field "titel" (known: id, title, summary, setup, steps)`},
		{"unknown setup field", "broken.yaml", head + step + "setup:\n  instances:\n    - instance_id: i-01234567\n      group: [x]\n", 12, `setup.instances[0]: unknown field "group"`},
		{"duplicate field", "broken.yaml", head + step + "      name: y\n", 9, `step 1: check: "name" is given twice (first on line 8)`},
		{"unknown check type", "broken.yaml", head + step + step + "  - title: Third\n    instructions: x\n    check:\n      type: group_exist\n      name: x\n", 17,
			`step 3: unknown check type "group_exist" (known: can_connect, cannot_connect, cluster_exists, cluster_uses_group, ec2_group_authorized, ec2_group_revoked, instance_exists, region_classic, region_vpc_only, security_group_absent, security_group_deleted, security_group_exists, tag_present)`},
		{"missing check", "broken.yaml", head + "  - title: Create\n    instructions: Create it.\n", 4, "step 1: check is required"},
		{"missing required parameter", "broken.yaml", head + step + "  - title: Authorize\n    instructions: x\n    check:\n      type: ec2_group_authorized\n      name: x\n", 11,
			"step 2: check type ec2_group_authorized needs ec2_group"},
		{"name and pattern", "broken.yaml", head + step + "      pattern: x.*\n", 6, "step 1: check type security_group_exists needs exactly one of name, pattern"},
		{"parameter of another type", "broken.yaml", head + step + "      cluster: c\n", 9, "step 1: check type security_group_exists takes no cluster (it takes name, pattern and region)"},
		{"bad region", "broken.yaml", head + step + "      region: us-east-9\n", 9, `step 1: unknown region "us-east-9" (known: us-east-1, us-west-2, eu-west-1, ap-southeast-1)`},
		{"bad owner", "broken.yaml", head + "  - title: A\n    instructions: x\n    check: {type: ec2_group_authorized, name: x, ec2_group: y, owner: AKIAIOSFODNN7EXAMPLE}\n", 6, `step 1: owner "AKIAIOSFODNN7EXAMPLE" must be a 12-digit account ID or "self"`},
		{"bad pattern", "broken.yaml", head + "  - title: A\n    instructions: x\n    check:\n      type: security_group_absent\n      pattern: \"x(\"\n", 8, "step 1: pattern \"x(\" is not a regular expression"},
		{"bad id", "broken.yaml", "id: Broken_Lab\ntitle: Broken\nsteps: []\n", 1, `id "Broken_Lab" must be 1-64 lower-case letters, digits and hyphens`},
		{"list for a value", "broken.yaml", head + step + "setup:\n  instances:\n    - instance_id: [i-01234567]\n", 11, "setup.instances[0].instance_id: expected a single value, found a list"},
		{"no steps", "broken.yaml", "id: broken-lab\ntitle: Broken\n", 1, "steps are required"},
		{"no instructions", "broken.yaml", head + "  - title: A\n    check: {type: region_vpc_only}\n", 4, "step 1: instructions are required"},
		{"wrong type", "broken.yaml", head + step + "setup:\n  clusters:\n    - id: c1\n      num_nodes: two\n", 12, "setup.clusters[0].num_nodes: expected a whole number, found `two`"},
		{"bad region in setup", "broken.yaml", head + step + "setup:\n  ec2_security_groups:\n    - name: web\n      region: mars-1\n", 11, `setup: EC2 security group web: unknown region "mars-1"`},
		{"bad region platform", "broken.yaml", head + step + "setup:\n  regions:\n    us-west-2: classic\n", 11, `setup: regions: us-west-2: platform "classic" must be ec2-classic or vpc`},
		{"undefined EC2 group", "broken.yaml", head + step + "setup:\n  instances:\n    - instance_id: i-01234567\n      security_groups: [web-servers]\n", 11,
			"setup: instance i-01234567: EC2 security group web-servers is not in the setup's ec2_security_groups of us-east-1"},
		{"VPC group authorized", "broken.yaml", head + step + "setup:\n  ec2_security_groups:\n    - {name: vpc-web, platform: vpc}\n  cache_security_groups:\n    - name: c\n      description: d\n      authorize: [vpc-web]\n", 13,
			"setup: cache security group c authorizes vpc-web, a VPC security group"},
		{"undefined cache group", "broken.yaml", head + step + "setup:\n  clusters:\n    - id: c1\n      cache_security_groups: [nope]\n", 11,
			"setup: cluster c1: cache security group nope is not in the setup's cache_security_groups of us-east-1"},
		{"bad node type", "broken.yaml", head + step + "setup:\n  clusters:\n    - {id: c1, node_type: cache.t2.micro}\n", 11, "setup: cluster c1: Node type cache.t2.micro is available only in a VPC."},
		{"conflict with the demo", "broken.yaml", head + step + "setup:\n  demo: true\n  ec2_security_groups:\n    - {name: web-servers, platform: vpc}\n", 12,
			`setup: EC2 security group web-servers in us-east-1 is also defined by the demo, differently`},
		{"two documents", "broken.yaml", head + step + "---\nid: second\n", 9, "a second document starts here"},
		{"empty", "broken.yaml", "", 0, "the file is empty"},
		{"not a mapping", "broken.yaml", "- id: x\n", 1, "a lab is a mapping"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "labs")
			writeLab(t, dir, "00-fine.yaml", strings.Replace(customYAML, "tagging-groups", "fine-lab", 1))
			writeLab(t, dir, c.file, c.text)
			labs, err := LoadLabs(dir)
			if err == nil {
				t.Fatalf("loaded %+v", labs)
			}
			t.Log(err)
			where := filepath.Join(dir, c.file) + ":"
			if c.line > 0 {
				where += fmt.Sprintf("%d:", c.line)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, where+" ") || !strings.Contains(msg, c.reason) {
				t.Errorf("error = %q\nwant    %q ... %q", msg, where, c.reason)
			}
			if _, err := Catalog(dir); err == nil {
				t.Error("Catalog accepted the directory")
			}
		})
	}
}

func TestLoadLabsRefusesDuplicateIDs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "labs")
	writeLab(t, dir, "a.yaml", customYAML)
	writeLab(t, dir, "b.yml", "# the same lab again\n"+customYAML)
	_, err := LoadLabs(dir)
	if want := filepath.Join(dir, "b.yml") + `:3: lab id "tagging-groups" is already used by ` + filepath.Join(dir, "a.yaml"); err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}

	// A custom lab may not take a built-in lab's ID, nor set up a resource differently.
	dir = filepath.Join(t.TempDir(), "labs")
	writeLab(t, dir, "mine.yaml", strings.Replace(customYAML, "id: tagging-groups", "id: creating-a-security-group", 1))
	_, err = Catalog(dir)
	if want := filepath.Join(dir, "mine.yaml") + `:2: lab id "creating-a-security-group" is the built-in lab "Creating a security group"; choose another`; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	dir = filepath.Join(t.TempDir(), "labs")
	// lab-sessions is the built-in lab 3's group, which starts without any EC2 security group.
	writeLab(t, dir, "mine.yaml", strings.Replace(customYAML, "  clusters:\n", "    - {name: lab-sessions, description: Mine, authorize: [web-servers]}\n  clusters:\n", 1))
	_, err = LoadLabs(dir)
	mustNoErr(t, err, "LoadLabs of a lab that is fine on its own")
	_, err = Catalog(dir)
	if want := filepath.Join(dir, "mine.yaml") + `:17: setup: cache security group lab-sessions in us-east-1 is also defined by lab "authorizing-network-access", differently`; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error = %v\nwant %s", err, want)
	}

	// A directory without labs is a mistake.
	_, err = LoadLabs(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "no lab files") {
		t.Errorf("empty directory: %v", err)
	}
	// All broken files are reported at once.
	dir = filepath.Join(t.TempDir(), "labs")
	writeLab(t, dir, "a.yaml", "id: a\ntitle: A\n")
	writeLab(t, dir, "b.yaml", "id: b\ntitle: B\n")
	_, err = LoadLabs(dir)
	if err == nil || strings.Count(err.Error(), "steps are required") != 2 {
		t.Errorf("two broken files: %v", err)
	}
}
