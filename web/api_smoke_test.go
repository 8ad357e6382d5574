package web_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"sgconsole/models"
)

func TestAPISmoke(t *testing.T) {
	srv, store, _ := newConsoleStore(t, true)
	ctx := context.Background()
	admin, err := store.UserByName(ctx, models.AdminUsername)
	if err != nil {
		t.Fatal(err)
	}
	key, err := store.CreateAccessKey(ctx, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	client := elasticache.NewFromConfig(aws.Config{Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(key.AccessKeyID, key.SecretAccessKey, "")},
		func(o *elasticache.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	out, err := client.DescribeCacheSecurityGroups(ctx, &elasticache.DescribeCacheSecurityGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d groups; first %s %+v", len(out.CacheSecurityGroups), *out.CacheSecurityGroups[0].CacheSecurityGroupName, out.CacheSecurityGroups[0].EC2SecurityGroups)
	_, err = client.DescribeCacheSecurityGroups(ctx, &elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String("nope")})
	var nf *types.CacheSecurityGroupNotFoundFault
	if !errors.As(err, &nf) {
		t.Fatalf("want NotFound fault, got %v", err)
	}
	c, err := client.CreateCacheCluster(ctx, &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("api-1"), CacheNodeType: aws.String("cache.m1.small"),
		Engine: aws.String("memcached"), NumCacheNodes: aws.Int32(1), CacheSecurityGroupNames: []string{"staging"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cluster %s %s %+v", *c.CacheCluster.CacheClusterId, *c.CacheCluster.CacheClusterStatus, c.CacheCluster.CacheSecurityGroups)
	ev, err := client.DescribeEvents(ctx, &elasticache.DescribeEventsInput{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d events", len(ev.Events))
}
