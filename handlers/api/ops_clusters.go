package api

import (
	"strings"

	"sgconsole/models"
)

type describeClustersResult struct {
	Marker        string `xml:"Marker,omitempty"`
	CacheClusters struct {
		Items []cacheClusterXML `xml:"CacheCluster"`
	} `xml:"CacheClusters"`
}

func (a *API) createCacheCluster(r *request) (any, error) {
	id, err := r.required("CacheClusterId")
	if err != nil {
		return nil, err
	}
	if err := r.refuseUnknown(createClusterParams); err != nil {
		return nil, err
	}
	nodes, err := r.intParam("NumCacheNodes", 1)
	if err != nil {
		return nil, err
	}
	settings, err := r.clusterSettings()
	if err != nil {
		return nil, err
	}
	n := models.NewCluster{ID: id, Engine: r.params.Get("Engine"), NodeType: r.params.Get("CacheNodeType"), NumNodes: nodes,
		CacheSecurityGroups: r.list("CacheSecurityGroupNames", "CacheSecurityGroupName"),
		SubnetGroup:         r.params.Get("CacheSubnetGroupName"),
		VPCSecurityGroupIDs: r.list("SecurityGroupIds", "SecurityGroupId"), Settings: settings,
		SnapshotName: r.params.Get("SnapshotName")}
	c, err := a.Store.CreateCluster(r.ctx, r.scope, n)
	if err != nil {
		return nil, err
	}
	return clusterResult{clusterXML(c, false)}, nil
}

func (a *API) describeCacheClusters(r *request) (any, error) {
	limit, after, err := r.page()
	if err != nil {
		return nil, err
	}
	showNodes, err := r.boolParam("ShowCacheNodeInfo")
	if err != nil {
		return nil, err
	}
	clusters, next, err := a.Store.DescribeClusters(r.ctx, r.scope, r.params.Get("CacheClusterId"), after, limit)
	if err != nil {
		return nil, err
	}
	var res describeClustersResult
	res.Marker = marker(next)
	for _, c := range clusters {
		res.CacheClusters.Items = append(res.CacheClusters.Items, clusterXML(c, showNodes != nil && *showNodes))
	}
	return res, nil
}

// modifyCacheCluster changes what Terraform and the CLI change: nodes, engine version, security
// groups, windows, snapshot settings, parameter group. Anything else is refused by name.
func (a *API) modifyCacheCluster(r *request) (any, error) {
	id, err := r.required("CacheClusterId")
	if err != nil {
		return nil, err
	}
	if err := r.refuseUnknown(modifyClusterParams); err != nil {
		return nil, err
	}
	m := models.ClusterModification{NodeType: r.params.Get("CacheNodeType"), EngineVersion: r.params.Get("EngineVersion"), ParameterGroup: r.params.Get("CacheParameterGroupName"),
		MaintenanceWindow: r.params.Get("PreferredMaintenanceWindow"), SnapshotWindow: r.params.Get("SnapshotWindow"),
		NodeIDsToRemove: r.list("CacheNodeIdsToRemove", "CacheNodeId")}
	if r.params.Has("NumCacheNodes") {
		n, err := r.intParam("NumCacheNodes", 0)
		if err != nil {
			return nil, err
		}
		m.NumNodes = &n
	}
	if m.SnapshotRetentionLimit, err = r.optionalInt("SnapshotRetentionLimit"); err != nil {
		return nil, err
	}
	if m.AutoMinorVersionUpgrade, err = r.boolParam("AutoMinorVersionUpgrade"); err != nil {
		return nil, err
	}
	apply, err := r.boolParam("ApplyImmediately")
	if err != nil {
		return nil, err
	}
	m.ApplyImmediately = apply != nil && *apply
	m.CacheSecurityGroups = r.list("CacheSecurityGroupNames", "CacheSecurityGroupName")
	m.SetCacheSecurityGroups = r.params.Has("CacheSecurityGroupNames") || len(m.CacheSecurityGroups) > 0
	m.VPCSecurityGroupIDs = r.list("SecurityGroupIds", "SecurityGroupId")
	m.SetVPCSecurityGroupIDs = r.params.Has("SecurityGroupIds") || len(m.VPCSecurityGroupIDs) > 0
	c, err := a.Store.ModifyCluster(r.ctx, r.scope, id, m)
	if err != nil {
		return nil, err
	}
	return clusterResult{clusterXML(c, false)}, nil
}

func (a *API) deleteCacheCluster(r *request) (any, error) {
	id, err := r.required("CacheClusterId")
	if err != nil {
		return nil, err
	}
	var c models.Cluster
	if final := r.params.Get("FinalSnapshotIdentifier"); final != "" {
		c, err = a.Store.DeleteClusterWithFinalSnapshot(r.ctx, r.scope, id, final, nil)
	} else {
		c, err = a.Store.DeleteCluster(r.ctx, r.scope, id)
	}
	if err != nil {
		return nil, err
	}
	return clusterResult{clusterXML(c, false)}, nil
}

type describeReplicationGroupsResult struct {
	Marker            string `xml:"Marker,omitempty"`
	ReplicationGroups struct {
		Items []struct{} `xml:"ReplicationGroup"`
	} `xml:"ReplicationGroups"`
}

// describeReplicationGroups answers as an account without replication groups does: sgconsole
// simulates single clusters only, and tools (Terraform among them) call this to look for them.
func (a *API) describeReplicationGroups(r *request) (any, error) {
	if _, _, err := r.page(); err != nil {
		return nil, err
	}
	if id := r.params.Get("ReplicationGroupId"); id != "" {
		return nil, &Fault{Code: "ReplicationGroupNotFoundFault", Message: "ReplicationGroup " + strings.ToLower(id) + " not found."}
	}
	return describeReplicationGroupsResult{}, nil
}
