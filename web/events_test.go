package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"sgconsole/models"
)

// eventRow is one row of the Events table as a user reads it.
type eventRow struct{ Date, Source, Type, Message, User string }

func (r *response) eventRows() []eventRow {
	var rows []eventRow
	r.find(testid("event-row")).Each(func(_ int, s *goquery.Selection) {
		cell := func(id string) string { return strings.Join(strings.Fields(s.Find(testid(id)).Text()), " ") }
		rows = append(rows, eventRow{cell("event-date"), cell("event-source"), cell("event-type"), cell("event-message"), cell("event-user")})
	})
	return rows
}

// storedEvents asks the store for the scope's events of the last hour.
func (cs *console) storedEvents(t *testing.T) []models.Event {
	t.Helper()
	page, err := cs.store.ListEvents(context.Background(), scopeOf(models.DefaultRegion), models.EventQuery{Window: time.Hour, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return page.Events
}

func TestEventsRecordEveryChangeWithItsUser(t *testing.T) {
	cs := newConsole(t, false)
	c := cs.signedIn(t)
	step := func() { cs.clock.Advance(time.Second) }

	c.submit(c.get("/security-groups/new"), testid("create-form"), map[string]string{"name": "sessions", "description": "Sessions"}).
		wantStatus(http.StatusSeeOther)
	step()
	c.submit(c.get("/security-groups/sessions"), testid("authorize-form"), map[string]string{"ec2_security_group_name": "web-servers"}).
		wantStatus(http.StatusSeeOther)
	step()
	token := c.get("/events").csrfToken()
	c.post("/clusters?region=us-east-1", url.Values{"_csrf": {token}, "cluster_id": {"c1"}, "engine": {"memcached"},
		"node_type": {"cache.m1.small"}, "num_nodes": {"1"}, "network": {"ec2-classic"}, "cache_security_groups": {"sessions"}}, nil).
		wantStatus(http.StatusSeeOther)
	cs.clock.Advance(propagationDelay) // c1 is available
	c.submit(c.get("/security-groups/sessions"), testid("authorize-form"), map[string]string{"ec2_security_group_name": "app-servers"}).
		wantStatus(http.StatusSeeOther)
	cs.clock.Advance(propagationDelay)
	c.post("/clusters/c1/modify?region=us-east-1", url.Values{"_csrf": {token}, "cache_security_groups": {"sessions", "default"}}, nil).
		wantStatus(http.StatusSeeOther)

	r := c.get("/events?window=1h").wantStatus(http.StatusOK)
	got := r.eventRows()
	want := []eventRow{
		{"2022-06-01 12:00:22 UTC", "c1", "cache-cluster", "Applied change to security group: added default", "admin"},
		{"2022-06-01 12:00:12 UTC", "c1", "cache-cluster", "Applied change to security group sessions: authorized EC2 security group app-servers (owner 123456789012)", "admin"},
		{"2022-06-01 12:00:12 UTC", "sessions", "cache-security-group", "Authorized EC2 security group app-servers (owner 123456789012)", "admin"},
		{"2022-06-01 12:00:02 UTC", "c1", "cache-cluster", "Cache cluster created", "admin"},
		{"2022-06-01 12:00:01 UTC", "sessions", "cache-security-group", "Authorized EC2 security group web-servers (owner 123456789012)", "admin"},
		{"2022-06-01 12:00:00 UTC", "sessions", "cache-security-group", "Created cache security group sessions", "admin"},
	}
	if len(got) != len(want) {
		t.Fatalf("events:\n%v\nwant\n%v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d = %+v\nwant     %+v", i, got[i], want[i])
		}
	}
	if n := len(cs.storedEvents(t)); n != len(want) {
		t.Errorf("store holds %d events, want %d", n, len(want))
	}
	r.wantText(testid("page-title"), "Events (6)")
	r.wantPresent(testid("event-row") + ` a[href="/clusters/c1?region=us-east-1"]`)
	r.wantPresent(testid("event-row") + ` a[href="/security-groups/sessions?region=us-east-1"]`)

	t.Run("a deleted source is plain text", func(t *testing.T) {
		c := c.in(t)
		c.submit(c.get("/security-groups/new"), testid("create-form"), map[string]string{"name": "temp", "description": "Temporary"}).
			wantStatus(http.StatusSeeOther)
		c.submit(c.get("/security-groups/temp/delete"), "form[action^='/security-groups/temp/delete']", nil).
			wantStatus(http.StatusSeeOther)
		r := c.get("/events?source_type=cache-security-group")
		if r.eventRows()[0] != (eventRow{"2022-06-01 12:00:22 UTC", "temp", "cache-security-group", "Deleted cache security group temp", "admin"}) {
			t.Errorf("newest row %+v", r.eventRows()[0])
		}
		if r.find(testid("event-source")+` a[href*="/temp"]`).Length() != 0 {
			t.Error("links to a deleted group")
		}
	})
}

func TestEventsFilterBySourceTypeAndWindow(t *testing.T) {
	cs := newConsole(t, false)
	ctx := context.Background()
	admin := models.Scope{AccountID: models.DefaultAccountID, Region: models.DefaultRegion, Actor: "admin"}
	if _, err := cs.store.CreateSecurityGroup(ctx, admin, "early", "Early"); err != nil {
		t.Fatal(err)
	}
	cs.clock.Advance(2 * time.Hour)
	if _, err := cs.store.CreateSecurityGroup(ctx, admin, "late", "Late"); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.store.CreateCluster(ctx, admin, models.NewCluster{ID: "late-cluster", Engine: "memcached", NodeType: "cache.m1.small",
		NumNodes: 1, Network: models.PlatformClassic, CacheSecurityGroups: []string{"late"}}); err != nil {
		t.Fatal(err)
	}
	c := cs.signedIn(t)
	sources := func(r *response) []string {
		var out []string
		for _, row := range r.eventRows() {
			out = append(out, row.Source)
		}
		return out
	}

	r := c.get("/events?window=1h").wantStatus(http.StatusOK)
	if got := fmt.Sprint(sources(r)); got != "[late-cluster late]" {
		t.Errorf("last hour: %s", got)
	}
	if v := r.attr(testid("window")+" option[selected]", "value"); v != "1h" {
		t.Errorf("window select shows %q", v)
	}
	if got := fmt.Sprint(sources(c.get("/events?window=24h"))); got != "[late-cluster late early]" {
		t.Errorf("last day: %s", got)
	}
	if got := fmt.Sprint(sources(c.get("/events"))); got != "[late-cluster late early]" {
		t.Errorf("default window: %s", got)
	}
	r = c.get("/events?window=336h&source_type=cache-security-group")
	if got := fmt.Sprint(sources(r)); got != "[late early]" {
		t.Errorf("security groups: %s", got)
	}
	if v := r.attr(testid("source-type")+" option[selected]", "value"); v != "cache-security-group" {
		t.Errorf("source type select shows %q", v)
	}
	if got := fmt.Sprint(sources(c.get("/events?window=168h&source_type=cache-cluster"))); got != "[late-cluster]" {
		t.Errorf("clusters: %s", got)
	}

	bad := c.get("/events?source_type=cache-parameter-group")
	bad.wantStatus(http.StatusBadRequest)
	bad.wantText(testid("error-source_type"), "Choose one of the listed source types.")
	bad.wantPresent(testid("events-filter"))
	bad = c.get("/events?window=720h")
	bad.wantStatus(http.StatusBadRequest)
	bad.wantText(testid("error-window"), "Choose one of the listed periods.")

	cs.clock.Advance(2 * time.Hour)
	empty := c.get("/events?window=1h").wantStatus(http.StatusOK)
	empty.wantText(testid("empty-state"), "No events in this period")
	empty.wantAbsent(testid("events-table"))
}

func TestEventsPaginateFiftyAPage(t *testing.T) {
	cs := newConsole(t, false)
	ctx := context.Background()
	admin := models.Scope{AccountID: models.DefaultAccountID, Region: models.DefaultRegion, Actor: "admin"}
	if _, err := cs.store.CreateSecurityGroup(ctx, admin, "busy", "Busy"); err != nil {
		t.Fatal(err)
	}
	for i := range 54 {
		cs.clock.Advance(time.Second)
		if _, err := cs.store.AuthorizeIngress(ctx, admin, "busy", fmt.Sprintf("ec2-%02d", i), models.DefaultAccountID); err != nil {
			t.Fatal(err)
		}
	}
	c := cs.signedIn(t)
	r := c.get("/events?source_type=cache-security-group").wantStatus(http.StatusOK)
	rows := r.eventRows()
	if len(rows) != 50 || !strings.Contains(rows[0].Message, "ec2-53") {
		t.Fatalf("page 1 has %d rows, first %+v", len(rows), rows[0])
	}
	r.wantText(testid("table-range"), "Displaying items 1 to 50 of 55")
	next := r.attr(testid("next-page"), "href")
	if next != "/events?page=2&region=us-east-1&source_type=cache-security-group" {
		t.Errorf("next page link %q", next)
	}
	r = c.get(next).wantStatus(http.StatusOK)
	rows = r.eventRows()
	if len(rows) != 5 || rows[4].Message != "Created cache security group busy" {
		t.Fatalf("page 2: %+v", rows)
	}
	r.wantText(testid("table-range"), "Displaying items 51 to 55 of 55")
	r.wantAbsent(testid("next-page"))
	// Past the end shows the last page rather than nothing.
	if n := len(c.get("/events?source_type=cache-security-group&page=9").eventRows()); n != 5 {
		t.Errorf("page 9 shows %d rows", n)
	}
	if n := len(c.get("/events?source_type=cache-security-group&page=-1").eventRows()); n != 50 {
		t.Errorf("page -1 shows %d rows", n)
	}
}

func TestEventsOlderThanFourteenDaysArePruned(t *testing.T) {
	cs := newConsole(t, false)
	c := cs.signedIn(t)
	c.submit(c.get("/security-groups/new"), testid("create-form"), map[string]string{"name": "old", "description": "Old"}).
		wantStatus(http.StatusSeeOther)
	if n := len(cs.storedEvents(t)); n != 1 {
		t.Fatalf("%d events after the first change", n)
	}

	const later = 15 * 24 * time.Hour
	cs.clock.Advance(later)
	// Reading does not prune: back at the old time, the event is still stored.
	cs.clock.Advance(-later)
	if n := len(cs.storedEvents(t)); n != 1 {
		t.Fatalf("the old event is gone before any change: %d events", n)
	}
	cs.clock.Advance(later)

	c = cs.signedIn(t) // the first session expired meanwhile
	c.submit(c.get("/security-groups/new"), testid("create-form"), map[string]string{"name": "new", "description": "New"}).
		wantStatus(http.StatusSeeOther)
	r := c.get("/events?window=336h").wantStatus(http.StatusOK)
	rows := r.eventRows()
	if len(rows) != 1 || rows[0].Source != "new" || rows[0].Date != "2022-06-16 12:00:00 UTC" {
		t.Fatalf("events %+v", rows)
	}
	// Back at the old time the store has nothing left: the change 15 days later pruned it.
	cs.clock.Advance(-later)
	if events := cs.storedEvents(t); len(events) != 0 {
		t.Errorf("the 15-day-old event was kept: %+v", events)
	}
}

func TestEventsEmptyState(t *testing.T) {
	cs := newConsole(t, false)
	c := cs.signedIn(t)
	r := c.get("/events").wantStatus(http.StatusOK)
	r.wantText(testid("empty-state"), "No events in this period")
	r.wantText(".breadcrumbs", "Events")
	r.wantPresent(testid("nav-events") + `[aria-current="page"]`)
}
