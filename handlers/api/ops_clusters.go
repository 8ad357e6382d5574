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
		VPCSecurityGroupIDs: r.list("SecurityGroupIds", "SecurityGroupId"), Settings: settings}
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

// modifyCacheCluster applies the security-group part of ModifyCacheCluster; other settings
// (node type, count, engine version) are not simulated and are refused rather than ignored.
func (a *API) modifyCacheCluster(r *request) (any, error) {
	id, err := r.required("CacheClusterId")
	if err != nil {
		return nil, err
	}
	for _, unsupported := range []string{"CacheNodeType", "NumCacheNodes", "EngineVersion", "CacheParameterGroupName"} {
		if r.params.Has(unsupported) {
			return nil, invalid(unsupported, "sgconsole simulates only security group changes")
		}
	}
	groups := r.list("CacheSecurityGroupNames", "CacheSecurityGroupName")
	sent := r.params.Has("CacheSecurityGroupNames") || len(groups) > 0
	if len(r.list("SecurityGroupIds", "SecurityGroupId")) > 0 {
		return nil, invalid("SecurityGroupIds", "sgconsole does not simulate VPC security groups")
	}
	var c models.Cluster
	if sent {
		c, err = a.Store.ModifyClusterSecurityGroups(r.ctx, r.scope, id, groups)
	} else {
		c, err = a.Store.GetCluster(r.ctx, r.scope, id)
	}
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
	if r.params.Get("FinalSnapshotIdentifier") != "" {
		return nil, &Fault{Code: "SnapshotFeatureNotSupportedFault", Message: "sgconsole does not simulate snapshots."}
	}
	c, err := a.Store.DeleteCluster(r.ctx, r.scope, id)
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
