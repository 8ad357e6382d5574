package models

import (
	"reflect"
	"strings"
	"testing"
)

const migrationApp = "i-0c0000000000000b7"

// migrationStore: an EC2-Classic cluster of the engine in cache security group app-cache (which no
// other cluster uses), VPC prod with an app subnet and a db subnet, VPC security group app-sg, and
// the VPC instance app-1 placed in the app subnet with app-sg.
func migrationStore(t *testing.T, engine string) (*Store, *testClock, vpcSetup) {
	t.Helper()
	s, clk := newStore(t)
	var v vpcSetup
	var err error
	must := func(what string) {
		t.Helper()
		mustNoErr(t, err, what)
	}
	mustEC2Group(t, s, scopeUS, "vpc-web", PlatformVPC)
	mustCreate(t, s, scopeUS, "app-cache", "App cache")
	mustCluster(t, s, scopeUS, NewCluster{ID: "legacy", Engine: engine, NodeType: "cache.m1.small", NumNodes: 1,
		Network: PlatformClassic, CacheSecurityGroups: []string{"app-cache", "default"}})
	v.prod, err = s.CreateVPC(ctx, scopeUS, "prod", "10.0.0.0/16")
	must("CreateVPC")
	v.appSubnet, err = s.CreateSubnet(ctx, scopeUS, v.prod.VpcID, "us-east-1a", "10.0.1.0/24")
	must("CreateSubnet app")
	v.dbSubnet, err = s.CreateSubnet(ctx, scopeUS, v.prod.VpcID, "us-east-1b", "10.0.2.0/24")
	must("CreateSubnet db")
	v.appSG, err = s.CreateVPCSecurityGroup(ctx, scopeUS, v.prod.VpcID, "app-sg", "app")
	must("app-sg")
	mustInstance(t, s, scopeUS, migrationApp, "app-1", PlatformVPC, "vpc-web")
	_, err = s.PlaceInstance(ctx, scopeUS, migrationApp, v.appSubnet.SubnetID, []string{v.appSG.GroupID})
	must("PlaceInstance")
	clk.Advance(delay)
	return s, clk, v
}

func mustPlan(t *testing.T, s *Store, c MigrationChoices) MigrationPlan {
	t.Helper()
	p, err := s.MigrationPlan(ctx, scopeUS, "legacy", c)
	mustNoErr(t, err, "MigrationPlan")
	return p
}

// wantSteps asserts the plan's step keys and states, in order.
func wantSteps(t *testing.T, p MigrationPlan, want ...string) {
	t.Helper()
	var got []string
	for _, st := range p.Steps {
		got = append(got, st.Key+" "+string(st.State))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("steps:\n got %q\nwant %q\nsteps %+v", got, want, p.Steps)
	}
}

// TestMigrationToVPC walks the guide for both engines: every step's state follows the account's
// real resources, a VPC instance can connect to the new cluster at the end, and the EC2-Classic
// cluster is deleted.
func TestMigrationToVPC(t *testing.T) {
	for _, engine := range []string{"memcached", "redis"} {
		t.Run(engine, func(t *testing.T) {
			s, clk, v := migrationStore(t, engine)
			redis := engine == "redis"
			make3 := []string{"create"}
			if redis {
				make3 = []string{"backup", "restore"}
			}
			steps := func(states ...string) []string {
				keys := append(append([]string{"subnet-group", "security-group"}, make3...), "verify", "clean-up")
				out := make([]string, len(keys))
				for i, k := range keys {
					out[i] = k + " " + states[i]
				}
				return out
			}
			backup := func(st string) []string { // the backup step's state where Redis has one
				if redis {
					return []string{st}
				}
				return nil
			}
			seq := func(parts ...[]string) []string {
				var out []string
				for _, p := range parts {
					out = append(out, p...)
				}
				return out
			}
			one := func(s ...string) []string { return s }
			port := DefaultPort(engine)

			c := MigrationChoices{}
			p := mustPlan(t, s, c)
			wantSteps(t, p, steps(seq(one("to do", "waiting"), backup("to do"), one("waiting", "waiting", "waiting"))...)...)
			if p.Done() || p.Cluster.ID != "legacy" || !reflect.DeepEqual(p.LeftoverGroups, []string{"app-cache"}) {
				t.Fatalf("plan %+v", p)
			}

			// 1. A subnet group that does not exist is a problem; one created is done.
			c.SubnetGroup = "nope"
			if st, _ := mustPlan(t, s, c).Step(StepSubnetGroup); st.State != MigrationToDo || !strings.Contains(st.Problem, "nope does not exist") {
				t.Fatalf("missing subnet group: %+v", st)
			}
			_, err := s.CreateSubnetGroup(ctx, scopeUS, NewSubnetGroup{Name: "Prod-Cache", Description: "cache", SubnetIDs: []string{v.dbSubnet.SubnetID}})
			mustNoErr(t, err, "CreateSubnetGroup")
			c.SubnetGroup = "Prod-Cache"
			p = mustPlan(t, s, c)
			wantSteps(t, p, steps(seq(one("done", "to do"), backup("to do"), one("waiting", "waiting", "waiting"))...)...)
			if p.VPCID() != v.prod.VpcID {
				t.Fatalf("VPC %q, want %s", p.VPCID(), v.prod.VpcID)
			}

			// 2. A group without a rule on the port is still to do; the group made with the rule is done.
			c.VPCSecurityGroup = v.appSG.GroupID
			if st, _ := mustPlan(t, s, c).Step(StepSecurityGroup); st.State != MigrationToDo || !strings.Contains(st.Detail, "no inbound rule") {
				t.Fatalf("group without rule: %+v", st)
			}
			// A refused rule leaves no group behind: group and rule are made together or not at all.
			_, err = s.CreateMigrationSecurityGroup(ctx, scopeUS, v.prod.VpcID, "cache-sg", "cache", VPCRule{FromPort: port, ToPort: port, Source: "everyone"})
			wantError(t, err, CodeInvalidParameterValue, "")
			if n := countRows(t, s, &VPCSecurityGroup{}, "name = ?", "cache-sg"); n != 0 {
				t.Fatalf("a refused create left %d groups", n)
			}
			sg, err := s.CreateMigrationSecurityGroup(ctx, scopeUS, v.prod.VpcID, "cache-sg", "cache", VPCRule{FromPort: port, ToPort: port, Source: v.appSG.GroupID})
			mustNoErr(t, err, "CreateMigrationSecurityGroup")
			c.VPCSecurityGroup = sg.GroupID
			p = mustPlan(t, s, c)
			wantSteps(t, p, steps(seq(one("done", "done"), backup("to do"), one(map[bool]string{true: "waiting", false: "to do"}[redis], "waiting", "waiting"))...)...)

			// 3. Redis: back up the cluster.
			if redis {
				_, err = s.CreateSnapshot(ctx, scopeUS, "legacy", "legacy-backup", nil)
				mustNoErr(t, err, "CreateSnapshot")
				c.Snapshot = "legacy-backup"
				p = mustPlan(t, s, c)
				wantSteps(t, p, steps("done", "done", "in progress", "waiting", "waiting", "waiting")...)
				if !p.Pending {
					t.Fatal("a backup being created does not make the plan pending")
				}
				clk.Advance(delay)
				p = mustPlan(t, s, c)
				wantSteps(t, p, steps("done", "done", "done", "to do", "waiting", "waiting")...)
				// The cluster's backups are the choices of a user who comes back without the choice.
				if len(p.Backups) != 1 || p.Backups[0].Name != "legacy-backup" {
					t.Fatalf("backups to choose from: %+v", p.Backups)
				}
			}

			// 4. Restore the backup, or create the new Memcached cluster, into the subnet group.
			p = mustPlan(t, s, c)
			target := p.NewTarget("legacy-vpc")
			_, err = s.CreateCluster(ctx, scopeUS, target)
			mustNoErr(t, err, "CreateCluster")
			c.Target = "legacy-vpc"
			p = mustPlan(t, s, c)
			wantSteps(t, p, steps(seq(one("done", "done"), backup("done"), one("in progress", "waiting", "waiting"))...)...)
			clk.Advance(delay)
			p = mustPlan(t, s, c)
			wantSteps(t, p, steps(seq(one("done", "done"), backup("done"), one("done", "to do", "waiting"))...)...)
			old, nu := p.Cluster, *p.Target
			if nu.IsClassic() || nu.SubnetGroup != "prod-cache" || !reflect.DeepEqual(nu.VPCSecurityGroupIDs, []string{sg.GroupID}) ||
				nu.Engine != old.Engine || nu.EngineVersion != old.EngineVersion || nu.NodeType != old.NodeType ||
				nu.NumNodes != old.NumNodes || nu.Port() != old.Port() || nu.ParameterGroup != old.ParameterGroup {
				t.Fatalf("new cluster %+v\ndoes not match %+v", nu, old)
			}

			// 5. Verify: an unknown instance is a problem; app-1 in the VPC can connect.
			c.Instance = "i-0ffffffffffffffff"
			if st, _ := mustPlan(t, s, c).Step(StepVerify); st.State != MigrationToDo || st.Problem == "" {
				t.Fatalf("unknown instance: %+v", st)
			}
			c.Instance = migrationApp
			p = mustPlan(t, s, c)
			wantSteps(t, p, steps(seq(one("done", "done"), backup("done"), one("done", "done", "to do"))...)...)
			if p.Verify == nil || p.Verify.Verdict != CanConnect {
				t.Fatalf("verify: %+v", p.Verify)
			}
			// The Classic cluster is still what the app used: a VPC instance never reaches it.
			if x := explain(t, s, migrationApp, "legacy"); x.Verdict != CannotConnect {
				t.Fatalf("VPC instance to the Classic cluster: %s", x.Verdict)
			}

			// 6. Clean up: the Classic cluster is deleted; its own cache security group is left over.
			if !reflect.DeepEqual(p.LeftoverGroups, []string{"app-cache"}) {
				t.Fatalf("leftover groups %q", p.LeftoverGroups)
			}
			_, err = s.DeleteCluster(ctx, scopeUS, "legacy")
			mustNoErr(t, err, "DeleteCluster")
			p = mustPlan(t, s, c)
			wantSteps(t, p, steps(seq(one("done", "done"), backup("done"), one("done", "done", "in progress"))...)...)
			clk.Advance(delay)
			p = mustPlan(t, s, c)
			wantSteps(t, p, steps(seq(one("done", "done"), backup("done"), one("done", "done", "done"))...)...)
			if !p.Done() || p.Cluster.Status != ClusterGone || p.Pending {
				t.Fatalf("finished plan: done %v status %q pending %v", p.Done(), p.Cluster.Status, p.Pending)
			}
			if _, err := s.GetCluster(ctx, scopeUS, "legacy"); !HasCode(err, CodeCacheClusterNotFound) {
				t.Fatalf("the Classic cluster is still there: %v", err)
			}
		})
	}
}

// TestMigrationPlanRefusals: only EC2-Classic clusters of the scope migrate, and a new cluster that
// is not in the chosen subnet group with the chosen group is not taken for the migration's.
func TestMigrationPlanRefusals(t *testing.T) {
	s, clk, v := migrationStore(t, "memcached")
	_, err := s.EnsureAccount(ctx, otherAccountID)
	mustNoErr(t, err, "EnsureAccount")
	_, err = s.MigrationPlan(ctx, Scope{AccountID: otherAccountID, Region: "us-east-1"}, "legacy", MigrationChoices{})
	wantError(t, err, CodeCacheClusterNotFound, "")
	_, err = s.MigrationPlan(ctx, scopeUS, "never", MigrationChoices{})
	wantError(t, err, CodeCacheClusterNotFound, "")

	_, err = s.CreateSubnetGroup(ctx, scopeUS, NewSubnetGroup{Name: "db", Description: "db", SubnetIDs: []string{v.dbSubnet.SubnetID}})
	mustNoErr(t, err, "CreateSubnetGroup")
	mustCluster(t, s, scopeUS, NewCluster{ID: "other-vpc", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 1,
		SubnetGroup: "db", VPCSecurityGroupIDs: []string{v.appSG.GroupID}})
	clk.Advance(delay)
	_, err = s.MigrationPlan(ctx, scopeUS, "other-vpc", MigrationChoices{})
	wantError(t, err, CodeInvalidParameterValue, "")

	_, err = s.AuthorizeVPCIngress(ctx, scopeUS, v.appSG.GroupID, VPCRule{FromPort: 11211, ToPort: 11211, Source: "10.0.1.0/24"})
	mustNoErr(t, err, "AuthorizeVPCIngress")
	// other-vpc is in the subnet group, but not with the chosen group: not this migration's cluster.
	sg2, err := s.CreateMigrationSecurityGroup(ctx, scopeUS, v.prod.VpcID, "cache-2", "cache", VPCRule{FromPort: 11211, ToPort: 11211, Source: v.appSG.GroupID})
	mustNoErr(t, err, "CreateMigrationSecurityGroup")
	p := mustPlan(t, s, MigrationChoices{SubnetGroup: "db", VPCSecurityGroup: sg2.GroupID, Target: "other-vpc"})
	if st, _ := p.Step(StepCreate); st.State == MigrationDone || !strings.Contains(st.Problem, "Choose another ID") {
		t.Fatalf("foreign target: %+v", st)
	}
	// A group of another VPC is not a choice for this subnet group.
	other, err := s.CreateVPC(ctx, scopeUS, "other", "10.9.0.0/16")
	mustNoErr(t, err, "CreateVPC")
	sg3, err := s.CreateVPCSecurityGroup(ctx, scopeUS, other.VpcID, "elsewhere", "x")
	mustNoErr(t, err, "CreateVPCSecurityGroup")
	if st, _ := mustPlan(t, s, MigrationChoices{SubnetGroup: "db", VPCSecurityGroup: sg3.GroupID}).Step(StepSecurityGroup); st.State != MigrationToDo || st.Problem == "" {
		t.Fatalf("group of another VPC: %+v", st)
	}
}
