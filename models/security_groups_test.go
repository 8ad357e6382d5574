package models

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

const (
	msgNameRequired  = "Enter a name for the security group."
	msgNameTooLong   = "The name must be at most 255 characters long."
	msgNameCharset   = "The name can contain only letters (A-Z, a-z), digits (0-9) and hyphens (-)."
	msgNameReserved  = `The name "default" is reserved. Choose another name.`
	msgDescRequired  = "Enter a description."
	msgDescTooLong   = "The description must be at most 255 characters long."
	msgDescControl   = "The description cannot contain control characters such as line breaks or tabs."
	msgQuota         = "This region already has 50 cache security groups, the most allowed. Delete one before creating another."
	msgDeleteDefault = "You cannot delete the default security group."
)

func TestCreateSecurityGroupValidation(t *testing.T) {
	tests := []struct {
		name, groupName, description string
		wantCode                     string
		wantFields                   []FieldError
	}{
		{"name missing", "", "desc", CodeMissingParameter, []FieldError{{"name", msgNameRequired}}},
		{"name 256 chars", strings.Repeat("a", 256), "desc", CodeInvalidParameterValue, []FieldError{{"name", msgNameTooLong}}},
		{"name underscore", "web_cache", "desc", CodeInvalidParameterValue, []FieldError{{"name", msgNameCharset}}},
		{"name space", "web cache", "desc", CodeInvalidParameterValue, []FieldError{{"name", msgNameCharset}}},
		{"name dot", "web.cache", "desc", CodeInvalidParameterValue, []FieldError{{"name", msgNameCharset}}},
		{"name leading space", " web", "desc", CodeInvalidParameterValue, []FieldError{{"name", msgNameCharset}}},
		{"name trailing newline", "web\n", "desc", CodeInvalidParameterValue, []FieldError{{"name", msgNameCharset}}},
		{"name non-ASCII letter", "caché", "desc", CodeInvalidParameterValue, []FieldError{{"name", msgNameCharset}}},
		{"name slash", "web/cache", "desc", CodeInvalidParameterValue, []FieldError{{"name", msgNameCharset}}},
		{"name default", "default", "desc", CodeInvalidParameterValue, []FieldError{{"name", msgNameReserved}}},
		{"name Default", "Default", "desc", CodeInvalidParameterValue, []FieldError{{"name", msgNameReserved}}},
		{"name DEFAULT", "DEFAULT", "desc", CodeInvalidParameterValue, []FieldError{{"name", msgNameReserved}}},
		{"description missing", "web", "", CodeMissingParameter, []FieldError{{"description", msgDescRequired}}},
		{"description 256 chars", "web", strings.Repeat("d", 256), CodeInvalidParameterValue, []FieldError{{"description", msgDescTooLong}}},
		{"description 256 runes", "web", strings.Repeat("é", 256), CodeInvalidParameterValue, []FieldError{{"description", msgDescTooLong}}},
		{"description newline", "web", "line one\nline two", CodeInvalidParameterValue, []FieldError{{"description", msgDescControl}}},
		{"description tab", "web", "a\tb", CodeInvalidParameterValue, []FieldError{{"description", msgDescControl}}},
		{"description NUL", "web", "a\x00b", CodeInvalidParameterValue, []FieldError{{"description", msgDescControl}}},
		{"description DEL", "web", "a\x7fb", CodeInvalidParameterValue, []FieldError{{"description", msgDescControl}}},
		{"description C1 control", "web", "a\u0085b", CodeInvalidParameterValue, []FieldError{{"description", msgDescControl}}},
		{"both missing", "", "", CodeMissingParameter, []FieldError{{"name", msgNameRequired}, {"description", msgDescRequired}}},
		{"bad name, missing description", "web_cache", "", CodeInvalidParameterValue, []FieldError{{"name", msgNameCharset}, {"description", msgDescRequired}}},
		{"missing name, bad description", "", "a\nb", CodeMissingParameter, []FieldError{{"name", msgNameRequired}, {"description", msgDescControl}}},
		{"reserved name, long description", "Default", strings.Repeat("d", 300), CodeInvalidParameterValue, []FieldError{{"name", msgNameReserved}, {"description", msgDescTooLong}}},
	}
	s, _ := newStore(t)
	before := takeSnapshot(t, s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The pure validator and the store agree.
			stored, verr := ValidateSecurityGroupInput(tt.groupName, tt.description)
			if stored != "" {
				t.Errorf("validator returned name %q on failure", stored)
			}
			g, err := s.CreateSecurityGroup(ctx, scopeUS, tt.groupName, tt.description)
			for _, err := range []error{verr, err} {
				e := wantError(t, err, tt.wantCode, tt.wantFields[0].Message)
				if !reflect.DeepEqual(e.Fields, tt.wantFields) {
					t.Errorf("fields = %+v, want %+v", e.Fields, tt.wantFields)
				}
				for _, f := range tt.wantFields {
					if got := e.FieldMessage(f.Field); got != f.Message {
						t.Errorf("FieldMessage(%q) = %q, want %q", f.Field, got, f.Message)
					}
				}
				if e.Error() != e.Message {
					t.Errorf("Error() = %q, want the message", e.Error())
				}
			}
			if g.Name != "" {
				t.Errorf("failed create returned group %+v", g)
			}
			assertUnchanged(t, s, before)
		})
	}
}

func TestCreateSecurityGroupStoresLowerCase(t *testing.T) {
	s, _ := newStore(t)
	long := strings.Repeat("A", 255)
	longDesc := strings.Repeat("d", 255)
	runeDesc := strings.Repeat("é", 255)
	tests := []struct {
		name, description, wantName string
	}{
		{"Web-Cache", "Session cache for <b>web</b> & friends", "web-cache"},
		{"ABC123", "digits and letters", "abc123"},
		{"-", "just a hyphen", "-"},
		{"default-2", "starts like default", "default-2"},
		{"mydefault", "contains default", "mydefault"},
		{long, longDesc, strings.ToLower(long)},
		{"unicode-desc", runeDesc, "unicode-desc"},
		{"spaces", "  padded description  ", "spaces"},
	}
	for _, tt := range tests {
		g := mustCreate(t, s, scopeUS, tt.name, tt.description)
		if g.Name != tt.wantName || g.Description != tt.description {
			t.Errorf("Create(%q) = name %q description %q", tt.name, g.Name, g.Description)
		}
		if g.OwnerID != DefaultAccountID || g.Region != "us-east-1" || !g.CreatedAt.Equal(t0) {
			t.Errorf("Create(%q): owner %q region %q created %v", tt.name, g.OwnerID, g.Region, g.CreatedAt)
		}
		if g.EC2SecurityGroups == nil || len(g.EC2SecurityGroups) != 0 {
			t.Errorf("Create(%q): EC2SecurityGroups = %#v, want empty non-nil", tt.name, g.EC2SecurityGroups)
		}
		if want := "arn:aws:elasticache:us-east-1:123456789012:securitygroup:" + tt.wantName; g.ARN() != want {
			t.Errorf("ARN = %q, want %q", g.ARN(), want)
		}
		if g.IsDefault() || g.Pending() {
			t.Errorf("Create(%q): IsDefault %v Pending %v", tt.name, g.IsDefault(), g.Pending())
		}
		// Stored lower-case, found in any case.
		if n := countRows(t, s, &CacheSecurityGroup{}, "name = ?", tt.wantName); n != 1 {
			t.Errorf("rows named %q = %d, want 1", tt.wantName, n)
		}
		for _, lookup := range []string{tt.name, strings.ToUpper(tt.name), tt.wantName} {
			got := mustGet(t, s, scopeUS, lookup)
			if got.Name != tt.wantName || got.Description != tt.description {
				t.Errorf("Get(%q) = %q/%q", lookup, got.Name, got.Description)
			}
		}
	}
}

func TestCreateSecurityGroupDuplicate(t *testing.T) {
	s, _ := newStore(t)
	mustCreate(t, s, scopeUS, "cache", "first")
	before := takeSnapshot(t, s)
	for _, name := range []string{"cache", "CACHE", "Cache"} {
		_, err := s.CreateSecurityGroup(ctx, scopeUS, name, "second")
		e := wantError(t, err, CodeCacheSecurityGroupAlreadyExist, "A cache security group named cache already exists.")
		if e.FieldMessage("name") != e.Message {
			t.Errorf("duplicate %q: field name message = %q", name, e.FieldMessage("name"))
		}
		if e.Code != "CacheSecurityGroupAlreadyExists" {
			t.Errorf("code constant = %q", e.Code)
		}
		assertUnchanged(t, s, before)
	}
	if g := mustGet(t, s, scopeUS, "cache"); g.Description != "first" {
		t.Errorf("description overwritten: %q", g.Description)
	}
	// The same name is free in another region and another account.
	mustCreate(t, s, scopeUSW, "cache", "west")
	_, err := s.EnsureAccount(ctx, otherAccountID)
	mustNoErr(t, err, "EnsureAccount other")
	mustCreate(t, s, Scope{AccountID: otherAccountID, Region: "us-east-1"}, "cache", "other tenant")
}

func TestCreateSecurityGroupQuota(t *testing.T) {
	s, _ := newStore(t)
	if MaxSecurityGroupsPerRegion != 50 {
		t.Fatalf("MaxSecurityGroupsPerRegion = %d, want 50", MaxSecurityGroupsPerRegion)
	}
	// default counts: 49 more groups reach the quota of 50, the 50th creation in total succeeds.
	for i := 1; i <= 49; i++ {
		mustCreate(t, s, scopeUS, fmt.Sprintf("group-%02d", i), "quota filler")
	}
	if n := countRows(t, s, &CacheSecurityGroup{}, "account_id = ? AND region = ?", DefaultAccountID, "us-east-1"); n != 50 {
		t.Fatalf("groups = %d, want 50", n)
	}
	before := takeSnapshot(t, s)
	for _, name := range []string{"group-51", "another"} {
		_, err := s.CreateSecurityGroup(ctx, scopeUS, name, "one too many")
		e := wantError(t, err, CodeSecurityGroupQuotaExceeded, msgQuota)
		if e.Code != "QuotaExceeded.CacheSecurityGroup" {
			t.Errorf("code = %q", e.Code)
		}
		assertUnchanged(t, s, before)
	}
	// Validation and duplicates are still reported as such at the quota.
	_, err := s.CreateSecurityGroup(ctx, scopeUS, "group-01", "dup")
	wantError(t, err, CodeCacheSecurityGroupAlreadyExist, "")
	_, err = s.CreateSecurityGroup(ctx, scopeUS, "bad_name", "x")
	wantError(t, err, CodeInvalidParameterValue, msgNameCharset)

	// Other regions and accounts have their own quota.
	mustCreate(t, s, scopeUSW, "group-51", "other region")
	_, err = s.EnsureAccount(ctx, otherAccountID)
	mustNoErr(t, err, "EnsureAccount other")
	mustCreate(t, s, Scope{AccountID: otherAccountID, Region: "us-east-1"}, "group-51", "other account")

	// Deleting one frees a slot.
	mustNoErr(t, s.DeleteSecurityGroup(ctx, scopeUS, "group-07"), "delete")
	mustCreate(t, s, scopeUS, "group-51", "fits again")
	_, err = s.CreateSecurityGroup(ctx, scopeUS, "group-52", "over again")
	wantError(t, err, CodeSecurityGroupQuotaExceeded, msgQuota)
}

func TestTenantIsolation(t *testing.T) {
	s, _ := newStore(t)
	_, err := s.EnsureAccount(ctx, otherAccountID)
	mustNoErr(t, err, "EnsureAccount other")
	scopeB := Scope{AccountID: otherAccountID, Region: "us-east-1"}

	mustCreate(t, s, scopeUS, "alpha", "account A, us-east-1")
	mustAuthorize(t, s, scopeUS, "alpha", "web-servers", DefaultAccountID)

	for _, other := range []Scope{scopeB, scopeUSW, {AccountID: DefaultAccountID, Region: "eu-west-1"}, {AccountID: otherAccountID, Region: "us-west-2"}} {
		t.Run(other.AccountID+"/"+other.Region, func(t *testing.T) {
			before := takeSnapshot(t, s)
			_, err := s.GetSecurityGroup(ctx, other, "alpha")
			wantError(t, err, CodeCacheSecurityGroupNotFound, "Cache security group alpha not found.")
			_, err = s.GetSecurityGroup(ctx, other, "ALPHA")
			wantError(t, err, CodeCacheSecurityGroupNotFound, "Cache security group alpha not found.")
			wantError(t, s.DeleteSecurityGroup(ctx, other, "alpha"), CodeCacheSecurityGroupNotFound, "")
			_, err = s.AuthorizeIngress(ctx, other, "alpha", "bastion", DefaultAccountID)
			wantError(t, err, CodeCacheSecurityGroupNotFound, "")
			_, err = s.RevokeIngress(ctx, other, "alpha", "web-servers", DefaultAccountID)
			wantError(t, err, CodeCacheSecurityGroupNotFound, "")
			assertUnchanged(t, s, before)

			page := mustList(t, s, other, ListOptions{})
			if got := listNames(page); !equalStrings(got, []string{"default"}) || page.Total != 1 {
				t.Errorf("list = %q (total %d), want only default", got, page.Total)
			}
			for _, g := range page.Items {
				if g.OwnerID != other.AccountID || g.Region != other.Region {
					t.Errorf("listed %s/%s/%s in scope %+v", g.OwnerID, g.Region, g.Name, other)
				}
				wantGrants(t, g)
			}
			if p := mustList(t, s, other, ListOptions{Filter: "alpha"}); p.Total != 0 || len(p.Items) != 0 {
				t.Errorf("filtered list in other scope = %q", listNames(p))
			}
		})
	}

	// The default group of each tenant is its own row.
	mustAuthorize(t, s, scopeB, "default", "b-group", otherAccountID)
	wantGrants(t, mustGet(t, s, scopeUS, "default"))
	wantGrants(t, mustGet(t, s, scopeB, "default"), "b-group/210987654321=authorizing")

	// Account A still sees its group intact.
	g := mustGet(t, s, scopeUS, "alpha")
	wantGrants(t, g, "web-servers/123456789012=authorizing")
	if got := listNames(mustList(t, s, scopeUS, ListOptions{})); !equalStrings(got, []string{"alpha", "default"}) {
		t.Errorf("account A list = %q", got)
	}
}

func TestUnknownAccountOrRegionIsNotFound(t *testing.T) {
	s, _ := newStore(t)
	for _, scope := range []Scope{{AccountID: "999999999999", Region: "us-east-1"}, {AccountID: DefaultAccountID, Region: "mars-north-1"}} {
		if _, err := s.GetSecurityGroup(ctx, scope, "default"); !isNotFound(err) {
			t.Errorf("Get in %+v = %v, want ErrNotFound", scope, err)
		}
		if _, err := s.ListSecurityGroups(ctx, scope, ListOptions{}); !isNotFound(err) {
			t.Errorf("List in %+v = %v, want ErrNotFound", scope, err)
		}
		if _, err := s.CreateSecurityGroup(ctx, scope, "x", "y"); !isNotFound(err) {
			t.Errorf("Create in %+v = %v, want ErrNotFound", scope, err)
		}
	}
	if n := countRows(t, s, &CacheSecurityGroup{}, "name = ?", "x"); n != 0 {
		t.Errorf("group created in an unknown scope")
	}
}

func TestDeleteSecurityGroup(t *testing.T) {
	s, _ := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	mustCreate(t, s, scopeUS, "keep", "Keep")
	for _, ec2 := range []string{"web-servers", "bastion", "app-servers"} {
		mustAuthorize(t, s, scopeUS, "web", ec2, DefaultAccountID)
	}
	mustAuthorize(t, s, scopeUS, "keep", "web-servers", DefaultAccountID)
	_, err := s.RevokeIngress(ctx, scopeUS, "web", "bastion", DefaultAccountID)
	mustNoErr(t, err, "revoke")
	web := groupByName(t, s, scopeUS, "web")
	keep := groupByName(t, s, scopeUS, "keep")

	t.Run("default refused", func(t *testing.T) {
		before := takeSnapshot(t, s)
		for _, name := range []string{"default", "Default", "DEFAULT"} {
			wantError(t, s.DeleteSecurityGroup(ctx, scopeUS, name), CodeInvalidParameterValue, msgDeleteDefault)
		}
		assertUnchanged(t, s, before)
	})
	t.Run("unknown", func(t *testing.T) {
		before := takeSnapshot(t, s)
		wantError(t, s.DeleteSecurityGroup(ctx, scopeUS, "Nope"), CodeCacheSecurityGroupNotFound, "Cache security group nope not found.")
		wantError(t, s.DeleteSecurityGroup(ctx, scopeUS, ""), CodeCacheSecurityGroupNotFound, "")
		assertUnchanged(t, s, before)
	})
	t.Run("deletes group and its authorizations", func(t *testing.T) {
		if n := countRows(t, s, &EC2Authorization{}, "group_id = ?", web.ID); n != 3 {
			t.Fatalf("authorizations of web before delete = %d, want 3", n)
		}
		mustNoErr(t, s.DeleteSecurityGroup(ctx, scopeUS, "WEB"), "delete WEB")
		if n := countRows(t, s, &CacheSecurityGroup{}, "id = ?", web.ID); n != 0 {
			t.Errorf("web row still stored")
		}
		if n := countRows(t, s, &EC2Authorization{}, "group_id = ?", web.ID); n != 0 {
			t.Errorf("authorizations of deleted group = %d, want 0", n)
		}
		if n := countRows(t, s, &EC2Authorization{}, "group_id = ?", keep.ID); n != 1 {
			t.Errorf("authorizations of other group = %d, want 1", n)
		}
		_, err := s.GetSecurityGroup(ctx, scopeUS, "web")
		wantError(t, err, CodeCacheSecurityGroupNotFound, "Cache security group web not found.")
		wantError(t, s.DeleteSecurityGroup(ctx, scopeUS, "web"), CodeCacheSecurityGroupNotFound, "")
		if got := listNames(mustList(t, s, scopeUS, ListOptions{})); !equalStrings(got, []string{"default", "keep"}) {
			t.Errorf("list after delete = %q", got)
		}
	})
	t.Run("recreated group starts empty", func(t *testing.T) {
		g := mustCreate(t, s, scopeUS, "web", "Web again")
		wantGrants(t, g)
		wantGrants(t, mustGet(t, s, scopeUS, "web"))
	})
}

// groupByName reads a stored group row directly.
func groupByName(t *testing.T, s *Store, scope Scope, name string) CacheSecurityGroup {
	t.Helper()
	var row CacheSecurityGroup
	if err := s.db.Where("account_id = ? AND region = ? AND name = ?", scope.AccountID, scope.Region, name).Take(&row).Error; err != nil {
		t.Fatalf("group row %s: %v", name, err)
	}
	return row
}

func TestSecurityGroupARN(t *testing.T) {
	if got := SecurityGroupARN(Scope{AccountID: "111122223333", Region: "eu-west-1"}, "web"); got != "arn:aws:elasticache:eu-west-1:111122223333:securitygroup:web" {
		t.Errorf("ARN = %q", got)
	}
}
