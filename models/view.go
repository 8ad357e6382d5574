package models

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// scopeView is what the reads of one account and region show (its platform, cache security groups
// with their authorizations, live clusters with their memberships, and the EC2-Classic security
// groups the authorize form suggests), loaded once per version of the scope. Every write of the
// scope bumps region_settings.version in its own transaction (bumpScope), and every read checks
// that version first, so a view is never served after a write, whichever instance made it.
// Statuses are not part of the view: they are derived from its timestamps at read time.
//
// A view is immutable once built, except for its response memo (see memo).
type scopeView struct {
	key      viewKey
	platform Platform
	loadedAt time.Time // clusters gone by then are left out; a clock that goes back reloads

	groups   []viewGroup    // by name, in byte order on both databases
	byName   map[string]int // index into groups
	clusters []CacheCluster // by cluster ID, with memberships (and their groups' names)
	suggest  []EC2SecurityGroup

	memo responseMemo
}

// viewKey identifies one version of one scope. The row ID is part of it because a scope deleted
// with its account and created again starts at version 0 again, under a new row ID.
type viewKey struct {
	rowID   uint
	version int64
}

type viewGroup struct {
	row        CacheSecurityGroup // Authorizations ordered by EC2 group name, then owner
	lowerName  string
	lowerDescr string
}

// scopeVersion reads the scope's version row: the one statement a read makes when its view is cached.
func scopeVersion(db *gorm.DB, scope Scope) (viewKey, Platform, error) {
	var row struct {
		ID       uint
		Platform Platform
		Version  int64
	}
	res := db.Raw("SELECT id, platform, version FROM region_settings WHERE account_id = ? AND region = ?", scope.AccountID, scope.Region).Scan(&row)
	if res.Error != nil {
		return viewKey{}, "", fmt.Errorf("models: region version: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return viewKey{}, "", fmt.Errorf("models: region %s of account %s: %w", scope.Region, scope.AccountID, ErrNotFound)
	}
	return viewKey{rowID: row.ID, version: row.Version}, row.Platform, nil
}

// bumpScope starts every write of a scope: it moves the scope to a new version, so every instance's
// next read loads the scope afresh. On PostgreSQL the UPDATE also takes the row lock that
// serializes the scope's writers (quota checks); SQLite already has one writer at a time.
func bumpScope(tx *gorm.DB, scope Scope) error {
	return tx.Exec("UPDATE region_settings SET version = version + 1 WHERE account_id = ? AND region = ?", scope.AccountID, scope.Region).Error
}

// view returns the scope's current view, loading it when the version has moved since it was cached.
func (s *Store) view(ctx context.Context, scope Scope) (*scopeView, error) {
	key, platform, err := s.version(ctx, scope)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if v := s.views.get(scope, key); v != nil && !now.Before(v.loadedAt) {
		return v, nil
	}
	v, err := loadView(s.db.WithContext(ctx), scope, key, platform, now)
	if err != nil {
		return nil, err
	}
	s.views.put(scope, v)
	return v, nil
}

// loadView reads the scope in five statements, whatever the number of groups. The version was read
// first, so the rows are at least as new as it: a concurrent write only makes the view newer than
// its key, which the next read replaces.
func loadView(db *gorm.DB, scope Scope, key viewKey, platform Platform, now time.Time) (*scopeView, error) {
	v := &scopeView{key: key, platform: platform, loadedAt: now, byName: map[string]int{}}
	var rows []CacheSecurityGroup
	if err := db.Where("account_id = ? AND region = ?", scope.AccountID, scope.Region).Find(&rows).Error; err != nil {
		return nil, wrap("load groups", err)
	}
	var auths []EC2Authorization
	err := db.Where("group_id IN (?)", db.Model(&CacheSecurityGroup{}).Select("id").
		Where("account_id = ? AND region = ?", scope.AccountID, scope.Region)).Find(&auths).Error
	if err != nil {
		return nil, wrap("load authorizations", err)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	byID := make(map[uint]int, len(rows))
	v.groups = make([]viewGroup, len(rows))
	for i, r := range rows {
		v.groups[i] = viewGroup{row: r, lowerName: strings.ToLower(r.Name), lowerDescr: strings.ToLower(r.Description)}
		v.byName[r.Name] = i
		byID[r.ID] = i
	}
	sort.Slice(auths, func(i, j int) bool {
		if auths[i].EC2GroupName != auths[j].EC2GroupName {
			return auths[i].EC2GroupName < auths[j].EC2GroupName
		}
		return auths[i].EC2OwnerID < auths[j].EC2OwnerID
	})
	for _, a := range auths {
		if i, ok := byID[a.GroupID]; ok {
			v.groups[i].row.Authorizations = append(v.groups[i].row.Authorizations, a)
		}
	}
	if err := v.loadClusters(db, scope, byID); err != nil {
		return nil, err
	}
	err = db.Where("account_id = ? AND region = ? AND platform = ?", scope.AccountID, scope.Region, PlatformClassic).
		Find(&v.suggest).Error
	if err != nil {
		return nil, wrap("load EC2 security groups", err)
	}
	sort.Slice(v.suggest, func(i, j int) bool { return v.suggest[i].Name < v.suggest[j].Name })
	return v, nil
}

// loadClusters reads the clusters that have not finished deleting, and their memberships.
func (v *scopeView) loadClusters(db *gorm.DB, scope Scope, groupsByID map[uint]int) error {
	live := func() *gorm.DB {
		return db.Model(&CacheCluster{}).Where("account_id = ? AND region = ? AND (gone_at IS NULL OR gone_at > ?)", scope.AccountID, scope.Region, v.loadedAt)
	}
	if err := live().Find(&v.clusters).Error; err != nil {
		return wrap("load clusters", err)
	}
	if len(v.clusters) == 0 {
		return nil
	}
	var memberships []ClusterMembership
	if err := db.Where("cluster_row_id IN (?)", live().Select("id")).Find(&memberships).Error; err != nil {
		return wrap("load memberships", err)
	}
	sort.Slice(v.clusters, func(i, j int) bool { return v.clusters[i].ClusterID < v.clusters[j].ClusterID })
	sort.Slice(memberships, func(i, j int) bool { return memberships[i].ID < memberships[j].ID })
	byRow := make(map[uint]int, len(v.clusters))
	for i, c := range v.clusters {
		byRow[c.ID] = i
	}
	for _, m := range memberships {
		ci, ok := byRow[m.ClusterRowID]
		if !ok {
			continue
		}
		if gi, ok := groupsByID[m.GroupID]; ok {
			m.Group = v.groups[gi].row
			m.Group.Authorizations = nil
		}
		v.clusters[ci].Memberships = append(v.clusters[ci].Memberships, m)
	}
	return v.loadClusterParts(db, live().Select("id"), byRow)
}

// classicView is the view of a scope whose cache security groups are in use: a VPC-only region
// refuses with the service's message.
func (s *Store) classicView(ctx context.Context, scope Scope) (*scopeView, error) {
	v, err := s.view(ctx, scope)
	if err != nil {
		return nil, err
	}
	if !v.platform.SupportsClassic() {
		return nil, classicNotPermitted()
	}
	return v, nil
}

// group finds a group by name, case-insensitively, as the service does.
func (v *scopeView) group(name string) (CacheSecurityGroup, error) {
	i, ok := v.byName[strings.ToLower(name)]
	if !ok {
		return CacheSecurityGroup{}, newError(CodeCacheSecurityGroupNotFound, "Cache security group %s not found.", strings.ToLower(name))
	}
	return v.groups[i].row, nil
}

// cluster finds a cluster that has not finished deleting at now.
func (v *scopeView) cluster(id string, now time.Time) (CacheCluster, error) {
	id = strings.ToLower(id)
	i := sort.Search(len(v.clusters), func(i int) bool { return v.clusters[i].ClusterID >= id })
	if i == len(v.clusters) || v.clusters[i].ClusterID != id || v.clusters[i].StatusAt(now) == ClusterGone {
		return CacheCluster{}, newError(CodeCacheClusterNotFound, "Cache cluster %s not found.", id)
	}
	return v.clusters[i], nil
}

// clustersUsing lists the live clusters the group is (or is becoming, or is leaving) a member of.
func (v *scopeView) clustersUsing(groupID uint, now time.Time) []CacheCluster {
	var using []CacheCluster
	for _, c := range v.clusters {
		if c.StatusAt(now) == ClusterGone {
			continue
		}
		for _, m := range c.Memberships {
			if m.GroupID == groupID && m.StatusAt(now) != MembershipGone {
				using = append(using, c)
				break
			}
		}
	}
	return using
}

// stamp names the view's content as seen at now: its version and the next moment a status in it
// changes with time (before it, every status is what it is at now).
func (v *scopeView) stamp(now time.Time) string {
	return fmt.Sprintf("%d.%d.%d", v.key.rowID, v.key.version, v.nextChange(now).UnixNano())
}

// nextChange is the first moment after now at which a status in the view changes by itself (an
// authorization or a cluster finishing a change), or the zero time when nothing is pending.
func (v *scopeView) nextChange(now time.Time) time.Time {
	var next time.Time
	consider := func(t *time.Time) {
		if t != nil && t.After(now) && (next.IsZero() || t.Before(next)) {
			next = *t
		}
	}
	for i := range v.groups {
		for j := range v.groups[i].row.Authorizations {
			a := &v.groups[i].row.Authorizations[j]
			consider(&a.ActiveAt)
			consider(a.GoneAt)
		}
	}
	for i := range v.clusters {
		c := &v.clusters[i]
		consider(&c.AvailableAt)
		consider(c.GoneAt)
		for _, t := range c.dueTimes() {
			consider(t)
		}
		for j := range c.Memberships {
			consider(&c.Memberships[j].ActiveAt)
			consider(c.Memberships[j].GoneAt)
		}
	}
	return next
}
