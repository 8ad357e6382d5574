package models

import (
	"strings"
	"testing"
	"time"
)

const (
	acct       = DefaultAccountID
	msgExists  = "EC2 security group web-servers (owner 123456789012) is already authorized for web."
	msgStillRv = "EC2 security group web-servers (owner 123456789012) is still being revoked from web. Authorize it again once the revocation completes."
	msgAlrRv   = "EC2 security group web-servers (owner 123456789012) is already being revoked from web."
	msgNotAuth = "EC2 security group web-servers (owner 123456789012) is not authorized for web."

	msgEC2NameRequired = "Enter the name of an EC2 security group."
	msgEC2NameTooLong  = "An EC2 security group name is at most 255 characters long."
	msgEC2NameCharset  = "An EC2 security group name can contain only letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"
	msgOwnerRequired   = "Enter the AWS account ID that owns the EC2 security group."
	msgOwnerAccessKey  = "That is an access key ID. Enter the owner's 12-digit AWS account number instead."
	msgOwnerDigits     = "The owner ID must be a 12-digit AWS account number."
)

func TestAuthorizationLifecycle(t *testing.T) {
	s, clk := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	const delay = 10 * time.Second

	authorize := func() error { _, err := s.AuthorizeIngress(ctx, scopeUS, "web", "web-servers", acct); return err }
	revoke := func() error { _, err := s.RevokeIngress(ctx, scopeUS, "web", "web-servers", acct); return err }
	status := func() []string { return grants(mustGet(t, s, scopeUS, "web")) }
	listed := func() []string {
		p := mustList(t, s, scopeUS, ListOptions{Filter: "web"})
		if len(p.Items) != 1 {
			t.Fatalf("list items = %q, want only web", listNames(p))
		}
		return grants(p.Items[0])
	}
	want := func(step string, wantGrants ...string) {
		t.Helper()
		if wantGrants == nil {
			wantGrants = []string{}
		}
		if got := status(); !equalStrings(got, wantGrants) {
			t.Fatalf("%s: Get grants = %q, want %q", step, got, wantGrants)
		}
		if got := listed(); !equalStrings(got, wantGrants) {
			t.Fatalf("%s: List grants = %q, want %q", step, got, wantGrants)
		}
	}
	const (
		authorizing = "web-servers/123456789012=authorizing"
		authorized  = "web-servers/123456789012=authorized"
		revoking    = "web-servers/123456789012=revoking"
	)

	// Authorize: the returned group already shows the new entry as authorizing.
	g, err := s.AuthorizeIngress(ctx, scopeUS, "WEB", "web-servers", acct)
	mustNoErr(t, err, "authorize")
	wantGrants(t, g, authorizing)
	if !g.Pending() {
		t.Error("group with an authorizing entry is not Pending")
	}
	want("t0", authorizing)
	rows := authRows(t, s)
	if len(rows) != 1 || !rows[0].AuthorizedAt.Equal(t0) || !rows[0].ActiveAt.Equal(t0.Add(delay)) || rows[0].RevokedAt != nil || rows[0].GoneAt != nil {
		t.Fatalf("stored authorization = %+v", rows)
	}

	// Duplicate while authorizing.
	before := takeSnapshot(t, s)
	e := wantError(t, authorize(), CodeAuthorizationAlreadyExists, msgExists)
	if e.FieldMessage("ec2_security_group_name") != msgExists {
		t.Errorf("field message = %q", e.FieldMessage("ec2_security_group_name"))
	}
	assertUnchanged(t, s, before)

	clk.Set(t0.Add(delay - time.Millisecond))
	want("t0+9.999s", authorizing)
	clk.Set(t0.Add(delay - time.Nanosecond))
	want("t0+delay-1ns", authorizing)
	clk.Set(t0.Add(delay))
	want("t0+10s", authorized)
	if mustGet(t, s, scopeUS, "web").Pending() {
		t.Error("group with only authorized entries is Pending")
	}
	wantError(t, authorize(), CodeAuthorizationAlreadyExists, msgExists)
	assertUnchanged(t, s, before)

	// Revoke.
	t1 := t0.Add(time.Hour)
	clk.Set(t1)
	g, err = s.RevokeIngress(ctx, scopeUS, "web", "web-servers", acct)
	mustNoErr(t, err, "revoke")
	wantGrants(t, g, revoking)
	if !g.Pending() {
		t.Error("group with a revoking entry is not Pending")
	}
	want("t1", revoking)
	rows = authRows(t, s)
	if len(rows) != 1 || rows[0].RevokedAt == nil || !rows[0].RevokedAt.Equal(t1) || rows[0].GoneAt == nil || !rows[0].GoneAt.Equal(t1.Add(delay)) {
		t.Fatalf("stored revoked authorization = %+v", rows)
	}

	clk.Set(t1.Add(5 * time.Second))
	before = takeSnapshot(t, s)
	wantError(t, revoke(), CodeInvalidSecurityGroupState, msgAlrRv)
	e = wantError(t, authorize(), CodeInvalidSecurityGroupState, msgStillRv)
	if e.Code != "InvalidCacheSecurityGroupState" {
		t.Errorf("code = %q", e.Code)
	}
	assertUnchanged(t, s, before)

	clk.Set(t1.Add(delay - time.Millisecond))
	want("t1+9.999s", revoking)

	// Gone: invisible everywhere, revoking again is not found.
	clk.Set(t1.Add(delay))
	want("t1+10s")
	p := mustList(t, s, scopeUS, ListOptions{})
	for _, item := range p.Items {
		if len(item.EC2SecurityGroups) != 0 {
			t.Errorf("list item %s has grants %q after revocation", item.Name, grants(item))
		}
	}
	before = takeSnapshot(t, s)
	wantError(t, revoke(), CodeAuthorizationNotFound, msgNotAuth)
	assertUnchanged(t, s, before)

	// Authorizing the same pair again works and starts over.
	t2 := t1.Add(time.Minute)
	clk.Set(t2)
	g = mustAuthorize(t, s, scopeUS, "web", "web-servers", acct)
	wantGrants(t, g, authorizing)
	rows = authRows(t, s)
	if len(rows) != 1 || !rows[0].AuthorizedAt.Equal(t2) || rows[0].RevokedAt != nil || rows[0].GoneAt != nil {
		t.Fatalf("re-authorized rows = %+v, want one fresh row", rows)
	}
	clk.Set(t2.Add(delay))
	want("t2+10s", authorized)
}

func TestRevokeWhileAuthorizing(t *testing.T) {
	s, clk := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	mustAuthorize(t, s, scopeUS, "web", "web-servers", acct)
	clk.Advance(2 * time.Second)
	g, err := s.RevokeIngress(ctx, scopeUS, "web", "web-servers", acct)
	mustNoErr(t, err, "revoke while authorizing")
	wantGrants(t, g, "web-servers/123456789012=revoking")
	clk.Advance(9 * time.Second) // past the original ActiveAt, still within the revocation
	wantGrants(t, mustGet(t, s, scopeUS, "web"), "web-servers/123456789012=revoking")
	clk.Advance(time.Second)
	wantGrants(t, mustGet(t, s, scopeUS, "web"))
}

func TestAuthorizationPairIsNameAndOwner(t *testing.T) {
	s, clk := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	mustAuthorize(t, s, scopeUS, "web", "web-servers", otherAccountID)
	mustAuthorize(t, s, scopeUS, "web", "web-servers", acct)
	mustAuthorize(t, s, scopeUS, "web", "app-servers", acct)
	mustAuthorize(t, s, scopeUS, "default", "web-servers", acct) // same pair, other group
	clk.Advance(10 * time.Second)
	wantGrants(t, mustGet(t, s, scopeUS, "web"),
		"app-servers/123456789012=authorized",
		"web-servers/123456789012=authorized",
		"web-servers/210987654321=authorized")
	_, err := s.RevokeIngress(ctx, scopeUS, "web", "web-servers", otherAccountID)
	mustNoErr(t, err, "revoke partner pair")
	wantGrants(t, mustGet(t, s, scopeUS, "web"),
		"app-servers/123456789012=authorized",
		"web-servers/123456789012=authorized",
		"web-servers/210987654321=revoking")
	wantGrants(t, mustGet(t, s, scopeUS, "default"), "web-servers/123456789012=authorized")
	// Names are matched exactly: a different case is a different, unknown pair.
	_, err = s.RevokeIngress(ctx, scopeUS, "web", "WEB-SERVERS", acct)
	wantError(t, err, CodeAuthorizationNotFound, "")
}

func TestAuthorizeValidation(t *testing.T) {
	tests := []struct {
		name, ec2Name, owner string
		wantCode             string
		wantFields           []FieldError
	}{
		{"owner 11 digits", "web-servers", "12345678901", CodeInvalidParameterValue, []FieldError{{"ec2_security_group_owner_id", msgOwnerDigits}}},
		{"owner 13 digits", "web-servers", "1234567890123", CodeInvalidParameterValue, []FieldError{{"ec2_security_group_owner_id", msgOwnerDigits}}},
		{"owner letters", "web-servers", "12345678901a", CodeInvalidParameterValue, []FieldError{{"ec2_security_group_owner_id", msgOwnerDigits}}},
		{"owner dashes", "web-servers", "1234-5678-9012", CodeInvalidParameterValue, []FieldError{{"ec2_security_group_owner_id", msgOwnerDigits}}},
		{"owner padded", "web-servers", " 123456789012", CodeInvalidParameterValue, []FieldError{{"ec2_security_group_owner_id", msgOwnerDigits}}},
		{"owner access key", "web-servers", "AKIAIOSFODNN7EXAMPLE", CodeInvalidParameterValue, []FieldError{{"ec2_security_group_owner_id", msgOwnerAccessKey}}},
		{"owner session key", "web-servers", "ASIAIOSFODNN7EXAMPLE", CodeInvalidParameterValue, []FieldError{{"ec2_security_group_owner_id", msgOwnerAccessKey}}},
		{"owner missing", "web-servers", "", CodeMissingParameter, []FieldError{{"ec2_security_group_owner_id", msgOwnerRequired}}},
		{"name missing", "", acct, CodeMissingParameter, []FieldError{{"ec2_security_group_name", msgEC2NameRequired}}},
		{"name too long", strings.Repeat("a", 256), acct, CodeInvalidParameterValue, []FieldError{{"ec2_security_group_name", msgEC2NameTooLong}}},
		{"name non-ASCII", "wéb", acct, CodeInvalidParameterValue, []FieldError{{"ec2_security_group_name", msgEC2NameCharset}}},
		{"name quote", `web"servers`, acct, CodeInvalidParameterValue, []FieldError{{"ec2_security_group_name", msgEC2NameCharset}}},
		{"name angle bracket", "<script>", acct, CodeInvalidParameterValue, []FieldError{{"ec2_security_group_name", msgEC2NameCharset}}},
		{"name newline", "web\nservers", acct, CodeInvalidParameterValue, []FieldError{{"ec2_security_group_name", msgEC2NameCharset}}},
		{"both missing", "", "", CodeMissingParameter, []FieldError{{"ec2_security_group_name", msgEC2NameRequired}, {"ec2_security_group_owner_id", msgOwnerRequired}}},
		{"bad name, missing owner", "a|b", "", CodeInvalidParameterValue, []FieldError{{"ec2_security_group_name", msgEC2NameCharset}, {"ec2_security_group_owner_id", msgOwnerRequired}}},
		{"missing name, bad owner", "", "123", CodeMissingParameter, []FieldError{{"ec2_security_group_name", msgEC2NameRequired}, {"ec2_security_group_owner_id", msgOwnerDigits}}},
	}
	s, _ := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	mustAuthorize(t, s, scopeUS, "web", "web-servers", acct)
	before := takeSnapshot(t, s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			verr := ValidateEC2GroupRef(tt.ec2Name, tt.owner)
			_, aerr := s.AuthorizeIngress(ctx, scopeUS, "web", tt.ec2Name, tt.owner)
			_, rerr := s.RevokeIngress(ctx, scopeUS, "web", tt.ec2Name, tt.owner)
			for _, err := range []error{verr, aerr, rerr} {
				e := wantError(t, err, tt.wantCode, tt.wantFields[0].Message)
				if len(e.Fields) != len(tt.wantFields) {
					t.Fatalf("fields = %+v, want %+v", e.Fields, tt.wantFields)
				}
				for i, f := range tt.wantFields {
					if e.Fields[i] != f {
						t.Errorf("field %d = %+v, want %+v", i, e.Fields[i], f)
					}
				}
			}
			assertUnchanged(t, s, before)
		})
	}
}

func TestAuthorizeAcceptsEC2NameCharset(t *testing.T) {
	s, _ := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	names := []string{
		"sg with spaces",
		"a._-:/()#,@[]+=&;{}!$*z",
		"UPPER-lower-123",
		strings.Repeat("x", 255),
	}
	for _, n := range names {
		if err := ValidateEC2GroupRef(n, acct); err != nil {
			t.Errorf("ValidateEC2GroupRef(%q) = %v", n, err)
		}
		g := mustAuthorize(t, s, scopeUS, "web", n, acct)
		found := false
		for _, e := range g.EC2SecurityGroups {
			found = found || (e.Name == n && e.OwnerID == acct && e.Status == StatusAuthorizing)
		}
		if !found {
			t.Errorf("authorized %q not in %q", n, grants(g))
		}
	}
	if n := countRows(t, s, &EC2Authorization{}, ""); n != int64(len(names)) {
		t.Errorf("authorization rows = %d, want %d", n, len(names))
	}
}

func TestAuthorizeRevokeUnknownGroup(t *testing.T) {
	s, _ := newStore(t)
	before := takeSnapshot(t, s)
	_, err := s.AuthorizeIngress(ctx, scopeUS, "Missing", "web-servers", acct)
	wantError(t, err, CodeCacheSecurityGroupNotFound, "Cache security group missing not found.")
	_, err = s.RevokeIngress(ctx, scopeUS, "missing", "web-servers", acct)
	wantError(t, err, CodeCacheSecurityGroupNotFound, "Cache security group missing not found.")
	// An unknown group is reported before bad EC2 input.
	_, err = s.AuthorizeIngress(ctx, scopeUS, "missing", "", "")
	wantError(t, err, CodeCacheSecurityGroupNotFound, "")
	assertUnchanged(t, s, before)
}

func TestRevokeUnknownPair(t *testing.T) {
	s, _ := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	mustAuthorize(t, s, scopeUS, "web", "app-servers", acct)
	before := takeSnapshot(t, s)
	for _, pair := range [][2]string{{"web-servers", acct}, {"app-servers", otherAccountID}} {
		_, err := s.RevokeIngress(ctx, scopeUS, "web", pair[0], pair[1])
		e := wantError(t, err, CodeAuthorizationNotFound,
			"EC2 security group "+pair[0]+" (owner "+pair[1]+") is not authorized for web.")
		if e.FieldMessage("ec2_security_group_name") == "" {
			t.Error("no field message for AuthorizationNotFound")
		}
	}
	assertUnchanged(t, s, before)
}

func TestAuthorizationStatusSurvivesReopen(t *testing.T) {
	s, clk, path := openStore(t)
	_, err := s.EnsureAccount(ctx, DefaultAccountID)
	mustNoErr(t, err, "EnsureAccount")
	mustCreate(t, s, scopeUS, "web", "Web")
	mustAuthorize(t, s, scopeUS, "web", "web-servers", acct)
	mustAuthorize(t, s, scopeUS, "web", "bastion", acct)
	clk.Set(t0.Add(30 * time.Second))
	_, err = s.RevokeIngress(ctx, scopeUS, "web", "bastion", acct)
	mustNoErr(t, err, "revoke")
	mustAuthorize(t, s, scopeUS, "web", "app-servers", acct)
	mustNoErr(t, s.Close(), "Close")

	tests := []struct {
		at   time.Time
		want []string
	}{
		{t0.Add(30 * time.Second), []string{"app-servers/123456789012=authorizing", "bastion/123456789012=revoking", "web-servers/123456789012=authorized"}},
		{t0.Add(40*time.Second - time.Millisecond), []string{"app-servers/123456789012=authorizing", "bastion/123456789012=revoking", "web-servers/123456789012=authorized"}},
		{t0.Add(40 * time.Second), []string{"app-servers/123456789012=authorized", "web-servers/123456789012=authorized"}},
	}
	for _, tt := range tests {
		reopened, err := Open(path)
		mustNoErr(t, err, "reopen")
		at := tt.at
		reopened.Now = func() time.Time { return at }
		// A different configured delay does not change entries already stored.
		reopened.PropagationDelay = time.Hour
		g := mustGet(t, reopened, scopeUS, "web")
		wantGrants(t, g, tt.want...)
		p := mustList(t, reopened, scopeUS, ListOptions{Filter: "web"})
		if len(p.Items) != 1 || !equalStrings(grants(p.Items[0]), tt.want) {
			t.Errorf("list after reopen at %v = %+v", at, p.Items)
		}
		mustNoErr(t, reopened.Close(), "close reopened")
	}
}

func TestStatusAt(t *testing.T) {
	at := t0
	active := t0.Add(10 * time.Second)
	revoked := t0.Add(time.Minute)
	gone := revoked.Add(10 * time.Second)
	pending := EC2Authorization{AuthorizedAt: at, ActiveAt: active}
	revokedEntry := EC2Authorization{AuthorizedAt: at, ActiveAt: active, RevokedAt: &revoked, GoneAt: &gone}
	tests := []struct {
		name  string
		a     EC2Authorization
		now   time.Time
		want  AuthorizationStatus
		pends bool
	}{
		{"before active", pending, active.Add(-time.Nanosecond), StatusAuthorizing, true},
		{"at active", pending, active, StatusAuthorized, false},
		{"long after", pending, active.Add(24 * time.Hour), StatusAuthorized, false},
		{"revoking at revocation", revokedEntry, revoked, StatusRevoking, true},
		{"revoking just before gone", revokedEntry, gone.Add(-time.Nanosecond), StatusRevoking, true},
		{"gone at gone", revokedEntry, gone, StatusGone, false},
		{"gone later", revokedEntry, gone.Add(time.Hour), StatusGone, false},
	}
	for _, tt := range tests {
		got := tt.a.StatusAt(tt.now)
		if got != tt.want || got.Pending() != tt.pends {
			t.Errorf("%s: StatusAt = %q (pending %v), want %q (pending %v)", tt.name, got, got.Pending(), tt.want, tt.pends)
		}
	}
	if string(StatusAuthorizing) != "authorizing" || string(StatusAuthorized) != "authorized" || string(StatusRevoking) != "revoking" {
		t.Error("status strings differ from the service's")
	}
}

func TestAuthorizeRefusesTheAccountsVPCSecurityGroups(t *testing.T) {
	s, _ := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	_, err := s.CreateEC2SecurityGroup(ctx, scopeUS, "vpc-web", "", PlatformVPC)
	mustNoErr(t, err, "create VPC group")
	_, err = s.AuthorizeIngress(ctx, scopeUS, "web", "vpc-web", DefaultAccountID)
	e := wantError(t, err, CodeInvalidParameterValue, "")
	if e.FieldMessage("ec2_security_group_name") == "" {
		t.Errorf("the refusal is not tied to the EC2 group name field: %+v", e)
	}
	// Another account's group of the same name is not simulated, so it is taken on trust.
	_, err = s.AuthorizeIngress(ctx, scopeUS, "web", "vpc-web", otherAccountID)
	mustNoErr(t, err, "another account's group")
}

func TestAuthorizableEC2SecurityGroupsAreTheClassicOnes(t *testing.T) {
	s, _ := newStore(t)
	for name, p := range map[string]Platform{"web": PlatformClassic, "app": PlatformClassic, "vpc-web": PlatformVPC} {
		_, err := s.CreateEC2SecurityGroup(ctx, scopeUS, name, "", p)
		mustNoErr(t, err, "create "+name)
	}
	got, err := s.AuthorizableEC2SecurityGroups(ctx, scopeUS)
	mustNoErr(t, err, "AuthorizableEC2SecurityGroups")
	var names []string
	for _, g := range got {
		names = append(names, g.Name)
	}
	if !equalStrings(names, []string{"app", "web"}) {
		t.Fatalf("authorizable = %q, want the EC2-Classic groups by name", names)
	}
}
