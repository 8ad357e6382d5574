package models

import (
	"fmt"
	"testing"
)

func TestTagsOnCacheSecurityGroups(t *testing.T) {
	s, _ := newStore(t)
	_, err := s.CreateSecurityGroup(ctx, scopeUS, "web", "Web cache", Tag{Key: "team", Value: "web"})
	mustNoErr(t, err, "create with a tag")
	arn := SecurityGroupARN(scopeUS, "web")
	tags, err := s.ListTags(ctx, scopeUS, arn)
	mustNoErr(t, err, "ListTags")
	if len(tags) != 1 || tags[0].Key != "team" || tags[0].Value != "web" {
		t.Fatalf("tags = %+v", tags)
	}
	tags, err = s.AddTags(ctx, scopeUS, arn, []Tag{{Key: "team", Value: "platform"}, {Key: "env", Value: "prod"}})
	mustNoErr(t, err, "AddTags")
	if got := fmt.Sprint(tags); got != "[{0 0 env prod} {0 0 team platform}]" && len(tags) != 2 {
		t.Fatalf("tags after add = %v", got)
	}
	if tags[0].Key != "env" || tags[1].Value != "platform" {
		t.Fatalf("tags after add = %+v", tags)
	}
	tags, err = s.RemoveTags(ctx, scopeUS, arn, []string{"env", "missing"})
	mustNoErr(t, err, "RemoveTags")
	if len(tags) != 1 || tags[0].Key != "team" {
		t.Fatalf("tags after remove = %+v", tags)
	}

	t.Run("at most 50", func(t *testing.T) {
		var many []Tag
		for i := 0; i < 49; i++ {
			many = append(many, Tag{Key: fmt.Sprintf("k%02d", i), Value: "v"})
		}
		_, err := s.AddTags(ctx, scopeUS, arn, many)
		mustNoErr(t, err, "49 more tags (50 in all)")
		_, err = s.AddTags(ctx, scopeUS, arn, []Tag{{Key: "one-too-many"}})
		wantError(t, err, CodeTagQuotaExceeded, "")
		_, err = s.AddTags(ctx, scopeUS, arn, []Tag{{Key: "team", Value: "overwrite is fine"}})
		mustNoErr(t, err, "overwriting at the limit")
	})
	t.Run("default takes none", func(t *testing.T) {
		_, err := s.AddTags(ctx, scopeUS, SecurityGroupARN(scopeUS, "default"), []Tag{{Key: "a"}})
		wantError(t, err, CodeInvalidParameterValue, "Tags can't be added to or removed from the default security group.")
	})
	t.Run("bad ARNs", func(t *testing.T) {
		for _, bad := range []string{"web", "arn:aws:elasticache:us-west-2:123456789012:securitygroup:web"} {
			_, err := s.ListTags(ctx, scopeUS, bad)
			wantError(t, err, CodeInvalidARN, "")
		}
		// Another account's group (existing there or not) is as unknown as a group that never existed.
		_, err := s.EnsureAccount(ctx, otherAccountID)
		mustNoErr(t, err, "the other account")
		_, err = s.CreateSecurityGroup(ctx, Scope{AccountID: otherAccountID, Region: "us-east-1"}, "theirs", "d")
		mustNoErr(t, err, "create the other account's group")
		for _, name := range []string{"nope", "theirs"} {
			_, err := s.ListTags(ctx, scopeUS, SecurityGroupARN(Scope{AccountID: otherAccountID, Region: "us-east-1"}, name))
			wantError(t, err, CodeCacheSecurityGroupNotFound, "Cache security group "+name+" not found.")
		}
		_, err = s.ListTags(ctx, scopeUS, SecurityGroupARN(scopeUS, "nope"))
		wantError(t, err, CodeCacheSecurityGroupNotFound, "")
	})
	t.Run("bad tags", func(t *testing.T) {
		for _, tags := range [][]Tag{{{Key: ""}}, {{Key: "aws:owner"}}, {{Key: "a"}, {Key: "a"}}} {
			_, err := s.AddTags(ctx, scopeUS, arn, tags)
			wantError(t, err, CodeInvalidParameterValue, "")
		}
	})
	t.Run("deleted with the group", func(t *testing.T) {
		mustNoErr(t, s.DeleteSecurityGroup(ctx, scopeUS, "web"), "delete")
		if n := countRows(t, s, &Tag{}, ""); n != 0 {
			t.Fatalf("%d tags left behind", n)
		}
	})
}

func TestDescribeSecurityGroupsPagesByMarker(t *testing.T) {
	s, _ := newStore(t)
	for i := 1; i <= 24; i++ {
		mustCreate(t, s, scopeUS, fmt.Sprintf("g%02d", i), "group")
	}
	page1, next, err := s.DescribeSecurityGroups(ctx, scopeUS, "", "", 20)
	mustNoErr(t, err, "page 1")
	if len(page1) != 20 || next != page1[19].Name || page1[0].Name != "default" {
		t.Fatalf("page 1: %d items, next %q, first %q", len(page1), next, page1[0].Name)
	}
	// Changes between pages: a group before the marker goes, one after it arrives.
	mustNoErr(t, s.DeleteSecurityGroup(ctx, scopeUS, "g01"), "delete g01")
	mustCreate(t, s, scopeUS, "zz-new", "arrives later")
	page2, next, err := s.DescribeSecurityGroups(ctx, scopeUS, "", next, 20)
	mustNoErr(t, err, "page 2")
	var names []string
	for _, g := range page2 {
		names = append(names, g.Name)
	}
	if fmt.Sprint(names) != "[g20 g21 g22 g23 g24 zz-new]" || next != "" {
		t.Fatalf("page 2 = %v, next %q", names, next)
	}
}
