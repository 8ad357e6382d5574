package models

import (
	"context"
	"slices"
	"strings"
	"time"
)

// PageSizes are the page sizes the console offers.
var PageSizes = []int{10, 20, 50, 100}

// DefaultPageSize is used when no valid size is asked for.
const DefaultPageSize = 20

// ListOptions narrows and orders a list of security groups.
type ListOptions struct {
	Filter     string // matched case-insensitively against name and description
	Page       int    // 1-based; out-of-range pages are clamped
	Size       int    // one of PageSizes
	Descending bool   // sort by name Z to A
}

func (o ListOptions) normalized() ListOptions {
	valid := false
	for _, size := range PageSizes {
		valid = valid || size == o.Size
	}
	if !valid {
		o.Size = DefaultPageSize
	}
	if o.Page < 1 {
		o.Page = 1
	}
	return o
}

// SecurityGroupPage is one page of a filtered, sorted list.
type SecurityGroupPage struct {
	Items   []SecurityGroup
	Total   int // matching groups across all pages
	Page    int
	Size    int
	Pages   int
	Options ListOptions
	// Stamp is equal for two pages of one scope exactly when nothing they were built from differs:
	// the scope's version and every status (no status changed with time in between). A page
	// rendered for one stamp can be shown again for the same stamp and options.
	Stamp string
}

// First and Last give the 1-based positions of the page's items, for "1 to 20 of 42".
func (p SecurityGroupPage) First() int {
	if p.Total == 0 {
		return 0
	}
	return (p.Page-1)*p.Size + 1
}

// Last gives the position of the page's last item, 0 when there is none.
func (p SecurityGroupPage) Last() int {
	if len(p.Items) == 0 {
		return 0
	}
	return p.First() + len(p.Items) - 1
}

// ListSecurityGroups returns one page of the region's cache security groups, from the scope's view.
func (s *Store) ListSecurityGroups(ctx context.Context, scope Scope, opts ListOptions) (SecurityGroupPage, error) {
	opts = opts.normalized()
	if err := ValidFilter(opts.Filter); err != nil {
		return SecurityGroupPage{}, err
	}
	v, err := s.classicView(ctx, scope)
	if err != nil {
		return SecurityGroupPage{}, wrap("list security groups", err)
	}
	// The filter folds case the same way on both databases: in Go, by Unicode rules.
	filter := strings.ToLower(opts.Filter)
	matching := make([]int, 0, len(v.groups))
	for i, g := range v.groups {
		if filter == "" || strings.Contains(g.lowerName, filter) || strings.Contains(g.lowerDescr, filter) {
			matching = append(matching, i)
		}
	}
	if opts.Descending {
		slices.Reverse(matching)
	}
	total := len(matching)
	pages := max(1, (total+opts.Size-1)/opts.Size)
	opts.Page = min(opts.Page, pages)
	start := (opts.Page - 1) * opts.Size
	shown := matching[start:min(start+opts.Size, total)]
	now := s.now()
	page := SecurityGroupPage{Total: total, Page: opts.Page, Size: opts.Size, Pages: pages, Options: opts,
		Items: make([]SecurityGroup, 0, len(shown)), Stamp: v.stamp(now)}
	for _, i := range shown {
		page.Items = append(page.Items, describe(v.groups[i].row, now))
	}
	return page, nil
}

// Rendered keeps what render makes of a page of the scope (HTML that holds no per-user state,
// keyed by everything else it shows) with the scope's view: for the same key and the same page
// stamp it is rendered once. A stamp that is no longer the view's is rendered and not kept.
func (s *Store) Rendered(scope Scope, stamp, key string, render func() ([]byte, error)) ([]byte, error) {
	v := s.views.latest(scope)
	if v == nil || v.stamp(s.now()) != stamp {
		return render()
	}
	key = "rendered\x00" + key + "\x00" + stamp
	if body, ok := v.memo.get(key, time.Time{}); ok {
		return body, nil
	}
	body, err := render()
	if err == nil {
		v.memo.put(key, body, time.Time{})
	}
	return body, err
}
