package models

import "testing"

func TestSeedDemo(t *testing.T) {
	s, clk := newStore(t)
	seeded, err := s.SeedDemo(ctx, DefaultAccountID)
	mustNoErr(t, err, "SeedDemo")
	if !seeded {
		t.Fatal("SeedDemo on an empty account seeded nothing")
	}

	for _, region := range Regions {
		ec2, err := s.ListEC2SecurityGroups(ctx, Scope{AccountID: DefaultAccountID, Region: region})
		mustNoErr(t, err, "ListEC2SecurityGroups")
		var names []string
		for _, g := range ec2 {
			names = append(names, g.Name)
			if g.Description == "" || g.AccountID != DefaultAccountID || g.Region != region {
				t.Errorf("EC2 group %+v", g)
			}
		}
		if want := []string{"app-servers", "bastion", "default", "vpc-web", "web-servers"}; !equalStrings(names, want) {
			t.Errorf("EC2 groups in %s = %q, want %q", region, names, want)
		}
		// Every region still has exactly one default cache security group.
		if n := countRows(t, s, &CacheSecurityGroup{}, "account_id = ? AND region = ? AND name = ?", DefaultAccountID, region, "default"); n != 1 {
			t.Errorf("default groups in %s = %d", region, n)
		}
	}

	wantAt := func(step string, want map[Scope]map[string][]string) {
		t.Helper()
		for scope, groups := range want {
			p := mustList(t, s, scope, ListOptions{Size: 100})
			var names []string
			for _, item := range p.Items {
				names = append(names, item.Name)
				w, ok := groups[item.Name]
				if !ok {
					t.Errorf("%s: unexpected group %s in %s", step, item.Name, scope.Region)
					continue
				}
				if w == nil {
					w = []string{}
				}
				if got := grants(item); !equalStrings(got, w) {
					t.Errorf("%s: %s/%s grants = %q, want %q", step, scope.Region, item.Name, got, w)
				}
				if item.Description == "" {
					t.Errorf("%s: %s has no description", step, item.Name)
				}
			}
			if len(names) != len(groups) {
				t.Errorf("%s: groups in %s = %q, want %d", step, scope.Region, names, len(groups))
			}
		}
	}
	atSeed := map[Scope]map[string][]string{
		scopeUS: {
			"default":      {"default/123456789012=authorized"},
			"web-sessions": {"bastion/123456789012=revoking", "web-servers/123456789012=authorized"},
			"app-cache":    {"app-servers/123456789012=authorized", "web-servers/123456789012=authorizing"},
			"reporting":    {"etl-workers/210987654321=authorized"},
			"staging":      nil,
		},
		scopeUSW: {"default": nil, "dr-cache": {"web-servers/123456789012=authorized"}},
		{AccountID: DefaultAccountID, Region: "eu-west-1"}:      {"default": nil},
		{AccountID: DefaultAccountID, Region: "ap-southeast-1"}: {"default": nil},
	}
	wantAt("at seed time", atSeed)

	// All three states are present at seed time.
	states := map[AuthorizationStatus]int{}
	for _, item := range mustList(t, s, scopeUS, ListOptions{Size: 100}).Items {
		for _, e := range item.EC2SecurityGroups {
			states[e.Status]++
		}
	}
	for _, st := range []AuthorizationStatus{StatusAuthorizing, StatusAuthorized, StatusRevoking} {
		if states[st] == 0 {
			t.Errorf("no %s entry in the demo", st)
		}
	}

	// Seeding again does nothing.
	before := takeSnapshot(t, s)
	ec2Before := countRows(t, s, &EC2SecurityGroup{}, "")
	seeded, err = s.SeedDemo(ctx, DefaultAccountID)
	mustNoErr(t, err, "SeedDemo again")
	if seeded {
		t.Error("second SeedDemo reported seeded = true")
	}
	assertUnchanged(t, s, before)
	if n := countRows(t, s, &EC2SecurityGroup{}, ""); n != ec2Before || n != 20 {
		t.Errorf("EC2 groups = %d after second seed, want %d (20)", n, ec2Before)
	}

	// The pending entries settle after the propagation delay.
	clk.Advance(s.PropagationDelay)
	atSeed[scopeUS]["web-sessions"] = []string{"web-servers/123456789012=authorized"}
	atSeed[scopeUS]["app-cache"] = []string{"app-servers/123456789012=authorized", "web-servers/123456789012=authorized"}
	wantAt("after the delay", atSeed)

	// Demo groups are ordinary groups: they can be deleted, default cannot.
	mustNoErr(t, s.DeleteSecurityGroup(ctx, scopeUS, "staging"), "delete staging")
	wantError(t, s.DeleteSecurityGroup(ctx, scopeUS, "default"), CodeInvalidParameterValue, msgDeleteDefault)
}

func TestSeedDemoIsPerAccount(t *testing.T) {
	s, _ := newStore(t)
	_, err := s.EnsureAccount(ctx, otherAccountID)
	mustNoErr(t, err, "EnsureAccount other")
	seeded, err := s.SeedDemo(ctx, DefaultAccountID)
	mustNoErr(t, err, "SeedDemo A")
	if !seeded {
		t.Fatal("not seeded")
	}
	// The other account is untouched and can be seeded on its own.
	if p := mustList(t, s, Scope{AccountID: otherAccountID, Region: "us-east-1"}, ListOptions{}); !equalStrings(listNames(p), []string{"default"}) {
		t.Errorf("other account list = %q", listNames(p))
	}
	seeded, err = s.SeedDemo(ctx, otherAccountID)
	mustNoErr(t, err, "SeedDemo B")
	if !seeded {
		t.Error("other account not seeded")
	}
}
