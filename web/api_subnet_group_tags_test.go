package web_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

// Cache subnet groups keep tags as Terraform's aws_elasticache_subnet_group uses them: given at
// create, listed, added, overwritten and removed by the group's ARN, gone with the group; another
// account's ARN is a group that does not exist.
func TestAPICacheSubnetGroupTags(t *testing.T) {
	env := newAPIEnv(t, false)
	_, subnets, _ := vpcFixture(t, env.store)
	c := env.client
	created := ok(c.CreateCacheSubnetGroup(bg, &elasticache.CreateCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("tagged"),
		CacheSubnetGroupDescription: aws.String("with tags"), SubnetIds: subnets[:1],
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("cache")}}})).get(t).CacheSubnetGroup
	arn := aws.ToString(created.ARN)
	list := func() []string {
		t.Helper()
		out := ok(c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: aws.String(arn)})).get(t)
		var tags []string
		for _, tag := range out.TagList {
			tags = append(tags, aws.ToString(tag.Key)+"="+aws.ToString(tag.Value))
		}
		return tags
	}
	if got := list(); len(got) != 1 || got[0] != "team=cache" {
		t.Fatalf("tags given at create: %q", got)
	}
	ok(c.AddTagsToResource(bg, &elasticache.AddTagsToResourceInput{ResourceName: aws.String(arn),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("platform")}, {Key: aws.String("stage"), Value: aws.String("prod")}}})).get(t)
	if got := list(); len(got) != 2 || got[0] != "stage=prod" || got[1] != "team=platform" {
		t.Fatalf("after add: %q", got)
	}
	ok(c.RemoveTagsFromResource(bg, &elasticache.RemoveTagsFromResourceInput{ResourceName: aws.String(arn), TagKeys: []string{"stage", "missing"}})).get(t)
	if got := list(); len(got) != 1 || got[0] != "team=platform" {
		t.Fatalf("after remove: %q", got)
	}

	_, err := c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{
		ResourceName: aws.String("arn:aws:elasticache:us-east-1:210987654321:subnetgroup:tagged")})
	wantFault[*types.CacheSubnetGroupNotFoundFault](t, err, http.StatusBadRequest)

	ok(c.DeleteCacheSubnetGroup(bg, &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("tagged")})).get(t)
	_, err = c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: aws.String(arn)})
	wantFault[*types.CacheSubnetGroupNotFoundFault](t, err, http.StatusBadRequest)
	ok(c.CreateCacheSubnetGroup(bg, &elasticache.CreateCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("tagged"),
		CacheSubnetGroupDescription: aws.String("again"), SubnetIds: subnets[:1]})).get(t)
	if got := list(); len(got) != 0 {
		t.Fatalf("a new group of the same name inherited tags %q", got)
	}
}
