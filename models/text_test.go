package models

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// badText is the table of values no input may carry into either engine.
var badText = map[string]string{
	"NUL":            "web\x00tier",
	"invalid UTF-8":  "web\xfftier",
	"lone surrogate": "web\xed\xa0\x80tier", // UTF-16 surrogate half encoded as UTF-8: not valid UTF-8
	"truncated rune": "web\xe2\x82",
}

func TestValidText(t *testing.T) {
	for name, v := range badText {
		if err := ValidText("description", v, 255, true); err == nil || err.Code != CodeInvalidParameterValue || err.FieldMessage("description") == "" {
			t.Errorf("%s: ValidText(%q) = %v, want InvalidParameterValue on description", name, v, err)
		}
	}
	for _, v := range []string{"tab\there", "line\nbreak", "bell\a", "del\x7f", "c1\u0085"} {
		if err := ValidText("name", v, 255, false); err == nil {
			t.Errorf("ValidText(%q) accepted a control character", v)
		}
	}
	if err := ValidText("name", "two\nlines\ttabbed", 255, true); err != nil {
		t.Errorf("line breaks refused where allowed: %v", err)
	}
	if err := ValidText("name", strings.Repeat("é", 255), 255, false); err != nil {
		t.Errorf("255 two-byte characters refused: lengths are in characters, as the columns are: %v", err)
	}
	if err := ValidText("name", strings.Repeat("é", 256), 255, false); err == nil {
		t.Error("256 characters accepted into a 255-character field")
	}
	if err := ValidText("name", "Web tier (prod) 日本", 255, false); err != nil {
		t.Errorf("plain text refused: %v", err)
	}
}

// FuzzValidText: ValidText never panics, and whatever it accepts is valid UTF-8 without NUL or
// control characters, within the length asked for.
func FuzzValidText(f *testing.F) {
	for _, v := range badText {
		f.Add(v, 255, false)
	}
	f.Add("web tier", 8, false)
	f.Add("line\nbreak", 0, true)
	f.Add(strings.Repeat("é", 256), 255, false)
	f.Fuzz(func(t *testing.T, value string, maxLen int, allowNewlines bool) {
		err := ValidText("field", value, maxLen, allowNewlines)
		if err != nil {
			if err.Code != CodeInvalidParameterValue || err.FieldMessage("field") == "" || !utf8.ValidString(err.Message) {
				t.Fatalf("error %+v: want InvalidParameterValue on field, in UTF-8", err)
			}
			return
		}
		switch {
		case !utf8.ValidString(value):
			t.Fatalf("accepted invalid UTF-8 %q", value)
		case strings.ContainsRune(value, 0):
			t.Fatalf("accepted NUL in %q", value)
		case maxLen > 0 && utf8.RuneCountInString(value) > maxLen:
			t.Fatalf("accepted %d characters, limit %d", utf8.RuneCountInString(value), maxLen)
		case !allowNewlines && HasControl(value):
			t.Fatalf("accepted control characters in %q", value)
		}
	})
}

// The EC2 side refuses what cache group descriptions always refused, on both engines alike.
func TestEC2TextRules(t *testing.T) {
	s, _ := newStore(t)
	bad := map[string]string{"line break": "web\ntier", "tab": "web\ttier", "escape": "web\x1btier"}
	for name, v := range badText {
		bad[name] = v
	}
	mustEC2Group(t, s, scopeUS, "web", PlatformClassic)
	before := takeFullSnapshot(t, s)
	for name, v := range bad {
		_, err := s.CreateEC2SecurityGroup(ctx, scopeUS, "app", v, PlatformClassic)
		if e := wantError(t, err, CodeInvalidParameterValue, ""); e.FieldMessage("description") == "" {
			t.Errorf("%s in an EC2 group description: %v, want a description field error", name, err)
		}
		_, err = s.CreateEC2Instance(ctx, scopeUS, NewEC2Instance{Name: v, Platform: PlatformClassic, SecurityGroups: []string{"web"}})
		if e := wantError(t, err, CodeInvalidParameterValue, ""); e.FieldMessage("name") == "" {
			t.Errorf("%s in an instance name: %v, want a name field error", name, err)
		}
	}
	assertNothingWritten(t, s, before)

	g := mustCreate(t, s, scopeUS, "tagged", "Tagged group")
	for name, v := range bad {
		if _, err := s.AddTags(ctx, scopeUS, g.ARN(), []Tag{{Key: "env" + v, Value: "prod"}}); !HasCode(err, CodeInvalidParameterValue) {
			t.Errorf("%s in a tag key: %v", name, err)
		}
		if _, err := s.AddTags(ctx, scopeUS, g.ARN(), []Tag{{Key: "env", Value: v}}); !HasCode(err, CodeInvalidParameterValue) {
			t.Errorf("%s in a tag value: %v", name, err)
		}
	}
	if tags, err := s.ListTags(ctx, scopeUS, g.ARN()); err != nil || len(tags) != 0 {
		t.Errorf("tags after refusals: %v, %v", tags, err)
	}
}

// Callers other than the console and the API (the CLI, the demo) get the same refusals.
func TestModelsRefuseBadBytesThemselves(t *testing.T) {
	s, _ := newStore(t)
	for name, v := range badText {
		if _, err := s.CreateSecurityGroup(ctx, scopeUS, "made", "d"+v); !HasCode(err, CodeInvalidParameterValue) {
			t.Errorf("%s in a description: %v", name, err)
		}
		_, _, err := s.CreateWorkshop(ctx, NewWorkshop{Name: "class", Trainees: 1, Prefix: "t", ConsoleURL: "http://127.0.0.1:8080/" + v})
		if e, ok := AsError(err); !ok || e.FieldMessage("console_url") == "" {
			t.Errorf("%s in a console URL: %v", name, err)
		}
	}
}

// 60 VPC security group IDs overflowed the 1,024-character column on PostgreSQL (500) while SQLite
// stored them; now both refuse more than AWS allows, and store the maximum.
func TestVPCSecurityGroupLimit(t *testing.T) {
	s, _ := newStore(t)
	ids := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("sg-%017x", i+1)
		}
		return out
	}
	n := vpcCluster(t, s, scopeUS, "many")
	n.VPCSecurityGroupIDs = ids(60)
	_, err := s.CreateCluster(ctx, scopeUS, n)
	if e := wantError(t, err, CodeInvalidParameterValue, ""); e.FieldMessage("vpc_security_group_ids") != "A cluster can have at most 16 VPC security groups." {
		t.Errorf("fields %+v", e.Fields)
	}
	net := ensureTestNet(t, s, scopeUS)
	n.VPCSecurityGroupIDs = nil
	for i := range MaxVPCSecurityGroups {
		g, err := s.CreateVPCSecurityGroup(ctx, scopeUS, net.VPC.VpcID, fmt.Sprintf("group-%d", i), "one of many")
		mustNoErr(t, err, "CreateVPCSecurityGroup")
		n.VPCSecurityGroupIDs = append(n.VPCSecurityGroupIDs, g.GroupID)
	}
	c := mustCluster(t, s, scopeUS, n)
	if len(c.VPCSecurityGroupIDs) != MaxVPCSecurityGroups {
		t.Errorf("stored %d IDs, want %d", len(c.VPCSecurityGroupIDs), MaxVPCSecurityGroups)
	}
}

// A Modify with five 255-character group names wrote an event message longer than its column
// (500 on PostgreSQL); the change is valid, so it is stored and its message shortened.
func TestModifyWithLongGroupNames(t *testing.T) {
	s, clk := newStore(t)
	mustCluster(t, s, scopeUS, classicCluster("long"))
	clk.Advance(time.Minute)
	var names []string
	for i := 0; i < 5; i++ {
		name := fmt.Sprintf("g%d-", i) + strings.Repeat("x", MaxNameLength-3)
		mustCreate(t, s, scopeUS, name, "long name")
		names = append(names, name)
	}
	c := mustModify(t, s, scopeUS, "long", names...)
	if len(c.CacheSecurityGroups) != 6 { // the five, and default on its way out
		t.Errorf("memberships %v", memberships(c))
	}
	events := eventsOf(t, s, scopeUS)
	last := events[len(events)-1].Message
	if n := utf8.RuneCountInString(last); n != MaxEventMessageLength || !strings.HasSuffix(last, "…") {
		t.Errorf("event message of %d characters, want %d ending in …: %q", n, MaxEventMessageLength, last)
	}
}

// SQLite refuses LIKE patterns over 50,000 bytes (a 500); a filter is capped well below on both engines.
func TestFilterLength(t *testing.T) {
	s, _ := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web tier")
	for _, f := range []string{strings.Repeat("w", MaxFilterLength+1), strings.Repeat("%", 50001), "web\x00"} {
		_, err := s.ListSecurityGroups(ctx, scopeUS, ListOptions{Filter: f})
		if e := wantError(t, err, CodeInvalidParameterValue, ""); e.FieldMessage("filter") == "" {
			t.Errorf("filter of %d bytes: %v", len(f), err)
		}
		_, err = s.ListClusters(ctx, scopeUS, ClusterListOptions{Filter: f})
		wantError(t, err, CodeInvalidParameterValue, "")
	}
	page := mustList(t, s, scopeUS, ListOptions{Filter: strings.Repeat("é", MaxFilterLength)})
	if page.Total != 0 {
		t.Errorf("a %d-character filter matched %d groups", MaxFilterLength, page.Total)
	}
}
