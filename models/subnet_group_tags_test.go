package models

import (
	"testing"
)

// Subnet group tags on both databases: given at create, changed by ARN, at most MaxTagsPerResource,
// and gone with the group (a new group of the same name starts bare).
func TestSubnetGroupTags(t *testing.T) {
	s, _ := newStore(t)
	_, subnets := vpcWithSubnets(t, s, scopeUS, "10.30.0.0/16", 1)
	create := func() SubnetGroup {
		t.Helper()
		g, err := s.CreateSubnetGroup(ctx, scopeUS, NewSubnetGroup{Name: "Tagged", Description: "d", SubnetIDs: subnets,
			Tags: []Tag{{Key: "team", Value: "cache"}}})
		mustNoErr(t, err, "create")
		return g
	}
	arn := create().ARN()
	tags, err := s.ListTags(ctx, scopeUS, arn)
	mustNoErr(t, err, "list")
	if len(tags) != 1 || tags[0] != (Tag{Key: "team", Value: "cache"}) {
		t.Fatalf("tags at create: %+v", tags)
	}
	many := make([]Tag, MaxTagsPerResource)
	for i := range many {
		many[i] = Tag{Key: "k" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Value: "v"}
	}
	_, err = s.AddTags(ctx, scopeUS, arn, many)
	wantError(t, err, CodeTagQuotaExceeded, "")
	if tags, _ := s.ListTags(ctx, scopeUS, arn); len(tags) != 1 {
		t.Fatalf("a refused add changed the tags: %+v", tags)
	}
	tags, err = s.RemoveTags(ctx, scopeUS, arn, []string{"team"})
	mustNoErr(t, err, "remove")
	if len(tags) != 0 {
		t.Fatalf("after remove: %+v", tags)
	}
	_, err = s.AddTags(ctx, scopeUS, arn, []Tag{{Key: "stage", Value: "prod"}})
	mustNoErr(t, err, "add")
	mustNoErr(t, s.DeleteSubnetGroup(ctx, scopeUS, "tagged"), "delete")
	if n := countRows(t, s, &SubnetGroupTag{}, "1 = 1"); n != 0 {
		t.Fatalf("%d tags left after the group was deleted", n)
	}
	_, err = s.ListTags(ctx, scopeUS, arn)
	wantError(t, err, CodeSubnetGroupNotFound, "")
	create()
	if tags, _ := s.ListTags(ctx, scopeUS, arn); len(tags) != 1 || tags[0].Key != "team" {
		t.Fatalf("the new group's tags: %+v", tags)
	}
}
