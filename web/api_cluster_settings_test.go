package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

// createCluster creates a one-node cluster with the SDK, filling in what the test leaves out.
func createCluster(c *elasticache.Client, in elasticache.CreateCacheClusterInput) (*types.CacheCluster, error) {
	if in.CacheNodeType == nil {
		in.CacheNodeType = aws.String("cache.m1.small")
	}
	if in.Engine == nil {
		in.Engine = aws.String("memcached")
	}
	if in.NumCacheNodes == nil {
		in.NumCacheNodes = aws.Int32(1)
	}
	out, err := c.CreateCacheCluster(bg, &in)
	if err != nil {
		return nil, err
	}
	return out.CacheCluster, nil
}

func describeCluster(t *testing.T, c *elasticache.Client, id string, nodes bool) types.CacheCluster {
	t.Helper()
	out := ok(c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id), ShowCacheNodeInfo: aws.Bool(nodes)})).get(t)
	if len(out.CacheClusters) != 1 {
		t.Fatalf("DescribeCacheClusters %s: %d clusters", id, len(out.CacheClusters))
	}
	return out.CacheClusters[0]
}

func TestAPICreateClusterHonoursSettings(t *testing.T) {
	env := newAPIEnv(t, false)
	ok(createCluster(env.client, elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("cache-redis"), Engine: aws.String("redis"),
		EngineVersion: aws.String("6.2"), Port: aws.Int32(6380), CacheParameterGroupName: aws.String("default.redis6.x"),
		PreferredMaintenanceWindow: aws.String("Sun:05:00-sun:06:30"), SnapshotRetentionLimit: aws.Int32(5),
		SnapshotWindow: aws.String("07:00-08:00"), AutoMinorVersionUpgrade: aws.Bool(false), PreferredAvailabilityZone: aws.String("us-east-1c"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("web")}}})).get(t)
	r := describeCluster(t, env.client, "cache-redis", false)
	got := fmt.Sprintf("%s %s %s %d %s %v %s", aws.ToString(r.EngineVersion), aws.ToString(r.CacheParameterGroup.CacheParameterGroupName),
		aws.ToString(r.PreferredMaintenanceWindow), aws.ToInt32(r.SnapshotRetentionLimit), aws.ToString(r.SnapshotWindow),
		aws.ToBool(r.AutoMinorVersionUpgrade), aws.ToString(r.PreferredAvailabilityZone))
	if want := "6.2.6 default.redis6.x sun:05:00-sun:06:30 5 07:00-08:00 false us-east-1c"; got != want {
		t.Errorf("redis cluster settings:\n got %s\nwant %s", got, want)
	}
	if r.ConfigurationEndpoint != nil {
		t.Errorf("a Redis cluster has a configuration endpoint: %+v", r.ConfigurationEndpoint)
	}

	ok(createCluster(env.client, elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("cache-mc"), Port: aws.Int32(11222)})).get(t)
	m := describeCluster(t, env.client, "cache-mc", false)
	got = fmt.Sprintf("%s %s %v %d", aws.ToString(m.EngineVersion), aws.ToString(m.CacheParameterGroup.CacheParameterGroupName),
		aws.ToBool(m.AutoMinorVersionUpgrade), aws.ToInt32(m.ConfigurationEndpoint.Port))
	if want := "1.4.34 default.memcached1.4 true 11222"; got != want {
		t.Errorf("memcached defaults: got %s, want %s", got, want)
	}
	if !regexp.MustCompile(`^(sun|mon|tue|wed|thu|fri|sat):\d\d:00-(sun|mon|tue|wed|thu|fri|sat):\d\d:00$`).MatchString(aws.ToString(m.PreferredMaintenanceWindow)) {
		t.Errorf("assigned maintenance window %q", aws.ToString(m.PreferredMaintenanceWindow))
	}
	if m.SnapshotRetentionLimit != nil || m.SnapshotWindow != nil {
		t.Errorf("a Memcached cluster shows snapshot settings %v %v", m.SnapshotRetentionLimit, m.SnapshotWindow)
	}
	def := ok(createCluster(env.client, elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("plain-redis"), Engine: aws.String("redis")})).get(t)
	if aws.ToString(def.EngineVersion) != "3.2.10" || aws.ToString(def.SnapshotWindow) == "" || def.SnapshotRetentionLimit == nil {
		t.Errorf("redis defaults: version %s, snapshot window %q, retention %v", aws.ToString(def.EngineVersion), aws.ToString(def.SnapshotWindow), def.SnapshotRetentionLimit)
	}
	latest := ok(createCluster(env.client, elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("seven"), Engine: aws.String("redis"), EngineVersion: aws.String("7.x")})).get(t)
	if aws.ToString(latest.EngineVersion) != "7.1.0" || aws.ToString(latest.CacheParameterGroup.CacheParameterGroupName) != "default.redis7" {
		t.Errorf("7.x: %s with %s", aws.ToString(latest.EngineVersion), aws.ToString(latest.CacheParameterGroup.CacheParameterGroupName))
	}
}

func TestAPICreateClusterRefusesWhatItCannotHonour(t *testing.T) {
	env := newAPIEnv(t, false)
	redis := func(in elasticache.CreateCacheClusterInput) elasticache.CreateCacheClusterInput {
		in.Engine = aws.String("redis")
		return in
	}
	for _, tc := range []struct {
		name   string
		in     elasticache.CreateCacheClusterInput
		code   string
		status int
		naming string
	}{
		{"unpublished engine version", elasticache.CreateCacheClusterInput{EngineVersion: aws.String("1.9.9")}, "InvalidParameterValue", 400, "EngineVersion"},
		{"another engine's version", redis(elasticache.CreateCacheClusterInput{EngineVersion: aws.String("1.4.34")}), "InvalidParameterValue", 400, "EngineVersion"},
		{"port out of range", elasticache.CreateCacheClusterInput{Port: aws.Int32(70000)}, "InvalidParameterValue", 400, "Port"},
		{"unknown parameter group", elasticache.CreateCacheClusterInput{CacheParameterGroupName: aws.String("custom-pg")}, "CacheParameterGroupNotFound", 404, "custom-pg"},
		{"parameter group of another family", redis(elasticache.CreateCacheClusterInput{EngineVersion: aws.String("6.2"), CacheParameterGroupName: aws.String("default.redis3.2")}), "InvalidParameterCombination", 400, "redis6.x"},
		{"maintenance window shorter than an hour", elasticache.CreateCacheClusterInput{PreferredMaintenanceWindow: aws.String("sun:05:00-sun:05:30")}, "InvalidParameterValue", 400, "PreferredMaintenanceWindow"},
		{"maintenance window not a window", elasticache.CreateCacheClusterInput{PreferredMaintenanceWindow: aws.String("sunday 5am")}, "InvalidParameterValue", 400, "PreferredMaintenanceWindow"},
		{"maintenance window with a bad day", elasticache.CreateCacheClusterInput{PreferredMaintenanceWindow: aws.String("sun:05:00-fun:06:00")}, "InvalidParameterValue", 400, "PreferredMaintenanceWindow"},
		{"snapshots on memcached", elasticache.CreateCacheClusterInput{SnapshotRetentionLimit: aws.Int32(3)}, "InvalidParameterValue", 400, "SnapshotRetentionLimit"},
		{"snapshot window on memcached", elasticache.CreateCacheClusterInput{SnapshotWindow: aws.String("05:00-06:00")}, "InvalidParameterValue", 400, "SnapshotWindow"},
		{"retention over 35 days", redis(elasticache.CreateCacheClusterInput{SnapshotRetentionLimit: aws.Int32(36)}), "InvalidParameterValue", 400, "SnapshotRetentionLimit"},
		{"snapshot window overlapping maintenance", redis(elasticache.CreateCacheClusterInput{PreferredMaintenanceWindow: aws.String("mon:04:00-mon:05:00"), SnapshotWindow: aws.String("04:30-05:30")}), "InvalidParameterCombination", 400, "overlaps"},
		{"zone of another region", elasticache.CreateCacheClusterInput{PreferredAvailabilityZone: aws.String("eu-west-1a")}, "InvalidParameterValue", 400, "PreferredAvailabilityZone"},
		{"reserved tag key", elasticache.CreateCacheClusterInput{Tags: []types.Tag{{Key: aws.String("aws:owner"), Value: aws.String("x")}}}, "InvalidParameterValue", 400, "aws:"},
		{"notification topic", elasticache.CreateCacheClusterInput{NotificationTopicArn: aws.String("arn:aws:sns:us-east-1:123456789012:t")}, "InvalidParameterValue", 400, "NotificationTopicArn"},
		{"cross-az mode", elasticache.CreateCacheClusterInput{AZMode: types.AZModeCrossAz}, "InvalidParameterValue", 400, "AZMode"},
		{"transit encryption", redis(elasticache.CreateCacheClusterInput{TransitEncryptionEnabled: aws.Bool(true)}), "InvalidParameterValue", 400, "TransitEncryptionEnabled"},
		{"auth token", redis(elasticache.CreateCacheClusterInput{AuthToken: aws.String("a-long-enough-token-1234")}), "InvalidParameterValue", 400, "AuthToken"},
		{"restore from a snapshot", redis(elasticache.CreateCacheClusterInput{SnapshotArns: []string{"arn:aws:s3:::b/k.rdb"}}), "InvalidParameterValue", 400, "SnapshotArns"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.CacheClusterId = aws.String("refused")
			_, err := createCluster(env.client, tc.in)
			msg := wantAPIError(t, err, tc.code, tc.status)
			if !strings.Contains(msg, tc.naming) {
				t.Errorf("message %q does not name %s", msg, tc.naming)
			}
		})
	}
	tags := make([]types.Tag, 51)
	for i := range tags {
		tags[i] = types.Tag{Key: aws.String(fmt.Sprintf("k%d", i)), Value: aws.String("v")}
	}
	_, err := createCluster(env.client, elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("refused"), Tags: tags})
	wantFault[*types.TagQuotaPerResourceExceeded](t, err, http.StatusBadRequest)
	out := ok(env.client.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{})).get(t)
	if len(out.CacheClusters) != 0 {
		t.Fatalf("a refused create left %d clusters", len(out.CacheClusters))
	}
}

func TestAPIDescribeCacheEngineVersions(t *testing.T) {
	env := newAPIEnv(t, false)
	list := func(in elasticache.DescribeCacheEngineVersionsInput) string {
		out := ok(env.client.DescribeCacheEngineVersions(bg, &in)).get(t)
		var got []string
		for _, v := range out.CacheEngineVersions {
			got = append(got, aws.ToString(v.Engine)+" "+aws.ToString(v.EngineVersion)+" "+aws.ToString(v.CacheParameterGroupFamily))
		}
		return strings.Join(got, ", ")
	}
	for _, tc := range []struct {
		name string
		in   elasticache.DescribeCacheEngineVersionsInput
		want string
	}{
		{"one engine", elasticache.DescribeCacheEngineVersionsInput{Engine: aws.String("redis"), CacheParameterGroupFamily: aws.String("redis7")}, "redis 7.0 redis7, redis 7.1 redis7"},
		{"one version", elasticache.DescribeCacheEngineVersionsInput{Engine: aws.String("redis"), EngineVersion: aws.String("6.2")}, "redis 6.2 redis6.x"},
		{"defaults", elasticache.DescribeCacheEngineVersionsInput{DefaultOnly: aws.Bool(true)}, "memcached 1.4.34 memcached1.4, redis 3.2.10 redis3.2"},
		{"nothing matches", elasticache.DescribeCacheEngineVersionsInput{Engine: aws.String("valkey")}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := list(tc.in); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("pages", func(t *testing.T) {
		var got []string
		p := elasticache.NewDescribeCacheEngineVersionsPaginator(env.client, &elasticache.DescribeCacheEngineVersionsInput{MaxRecords: aws.Int32(20)})
		pages := 0
		for p.HasMorePages() {
			out := ok(p.NextPage(bg)).get(t)
			pages++
			for _, v := range out.CacheEngineVersions {
				got = append(got, aws.ToString(v.EngineVersion))
			}
		}
		if len(got) != 15 || pages != 1 || got[0] != "1.4.5" || got[14] != "7.1" {
			t.Errorf("%d pages: %v", pages, got)
		}
	})
}

func TestAPIDescribeCacheParameterGroups(t *testing.T) {
	env := newAPIEnv(t, false)
	out := ok(env.client.DescribeCacheParameterGroups(bg, &elasticache.DescribeCacheParameterGroupsInput{})).get(t)
	var names []string
	for _, g := range out.CacheParameterGroups {
		names = append(names, aws.ToString(g.CacheParameterGroupName))
	}
	if got := strings.Join(names, " "); got != "default.memcached1.4 default.memcached1.5 default.memcached1.6 default.redis2.8 default.redis3.2 default.redis4.0 default.redis5.0 default.redis6.x default.redis7" {
		t.Errorf("parameter groups: %s", got)
	}
	one := ok(env.client.DescribeCacheParameterGroups(bg, &elasticache.DescribeCacheParameterGroupsInput{CacheParameterGroupName: aws.String("default.redis6.x")})).get(t)
	if len(one.CacheParameterGroups) != 1 || aws.ToString(one.CacheParameterGroups[0].CacheParameterGroupFamily) != "redis6.x" ||
		aws.ToString(one.CacheParameterGroups[0].ARN) != "arn:aws:elasticache:us-east-1:123456789012:parametergroup:default.redis6.x" {
		t.Errorf("default.redis6.x: %+v", one.CacheParameterGroups)
	}
	_, err := env.client.DescribeCacheParameterGroups(bg, &elasticache.DescribeCacheParameterGroupsInput{CacheParameterGroupName: aws.String("mine")})
	wantFault[*types.CacheParameterGroupNotFoundFault](t, err, http.StatusNotFound)
}
