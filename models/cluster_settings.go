package models

import (
	"sort"
	"time"
)

// ClusterSettings are the settings of a cluster beyond its shape: everything CreateCacheCluster
// takes that sgconsole honours. Zero values ask for the service's defaults.
type ClusterSettings struct {
	EngineVersion           string
	Port                    int
	ParameterGroup          string
	MaintenanceWindow       string
	SnapshotRetentionLimit  *int
	SnapshotWindow          string
	AutoMinorVersionUpgrade *bool
	AvailabilityZone        string
	Tags                    []Tag
}

// resolvedSettings are ClusterSettings checked against the engine, defaults filled in.
type resolvedSettings struct {
	version        EngineVersion
	port           int
	parameterGroup string
	maintenance    string
	retention      int
	snapshotWindow string
	minorOff       bool
	zone           string
}

// resolve checks the settings of a new cluster of engine and fills in the defaults.
func (s ClusterSettings) resolve(scope Scope, id, engine string) (resolvedSettings, error) {
	var r resolvedSettings
	version, ok := findEngineVersion(engine, s.EngineVersion)
	if !ok {
		return r, fieldError(CodeInvalidParameterValue, "engine_version", "Engine version %s is not a published version of %s (see DescribeCacheEngineVersions).", s.EngineVersion, engine)
	}
	r.version = version
	r.port = s.Port
	if r.port == 0 {
		r.port = DefaultPort(engine)
	} else if r.port < 1 || r.port > 65535 {
		return r, fieldError(CodeInvalidParameterValue, "port", "The port must be a number from 1 to 65535.")
	}
	r.parameterGroup = "default." + version.Family
	if s.ParameterGroup != "" {
		g, err := FindParameterGroup(s.ParameterGroup)
		if err != nil {
			e, _ := AsError(err)
			e.Fields = []FieldError{{"parameter_group", e.Message}}
			return r, e
		}
		if g.Family != version.Family {
			return r, fieldError(CodeInvalidParameterCombination, "parameter_group", "The parameter group %s is of family %s; %s %s needs a %s parameter group.", g.Name, g.Family, engine, version.Version, version.Family)
		}
		r.parameterGroup = g.Name
	}
	r.maintenance = defaultMaintenanceWindow(scope.AccountID, scope.Region, id)
	if s.MaintenanceWindow != "" {
		w, _, _, err := ParseMaintenanceWindow(s.MaintenanceWindow)
		if err != nil {
			return r, err
		}
		r.maintenance = w
	}
	if engine != "redis" {
		if s.SnapshotRetentionLimit != nil && *s.SnapshotRetentionLimit != 0 {
			return r, fieldError(CodeInvalidParameterValue, "snapshot_retention_limit", "Snapshots are for Redis clusters only: a Memcached cluster takes no snapshot retention limit.")
		}
		if s.SnapshotWindow != "" {
			return r, fieldError(CodeInvalidParameterValue, "snapshot_window", "Snapshots are for Redis clusters only: a Memcached cluster takes no snapshot window.")
		}
	} else {
		if err := r.resolveSnapshots(s.SnapshotRetentionLimit, s.SnapshotWindow); err != nil {
			return r, err
		}
	}
	r.minorOff = s.AutoMinorVersionUpgrade != nil && !*s.AutoMinorVersionUpgrade
	r.zone = scope.Region + "a"
	if s.AvailabilityZone != "" {
		if !validZone(scope.Region, s.AvailabilityZone) {
			return r, fieldError(CodeInvalidParameterValue, "availability_zone", "%s is not an availability zone of %s (use %sa to %sf).", s.AvailabilityZone, scope.Region, scope.Region, scope.Region)
		}
		r.zone = s.AvailabilityZone
	}
	if err := validateTags(s.Tags); err != nil {
		return r, err
	}
	if len(s.Tags) > MaxTagsPerResource {
		return r, newError(CodeTagQuotaExceeded, "A resource can have at most %d tags.", MaxTagsPerResource)
	}
	return r, nil
}

// resolveSnapshots checks a Redis cluster's snapshot settings against its maintenance window.
func (r *resolvedSettings) resolveSnapshots(limit *int, window string) error {
	if limit != nil {
		if *limit < 0 || *limit > MaxSnapshotRetentionLimit {
			return fieldError(CodeInvalidParameterValue, "snapshot_retention_limit", "The snapshot retention limit is 0 to %d days.", MaxSnapshotRetentionLimit)
		}
		r.retention = *limit
	}
	r.snapshotWindow = defaultSnapshotWindow(r.maintenance)
	if window == "" {
		return nil
	}
	start, end, err := ParseSnapshotWindow(window)
	if err != nil {
		return err
	}
	if windowsOverlap(r.maintenance, start, end) {
		return fieldError(CodeInvalidParameterCombination, "snapshot_window", "The snapshot window %s overlaps the maintenance window %s.", window, r.maintenance)
	}
	r.snapshotWindow = window
	return nil
}

// windowsOverlap reports whether a daily window (minutes of the day) meets the weekly maintenance window.
func windowsOverlap(maintenance string, start, end int) bool {
	_, ms, me, err := ParseMaintenanceWindow(maintenance)
	if err != nil {
		return false
	}
	for day := -1; day <= 7; day++ {
		s, e := day*minutesPerDay+start, day*minutesPerDay+end
		for _, shift := range []int{0, minutesPerWeek} {
			if s < me+shift && ms+shift < e {
				return true
			}
		}
	}
	return false
}

func validZone(region, zone string) bool {
	return len(zone) == len(region)+1 && zone[:len(region)] == region && zone[len(region)] >= 'a' && zone[len(region)] <= 'f'
}

// apply stores the resolved settings on a new cluster's row.
func (r resolvedSettings) apply(row *CacheCluster) {
	row.Port, row.ParameterGroup, row.MaintenanceWindow = r.port, r.parameterGroup, r.maintenance
	row.SnapshotRetentionLimit, row.SnapshotWindow = r.retention, r.snapshotWindow
	row.MinorUpgradesOff, row.AvailabilityZone = r.minorOff, r.zone
}

// describeSettings fills in what a row stores beyond the cluster's shape, defaults for zero values.
func describeSettings(c *Cluster, row CacheCluster, now time.Time) {
	c.hash = clusterHash(row.AccountID, row.Region, row.ClusterID)
	c.PortNumber = row.Port
	if c.PortNumber == 0 {
		c.PortNumber = DefaultPort(row.Engine)
	}
	if v, ok := engineVersionOf(row.Engine, row.EngineVersion); ok {
		c.ParameterGroupFamily = v.Family
	}
	c.ParameterGroup = row.ParameterGroup
	if c.ParameterGroup == "" {
		c.ParameterGroup = "default." + c.ParameterGroupFamily
	}
	c.MaintenanceWindow = row.MaintenanceWindow
	if c.MaintenanceWindow == "" {
		c.MaintenanceWindow = defaultMaintenanceWindow(row.AccountID, row.Region, row.ClusterID)
	}
	if row.Engine == "redis" {
		c.SnapshotRetentionLimit, c.SnapshotWindow = row.SnapshotRetentionLimit, row.SnapshotWindow
		if c.SnapshotWindow == "" {
			c.SnapshotWindow = defaultSnapshotWindow(c.MaintenanceWindow)
		}
	}
	c.AutoMinorVersionUpgrade = !row.MinorUpgradesOff
	c.AvailabilityZone = row.AvailabilityZone
	if c.AvailabilityZone == "" {
		c.AvailabilityZone = row.Region + "a"
	}
	c.Nodes = describeNodes(row, *c, now)
	c.Tags = make([]Tag, 0, len(row.Tags))
	for _, t := range row.Tags {
		c.Tags = append(c.Tags, Tag{Key: t.Key, Value: t.Value})
	}
	sort.Slice(c.Tags, func(i, j int) bool { return c.Tags[i].Key < c.Tags[j].Key })
}
