package models

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The Describe* operations page with a marker: the name (or ID) of the last record returned. Records
// are ordered by it, so a marker stays valid while records are added or removed: the records that
// stay are never skipped or repeated.

// DescribeSecurityGroups returns up to limit groups whose names sort after the marker, or just the
// named group, and the marker of the next page ("" when there is none).
func (s *Store) DescribeSecurityGroups(ctx context.Context, scope Scope, name, after string, limit int) ([]SecurityGroup, string, error) {
	v, err := s.classicView(ctx, scope)
	if err != nil {
		return nil, "", wrap("describe security groups", err)
	}
	return v.describeGroups(name, after, limit, s.now())
}

// EncodedDescribeSecurityGroups is DescribeSecurityGroups already encoded by encode, which runs only
// when the answer may have changed: the same question asked of the same version of the scope gets
// the same bytes until a status in the scope is due to change with time.
func (s *Store) EncodedDescribeSecurityGroups(ctx context.Context, scope Scope, name, after string, limit int,
	encode func(groups []SecurityGroup, next string) ([]byte, error)) ([]byte, error) {
	v, err := s.classicView(ctx, scope)
	if err != nil {
		return nil, wrap("describe security groups", err)
	}
	now := s.now()
	key := "DescribeCacheSecurityGroups\x00" + name + "\x00" + after + "\x00" + strconv.Itoa(limit)
	if body, ok := v.memo.get(key, now); ok {
		return body, nil
	}
	groups, next, err := v.describeGroups(name, after, limit, now)
	if err != nil {
		return nil, err
	}
	body, err := encode(groups, next)
	if err != nil {
		return nil, err
	}
	v.memo.put(key, body, v.nextChange(now))
	return body, nil
}

func (v *scopeView) describeGroups(name, after string, limit int, now time.Time) ([]SecurityGroup, string, error) {
	if name != "" {
		row, err := v.group(name)
		if err != nil {
			return nil, "", err
		}
		return []SecurityGroup{describe(row, now)}, "", nil
	}
	from := sort.Search(len(v.groups), func(i int) bool { return v.groups[i].row.Name > after })
	rows := v.groups[from:min(from+limit, len(v.groups))]
	next := ""
	if limit > 0 && from+limit < len(v.groups) {
		next = rows[len(rows)-1].row.Name
	}
	groups := make([]SecurityGroup, 0, len(rows))
	for _, g := range rows {
		groups = append(groups, describe(g.row, now))
	}
	return groups, next, nil
}

// DescribeClusters returns up to limit live clusters whose IDs sort after the marker, or just the
// named cluster, and the marker of the next page.
func (s *Store) DescribeClusters(ctx context.Context, scope Scope, id, after string, limit int) ([]Cluster, string, error) {
	if id != "" {
		c, err := s.GetCluster(ctx, scope, id)
		if err != nil {
			return nil, "", err
		}
		return []Cluster{c}, "", nil
	}
	v, err := s.view(ctx, scope)
	if err != nil {
		return nil, "", wrap("describe clusters", err)
	}
	after = strings.ToLower(after)
	now := s.now()
	clusters := []Cluster{}
	for _, r := range v.clusters {
		if r.ClusterID <= after || r.StatusAt(now) == ClusterGone {
			continue
		}
		if len(clusters) == limit {
			return clusters, clusters[limit-1].ID, nil
		}
		clusters = append(clusters, describeCluster(r, now))
	}
	return clusters, "", nil
}
