package models

import (
	"fmt"
	"testing"
	"time"
)

func TestListFilter(t *testing.T) {
	s, _ := newStore(t)
	groups := []struct{ name, description string }{
		{"web-sessions", "Session cache for the public web tier"},
		{"app-cache", "Memcached for APPLICATION servers"},
		{"reporting", "Reports at 100% capacity"},
		{"staging", "staging_env cache"},
		{"stagingxenv", "lookalike for underscore"},
		{"backslash", `path C:\temp`},
		{"accents", "Équipe données"},
	}
	for _, g := range groups {
		mustCreate(t, s, scopeUS, g.name, g.description)
	}
	tests := []struct {
		filter string
		want   []string
	}{
		{"", []string{"accents", "app-cache", "backslash", "default", "reporting", "staging", "stagingxenv", "web-sessions"}},
		{"web", []string{"web-sessions"}},      // name and description
		{"WEB", []string{"web-sessions"}},      // case-insensitive on name
		{"application", []string{"app-cache"}}, // case-insensitive on description
		{"CACHE", []string{"app-cache", "staging", "web-sessions"}},
		{"memcached for app", []string{"app-cache"}}, // description substring across words
		{"%", []string{"reporting"}},                 // literal percent, not a wildcard
		{"100%", []string{"reporting"}},
		{"_", []string{"staging"}}, // literal underscore, not any character
		{"staging_env", []string{"staging"}},
		{"g_e", []string{"staging"}}, // a wildcard would also match stagingxenv
		{`\`, []string{"backslash"}},
		{`c:\t`, []string{"backslash"}},
		{"Équipe", []string{"accents"}}, // non-ASCII text matches itself
		{"données", []string{"accents"}},
		{"default", []string{"default"}},
		{"nothing-matches", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			p := mustList(t, s, scopeUS, ListOptions{Filter: tt.filter})
			if got := listNames(p); !equalStrings(got, tt.want) {
				t.Errorf("filter %q = %q, want %q", tt.filter, got, tt.want)
			}
			if p.Total != len(tt.want) {
				t.Errorf("filter %q: Total = %d, want %d", tt.filter, p.Total, len(tt.want))
			}
			if p.Options.Filter != tt.filter {
				t.Errorf("Options.Filter = %q", p.Options.Filter)
			}
		})
	}
}

func TestListPagination(t *testing.T) {
	s, _ := newStore(t)
	// 45 groups in all: default plus g-01..g-44.
	for i := 1; i <= 44; i++ {
		mustCreate(t, s, scopeUS, fmt.Sprintf("g-%02d", i), fmt.Sprintf("group %d", i))
	}
	tests := []struct {
		name                   string
		opts                   ListOptions
		wantPage, wantSize     int
		wantPages, wantItems   int
		wantFirst, wantLast    int
		wantFirstName, wantEnd string
	}{
		{"defaults", ListOptions{}, 1, 20, 3, 20, 1, 20, "default", "g-19"},
		{"page 2", ListOptions{Page: 2}, 2, 20, 3, 20, 21, 40, "g-20", "g-39"},
		{"last partial page", ListOptions{Page: 3}, 3, 20, 3, 5, 41, 45, "g-40", "g-44"},
		{"page too high clamps", ListOptions{Page: 99}, 3, 20, 3, 5, 41, 45, "g-40", "g-44"},
		{"page zero", ListOptions{Page: 0}, 1, 20, 3, 20, 1, 20, "default", "g-19"},
		{"negative page", ListOptions{Page: -3}, 1, 20, 3, 20, 1, 20, "default", "g-19"},
		{"size 10", ListOptions{Size: 10, Page: 5}, 5, 10, 5, 5, 41, 45, "g-40", "g-44"},
		{"size 50", ListOptions{Size: 50}, 1, 50, 1, 45, 1, 45, "default", "g-44"},
		{"size 100 page 2 clamps", ListOptions{Size: 100, Page: 2}, 1, 100, 1, 45, 1, 45, "default", "g-44"},
		{"invalid size 7", ListOptions{Size: 7}, 1, DefaultPageSize, 3, 20, 1, 20, "default", "g-19"},
		{"invalid size 0", ListOptions{Size: 0, Page: 2}, 2, DefaultPageSize, 3, 20, 21, 40, "g-20", "g-39"},
		{"invalid size negative", ListOptions{Size: -10}, 1, DefaultPageSize, 3, 20, 1, 20, "default", "g-19"},
		{"invalid size huge", ListOptions{Size: 1000}, 1, DefaultPageSize, 3, 20, 1, 20, "default", "g-19"},
		{"descending", ListOptions{Descending: true}, 1, 20, 3, 20, 1, 20, "g-44", "g-25"},
		{"descending last page", ListOptions{Descending: true, Page: 3}, 3, 20, 3, 5, 41, 45, "g-04", "default"},
		{"filtered", ListOptions{Filter: "group 1", Size: 10}, 1, 10, 2, 10, 1, 10, "g-01", "g-18"},
		{"filtered page 2", ListOptions{Filter: "group 1", Size: 10, Page: 2}, 2, 10, 2, 1, 11, 11, "g-19", "g-19"},
		{"filtered page 3 clamps", ListOptions{Filter: "group 1", Size: 10, Page: 3}, 2, 10, 2, 1, 11, 11, "g-19", "g-19"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustList(t, s, scopeUS, tt.opts)
			if p.Page != tt.wantPage || p.Size != tt.wantSize || p.Pages != tt.wantPages || len(p.Items) != tt.wantItems {
				t.Fatalf("page %d size %d pages %d items %d; want %d %d %d %d",
					p.Page, p.Size, p.Pages, len(p.Items), tt.wantPage, tt.wantSize, tt.wantPages, tt.wantItems)
			}
			wantTotal := 45
			if tt.opts.Filter != "" {
				wantTotal = 11 // group 1 and group 10..19
			}
			if p.Total != wantTotal {
				t.Errorf("Total = %d, want %d", p.Total, wantTotal)
			}
			if p.First() != tt.wantFirst || p.Last() != tt.wantLast {
				t.Errorf("First/Last = %d/%d, want %d/%d", p.First(), p.Last(), tt.wantFirst, tt.wantLast)
			}
			if p.Items[0].Name != tt.wantFirstName || p.Items[len(p.Items)-1].Name != tt.wantEnd {
				t.Errorf("items run %s..%s, want %s..%s", p.Items[0].Name, p.Items[len(p.Items)-1].Name, tt.wantFirstName, tt.wantEnd)
			}
			if p.Options.Page != p.Page || p.Options.Size != p.Size || p.Options.Descending != tt.opts.Descending {
				t.Errorf("Options = %+v, want the normalized page %d size %d", p.Options, p.Page, p.Size)
			}
		})
	}

	// Walking every page visits every group exactly once, in order.
	for _, desc := range []bool{false, true} {
		var all []string
		for page := 1; page <= 5; page++ {
			all = append(all, listNames(mustList(t, s, scopeUS, ListOptions{Size: 10, Page: page, Descending: desc}))...)
		}
		if len(all) != 45 {
			t.Fatalf("walked %d groups, want 45", len(all))
		}
		for i := 1; i < len(all); i++ {
			if (!desc && all[i-1] >= all[i]) || (desc && all[i-1] <= all[i]) {
				t.Fatalf("descending=%v: %q then %q out of order", desc, all[i-1], all[i])
			}
		}
	}
}

func TestListEmptyResult(t *testing.T) {
	s, _ := newStore(t)
	p := mustList(t, s, scopeUS, ListOptions{Filter: "no-such-group", Page: 4})
	if p.Total != 0 || len(p.Items) != 0 || p.Items == nil {
		t.Fatalf("empty page: total %d items %#v", p.Total, p.Items)
	}
	if p.Page != 1 || p.Pages != 1 || p.Size != DefaultPageSize {
		t.Errorf("empty page: page %d pages %d size %d, want 1 1 %d", p.Page, p.Pages, p.Size, DefaultPageSize)
	}
	if p.First() != 0 || p.Last() != 0 {
		t.Errorf("empty page: First/Last = %d/%d, want 0/0", p.First(), p.Last())
	}
}

func TestListItemsCarryEC2SecurityGroups(t *testing.T) {
	s, clk := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	mustCreate(t, s, scopeUS, "app", "App")
	mustAuthorize(t, s, scopeUS, "web", "web-servers", acct)
	mustAuthorize(t, s, scopeUS, "web", "bastion", acct)
	clk.Advance(10 * time.Second)
	mustAuthorize(t, s, scopeUS, "web", "app-servers", otherAccountID)
	_, err := s.RevokeIngress(ctx, scopeUS, "web", "bastion", acct)
	mustNoErr(t, err, "revoke")

	p := mustList(t, s, scopeUS, ListOptions{})
	if got := listNames(p); !equalStrings(got, []string{"app", "default", "web"}) {
		t.Fatalf("list = %q", got)
	}
	wantGrants(t, p.Items[0])
	wantGrants(t, p.Items[1])
	wantGrants(t, p.Items[2],
		"app-servers/210987654321=authorizing",
		"bastion/123456789012=revoking",
		"web-servers/123456789012=authorized")
	if !p.Items[2].Pending() || p.Items[0].Pending() {
		t.Errorf("Pending: web %v app %v", p.Items[2].Pending(), p.Items[0].Pending())
	}
	if p.Items[2].Description != "Web" || p.Items[2].OwnerID != acct || p.Items[2].Region != "us-east-1" {
		t.Errorf("item = %+v", p.Items[2])
	}

	clk.Advance(10 * time.Second)
	p = mustList(t, s, scopeUS, ListOptions{Filter: "web"})
	wantGrants(t, p.Items[0], "app-servers/210987654321=authorized", "web-servers/123456789012=authorized")
	if p.Items[0].Pending() {
		t.Error("web still pending after the delay")
	}
}
