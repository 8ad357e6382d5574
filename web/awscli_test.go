package web_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"sgconsole/models"
)

// awsCLI is the Debian package's AWS CLI v2; a pyenv or pip "aws" earlier in PATH is often v1.
const awsCLI = "/usr/bin/aws"

// TestAWSCLI runs web/testdata/aws_cli_test.sh: the real AWS CLI v2 drives the API of the full
// router on a real port (create, authorize, describe, revoke, delete, errors, paging, clusters) and
// checks the JSON it prints. Then the store, which the console reads too, must agree with it.
func TestAWSCLI(t *testing.T) {
	if _, err := os.Stat(awsCLI); err != nil {
		t.Fatalf("the AWS CLI v2 is needed at %s (%v): install it with `apt-get install -y awscli` (.ci/run does)", awsCLI, err)
	}
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

	// The paging check needs more groups than a page of 20; the CLI creates five of them itself,
	// concurrently, and these twenty come from the store, which is quicker than twenty CLI start-ups.
	scope := models.Scope{AccountID: admin.AccountID, Region: "us-east-1"}
	for n := 6; n <= 25; n++ {
		name := fmt.Sprintf("cli-page-%02d", n)
		if _, err := store.CreateSecurityGroup(ctx, scope, name, "Paging group "+name[len("cli-page-"):]); err != nil {
			t.Fatal(err)
		}
	}

	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	credentials := filepath.Join(dir, "credentials")
	for _, f := range []string{config, credentials} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Each aws invocation starts Python: on a loaded 2-core machine the script has taken over 3 minutes.
	ctx, cancel := context.WithTimeout(ctx, 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join("testdata", "aws_cli_test.sh"))
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"LANG=C.UTF-8",
		"AWS_CLI=" + awsCLI,
		"AWS_ACCESS_KEY_ID=" + key.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + key.SecretAccessKey,
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=" + config,
		"AWS_SHARED_CREDENTIALS_FILE=" + credentials,
		"AWS_PAGER=",
		"AWS_EC2_METADATA_DISABLED=true",
		"SGCONSOLE_ENDPOINT=" + srv.URL,
		"SGCONSOLE_ACCOUNT_ID=" + admin.AccountID,
		"SGCONSOLE_PAGING_PRECREATED=20",
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		t.Fatalf("aws_cli_test.sh exited %d after %s:\n%s", exit.ExitCode(), time.Since(start).Round(time.Millisecond), out.String())
	case err != nil:
		t.Fatalf("aws_cli_test.sh: %v\n%s", err, out.String())
	}
	t.Logf("aws_cli_test.sh passed in %s:\n%s", time.Since(start).Round(time.Millisecond), out.String())

	// The CLI and the console share the database: what the CLI deleted is gone for the console,
	// and the groups the CLI counted across pages are the ones the store holds.
	_, err = store.GetSecurityGroup(ctx, scope, "cli-test-group")
	var merr *models.Error
	if !errors.As(err, &merr) || merr.Code != models.CodeCacheSecurityGroupNotFound {
		t.Errorf("after the CLI deleted cli-test-group the store says %v, want %s", err, models.CodeCacheSecurityGroupNotFound)
	}
	m := regexp.MustCompile(`(?m)^CLI_GROUP_COUNT=(\d+)$`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("the script did not print CLI_GROUP_COUNT")
	}
	cliCount, _ := strconv.Atoi(m[1])
	page, err := store.ListSecurityGroups(ctx, scope, models.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != cliCount || cliCount != 5+25 {
		t.Errorf("the CLI counted %d groups across pages; the store holds %d; want the 5 demo groups + 25 = 30", cliCount, page.Total)
	}
	cluster, err := store.GetCluster(ctx, scope, "cli-cluster")
	if err != nil {
		t.Fatalf("the cluster the CLI created is not in the store: %v", err)
	}
	var groups []string
	for _, m := range cluster.CacheSecurityGroups {
		groups = append(groups, m.Name)
	}
	if len(groups) != 2 || groups[0] != "cli-page-01" || groups[1] != "cli-page-02" {
		t.Errorf("cluster cli-cluster in the store has cache security groups %v, want [cli-page-01 cli-page-02]", groups)
	}
}
