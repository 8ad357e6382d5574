package web_test

import (
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
)

func TestAPIShowCacheNodeInfoReturnsNodesAndEndpoints(t *testing.T) {
	env := newAPIEnv(t, false)
	ok(createCluster(env.client, elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("web-cache"), NumCacheNodes: aws.Int32(3)})).get(t)
	ok(createCluster(env.client, elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("queue"), Engine: aws.String("redis"),
		Port: aws.Int32(6390), PreferredAvailabilityZone: aws.String("us-east-1b")})).get(t)

	if plain := describeCluster(t, env.client, "web-cache", false); len(plain.CacheNodes) != 0 {
		t.Fatalf("nodes without ShowCacheNodeInfo: %d", len(plain.CacheNodes))
	}
	mc := describeCluster(t, env.client, "web-cache", true)
	cfg := aws.ToString(mc.ConfigurationEndpoint.Address)
	m := regexp.MustCompile(`^web-cache\.([a-z0-9]{6})\.cfg\.use1\.cache\.amazonaws\.com$`).FindStringSubmatch(cfg)
	if m == nil || aws.ToInt32(mc.ConfigurationEndpoint.Port) != 11211 {
		t.Fatalf("configuration endpoint %s:%d", cfg, aws.ToInt32(mc.ConfigurationEndpoint.Port))
	}
	if len(mc.CacheNodes) != 3 {
		t.Fatalf("%d nodes, want 3", len(mc.CacheNodes))
	}
	for i, n := range mc.CacheNodes {
		id := []string{"0001", "0002", "0003"}[i]
		want := "web-cache." + m[1] + "." + id + ".use1.cache.amazonaws.com"
		if aws.ToString(n.CacheNodeId) != id || aws.ToString(n.Endpoint.Address) != want || aws.ToInt32(n.Endpoint.Port) != 11211 ||
			aws.ToString(n.CacheNodeStatus) != "creating" || aws.ToString(n.CustomerAvailabilityZone) != "us-east-1a" || n.CacheNodeCreateTime == nil {
			t.Errorf("node %d: %s %s %s:%d in %s", i, aws.ToString(n.CacheNodeId), aws.ToString(n.CacheNodeStatus),
				aws.ToString(n.Endpoint.Address), aws.ToInt32(n.Endpoint.Port), aws.ToString(n.CustomerAvailabilityZone))
		}
	}
	env.settle()
	if st := aws.ToString(describeCluster(t, env.client, "web-cache", true).CacheNodes[2].CacheNodeStatus); st != "available" {
		t.Errorf("node 0003 after the delay: %s", st)
	}

	redis := describeCluster(t, env.client, "queue", true)
	if redis.ConfigurationEndpoint != nil || len(redis.CacheNodes) != 1 {
		t.Fatalf("redis: configuration endpoint %v, %d nodes", redis.ConfigurationEndpoint, len(redis.CacheNodes))
	}
	n := redis.CacheNodes[0]
	if !regexp.MustCompile(`^queue\.[a-z0-9]{6}\.0001\.use1\.cache\.amazonaws\.com$`).MatchString(aws.ToString(n.Endpoint.Address)) ||
		aws.ToInt32(n.Endpoint.Port) != 6390 || aws.ToString(n.CustomerAvailabilityZone) != "us-east-1b" {
		t.Errorf("redis node %s:%d in %s", aws.ToString(n.Endpoint.Address), aws.ToInt32(n.Endpoint.Port), aws.ToString(n.CustomerAvailabilityZone))
	}
	// Another region writes its own short name into the addresses.
	west := env.clientFor(env.key, "us-west-2")
	ok(createCluster(west, elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("west")})).get(t)
	w := describeCluster(t, west, "west", true)
	if !regexp.MustCompile(`^west\.[a-z0-9]{6}\.0001\.usw2\.cache\.amazonaws\.com$`).MatchString(aws.ToString(w.CacheNodes[0].Endpoint.Address)) {
		t.Errorf("us-west-2 node address %s", aws.ToString(w.CacheNodes[0].Endpoint.Address))
	}
}
