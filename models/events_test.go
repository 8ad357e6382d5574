package models

import (
	"reflect"
	"testing"
	"time"
)

var (
	alice       = Scope{AccountID: DefaultAccountID, Region: "us-east-1", Actor: "alice"}
	bob         = Scope{AccountID: DefaultAccountID, Region: "us-east-1", Actor: "bob"}
	ownerSuffix = " (owner " + DefaultAccountID + ")"
)

func TestEventsRecordedForEachChange(t *testing.T) {
	s, clk := newStore(t)
	ensureTestNet(t, s, scopeUS) // the network bob's VPC cluster runs in
	n := len(eventsOf(t, s, scopeUS))
	at := func(want time.Time) {
		t.Helper()
		all := eventsOf(t, s, scopeUS)
		if !all[len(all)-1].Date.Equal(want) {
			t.Fatalf("event date = %v, want %v", all[len(all)-1].Date, want)
		}
	}

	mustCreate(t, s, alice, "web", "Web")
	n = wantNewEvents(t, s, scopeUS, n, "cache-security-group/web: Created cache security group web (alice)")
	at(t0)

	clk.Advance(time.Minute)
	mustAuthorize(t, s, bob, "WEB", "web-servers", DefaultAccountID)
	n = wantNewEvents(t, s, scopeUS, n, "cache-security-group/web: Authorized EC2 security group web-servers"+ownerSuffix+" (bob)")
	at(t0.Add(time.Minute))

	clk.Advance(delay)
	_, err := s.RevokeIngress(ctx, alice, "web", "web-servers", DefaultAccountID)
	mustNoErr(t, err, "RevokeIngress")
	n = wantNewEvents(t, s, scopeUS, n, "cache-security-group/web: Revoked EC2 security group web-servers"+ownerSuffix+" (alice)")

	mustCluster(t, s, alice, classicCluster("Sessions", "web"))
	n = wantNewEvents(t, s, scopeUS, n, "cache-cluster/sessions: Cache cluster created (alice)")
	mustCluster(t, s, bob, vpcCluster(t, s, bob, "orders"))
	n = wantNewEvents(t, s, scopeUS, n, "cache-cluster/orders: Cache cluster created (bob)")

	clk.Advance(delay)
	mustCreate(t, s, alice, "app", "App")
	n = wantNewEvents(t, s, scopeUS, n, "cache-security-group/app: Created cache security group app (alice)")
	_, err = s.ModifyClusterSecurityGroups(ctx, bob, "sessions", []string{"app", "default"})
	mustNoErr(t, err, "Modify")
	n = wantNewEvents(t, s, scopeUS, n, "cache-cluster/sessions: Applied change to security group: removed web, added app, added default (bob)")
	at(clk.now)

	clk.Advance(delay)
	_, err = s.DeleteCluster(ctx, alice, "sessions")
	mustNoErr(t, err, "DeleteCluster")
	n = wantNewEvents(t, s, scopeUS, n, "cache-cluster/sessions: Cache cluster deleted (alice)")

	mustNoErr(t, s.DeleteSecurityGroup(ctx, bob, "web"), "DeleteSecurityGroup")
	n = wantNewEvents(t, s, scopeUS, n, "cache-security-group/web: Deleted cache security group web (bob)")

	// A change made without an actor (the system) records an empty actor.
	mustCreate(t, s, scopeUS, "system", "System")
	wantNewEvents(t, s, scopeUS, n, "cache-security-group/system: Created cache security group system ()")

	// Nothing went to other regions.
	if got := eventsOf(t, s, scopeUSW); len(got) != 0 {
		t.Errorf("us-west-2 events = %q", eventLines(got))
	}
}

func TestIngressEventsReachClustersUsingTheGroup(t *testing.T) {
	s, clk := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	mustCluster(t, s, scopeUS, classicCluster("zeta", "web"))
	mustCluster(t, s, scopeUS, classicCluster("alpha", "web", "default"))
	mustCluster(t, s, scopeUS, classicCluster("leaving", "web"))
	mustCluster(t, s, scopeUS, classicCluster("gone", "web"))
	mustCluster(t, s, scopeUS, classicCluster("unrelated"))
	mustCluster(t, s, scopeUS, vpcCluster(t, s, scopeUS, "orders"))
	clk.Advance(delay)
	mustModify(t, s, scopeUS, "leaving", "default") // still using web until the change applies
	_, err := s.DeleteCluster(ctx, scopeUS, "gone")
	mustNoErr(t, err, "DeleteCluster")
	clk.Advance(delay)
	// Now: zeta and alpha use web; leaving dropped it; gone is gone.
	mustModify(t, s, scopeUS, "zeta", "web", "default") // zeta keeps web (active) while adding default
	n := len(eventsOf(t, s, scopeUS))

	mustAuthorize(t, s, alice, "web", "web-servers", DefaultAccountID)
	n = wantNewEvents(t, s, scopeUS, n,
		"cache-security-group/web: Authorized EC2 security group web-servers"+ownerSuffix+" (alice)",
		"cache-cluster/alpha: Applied change to security group web: authorized EC2 security group web-servers"+ownerSuffix+" (alice)",
		"cache-cluster/zeta: Applied change to security group web: authorized EC2 security group web-servers"+ownerSuffix+" (alice)",
	)
	all := eventsOf(t, s, scopeUS)
	for _, e := range all[len(all)-3:] {
		if !e.Date.Equal(clk.now) {
			t.Errorf("event %q at %v, want %v (one change, one time)", eventLine(e), e.Date, clk.now)
		}
	}

	clk.Advance(delay)
	_, err = s.RevokeIngress(ctx, bob, "web", "web-servers", DefaultAccountID)
	mustNoErr(t, err, "RevokeIngress")
	wantNewEvents(t, s, scopeUS, n,
		"cache-security-group/web: Revoked EC2 security group web-servers"+ownerSuffix+" (bob)",
		"cache-cluster/alpha: Applied change to security group web: revoked EC2 security group web-servers"+ownerSuffix+" (bob)",
		"cache-cluster/zeta: Applied change to security group web: revoked EC2 security group web-servers"+ownerSuffix+" (bob)",
	)

	// A group used by a deleting cluster still reaches it.
	_, err = s.DeleteCluster(ctx, scopeUS, "alpha")
	mustNoErr(t, err, "DeleteCluster")
	n = len(eventsOf(t, s, scopeUS))
	mustAuthorize(t, s, alice, "default", "default", DefaultAccountID)
	wantNewEvents(t, s, scopeUS, n,
		"cache-security-group/default: Authorized EC2 security group default"+ownerSuffix+" (alice)",
		"cache-cluster/alpha: Applied change to security group default: authorized EC2 security group default"+ownerSuffix+" (alice)",
		"cache-cluster/leaving: Applied change to security group default: authorized EC2 security group default"+ownerSuffix+" (alice)",
		"cache-cluster/unrelated: Applied change to security group default: authorized EC2 security group default"+ownerSuffix+" (alice)",
		"cache-cluster/zeta: Applied change to security group default: authorized EC2 security group default"+ownerSuffix+" (alice)",
	)
}

func TestFailedChangesRecordNoEvent(t *testing.T) {
	s, clk := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	mustAuthorize(t, s, scopeUS, "web", "web-servers", DefaultAccountID)
	mustCluster(t, s, scopeUS, classicCluster("sessions", "web"))
	mustCluster(t, s, scopeUS, vpcCluster(t, s, scopeUS, "orders"))
	mustCluster(t, s, scopeUS, classicCluster("fresh"))
	clk.Advance(delay)
	mustModify(t, s, scopeUS, "fresh", "web")

	ops := []struct {
		name string
		call func() error
	}{
		{"create duplicate group", func() error { _, err := s.CreateSecurityGroup(ctx, alice, "WEB", "again"); return err }},
		{"create invalid group", func() error { _, err := s.CreateSecurityGroup(ctx, alice, "bad name", ""); return err }},
		{"delete default group", func() error { return s.DeleteSecurityGroup(ctx, alice, "default") }},
		{"delete group in use", func() error { return s.DeleteSecurityGroup(ctx, alice, "web") }},
		{"delete unknown group", func() error { return s.DeleteSecurityGroup(ctx, alice, "ghost") }},
		{"authorize existing", func() error {
			_, err := s.AuthorizeIngress(ctx, alice, "web", "web-servers", DefaultAccountID)
			return err
		}},
		{"authorize invalid owner", func() error { _, err := s.AuthorizeIngress(ctx, alice, "web", "x", "AKIA1234"); return err }},
		{"revoke unknown", func() error { _, err := s.RevokeIngress(ctx, alice, "web", "nope", DefaultAccountID); return err }},
		{"create invalid cluster", func() error { _, err := s.CreateCluster(ctx, alice, classicCluster("bad--id")); return err }},
		{"create duplicate cluster", func() error { _, err := s.CreateCluster(ctx, alice, classicCluster("SESSIONS")); return err }},
		{"create cluster in unknown group", func() error { _, err := s.CreateCluster(ctx, alice, classicCluster("new", "ghost")); return err }},
		{"modify VPC cluster", func() error {
			_, err := s.ModifyClusterSecurityGroups(ctx, alice, "orders", []string{"web"})
			return err
		}},
		{"modify while modifying", func() error {
			_, err := s.ModifyClusterSecurityGroups(ctx, alice, "fresh", []string{"default"})
			return err
		}},
		{"modify to unknown group", func() error {
			_, err := s.ModifyClusterSecurityGroups(ctx, alice, "sessions", []string{"ghost"})
			return err
		}},
		{"delete modifying cluster", func() error { _, err := s.DeleteCluster(ctx, alice, "fresh"); return err }},
		{"delete unknown cluster", func() error { _, err := s.DeleteCluster(ctx, alice, "ghost"); return err }},
	}
	before := takeFullSnapshot(t, s)
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			if err := op.call(); err == nil {
				t.Fatal("call succeeded, want a failure")
			}
			assertNothingWritten(t, s, before)
		})
	}

	// A no-op modify and the EC2 side record nothing either.
	_, err := s.ModifyClusterSecurityGroups(ctx, alice, "sessions", []string{"web"})
	mustNoErr(t, err, "no-op modify")
	mustEC2Group(t, s, alice, "web-servers", PlatformClassic)
	mustInstance(t, s, alice, "", "web-1", PlatformClassic, "web-servers")
	if got, want := len(eventsOf(t, s, scopeUS)), len(before.Events); got != want {
		t.Errorf("events = %d, want %d", got, want)
	}
}

// eventWindowStore records five events at known ages relative to the returned "now":
// aa at -13d, bb at -6d, cc at -90m, dd at exactly -1h (all cache security groups) and ee
// at -10m (a cluster).
func eventWindowStore(t *testing.T) (*Store, *testClock, time.Time) {
	t.Helper()
	s, clk := newStore(t)
	now := t0.Add(13 * 24 * time.Hour)
	clk.Set(now.Add(-13 * 24 * time.Hour))
	mustCreate(t, s, alice, "aa", "13 days")
	clk.Set(now.Add(-6 * 24 * time.Hour))
	mustCreate(t, s, alice, "bb", "6 days")
	clk.Set(now.Add(-90 * time.Minute))
	mustCreate(t, s, alice, "cc", "90 minutes")
	clk.Set(now.Add(-time.Hour))
	mustCreate(t, s, alice, "dd", "1 hour")
	clk.Set(now.Add(-10 * time.Minute))
	mustCluster(t, s, alice, classicCluster("ee"))
	clk.Set(now)
	return s, clk, now
}

func sourceIDs(p EventPage) []string {
	out := []string{}
	for _, e := range p.Events {
		out = append(out, e.SourceID)
	}
	return out
}

func mustListEvents(t *testing.T, s *Store, scope Scope, q EventQuery) EventPage {
	t.Helper()
	p, err := s.ListEvents(ctx, scope, q)
	if err != nil {
		t.Fatalf("ListEvents(%+v): %v", q, err)
	}
	return p
}

func TestListEventsWindowsAndFilters(t *testing.T) {
	s, _, now := eventWindowStore(t)
	day := 24 * time.Hour
	tests := []struct {
		name string
		q    EventQuery
		want []string
	}{
		{"default is the last hour, boundary included", EventQuery{}, []string{"ee", "dd"}},
		{"negative window is the default", EventQuery{Window: -time.Hour}, []string{"ee", "dd"}},
		{"last hour minus a nanosecond", EventQuery{Window: time.Hour - time.Nanosecond}, []string{"ee"}},
		{"last two hours", EventQuery{Window: 2 * time.Hour}, []string{"ee", "dd", "cc"}},
		{"last day", EventQuery{Window: day}, []string{"ee", "dd", "cc"}},
		{"last week", EventQuery{Window: 7 * day}, []string{"ee", "dd", "cc", "bb"}},
		{"14 days", EventQuery{Window: 14 * day}, []string{"ee", "dd", "cc", "bb", "aa"}},
		{"beyond 14 days is capped", EventQuery{Window: 90 * day}, []string{"ee", "dd", "cc", "bb", "aa"}},
		{"cache clusters only", EventQuery{Window: 14 * day, SourceType: SourceCacheCluster}, []string{"ee"}},
		{"cache security groups only", EventQuery{Window: 14 * day, SourceType: SourceCacheSecurityGroup}, []string{"dd", "cc", "bb", "aa"}},
		{"security groups in the last hour", EventQuery{SourceType: SourceCacheSecurityGroup}, []string{"dd"}},
		{"one source", EventQuery{Window: 14 * day, SourceID: "bb"}, []string{"bb"}},
		{"source and wrong type", EventQuery{Window: 14 * day, SourceID: "bb", SourceType: SourceCacheCluster}, []string{}},
		{"explicit range", EventQuery{Start: now.Add(-7 * day), End: now.Add(-day)}, []string{"bb"}},
		{"explicit range, end in the future", EventQuery{Start: now.Add(-80 * time.Minute), End: now.Add(day)}, []string{"ee", "dd"}},
		{"explicit range, no end", EventQuery{Start: now.Add(-21 * time.Hour)}, []string{"ee", "dd", "cc"}},
		{"explicit range before retention", EventQuery{Start: now.Add(-30 * day), End: now.Add(-10 * day)}, []string{"aa"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustListEvents(t, s, scopeUS, tt.q)
			if got := sourceIDs(p); !reflect.DeepEqual(got, tt.want) || p.Total != len(tt.want) {
				t.Errorf("events = %q (total %d), want %q", got, p.Total, tt.want)
			}
		})
	}

	p := mustListEvents(t, s, scopeUS, EventQuery{Window: 14 * day})
	e := p.Events[0]
	if e.SourceType != SourceCacheCluster || e.Message != "Cache cluster created" || e.Actor != "alice" ||
		!e.Date.Equal(now.Add(-10*time.Minute)) || e.AccountID != DefaultAccountID || e.Region != "us-east-1" {
		t.Errorf("newest event = %+v", e)
	}

	for _, bad := range []string{"bogus", "Cache-Cluster", "cache-clusters", " cache-cluster"} {
		_, err := s.ListEvents(ctx, scopeUS, EventQuery{SourceType: bad})
		e := wantError(t, err, CodeInvalidParameterValue, "")
		if e.FieldMessage("source_type") == "" {
			t.Errorf("%q: fields = %+v", bad, e.Fields)
		}
	}
	for _, good := range []string{"", SourceCacheCluster, SourceCacheSecurityGroup} {
		if _, err := s.ListEvents(ctx, scopeUS, EventQuery{SourceType: good}); err != nil {
			t.Errorf("source type %q: %v", good, err)
		}
	}
	if !ValidSourceType(SourceCacheCluster) || !ValidSourceType(SourceCacheSecurityGroup) || ValidSourceType("") || ValidSourceType("user") {
		t.Error("ValidSourceType wrong")
	}
}

func TestListEventsPagination(t *testing.T) {
	s, _, _ := eventWindowStore(t)
	window := 14 * 24 * time.Hour
	tests := []struct {
		offset, limit int
		want          []string
	}{
		{0, 2, []string{"ee", "dd"}},
		{2, 2, []string{"cc", "bb"}},
		{4, 2, []string{"aa"}},
		{5, 2, []string{}},
		{40, 10, []string{}},
		{1, 3, []string{"dd", "cc", "bb"}},
		{0, 0, []string{"ee", "dd", "cc", "bb", "aa"}}, // no limit means the default of 100
	}
	for _, tt := range tests {
		p := mustListEvents(t, s, scopeUS, EventQuery{Window: window, Offset: tt.offset, Limit: tt.limit})
		if got := sourceIDs(p); !reflect.DeepEqual(got, tt.want) || p.Total != 5 {
			t.Errorf("offset %d limit %d = %q (total %d), want %q (total 5)", tt.offset, tt.limit, got, p.Total, tt.want)
		}
	}
}

func TestListEventsNewestFirstWithinOneChange(t *testing.T) {
	s, clk := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	mustCluster(t, s, scopeUS, classicCluster("a1", "web"))
	mustCluster(t, s, scopeUS, classicCluster("b2", "web"))
	clk.Advance(time.Minute)
	mustAuthorize(t, s, scopeUS, "web", "web-servers", DefaultAccountID) // three events at one time
	p := mustListEvents(t, s, scopeUS, EventQuery{})
	got := []string{}
	for _, e := range p.Events {
		got = append(got, e.SourceType+"/"+e.SourceID)
	}
	want := []string{"cache-cluster/b2", "cache-cluster/a1", "cache-security-group/web", "cache-cluster/b2", "cache-cluster/a1", "cache-security-group/web"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order = %q, want %q", got, want)
	}
	for i := 1; i < len(p.Events); i++ {
		if p.Events[i].Date.After(p.Events[i-1].Date) {
			t.Errorf("event %d is newer than event %d", i, i-1)
		}
	}
}

func TestEventIsolation(t *testing.T) {
	s, _ := newStore(t)
	_, err := s.EnsureAccount(ctx, otherAccountID)
	mustNoErr(t, err, "EnsureAccount")
	other := Scope{AccountID: otherAccountID, Region: "us-east-1", Actor: "carol"}
	mustCreate(t, s, alice, "mine", "Mine")
	mustCreate(t, s, Scope{AccountID: DefaultAccountID, Region: "us-west-2", Actor: "alice"}, "west", "West")
	mustCreate(t, s, other, "theirs", "Theirs")
	mustCluster(t, s, other, classicCluster("their-cluster"))

	for _, tt := range []struct {
		scope Scope
		want  []string
	}{
		{scopeUS, []string{"mine"}},
		{scopeUSW, []string{"west"}},
		{other, []string{"their-cluster", "theirs"}},
		{Scope{AccountID: otherAccountID, Region: "eu-west-1"}, []string{}},
	} {
		p := mustListEvents(t, s, tt.scope, EventQuery{})
		if got := sourceIDs(p); !reflect.DeepEqual(got, tt.want) || p.Total != len(tt.want) {
			t.Errorf("%s/%s events = %q (total %d), want %q", tt.scope.AccountID, tt.scope.Region, got, p.Total, tt.want)
		}
	}
}

func TestEventsPrunedAfter14Days(t *testing.T) {
	s, clk := newStore(t)
	_, err := s.EnsureAccount(ctx, otherAccountID)
	mustNoErr(t, err, "EnsureAccount")
	other := Scope{AccountID: otherAccountID, Region: "us-west-2"}
	mustCreate(t, s, scopeUS, "old", "Old")
	mustCreate(t, s, other, "old-other", "Old, other tenant")
	clk.Advance(time.Hour)
	mustCreate(t, s, scopeUS, "newer", "Newer")

	// 15 days later and no write yet: the old events are still stored but never listed.
	clk.Set(t0.Add(15 * 24 * time.Hour))
	if n := countRows(t, s, &Event{}, ""); n != 3 {
		t.Fatalf("stored events = %d, want 3 before any write", n)
	}
	for _, q := range []EventQuery{{Window: 30 * 24 * time.Hour}, {Start: t0.Add(-time.Hour), End: t0.Add(time.Minute)}} {
		if p := mustListEvents(t, s, scopeUS, q); p.Total != 0 {
			t.Errorf("%+v lists %q beyond 14 days", q, sourceIDs(p))
		}
	}

	// A write exactly 14 days after the old events keeps them (the boundary is inclusive) ...
	clk.Set(t0.Add(EventRetention))
	mustCreate(t, s, scopeUS, "boundary", "Boundary")
	if n := countRows(t, s, &Event{}, ""); n != 4 {
		t.Fatalf("stored events = %d, want 4 (nothing older than 14 days)", n)
	}
	// ... and a microsecond (the stored precision) later the next write prunes them, in every
	// tenant; the newer event stays.
	clk.Advance(time.Microsecond)
	mustCluster(t, s, scopeUS, classicCluster("trigger"))
	if n := countRows(t, s, &Event{}, ""); n != 3 {
		t.Fatalf("stored events = %d, want 3 after pruning two and adding one", n)
	}
	if n := countRows(t, s, &Event{}, "source_id IN ?", []string{"old", "old-other"}); n != 0 {
		t.Errorf("old events left: %d", n)
	}
	p := mustListEvents(t, s, scopeUS, EventQuery{Window: EventRetention})
	if got := sourceIDs(p); !reflect.DeepEqual(got, []string{"trigger", "boundary", "newer"}) {
		t.Errorf("events after pruning = %q", got)
	}
}
