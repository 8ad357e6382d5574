package models

import (
	"context"
	"slices"
	"strings"
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
	page := SecurityGroupPage{Total: total, Page: opts.Page, Size: opts.Size, Pages: pages, Options: opts,
		Items: make([]SecurityGroup, 0, len(shown))}
	now := s.now()
	for _, i := range shown {
		page.Items = append(page.Items, describe(v.groups[i].row, now))
	}
	return page, nil
}
