package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"sgconsole/models"
)

// redisInput is a one-node EC2-Classic Redis cluster with settings a restore should carry over.
func redisInput(id string) *elasticache.CreateCacheClusterInput {
	return &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String(id), Engine: aws.String("redis"),
		CacheNodeType: aws.String("cache.m1.small"), NumCacheNodes: aws.Int32(1), EngineVersion: aws.String("3.2.10"),
		Port: aws.Int32(6390), PreferredMaintenanceWindow: aws.String("wed:03:00-wed:04:00"), SnapshotWindow: aws.String("05:00-06:00"),
		SnapshotRetentionLimit: aws.Int32(2), AutoMinorVersionUpgrade: aws.Bool(false)}
}

// Backup and restore through the SDK, as the guide's migration does it: back up an EC2-Classic
// Redis cluster, restore it into a subnet group, and find a VPC cluster with the backup's settings.
func TestAPISnapshotBackupAndRestore(t *testing.T) {
	env := newAPIEnv(t, false)
	vpc, subnets, _ := vpcFixture(t, env.store)
	c := env.client
	ok(c.CreateCacheSubnetGroup(bg, &elasticache.CreateCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("to-vpc"),
		CacheSubnetGroupDescription: aws.String("migration"), SubnetIds: subnets})).get(t)
	ok(c.CreateCacheCluster(bg, redisInput("classic"))).get(t)

	_, err := c.CreateSnapshot(bg, &elasticache.CreateSnapshotInput{CacheClusterId: aws.String("classic"), SnapshotName: aws.String("early")})
	wantFault[*types.InvalidCacheClusterStateFault](t, err, http.StatusBadRequest)
	env.settle()

	created := ok(c.CreateSnapshot(bg, &elasticache.CreateSnapshotInput{CacheClusterId: aws.String("classic"), SnapshotName: aws.String("Move-Me"),
		Tags: []types.Tag{{Key: aws.String("purpose"), Value: aws.String("migration")}}})).get(t).Snapshot
	if aws.ToString(created.SnapshotName) != "move-me" || aws.ToString(created.SnapshotStatus) != "creating" ||
		aws.ToString(created.SnapshotSource) != "manual" || aws.ToString(created.CacheClusterId) != "classic" {
		t.Fatalf("created: %+v", created)
	}
	cl := ok(c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String("classic")})).get(t).CacheClusters[0]
	if aws.ToString(cl.CacheClusterStatus) != "snapshotting" {
		t.Fatalf("cluster while backed up: %s", aws.ToString(cl.CacheClusterStatus))
	}
	_, err = c.CreateCacheCluster(bg, &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("too-soon"), SnapshotName: aws.String("move-me"),
		CacheSubnetGroupName: aws.String("to-vpc")})
	wantFault[*types.InvalidSnapshotStateFault](t, err, http.StatusBadRequest)
	_, err = c.DeleteSnapshot(bg, &elasticache.DeleteSnapshotInput{SnapshotName: aws.String("move-me")})
	wantFault[*types.InvalidSnapshotStateFault](t, err, http.StatusBadRequest)
	env.settle()

	sn := ok(c.DescribeSnapshots(bg, &elasticache.DescribeSnapshotsInput{SnapshotName: aws.String("move-me")})).get(t).Snapshots[0]
	arn := "arn:aws:elasticache:us-east-1:" + models.DefaultAccountID + ":snapshot:move-me"
	if aws.ToString(sn.SnapshotStatus) != "available" || aws.ToString(sn.Engine) != "redis" || aws.ToString(sn.EngineVersion) != "3.2.10" ||
		aws.ToString(sn.CacheNodeType) != "cache.m1.small" || aws.ToInt32(sn.NumCacheNodes) != 1 || aws.ToInt32(sn.Port) != 6390 ||
		aws.ToString(sn.CacheParameterGroupName) != "default.redis3.2" || aws.ToString(sn.PreferredMaintenanceWindow) != "wed:03:00-wed:04:00" ||
		aws.ToString(sn.SnapshotWindow) != "05:00-06:00" || aws.ToInt32(sn.SnapshotRetentionLimit) != 2 || aws.ToBool(sn.AutoMinorVersionUpgrade) ||
		aws.ToString(sn.PreferredAvailabilityZone) != "us-east-1a" || sn.CacheClusterCreateTime == nil || aws.ToString(sn.ARN) != arn ||
		aws.ToString(sn.CacheSubnetGroupName) != "" || aws.ToString(sn.VpcId) != "" {
		t.Fatalf("snapshot: %+v", sn)
	}
	if len(sn.NodeSnapshots) != 1 || aws.ToString(sn.NodeSnapshots[0].CacheNodeId) != "0001" || aws.ToString(sn.NodeSnapshots[0].CacheSize) != "0 MB" ||
		sn.NodeSnapshots[0].CacheNodeCreateTime == nil || sn.NodeSnapshots[0].SnapshotCreateTime == nil {
		t.Fatalf("node snapshots: %+v", sn.NodeSnapshots)
	}
	tags := ok(c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: aws.String(arn)})).get(t).TagList
	if len(tags) != 1 || aws.ToString(tags[0].Key) != "purpose" {
		t.Fatalf("tags: %+v", tags)
	}

	_, err = c.CreateCacheCluster(bg, &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("wrong"), SnapshotName: aws.String("move-me"),
		Engine: aws.String("memcached"), CacheSubnetGroupName: aws.String("to-vpc")})
	wantFault[*types.InvalidParameterCombinationException](t, err, http.StatusBadRequest)
	_, err = c.CreateCacheCluster(bg, &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("nothing"), SnapshotName: aws.String("nope"),
		CacheSubnetGroupName: aws.String("to-vpc")})
	wantFault[*types.SnapshotNotFoundFault](t, err, http.StatusNotFound)

	restored := ok(c.CreateCacheCluster(bg, &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("in-vpc"),
		SnapshotName: aws.String("move-me"), CacheSubnetGroupName: aws.String("to-vpc")})).get(t).CacheCluster
	if aws.ToString(restored.CacheSubnetGroupName) != "to-vpc" || aws.ToString(restored.Engine) != "redis" ||
		aws.ToString(restored.EngineVersion) != "3.2.10" || aws.ToString(restored.CacheNodeType) != "cache.m1.small" ||
		aws.ToString(restored.PreferredMaintenanceWindow) != "wed:03:00-wed:04:00" || aws.ToString(restored.SnapshotWindow) != "05:00-06:00" ||
		aws.ToInt32(restored.SnapshotRetentionLimit) != 2 || aws.ToBool(restored.AutoMinorVersionUpgrade) || len(restored.CacheSecurityGroups) != 0 {
		t.Fatalf("restored cluster: %+v", restored)
	}
	env.settle()
	nodes := ok(c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String("in-vpc"),
		ShowCacheNodeInfo: aws.Bool(true)})).get(t).CacheClusters[0].CacheNodes
	if len(nodes) != 1 || aws.ToInt32(nodes[0].Endpoint.Port) != 6390 {
		t.Fatalf("restored nodes: %+v", nodes)
	}
	vsn := ok(c.CreateSnapshot(bg, &elasticache.CreateSnapshotInput{CacheClusterId: aws.String("in-vpc"), SnapshotName: aws.String("in-vpc-1")})).get(t).Snapshot
	if aws.ToString(vsn.CacheSubnetGroupName) != "to-vpc" || aws.ToString(vsn.VpcId) != vpc.VpcID {
		t.Fatalf("snapshot of the VPC cluster: subnet group %q VPC %q", aws.ToString(vsn.CacheSubnetGroupName), aws.ToString(vsn.VpcId))
	}

	// The Classic cluster goes, with a final snapshot; then its backup goes too.
	deleted := ok(c.DeleteCacheCluster(bg, &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String("classic"),
		FinalSnapshotIdentifier: aws.String("classic-final")})).get(t).CacheCluster
	if aws.ToString(deleted.CacheClusterStatus) != "deleting" {
		t.Fatalf("deleted cluster: %s", aws.ToString(deleted.CacheClusterStatus))
	}
	final := ok(c.DescribeSnapshots(bg, &elasticache.DescribeSnapshotsInput{SnapshotName: aws.String("classic-final")})).get(t).Snapshots[0]
	if aws.ToString(final.CacheClusterId) != "classic" || aws.ToString(final.SnapshotStatus) != "creating" {
		t.Fatalf("final snapshot: %+v", final)
	}
	gone := ok(c.DeleteSnapshot(bg, &elasticache.DeleteSnapshotInput{SnapshotName: aws.String("move-me")})).get(t).Snapshot
	if aws.ToString(gone.SnapshotStatus) != "deleting" {
		t.Fatalf("deleted snapshot: %s", aws.ToString(gone.SnapshotStatus))
	}
	env.settle()
	_, err = c.DescribeSnapshots(bg, &elasticache.DescribeSnapshotsInput{SnapshotName: aws.String("move-me")})
	wantFault[*types.SnapshotNotFoundFault](t, err, http.StatusNotFound)
	_, err = c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: aws.String(arn)})
	wantFault[*types.SnapshotNotFoundFault](t, err, http.StatusNotFound)
	byCluster := ok(c.DescribeSnapshots(bg, &elasticache.DescribeSnapshotsInput{CacheClusterId: aws.String("classic")})).get(t).Snapshots
	if len(byCluster) != 1 || aws.ToString(byCluster[0].SnapshotName) != "classic-final" {
		t.Fatalf("snapshots of the deleted cluster: %+v", byCluster)
	}
}

// Every fault of the snapshot operations, as the SDK's modeled error types.
func TestAPISnapshotFaults(t *testing.T) {
	env := newAPIEnv(t, false)
	c := env.client
	ok(c.CreateCacheCluster(bg, redisInput("r1"))).get(t)
	ok(c.CreateCacheCluster(bg, &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("m1"), Engine: aws.String("memcached"),
		CacheNodeType: aws.String("cache.m1.small"), NumCacheNodes: aws.Int32(1)})).get(t)
	env.settle()
	create := func(cluster, name string) error {
		_, err := c.CreateSnapshot(bg, &elasticache.CreateSnapshotInput{CacheClusterId: aws.String(cluster), SnapshotName: aws.String(name)})
		return err
	}
	wantFault[*types.CacheClusterNotFoundFault](t, create("nope", "b"), http.StatusNotFound)
	wantFault[*types.SnapshotFeatureNotSupportedFault](t, create("m1", "b"), http.StatusBadRequest)
	msg := wantAPIError(t, create("r1", "9lives"), "InvalidParameterValue", http.StatusBadRequest)
	if msg != "Invalid value for parameter SnapshotName: A backup name must start with a letter and contain only letters, digits and hyphens." {
		t.Fatalf("bad name: %q", msg)
	}
	_, err := c.CreateSnapshot(bg, &elasticache.CreateSnapshotInput{ReplicationGroupId: aws.String("rg"), SnapshotName: aws.String("b")})
	wantFault[*types.ReplicationGroupNotFoundFault](t, err, http.StatusNotFound)
	_, err = c.CreateSnapshot(bg, &elasticache.CreateSnapshotInput{CacheClusterId: aws.String("r1"), SnapshotName: aws.String("b"), KmsKeyId: aws.String("k")})
	wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest)
	if err := create("r1", "b1"); err != nil {
		t.Fatal(err)
	}
	env.settle()
	wantFault[*types.SnapshotAlreadyExistsFault](t, create("r1", "B1"), http.StatusBadRequest)
	_, err = c.DeleteSnapshot(bg, &elasticache.DeleteSnapshotInput{SnapshotName: aws.String("nope")})
	wantFault[*types.SnapshotNotFoundFault](t, err, http.StatusNotFound)
	_, err = c.DescribeSnapshots(bg, &elasticache.DescribeSnapshotsInput{CacheClusterId: aws.String("nope")})
	wantFault[*types.CacheClusterNotFoundFault](t, err, http.StatusNotFound)
	_, err = c.DescribeSnapshots(bg, &elasticache.DescribeSnapshotsInput{MaxRecords: aws.Int32(51)})
	wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest)
	_, err = c.DescribeSnapshots(bg, &elasticache.DescribeSnapshotsInput{SnapshotSource: aws.String("weekly")})
	wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest)
	if out := ok(c.DescribeSnapshots(bg, &elasticache.DescribeSnapshotsInput{SnapshotSource: aws.String("system")})).get(t); len(out.Snapshots) != 0 {
		t.Fatalf("automatic snapshots: %+v", out.Snapshots)
	}
	_, err = c.DeleteCacheCluster(bg, &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String("m1"), FinalSnapshotIdentifier: aws.String("m1-final")})
	wantFault[*types.SnapshotFeatureNotSupportedFault](t, err, http.StatusBadRequest)
	_, err = c.DeleteCacheCluster(bg, &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String("r1"), FinalSnapshotIdentifier: aws.String("b1")})
	wantFault[*types.SnapshotAlreadyExistsFault](t, err, http.StatusBadRequest)
	for i := 2; i <= models.MaxSnapshotsPerRegion; i++ {
		if err := create("r1", fmt.Sprintf("b%d", i)); err != nil {
			t.Fatal(err)
		}
		env.settle()
	}
	wantFault[*types.SnapshotQuotaExceededFault](t, create("r1", "more"), http.StatusBadRequest)
	_, err = c.DeleteCacheCluster(bg, &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String("r1"), FinalSnapshotIdentifier: aws.String("r1-final")})
	wantFault[*types.SnapshotQuotaExceededFault](t, err, http.StatusBadRequest)
	cl := ok(c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String("r1")})).get(t).CacheClusters[0]
	if aws.ToString(cl.CacheClusterStatus) != "available" {
		t.Fatalf("a refused final snapshot left the cluster %s", aws.ToString(cl.CacheClusterStatus))
	}
}

// DescribeSnapshots pages with the SDK's paginator (MaxRecords 20, the least allowed; 50 by default), and tags
// on a snapshot's ARN are added and removed like any resource's.
func TestAPISnapshotPaginatorAndTags(t *testing.T) {
	env := newAPIEnv(t, false)
	c := env.client
	ok(c.CreateCacheCluster(bg, redisInput("r1"))).get(t)
	env.settle()
	const total = 45
	for i := 1; i <= total; i++ {
		ok(c.CreateSnapshot(bg, &elasticache.CreateSnapshotInput{CacheClusterId: aws.String("r1"), SnapshotName: aws.String(fmt.Sprintf("s%02d", i))})).get(t)
		env.settle()
	}
	p := elasticache.NewDescribeSnapshotsPaginator(c, &elasticache.DescribeSnapshotsInput{MaxRecords: aws.Int32(20)})
	var names []string
	var sizes []int
	for p.HasMorePages() {
		out, err := p.NextPage(bg)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(out.Snapshots))
		for _, s := range out.Snapshots {
			names = append(names, aws.ToString(s.SnapshotName))
		}
	}
	if fmt.Sprint(sizes) != "[20 20 5]" || len(names) != total || names[0] != "s01" || names[total-1] != fmt.Sprintf("s%02d", total) {
		t.Fatalf("pages of %v: %v", sizes, names)
	}
	first := ok(c.DescribeSnapshots(bg, &elasticache.DescribeSnapshotsInput{})).get(t)
	if len(first.Snapshots) != total || first.Marker != nil {
		t.Fatalf("default page: %d snapshots, marker %v", len(first.Snapshots), first.Marker)
	}
	_, err := c.DescribeSnapshots(bg, &elasticache.DescribeSnapshotsInput{Marker: aws.String("forged")})
	wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest)

	arn := aws.ToString(first.Snapshots[0].ARN)
	ok(c.AddTagsToResource(bg, &elasticache.AddTagsToResourceInput{ResourceName: aws.String(arn),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("cache")}, {Key: aws.String("stage"), Value: aws.String("prod")}}})).get(t)
	out := ok(c.RemoveTagsFromResource(bg, &elasticache.RemoveTagsFromResourceInput{ResourceName: aws.String(arn), TagKeys: []string{"stage"}})).get(t)
	if len(out.TagList) != 1 || aws.ToString(out.TagList[0].Key) != "team" {
		t.Fatalf("after remove: %+v", out.TagList)
	}
	many := make([]types.Tag, models.MaxTagsPerResource)
	for i := range many {
		many[i] = types.Tag{Key: aws.String(fmt.Sprintf("k%d", i)), Value: aws.String("v")}
	}
	_, err = c.AddTagsToResource(bg, &elasticache.AddTagsToResourceInput{ResourceName: aws.String(arn), Tags: many})
	wantFault[*types.TagQuotaPerResourceExceeded](t, err, http.StatusBadRequest)
	_, err = c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: aws.String("arn:aws:elasticache:us-east-1:210987654321:snapshot:s01")})
	wantFault[*types.SnapshotNotFoundFault](t, err, http.StatusNotFound)
}

// The wire as other clients see it: Tags in the legacy Tags.member.N encoding, a GET query, and
// AWS's element names (<Snapshots><Snapshot>, <NodeSnapshots><NodeSnapshot>).
func TestAPISnapshotWire(t *testing.T) {
	env := newAPIEnv(t, false)
	ok(env.client.CreateCacheCluster(bg, redisInput("r1"))).get(t)
	env.settle()
	form := apiForm("CreateSnapshot")
	form.Set("CacheClusterId", "r1")
	form.Set("SnapshotName", "wire")
	form.Set("Tags.member.1.Key", "legacy")
	form.Set("Tags.member.1.Value", "encoding")
	res := env.rawCall(t, form, rawOptions{})
	res.wantOK(t, "CreateSnapshot")
	for _, want := range []string{"<CreateSnapshotResult><Snapshot><SnapshotName>wire</SnapshotName><CacheClusterId>r1</CacheClusterId><SnapshotStatus>creating</SnapshotStatus>",
		"<NodeSnapshots><NodeSnapshot><CacheNodeId>0001</CacheNodeId><CacheSize>0 MB</CacheSize>",
		"<ARN>arn:aws:elasticache:us-east-1:" + models.DefaultAccountID + ":snapshot:wire</ARN>"} {
		if !strings.Contains(res.Body, want) {
			t.Fatalf("CreateSnapshot answer lacks %s:\n%s", want, res.Body)
		}
	}
	tags := ok(env.client.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{
		ResourceName: aws.String("arn:aws:elasticache:us-east-1:" + models.DefaultAccountID + ":snapshot:wire")})).get(t).TagList
	if len(tags) != 1 || aws.ToString(tags[0].Key) != "legacy" || aws.ToString(tags[0].Value) != "encoding" {
		t.Fatalf("tags sent as Tags.member.N: %+v", tags)
	}
	form = apiForm("DescribeSnapshots")
	form.Set("CacheClusterId", "r1")
	res = env.rawCall(t, form, rawOptions{method: http.MethodGet})
	res.wantOK(t, "DescribeSnapshots")
	if !strings.Contains(res.Body, "<DescribeSnapshotsResult><Snapshots><Snapshot><SnapshotName>wire</SnapshotName>") {
		t.Fatalf("DescribeSnapshots answer:\n%s", res.Body)
	}
}
