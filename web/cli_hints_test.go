package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sgconsole/models"
	"sgconsole/views"
)

// cliText is the AWS CLI command a page shows under a title, exactly as the copy button copies it.
func cliText(r *response, title string) string {
	r.t.Helper()
	sel := `details[data-testid="cli-` + strings.Join(strings.Fields(strings.ToLower(title)), "-") + `"]`
	block := r.wantPresent(sel)
	code := block.Find("pre.code-block code")
	id, _ := code.Attr("id")
	if id == "" || block.Find(`button.copy__btn[data-copy-target="`+id+`"]`).Length() != 1 {
		r.t.Fatalf("%s: the %q command has no copy button for #%s", r.URL, title, id)
	}
	if got := block.Find("summary").Text(); !strings.Contains(got, "AWS CLI equivalent") {
		r.t.Fatalf("%s: the %q block is titled %q", r.URL, title, got)
	}
	return strings.TrimSpace(code.Text())
}

// wantCLI checks a page's command holds every fragment, endpoint and region included.
func wantCLI(r *response, title string, fragments ...string) string {
	r.t.Helper()
	cmd := cliText(r, title)
	for _, f := range append(fragments, "--endpoint-url http://example.com", "--region us-east-1") {
		if !strings.Contains(cmd, f) {
			r.t.Fatalf("%s: the %q command lacks %q:\n%s", r.URL, title, f, cmd)
		}
	}
	return cmd
}

func TestCLIHintsFollowTheForms(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	p := views.Page{Region: "us-east-1", EndpointURL: "http://example.com"}

	t.Run("create security group", func(t *testing.T) {
		c := c.in(t)
		form := c.get("/security-groups/new?region=us-east-1").wantStatus(http.StatusOK)
		wantCLI(form, "Create this security group", "aws elasticache create-cache-security-group",
			"--cache-security-group-name NAME", "--description DESCRIPTION")
		// Re-rendered with what the user typed, quoted for the shell.
		again := c.submit(form, testid("create-form"), map[string]string{"name": "web-sessions", "description": `It's "new"`})
		again = c.failedForm(again).wantStatus(http.StatusUnprocessableEntity)
		cmd := wantCLI(again, "Create this security group", "--cache-security-group-name web-sessions", `--description 'It'\''s "new"'`)
		if cmd != views.CLICreateSecurityGroup(p, "web-sessions", `It's "new"`) {
			t.Fatalf("page shows\n%s", cmd)
		}
	})

	t.Run("list and panel", func(t *testing.T) {
		c := c.in(t)
		list := c.get("/security-groups?region=us-east-1&size=50&selected=web-sessions").wantStatus(http.StatusOK)
		wantCLI(list, "List security groups", "describe-cache-security-groups", "--max-records 50")
		wantCLI(list, "Describe this security group", "describe-cache-security-groups", "--cache-security-group-name web-sessions")
		// The owner ID field starts with the account's ID, the name is still to be chosen.
		wantCLI(list, "Authorize an EC2 security group", "authorize-cache-security-group-ingress",
			"--cache-security-group-name web-sessions", "--ec2-security-group-name EC2_GROUP_NAME",
			"--ec2-security-group-owner-id "+models.DefaultAccountID)
		// The revoke example names a row that can be removed (bastion is already revoking).
		wantCLI(list, "Remove an EC2 security group", "revoke-cache-security-group-ingress",
			"--cache-security-group-name web-sessions", "--ec2-security-group-name web-servers")
		// web-sessions is in use: its delete dialog lists the cluster and has no command to copy.
		list.wantAbsent(testid("delete-dialog") + ` [data-testid="cli-delete-this-security-group"]`)
		unused := c.get("/security-groups?region=us-east-1&selected=reporting").wantStatus(http.StatusOK)
		wantCLI(unused, "Delete this security group", "delete-cache-security-group", "--cache-security-group-name reporting")

		small := c.get("/security-groups?region=us-east-1&size=10").wantStatus(http.StatusOK)
		wantCLI(small, "List security groups", "--max-records 20") // the API's minimum
		small.wantAbsent(`[data-testid="cli-describe-this-security-group"]`)
	})

	t.Run("detail page authorize form values", func(t *testing.T) {
		c := c.in(t)
		detail := c.get("/security-groups/app-cache?region=us-east-1").wantStatus(http.StatusOK)
		wantCLI(detail, "Describe this security group", "--cache-security-group-name app-cache")
		again := c.submit(detail, testid("authorize-form"), map[string]string{
			"ec2_security_group_name": "no such group", "ec2_security_group_owner_id": "12345"})
		again = c.failedForm(again).wantStatus(http.StatusUnprocessableEntity)
		wantCLI(again, "Authorize an EC2 security group", "--ec2-security-group-name 'no such group'",
			"--ec2-security-group-owner-id 12345")
		confirm := c.get("/security-groups/reporting/delete?region=us-east-1").wantStatus(http.StatusOK)
		wantCLI(confirm, "Delete this security group", "delete-cache-security-group", "--cache-security-group-name reporting")
	})

	t.Run("clusters", func(t *testing.T) {
		c := c.in(t)
		cs.clock.Advance(propagationDelay + time.Second)
		form := c.get("/clusters/new?region=us-east-1&network=ec2-classic").wantStatus(http.StatusOK)
		wantCLI(form, "Create this cluster", "create-cache-cluster", "--cache-cluster-id CLUSTER_ID", "--engine memcached",
			"--cache-node-type cache.m1.small", "--num-cache-nodes 1")
		classic := c.submit(form, testid("cluster-create-form"), map[string]string{"cluster_id": "bad--id", "cache_security_groups": "app-cache"})
		classic = c.failedForm(classic).wantStatus(http.StatusUnprocessableEntity)
		wantCLI(classic, "Create this cluster", "--cache-cluster-id bad--id", "--cache-security-group-names app-cache")
		vpc := c.submit(form, testid("cluster-create-form"), map[string]string{"cluster_id": "bad--id", "network": "vpc",
			"subnet_group": "my subnets", "vpc_security_group_ids": "sg-1, sg-2"})
		vpc = c.failedForm(vpc).wantStatus(http.StatusUnprocessableEntity)
		cmd := wantCLI(vpc, "Create this cluster", "--cache-subnet-group-name 'my subnets'", "--security-group-ids sg-1 sg-2")
		if strings.Contains(cmd, "--cache-security-group-names") {
			t.Fatalf("a VPC cluster's command names cache security groups:\n%s", cmd)
		}

		detail := c.get("/clusters/app-memcached?region=us-east-1").wantStatus(http.StatusOK)
		wantCLI(detail, "Describe this cluster", "describe-cache-clusters", "--cache-cluster-id app-memcached")
		wantCLI(detail, "Modify the security groups", "modify-cache-cluster", "--cache-cluster-id app-memcached",
			"--cache-security-group-names app-cache default")
		wantCLI(detail, "Delete this cluster", "delete-cache-cluster", "--cache-cluster-id app-memcached")
		vpcDetail := c.get("/clusters/orders-redis?region=us-east-1").wantStatus(http.StatusOK)
		vpcDetail.wantAbsent(`[data-testid="cli-modify-the-security-groups"]`)
		wantCLI(c.get("/clusters/app-memcached/delete?region=us-east-1"), "Delete this cluster", "--cache-cluster-id app-memcached")
		wantCLI(c.get("/clusters?region=us-east-1&size=100"), "List clusters", "describe-cache-clusters", "--max-records 100")
	})

	t.Run("events", func(t *testing.T) {
		c := c.in(t)
		wantCLI(c.get("/events?region=us-east-1"), "List these events", "describe-events", "--duration 1440")
		cmd := wantCLI(c.get("/events?region=us-east-1&source_type=cache-cluster&window=168h"), "List these events",
			"--source-type cache-cluster", "--duration 10080")
		if strings.Contains(cmd, "cache-security-group") {
			t.Fatalf("wrong source type:\n%s", cmd)
		}
	})

	t.Run("endpoint from the request", func(t *testing.T) {
		c := c.in(t)
		req := httptest.NewRequest(http.MethodGet, "/security-groups/new?region=eu-west-1", nil)
		req.Host = "console.example.org:8443"
		req.RemoteAddr = "127.0.0.1:40000" // a TLS-terminating proxy on this machine
		req.Header.Set("X-Forwarded-Proto", "https")
		r := c.do(req).wantStatus(http.StatusOK)
		cmd := cliText(r, "Create this security group")
		if !strings.Contains(cmd, "--endpoint-url https://console.example.org:8443") || !strings.Contains(cmd, "--region eu-west-1") {
			t.Fatalf("command does not follow the request's host and region:\n%s", cmd)
		}
	})
}

// runPageCommand runs what a user pastes: the setup from the Security credentials page, then a
// command from a console page, in a shell with nothing else of AWS configured.
func runPageCommand(t *testing.T, setup, command string) []byte {
	t.Helper()
	if _, err := os.Stat("/usr/bin/aws"); err != nil {
		t.Fatalf("the AWS CLI v2 is needed at /usr/bin/aws (%v): install it with `apt-get install -y awscli`", err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", setup+"\n"+command)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir, "LANG=C.UTF-8", "AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials")}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("the command from the page failed (%v):\n%s\nstderr:\n%s", err, command, stderr.String())
	}
	return stdout.Bytes()
}

type cliGroupJSON struct {
	CacheSecurityGroupName string
	Description            string
	EC2SecurityGroups      []struct{ EC2SecurityGroupName, EC2SecurityGroupOwnerId, Status string }
}

// TestCLIHintsRunWithTheAWSCLI pastes the console's commands into a shell with the real AWS CLI,
// against the console's own server: the key comes from the Security credentials page, each
// command from the page that shows it, and the result shows in the console.
func TestCLIHintsRunWithTheAWSCLI(t *testing.T) {
	cs := newConsole(t, true)
	srv := httptest.NewServer(cs.e)
	t.Cleanup(srv.Close)
	c := cs.signedIn(t)
	base := srv.URL // every page is requested through the server's host, so its commands name it
	const desc = `It's the "CLI" group; $HOME \o/ & more`

	keys := c.get(base + "/security-credentials?region=us-east-1").wantStatus(http.StatusOK)
	created := c.post(base+"/security-credentials?region=us-east-1", url.Values{"_csrf": {keys.csrfToken()}}, nil).wantStatus(http.StatusOK)
	setup := strings.TrimSpace(created.find(testid("new-key-setup")).Text())
	keyID := created.text("#new-access-key-id")

	// The example command on the same page works as shown.
	var listed struct{ CacheSecurityGroups []cliGroupJSON }
	if err := json.Unmarshal(runPageCommand(t, setup, created.find(testid("new-key-example")).Text()), &listed); err != nil || len(listed.CacheSecurityGroups) == 0 {
		t.Fatalf("example command: %v %+v", err, listed)
	}

	// The create form re-rendered with typed values (the name is taken for now): its command,
	// run once the name is free, creates exactly that group, quote and all.
	cs.createGroups(t, "us-east-1", "cli-made")
	form := c.get(base + "/security-groups/new?region=us-east-1").wantStatus(http.StatusOK)
	if cmd := cliText(form, "Create this security group"); !strings.Contains(cmd, "--endpoint-url "+base) {
		t.Fatalf("the command does not name this server:\n%s", cmd)
	}
	again := c.post(base+"/security-groups?region=us-east-1", url.Values{"_csrf": {form.csrfToken()}, "name": {"cli-made"}, "description": {desc}}, nil)
	again = c.failedForm(again).wantStatus(http.StatusUnprocessableEntity)
	createCmd := cliText(again, "Create this security group")
	if err := cs.store.DeleteSecurityGroup(context.Background(), scopeOf("us-east-1"), "cli-made"); err != nil {
		t.Fatal(err)
	}
	var made struct{ CacheSecurityGroup cliGroupJSON }
	if err := json.Unmarshal(runPageCommand(t, setup, createCmd), &made); err != nil {
		t.Fatal(err)
	}
	if made.CacheSecurityGroup.CacheSecurityGroupName != "cli-made" || made.CacheSecurityGroup.Description != desc {
		t.Fatalf("the CLI created %+v", made.CacheSecurityGroup)
	}
	if g, ok := cs.group(t, "us-east-1", "cli-made"); !ok || g.Description != desc {
		t.Fatalf("the console sees %+v (exists %v), want description %q", g, ok, desc)
	}

	// The detail page: authorize (the user fills in the EC2 group name), describe, revoke.
	detail := c.get(base + "/security-groups/cli-made?region=us-east-1").wantStatus(http.StatusOK)
	detail.wantText(testid("group-description"), desc)
	authorize := strings.Replace(cliText(detail, "Authorize an EC2 security group"), "EC2_GROUP_NAME", "web-servers", 1)
	runPageCommand(t, setup, authorize)
	var described struct{ CacheSecurityGroups []cliGroupJSON }
	if err := json.Unmarshal(runPageCommand(t, setup, cliText(detail, "Describe this security group")), &described); err != nil {
		t.Fatal(err)
	}
	if len(described.CacheSecurityGroups) != 1 || len(described.CacheSecurityGroups[0].EC2SecurityGroups) != 1 ||
		described.CacheSecurityGroups[0].EC2SecurityGroups[0].EC2SecurityGroupName != "web-servers" {
		t.Fatalf("describe after authorize: %+v", described)
	}
	cs.clock.Advance(propagationDelay + time.Second)
	detail = c.get(base + "/security-groups/cli-made?region=us-east-1").wantStatus(http.StatusOK)
	detail.wantPresent(testid("ec2-row-web-servers"))
	runPageCommand(t, setup, cliText(detail, "Remove an EC2 security group"))
	if g, _ := cs.group(t, "us-east-1", "cli-made"); len(g.EC2SecurityGroups) != 1 || g.EC2SecurityGroups[0].Status != models.StatusRevoking {
		t.Fatalf("after the revoke command: %+v", g.EC2SecurityGroups)
	}

	// The delete confirmation's command removes the group.
	confirm := c.get(base + "/security-groups/cli-made/delete?region=us-east-1").wantStatus(http.StatusOK)
	runPageCommand(t, setup, cliText(confirm, "Delete this security group"))
	if _, ok := cs.group(t, "us-east-1", "cli-made"); ok {
		t.Fatal("the group is still there after the delete command")
	}

	// The key the CLI used now shows when it was last used.
	used := c.get(base + "/security-credentials?region=us-east-1").wantStatus(http.StatusOK)
	if got := used.text(testid("key-"+keyID) + ` [data-testid="key-last-used"]`); got == "Never" || !strings.Contains(got, "(UTC)") {
		t.Fatalf("last used reads %q after the CLI calls", got)
	}
}
