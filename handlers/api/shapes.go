package api

import (
	"time"

	"sgconsole/models"
)

// timestamp is how the Query API writes times: ISO 8601 in UTC with milliseconds.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

type ec2SecurityGroupXML struct {
	Status                  string `xml:"Status"`
	EC2SecurityGroupName    string `xml:"EC2SecurityGroupName"`
	EC2SecurityGroupOwnerID string `xml:"EC2SecurityGroupOwnerId"`
}

// Lists are wrapper structs so an empty list is still written, as <EC2SecurityGroups/>, like AWS does.
type ec2SecurityGroupList struct {
	Items []ec2SecurityGroupXML `xml:"EC2SecurityGroup"`
}

type cacheSecurityGroupXML struct {
	OwnerID                string               `xml:"OwnerId"`
	CacheSecurityGroupName string               `xml:"CacheSecurityGroupName"`
	Description            string               `xml:"Description"`
	EC2SecurityGroups      ec2SecurityGroupList `xml:"EC2SecurityGroups"`
	ARN                    string               `xml:"ARN"`
}

func groupXML(g models.SecurityGroup) cacheSecurityGroupXML {
	x := cacheSecurityGroupXML{OwnerID: g.OwnerID, CacheSecurityGroupName: g.Name, Description: g.Description, ARN: g.ARN()}
	for _, e := range g.EC2SecurityGroups {
		x.EC2SecurityGroups.Items = append(x.EC2SecurityGroups.Items, ec2SecurityGroupXML{Status: string(e.Status), EC2SecurityGroupName: e.Name, EC2SecurityGroupOwnerID: e.OwnerID})
	}
	return x
}

type groupResult struct {
	CacheSecurityGroup cacheSecurityGroupXML `xml:"CacheSecurityGroup"`
}

type membershipXML struct {
	CacheSecurityGroupName string `xml:"CacheSecurityGroupName"`
	Status                 string `xml:"Status"`
}

type vpcGroupXML struct {
	SecurityGroupID string `xml:"SecurityGroupId"`
	Status          string `xml:"Status"`
}

type membershipList struct {
	Items []membershipXML `xml:"CacheSecurityGroup"`
}

type vpcGroupList struct {
	Items []vpcGroupXML `xml:"member"` // this list has no member name in the model
}

type endpointXML struct {
	Address string `xml:"Address"`
	Port    int    `xml:"Port"`
}

type cacheClusterXML struct {
	CacheClusterID             string               `xml:"CacheClusterId"`
	ConfigurationEndpoint      *endpointXML         `xml:"ConfigurationEndpoint,omitempty"`
	ClientDownloadLandingPage  string               `xml:"ClientDownloadLandingPage"`
	CacheNodeType              string               `xml:"CacheNodeType"`
	Engine                     string               `xml:"Engine"`
	EngineVersion              string               `xml:"EngineVersion"`
	CacheClusterStatus         string               `xml:"CacheClusterStatus"`
	NumCacheNodes              int                  `xml:"NumCacheNodes"`
	PreferredAvailabilityZone  string               `xml:"PreferredAvailabilityZone"`
	CacheClusterCreateTime     string               `xml:"CacheClusterCreateTime"`
	PreferredMaintenanceWindow string               `xml:"PreferredMaintenanceWindow"`
	PendingModifiedValues      pendingValuesXML     `xml:"PendingModifiedValues"`
	CacheSecurityGroups        membershipList       `xml:"CacheSecurityGroups"`
	CacheParameterGroup        parameterGroupStatus `xml:"CacheParameterGroup"`
	CacheSubnetGroupName       string               `xml:"CacheSubnetGroupName,omitempty"`
	CacheNodes                 *cacheNodeList       `xml:"CacheNodes,omitempty"`
	AutoMinorVersionUpgrade    bool                 `xml:"AutoMinorVersionUpgrade"`
	SecurityGroups             vpcGroupList         `xml:"SecurityGroups"`
	SnapshotRetentionLimit     *int                 `xml:"SnapshotRetentionLimit,omitempty"`
	SnapshotWindow             string               `xml:"SnapshotWindow,omitempty"`
	AuthTokenEnabled           bool                 `xml:"AuthTokenEnabled"`
	TransitEncryptionEnabled   bool                 `xml:"TransitEncryptionEnabled"`
	AtRestEncryptionEnabled    bool                 `xml:"AtRestEncryptionEnabled"`
	ARN                        string               `xml:"ARN"`
	NetworkType                string               `xml:"NetworkType"`
	IPDiscovery                string               `xml:"IpDiscovery"`
}

// pendingValuesXML is PendingModifiedValues: only what waits for the maintenance window.
type pendingValuesXML struct {
	NumCacheNodes        *int        `xml:"NumCacheNodes,omitempty"`
	CacheNodeIdsToRemove *nodeIDList `xml:"CacheNodeIdsToRemove,omitempty"`
	EngineVersion        string      `xml:"EngineVersion,omitempty"`
	CacheNodeType        string      `xml:"CacheNodeType,omitempty"`
}

type nodeIDList struct {
	Items []string `xml:"CacheNodeId"`
}

type parameterGroupStatus struct {
	CacheParameterGroupName string     `xml:"CacheParameterGroupName"`
	ParameterApplyStatus    string     `xml:"ParameterApplyStatus"`
	CacheNodeIdsToReboot    nodeIDList `xml:"CacheNodeIdsToReboot"`
}

type cacheNodeXML struct {
	CacheNodeID              string      `xml:"CacheNodeId"`
	CacheNodeStatus          string      `xml:"CacheNodeStatus"`
	CacheNodeCreateTime      string      `xml:"CacheNodeCreateTime"`
	Endpoint                 endpointXML `xml:"Endpoint"`
	ParameterGroupStatus     string      `xml:"ParameterGroupStatus"`
	CustomerAvailabilityZone string      `xml:"CustomerAvailabilityZone"`
}

type cacheNodeList struct {
	Items []cacheNodeXML `xml:"CacheNode"`
}

// clusterXML writes a cluster as AWS does; its nodes only when asked (ShowCacheNodeInfo).
func clusterXML(c models.Cluster, withNodes bool) cacheClusterXML {
	x := cacheClusterXML{CacheClusterID: c.ID, CacheNodeType: c.NodeType, Engine: c.Engine, EngineVersion: c.EngineVersion,
		ClientDownloadLandingPage: "https://console.aws.amazon.com/elasticache/home#client-download:",
		CacheClusterStatus:        string(c.Status), NumCacheNodes: c.NumNodes, PreferredAvailabilityZone: c.AvailabilityZone,
		CacheClusterCreateTime: timestamp(c.CreatedAt), PreferredMaintenanceWindow: c.MaintenanceWindow,
		CacheSubnetGroupName: c.SubnetGroup, AutoMinorVersionUpgrade: c.AutoMinorVersionUpgrade,
		CacheParameterGroup: parameterGroupStatus{CacheParameterGroupName: c.ParameterGroup, ParameterApplyStatus: "in-sync"},
		ARN:                 c.ARN(), NetworkType: "ipv4", IPDiscovery: "ipv4"}
	if address, ok := c.ConfigurationEndpoint(); ok {
		x.ConfigurationEndpoint = &endpointXML{Address: address, Port: c.Port()}
	}
	if c.IsRedis() {
		limit := c.SnapshotRetentionLimit
		x.SnapshotRetentionLimit, x.SnapshotWindow = &limit, c.SnapshotWindow
	}
	if p := c.PendingChange; p != nil {
		if p.NumNodes != 0 {
			n := p.NumNodes
			x.PendingModifiedValues.NumCacheNodes = &n
		}
		if len(p.NodeIDsToRemove) > 0 {
			x.PendingModifiedValues.CacheNodeIdsToRemove = &nodeIDList{Items: p.NodeIDsToRemove}
		}
		x.PendingModifiedValues.EngineVersion = p.EngineVersion
	}
	if withNodes {
		x.CacheNodes = &cacheNodeList{}
		for _, n := range c.Nodes {
			x.CacheNodes.Items = append(x.CacheNodes.Items, cacheNodeXML{CacheNodeID: n.ID, CacheNodeStatus: n.Status,
				CacheNodeCreateTime: timestamp(n.CreatedAt), Endpoint: endpointXML{Address: n.Address, Port: n.Port},
				ParameterGroupStatus: "in-sync", CustomerAvailabilityZone: n.AvailabilityZone})
		}
	}
	for _, m := range c.CacheSecurityGroups {
		x.CacheSecurityGroups.Items = append(x.CacheSecurityGroups.Items, membershipXML{CacheSecurityGroupName: m.Name, Status: string(m.Status)})
	}
	for _, id := range c.VPCSecurityGroupIDs {
		x.SecurityGroups.Items = append(x.SecurityGroups.Items, vpcGroupXML{SecurityGroupID: id, Status: "active"})
	}
	return x
}

type clusterResult struct {
	CacheCluster cacheClusterXML `xml:"CacheCluster"`
}

type eventXML struct {
	SourceIdentifier string `xml:"SourceIdentifier"`
	SourceType       string `xml:"SourceType"`
	Message          string `xml:"Message"`
	Date             string `xml:"Date"`
}

type tagXML struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type tagList struct {
	Items []tagXML `xml:"Tag"`
}

type tagListResult struct {
	TagList tagList `xml:"TagList"`
}

func tagsXML(tags []models.Tag) tagListResult {
	var r tagListResult
	for _, t := range tags {
		r.TagList.Items = append(r.TagList.Items, tagXML{Key: t.Key, Value: t.Value})
	}
	return r
}
