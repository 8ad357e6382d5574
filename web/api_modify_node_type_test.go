package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
)

// ModifyCacheCluster's CacheNodeType: the cluster's own node type is accepted (tools send it back
// unchanged), another is refused naming it, since scaling node types is not simulated; the refused
// call changes nothing else it carried. A parameter sgconsole does not simulate is refused by name.
func TestAPIModifyClusterNodeType(t *testing.T) {
	env := newAPIEnv(t, false)
	c := env.client
	ok(createCluster(c, elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("cache"), CacheNodeType: aws.String("cache.m3.medium"),
		PreferredMaintenanceWindow: aws.String("sun:05:00-sun:06:00")})).get(t)
	env.settle()

	_, err := c.ModifyCacheCluster(bg, &elasticache.ModifyCacheClusterInput{CacheClusterId: aws.String("cache"),
		CacheNodeType: aws.String("cache.m3.large"), PreferredMaintenanceWindow: aws.String("mon:01:00-mon:02:00")})
	msg := wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest)
	for _, want := range []string{"CacheNodeType", "cache.m3.medium", "cache.m3.large", "not simulated"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not say %q", msg, want)
		}
	}
	described := ok(c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String("cache")})).get(t).CacheClusters[0]
	if aws.ToString(described.CacheNodeType) != "cache.m3.medium" || aws.ToString(described.PreferredMaintenanceWindow) != "sun:05:00-sun:06:00" ||
		aws.ToString(described.CacheClusterStatus) != "available" {
		t.Fatalf("after the refusal: %s, window %s, %s", aws.ToString(described.CacheNodeType), aws.ToString(described.PreferredMaintenanceWindow),
			aws.ToString(described.CacheClusterStatus))
	}

	same := ok(c.ModifyCacheCluster(bg, &elasticache.ModifyCacheClusterInput{CacheClusterId: aws.String("cache"),
		CacheNodeType: aws.String("cache.m3.medium"), PreferredMaintenanceWindow: aws.String("mon:01:00-mon:02:00")})).get(t).CacheCluster
	if aws.ToString(same.CacheNodeType) != "cache.m3.medium" || aws.ToString(same.PreferredMaintenanceWindow) != "mon:01:00-mon:02:00" {
		t.Fatalf("with its own node type: %s, window %s", aws.ToString(same.CacheNodeType), aws.ToString(same.PreferredMaintenanceWindow))
	}

	env.settle()
	_, err = c.ModifyCacheCluster(bg, &elasticache.ModifyCacheClusterInput{CacheClusterId: aws.String("cache"), NotificationTopicArn: aws.String("arn:aws:sns:us-east-1:123456789012:t")})
	if msg := wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest); !strings.Contains(msg, "NotificationTopicArn") {
		t.Errorf("message %q does not name NotificationTopicArn", msg)
	}
}
