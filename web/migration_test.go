package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sgconsole/models"
)

// TestMigrationWalkthroughRefusals: a VPC cluster has nothing to migrate (said on the page), an
// unknown one is not found, a refused step comes back inline next to its field with nothing
// created, and a created step comes back at the next one.
func TestMigrationWalkthroughRefusals(t *testing.T) {
	cs := newConsole(t, true)
	cs.clock.Advance(propagationDelay * 10)
	c := cs.signedIn(t)
	ctx, scope := context.Background(), scopeOf("us-east-1")

	r := c.get("/clusters/orders-redis/migrate?region=us-east-1").wantStatus(http.StatusOK)
	r.wantText(testid("alert-info"), "runs in a VPC already")
	r.wantAbsent(testid("migration-steps"))
	c.get("/clusters/never-was/migrate?region=us-east-1").wantStatus(http.StatusNotFound)
	// The cluster's own page: a VPC cluster offers no migration, an EC2-Classic one does.
	c.get("/clusters/orders-redis?region=us-east-1").wantAbsent(testid("migrate-button"))
	if got := c.get("/clusters/sessions?region=us-east-1").attr(testid("migrate-button"), "href"); got != "/clusters/sessions/migrate?region=us-east-1" {
		t.Fatalf("Migrate to VPC links to %q", got)
	}

	n, err := cs.store.GetNetwork(ctx, scope)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.store.CreateSubnetGroup(ctx, scope, models.NewSubnetGroup{Name: "cache-subnets", Description: "d", SubnetIDs: []string{n.Subnets[0].SubnetID}}); err != nil {
		t.Fatal(err)
	}
	sg, err := cs.store.CreateMigrationSecurityGroup(ctx, scope, n.VPCs[0].VpcID, "cache-11211", "d", models.VPCRule{FromPort: 11211, ToPort: 11211, Source: "172.31.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	// Before anything is typed, each command shows the names its form suggests.
	start := c.get("/clusters/sessions/migrate?region=us-east-1").wantStatus(http.StatusOK)
	if got := start.text(testid("step-subnet-group") + " " + testid("cli-command")); !strings.Contains(got, "--cache-subnet-group-name sessions-subnets") {
		t.Fatalf("subnet group command:\n%s", got)
	}
	start.wantPresent(testid("info-migrate-to-vpc"))
	c.get("/help/migrate-to-vpc?region=us-east-1").wantText("h1", "Migrate to a VPC")
	walk := "/clusters/sessions/migrate?region=us-east-1&subnet_group=cache-subnets&vpc_sg=" + sg.GroupID
	page := c.get(walk).wantStatus(http.StatusOK)
	page.wantText(testid("step-create")+" "+testid("step-state"), "to do")
	if got := page.text(testid("step-create") + " " + testid("cli-command")); !strings.Contains(got, "--security-group-ids "+sg.GroupID) ||
		!strings.Contains(got, "--cache-cluster-id sessions-vpc") || !strings.Contains(got, "--engine-version 1.4.34") || !strings.Contains(got, "--num-cache-nodes 2") {
		t.Fatalf("create command:\n%s", got)
	}

	// A cluster ID that is taken is refused next to the field, at the walkthrough's address.
	res := c.submit(page, testid("target-form"), map[string]string{"cluster_id": "app-memcached"})
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), walk) {
		t.Fatalf("refused create: %d to %q", res.Status, res.Header.Get("Location"))
	}
	again := c.follow(res).wantStatus(http.StatusUnprocessableEntity)
	again.wantText(testid("error-cluster_id"), "already exists")
	if got := again.attr("#target-id", "value"); got != "app-memcached" {
		t.Fatalf("the form lost what was typed: %q", got)
	}

	// A source that is no group or block, on a new group's form: refused next to it, nothing made.
	groups := len(n.Groups) + 1
	page = c.get("/clusters/sessions/migrate?region=us-east-1&subnet_group=cache-subnets").wantStatus(http.StatusOK)
	again = c.follow(c.submit(page, testid("create-vpc-sg-form"), map[string]string{"source": "the internet"})).wantStatus(http.StatusUnprocessableEntity)
	again.wantText(testid("create-vpc-sg-form")+" "+testid("error-source"), "CIDR")
	if after, _ := cs.store.GetNetwork(ctx, scope); len(after.Groups) != groups {
		t.Fatalf("%d groups after a refused create, want %d", len(after.Groups), groups)
	}

	// A refusal that names no field of a shown form (no instance was chosen to place) is said above the steps.
	res = c.post("/clusters/sessions/migrate/instance?region=us-east-1", url.Values{"_csrf": {page.csrfToken()},
		"_return": {"/clusters/sessions/migrate?region=us-east-1"}, "subnet_id": {n.Subnets[0].SubnetID}}, nil)
	c.follow(res).wantStatus(http.StatusUnprocessableEntity).wantText(testid("alert-error"), "Choose the VPC instance")

	// Created, the walkthrough comes back with the new group chosen, at the next step.
	res = c.submit(page, testid("create-vpc-sg-form"), map[string]string{"name": "sessions-clients", "source": "172.31.0.0/16"})
	loc := res.Header.Get("Location")
	if res.Status != http.StatusSeeOther || !strings.Contains(loc, "vpc_sg=sg-") || !strings.HasSuffix(loc, "#step-3") {
		t.Fatalf("create group: %d to %q", res.Status, loc)
	}
	c.get(loc).wantText(testid("step-security-group")+" "+testid("step-state"), "done")
}
