package api

import (
	"strings"

	"sgconsole/models"
)

type nodeSnapshotXML struct {
	CacheNodeID         string `xml:"CacheNodeId"`
	CacheSize           string `xml:"CacheSize"`
	CacheNodeCreateTime string `xml:"CacheNodeCreateTime"`
	SnapshotCreateTime  string `xml:"SnapshotCreateTime"`
}

type nodeSnapshotList struct {
	Items []nodeSnapshotXML `xml:"NodeSnapshot"`
}

// snapshotXML is the model's Snapshot shape, in its order.
type snapshotXML struct {
	SnapshotName               string           `xml:"SnapshotName"`
	CacheClusterID             string           `xml:"CacheClusterId"`
	SnapshotStatus             string           `xml:"SnapshotStatus"`
	SnapshotSource             string           `xml:"SnapshotSource"`
	CacheNodeType              string           `xml:"CacheNodeType"`
	Engine                     string           `xml:"Engine"`
	EngineVersion              string           `xml:"EngineVersion"`
	NumCacheNodes              int              `xml:"NumCacheNodes"`
	PreferredAvailabilityZone  string           `xml:"PreferredAvailabilityZone"`
	CacheClusterCreateTime     string           `xml:"CacheClusterCreateTime"`
	PreferredMaintenanceWindow string           `xml:"PreferredMaintenanceWindow"`
	Port                       int              `xml:"Port"`
	CacheParameterGroupName    string           `xml:"CacheParameterGroupName"`
	CacheSubnetGroupName       string           `xml:"CacheSubnetGroupName,omitempty"`
	VpcID                      string           `xml:"VpcId,omitempty"`
	AutoMinorVersionUpgrade    bool             `xml:"AutoMinorVersionUpgrade"`
	SnapshotRetentionLimit     int              `xml:"SnapshotRetentionLimit"`
	SnapshotWindow             string           `xml:"SnapshotWindow"`
	NodeSnapshots              nodeSnapshotList `xml:"NodeSnapshots"`
	ARN                        string           `xml:"ARN"`
}

func snapshotShape(s models.Snapshot) snapshotXML {
	x := snapshotXML{SnapshotName: s.Name, CacheClusterID: s.ClusterID, SnapshotStatus: s.Status, SnapshotSource: s.Source,
		CacheNodeType: s.NodeType, Engine: s.Engine, EngineVersion: s.EngineVersion, NumCacheNodes: s.NumNodes,
		PreferredAvailabilityZone: s.AvailabilityZone, CacheClusterCreateTime: timestamp(s.ClusterCreatedAt),
		PreferredMaintenanceWindow: s.MaintenanceWindow, Port: s.Port, CacheParameterGroupName: s.ParameterGroup,
		CacheSubnetGroupName: s.SubnetGroup, VpcID: s.VPCID, AutoMinorVersionUpgrade: s.AutoMinorVersionUpgrade,
		SnapshotRetentionLimit: s.SnapshotRetentionLimit, SnapshotWindow: s.SnapshotWindow, ARN: s.ARN()}
	for _, n := range s.Nodes {
		x.NodeSnapshots.Items = append(x.NodeSnapshots.Items, nodeSnapshotXML{CacheNodeID: n.CacheNodeID, CacheSize: n.CacheSize,
			CacheNodeCreateTime: timestamp(n.CacheNodeCreatedAt), SnapshotCreateTime: timestamp(n.SnapshotCreatedAt)})
	}
	return x
}

type snapshotResult struct {
	Snapshot snapshotXML `xml:"Snapshot"`
}

type describeSnapshotsResult struct {
	Marker    string `xml:"Marker,omitempty"`
	Snapshots struct {
		Items []snapshotXML `xml:"Snapshot"`
	} `xml:"Snapshots"`
}

// createSnapshotParams are the CreateSnapshot parameters sgconsole honours; KmsKeyId is refused by name.
var createSnapshotParams = map[string]bool{
	"Action": true, "Version": true, "SnapshotName": true, "CacheClusterId": true, "ReplicationGroupId": true, "Tags": true,
}

// noReplicationGroup refuses a ReplicationGroupId: sgconsole simulates single clusters only, so
// no replication group exists (as DescribeReplicationGroups answers).
func (r *request) noReplicationGroup() error {
	if id := r.params.Get("ReplicationGroupId"); id != "" {
		return &Fault{Code: "ReplicationGroupNotFoundFault", Message: "ReplicationGroup " + strings.ToLower(id) + " not found."}
	}
	return nil
}

func (a *API) createSnapshot(r *request) (any, error) {
	name, err := r.required("SnapshotName")
	if err != nil {
		return nil, err
	}
	if err := r.refuseUnknown(createSnapshotParams); err != nil {
		return nil, err
	}
	if err := r.noReplicationGroup(); err != nil {
		return nil, err
	}
	s, err := a.Store.CreateSnapshot(r.ctx, r.scope, r.params.Get("CacheClusterId"), name, r.tags())
	if err != nil {
		return nil, err
	}
	return snapshotResult{snapshotShape(s)}, nil
}

// describeSnapshots pages by MaxRecords from 20 to 50 (default 50), as the service does.
func (a *API) describeSnapshots(r *request) (any, error) {
	limit, err := r.intParam("MaxRecords", 50)
	if err != nil {
		return nil, err
	}
	if limit < 20 || limit > 50 {
		return nil, invalid("MaxRecords", "must be between 20 and 50")
	}
	after, err := decodeMarker(r.params.Get("Marker"))
	if err != nil {
		return nil, err
	}
	if _, err := r.boolParam("ShowNodeGroupConfig"); err != nil {
		return nil, err
	}
	if err := r.noReplicationGroup(); err != nil {
		return nil, err
	}
	page, err := a.Store.ListSnapshots(r.ctx, r.scope, models.SnapshotListOptions{ClusterID: r.params.Get("CacheClusterId"),
		Name: r.params.Get("SnapshotName"), Source: r.params.Get("SnapshotSource"), After: after, Limit: limit})
	if err != nil {
		return nil, err
	}
	var res describeSnapshotsResult
	res.Marker = marker(page.Next)
	for _, s := range page.Items {
		res.Snapshots.Items = append(res.Snapshots.Items, snapshotShape(s))
	}
	return res, nil
}

func (a *API) deleteSnapshot(r *request) (any, error) {
	name, err := r.required("SnapshotName")
	if err != nil {
		return nil, err
	}
	s, err := a.Store.DeleteSnapshot(r.ctx, r.scope, name)
	if err != nil {
		return nil, err
	}
	return snapshotResult{snapshotShape(s)}, nil
}
