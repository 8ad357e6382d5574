package models

import (
	"context"
	"strings"
)

// The Describe* operations page with a marker: the name (or ID) of the last record returned. Records
// are ordered by it, so a marker stays valid while records are added or removed: the records that
// stay are never skipped or repeated.

// DescribeSecurityGroups returns up to limit groups whose names sort after the marker, or just the
// named group, and the marker of the next page ("" when there is none).
func (s *Store) DescribeSecurityGroups(ctx context.Context, scope Scope, name, after string, limit int) ([]SecurityGroup, string, error) {
	if name != "" {
		g, err := s.GetSecurityGroup(ctx, scope, name)
		if err != nil {
			return nil, "", err
		}
		return []SecurityGroup{g}, "", nil
	}
	db := s.db.WithContext(ctx)
	if err := requireClassic(db, scope); err != nil {
		return nil, "", err
	}
	var rows []CacheSecurityGroup
	err := db.Preload("Authorizations", orderAuthorizations).
		Where("account_id = ? AND region = ? AND name > ?", scope.AccountID, scope.Region, after).
		Order("name").Limit(limit + 1).Find(&rows).Error
	if err != nil {
		return nil, "", wrap("describe security groups", err)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].Name
	}
	now := s.now()
	groups := make([]SecurityGroup, 0, len(rows))
	for _, r := range rows {
		groups = append(groups, describe(r, now))
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
	var rows []CacheCluster
	err := s.db.WithContext(ctx).Preload("Memberships.Group").
		Where("account_id = ? AND region = ? AND cluster_id > ?", scope.AccountID, scope.Region, strings.ToLower(after)).
		Order("cluster_id").Find(&rows).Error
	if err != nil {
		return nil, "", wrap("describe clusters", err)
	}
	now := s.now()
	clusters := []Cluster{}
	for _, r := range rows {
		if r.StatusAt(now) == ClusterGone {
			continue
		}
		if len(clusters) == limit {
			return clusters, clusters[limit-1].ID, nil
		}
		clusters = append(clusters, describeCluster(r, now))
	}
	return clusters, "", nil
}
