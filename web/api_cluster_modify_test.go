package web_test

import (
	"net/http"
	"sgconsole/models"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

func nodeSummary(c types.CacheCluster) string {
	var out []string
	for _, n := range c.CacheNodes {
		out = append(out, aws.ToString(n.CacheNodeId)+"="+aws.ToString(n.CacheNodeStatus))
	}
	return strings.Join(out, " ")
}

func TestAPIModifyClusterNodes(t *testing.T) {
	env := newAPIEnv(t, false)
	c := env.client
	ok(createCluster(c, elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("web"), NumCacheNodes: aws.Int32(2),
		PreferredMaintenanceWindow: aws.String("sun:05:00-sun:06:00")})).get(t)
	env.settle()
	modify := func(in elasticache.ModifyCacheClusterInput) (*types.CacheCluster, error) {
		in.CacheClusterId = aws.String("web")
		out, err := c.ModifyCacheCluster(bg, &in)
		if err != nil {
			return nil, err
		}
		return out.CacheCluster, nil
	}

	grown := ok(modify(elasticache.ModifyCacheClusterInput{NumCacheNodes: aws.Int32(4), ApplyImmediately: aws.Bool(true)})).get(t)
	if aws.ToString(grown.CacheClusterStatus) != "modifying" || aws.ToInt32(grown.NumCacheNodes) != 4 {
		t.Fatalf("after adding nodes at once: %s with %d nodes", aws.ToString(grown.CacheClusterStatus), aws.ToInt32(grown.NumCacheNodes))
	}
	if got := nodeSummary(describeCluster(t, c, "web", true)); got != "0001=available 0002=available 0003=creating 0004=creating" {
		t.Fatalf("nodes while adding: %s", got)
	}
	_, err := modify(elasticache.ModifyCacheClusterInput{NumCacheNodes: aws.Int32(5), ApplyImmediately: aws.Bool(true)})
	wantFault[*types.InvalidCacheClusterStateFault](t, err, http.StatusBadRequest)
	env.settle()
	if got := describeCluster(t, c, "web", true); aws.ToString(got.CacheClusterStatus) != "available" || nodeSummary(got) != "0001=available 0002=available 0003=available 0004=available" {
		t.Fatalf("after the delay: %s, %s", aws.ToString(got.CacheClusterStatus), nodeSummary(got))
	}

	t.Run("removing needs the node IDs", func(t *testing.T) {
		_, err := modify(elasticache.ModifyCacheClusterInput{NumCacheNodes: aws.Int32(2), ApplyImmediately: aws.Bool(true)})
		wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest)
		_, err = modify(elasticache.ModifyCacheClusterInput{NumCacheNodes: aws.Int32(3), CacheNodeIdsToRemove: []string{"0009"}, ApplyImmediately: aws.Bool(true)})
		wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest)
		_, err = modify(elasticache.ModifyCacheClusterInput{NumCacheNodes: aws.Int32(5), CacheNodeIdsToRemove: []string{"0001"}, ApplyImmediately: aws.Bool(true)})
		wantAPIError(t, err, "InvalidParameterCombination", http.StatusBadRequest)
		_, err = modify(elasticache.ModifyCacheClusterInput{NumCacheNodes: aws.Int32(21), ApplyImmediately: aws.Bool(true)})
		wantFault[*types.NodeQuotaForClusterExceededFault](t, err, http.StatusBadRequest)
	})

	ok(modify(elasticache.ModifyCacheClusterInput{NumCacheNodes: aws.Int32(2), CacheNodeIdsToRemove: []string{"0001", "0003"}, ApplyImmediately: aws.Bool(true)})).get(t)
	if got := nodeSummary(describeCluster(t, c, "web", true)); got != "0001=deleting 0002=available 0003=deleting 0004=available" {
		t.Fatalf("nodes while removing: %s", got)
	}
	env.settle()
	if got := nodeSummary(describeCluster(t, c, "web", true)); got != "0002=available 0004=available" {
		t.Fatalf("nodes after removing 0001 and 0003: %s", got)
	}

	t.Run("without ApplyImmediately the change waits for the maintenance window", func(t *testing.T) {
		waiting := ok(modify(elasticache.ModifyCacheClusterInput{NumCacheNodes: aws.Int32(3)})).get(t)
		if aws.ToString(waiting.CacheClusterStatus) != "available" || aws.ToInt32(waiting.NumCacheNodes) != 2 ||
			aws.ToInt32(waiting.PendingModifiedValues.NumCacheNodes) != 3 {
			t.Fatalf("pending: %s, %d nodes, pending %v", aws.ToString(waiting.CacheClusterStatus), aws.ToInt32(waiting.NumCacheNodes), waiting.PendingModifiedValues.NumCacheNodes)
		}
		env.clock.Advance(8 * 24 * time.Hour) // past the next Sunday 05:00 whatever the day
		applied := describeCluster(t, c, "web", true)
		if aws.ToInt32(applied.NumCacheNodes) != 3 || applied.PendingModifiedValues.NumCacheNodes != nil || nodeSummary(applied) != "0001=available 0002=available 0004=available" {
			t.Fatalf("after the window: %d nodes (%s), pending %v", aws.ToInt32(applied.NumCacheNodes), nodeSummary(applied), applied.PendingModifiedValues.NumCacheNodes)
		}
		// A later change starts from the applied one; the lowest free ID goes to the next new node.
		ok(modify(elasticache.ModifyCacheClusterInput{NumCacheNodes: aws.Int32(2), CacheNodeIdsToRemove: []string{"0004"}, ApplyImmediately: aws.Bool(true)})).get(t)
		env.settle()
		ok(modify(elasticache.ModifyCacheClusterInput{NumCacheNodes: aws.Int32(3), ApplyImmediately: aws.Bool(true)})).get(t)
		env.settle()
		if got := nodeSummary(describeCluster(t, c, "web", true)); got != "0001=available 0002=available 0003=available" {
			t.Fatalf("after removing 0004 and adding one: %s", got)
		}
	})

	events := ok(c.DescribeEvents(bg, &elasticache.DescribeEventsInput{SourceType: types.SourceTypeCacheCluster, SourceIdentifier: aws.String("web"), Duration: aws.Int32(20160)})).get(t)
	var messages []string
	for _, e := range events.Events {
		messages = append(messages, aws.ToString(e.Message))
	}
	all := strings.Join(messages, "\n")
	for _, want := range []string{"Cache cluster modified: number of nodes to 4", "removing node(s) 0001, 0003", "Modification requested: number of nodes to 3"} {
		if !strings.Contains(all, want) {
			t.Errorf("events do not say %q:\n%s", want, all)
		}
	}
}

func TestAPIModifyClusterVersionGroupsAndSettings(t *testing.T) {
	env := newAPIEnv(t, false)
	c := env.client
	ok(createCluster(c, elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("queue"), Engine: aws.String("redis"), EngineVersion: aws.String("6.0")})).get(t)
	sg := makeNetwork(t, env.store, models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}, "my-subnets", 2)
	ok(createCluster(c, elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("in-vpc"), CacheSubnetGroupName: aws.String("my-subnets"), SecurityGroupIds: []string{sg[0]}})).get(t)
	ok(createCluster(c, elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("classic")})).get(t)
	env.settle()
	modify := func(id string, in elasticache.ModifyCacheClusterInput) (*types.CacheCluster, error) {
		in.CacheClusterId = aws.String(id)
		out, err := c.ModifyCacheCluster(bg, &in)
		if err != nil {
			return nil, err
		}
		return out.CacheCluster, nil
	}

	pending := ok(modify("queue", elasticache.ModifyCacheClusterInput{EngineVersion: aws.String("6.2")})).get(t)
	if aws.ToString(pending.EngineVersion) != "6.0.5" || aws.ToString(pending.PendingModifiedValues.EngineVersion) != "6.2.6" {
		t.Fatalf("pending upgrade: runs %s, pending %s", aws.ToString(pending.EngineVersion), aws.ToString(pending.PendingModifiedValues.EngineVersion))
	}
	upgraded := ok(modify("queue", elasticache.ModifyCacheClusterInput{EngineVersion: aws.String("7.0"), ApplyImmediately: aws.Bool(true)})).get(t)
	if aws.ToString(upgraded.EngineVersion) != "7.0.7" || aws.ToString(upgraded.CacheClusterStatus) != "modifying" ||
		upgraded.PendingModifiedValues.EngineVersion != nil || aws.ToString(upgraded.CacheParameterGroup.CacheParameterGroupName) != "default.redis7" {
		t.Fatalf("upgrade at once: %s %s, pending %v, group %s", aws.ToString(upgraded.EngineVersion), aws.ToString(upgraded.CacheClusterStatus),
			upgraded.PendingModifiedValues.EngineVersion, aws.ToString(upgraded.CacheParameterGroup.CacheParameterGroupName))
	}
	env.settle()
	_, err := modify("queue", elasticache.ModifyCacheClusterInput{EngineVersion: aws.String("6.2"), ApplyImmediately: aws.Bool(true)})
	f := wantFault[*types.InvalidParameterCombinationException](t, err, http.StatusBadRequest)
	if !strings.Contains(f.ErrorMessage(), "downgrade") {
		t.Errorf("downgrade message %q", f.ErrorMessage())
	}
	settings := ok(modify("queue", elasticache.ModifyCacheClusterInput{PreferredMaintenanceWindow: aws.String("tue:03:00-tue:04:00"),
		SnapshotRetentionLimit: aws.Int32(7), SnapshotWindow: aws.String("09:00-10:00"), AutoMinorVersionUpgrade: aws.Bool(false)})).get(t)
	if aws.ToString(settings.PreferredMaintenanceWindow) != "tue:03:00-tue:04:00" || aws.ToInt32(settings.SnapshotRetentionLimit) != 7 ||
		aws.ToString(settings.SnapshotWindow) != "09:00-10:00" || aws.ToBool(settings.AutoMinorVersionUpgrade) {
		t.Fatalf("settings: %s %d %s %v", aws.ToString(settings.PreferredMaintenanceWindow), aws.ToInt32(settings.SnapshotRetentionLimit),
			aws.ToString(settings.SnapshotWindow), aws.ToBool(settings.AutoMinorVersionUpgrade))
	}
	if aws.ToString(settings.CacheClusterStatus) != "modifying" {
		t.Fatalf("status while the settings apply: %s", aws.ToString(settings.CacheClusterStatus))
	}
	env.settle()
	_, err = modify("queue", elasticache.ModifyCacheClusterInput{PreferredMaintenanceWindow: aws.String("tue:03:00")})
	wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest)
	_, err = modify("classic", elasticache.ModifyCacheClusterInput{SnapshotRetentionLimit: aws.Int32(1)})
	wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest)
	_, err = modify("classic", elasticache.ModifyCacheClusterInput{CacheNodeType: aws.String("cache.m1.large")})
	if msg := wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest); !strings.Contains(msg, "CacheNodeType") {
		t.Errorf("message %q does not name CacheNodeType", msg)
	}

	_, err = modify("classic", elasticache.ModifyCacheClusterInput{IpDiscovery: types.IpDiscoveryIpv6})
	if msg := wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest); !strings.Contains(msg, "IpDiscovery") {
		t.Errorf("message %q does not name IpDiscovery", msg)
	}
	ok(modify("classic", elasticache.ModifyCacheClusterInput{IpDiscovery: types.IpDiscoveryIpv4, AZMode: types.AZModeSingleAz})).get(t)

	// A group of no VPC, or of another VPC than the subnet group's, is refused by its ID.
	_, err = modify("in-vpc", elasticache.ModifyCacheClusterInput{SecurityGroupIds: []string{sg[1], "sg-89abcdef"}})
	if msg := wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest); !strings.Contains(msg, "sg-89abcdef") || strings.Contains(msg, sg[1]) {
		t.Errorf("message %q does not name just sg-89abcdef", msg)
	}
	vpc := ok(modify("in-vpc", elasticache.ModifyCacheClusterInput{SecurityGroupIds: []string{sg[1], sg[0]}})).get(t)
	if got := vpcGroups(*vpc); got != sg[1]+"=active "+sg[0]+"=active" || aws.ToString(vpc.CacheClusterStatus) != "modifying" {
		t.Fatalf("VPC groups after modify: %s, status %s", got, aws.ToString(vpc.CacheClusterStatus))
	}
	_, err = modify("classic", elasticache.ModifyCacheClusterInput{SecurityGroupIds: []string{"sg-89abcdef"}})
	wantAPIError(t, err, "InvalidParameterCombination", http.StatusBadRequest)
	_, err = modify("in-vpc", elasticache.ModifyCacheClusterInput{CacheSecurityGroupNames: []string{"default"}})
	wantAPIError(t, err, "InvalidCacheClusterState", http.StatusBadRequest)
	env.settle()
	_, err = modify("in-vpc", elasticache.ModifyCacheClusterInput{CacheSecurityGroupNames: []string{"default"}})
	wantAPIError(t, err, "InvalidParameterCombination", http.StatusBadRequest)
}
