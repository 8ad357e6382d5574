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

// vpcFixture gives the admin's us-east-1 a VPC with three subnets, one per zone, and a second VPC
// with one subnet; it returns the subnet IDs of each.
func vpcFixture(t *testing.T, store *models.Store) (models.VPC, []string, []string) {
	t.Helper()
	scope := models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}
	v, err := store.CreateVPC(bg, scope, "prod", "10.0.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	var mine []string
	for i, zone := range models.AvailabilityZones("us-east-1") {
		sn, err := store.CreateSubnet(bg, scope, v.VpcID, zone, fmt.Sprintf("10.0.%d.0/24", i))
		if err != nil {
			t.Fatal(err)
		}
		mine = append(mine, sn.SubnetID)
	}
	other, err := store.CreateVPC(bg, scope, "other", "10.9.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	sn, err := store.CreateSubnet(bg, scope, other.VpcID, "us-east-1a", "10.9.0.0/24")
	if err != nil {
		t.Fatal(err)
	}
	return v, mine, []string{sn.SubnetID}
}

func TestAPICacheSubnetGroups(t *testing.T) {
	env := newAPIEnv(t, false)
	vpc, subnets, foreign := vpcFixture(t, env.store)
	c := env.client

	created := ok(c.CreateCacheSubnetGroup(bg, &elasticache.CreateCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("Prod-Private"),
		CacheSubnetGroupDescription: aws.String("Private subnets"), SubnetIds: subnets[:2]})).get(t).CacheSubnetGroup
	if aws.ToString(created.CacheSubnetGroupName) != "prod-private" || aws.ToString(created.VpcId) != vpc.VpcID ||
		aws.ToString(created.ARN) != "arn:aws:elasticache:us-east-1:"+models.DefaultAccountID+":subnetgroup:prod-private" {
		t.Fatalf("created %+v", created)
	}
	if len(created.Subnets) != 2 || aws.ToString(created.Subnets[0].SubnetIdentifier) != subnets[0] ||
		aws.ToString(created.Subnets[1].SubnetAvailabilityZone.Name) != "us-east-1b" {
		t.Fatalf("subnets %+v", created.Subnets)
	}

	_, err := c.CreateCacheSubnetGroup(bg, &elasticache.CreateCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("prod-private"),
		CacheSubnetGroupDescription: aws.String("again"), SubnetIds: subnets[:1]})
	wantFault[*types.CacheSubnetGroupAlreadyExistsFault](t, err, http.StatusBadRequest)
	_, err = c.CreateCacheSubnetGroup(bg, &elasticache.CreateCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("mixed"),
		CacheSubnetGroupDescription: aws.String("d"), SubnetIds: []string{subnets[0], foreign[0]}})
	wantFault[*types.InvalidSubnet](t, err, http.StatusBadRequest)
	_, err = c.CreateCacheSubnetGroup(bg, &elasticache.CreateCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("bad_name"),
		CacheSubnetGroupDescription: aws.String("d"), SubnetIds: subnets[:1]})
	if msg := wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest); !strings.HasPrefix(msg, "Invalid value for parameter CacheSubnetGroupName:") {
		t.Fatalf("message %q does not name the parameter", msg)
	}
	// The SDK itself refuses a missing SubnetIds, so this one is sent by hand.
	res := env.rawCall(t, apiForm("CreateCacheSubnetGroup", "CacheSubnetGroupName", "empty", "CacheSubnetGroupDescription", "d"), rawOptions{})
	if res.Status != http.StatusBadRequest || !strings.Contains(res.Body, "<Code>MissingParameter</Code>") || !strings.Contains(res.Body, "SubnetIds") {
		t.Fatalf("no SubnetIds: %d %s", res.Status, res.Body)
	}

	desc := ok(c.ModifyCacheSubnetGroup(bg, &elasticache.ModifyCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("prod-private"),
		SubnetIds: subnets})).get(t).CacheSubnetGroup
	if len(desc.Subnets) != 3 || aws.ToString(desc.CacheSubnetGroupDescription) != "Private subnets" {
		t.Fatalf("modify kept the description and set three subnets: %+v", desc)
	}
	_, err = c.ModifyCacheSubnetGroup(bg, &elasticache.ModifyCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("prod-private"), SubnetIds: foreign})
	wantFault[*types.InvalidSubnet](t, err, http.StatusBadRequest)
	_, err = c.ModifyCacheSubnetGroup(bg, &elasticache.ModifyCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("nope"), CacheSubnetGroupDescription: aws.String("x")})
	wantFault[*types.CacheSubnetGroupNotFoundFault](t, err, http.StatusBadRequest)

	// A cluster in the group: the group and its subnets stay.
	ok(c.CreateCacheCluster(bg, &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("orders"), Engine: aws.String("redis"),
		CacheNodeType: aws.String("cache.t2.small"), NumCacheNodes: aws.Int32(1), CacheSubnetGroupName: aws.String("prod-private")})).get(t)
	_, err = c.ModifyCacheSubnetGroup(bg, &elasticache.ModifyCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("prod-private"), SubnetIds: subnets[:1]})
	wantFault[*types.SubnetInUse](t, err, http.StatusBadRequest)
	_, err = c.DeleteCacheSubnetGroup(bg, &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("prod-private")})
	wantFault[*types.CacheSubnetGroupInUse](t, err, http.StatusBadRequest)

	one := ok(c.DescribeCacheSubnetGroups(bg, &elasticache.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: aws.String("PROD-PRIVATE")})).get(t)
	if len(one.CacheSubnetGroups) != 1 || len(one.CacheSubnetGroups[0].Subnets) != 3 {
		t.Fatalf("describe one: %+v", one.CacheSubnetGroups)
	}
	_, err = c.DescribeCacheSubnetGroups(bg, &elasticache.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: aws.String("nope")})
	wantFault[*types.CacheSubnetGroupNotFoundFault](t, err, http.StatusBadRequest)

	// Another region has none of them.
	west := env.clientFor(env.key, "us-west-2")
	_, err = west.DeleteCacheSubnetGroup(bg, &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("prod-private")})
	wantFault[*types.CacheSubnetGroupNotFoundFault](t, err, http.StatusBadRequest)
}

func TestAPICacheSubnetGroupsPagedAndDeleted(t *testing.T) {
	env := newAPIEnv(t, false)
	_, subnets, _ := vpcFixture(t, env.store)
	c := env.client
	var want []string
	for i := 0; i < 25; i++ {
		name := fmt.Sprintf("group-%02d", i)
		want = append(want, name)
		ok(c.CreateCacheSubnetGroup(bg, &elasticache.CreateCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(name),
			CacheSubnetGroupDescription: aws.String("d"), SubnetIds: subnets[:1]})).get(t)
	}
	var got []string
	pages := 0
	p := elasticache.NewDescribeCacheSubnetGroupsPaginator(c, &elasticache.DescribeCacheSubnetGroupsInput{MaxRecords: aws.Int32(20)})
	for p.HasMorePages() {
		out := ok(p.NextPage(bg)).get(t)
		pages++
		for _, g := range out.CacheSubnetGroups {
			got = append(got, aws.ToString(g.CacheSubnetGroupName))
		}
	}
	if pages != 2 || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("%d pages: %v", pages, got)
	}
	ok(c.DeleteCacheSubnetGroup(bg, &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("group-00")})).get(t)
	_, err := c.DeleteCacheSubnetGroup(bg, &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("group-00")})
	wantFault[*types.CacheSubnetGroupNotFoundFault](t, err, http.StatusBadRequest)
	events := ok(c.DescribeEvents(bg, &elasticache.DescribeEventsInput{SourceType: types.SourceTypeCacheSubnetGroup, SourceIdentifier: aws.String("group-00")})).get(t)
	if len(events.Events) != 2 {
		t.Fatalf("events of group-00: %+v", events.Events)
	}
}

// Both list encodings name the subnets: the SDKs' SubnetIds.SubnetIdentifier.N and the legacy
// SubnetIds.member.N; mixing them for one index is refused.
func TestAPICacheSubnetGroupListEncodings(t *testing.T) {
	env := newAPIEnv(t, false)
	_, subnets, _ := vpcFixture(t, env.store)
	for name, member := range map[string]string{"legacy": "member", "sdk-form": "SubnetIdentifier"} {
		res := env.rawCall(t, apiForm("CreateCacheSubnetGroup", "CacheSubnetGroupName", name, "CacheSubnetGroupDescription", "d",
			"SubnetIds."+member+".1", subnets[0], "SubnetIds."+member+".2", subnets[2]), rawOptions{})
		if res.Status != http.StatusOK || !strings.Contains(res.Body, "<SubnetIdentifier>"+subnets[2]+"</SubnetIdentifier>") ||
			!strings.Contains(res.Body, "<SubnetAvailabilityZone><Name>us-east-1c</Name></SubnetAvailabilityZone>") {
			t.Fatalf("%s: %d %s", name, res.Status, res.Body)
		}
	}
	res := env.rawCall(t, apiForm("ModifyCacheSubnetGroup", "CacheSubnetGroupName", "legacy",
		"SubnetIds.member.1", subnets[1], "SubnetIds.SubnetIdentifier.1", subnets[0]), rawOptions{})
	if res.Status != http.StatusBadRequest || !strings.Contains(res.Body, "<Code>InvalidParameterValue</Code>") {
		t.Fatalf("mixed encodings: %d %s", res.Status, res.Body)
	}
	res = env.rawCall(t, apiForm("ModifyCacheSubnetGroup", "CacheSubnetGroupName", "legacy", "SubnetIds.Subnet.1", subnets[1]), rawOptions{})
	if res.Status != http.StatusBadRequest || !strings.Contains(res.Body, "<Code>InvalidParameterValue</Code>") {
		t.Fatalf("unknown member name: %d %s", res.Status, res.Body)
	}
}
