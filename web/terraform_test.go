package web_test

// Terraform, as an infrastructure engineer points it at the console: the hashicorp/aws provider 5.x
// with `endpoints { elasticache = ... }`, through init, apply, a plan that must be empty, a change,
// a refresh and destroy, against the real binary. Every step is a subtest, so a run says which
// steps Terraform can take today and prints what Terraform printed for those it cannot.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"sgconsole/models"
)

const (
	// terraformResourceTimeout bounds each create, update and delete: the provider waits 30 s
	// before its first look and 40 minutes by default, so a status that never comes fails here.
	terraformResourceTimeout = "2m"
	// terraformCommandTimeout bounds one terraform command.
	terraformCommandTimeout = 4 * time.Minute
	// terraformPropagation is the console's propagation delay in this test: statuses settle
	// long before the provider's first poll.
	terraformPropagation = "1s"
)

// TestTerraform needs terraform on PATH and the hashicorp/aws provider 5.x unpacked in a plugin
// directory (SGCONSOLE_TF_PLUGIN_DIR, or one of terraformPluginDirs); it never uses the network.
func TestTerraform(t *testing.T) {
	tfBin, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("TERRAFORM TEST NOT RUN: no terraform on PATH. Install Terraform 1.x and the hashicorp/aws " +
			"provider 5.x (unpacked under a plugin directory, see README) to run it.")
	}
	pluginDir := terraformPluginDir(t)
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "terraform.db")
	// startInstance signs its browser in with multiPassword and its SDK client uses multiKey.
	env := []string{"SGCONSOLE_ADMIN_PASSWORD=" + multiPassword,
		"SGCONSOLE_ADMIN_ACCESS_KEY_ID=" + multiKey.AccessKeyID, "SGCONSOLE_ADMIN_SECRET_ACCESS_KEY=" + multiKey.SecretAccessKey}
	console := startInstance(t, "terraform", bin, env, []string{"--db", db, "--propagation-delay", terraformPropagation})

	// The two workspaces run side by side: most of their time is the provider's 30 s waits.
	t.Run("group", func(t *testing.T) {
		t.Run("EC2-Classic clusters", func(t *testing.T) {
			t.Parallel()
			w := newWorkspace(t, tfBin, pluginDir, console, "classic.tf.tmpl")
			w.stages = [2]tfStage{{}, {Changed: true}}
			w.want = [2][]string{
				{"tf-classic-memcached: memcached 1.6.6 available params=default.memcached1.6 nodes=0001:11211,0002:11211 config=11211 window=sun:05:00-sun:06:00 sgs=default tags=team=cache",
					"tf-classic-redis: redis 6.0.5 available params=default.redis6.x nodes=0001:6379 snapshots=1@03:00-04:00 sgs=default tags=team=cache"},
				{"tf-classic-memcached: memcached 1.6.17 available params=default.memcached1.6 nodes=0001:11211,0002:11211,0003:11211 config=11211 window=mon:05:00-mon:06:00 sgs=default tags=stage=changed,team=cache",
					"tf-classic-redis: redis 6.2.6 available params=default.redis6.x nodes=0001:6379 snapshots=3@03:00-04:00 sgs=default tags=team=platform"},
			}
			w.runAll(t)
		})
		t.Run("VPC clusters in a subnet group", func(t *testing.T) {
			t.Parallel()
			w := newWorkspace(t, tfBin, pluginDir, console, "vpc.tf.tmpl")
			w.subnetGroup = "tf-app"
			w.provideNetwork(t, db)
			w.runAll(t)
		})
	})
}

// tfStage is what a template is rendered with: the first configuration, then the changed one.
type tfStage struct {
	Changed       bool
	Subnets       []string
	SecurityGroup string
	// Filled in by render.
	Timeout string
}

// tfWorkspace is one Terraform working directory against the console.
type tfWorkspace struct {
	tf, pluginDir, dir, template string
	env                          []string
	api                          *elasticache.Client
	stages                       [2]tfStage
	// want is what DescribeCacheClusters says of each cluster after each stage (clusterSummary).
	want        [2][]string
	subnetGroup string
	// wantSubnetGroup is what DescribeCacheSubnetGroups says of it after each stage.
	wantSubnetGroup [2]string
}

func newWorkspace(t *testing.T, tfBin, pluginDir string, console *instance, tmpl string) *tfWorkspace {
	t.Helper()
	dir := t.TempDir()
	rc := filepath.Join(dir, "terraform.rc")
	if err := os.WriteFile(rc, []byte("disable_checkpoint = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	provider := renderFile(t, "provider.tf.tmpl", map[string]string{
		"AccessKeyID": multiKey.AccessKeyID, "SecretAccessKey": multiKey.SecretAccessKey, "Endpoint": console.url})
	if err := os.WriteFile(filepath.Join(dir, "provider.tf"), provider, 0o600); err != nil {
		t.Fatal(err)
	}
	// Nothing of the machine's own AWS or Terraform setup may leak in: no profile, no network.
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "TF_") {
			env = append(env, kv)
		}
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1",
		"TF_DATA_DIR="+filepath.Join(dir, ".terraform"), "AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	return &tfWorkspace{tf: tfBin, pluginDir: pluginDir, dir: dir, template: tmpl, env: env, api: console.api}
}

// runAll takes the workspace through the life of a configuration. A step runs only when the steps
// it builds on passed; otherwise it fails at once naming them, so the run still lists every step.
func (w *tfWorkspace) runAll(t *testing.T) {
	steps := []struct {
		name  string
		needs []string
		run   func(t *testing.T)
	}{
		{"init", nil, w.init},
		{"apply creates", []string{"init"}, func(t *testing.T) { w.applyStage(t, 0) }},
		{"plan after apply is empty", []string{"apply creates"}, w.wantEmptyPlan},
		{"change applies", []string{"apply creates"}, func(t *testing.T) { w.applyStage(t, 1) }},
		{"plan after change is empty", []string{"change applies"}, w.wantEmptyPlan},
		{"refresh finds no drift", []string{"apply creates"}, w.refresh},
		// Destroy also cleans up after a failed apply, so it needs only a working directory.
		{"destroy", []string{"init"}, w.destroy},
	}
	failed := map[string]bool{}
	for _, s := range steps {
		var missing []string
		for _, n := range s.needs {
			if failed[n] {
				missing = append(missing, strconv.Quote(n))
			}
		}
		passed := t.Run(s.name, func(t *testing.T) {
			if len(missing) > 0 {
				t.Fatalf("not run: it needs the step %s, which failed", strings.Join(missing, " and "))
			}
			s.run(t)
		})
		failed[s.name] = !passed
	}
}

func (w *tfWorkspace) init(t *testing.T) {
	w.render(t, 0)
	w.mustRun(t, "init", "-input=false", "-no-color", "-plugin-dir="+w.pluginDir)
}

// applyStage applies the stage's configuration, then checks through the SDK that the console
// holds what Terraform was asked for.
func (w *tfWorkspace) applyStage(t *testing.T, stage int) {
	w.render(t, stage)
	w.mustRun(t, "apply", "-auto-approve", "-input=false", "-no-color")
	w.wantConsoleState(t, stage)
}

// wantEmptyPlan: right after an apply, a plan proposes nothing (exit code 0 of -detailed-exitcode);
// a value the console changed or dropped shows up here as a diff.
func (w *tfWorkspace) wantEmptyPlan(t *testing.T) {
	out, code := w.run(t, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	switch code {
	case 0:
	case 2:
		t.Fatalf("terraform plan wants changes right after an apply (the console does not hold what was applied):\n%s", planDiff(out))
	default:
		t.Fatalf("terraform plan failed (exit %d):\n%s", code, terraformErrors(out))
	}
}

// refresh reads every resource back (terraform refresh): nothing changed outside Terraform.
func (w *tfWorkspace) refresh(t *testing.T) {
	out := w.mustRun(t, "apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color")
	if !strings.Contains(out, "No changes.") {
		t.Fatalf("terraform refresh finds objects changed outside Terraform right after an apply:\n%s", planDiff(out))
	}
}

// destroy removes everything, and the console no longer knows the clusters or the subnet group.
func (w *tfWorkspace) destroy(t *testing.T) {
	w.mustRun(t, "destroy", "-auto-approve", "-input=false", "-no-color")
	for _, id := range w.clusterIDs() {
		_, err := w.api.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id)})
		var notFound *types.CacheClusterNotFoundFault
		if !errors.As(err, &notFound) {
			t.Errorf("after terraform destroy, DescribeCacheClusters %s: %v, want CacheClusterNotFound", id, err)
		}
	}
	if w.subnetGroup != "" {
		_, err := w.api.DescribeCacheSubnetGroups(bg, &elasticache.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: aws.String(w.subnetGroup)})
		var notFound *types.CacheSubnetGroupNotFoundFault
		if !errors.As(err, &notFound) {
			t.Errorf("after terraform destroy, DescribeCacheSubnetGroups %s: %v, want CacheSubnetGroupNotFoundFault", w.subnetGroup, err)
		}
	}
}

// wantConsoleState compares what the API describes with the stage's expectations.
func (w *tfWorkspace) wantConsoleState(t *testing.T, stage int) {
	t.Helper()
	var got []string
	for _, id := range w.clusterIDs() {
		got = append(got, clusterSummary(t, w.api, id))
	}
	if want := w.want[stage]; !slices.Equal(got, want) {
		t.Errorf("after terraform apply the console describes\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if w.subnetGroup != "" {
		if got, want := subnetGroupSummary(t, w.api, w.subnetGroup), w.wantSubnetGroup[stage]; got != want {
			t.Errorf("after terraform apply the console describes the subnet group as\n  %s\nwant\n  %s", got, want)
		}
	}
}

// clusterIDs are the clusters the expectations name, in the order they are listed.
func (w *tfWorkspace) clusterIDs() []string {
	var ids []string
	for _, s := range w.want[0] {
		ids = append(ids, strings.SplitN(s, ":", 2)[0])
	}
	return ids
}

// clusterSummary is one line of what DescribeCacheClusters (with node info) and
// ListTagsForResource say of a cluster: the fields Terraform sets and reads back.
func clusterSummary(t *testing.T, api *elasticache.Client, id string) string {
	t.Helper()
	out, err := api.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(id), ShowCacheNodeInfo: aws.Bool(true)})
	if err != nil {
		return fmt.Sprintf("%s: DescribeCacheClusters: %v", id, err)
	}
	if len(out.CacheClusters) != 1 {
		return fmt.Sprintf("%s: DescribeCacheClusters lists %d clusters", id, len(out.CacheClusters))
	}
	c := out.CacheClusters[0]
	s := fmt.Sprintf("%s: %s %s %s", id, aws.ToString(c.Engine), aws.ToString(c.EngineVersion), aws.ToString(c.CacheClusterStatus))
	var nodes []string
	for _, n := range c.CacheNodes {
		port := "no-endpoint"
		if n.Endpoint != nil && aws.ToString(n.Endpoint.Address) != "" {
			port = fmt.Sprint(aws.ToInt32(n.Endpoint.Port))
		}
		nodes = append(nodes, aws.ToString(n.CacheNodeId)+":"+port)
	}
	if c.CacheParameterGroup != nil {
		s += " params=" + aws.ToString(c.CacheParameterGroup.CacheParameterGroupName)
	}
	s += " nodes=" + strings.Join(nodes, ",")
	if aws.ToString(c.Engine) == "memcached" {
		config := "none"
		if c.ConfigurationEndpoint != nil && aws.ToString(c.ConfigurationEndpoint.Address) != "" {
			config = fmt.Sprint(aws.ToInt32(c.ConfigurationEndpoint.Port))
		}
		s += " config=" + config
		if w := aws.ToString(c.PreferredMaintenanceWindow); w != "" {
			s += " window=" + w
		}
	} else {
		s += fmt.Sprintf(" snapshots=%d@%s", aws.ToInt32(c.SnapshotRetentionLimit), aws.ToString(c.SnapshotWindow))
	}
	if g := aws.ToString(c.CacheSubnetGroupName); g != "" {
		s += " subnets=" + g
	}
	var groups []string
	for _, g := range c.CacheSecurityGroups {
		groups = append(groups, aws.ToString(g.CacheSecurityGroupName))
	}
	for _, g := range c.SecurityGroups {
		groups = append(groups, aws.ToString(g.SecurityGroupId))
	}
	s += " sgs=" + strings.Join(groups, ",")
	return s + " tags=" + tagSummary(api, aws.ToString(c.ARN))
}

// subnetGroupSummary is one line of what DescribeCacheSubnetGroups and ListTagsForResource say of a
// cache subnet group.
func subnetGroupSummary(t *testing.T, api *elasticache.Client, name string) string {
	t.Helper()
	out, err := api.DescribeCacheSubnetGroups(bg, &elasticache.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: aws.String(name)})
	if err != nil {
		return fmt.Sprintf("%s: DescribeCacheSubnetGroups: %v", name, err)
	}
	if len(out.CacheSubnetGroups) != 1 {
		return fmt.Sprintf("%s: DescribeCacheSubnetGroups lists %d groups", name, len(out.CacheSubnetGroups))
	}
	g := out.CacheSubnetGroups[0]
	var subnets []string
	for _, s := range g.Subnets {
		subnets = append(subnets, aws.ToString(s.SubnetIdentifier))
	}
	sort.Strings(subnets)
	return fmt.Sprintf("%s: %q subnets=%s tags=%s", name, aws.ToString(g.CacheSubnetGroupDescription),
		strings.Join(subnets, ","), tagSummary(api, aws.ToString(g.ARN)))
}

// tagSummary lists a resource's tags as key=value in key order, or the error.
func tagSummary(api *elasticache.Client, arn string) string {
	out, err := api.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: aws.String(arn)})
	if err != nil {
		return fmt.Sprintf("(ListTagsForResource: %v)", err)
	}
	var tags []string
	for _, tag := range out.TagList {
		tags = append(tags, aws.ToString(tag.Key)+"="+aws.ToString(tag.Value))
	}
	sort.Strings(tags)
	return strings.Join(tags, ",")
}

// render writes the stage's configuration as main.tf.
func (w *tfWorkspace) render(t *testing.T, stage int) {
	t.Helper()
	data := w.stages[stage]
	data.Timeout = terraformResourceTimeout
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), renderFile(t, w.template, data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func renderFile(t *testing.T, name string, data any) []byte {
	t.Helper()
	tmpl, err := template.ParseFiles(filepath.Join("testdata", "terraform", name))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// run runs one terraform command in the workspace and returns its output and exit code.
func (w *tfWorkspace) run(t *testing.T, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), terraformCommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.tf, args...)
	cmd.Dir, cmd.Env = w.dir, w.env
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("terraform %s: %s", strings.Join(args, " "), time.Since(start).Round(100*time.Millisecond))
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("terraform %s did not finish within %s:\n%s", args[0], terraformCommandTimeout, out)
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	case err != nil:
		t.Fatalf("terraform %s: %v", args[0], err)
	}
	return string(out), 0
}

func (w *tfWorkspace) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, code := w.run(t, args...)
	if code != 0 {
		t.Fatalf("terraform %s failed (exit %d):\n%s", args[0], code, terraformErrors(out))
	}
	return out
}

// terraformErrors is the part of terraform's output from its first error on, or all of it.
func terraformErrors(out string) string {
	if i := strings.Index(out, "\nError: "); i >= 0 {
		return strings.TrimSpace(out[i:])
	}
	return out
}

// planDiff is the part of a plan's output that lists what it would change.
func planDiff(out string) string {
	for _, marker := range []string{"Terraform will perform", "Terraform detected the following changes", "Note: Objects have changed"} {
		if i := strings.Index(out, marker); i >= 0 {
			return strings.TrimSpace(out[i:])
		}
	}
	return out
}

// terraformPluginDirs are where an offline machine keeps providers (the layout of `terraform
// providers mirror`), checked in order after SGCONSOLE_TF_PLUGIN_DIR.
var terraformPluginDirs = []string{"/opt/tf-plugins", "~/.terraform.d/plugins", "~/.local/share/terraform/plugins",
	"/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins"}

// terraformPluginDir finds a directory holding the hashicorp/aws provider 5.x for this platform.
// Terraform on the machine without it is a broken setup, not an absent tool: the test fails.
func terraformPluginDir(t *testing.T) string {
	t.Helper()
	dirs := terraformPluginDirs
	if d := os.Getenv("SGCONSOLE_TF_PLUGIN_DIR"); d != "" {
		dirs = []string{d}
	}
	home, _ := os.UserHomeDir()
	platform := runtime.GOOS + "_" + runtime.GOARCH
	for _, dir := range dirs {
		dir = strings.Replace(dir, "~", home, 1)
		aws := filepath.Join(dir, "registry.terraform.io", "hashicorp", "aws")
		unpacked, _ := filepath.Glob(filepath.Join(aws, "5.*", platform, "terraform-provider-aws*"))
		packed, _ := filepath.Glob(filepath.Join(aws, "terraform-provider-aws_5.*_"+platform+".zip"))
		if found := append(unpacked, packed...); len(found) > 0 {
			t.Logf("hashicorp/aws provider: %s", found[len(found)-1])
			return dir
		}
	}
	t.Fatalf("TERRAFORM TEST CANNOT RUN: terraform is on PATH but no hashicorp/aws provider 5.x for %s was found under %s "+
		"(the layouts of `terraform providers mirror`: registry.terraform.io/hashicorp/aws/VERSION/%s/ unpacked, or the .zip beside it); "+
		"set SGCONSOLE_TF_PLUGIN_DIR", platform, strings.Join(dirs, ", "), platform)
	return ""
}

// provideNetwork gives the VPC workspace its network: a VPC of the admin's account in us-east-1
// with three subnets (the group starts with two and gains the third) and two VPC security groups
// (the clusters move from the first to the second), made in the console's database as a user makes
// them on the EC2 pages, since Terraform's EC2 resources have no endpoint here.
func (w *tfWorkspace) provideNetwork(t *testing.T, db string) {
	store, err := models.OpenExisting(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	scope := models.Scope{AccountID: ownerID, Region: "us-east-1", Actor: models.AdminUsername, Via: "console"}
	vpc := ok(store.CreateVPC(bg, scope, "tf-app", "10.20.0.0/16")).get(t)
	var subnets []string
	for i, zone := range models.AvailabilityZones(scope.Region) {
		subnet := ok(store.CreateSubnet(bg, scope, vpc.VpcID, zone, fmt.Sprintf("10.20.%d.0/24", i))).get(t)
		subnets = append(subnets, subnet.SubnetID)
	}
	first := ok(store.CreateVPCSecurityGroup(bg, scope, vpc.VpcID, "tf-app-a", "app caches before")).get(t).GroupID
	second := ok(store.CreateVPCSecurityGroup(bg, scope, vpc.VpcID, "tf-app-b", "app caches after")).get(t).GroupID

	w.stages = [2]tfStage{{Subnets: subnets[:2], SecurityGroup: first}, {Changed: true, Subnets: subnets, SecurityGroup: second}}
	w.want = [2][]string{
		{"tf-vpc-memcached: memcached 1.6.6 available params=default.memcached1.6 nodes=0001:11211 config=11211 window=sun:05:00-sun:06:00 subnets=tf-app sgs=" + first + " tags=team=cache",
			"tf-vpc-redis: redis 6.0.5 available params=default.redis6.x nodes=0001:6379 snapshots=1@03:00-04:00 subnets=tf-app sgs=" + first + " tags=team=cache"},
		{"tf-vpc-memcached: memcached 1.6.17 available params=default.memcached1.6 nodes=0001:11211,0002:11211 config=11211 window=sun:05:00-sun:06:00 subnets=tf-app sgs=" + second + " tags=stage=changed,team=cache",
			"tf-vpc-redis: redis 6.2.6 available params=default.redis6.x nodes=0001:6379 snapshots=1@03:00-04:00 subnets=tf-app sgs=" + second + " tags=team=platform"},
	}
	sorted := slices.Sorted(slices.Values(subnets))
	w.wantSubnetGroup = [2]string{
		`tf-app: "App caches" subnets=` + strings.Join(slices.Sorted(slices.Values(subnets[:2])), ",") + " tags=team=cache",
		`tf-app: "App caches, three zones" subnets=` + strings.Join(sorted, ",") + " tags=team=cache",
	}
}
