package models

import (
	"fmt"
	"strings"
)

// CodeCacheParameterGroupNotFound is the fault for a parameter group that does not exist.
const CodeCacheParameterGroupNotFound = "CacheParameterGroupNotFound"

// EngineVersion is one published version of an engine, as DescribeCacheEngineVersions lists it.
// Redis 6 and later are published as major.minor; a cluster runs the patch release in Actual.
type EngineVersion struct {
	Engine  string
	Version string
	Actual  string
	Family  string
}

// EngineVersions is the published list, oldest first per engine.
var EngineVersions = []EngineVersion{
	{"memcached", "1.4.5", "1.4.5", "memcached1.4"},
	{"memcached", "1.4.14", "1.4.14", "memcached1.4"},
	{"memcached", "1.4.24", "1.4.24", "memcached1.4"},
	{"memcached", "1.4.34", "1.4.34", "memcached1.4"},
	{"memcached", "1.5.16", "1.5.16", "memcached1.5"},
	{"memcached", "1.6.6", "1.6.6", "memcached1.6"},
	{"memcached", "1.6.17", "1.6.17", "memcached1.6"},
	{"redis", "2.8.24", "2.8.24", "redis2.8"},
	{"redis", "3.2.10", "3.2.10", "redis3.2"},
	{"redis", "4.0.10", "4.0.10", "redis4.0"},
	{"redis", "5.0.6", "5.0.6", "redis5.0"},
	{"redis", "6.0", "6.0.5", "redis6.x"},
	{"redis", "6.2", "6.2.6", "redis6.x"},
	{"redis", "7.0", "7.0.7", "redis7"},
	{"redis", "7.1", "7.1.0", "redis7"},
}

// Engines maps each engine to its default version: the EC2-Classic era's, which the console's
// labs and demo were written for.
var Engines = map[string]string{"memcached": "1.4.34", "redis": "3.2.10"}

// ParameterGroup is one of the `default.<family>` cache parameter groups, the only ones served.
type ParameterGroup struct {
	Name   string
	Family string
}

// Description is the text AWS gives a default parameter group.
func (p ParameterGroup) Description() string { return "Default parameter group for " + p.Family }

// ARN is the parameter group's Amazon Resource Name in a scope.
func (p ParameterGroup) ARN(scope Scope) string {
	return fmt.Sprintf("arn:aws:elasticache:%s:%s:parametergroup:%s", scope.Region, scope.AccountID, p.Name)
}

// ParameterGroups lists the default parameter groups, one per family, in name order.
func ParameterGroups() []ParameterGroup {
	var groups []ParameterGroup
	seen := map[string]bool{}
	for _, v := range EngineVersions {
		if !seen[v.Family] {
			seen[v.Family] = true
			groups = append(groups, ParameterGroup{Name: "default." + v.Family, Family: v.Family})
		}
	}
	return groups
}

// FindParameterGroup finds a default parameter group by name (case-insensitive).
func FindParameterGroup(name string) (ParameterGroup, error) {
	for _, g := range ParameterGroups() {
		if strings.EqualFold(g.Name, name) {
			return g, nil
		}
	}
	return ParameterGroup{}, newError(CodeCacheParameterGroupNotFound, "CacheParameterGroup %s not found.", name)
}

// findEngineVersion resolves what a user asked for: a published version, its actual patch
// release, or for Redis 6 and later "6.x" (the newest 6 release). Empty means the default.
func findEngineVersion(engine, asked string) (EngineVersion, bool) {
	if asked == "" {
		asked = Engines[engine]
	}
	var found EngineVersion
	ok := false
	for _, v := range EngineVersions {
		if v.Engine != engine {
			continue
		}
		major, _, _ := strings.Cut(v.Version, ".")
		if asked == v.Version || asked == v.Actual || (asked == major+".x" && compareVersions(major, "6") >= 0) {
			found, ok = v, true // the newest match wins: the list is oldest first
		}
	}
	return found, ok
}

// engineVersionOf finds the published entry of a version a cluster runs (its Actual).
func engineVersionOf(engine, actual string) (EngineVersion, bool) {
	for _, v := range EngineVersions {
		if v.Engine == engine && v.Actual == actual {
			return v, true
		}
	}
	return EngineVersion{}, false
}

// compareVersions orders dotted version numbers numerically.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		var x, y int
		if i < len(as) {
			fmt.Sscan(as[i], &x)
		}
		if i < len(bs) {
			fmt.Sscan(bs[i], &y)
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}
