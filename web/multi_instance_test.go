package web_test

// Two sgconsole processes on one PostgreSQL database, as several instances behind a load balancer
// run: whatever one caches, a write through the other is seen on the next read.

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"sgconsole/models"
)

const (
	multiPassword = "multi-instance-password"
	// multiRounds is how many times the writer and the reader swap.
	multiRounds = 20
)

var multiKey = models.NewAccessKey{AccessKeyID: "AKIAMULTIINSTANCE234", SecretAccessKey: strings.Repeat("m", 40)}

// instance is one running `sgconsole serve`: its API through the AWS SDK and a signed-in browser.
type instance struct {
	name    string
	url     string
	api     *elasticache.Client
	browser *http.Client
}

// TestTwoInstancesSeeEachOthersWritesAtOnce alternates two processes on one PostgreSQL database:
// each reads first (so it holds whatever view it keeps), then the other writes, then the first
// must answer with the write, through the API and the console alike.
func TestTwoInstancesSeeEachOthersWritesAtOnce(t *testing.T) {
	base := os.Getenv("SGCONSOLE_TEST_POSTGRES")
	if base == "" {
		t.Skip("needs PostgreSQL: set SGCONSOLE_TEST_POSTGRES (make test does); two sgconsole processes share one database")
	}
	a, b := startTwoInstances(t, base)
	const ec2Group = "web-servers"
	authorizing := ec2Group + "/" + ownerID + "=authorizing"

	for i := range multiRounds {
		// Both directions of every write: A writes in even rounds, B in odd ones.
		writer, reader := a, b
		if i%2 == 1 {
			writer, reader = b, a
		}
		name := fmt.Sprintf("multi-%02d", i)
		t.Logf("round %d: %s writes, %s reads", i, writer.name, reader.name)

		reader.wantGroupAbsent(t, name)
		reader.wantListRow(t, name, false)
		ok(writer.api.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{
			CacheSecurityGroupName: aws.String(name), Description: aws.String("made through " + writer.name)})).get(t)
		reader.wantGroupEntries(t, name, "")
		reader.wantListRow(t, name, true)

		// Now the writer reads first and the reader writes.
		writer.wantGroupEntries(t, name, "")
		ok(reader.api.AuthorizeCacheSecurityGroupIngress(bg, &elasticache.AuthorizeCacheSecurityGroupIngressInput{
			CacheSecurityGroupName: aws.String(name), EC2SecurityGroupName: aws.String(ec2Group), EC2SecurityGroupOwnerId: aws.String(ownerID)})).get(t)
		writer.wantGroupEntries(t, name, authorizing)
		writer.wantPanelStatus(t, name, ec2Group, "authorizing")

		reader.wantGroupEntries(t, name, authorizing)
		ok(writer.api.DeleteCacheSecurityGroup(bg, &elasticache.DeleteCacheSecurityGroupInput{CacheSecurityGroupName: aws.String(name)})).get(t)
		reader.wantGroupAbsent(t, name)
		reader.wantListRow(t, name, false)
	}

	t.Run("a cluster made through one is described by the other", func(t *testing.T) {
		const group, cluster = "multi-clustered", "multi-cluster"
		if got := clusterStatuses(ok(b.api.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{})).get(t)); len(got) != 0 {
			t.Fatalf("B describes clusters %v before any was made", got)
		}
		ok(a.api.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String(group), Description: aws.String("used")})).get(t)
		ok(a.api.CreateCacheCluster(bg, &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String(cluster), CacheNodeType: aws.String("cache.m1.small"),
			Engine: aws.String("memcached"), NumCacheNodes: aws.Int32(1), CacheSecurityGroupNames: []string{group}})).get(t)
		out := ok(b.api.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{})).get(t)
		if got := clusterStatuses(out); !slices.Equal(got, []string{cluster + "=creating"}) || memberships(out.CacheClusters[0]) != group+"=active" {
			t.Fatalf("B describes clusters %v (%+v), want %s creating with %s active", got, out.CacheClusters, cluster, group)
		}
		_, err := b.api.DeleteCacheSecurityGroup(bg, &elasticache.DeleteCacheSecurityGroupInput{CacheSecurityGroupName: aws.String(group)})
		wantFault[*types.InvalidCacheSecurityGroupStateFault](t, err, http.StatusBadRequest)
		if page := b.get(t, "/clusters?region=us-east-1"); page.Find(testidSel("cluster-row-"+cluster)).Length() == 0 {
			t.Fatalf("B's cluster list lacks %s", cluster)
		}
	})

	t.Run("a region switched through one is switched on the other", func(t *testing.T) {
		// Both hold a view of the EC2-Classic region first.
		for _, in := range []*instance{a, b} {
			if got := groupNames(ok(in.api.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})).get(t)); !slices.Contains(got, "default") {
				t.Fatalf("%s describes %v before the switch", in.name, got)
			}
		}
		a.setPlatform(t, models.PlatformVPC)
		_, err := b.api.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})
		if msg := wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest); !strings.Contains(msg, "not permitted") {
			t.Fatalf("B after A switched the region to VPC-only: %q", msg)
		}
		if page := b.get(t, "/security-groups?region=us-east-1"); page.Find(testidSel("vpc-notice")).Length() == 0 {
			t.Fatal("B's Security Groups page lacks the VPC-only notice after A switched the region")
		}
		b.setPlatform(t, models.PlatformClassic)
		if got := groupNames(ok(a.api.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})).get(t)); !slices.Contains(got, "multi-clustered") {
			t.Fatalf("A after B switched the region back: %v, want the groups again", got)
		}
	})
}

// startTwoInstances runs the real binary twice on a fresh schema, with one shared key file, the
// admin's password and access key from the environment, and a long propagation delay so that
// pending statuses stay pending while the test looks at them.
func startTwoInstances(t *testing.T, base string) (*instance, *instance) {
	t.Helper()
	dbURL := postgresSchemaURL(t, base)
	bin := buildBinary(t)
	env := []string{"SGCONSOLE_ADMIN_PASSWORD=" + multiPassword,
		"SGCONSOLE_ADMIN_ACCESS_KEY_ID=" + multiKey.AccessKeyID, "SGCONSOLE_ADMIN_SECRET_ACCESS_KEY=" + multiKey.SecretAccessKey}
	args := []string{"--db", dbURL, "--key-file", filepath.Join(t.TempDir(), "shared.key"),
		"--db-max-conns", "4", "--propagation-delay", "1h"}
	// One after the other: the first creates the schema, the admin and the key file.
	a := startInstance(t, "A", bin, env, args)
	b := startInstance(t, "B", bin, env, args)
	return a, b
}

// startInstance starts `sgconsole serve` on a free loopback port, waits for /healthz and signs in;
// the process is stopped when the test ends.
func startInstance(t *testing.T, name, bin string, env, args []string) *instance {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(append(os.Environ(), "SGCONSOLE_DB=", "SGCONSOLE_KEY_FILE=", "SGCONSOLE_DB_MAX_CONNS=", "SGCONSOLE_DB_WAIT="), env...)
	logPath := filepath.Join(t.TempDir(), name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopProcess(cmd)
		logFile.Close()
		if t.Failed() {
			if b, err := os.ReadFile(logPath); err == nil && len(b) > 0 {
				t.Logf("instance %s log:\n%s", name, b)
			}
		}
	})
	consoleURL := ""
	lines := bufio.NewScanner(stdout)
	for consoleURL == "" && lines.Scan() {
		if m := regexp.MustCompile(`running at (http://\S+)/`).FindStringSubmatch(lines.Text()); m != nil {
			consoleURL = m[1]
		}
	}
	if consoleURL == "" {
		t.Fatalf("instance %s did not print its URL", name)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	waitHealthy(t, consoleURL)
	return &instance{name: name, url: consoleURL, browser: signInTo(t, consoleURL, multiPassword),
		api: elasticache.NewFromConfig(aws.Config{Region: "us-east-1",
			Credentials: credentials.NewStaticCredentialsProvider(multiKey.AccessKeyID, multiKey.SecretAccessKey, "")},
			func(o *elasticache.Options) {
				o.BaseEndpoint = aws.String(consoleURL)
				o.Retryer = closedConnRetryer{}
			})}
}

// stopProcess asks for a graceful exit and kills the process if it has not exited 10 s later.
func stopProcess(cmd *exec.Cmd) {
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

func waitHealthy(t *testing.T, consoleURL string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(consoleURL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/healthz did not answer 200 within 30 s (last: %v)", consoleURL, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// wantGroupEntries: the group is described by name and in the whole list, with these EC2 entries.
func (in *instance) wantGroupEntries(t *testing.T, name, entries string) {
	t.Helper()
	if got := ec2Entries(describeGroup(t, in.api, name)); got != entries {
		t.Fatalf("%s describes %s with entries %q, want %q", in.name, name, got, entries)
	}
	all := ok(in.api.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})).get(t)
	for _, g := range all.CacheSecurityGroups {
		if aws.ToString(g.CacheSecurityGroupName) == name {
			if got := ec2Entries(&g); got != entries {
				t.Fatalf("%s's whole list has %s with entries %q, want %q", in.name, name, got, entries)
			}
			return
		}
	}
	t.Fatalf("%s's whole list %v lacks %s", in.name, groupNames(all), name)
}

// wantGroupAbsent: the group is not found by name and not in the whole list.
func (in *instance) wantGroupAbsent(t *testing.T, name string) {
	t.Helper()
	_, err := in.api.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String(name)})
	wantFault[*types.CacheSecurityGroupNotFoundFault](t, err, http.StatusNotFound)
	if got := groupNames(ok(in.api.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})).get(t)); slices.Contains(got, name) {
		t.Fatalf("%s's whole list %v still has %s", in.name, got, name)
	}
}

// wantListRow checks the signed-in list page (page size 100) for the group's row.
func (in *instance) wantListRow(t *testing.T, name string, present bool) {
	t.Helper()
	page := in.get(t, "/security-groups?region=us-east-1&size=100")
	if got := page.Find(testidSel("row-"+name)).Length() > 0; got != present {
		t.Fatalf("%s's list page has a row for %s: %v, want %v", in.name, name, got, present)
	}
}

// wantPanelStatus checks the status of an EC2 entry in the group's split panel on the list page.
func (in *instance) wantPanelStatus(t *testing.T, group, ec2Group, status string) {
	t.Helper()
	page := in.get(t, "/security-groups?region=us-east-1&size=100&selected="+url.QueryEscape(group))
	got := strings.TrimSpace(page.Find(testidSel("split-panel") + " " + testidSel("ec2-row-"+ec2Group) + " " + testidSel("status")).Text())
	if !strings.Contains(got, status) {
		t.Fatalf("%s's split panel of %s shows %s as %q, want %q", in.name, group, ec2Group, got, status)
	}
}

// setPlatform switches us-east-1 through the account settings form.
func (in *instance) setPlatform(t *testing.T, platform models.Platform) {
	t.Helper()
	token, _ := in.get(t, "/settings").Find(`input[name="_csrf"]`).First().Attr("value")
	res, err := in.browser.PostForm(in.url+"/settings/platform", url.Values{"_csrf": {token}, "region": {"us-east-1"}, "platform": {string(platform)}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s: switching us-east-1 to %s answered %d, want 303", in.name, platform, res.StatusCode)
	}
}

// get loads a console page, which must answer 200, and parses it.
func (in *instance) get(t *testing.T, path string) *goquery.Document {
	t.Helper()
	res, err := in.browser.Get(in.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s GET %s: status %d", in.name, path, res.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func testidSel(id string) string { return `[data-testid="` + id + `"]` }

// clusterStatuses lists "id=status" of a DescribeCacheClusters page.
func clusterStatuses(out *elasticache.DescribeCacheClustersOutput) []string {
	got := []string{}
	for _, c := range out.CacheClusters {
		got = append(got, aws.ToString(c.CacheClusterId)+"="+aws.ToString(c.CacheClusterStatus))
	}
	return got
}
