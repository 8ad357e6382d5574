package web_test

// The ElastiCache Query API driven by the real AWS SDK for Go v2 (and, where the SDK cannot send
// what a test needs, by requests signed by hand with the SDK's signer) against the whole router.

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"sgconsole/models"
)

const ownerID = "123456789012"

func TestAPISecurityGroupLifecycle(t *testing.T) {
	env := newAPIEnv(t, false)
	c := env.client

	created := ok(c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{
		CacheSecurityGroupName: aws.String("Web-Cache"), Description: aws.String("Cache for the web tier"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("web")}, {Key: aws.String("env"), Value: aws.String("prod")}}})).get(t)
	g := created.CacheSecurityGroup
	if id, ok := awsmiddleware.GetRequestIDMetadata(created.ResultMetadata); !ok || id == "" {
		t.Fatal("the SDK found no request ID in the response")
	}
	if aws.ToString(g.CacheSecurityGroupName) != "web-cache" || aws.ToString(g.Description) != "Cache for the web tier" ||
		aws.ToString(g.OwnerId) != models.DefaultAccountID || len(g.EC2SecurityGroups) != 0 {
		t.Fatalf("created %+v", g)
	}
	wantARN := "arn:aws:elasticache:us-east-1:" + models.DefaultAccountID + ":securitygroup:web-cache"
	if aws.ToString(g.ARN) != wantARN {
		t.Fatalf("ARN %s, want %s", aws.ToString(g.ARN), wantARN)
	}
	tags := ok(c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: aws.String(wantARN)})).get(t)
	if got := tagPairs(tags.TagList); got != "env=prod team=web" {
		t.Fatalf("tags given on create: %s", got)
	}

	t.Run("describe", func(t *testing.T) {
		all := ok(c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})).get(t)
		if got := groupNames(all); !slices.Equal(got, []string{"default", "web-cache"}) || all.Marker != nil {
			t.Fatalf("all groups %v (marker %v)", got, all.Marker)
		}
		for _, name := range []string{"web-cache", "WEB-Cache"} {
			one := ok(c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String(name)})).get(t)
			if got := groupNames(one); !slices.Equal(got, []string{"web-cache"}) {
				t.Fatalf("by name %q: %v", name, got)
			}
		}
		_, err := c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String("nope")})
		wantFault[*types.CacheSecurityGroupNotFoundFault](t, err, http.StatusNotFound)
	})

	t.Run("create refusals", func(t *testing.T) {
		_, err := c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{
			CacheSecurityGroupName: aws.String("WEB-CACHE"), Description: aws.String("again")})
		wantFault[*types.CacheSecurityGroupAlreadyExistsFault](t, err, http.StatusBadRequest)
		_, err = c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{
			CacheSecurityGroupName: aws.String("web_cache"), Description: aws.String("bad name")})
		f := wantFault[*types.InvalidParameterValueException](t, err, http.StatusBadRequest)
		if !strings.Contains(f.ErrorMessage(), "CacheSecurityGroupName") {
			t.Fatalf("message %q does not name the parameter", f.ErrorMessage())
		}
	})

	t.Run("authorize", func(t *testing.T) {
		out := ok(c.AuthorizeCacheSecurityGroupIngress(bg, &elasticache.AuthorizeCacheSecurityGroupIngressInput{
			CacheSecurityGroupName: aws.String("web-cache"), EC2SecurityGroupName: aws.String("web-servers"), EC2SecurityGroupOwnerId: aws.String(ownerID)})).get(t)
		if got := ec2Entries(out.CacheSecurityGroup); got != "web-servers/"+ownerID+"=authorizing" {
			t.Fatalf("after authorize: %s", got)
		}
		env.settle()
		if got := ec2Entries(describeGroup(t, c, "web-cache")); got != "web-servers/"+ownerID+"=authorized" {
			t.Fatalf("after the propagation delay: %s", got)
		}
		_, err := c.AuthorizeCacheSecurityGroupIngress(bg, &elasticache.AuthorizeCacheSecurityGroupIngressInput{
			CacheSecurityGroupName: aws.String("web-cache"), EC2SecurityGroupName: aws.String("web-servers"), EC2SecurityGroupOwnerId: aws.String(ownerID)})
		wantFault[*types.AuthorizationAlreadyExistsFault](t, err, http.StatusBadRequest)

		_, err = c.AuthorizeCacheSecurityGroupIngress(bg, &elasticache.AuthorizeCacheSecurityGroupIngressInput{
			CacheSecurityGroupName: aws.String("web-cache"), EC2SecurityGroupName: aws.String("app-servers"), EC2SecurityGroupOwnerId: aws.String("AKIAIOSFODNN7EXAMPLE")})
		f := wantFault[*types.InvalidParameterValueException](t, err, http.StatusBadRequest)
		if !strings.Contains(f.ErrorMessage(), "EC2SecurityGroupOwnerId") {
			t.Fatalf("bad owner ID: message %q does not name EC2SecurityGroupOwnerId", f.ErrorMessage())
		}
		_, err = c.AuthorizeCacheSecurityGroupIngress(bg, &elasticache.AuthorizeCacheSecurityGroupIngressInput{
			CacheSecurityGroupName: aws.String("nope"), EC2SecurityGroupName: aws.String("web-servers"), EC2SecurityGroupOwnerId: aws.String(ownerID)})
		wantFault[*types.CacheSecurityGroupNotFoundFault](t, err, http.StatusNotFound)
	})

	t.Run("revoke", func(t *testing.T) {
		out := ok(c.RevokeCacheSecurityGroupIngress(bg, &elasticache.RevokeCacheSecurityGroupIngressInput{
			CacheSecurityGroupName: aws.String("web-cache"), EC2SecurityGroupName: aws.String("web-servers"), EC2SecurityGroupOwnerId: aws.String(ownerID)})).get(t)
		if got := ec2Entries(out.CacheSecurityGroup); got != "web-servers/"+ownerID+"=revoking" {
			t.Fatalf("after revoke: %s", got)
		}
		_, err := c.RevokeCacheSecurityGroupIngress(bg, &elasticache.RevokeCacheSecurityGroupIngressInput{
			CacheSecurityGroupName: aws.String("web-cache"), EC2SecurityGroupName: aws.String("web-servers"), EC2SecurityGroupOwnerId: aws.String(ownerID)})
		wantFault[*types.InvalidCacheSecurityGroupStateFault](t, err, http.StatusBadRequest)
		env.settle()
		if got := ec2Entries(describeGroup(t, c, "web-cache")); got != "" {
			t.Fatalf("after the revocation applied: %s, want no entries", got)
		}
		_, err = c.RevokeCacheSecurityGroupIngress(bg, &elasticache.RevokeCacheSecurityGroupIngressInput{
			CacheSecurityGroupName: aws.String("web-cache"), EC2SecurityGroupName: aws.String("web-servers"), EC2SecurityGroupOwnerId: aws.String(ownerID)})
		wantFault[*types.AuthorizationNotFoundFault](t, err, http.StatusNotFound)
	})

	t.Run("delete", func(t *testing.T) {
		_, err := c.DeleteCacheSecurityGroup(bg, &elasticache.DeleteCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("default")})
		f := wantFault[*types.InvalidParameterValueException](t, err, http.StatusBadRequest)
		if !strings.Contains(f.ErrorMessage(), "default") {
			t.Fatalf("deleting default: %q", f.ErrorMessage())
		}
		ok(c.DeleteCacheSecurityGroup(bg, &elasticache.DeleteCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("Web-Cache")})).get(t)
		_, err = c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String("web-cache")})
		wantFault[*types.CacheSecurityGroupNotFoundFault](t, err, http.StatusNotFound)
		_, err = c.DeleteCacheSecurityGroup(bg, &elasticache.DeleteCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("web-cache")})
		wantFault[*types.CacheSecurityGroupNotFoundFault](t, err, http.StatusNotFound)
	})

	t.Run("quota", func(t *testing.T) {
		for i := 1; i < models.MaxSecurityGroupsPerRegion; i++ {
			ok(c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{
				CacheSecurityGroupName: aws.String(fmt.Sprintf("q-%02d", i)), Description: aws.String("quota")})).get(t)
		}
		_, err := c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{
			CacheSecurityGroupName: aws.String("one-too-many"), Description: aws.String("quota")})
		wantFault[*types.CacheSecurityGroupQuotaExceededFault](t, err, http.StatusBadRequest)
	})
}

func TestAPIClusters(t *testing.T) {
	env := newAPIEnv(t, false)
	c := env.client
	for _, name := range []string{"sessions-sg", "app-sg"} {
		ok(c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String(name), Description: aws.String(name)})).get(t)
	}
	create := func(in elasticache.CreateCacheClusterInput) (*elasticache.CreateCacheClusterOutput, error) {
		if in.CacheNodeType == nil {
			in.CacheNodeType = aws.String("cache.m1.small")
		}
		if in.Engine == nil {
			in.Engine = aws.String("memcached")
		}
		in.NumCacheNodes = aws.Int32(1)
		return c.CreateCacheCluster(bg, &in)
	}

	classic := ok(create(elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("Sessions"), CacheSecurityGroupNames: []string{"sessions-sg", "App-SG"}})).get(t)
	cl := classic.CacheCluster
	if aws.ToString(cl.CacheClusterId) != "sessions" || aws.ToString(cl.CacheClusterStatus) != "creating" {
		t.Fatalf("classic cluster %s is %s, want sessions creating", aws.ToString(cl.CacheClusterId), aws.ToString(cl.CacheClusterStatus))
	}
	if got := memberships(*cl); got != "app-sg=active sessions-sg=active" {
		t.Fatalf("memberships of a new cluster: %s", got)
	}
	if cl.CacheSubnetGroupName != nil || len(cl.SecurityGroups) != 0 {
		t.Fatalf("classic cluster has VPC settings: subnet group %v, security groups %+v", cl.CacheSubnetGroupName, cl.SecurityGroups)
	}

	plain := ok(create(elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("plain"), Engine: aws.String("redis")})).get(t)
	if got := memberships(*plain.CacheCluster); got != "default=active" {
		t.Fatalf("a cluster created without groups: %s, want default=active", got)
	}

	sg := makeNetwork(t, env.store, models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}, "my-subnets", 2)
	vpc := ok(create(elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("in-vpc"), CacheSubnetGroupName: aws.String("my-subnets"),
		SecurityGroupIds: []string{sg[0], sg[1]}})).get(t)
	if got := aws.ToString(vpc.CacheCluster.CacheSubnetGroupName); got != "my-subnets" {
		t.Fatalf("VPC cluster subnet group %q", got)
	}
	if got := vpcGroups(*vpc.CacheCluster); got != sg[0]+"=active "+sg[1]+"=active" {
		t.Fatalf("VPC cluster SecurityGroups: %s", got)
	}
	if len(vpc.CacheCluster.CacheSecurityGroups) != 0 {
		t.Fatalf("VPC cluster has cache security groups %+v", vpc.CacheCluster.CacheSecurityGroups)
	}

	t.Run("create refusals", func(t *testing.T) {
		_, err := create(elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("both"), CacheSecurityGroupNames: []string{"app-sg"},
			CacheSubnetGroupName: aws.String("my-subnets"), SecurityGroupIds: []string{sg[0]}})
		f := wantFault[*types.InvalidParameterCombinationException](t, err, http.StatusBadRequest)
		if f.ErrorMessage() != models.MessageSecurityGroupsWithVPCParts ||
			f.ErrorMessage() != "Use of cache security groups is not permitted along with cache subnet group and/or security group Ids." {
			t.Fatalf("message %q", f.ErrorMessage())
		}
		_, err = create(elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("SESSIONS")})
		wantFault[*types.CacheClusterAlreadyExistsFault](t, err, http.StatusBadRequest)
		_, err = create(elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("lost"), CacheSecurityGroupNames: []string{"no-such-group"}})
		wantFault[*types.CacheSecurityGroupNotFoundFault](t, err, http.StatusNotFound)
		_, err = create(elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("bad--id")})
		f2 := wantFault[*types.InvalidParameterValueException](t, err, http.StatusBadRequest)
		if !strings.Contains(f2.ErrorMessage(), "CacheClusterId") {
			t.Fatalf("bad ID message %q does not name CacheClusterId", f2.ErrorMessage())
		}
	})

	t.Run("delete a group in use", func(t *testing.T) {
		_, err := c.DeleteCacheSecurityGroup(bg, &elasticache.DeleteCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("app-sg")})
		f := wantFault[*types.InvalidCacheSecurityGroupStateFault](t, err, http.StatusBadRequest)
		if !strings.Contains(f.ErrorMessage(), "sessions") {
			t.Fatalf("message %q does not name the cluster", f.ErrorMessage())
		}
	})

	t.Run("modify while creating", func(t *testing.T) {
		_, err := c.ModifyCacheCluster(bg, &elasticache.ModifyCacheClusterInput{CacheClusterId: aws.String("sessions"), CacheSecurityGroupNames: []string{"app-sg"}})
		wantFault[*types.InvalidCacheClusterStateFault](t, err, http.StatusBadRequest)
	})

	env.settle()
	t.Run("describe", func(t *testing.T) {
		out := ok(c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{})).get(t)
		var ids []string
		for _, cl := range out.CacheClusters {
			ids = append(ids, aws.ToString(cl.CacheClusterId)+"="+aws.ToString(cl.CacheClusterStatus))
		}
		if want := []string{"in-vpc=available", "plain=available", "sessions=available"}; !slices.Equal(ids, want) || out.Marker != nil {
			t.Fatalf("clusters %v, want %v", ids, want)
		}
		one := ok(c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String("SESSIONS")})).get(t)
		if len(one.CacheClusters) != 1 || memberships(one.CacheClusters[0]) != "app-sg=active sessions-sg=active" {
			t.Fatalf("one cluster: %+v", one.CacheClusters)
		}
		_, err := c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String("nope")})
		wantFault[*types.CacheClusterNotFoundFault](t, err, http.StatusNotFound)
	})

	t.Run("modify", func(t *testing.T) {
		out := ok(c.ModifyCacheCluster(bg, &elasticache.ModifyCacheClusterInput{CacheClusterId: aws.String("sessions"),
			CacheSecurityGroupNames: []string{"app-sg", "default"}, ApplyImmediately: aws.Bool(true)})).get(t)
		if got := memberships(*out.CacheCluster); got != "app-sg=active default=modifying sessions-sg=modifying" {
			t.Fatalf("right after modify: %s", got)
		}
		env.settle()
		cl := ok(c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String("sessions")})).get(t).CacheClusters[0]
		if got := memberships(cl); got != "app-sg=active default=active" {
			t.Fatalf("after the change applied: %s", got)
		}
		// sessions-sg is free again.
		ok(c.DeleteCacheSecurityGroup(bg, &elasticache.DeleteCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("sessions-sg")})).get(t)

		_, err := c.ModifyCacheCluster(bg, &elasticache.ModifyCacheClusterInput{CacheClusterId: aws.String("in-vpc"), CacheSecurityGroupNames: []string{"app-sg"}})
		wantFault[*types.InvalidParameterCombinationException](t, err, http.StatusBadRequest)
		_, err = c.ModifyCacheCluster(bg, &elasticache.ModifyCacheClusterInput{CacheClusterId: aws.String("sessions"), CacheSecurityGroupNames: []string{"nope"}})
		wantFault[*types.CacheSecurityGroupNotFoundFault](t, err, http.StatusNotFound)
		_, err = c.ModifyCacheCluster(bg, &elasticache.ModifyCacheClusterInput{CacheClusterId: aws.String("nope"), CacheSecurityGroupNames: []string{"app-sg"}})
		wantFault[*types.CacheClusterNotFoundFault](t, err, http.StatusNotFound)
	})

	t.Run("delete", func(t *testing.T) {
		out := ok(c.DeleteCacheCluster(bg, &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String("sessions")})).get(t)
		if got := aws.ToString(out.CacheCluster.CacheClusterStatus); got != "deleting" {
			t.Fatalf("status after delete: %s", got)
		}
		_, err := c.DeleteCacheCluster(bg, &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String("sessions")})
		wantFault[*types.InvalidCacheClusterStateFault](t, err, http.StatusBadRequest)
		// Still deleting: the group is still in use.
		_, err = c.DeleteCacheSecurityGroup(bg, &elasticache.DeleteCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("app-sg")})
		wantFault[*types.InvalidCacheSecurityGroupStateFault](t, err, http.StatusBadRequest)
		env.settle()
		_, err = c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String("sessions")})
		wantFault[*types.CacheClusterNotFoundFault](t, err, http.StatusNotFound)
		_, err = c.DeleteCacheCluster(bg, &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String("sessions")})
		wantFault[*types.CacheClusterNotFoundFault](t, err, http.StatusNotFound)
		ok(c.DeleteCacheSecurityGroup(bg, &elasticache.DeleteCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("app-sg")})).get(t)
	})
}

func TestAPIEvents(t *testing.T) {
	env := newAPIEnv(t, false)
	c := env.client
	ok(c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("ev-sg"), Description: aws.String("events")})).get(t)
	ok(c.CreateCacheCluster(bg, &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("ev-cluster"), CacheNodeType: aws.String("cache.m1.small"),
		Engine: aws.String("memcached"), NumCacheNodes: aws.Int32(1), CacheSecurityGroupNames: []string{"ev-sg"}})).get(t)
	env.clock.Advance(time.Minute)
	ok(c.AuthorizeCacheSecurityGroupIngress(bg, &elasticache.AuthorizeCacheSecurityGroupIngressInput{
		CacheSecurityGroupName: aws.String("ev-sg"), EC2SecurityGroupName: aws.String("web-servers"), EC2SecurityGroupOwnerId: aws.String(ownerID)})).get(t)

	all := ok(c.DescribeEvents(bg, &elasticache.DescribeEventsInput{})).get(t)
	got := eventLines(all.Events)
	for _, want := range []string{
		"cache-security-group ev-sg: Created cache security group ev-sg",
		"cache-cluster ev-cluster: Cache cluster created",
		"cache-security-group ev-sg: Authorized EC2 security group web-servers (owner " + ownerID + ")",
		"cache-cluster ev-cluster: Applied change to security group ev-sg: authorized EC2 security group web-servers (owner " + ownerID + ")",
	} {
		if !slices.Contains(got, want) {
			t.Fatalf("events %q lack %q", got, want)
		}
	}
	if all.Events[0].Date == nil || !all.Events[0].Date.Equal(env.clock.Now()) {
		t.Fatalf("newest event dated %v, want %v", all.Events[0].Date, env.clock.Now())
	}

	clusters := ok(c.DescribeEvents(bg, &elasticache.DescribeEventsInput{SourceType: types.SourceTypeCacheCluster})).get(t)
	for _, e := range clusters.Events {
		if e.SourceType != types.SourceTypeCacheCluster {
			t.Fatalf("SourceType filter let through %+v", e)
		}
	}
	if len(clusters.Events) != 2 {
		t.Fatalf("cluster events %q, want 2", eventLines(clusters.Events))
	}
	one := ok(c.DescribeEvents(bg, &elasticache.DescribeEventsInput{SourceType: types.SourceTypeCacheSecurityGroup, SourceIdentifier: aws.String("ev-sg")})).get(t)
	if len(one.Events) != 2 {
		t.Fatalf("ev-sg events %q, want 2", eventLines(one.Events))
	}

	// Source types sgconsole never records have no events; a value that is no source type is refused.
	if out := ok(c.DescribeEvents(bg, &elasticache.DescribeEventsInput{SourceType: types.SourceTypeCacheSubnetGroup})).get(t); len(out.Events) != 0 {
		t.Fatalf("subnet group events %q", eventLines(out.Events))
	}
	for _, bad := range []types.SourceType{"bogus", "Cache-Cluster"} {
		_, err := c.DescribeEvents(bg, &elasticache.DescribeEventsInput{SourceType: bad})
		if f := wantFault[*types.InvalidParameterValueException](t, err, http.StatusBadRequest); !strings.Contains(f.ErrorMessage(), "SourceType") {
			t.Fatalf("SourceType %q: message %q", bad, f.ErrorMessage())
		}
	}
	for _, bad := range []int32{0, -5} {
		_, err := c.DescribeEvents(bg, &elasticache.DescribeEventsInput{Duration: aws.Int32(bad)})
		if f := wantFault[*types.InvalidParameterValueException](t, err, http.StatusBadRequest); !strings.Contains(f.ErrorMessage(), "Duration") {
			t.Fatalf("Duration %d: message %q", bad, f.ErrorMessage())
		}
	}

	env.clock.Advance(90 * time.Minute)
	if recent := ok(c.DescribeEvents(bg, &elasticache.DescribeEventsInput{})).get(t); len(recent.Events) != 0 {
		t.Fatalf("default window (60 minutes) after 90 minutes: %q", eventLines(recent.Events))
	}
	if longer := ok(c.DescribeEvents(bg, &elasticache.DescribeEventsInput{Duration: aws.Int32(120)})).get(t); len(longer.Events) != len(all.Events) {
		t.Fatalf("Duration 120: %d events, want %d", len(longer.Events), len(all.Events))
	}
	if shorter := ok(c.DescribeEvents(bg, &elasticache.DescribeEventsInput{Duration: aws.Int32(90)})).get(t); len(shorter.Events) != 2 {
		// Only the authorization, a minute after the rest, and its echo on the cluster are that recent.
		t.Fatalf("Duration 90: %q, want the 2 events of the authorization", eventLines(shorter.Events))
	}
}

func TestAPITags(t *testing.T) {
	env := newAPIEnv(t, false)
	c := env.client
	ok(c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("tagged"), Description: aws.String("tags")})).get(t)
	arn := models.SecurityGroupARN(models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}, "tagged")

	if out := ok(c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: aws.String(arn)})).get(t); len(out.TagList) != 0 {
		t.Fatalf("new group has tags %s", tagPairs(out.TagList))
	}
	var many []types.Tag
	for i := 1; i <= models.MaxTagsPerResource; i++ {
		many = append(many, types.Tag{Key: aws.String(fmt.Sprintf("k%02d", i)), Value: aws.String("v")})
	}
	added := ok(c.AddTagsToResource(bg, &elasticache.AddTagsToResourceInput{ResourceName: aws.String(arn), Tags: many})).get(t)
	if len(added.TagList) != models.MaxTagsPerResource {
		t.Fatalf("after adding 50: %d tags", len(added.TagList))
	}
	// Overwriting an existing key is not a new tag.
	ok(c.AddTagsToResource(bg, &elasticache.AddTagsToResourceInput{ResourceName: aws.String(arn), Tags: []types.Tag{{Key: aws.String("k01"), Value: aws.String("changed")}}})).get(t)
	_, err := c.AddTagsToResource(bg, &elasticache.AddTagsToResourceInput{ResourceName: aws.String(arn), Tags: []types.Tag{{Key: aws.String("k51"), Value: aws.String("v")}}})
	wantFault[*types.TagQuotaPerResourceExceeded](t, err, http.StatusBadRequest)
	_, err = c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("over"), Description: aws.String("tags"),
		Tags: append(many, types.Tag{Key: aws.String("k51"), Value: aws.String("v")})})
	wantFault[*types.TagQuotaPerResourceExceeded](t, err, http.StatusBadRequest)
	_, err = c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String("over")})
	wantFault[*types.CacheSecurityGroupNotFoundFault](t, err, http.StatusNotFound) // the refused create left nothing behind

	removed := ok(c.RemoveTagsFromResource(bg, &elasticache.RemoveTagsFromResourceInput{ResourceName: aws.String(arn), TagKeys: []string{"k02", "k03", "not-there"}})).get(t)
	if len(removed.TagList) != models.MaxTagsPerResource-2 {
		t.Fatalf("after removing 2: %d tags", len(removed.TagList))
	}
	listed := ok(c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: aws.String(arn)})).get(t)
	if len(listed.TagList) != 48 || aws.ToString(listed.TagList[0].Key) != "k01" || aws.ToString(listed.TagList[0].Value) != "changed" {
		t.Fatalf("listed %s", tagPairs(listed.TagList))
	}

	defaultARN := models.SecurityGroupARN(models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}, "default")
	_, err = c.AddTagsToResource(bg, &elasticache.AddTagsToResourceInput{ResourceName: aws.String(defaultARN), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}})
	wantFault[*types.InvalidParameterValueException](t, err, http.StatusBadRequest)
	for _, bad := range []string{"not-an-arn", "arn:aws:elasticache:us-west-2:" + models.DefaultAccountID + ":securitygroup:tagged"} {
		_, err = c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: aws.String(bad)})
		wantFault[*types.InvalidARNFault](t, err, http.StatusBadRequest)
	}
	_, err = c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: aws.String(models.SecurityGroupARN(models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}, "gone"))})
	wantFault[*types.CacheSecurityGroupNotFoundFault](t, err, http.StatusNotFound)
}

// TestAPIConsoleRoundTrip: created by the API, seen in the console, removed in the console, gone
// from the API. Both front ends run the same model code.
func TestAPIConsoleRoundTrip(t *testing.T) {
	env := newAPIEnv(t, true)
	c := env.client
	browser := env.signIn(t)

	ok(c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("From-API"), Description: aws.String("made by the SDK")})).get(t)
	ok(c.AuthorizeCacheSecurityGroupIngress(bg, &elasticache.AuthorizeCacheSecurityGroupIngressInput{
		CacheSecurityGroupName: aws.String("from-api"), EC2SecurityGroupName: aws.String("web-servers"), EC2SecurityGroupOwnerId: aws.String(models.DefaultAccountID)})).get(t)

	list := browser.do(t, http.MethodGet, "/security-groups?region=us-east-1", nil)
	if list.Status != http.StatusOK || !strings.Contains(list.Body, `data-testid="row-from-api"`) {
		t.Fatalf("console list (%d) does not show the group made by the API", list.Status)
	}
	detail := browser.do(t, http.MethodGet, "/security-groups/from-api?region=us-east-1", nil)
	if detail.Status != http.StatusOK || !strings.Contains(detail.Body, "made by the SDK") || !strings.Contains(detail.Body, "authorizing") {
		t.Fatalf("console details (%d) do not show the API's group with its authorizing entry", detail.Status)
	}

	// A group made in the console shows in the API too.
	made := browser.do(t, http.MethodPost, "/security-groups?region=us-east-1", url.Values{"name": {"From-Console"}, "description": {"made in the browser"}})
	if made.Status != http.StatusSeeOther {
		t.Fatalf("console create: %d\n%.2000s", made.Status, made.Body)
	}
	if g := describeGroup(t, c, "from-console"); aws.ToString(g.Description) != "made in the browser" {
		t.Fatalf("API sees %+v", g)
	}

	// Its authorizing entry goes with it, so the console asks for the typed word.
	del := browser.do(t, http.MethodPost, "/security-groups/from-api/delete?region=us-east-1", url.Values{"confirm": {"confirm"}})
	if del.Status != http.StatusSeeOther {
		t.Fatalf("console delete: %d\n%.2000s", del.Status, del.Body)
	}
	_, err := c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String("from-api")})
	wantFault[*types.CacheSecurityGroupNotFoundFault](t, err, http.StatusNotFound)
	all := groupNames(ok(c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})).get(t))
	if slices.Contains(all, "from-api") || !slices.Contains(all, "from-console") {
		t.Fatalf("API list after the console delete: %v", all)
	}
	// And the API's delete shows in the console.
	ok(c.DeleteCacheSecurityGroup(bg, &elasticache.DeleteCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("from-console")})).get(t)
	if list := browser.do(t, http.MethodGet, "/security-groups?region=us-east-1", nil); strings.Contains(list.Body, `data-testid="row-from-console"`) {
		t.Fatal("console still lists the group the API deleted")
	}
}

// TestAPIRefusesSecurityGroupsInVPCOnlyRegions: the same refusal, with AWS's message, as the console.
func TestAPIRefusesSecurityGroupsInVPCOnlyRegions(t *testing.T) {
	env := newAPIEnv(t, true)
	c := env.client
	scope := models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}
	if err := env.store.SetRegionPlatform(bg, scope, models.PlatformVPC); err != nil {
		t.Fatal(err)
	}
	arn := aws.String(models.SecurityGroupARN(scope, "web-sessions"))
	calls := map[string]func() error{
		"CreateCacheSecurityGroup": func() error {
			_, err := c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("x"), Description: aws.String("x")})
			return err
		},
		"DescribeCacheSecurityGroups": func() error {
			_, err := c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})
			return err
		},
		"DescribeCacheSecurityGroups by name": func() error {
			_, err := c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String("web-sessions")})
			return err
		},
		"DeleteCacheSecurityGroup": func() error {
			_, err := c.DeleteCacheSecurityGroup(bg, &elasticache.DeleteCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("staging")})
			return err
		},
		"AuthorizeCacheSecurityGroupIngress": func() error {
			_, err := c.AuthorizeCacheSecurityGroupIngress(bg, &elasticache.AuthorizeCacheSecurityGroupIngressInput{
				CacheSecurityGroupName: aws.String("staging"), EC2SecurityGroupName: aws.String("bastion"), EC2SecurityGroupOwnerId: aws.String(ownerID)})
			return err
		},
		"RevokeCacheSecurityGroupIngress": func() error {
			_, err := c.RevokeCacheSecurityGroupIngress(bg, &elasticache.RevokeCacheSecurityGroupIngressInput{
				CacheSecurityGroupName: aws.String("web-sessions"), EC2SecurityGroupName: aws.String("web-servers"), EC2SecurityGroupOwnerId: aws.String(models.DefaultAccountID)})
			return err
		},
		"CreateCacheCluster with groups": func() error {
			_, err := c.CreateCacheCluster(bg, &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("x"), CacheNodeType: aws.String("cache.m1.small"),
				Engine: aws.String("memcached"), NumCacheNodes: aws.Int32(1), CacheSecurityGroupNames: []string{"staging"}})
			return err
		},
		"ListTagsForResource": func() error {
			_, err := c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: arn})
			return err
		},
		"AddTagsToResource": func() error {
			_, err := c.AddTagsToResource(bg, &elasticache.AddTagsToResourceInput{ResourceName: arn, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}})
			return err
		},
		"RemoveTagsFromResource": func() error {
			_, err := c.RemoveTagsFromResource(bg, &elasticache.RemoveTagsFromResourceInput{ResourceName: arn, TagKeys: []string{"a"}})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			f := wantFault[*types.InvalidParameterValueException](t, call(), http.StatusBadRequest)
			if f.ErrorMessage() != "Use of cache security groups is not permitted in this API version for your account." {
				t.Fatalf("message %q", f.ErrorMessage())
			}
		})
	}
	// VPC clusters still work, and the groups come back when the region is switched back.
	sg := makeNetwork(t, env.store, scope, "subnets", 1)
	ok(c.CreateCacheCluster(bg, &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("vpc-only"), CacheNodeType: aws.String("cache.t2.micro"),
		Engine: aws.String("redis"), NumCacheNodes: aws.Int32(1), CacheSubnetGroupName: aws.String("subnets"), SecurityGroupIds: sg})).get(t)
	if err := env.store.SetRegionPlatform(bg, scope, models.PlatformClassic); err != nil {
		t.Fatal(err)
	}
	if got := groupNames(ok(c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})).get(t)); len(got) != 5 {
		t.Fatalf("after switching back: %v", got)
	}
}

func TestAPIPagination(t *testing.T) {
	env := newAPIEnv(t, false)
	c := env.client
	// default + 44 = 45 groups.
	for i := 1; i <= 44; i++ {
		ok(c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{
			CacheSecurityGroupName: aws.String(fmt.Sprintf("g-%02d", i*2)), Description: aws.String("paging")})).get(t)
	}

	t.Run("MaxRecords bounds", func(t *testing.T) {
		for _, n := range []int32{19, 101, 0, -1} {
			_, err := c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{MaxRecords: aws.Int32(n)})
			f := wantFault[*types.InvalidParameterValueException](t, err, http.StatusBadRequest)
			if !strings.Contains(f.ErrorMessage(), "MaxRecords") {
				t.Fatalf("MaxRecords %d: message %q does not name MaxRecords", n, f.ErrorMessage())
			}
			_, err = c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{MaxRecords: aws.Int32(n)})
			wantFault[*types.InvalidParameterValueException](t, err, http.StatusBadRequest)
			_, err = c.DescribeEvents(bg, &elasticache.DescribeEventsInput{MaxRecords: aws.Int32(n)})
			wantFault[*types.InvalidParameterValueException](t, err, http.StatusBadRequest)
		}
		for _, n := range []int32{20, 100} {
			ok(c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{MaxRecords: aws.Int32(n)})).get(t)
		}
	})

	t.Run("default is 100 and the Marker only comes with more records", func(t *testing.T) {
		all := ok(c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})).get(t)
		if len(all.CacheSecurityGroups) != 45 || all.Marker != nil {
			t.Fatalf("default page: %d groups, marker %v", len(all.CacheSecurityGroups), all.Marker)
		}
		raw := env.rawCall(t, apiForm("DescribeCacheSecurityGroups"), rawOptions{})
		if raw.Status != http.StatusOK || strings.Contains(raw.Body, "<Marker") {
			t.Fatalf("a last page carries a Marker element: %d\n%.500s", raw.Status, raw.Body)
		}
		// 45 = 20 + 25: a second page of 25 is the last, so it has no marker.
		var page2 *elasticache.DescribeCacheSecurityGroupsOutput
		first := ok(c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{MaxRecords: aws.Int32(20)})).get(t)
		if first.Marker == nil || len(first.CacheSecurityGroups) != 20 {
			t.Fatalf("first page of 20: %d groups, marker %v", len(first.CacheSecurityGroups), first.Marker)
		}
		page2 = ok(c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{MaxRecords: aws.Int32(25), Marker: first.Marker})).get(t)
		if page2.Marker != nil || len(page2.CacheSecurityGroups) != 25 {
			t.Fatalf("remaining 25 in a page of 25: %d, marker %v", len(page2.CacheSecurityGroups), page2.Marker)
		}
	})

	t.Run("garbage marker", func(t *testing.T) {
		for _, m := range []string{"garbage", "!!!", "dGFtcGVyZWQ"} {
			_, err := c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{Marker: aws.String(m)})
			f := wantFault[*types.InvalidParameterValueException](t, err, http.StatusBadRequest)
			if !strings.Contains(f.ErrorMessage(), "Marker") {
				t.Fatalf("marker %q: message %q", m, f.ErrorMessage())
			}
		}
		_, err := c.DescribeEvents(bg, &elasticache.DescribeEventsInput{Marker: aws.String("garbage")})
		wantFault[*types.InvalidParameterValueException](t, err, http.StatusBadRequest)
		_, err = c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{Marker: aws.String("garbage")})
		wantFault[*types.InvalidParameterValueException](t, err, http.StatusBadRequest)
	})

	t.Run("pages stay consistent while groups come and go", func(t *testing.T) {
		before := groupNames(ok(c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})).get(t))
		var seen []string
		var marker *string
		deleted := map[string]bool{}
		for page := 0; ; page++ {
			out := ok(c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{MaxRecords: aws.Int32(20), Marker: marker})).get(t)
			seen = append(seen, groupNames(out)...)
			if out.Marker == nil {
				break
			}
			marker = out.Marker
			last := seen[len(seen)-1]
			// Between pages: delete the record the marker points at and one already seen and one
			// still ahead, and add one behind and two ahead of the marker.
			ahead := fmt.Sprintf("g-%02d", 2*(page*20+22)%90)
			for _, name := range []string{last, seen[1], ahead} {
				if deleted[name] || name == "default" {
					continue
				}
				ok(c.DeleteCacheSecurityGroup(bg, &elasticache.DeleteCacheSecurityGroupInput{CacheSecurityGroupName: aws.String(name)})).get(t)
				deleted[name] = true
			}
			for _, name := range []string{fmt.Sprintf("a-new-%d", page), fmt.Sprintf("g-%02d", 2*(page*20+21)+1), fmt.Sprintf("z-new-%d", page)} {
				ok(c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String(name), Description: aws.String("added while paging")})).get(t)
			}
			if page > 5 {
				t.Fatal("paging does not end")
			}
		}
		counts := map[string]int{}
		for _, n := range seen {
			counts[n]++
			if counts[n] > 1 {
				t.Fatalf("%s returned twice while paging: %v", n, seen)
			}
		}
		for _, n := range before {
			if !deleted[n] && counts[n] == 0 {
				t.Fatalf("%s stayed but was skipped while paging: %v", n, seen)
			}
		}
		if !slices.IsSorted(seen) {
			t.Fatalf("pages out of order: %v", seen)
		}
	})

	t.Run("SDK paginator", func(t *testing.T) {
		want := groupNames(ok(c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})).get(t))
		p := elasticache.NewDescribeCacheSecurityGroupsPaginator(c, &elasticache.DescribeCacheSecurityGroupsInput{MaxRecords: aws.Int32(20)})
		var got []string
		pages := 0
		for p.HasMorePages() {
			out := ok(p.NextPage(bg)).get(t)
			pages++
			got = append(got, groupNames(out)...)
		}
		if !slices.Equal(got, want) || pages != (len(want)+19)/20 {
			t.Fatalf("paginator: %d pages %v, want %v", pages, got, want)
		}
	})

	t.Run("clusters and events page too", func(t *testing.T) {
		for i := 1; i <= 22; i++ {
			ok(c.CreateCacheCluster(bg, &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String(fmt.Sprintf("c-%02d", i)),
				CacheNodeType: aws.String("cache.m1.small"), Engine: aws.String("memcached"), NumCacheNodes: aws.Int32(1)})).get(t)
		}
		var ids []string
		p := elasticache.NewDescribeCacheClustersPaginator(c, &elasticache.DescribeCacheClustersInput{MaxRecords: aws.Int32(20)})
		for p.HasMorePages() {
			for _, cl := range ok(p.NextPage(bg)).get(t).CacheClusters {
				ids = append(ids, aws.ToString(cl.CacheClusterId))
			}
		}
		if len(ids) != 22 || ids[0] != "c-01" || ids[21] != "c-22" {
			t.Fatalf("clusters by pages: %v", ids)
		}
		all := ok(c.DescribeEvents(bg, &elasticache.DescribeEventsInput{})).get(t).Events
		var paged []types.Event
		pages := 0
		ep := elasticache.NewDescribeEventsPaginator(c, &elasticache.DescribeEventsInput{MaxRecords: aws.Int32(20)})
		for ep.HasMorePages() {
			paged = append(paged, ok(ep.NextPage(bg)).get(t).Events...)
			pages++
		}
		if len(all) < 60 || !slices.Equal(eventLines(paged), eventLines(all)) || pages != (len(all)+19)/20 {
			t.Fatalf("events: %d in the default page, %d in %d pages of 20", len(all), len(paged), pages)
		}
	})
}

func TestAPIWireFormat(t *testing.T) {
	env := newAPIEnv(t, false)
	c := env.client
	for _, name := range []string{"alpha", "beta"} {
		ok(c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String(name), Description: aws.String(name)})).get(t)
	}

	t.Run("both list encodings", func(t *testing.T) {
		res := env.rawCall(t, apiForm("CreateCacheCluster", "CacheClusterId", "sdk-style", "CacheNodeType", "cache.m1.small", "Engine", "memcached", "NumCacheNodes", "1",
			"CacheSecurityGroupNames.CacheSecurityGroupName.1", "alpha", "CacheSecurityGroupNames.CacheSecurityGroupName.2", "beta"), rawOptions{})
		if res.Status != http.StatusOK {
			t.Fatalf("SDK-style list: %d\n%s", res.Status, res.Body)
		}
		res = env.rawCall(t, apiForm("CreateCacheCluster", "CacheClusterId", "legacy-style", "CacheNodeType", "cache.m1.small", "Engine", "memcached", "NumCacheNodes", "1",
			"CacheSecurityGroupNames.member.1", "beta"), rawOptions{})
		if res.Status != http.StatusOK {
			t.Fatalf("legacy list: %d\n%s", res.Status, res.Body)
		}
		env.settle()
		for id, want := range map[string]string{"sdk-style": "alpha=active beta=active", "legacy-style": "beta=active"} {
			cl := ok(c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id)})).get(t).CacheClusters[0]
			if got := memberships(cl); got != want {
				t.Fatalf("%s: %s, want %s", id, got, want)
			}
		}
		res = env.rawCall(t, apiForm("ModifyCacheCluster", "CacheClusterId", "legacy-style", "CacheSecurityGroupNames", ""), rawOptions{})
		if msg := res.wantError(t, http.StatusBadRequest, "InvalidParameterValue"); !strings.Contains(msg, "CacheSecurityGroupNames") {
			t.Fatalf("empty list message %q does not name CacheSecurityGroupNames", msg)
		}
		// The SDK sends an empty (non-nil) list the same way: refused, not ignored.
		_, err := c.ModifyCacheCluster(bg, &elasticache.ModifyCacheClusterInput{CacheClusterId: aws.String("legacy-style"), CacheSecurityGroupNames: []string{}})
		if f := wantFault[*types.InvalidParameterValueException](t, err, http.StatusBadRequest); !strings.Contains(f.ErrorMessage(), "CacheSecurityGroupNames") {
			t.Fatalf("SDK empty list: %q", f.ErrorMessage())
		}
		res = env.rawCall(t, apiForm("ModifyCacheCluster", "CacheClusterId", "legacy-style", "CacheSecurityGroupNames.member.1", "alpha"), rawOptions{})
		if res.Status != http.StatusOK {
			t.Fatalf("legacy list on modify: %d\n%s", res.Status, res.Body)
		}
	})

	t.Run("success envelope", func(t *testing.T) {
		res := env.rawCall(t, apiForm("DescribeCacheSecurityGroups"), rawOptions{method: http.MethodGet})
		if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/xml") {
			t.Fatalf("GET: %d %s\n%s", res.Status, res.Header.Get("Content-Type"), res.Body)
		}
		var out struct {
			XMLName xml.Name `xml:"http://elasticache.amazonaws.com/doc/2015-02-02/ DescribeCacheSecurityGroupsResponse"`
			Result  *struct {
				Groups []struct {
					Name string `xml:"CacheSecurityGroupName"`
					EC2  *struct {
						Items []struct{} `xml:"EC2SecurityGroup"`
					} `xml:"EC2SecurityGroups"`
				} `xml:"CacheSecurityGroups>CacheSecurityGroup"`
			} `xml:"DescribeCacheSecurityGroupsResult"`
			RequestID string `xml:"ResponseMetadata>RequestId"`
		}
		if err := xml.Unmarshal([]byte(res.Body), &out); err != nil {
			t.Fatalf("%v\n%s", err, res.Body)
		}
		if out.Result == nil || len(out.Result.Groups) != 3 || out.Result.Groups[0].Name != "alpha" || out.Result.Groups[0].EC2 == nil {
			t.Fatalf("result %+v\n%s", out.Result, res.Body)
		}
		if out.RequestID == "" || out.RequestID != res.Header.Get("X-Amzn-RequestId") {
			t.Fatalf("RequestId %q, header %q", out.RequestID, res.Header.Get("X-Amzn-RequestId"))
		}
	})

	t.Run("delete has no Result element", func(t *testing.T) {
		ok(c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("gamma"), Description: aws.String("g")})).get(t)
		res := env.rawCall(t, apiForm("DeleteCacheSecurityGroup", "CacheSecurityGroupName", "gamma"), rawOptions{})
		if res.Status != http.StatusOK || strings.Contains(res.Body, "Result") || !strings.Contains(res.Body, `<DeleteCacheSecurityGroupResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">`) {
			t.Fatalf("delete response %d\n%s", res.Status, res.Body)
		}
	})

	t.Run("errors", func(t *testing.T) {
		env.rawCall(t, apiForm("DescribeCacheSecurityGroups", "CacheSecurityGroupName", "nope"), rawOptions{}).wantError(t, http.StatusNotFound, "CacheSecurityGroupNotFound")
		env.rawCall(t, apiForm("LaunchRockets"), rawOptions{}).wantError(t, http.StatusBadRequest, "InvalidAction")
		if msg := env.rawCall(t, apiForm("CreateCacheSecurityGroup", "CacheSecurityGroupName", "x"), rawOptions{}).wantError(t, http.StatusBadRequest, "MissingParameter"); !strings.Contains(msg, "Description") {
			t.Fatalf("MissingParameter message %q does not name Description", msg)
		}
		env.rawCall(t, apiForm("AuthorizeCacheSecurityGroupIngress", "CacheSecurityGroupName", "alpha", "EC2SecurityGroupName", "web"), rawOptions{}).
			wantError(t, http.StatusBadRequest, "MissingParameter")
		// An empty value is as good as none.
		if msg := env.rawCall(t, apiForm("CreateCacheSecurityGroup", "CacheSecurityGroupName", "x", "Description", ""), rawOptions{}).wantError(t, http.StatusBadRequest, "MissingParameter"); msg != "The request must contain the parameter Description." {
			t.Fatalf("empty Description: %q", msg)
		}
		if msg := env.rawCall(t, apiForm("AuthorizeCacheSecurityGroupIngress", "CacheSecurityGroupName", "alpha", "EC2SecurityGroupName", "web", "EC2SecurityGroupOwnerId", ""), rawOptions{}).wantError(t, http.StatusBadRequest, "MissingParameter"); msg != "The request must contain the parameter EC2SecurityGroupOwnerId." {
			t.Fatalf("empty EC2SecurityGroupOwnerId: %q", msg)
		}
		env.rawCall(t, apiForm("DescribeCacheSecurityGroups", "MaxRecords", "lots"), rawOptions{}).wantError(t, http.StatusBadRequest, "InvalidParameterValue")
		noAction := apiForm("x")
		noAction.Del("Action")
		env.rawCall(t, noAction, rawOptions{}).wantError(t, http.StatusBadRequest, "MissingAction")
	})
}

func TestAPISignatureFailures(t *testing.T) {
	env := newAPIEnv(t, false)
	form := apiForm("DescribeCacheSecurityGroups")

	t.Run("no Authorization", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, env.srv.URL+"/", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		env.send(t, req).wantError(t, http.StatusForbidden, "MissingAuthenticationToken")
	})
	t.Run("unsigned GET is an API call, not a console page", func(t *testing.T) {
		res := env.send(t, mustRequest(t, http.MethodGet, env.srv.URL+"/?"+form.Encode()))
		res.wantError(t, http.StatusForbidden, "MissingAuthenticationToken")
		plain := env.send(t, mustRequest(t, http.MethodGet, env.srv.URL+"/"))
		if plain.Status != http.StatusOK || !strings.Contains(plain.Body, "login-form") {
			t.Fatalf("GET / without Action (%d) is not the console's sign-in", plain.Status)
		}
	})
	t.Run("malformed Authorization", func(t *testing.T) {
		for _, header := range []string{"Basic YWRtaW46cHc=", "AWS4-HMAC-SHA256 Credential=" + env.key.AccessKeyID, "AWS4-HMAC-SHA256 Credential=x/y, SignedHeaders=host, Signature=00"} {
			env.rawCall(t, form, rawOptions{tamper: func(r *http.Request) { r.Header.Set("Authorization", header) }}).
				wantError(t, http.StatusBadRequest, "IncompleteSignature")
		}
	})
	t.Run("unknown key", func(t *testing.T) {
		unknown := models.NewAccessKey{AccessKeyID: "AKIAAAAAAAAAAAAAAAAA", SecretAccessKey: env.key.SecretAccessKey}
		env.rawCall(t, form, rawOptions{key: &unknown}).wantError(t, http.StatusForbidden, "InvalidClientTokenId")
		_, err := env.clientFor(unknown, "us-east-1").DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})
		wantAPIError(t, err, "InvalidClientTokenId", http.StatusForbidden)
	})
	t.Run("wrong secret", func(t *testing.T) {
		wrong := models.NewAccessKey{AccessKeyID: env.key.AccessKeyID, SecretAccessKey: strings.Repeat("x", 40)}
		env.rawCall(t, form, rawOptions{key: &wrong}).wantError(t, http.StatusForbidden, "SignatureDoesNotMatch")
		_, err := env.clientFor(wrong, "us-east-1").DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})
		wantAPIError(t, err, "SignatureDoesNotMatch", http.StatusForbidden)
	})
	t.Run("body changed after signing", func(t *testing.T) {
		env.rawCall(t, form, rawOptions{tamper: func(r *http.Request) {
			changed := apiForm("CreateCacheSecurityGroup", "CacheSecurityGroupName", "evil", "Description", "evil").Encode()
			r.Body = io.NopCloser(strings.NewReader(changed))
			r.ContentLength = int64(len(changed))
		}}).wantError(t, http.StatusForbidden, "SignatureDoesNotMatch")
		_, err := env.client.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String("evil")})
		wantFault[*types.CacheSecurityGroupNotFoundFault](t, err, http.StatusNotFound)
	})
	t.Run("signed too long ago or ahead", func(t *testing.T) {
		env.rawCall(t, form, rawOptions{signedAt: time.Now().Add(-16 * time.Minute)}).wantError(t, http.StatusBadRequest, "RequestExpired")
		env.rawCall(t, form, rawOptions{signedAt: time.Now().Add(16 * time.Minute)}).wantError(t, http.StatusBadRequest, "RequestExpired")
		if res := env.rawCall(t, form, rawOptions{signedAt: time.Now().Add(-14 * time.Minute)}); res.Status != http.StatusOK {
			t.Fatalf("signed 14 minutes ago: %d\n%s", res.Status, res.Body)
		}
	})
	t.Run("region comes from the credential scope", func(t *testing.T) {
		west := env.clientFor(env.key, "us-west-2")
		ok(west.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("west-only"), Description: aws.String("w")})).get(t)
		g := describeGroup(t, west, "west-only")
		if !strings.Contains(aws.ToString(g.ARN), ":us-west-2:") {
			t.Fatalf("ARN %s", aws.ToString(g.ARN))
		}
		_, err := env.client.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String("west-only")})
		wantFault[*types.CacheSecurityGroupNotFoundFault](t, err, http.StatusNotFound)
		if _, err := env.store.GetSecurityGroup(bg, models.Scope{AccountID: models.DefaultAccountID, Region: "us-west-2"}, "west-only"); err != nil {
			t.Fatalf("store has no us-west-2 group: %v", err)
		}
		_, err = env.clientFor(env.key, "mars-north-1").DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})
		wantFault[*types.InvalidParameterValueException](t, err, http.StatusBadRequest)
	})
	t.Run("deleted key stops working", func(t *testing.T) {
		admin := ok(env.store.UserByName(bg, models.AdminUsername)).get(t)
		ok(env.client.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})).get(t)
		if err := env.store.DeleteAccessKey(bg, admin.ID, env.key.AccessKeyID); err != nil {
			t.Fatal(err)
		}
		_, err := env.client.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})
		wantAPIError(t, err, "InvalidClientTokenId", http.StatusForbidden)
	})
}

func TestAPIKeysAreTenantIsolated(t *testing.T) {
	env := newAPIEnv(t, true)
	const other = "210987654321"
	ok(env.store.EnsureAccount(bg, other)).get(t)
	if _, err := env.store.CreateUser(bg, models.NewUser{Username: "bob", Role: models.RoleMember, AccountID: other, Password: "bob-password-123"}); err != nil {
		t.Fatal(err)
	}
	bob := ok(env.store.UserByName(bg, "bob")).get(t)
	bobKey := ok(env.store.CreateAccessKey(bg, bob.ID)).get(t)
	bc := env.clientFor(bobKey, "us-east-1")

	if got := groupNames(ok(bc.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})).get(t)); !slices.Equal(got, []string{"default"}) {
		t.Fatalf("the other account sees %v, want only its own default", got)
	}
	g := ok(bc.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("web-sessions"), Description: aws.String("bob's")})).get(t).CacheSecurityGroup
	if aws.ToString(g.OwnerId) != other || !strings.Contains(aws.ToString(g.ARN), ":"+other+":") {
		t.Fatalf("bob's group %+v", g)
	}
	// The admin's web-sessions is untouched and still the demo's.
	if d := describeGroup(t, env.client, "web-sessions"); aws.ToString(d.OwnerId) != models.DefaultAccountID || aws.ToString(d.Description) == "bob's" {
		t.Fatalf("admin's group %+v", d)
	}
	_, err := bc.DeleteCacheSecurityGroup(bg, &elasticache.DeleteCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("staging")})
	wantFault[*types.CacheSecurityGroupNotFoundFault](t, err, http.StatusNotFound)
	_, err = bc.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String("sessions")})
	wantFault[*types.CacheClusterNotFoundFault](t, err, http.StatusNotFound)
	if out := ok(bc.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{})).get(t); len(out.CacheClusters) != 0 {
		t.Fatalf("bob sees clusters %+v", out.CacheClusters)
	}
	if out := ok(bc.DescribeEvents(bg, &elasticache.DescribeEventsInput{Duration: aws.Int32(20160)})).get(t); len(eventLines(out.Events)) != 1 {
		t.Fatalf("bob sees events %q, want only his own create", eventLines(out.Events))
	}
	adminARN := models.SecurityGroupARN(models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}, "staging")
	// Another account's ARN is not found, exactly like a group that never existed.
	_, err = bc.AddTagsToResource(bg, &elasticache.AddTagsToResourceInput{ResourceName: aws.String(adminARN), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}})
	wantFault[*types.CacheSecurityGroupNotFoundFault](t, err, http.StatusNotFound)
}

// --- small readers of SDK shapes ---

func describeGroup(t *testing.T, c *elasticache.Client, name string) *types.CacheSecurityGroup {
	t.Helper()
	out := ok(c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String(name)})).get(t)
	if len(out.CacheSecurityGroups) != 1 {
		t.Fatalf("describe %s: %d groups", name, len(out.CacheSecurityGroups))
	}
	return &out.CacheSecurityGroups[0]
}

func ec2Entries(g *types.CacheSecurityGroup) string {
	var parts []string
	for _, e := range g.EC2SecurityGroups {
		parts = append(parts, aws.ToString(e.EC2SecurityGroupName)+"/"+aws.ToString(e.EC2SecurityGroupOwnerId)+"="+aws.ToString(e.Status))
	}
	return strings.Join(parts, " ")
}

func memberships(c types.CacheCluster) string {
	var parts []string
	for _, m := range c.CacheSecurityGroups {
		parts = append(parts, aws.ToString(m.CacheSecurityGroupName)+"="+aws.ToString(m.Status))
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

func vpcGroups(c types.CacheCluster) string {
	var parts []string
	for _, m := range c.SecurityGroups {
		parts = append(parts, aws.ToString(m.SecurityGroupId)+"="+aws.ToString(m.Status))
	}
	return strings.Join(parts, " ")
}

func tagPairs(tags []types.Tag) string {
	var parts []string
	for _, tg := range tags {
		parts = append(parts, aws.ToString(tg.Key)+"="+aws.ToString(tg.Value))
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

func eventLines(events []types.Event) []string {
	var lines []string
	for _, e := range events {
		lines = append(lines, string(e.SourceType)+" "+aws.ToString(e.SourceIdentifier)+": "+aws.ToString(e.Message))
	}
	return lines
}
