package api

import (
	"strings"
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
	CacheClusterID            string         `xml:"CacheClusterId"`
	ConfigurationEndpoint     *endpointXML   `xml:"ConfigurationEndpoint,omitempty"`
	CacheNodeType             string         `xml:"CacheNodeType"`
	Engine                    string         `xml:"Engine"`
	EngineVersion             string         `xml:"EngineVersion"`
	CacheClusterStatus        string         `xml:"CacheClusterStatus"`
	NumCacheNodes             int            `xml:"NumCacheNodes"`
	PreferredAvailabilityZone string         `xml:"PreferredAvailabilityZone"`
	CacheClusterCreateTime    string         `xml:"CacheClusterCreateTime"`
	PendingModifiedValues     struct{}       `xml:"PendingModifiedValues"`
	CacheSecurityGroups       membershipList `xml:"CacheSecurityGroups"`
	CacheSubnetGroupName      string         `xml:"CacheSubnetGroupName,omitempty"`
	AutoMinorVersionUpgrade   bool           `xml:"AutoMinorVersionUpgrade"`
	SecurityGroups            vpcGroupList   `xml:"SecurityGroups"`
	ARN                       string         `xml:"ARN"`
}

func clusterXML(c models.Cluster) cacheClusterXML {
	x := cacheClusterXML{CacheClusterID: c.ID, CacheNodeType: c.NodeType, Engine: c.Engine, EngineVersion: c.EngineVersion,
		CacheClusterStatus: string(c.Status), NumCacheNodes: c.NumNodes, PreferredAvailabilityZone: c.Region + "a",
		CacheClusterCreateTime: timestamp(c.CreatedAt), CacheSubnetGroupName: c.SubnetGroup, AutoMinorVersionUpgrade: true,
		ARN: c.ARN()}
	if c.Engine == "memcached" {
		x.ConfigurationEndpoint = &endpointXML{Address: c.ID + ".sgc.cfg." + shortRegion(c.Region) + ".cache.amazonaws.com", Port: c.Port()}
	}
	for _, m := range c.CacheSecurityGroups {
		x.CacheSecurityGroups.Items = append(x.CacheSecurityGroups.Items, membershipXML{CacheSecurityGroupName: m.Name, Status: string(m.Status)})
	}
	for _, id := range c.VPCSecurityGroupIDs {
		x.SecurityGroups.Items = append(x.SecurityGroups.Items, vpcGroupXML{SecurityGroupID: id, Status: "active"})
	}
	return x
}

// shortRegion writes us-east-1 as use1, as ElastiCache endpoints do.
func shortRegion(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) != 3 {
		return region
	}
	return parts[0] + parts[1][:1] + parts[2]
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
