package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
)

// A malformed list index used to be dropped: CreateCacheCluster then saw no groups and gave the
// cluster `default`. Each is now refused with InvalidParameterValue naming the parameter, and no
// cluster is created; both well-formed encodings still work.
func TestAPIMalformedListIndexesAreRefused(t *testing.T) {
	env := newAPIEnv(t, true)
	create := func(id string, kv ...string) rawResponse {
		t.Helper()
		return env.rawCall(t, apiForm("CreateCacheCluster", append([]string{"CacheClusterId", id, "Engine", "memcached",
			"CacheNodeType", "cache.m1.small", "NumCacheNodes", "1"}, kv...)...), rawOptions{})
	}
	for name, kv := range map[string][]string{
		"letter index": {"CacheSecurityGroupNames.member.x", sharedGroup},
		"index 0":      {"CacheSecurityGroupNames.member.0", sharedGroup},
		"leading zero": {"CacheSecurityGroupNames.CacheSecurityGroupName.01", sharedGroup},
		"gap":          {"CacheSecurityGroupNames.member.1", sharedGroup, "CacheSecurityGroupNames.member.3", "default"},
		"wrong member": {"CacheSecurityGroupNames.Name.1", sharedGroup},
	} {
		r := create("dropped", kv...)
		msg := r.wantError(t, http.StatusBadRequest, "InvalidParameterValue")
		if !strings.Contains(msg, "CacheSecurityGroupNames") {
			t.Errorf("%s: message %q does not name the parameter", name, msg)
		}
	}
	if _, err := env.client.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String("dropped")}); err == nil {
		t.Fatal("a refused create made a cluster")
	}
	for id, key := range map[string]string{"legacy": "CacheSecurityGroupNames.member.1", "sdk-form": "CacheSecurityGroupNames.CacheSecurityGroupName.1"} {
		if r := create(id, key, sharedGroup); r.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", key, r.Status, r.Body)
		}
		out, err := env.client.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id)})
		if err != nil || len(out.CacheClusters) != 1 || len(out.CacheClusters[0].CacheSecurityGroups) != 1 ||
			aws.ToString(out.CacheClusters[0].CacheSecurityGroups[0].CacheSecurityGroupName) != sharedGroup {
			t.Errorf("%s: cluster %+v, %v; want it in %s only", key, out, err, sharedGroup)
		}
	}
}
