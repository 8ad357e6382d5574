package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

func tagText(tags []types.Tag) string {
	var out []string
	for _, t := range tags {
		out = append(out, aws.ToString(t.Key)+"="+aws.ToString(t.Value))
	}
	return strings.Join(out, " ")
}

func TestAPITagsOnClusters(t *testing.T) {
	env := newAPIEnv(t, false)
	c := env.client
	cl := ok(createCluster(c, elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("tagged"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("web")}, {Key: aws.String("env"), Value: aws.String("prod")}}})).get(t)
	arn := cl.ARN
	if aws.ToString(arn) != "arn:aws:elasticache:us-east-1:123456789012:cluster:tagged" {
		t.Fatalf("ARN %s", aws.ToString(arn))
	}
	list := func() string {
		t.Helper()
		return tagText(ok(c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: arn})).get(t).TagList)
	}
	if got := list(); got != "env=prod team=web" {
		t.Fatalf("tags given at create: %q", got)
	}
	added := ok(c.AddTagsToResource(bg, &elasticache.AddTagsToResourceInput{ResourceName: arn,
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("api")}, {Key: aws.String("cost"), Value: aws.String("42")}}})).get(t)
	if got := tagText(added.TagList); got != "cost=42 env=prod team=api" {
		t.Fatalf("after AddTagsToResource: %q", got)
	}
	ok(c.RemoveTagsFromResource(bg, &elasticache.RemoveTagsFromResourceInput{ResourceName: arn, TagKeys: []string{"env", "never-there"}})).get(t)
	if got := list(); got != "cost=42 team=api" {
		t.Fatalf("after RemoveTagsFromResource: %q", got)
	}

	t.Run("limits and errors", func(t *testing.T) {
		many := make([]types.Tag, 49)
		for i := range many {
			many[i] = types.Tag{Key: aws.String(fmt.Sprintf("k%02d", i)), Value: aws.String("v")}
		}
		_, err := c.AddTagsToResource(bg, &elasticache.AddTagsToResourceInput{ResourceName: arn, Tags: many})
		wantFault[*types.TagQuotaPerResourceExceeded](t, err, http.StatusBadRequest)
		if got := list(); got != "cost=42 team=api" {
			t.Fatalf("a refused AddTagsToResource changed the tags: %q", got)
		}
		_, err = c.AddTagsToResource(bg, &elasticache.AddTagsToResourceInput{ResourceName: arn, Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("v")}}})
		wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest)
		_, err = c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: aws.String("arn:aws:elasticache:us-east-1:123456789012:cluster:nope")})
		wantFault[*types.CacheClusterNotFoundFault](t, err, http.StatusNotFound)
		_, err = c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: aws.String("arn:aws:elasticache:us-east-1:999999999999:cluster:tagged")})
		wantFault[*types.CacheClusterNotFoundFault](t, err, http.StatusNotFound)
		_, err = c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: aws.String("arn:aws:elasticache:eu-west-1:123456789012:cluster:tagged")})
		wantFault[*types.InvalidARNFault](t, err, http.StatusBadRequest)
	})

	t.Run("a new cluster with a deleted one's ID starts without its tags", func(t *testing.T) {
		env.settle()
		ok(c.DeleteCacheCluster(bg, &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String("tagged")})).get(t)
		env.settle()
		ok(createCluster(c, elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("tagged")})).get(t)
		if got := list(); got != "" {
			t.Fatalf("tags of the deleted cluster: %q", got)
		}
	})
}

func TestAPIDescribeReplicationGroupsIsEmpty(t *testing.T) {
	env := newAPIEnv(t, false)
	out := ok(env.client.DescribeReplicationGroups(bg, &elasticache.DescribeReplicationGroupsInput{MaxRecords: aws.Int32(20)})).get(t)
	if len(out.ReplicationGroups) != 0 || out.Marker != nil {
		t.Fatalf("replication groups %+v, marker %v", out.ReplicationGroups, out.Marker)
	}
	_, err := env.client.DescribeReplicationGroups(bg, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String("Sessions")})
	f := wantFault[*types.ReplicationGroupNotFoundFault](t, err, http.StatusNotFound)
	if !strings.Contains(f.ErrorMessage(), "sessions") {
		t.Errorf("message %q", f.ErrorMessage())
	}
	_, err = env.client.DescribeReplicationGroups(bg, &elasticache.DescribeReplicationGroupsInput{MaxRecords: aws.Int32(5)})
	wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest)
}
