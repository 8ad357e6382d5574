package models

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Tagging error codes and limits.
const (
	CodeInvalidARN       = "InvalidARN"
	CodeTagQuotaExceeded = "TagQuotaPerResourceExceeded"
	MaxTagsPerResource   = 50
	maxTagKeyLength      = 128
	maxTagValueLength    = 256
)

// The resource types of ElastiCache ARNs that take tags here (arn:aws:elasticache:region:account:TYPE:name).
const (
	arnSecurityGroup = "securitygroup"
	arnCluster       = "cluster"
	arnSubnetGroup   = "subnetgroup"
)

// Tag is a key-value label on a resource. Stored, it is a row of the tags of cache security groups
// (table tags); the tags of other resources live in their own tables (see tagTable) and are read
// back as Tags with only Key and Value set.
type Tag struct {
	ID      uint   `gorm:"primaryKey"`
	GroupID uint   `gorm:"not null;index:idx_tag_group_key,unique"`
	Key     string `gorm:"size:128;not null;index:idx_tag_group_key,unique"`
	Value   string `gorm:"size:256;not null"`
}

// TableName keeps the schema explicit.
func (Tag) TableName() string { return "tags" }

// tagTable is where the tags of one resource type are stored: a table of (owner, key, value) rows,
// the owner being the row ID of the tagged resource, each key once per owner.
type tagTable struct {
	name  string // table
	owner string // column holding the owner's row ID
}

var (
	securityGroupTags = tagTable{"tags", "group_id"}
	clusterTags       = tagTable{"cluster_tags", "cluster_row_id"}
	subnetGroupTags   = tagTable{"subnet_group_tags", "subnet_group_id"}
)

// taggable says, for one ARN resource type, where its tags live and how to find the owner.
type taggable struct {
	noun     string // plural, in messages
	table    tagTable
	notFound func(name string) error
	// find returns the owner's row ID in scope; change is true when its tags are about to change.
	find func(s *Store, db *gorm.DB, scope Scope, name string, change bool) (uint, error)
}

// taggables are the resource types that take tags, by ARN resource type.
var taggables = map[string]taggable{
	arnSecurityGroup: {
		noun:  "cache security groups",
		table: securityGroupTags,
		notFound: func(name string) error {
			return newError(CodeCacheSecurityGroupNotFound, "Cache security group %s not found.", name)
		},
		find: func(_ *Store, db *gorm.DB, scope Scope, name string, change bool) (uint, error) {
			if err := requireClassic(db, scope); err != nil {
				return 0, err
			}
			g, err := findGroup(db, scope, name)
			if err != nil {
				return 0, err
			}
			if change && g.Name == DefaultGroupName {
				return 0, newError(CodeInvalidParameterValue, "Tags can't be added to or removed from the default security group.")
			}
			return g.ID, nil
		},
	},
	arnCluster: {
		noun:  "cache clusters",
		table: clusterTags,
		notFound: func(name string) error {
			return newError(CodeCacheClusterNotFound, "Cache cluster %s not found.", name)
		},
		// A cluster's tags can be read and changed until it has finished deleting.
		find: func(s *Store, db *gorm.DB, scope Scope, id string, _ bool) (uint, error) {
			row, err := s.liveCluster(db, scope, id)
			return row.ID, err
		},
	},
	arnSubnetGroup: {
		noun:     "cache subnet groups",
		table:    subnetGroupTags,
		notFound: subnetGroupNotFound,
		find: func(_ *Store, db *gorm.DB, scope Scope, name string, _ bool) (uint, error) {
			row, ok, err := findSubnetGroup(db, scope, name)
			if err == nil && !ok {
				err = subnetGroupNotFound(name)
			}
			return row.ID, err
		},
	},
}

// resourceARN is what an ARN of the caller's scope names.
type resourceARN struct {
	Type string // a key of taggables: securitygroup, cluster, subnetgroup
	Name string // as written in the ARN
}

var arnPattern = regexp.MustCompile(`^arn:aws:elasticache:([a-z0-9-]+):([0-9]{12}):([a-z]+):(.+)$`)

// parseResourceARN checks that an ARN names a taggable resource of this scope. A malformed ARN or
// another region's is InvalidARN; another account's resource is answered like one that never
// existed (its type's not-found error).
func parseResourceARN(scope Scope, arn string) (resourceARN, error) {
	m := arnPattern.FindStringSubmatch(arn)
	if m == nil {
		return resourceARN{}, newError(CodeInvalidARN, "%s is not a valid ElastiCache ARN.", arn)
	}
	region, account, typ, name := m[1], m[2], m[3], m[4]
	if region != scope.Region {
		return resourceARN{}, newError(CodeInvalidARN, "%s is not in region %s.", arn, scope.Region)
	}
	t, ok := taggables[typ]
	if !ok {
		return resourceARN{}, newError(CodeInvalidParameterValue, "sgconsole supports tags on %s only, not on %s resources.", taggableNouns(), typ)
	}
	if account != scope.AccountID {
		return resourceARN{}, t.notFound(name)
	}
	return resourceARN{Type: typ, Name: name}, nil
}

// taggableNouns lists what takes tags, for messages: "cache clusters, cache security groups and ...".
func taggableNouns() string {
	nouns := make([]string, 0, len(taggables))
	for _, t := range taggables {
		nouns = append(nouns, t.noun)
	}
	sort.Strings(nouns)
	last := len(nouns) - 1
	return strings.Join(nouns[:last], ", ") + " and " + nouns[last]
}

func validateTags(tags []Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		switch {
		case t.Key == "" || utf8.RuneCountInString(t.Key) > maxTagKeyLength:
			return newError(CodeInvalidParameterValue, "A tag key is 1 to %d characters long.", maxTagKeyLength)
		case CleanText(t.Key) != "" || HasControl(t.Key) || CleanText(t.Value) != "" || HasControl(t.Value):
			return newError(CodeInvalidParameterValue, "Tag keys and values must be UTF-8 text without control characters.")
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return newError(CodeInvalidParameterValue, "Tag keys can't start with \"aws:\": that prefix is reserved.")
		case utf8.RuneCountInString(t.Value) > maxTagValueLength:
			return newError(CodeInvalidParameterValue, "A tag value is at most %d characters long.", maxTagValueLength)
		case seen[t.Key]:
			return newError(CodeInvalidParameterValue, "The tag key %s appears twice.", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

// list returns an owner's tags in key order.
func (tt tagTable) list(db *gorm.DB, ownerID uint) ([]Tag, error) {
	var rows []struct{ Key, Value string }
	if err := db.Table(tt.name).Select("key", "value").Where(tt.owner+" = ?", ownerID).Order("key").Find(&rows).Error; err != nil {
		return nil, err
	}
	tags := make([]Tag, 0, len(rows))
	for _, r := range rows {
		tags = append(tags, Tag{Key: r.Key, Value: r.Value})
	}
	return tags, nil
}

// put adds or overwrites tags, keeping the owner within MaxTagsPerResource.
func (tt tagTable) put(tx *gorm.DB, ownerID uint, tags []Tag) error {
	if len(tags) == 0 {
		return nil
	}
	if err := validateTags(tags); err != nil {
		return err
	}
	have, err := tt.list(tx, ownerID)
	if err != nil {
		return err
	}
	existing := map[string]bool{}
	for _, t := range have {
		existing[t.Key] = true
	}
	count := len(have)
	for _, t := range tags {
		if existing[t.Key] {
			if err := tx.Table(tt.name).Where(tt.owner+" = ? AND key = ?", ownerID, t.Key).Update("value", t.Value).Error; err != nil {
				return err
			}
			continue
		}
		if count++; count > MaxTagsPerResource {
			return newError(CodeTagQuotaExceeded, "A resource can have at most %d tags.", MaxTagsPerResource)
		}
		if err := tx.Table(tt.name).Create(map[string]any{tt.owner: ownerID, "key": t.Key, "value": t.Value}).Error; err != nil {
			return err
		}
	}
	return nil
}

// remove deletes the given keys of an owner (missing ones are ignored, as the service does).
func (tt tagTable) remove(tx *gorm.DB, ownerID uint, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	return tx.Exec("DELETE FROM "+tt.name+" WHERE "+tt.owner+" = ? AND key IN ?", ownerID, keys).Error
}

// drop deletes all of an owner's tags, with the owner.
func (tt tagTable) drop(tx *gorm.DB, ownerID uint) error {
	return tx.Exec("DELETE FROM "+tt.name+" WHERE "+tt.owner+" = ?", ownerID).Error
}

// ListTags returns the tags of the resource an ARN names.
func (s *Store) ListTags(ctx context.Context, scope Scope, arn string) ([]Tag, error) {
	r, err := parseResourceARN(scope, arn)
	if err != nil {
		return nil, err
	}
	t := taggables[r.Type]
	db := s.db.WithContext(ctx)
	id, err := t.find(s, db, scope, r.Name, false)
	if err != nil {
		return nil, wrap("list tags", err)
	}
	tags, err := t.table.list(db, id)
	return tags, wrap("list tags", err)
}

// AddTags adds or overwrites tags on the resource an ARN names and returns all its tags.
func (s *Store) AddTags(ctx context.Context, scope Scope, arn string, tags []Tag) ([]Tag, error) {
	return s.changeTags(ctx, scope, arn, tags, nil)
}

// RemoveTags removes the given keys (missing ones are ignored, as the service does) and returns the rest.
func (s *Store) RemoveTags(ctx context.Context, scope Scope, arn string, keys []string) ([]Tag, error) {
	return s.changeTags(ctx, scope, arn, nil, keys)
}

// changeTags adds tags to, or removes keys from, the resource an ARN names, in one transaction.
func (s *Store) changeTags(ctx context.Context, scope Scope, arn string, add []Tag, remove []string) ([]Tag, error) {
	r, err := parseResourceARN(scope, arn)
	if err != nil {
		return nil, err
	}
	t := taggables[r.Type]
	var all []Tag
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockScope(tx, scope); err != nil {
			return err
		}
		id, err := t.find(s, tx, scope, r.Name, true)
		if err != nil {
			return err
		}
		if err := t.table.put(tx, id, add); err != nil {
			return err
		}
		if err := t.table.remove(tx, id, remove); err != nil {
			return err
		}
		all, err = t.table.list(tx, id)
		return err
	})
	return all, wrap("change tags", err)
}
