package api

import (
	"sort"
	"strings"

	"sgconsole/models"
)

// createClusterParams are the CreateCacheCluster parameters sgconsole honours. Any other one is
// refused by name rather than dropped, so a tool never believes a setting took effect.
var createClusterParams = map[string]bool{
	"Action": true, "Version": true, "CacheClusterId": true, "Engine": true, "CacheNodeType": true,
	"NumCacheNodes": true, "CacheSecurityGroupNames": true, "SecurityGroupIds": true, "CacheSubnetGroupName": true,
	"EngineVersion": true, "Port": true, "CacheParameterGroupName": true, "PreferredMaintenanceWindow": true,
	"SnapshotRetentionLimit": true, "SnapshotWindow": true, "AutoMinorVersionUpgrade": true, "Tags": true,
	"PreferredAvailabilityZone": true, "AZMode": true, "NetworkType": true, "IpDiscovery": true,
	"TransitEncryptionEnabled": true, "SnapshotName": true,
}

// modifyClusterParams are the ModifyCacheCluster parameters sgconsole honours (CacheNodeType only
// as the cluster's own node type: the model refuses another by name).
var modifyClusterParams = map[string]bool{
	"Action": true, "Version": true, "CacheClusterId": true, "NumCacheNodes": true, "CacheNodeIdsToRemove": true, "CacheNodeType": true,
	"EngineVersion": true, "CacheSecurityGroupNames": true, "SecurityGroupIds": true, "CacheParameterGroupName": true,
	"PreferredMaintenanceWindow": true, "SnapshotRetentionLimit": true, "SnapshotWindow": true,
	"AutoMinorVersionUpgrade": true, "ApplyImmediately": true, "AZMode": true, "IpDiscovery": true,
}

// onlyValues are honoured parameters that take one value only: the one sgconsole simulates.
var onlyValues = map[string]string{"AZMode": "single-az", "NetworkType": "ipv4", "IpDiscovery": "ipv4", "TransitEncryptionEnabled": "false"}

// refuseUnknown refuses the first parameter not in known, and a parameter of onlyValues with
// another value. Presigned URLs' own parameters (X-Amz-*) are not the operation's.
func (r *request) refuseUnknown(known map[string]bool) error {
	names := make([]string, 0, len(r.params))
	for key := range r.params {
		names = append(names, key)
	}
	sort.Strings(names)
	for _, key := range names {
		name, _, _ := strings.Cut(key, ".")
		if strings.HasPrefix(name, "X-Amz-") {
			continue
		}
		if !known[name] {
			return invalid(name, "sgconsole does not simulate this parameter")
		}
		if want, ok := onlyValues[name]; ok && !strings.EqualFold(r.params.Get(name), want) {
			return invalid(name, "sgconsole simulates only "+want)
		}
	}
	return nil
}

// boolParam reads an optional boolean ("true" or "false", as the SDKs send them); nil when absent.
func (r *request) boolParam(name string) (*bool, error) {
	v := r.params.Get(name)
	if v == "" {
		return nil, nil
	}
	if !strings.EqualFold(v, "true") && !strings.EqualFold(v, "false") {
		return nil, invalid(name, "must be true or false")
	}
	b := strings.EqualFold(v, "true")
	return &b, nil
}

// optionalInt reads an optional integer; nil when absent.
func (r *request) optionalInt(name string) (*int, error) {
	if r.params.Get(name) == "" {
		return nil, nil
	}
	n, err := r.intParam(name, 0)
	return &n, err
}

// clusterSettings reads the settings CreateCacheCluster takes beyond the cluster's shape.
func (r *request) clusterSettings() (models.ClusterSettings, error) {
	s := models.ClusterSettings{EngineVersion: r.params.Get("EngineVersion"), ParameterGroup: r.params.Get("CacheParameterGroupName"),
		MaintenanceWindow: r.params.Get("PreferredMaintenanceWindow"), SnapshotWindow: r.params.Get("SnapshotWindow"),
		AvailabilityZone: r.params.Get("PreferredAvailabilityZone"), Tags: r.tags()}
	var err error
	if r.params.Has("Port") {
		if s.Port, err = r.intParam("Port", 0); err != nil {
			return s, err
		}
		if s.Port == 0 {
			return s, invalid("Port", "must be a number from 1 to 65535")
		}
	}
	if s.SnapshotRetentionLimit, err = r.optionalInt("SnapshotRetentionLimit"); err != nil {
		return s, err
	}
	s.AutoMinorVersionUpgrade, err = r.boolParam("AutoMinorVersionUpgrade")
	return s, err
}
