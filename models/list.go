package models

import (
	"context"
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

// ListSecurityGroups returns one page of the region's cache security groups.
func (s *Store) ListSecurityGroups(ctx context.Context, scope Scope, opts ListOptions) (SecurityGroupPage, error) {
	opts = opts.normalized()
	if err := ValidFilter(opts.Filter); err != nil {
		return SecurityGroupPage{}, err
	}
	db := s.db.WithContext(ctx)
	if err := requireClassic(db, scope); err != nil {
		return SecurityGroupPage{}, wrap("list security groups", err)
	}
	q := db.Model(&CacheSecurityGroup{}).Where("account_id = ? AND region = ?", scope.AccountID, scope.Region)
	if opts.Filter != "" {
		pattern := likePattern(opts.Filter)
		q = q.Where(`(LOWER(name) LIKE LOWER(?) ESCAPE '\' OR LOWER(description) LIKE LOWER(?) ESCAPE '\')`, pattern, pattern)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return SecurityGroupPage{}, wrap("count security groups", err)
	}
	pages := int((total + int64(opts.Size) - 1) / int64(opts.Size))
	if pages == 0 {
		pages = 1
	}
	if opts.Page > pages {
		opts.Page = pages
	}
	order := "name ASC"
	if opts.Descending {
		order = "name DESC"
	}
	var rows []CacheSecurityGroup
	err := q.Preload("Authorizations", orderAuthorizations).Order(order).
		Offset((opts.Page - 1) * opts.Size).Limit(opts.Size).Find(&rows).Error
	if err != nil {
		return SecurityGroupPage{}, wrap("list security groups", err)
	}
	page := SecurityGroupPage{Total: int(total), Page: opts.Page, Size: opts.Size, Pages: pages, Options: opts,
		Items: make([]SecurityGroup, 0, len(rows))}
	now := s.now()
	for _, row := range rows {
		page.Items = append(page.Items, describe(row, now))
	}
	return page, nil
}
