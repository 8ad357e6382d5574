package models

import (
	"errors"
	"testing"
	"time"
)

func TestEnsureAccountCreatesClassicRegionsWithDefaultGroups(t *testing.T) {
	s, _, _ := openStore(t)

	created, err := s.EnsureAccount(ctx, DefaultAccountID)
	mustNoErr(t, err, "EnsureAccount")
	if !created {
		t.Fatal("first EnsureAccount reported created = false")
	}

	regions, err := s.RegionPlatforms(ctx, DefaultAccountID)
	mustNoErr(t, err, "RegionPlatforms")
	wantRegions := []string{"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"}
	if len(regions) != len(wantRegions) {
		t.Fatalf("got %d regions, want %d", len(regions), len(wantRegions))
	}
	for i, r := range regions {
		if r.Region != wantRegions[i] || r.AccountID != DefaultAccountID {
			t.Errorf("region %d = %s/%s, want %s/%s", i, r.AccountID, r.Region, DefaultAccountID, wantRegions[i])
		}
		if r.Platform != PlatformClassic {
			t.Errorf("region %s platform = %q, want %q", r.Region, r.Platform, PlatformClassic)
		}
		p, err := s.RegionPlatform(ctx, Scope{AccountID: DefaultAccountID, Region: r.Region})
		mustNoErr(t, err, "RegionPlatform")
		if p != PlatformClassic || !p.SupportsClassic() || p.Label() != "EC2-Classic and VPC" {
			t.Errorf("RegionPlatform(%s) = %q (label %q)", r.Region, p, p.Label())
		}
		g := mustGet(t, s, Scope{AccountID: DefaultAccountID, Region: r.Region}, "default")
		if g.Name != "default" || g.Description != "default" || !g.IsDefault() {
			t.Errorf("default group in %s = %+v", r.Region, g)
		}
		if g.OwnerID != DefaultAccountID || g.Region != r.Region || !g.CreatedAt.Equal(t0) {
			t.Errorf("default group in %s: owner %s region %s created %v", r.Region, g.OwnerID, g.Region, g.CreatedAt)
		}
		wantGrants(t, g)
	}

	before := takeSnapshot(t, s)
	for i := 0; i < 2; i++ {
		created, err = s.EnsureAccount(ctx, DefaultAccountID)
		mustNoErr(t, err, "EnsureAccount again")
		if created {
			t.Fatal("repeated EnsureAccount reported created = true")
		}
	}
	assertUnchanged(t, s, before)
	if n := countRows(t, s, &Account{}, ""); n != 1 {
		t.Errorf("accounts = %d, want 1", n)
	}
	if n := countRows(t, s, &CacheSecurityGroup{}, ""); n != 4 {
		t.Errorf("cache security groups = %d, want 4 (one default per region)", n)
	}
}

func TestEnsureAccountRejectsInvalidIDs(t *testing.T) {
	s, _, _ := openStore(t)
	for _, id := range []string{"", "12345678901", "1234567890123", "12345678901a", "AKIAIOSFODNN7EXAMPLE", " 123456789012"} {
		created, err := s.EnsureAccount(ctx, id)
		if err == nil || created {
			t.Errorf("EnsureAccount(%q) = %v, %v; want an error", id, created, err)
		}
	}
	if n := countRows(t, s, &Account{}, ""); n != 0 {
		t.Errorf("accounts = %d after invalid IDs, want 0", n)
	}
	if n := countRows(t, s, &RegionSetting{}, ""); n != 0 {
		t.Errorf("region settings = %d after invalid IDs, want 0", n)
	}
}

func TestEnsureAccountSecondTenantIsIndependent(t *testing.T) {
	s, _ := newStore(t)
	created, err := s.EnsureAccount(ctx, otherAccountID)
	mustNoErr(t, err, "EnsureAccount other")
	if !created {
		t.Fatal("second account not created")
	}
	if n := countRows(t, s, &CacheSecurityGroup{}, "account_id = ? AND name = ?", otherAccountID, "default"); n != 4 {
		t.Errorf("default groups of second account = %d, want 4", n)
	}
	if n := countRows(t, s, &RegionSetting{}, ""); n != 8 {
		t.Errorf("region settings = %d, want 8", n)
	}
}

func TestParsePlatform(t *testing.T) {
	tests := []struct {
		in      string
		want    Platform
		wantErr bool
	}{
		{"ec2-classic", PlatformClassic, false},
		{"vpc", PlatformVPC, false},
		{"", "", true},
		{"VPC", "", true},
		{"classic", "", true},
	}
	for _, tt := range tests {
		got, err := ParsePlatform(tt.in)
		if tt.wantErr {
			e := wantError(t, err, CodeInvalidParameterValue, "Platform must be ec2-classic or vpc.")
			if e.FieldMessage("platform") == "" {
				t.Errorf("ParsePlatform(%q): no message on field platform", tt.in)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParsePlatform(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if PlatformVPC.SupportsClassic() || PlatformVPC.Label() != "VPC" {
		t.Errorf("vpc: SupportsClassic %v label %q", PlatformVPC.SupportsClassic(), PlatformVPC.Label())
	}
}

func TestSetRegionPlatformRejectsBadInput(t *testing.T) {
	s, _ := newStore(t)
	before := takeSnapshot(t, s)

	e := wantError(t, s.SetRegionPlatform(ctx, Scope{AccountID: DefaultAccountID, Region: "mars-north-1"}, PlatformVPC), CodeInvalidParameterValue, `Unknown region "mars-north-1".`)
	if e.FieldMessage("region") == "" {
		t.Error("unknown region: no message on field region")
	}
	e = wantError(t, s.SetRegionPlatform(ctx, scopeUS, Platform("ec2")), CodeInvalidParameterValue, "Platform must be ec2-classic or vpc.")
	if e.FieldMessage("platform") == "" {
		t.Error("bad platform: no message on field platform")
	}
	// A valid region of an account that does not exist is not found.
	if err := s.SetRegionPlatform(ctx, Scope{AccountID: "999999999999", Region: "us-east-1"}, PlatformVPC); !isNotFound(err) {
		t.Errorf("SetRegionPlatform on unknown account = %v, want ErrNotFound", err)
	}
	assertUnchanged(t, s, before)
}

func TestVPCOnlyRegionRefusesCacheSecurityGroups(t *testing.T) {
	s, clk := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web tier")
	mustAuthorize(t, s, scopeUS, "web", "web-servers", DefaultAccountID)
	mustAuthorize(t, s, scopeUS, "web", "bastion", DefaultAccountID)
	clk.Advance(time.Minute)
	_, err := s.RevokeIngress(ctx, scopeUS, "web", "bastion", DefaultAccountID)
	mustNoErr(t, err, "revoke bastion")

	mustNoErr(t, s.SetRegionPlatform(ctx, scopeUS, PlatformVPC), "SetRegionPlatform vpc")
	p, err := s.RegionPlatform(ctx, scopeUS)
	mustNoErr(t, err, "RegionPlatform")
	if p != PlatformVPC {
		t.Fatalf("platform = %q, want vpc", p)
	}
	before := takeSnapshot(t, s)

	ops := []struct {
		name string
		call func() error
	}{
		{"Create", func() error { _, err := s.CreateSecurityGroup(ctx, scopeUS, "new-group", "desc"); return err }},
		{"Create invalid input", func() error { _, err := s.CreateSecurityGroup(ctx, scopeUS, "", ""); return err }},
		{"Get", func() error { _, err := s.GetSecurityGroup(ctx, scopeUS, "web"); return err }},
		{"Get default", func() error { _, err := s.GetSecurityGroup(ctx, scopeUS, "default"); return err }},
		{"Get unknown", func() error { _, err := s.GetSecurityGroup(ctx, scopeUS, "nope"); return err }},
		{"List", func() error { _, err := s.ListSecurityGroups(ctx, scopeUS, ListOptions{}); return err }},
		{"Delete", func() error { return s.DeleteSecurityGroup(ctx, scopeUS, "web") }},
		{"Delete default", func() error { return s.DeleteSecurityGroup(ctx, scopeUS, "default") }},
		{"Authorize", func() error {
			_, err := s.AuthorizeIngress(ctx, scopeUS, "web", "app-servers", DefaultAccountID)
			return err
		}},
		{"Authorize existing", func() error {
			_, err := s.AuthorizeIngress(ctx, scopeUS, "web", "web-servers", DefaultAccountID)
			return err
		}},
		{"Revoke", func() error {
			_, err := s.RevokeIngress(ctx, scopeUS, "web", "web-servers", DefaultAccountID)
			return err
		}},
		{"Revoke unknown", func() error {
			_, err := s.RevokeIngress(ctx, scopeUS, "web", "nope", DefaultAccountID)
			return err
		}},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			err := op.call()
			e := wantError(t, err, CodeInvalidParameterValue, MessageClassicNotPermitted)
			if e.Message != "Use of cache security groups is not permitted in this API version for your account." {
				t.Errorf("message = %q", e.Message)
			}
			if !errors.Is(err, ErrClassicNotPermitted) {
				t.Error("the refusal is not ErrClassicNotPermitted, so the console cannot show its VPC-only notice")
			}
			assertUnchanged(t, s, before)
		})
	}

	// The other regions are unaffected.
	mustCreate(t, s, scopeUSW, "west", "West coast")
	if p, _ := s.RegionPlatform(ctx, scopeUSW); p != PlatformClassic {
		t.Errorf("us-west-2 platform = %q, want ec2-classic", p)
	}

	// Switching back shows everything again, default included, with statuses still derived from time.
	mustNoErr(t, s.SetRegionPlatform(ctx, scopeUS, PlatformClassic), "SetRegionPlatform classic")
	if n := countRows(t, s, &CacheSecurityGroup{}, "account_id = ? AND region = ? AND name = ?", DefaultAccountID, "us-east-1", "default"); n != 1 {
		t.Errorf("default groups in us-east-1 after switching back = %d, want 1", n)
	}
	g := mustGet(t, s, scopeUS, "web")
	if g.Description != "Web tier" {
		t.Errorf("description = %q", g.Description)
	}
	wantGrants(t, g, "bastion/123456789012=revoking", "web-servers/123456789012=authorized")
	clk.Advance(10 * time.Second)
	wantGrants(t, mustGet(t, s, scopeUS, "web"), "web-servers/123456789012=authorized")
	page := mustList(t, s, scopeUS, ListOptions{})
	if got := listNames(page); !equalStrings(got, []string{"default", "web"}) {
		t.Errorf("list after switching back = %q", got)
	}
}

func TestSwitchingBackToClassicRecreatesMissingDefault(t *testing.T) {
	s, _ := newStore(t)
	mustNoErr(t, s.SetRegionPlatform(ctx, scopeUS, PlatformVPC), "vpc")
	// Simulate a database whose default group is missing.
	mustNoErr(t, s.db.Where("account_id = ? AND region = ? AND name = ?", DefaultAccountID, "us-east-1", "default").
		Delete(&CacheSecurityGroup{}).Error, "delete default")
	mustNoErr(t, s.SetRegionPlatform(ctx, scopeUS, PlatformClassic), "classic")
	g := mustGet(t, s, scopeUS, "default")
	if g.Description != "default" {
		t.Errorf("recreated default description = %q", g.Description)
	}
	// Switching to classic again does not duplicate it.
	mustNoErr(t, s.SetRegionPlatform(ctx, scopeUS, PlatformClassic), "classic again")
	if n := countRows(t, s, &CacheSecurityGroup{}, "account_id = ? AND region = ?", DefaultAccountID, "us-east-1"); n != 1 {
		t.Errorf("groups in us-east-1 = %d, want 1", n)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
