package web_test

// Whatever the server keeps between requests, an answer follows the clock and the question: a
// pending status turns over when its time comes with no write in between, and each set of
// parameters gets its own answer.

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"sgconsole/models"
)

// onEachEngine runs f against the whole server with the demo on SQLite, then on PostgreSQL when
// SGCONSOLE_TEST_POSTGRES names a server.
func onEachEngine(t *testing.T, f func(t *testing.T, env *engineEnv)) {
	t.Run("SQLite", func(t *testing.T) { f(t, newEngineEnv(t, "")) })
	t.Run("PostgreSQL", func(t *testing.T) {
		pg := os.Getenv("SGCONSOLE_TEST_POSTGRES")
		if pg == "" {
			t.Skip("SGCONSOLE_TEST_POSTGRES is not set")
		}
		f(t, newEngineEnv(t, pg))
	})
}

// justBefore and justAfter move the clock to the last microsecond (the store's resolution) before
// an entry written at the current time is due, then to the moment it is.
func justBefore(env *engineEnv) { env.clock.Advance(models.DefaultPropagationDelay - time.Microsecond) }
func justAfter(env *engineEnv)  { env.clock.Advance(time.Microsecond) }

func TestDescribeStatusesChangeWithTimeAlone(t *testing.T) {
	onEachEngine(t, func(t *testing.T, env *engineEnv) {
		c := env.client
		const group, stagger = "timed", 4 * time.Second
		web, app := "web-servers/"+ownerID+"=", "app-servers/"+ownerID+"="
		ok(c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String(group), Description: aws.String("statuses over time")})).get(t)
		authorize := func(ec2Group string) {
			ok(c.AuthorizeCacheSecurityGroupIngress(bg, &elasticache.AuthorizeCacheSecurityGroupIngressInput{
				CacheSecurityGroupName: aws.String(group), EC2SecurityGroupName: aws.String(ec2Group), EC2SecurityGroupOwnerId: aws.String(ownerID)})).get(t)
		}

		authorize("web-servers")
		// Asked twice with nothing written or elapsed between: the same answer.
		wantDescribedEntries(t, c, group, web+"authorizing")
		wantDescribedEntries(t, c, group, web+"authorizing")
		justBefore(env)
		wantDescribedEntries(t, c, group, web+"authorizing")
		justAfter(env)
		wantDescribedEntries(t, c, group, web+"authorized")

		ok(c.RevokeCacheSecurityGroupIngress(bg, &elasticache.RevokeCacheSecurityGroupIngressInput{
			CacheSecurityGroupName: aws.String(group), EC2SecurityGroupName: aws.String("web-servers"), EC2SecurityGroupOwnerId: aws.String(ownerID)})).get(t)
		wantDescribedEntries(t, c, group, web+"revoking")
		wantDescribedEntries(t, c, group, web+"revoking")
		justBefore(env)
		wantDescribedEntries(t, c, group, web+"revoking")
		justAfter(env)
		wantDescribedEntries(t, c, group, "")

		// Two entries due at different times: the answer changes at each, not only at the first.
		authorize("web-servers")
		env.clock.Advance(stagger)
		authorize("app-servers")
		wantDescribedEntries(t, c, group, app+"authorizing "+web+"authorizing")
		env.clock.Advance(models.DefaultPropagationDelay - stagger - time.Microsecond)
		wantDescribedEntries(t, c, group, app+"authorizing "+web+"authorizing")
		env.clock.Advance(time.Microsecond)
		wantDescribedEntries(t, c, group, app+"authorizing "+web+"authorized")
		wantDescribedEntries(t, c, group, app+"authorizing "+web+"authorized")
		env.clock.Advance(stagger - time.Microsecond)
		wantDescribedEntries(t, c, group, app+"authorizing "+web+"authorized")
		env.clock.Advance(time.Microsecond)
		wantDescribedEntries(t, c, group, app+"authorized "+web+"authorized")
	})
}

// wantDescribedEntries checks the group's EC2 entries as described by name and in the whole list:
// two questions a server may answer from two different kept answers.
func wantDescribedEntries(t *testing.T, c *elasticache.Client, group, entries string) {
	t.Helper()
	if got := ec2Entries(describeGroup(t, c, group)); got != entries {
		t.Fatalf("Describe %s: entries %q, want %q", group, got, entries)
	}
	all := ok(c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})).get(t)
	i := slices.Index(groupNames(all), group)
	if i < 0 {
		t.Fatalf("the whole list %v lacks %s", groupNames(all), group)
	}
	if got := ec2Entries(&all.CacheSecurityGroups[i]); got != entries {
		t.Fatalf("the whole list: %s has entries %q, want %q", group, got, entries)
	}
}

func TestDescribeClusterStatusesChangeWithTimeAlone(t *testing.T) {
	onEachEngine(t, func(t *testing.T, env *engineEnv) {
		c := env.client
		const group, cluster = "timed-sg", "timed-cluster"
		ok(c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String(group), Description: aws.String("for a cluster")})).get(t)
		ok(c.CreateCacheCluster(bg, &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String(cluster), CacheNodeType: aws.String("cache.m1.small"),
			Engine: aws.String("memcached"), NumCacheNodes: aws.Int32(1), CacheSecurityGroupNames: []string{group}})).get(t)
		wantDescribedCluster(t, c, cluster, "creating", group+"=active")
		wantDescribedCluster(t, c, cluster, "creating", group+"=active")
		justBefore(env)
		wantDescribedCluster(t, c, cluster, "creating", group+"=active")
		justAfter(env)
		wantDescribedCluster(t, c, cluster, "available", group+"=active")

		ok(c.ModifyCacheCluster(bg, &elasticache.ModifyCacheClusterInput{CacheClusterId: aws.String(cluster),
			CacheSecurityGroupNames: []string{"default"}, ApplyImmediately: aws.Bool(true)})).get(t)
		modifying := "default=modifying " + group + "=modifying"
		wantDescribedCluster(t, c, cluster, "modifying", modifying)
		wantDescribedCluster(t, c, cluster, "modifying", modifying)
		justBefore(env)
		wantDescribedCluster(t, c, cluster, "modifying", modifying)
		justAfter(env)
		wantDescribedCluster(t, c, cluster, "available", "default=active")

		ok(c.DeleteCacheCluster(bg, &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String(cluster)})).get(t)
		wantDescribedCluster(t, c, cluster, "deleting", "default=active")
		wantDescribedCluster(t, c, cluster, "deleting", "default=active")
		justBefore(env)
		wantDescribedCluster(t, c, cluster, "deleting", "default=active")
		justAfter(env)
		_, err := c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(cluster)})
		wantFault[*types.CacheClusterNotFoundFault](t, err, http.StatusNotFound)
		if got := clusterStatuses(ok(c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{})).get(t)); slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, cluster+"=") }) {
			t.Fatalf("the whole list %v still has %s after it was deleted", got, cluster)
		}
	})
}

// wantDescribedCluster checks a cluster's status and memberships, described by ID and in the whole list.
func wantDescribedCluster(t *testing.T, c *elasticache.Client, cluster, status, groups string) {
	t.Helper()
	one := ok(c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(cluster)})).get(t)
	all := ok(c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{})).get(t)
	for what, out := range map[string]*elasticache.DescribeCacheClustersOutput{"by ID": one, "in the whole list": all} {
		i := slices.IndexFunc(out.CacheClusters, func(cl types.CacheCluster) bool { return aws.ToString(cl.CacheClusterId) == cluster })
		if i < 0 {
			t.Fatalf("%s %s: not described (%v)", cluster, what, clusterStatuses(out))
		}
		cl := out.CacheClusters[i]
		if got := aws.ToString(cl.CacheClusterStatus); got != status || memberships(cl) != groups {
			t.Fatalf("%s %s: %s with %q, want %s with %q", cluster, what, got, memberships(cl), status, groups)
		}
	}
}

func TestConsoleStatusesChangeWithTimeAlone(t *testing.T) {
	onEachEngine(t, func(t *testing.T, env *engineEnv) {
		c := env.client
		const group, ec2Group = "timed", "web-servers"
		ok(c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String(group), Description: aws.String("statuses over time")})).get(t)
		pane := consolePane{t: t, s: env.session, group: group, ec2Group: ec2Group}

		ok(c.AuthorizeCacheSecurityGroupIngress(bg, &elasticache.AuthorizeCacheSecurityGroupIngressInput{
			CacheSecurityGroupName: aws.String(group), EC2SecurityGroupName: aws.String(ec2Group), EC2SecurityGroupOwnerId: aws.String(ownerID)})).get(t)
		pane.want("authorizing", "1 1 pending")
		pane.want("authorizing", "1 1 pending")
		justBefore(env)
		pane.want("authorizing", "1 1 pending")
		justAfter(env)
		pane.want("authorized", "1")

		ok(c.RevokeCacheSecurityGroupIngress(bg, &elasticache.RevokeCacheSecurityGroupIngressInput{
			CacheSecurityGroupName: aws.String(group), EC2SecurityGroupName: aws.String(ec2Group), EC2SecurityGroupOwnerId: aws.String(ownerID)})).get(t)
		pane.want("revoking", "1 1 pending")
		pane.want("revoking", "1 1 pending")
		justBefore(env)
		pane.want("revoking", "1 1 pending")
		justAfter(env)
		pane.want("", "0")
	})
}

// consolePane reads one group's state off the console: its row on the list page, its split panel
// and its detail page.
type consolePane struct {
	t               *testing.T
	s               *consoleSession
	group, ec2Group string
}

// want checks the EC2 entry's status in the split panel and on the detail page ("" when it is
// gone), the row's EC2 count (with its pending count), and that a page with a pending entry keeps
// itself current while a settled one does not.
func (p consolePane) want(status, count string) {
	t := p.t
	t.Helper()
	pending := fmt.Sprint(status == "authorizing" || status == "revoking")
	panel := p.page("/security-groups?region=us-east-1&size=100&selected=" + url.QueryEscape(p.group))
	if got := strings.Join(strings.Fields(panel.Find(testidSel("row-"+p.group)+" "+testidSel("ec2-count")).Text()), " "); got != count {
		t.Fatalf("list row of %s: EC2 count %q, want %q", p.group, got, count)
	}
	detail := p.page("/security-groups/" + p.group + "?region=us-east-1")
	for where, scope := range map[string]*goquery.Selection{"split panel": panel.Find(testidSel("split-panel")), "detail page": detail.Selection} {
		row := scope.Find(testidSel("ec2-row-" + p.ec2Group))
		if got := strings.TrimSpace(row.Find(testidSel("status")).Text()); status == "" && row.Length() > 0 || status != "" && got != status {
			t.Fatalf("%s of %s: %s is %q (rows %d), want %q", where, p.group, p.ec2Group, got, row.Length(), status)
		}
	}
	for where, doc := range map[string]*goquery.Document{"list page": panel, "detail page": detail} {
		if got, _ := doc.Find("body").Attr("data-pending"); got != pending {
			t.Fatalf("%s of %s: data-pending %q, want %s", where, p.group, got, pending)
		}
	}
}

func (p consolePane) page(path string) *goquery.Document {
	p.t.Helper()
	res := p.s.do(p.t, http.MethodGet, path, nil)
	if res.Status != http.StatusOK {
		p.t.Fatalf("GET %s: status %d", path, res.Status)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(res.Body))
	if err != nil {
		p.t.Fatal(err)
	}
	return doc
}

// TestDescribeAnswersEachQuestionApart asks questions that differ only in their parameters, the
// region or the account, interleaved and repeated with nothing written between: each gets its own
// answer every time.
func TestDescribeAnswersEachQuestionApart(t *testing.T) {
	onEachEngine(t, func(t *testing.T, env *engineEnv) {
		c := env.client
		// 40 and the demo's 5: more than two pages of 20, within the quota of 50.
		for i := range 40 {
			ok(c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{
				CacheSecurityGroupName: aws.String(fmt.Sprintf("page-%02d", i)), Description: aws.String("one of many")})).get(t)
		}
		const other = "210987654321"
		ok(env.store.EnsureAccount(bg, other)).get(t)
		if _, err := env.store.CreateUser(bg, models.NewUser{Username: "bob", Role: models.RoleMember, AccountID: other, Password: "bob-password-123"}); err != nil {
			t.Fatal(err)
		}
		bob := ok(env.store.UserByName(bg, "bob")).get(t)
		bobClient := env.clientFor(ok(env.store.CreateAccessKey(bg, bob.ID)).get(t), "us-east-1")
		west := env.clientFor(env.key, "us-west-2")

		all := ok(c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})).get(t)
		names := groupNames(all)
		if len(names) <= 40 || all.Marker != nil || !slices.Contains(names, "page-39") {
			t.Fatalf("the whole list: %d groups %v (marker %v), want the 40 made and the demo's on one page", len(names), names, all.Marker)
		}
		first := ok(c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{MaxRecords: aws.Int32(20)})).get(t)
		if first.Marker == nil {
			t.Fatal("a page of 20 out of more than 40 has no marker")
		}

		type question struct {
			name   string
			client *elasticache.Client
			in     elasticache.DescribeCacheSecurityGroupsInput
			want   []string
			marker bool
		}
		questions := []question{
			{"MaxRecords=100", c, elasticache.DescribeCacheSecurityGroupsInput{MaxRecords: aws.Int32(100)}, names, false},
			{"no parameters", c, elasticache.DescribeCacheSecurityGroupsInput{}, names, false},
			{"MaxRecords=20", c, elasticache.DescribeCacheSecurityGroupsInput{MaxRecords: aws.Int32(20)}, names[:20], true},
			{"MaxRecords=20 after the first page", c, elasticache.DescribeCacheSecurityGroupsInput{MaxRecords: aws.Int32(20), Marker: first.Marker}, names[20:40], true},
			{"MaxRecords=100 after the first page", c, elasticache.DescribeCacheSecurityGroupsInput{MaxRecords: aws.Int32(100), Marker: first.Marker}, names[20:], false},
			{"CacheSecurityGroupName=page-07", c, elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String("page-07")}, []string{"page-07"}, false},
			{"CacheSecurityGroupName=PAGE-08", c, elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String("PAGE-08")}, []string{"page-08"}, false},
			{"us-west-2", west, elasticache.DescribeCacheSecurityGroupsInput{}, []string{"default", "dr-cache"}, false},
			{"another account", bobClient, elasticache.DescribeCacheSecurityGroupsInput{}, []string{"default"}, false},
		}
		// More names than a server would sensibly keep answers for, so kept answers also get dropped.
		for i := 10; i < 30; i++ {
			name := fmt.Sprintf("page-%02d", i)
			questions = append(questions, question{"CacheSecurityGroupName=" + name, c,
				elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String(name)}, []string{name}, false})
		}
		// Forwards, backwards, then forwards again: every question follows a different one.
		order := slices.Clone(questions)
		slices.Reverse(order)
		order = append(append(slices.Clone(questions), order...), questions...)
		for _, q := range order {
			out := ok(q.client.DescribeCacheSecurityGroups(bg, &q.in)).get(t)
			if got := groupNames(out); !slices.Equal(got, q.want) || (out.Marker != nil) != q.marker {
				t.Fatalf("%s: %v (marker %v), want %v (marker %v)", q.name, got, aws.ToString(out.Marker), q.want, q.marker)
			}
		}
		_, err := c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String("page-99")})
		wantFault[*types.CacheSecurityGroupNotFoundFault](t, err, http.StatusNotFound)

		// The same question twice: the same answer, each under its own request ID.
		var ids []string
		var bodies []string
		for range 2 {
			res := env.rawCall(t, apiForm("DescribeCacheSecurityGroups", "MaxRecords", "20"), rawOptions{})
			m := requestIDElement.FindStringSubmatch(res.Body)
			if res.Status != http.StatusOK || m == nil || m[1] != res.Header.Get("X-Amzn-RequestId") {
				t.Fatalf("status %d, RequestId %q, header %q\n%.500s", res.Status, m, res.Header.Get("X-Amzn-RequestId"), res.Body)
			}
			ids = append(ids, m[1])
			bodies = append(bodies, requestIDElement.ReplaceAllString(res.Body, ""))
		}
		if ids[0] == ids[1] || bodies[0] != bodies[1] {
			t.Fatalf("two answers to one question: request IDs %q, bodies alike apart from them: %v", ids, bodies[0] == bodies[1])
		}
	})
}

var requestIDElement = regexp.MustCompile(`<RequestId>([^<]*)</RequestId>`)
