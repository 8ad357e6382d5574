package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sgconsole/models"
)

// credKeyIDs lists the access key IDs the Security credentials table shows, top to bottom.
func credKeyIDs(r *response) []string {
	var ids []string
	for _, id := range attrs(r.find(`[data-testid="keys-table"] tbody tr`), "data-testid") {
		ids = append(ids, strings.TrimPrefix(id, "key-"))
	}
	return ids
}

func (cs *console) credAdmin(t *testing.T) models.User {
	t.Helper()
	u, err := cs.store.UserByName(context.Background(), models.AdminUsername)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSecurityCredentialsCreateShowsTheSecretOnce(t *testing.T) {
	cs := newConsole(t, false)
	c := cs.signedIn(t)
	ctx := context.Background()

	page := c.get("/security-credentials?region=eu-west-1").wantStatus(http.StatusOK)
	page.wantText(testid("page-title"), "Security credentials")
	if got := page.attr(testid("nav-security-credentials"), "aria-current"); got != "page" {
		t.Fatalf("side nav link aria-current = %q, want page", got)
	}
	page.wantPresent(testid("top-nav-credentials"))
	before := credKeyIDs(page) // the admin's bootstrap key
	if len(before) != 1 {
		t.Fatalf("want the bootstrap key listed, got %v", before)
	}
	page.wantText(testid("key-"+before[0]), "Active")

	created := c.submit(page, testid("create-key-form"), nil).wantStatus(http.StatusOK)
	created.wantText(testid("secret-warning"), "This is the only time the secret access key can be viewed")
	id := created.text(`#new-access-key-id`)
	secret := created.text(`#new-secret-access-key`)
	if !regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`).MatchString(id) || len(secret) != 40 {
		t.Fatalf("new key shown as %q / %q", id, secret)
	}
	// The secret shown is the one the API verifies signatures with.
	if _, stored, err := cs.store.LookupAccessKey(ctx, id); err != nil || stored != secret {
		t.Fatalf("stored secret of %s: %v (matches the page: %v)", id, err, stored == secret)
	}
	wantSetup := "export AWS_ACCESS_KEY_ID=" + id + " AWS_SECRET_ACCESS_KEY=" + secret + " AWS_DEFAULT_REGION=eu-west-1"
	if got := created.find(testid("new-key-setup")).Text(); got != wantSetup {
		t.Fatalf("setup reads %q, want %q", got, wantSetup)
	}
	example := created.find(testid("new-key-example")).Text()
	for _, want := range []string{"aws elasticache describe-cache-security-groups", "--endpoint-url http://example.com", "--region eu-west-1"} {
		if !strings.Contains(example, want) {
			t.Fatalf("example command %q lacks %q", example, want)
		}
	}
	// Every copy button copies an element that exists.
	for _, target := range attrs(created.find(`button[data-copy-target]`), "data-copy-target") {
		created.wantPresent("#" + target)
	}
	if ids := credKeyIDs(created); len(ids) != 2 || ids[1] != id {
		t.Fatalf("table lists %v, want the bootstrap key then %s", ids, id)
	}
	created.wantText(testid("key-"+id)+` [data-testid="key-last-used"]`, "Never")
	created.wantText(testid("key-"+id)+` [data-testid="key-created"]`, "(UTC)")

	// Never again: not on the next page, not in a flash, not in the page's setup help.
	again := c.get("/security-credentials?region=eu-west-1").wantStatus(http.StatusOK)
	if strings.Contains(again.Body, secret) {
		t.Fatal("the secret access key is shown again after a reload")
	}
	again.wantAbsent(testid("new-key"))
	again.wantAbsent(testid("flash"))
	if ids := credKeyIDs(again); len(ids) != 2 {
		t.Fatalf("after reload the table lists %v", ids)
	}
	for _, path := range []string{"/security-groups?region=eu-west-1", "/clusters", "/settings"} {
		if r := c.get(path); strings.Contains(r.Body, secret) {
			t.Fatalf("%s shows the secret", path)
		}
	}
}

func TestSecurityCredentialsLimitAndCSRF(t *testing.T) {
	cs := newConsole(t, false)
	c := cs.signedIn(t)
	ctx := context.Background()
	admin := cs.credAdmin(t)

	page := c.get("/security-credentials").wantStatus(http.StatusOK)
	// A form without the CSRF token creates nothing.
	c.post("/security-credentials", url.Values{}, nil).wantStatus(http.StatusForbidden)
	if keys, _ := cs.store.ListAccessKeys(ctx, admin.ID); len(keys) != 1 {
		t.Fatalf("a POST without the CSRF token changed the keys: %d", len(keys))
	}

	c.submit(page, testid("create-key-form"), nil).wantStatus(http.StatusOK)
	refused := c.failedForm(c.submit(page, testid("create-key-form"), nil)).wantStatus(http.StatusConflict)
	refused.wantText(testid("alert-error"), "You already have 2 access keys")
	refused.wantAbsent(testid("new-key"))
	if ids := credKeyIDs(refused); len(ids) != 2 {
		t.Fatalf("after the refusal the table lists %v", ids)
	}
	if keys, _ := cs.store.ListAccessKeys(ctx, admin.ID); len(keys) != 2 {
		t.Fatalf("the refused create stored a key: %d keys", len(keys))
	}
}

func TestSecurityCredentialsDelete(t *testing.T) {
	cs := newConsole(t, false)
	c := cs.signedIn(t)
	ctx := context.Background()

	page := c.get("/security-credentials?region=us-west-2").wantStatus(http.StatusOK)
	id := credKeyIDs(page)[0]
	// With JavaScript the Delete link opens the dialog; its form is the one the page would show.
	page.wantText(`dialog#delete-key-`+id, id)
	link := page.attr(testid("delete-"+id), "href")
	confirm := c.get(link).wantStatus(http.StatusOK)
	confirm.wantText(testid("delete-key-id"), id)
	done := c.submit(confirm, testid("delete-key-form"), nil)
	done.wantRedirect(http.StatusSeeOther, "/security-credentials?region=us-west-2")
	after := c.follow(done)
	after.wantText(testid("flash"), "Deleted access key "+id)
	after.wantPresent(testid("no-keys"))
	if _, _, err := cs.store.LookupAccessKey(ctx, id); !errors.Is(err, models.ErrUnknownAccessKey) {
		t.Fatalf("deleted key still verifies: %v", err)
	}

	// Deleting it again, or a key that is not there, is a 404 page.
	c.submit(confirm, testid("delete-key-form"), nil).wantErrorPage(http.StatusNotFound, "does not exist")
}

func TestSecurityCredentialsAnotherUsersKeyIsOutOfReach(t *testing.T) {
	cs := newConsole(t, false)
	c := cs.signedIn(t)
	ctx := context.Background()
	if _, err := cs.store.CreateUser(ctx, models.NewUser{Username: "bob", Role: models.RoleMember, AccountID: "210987654321", Password: "bob-password-1"}); err != nil {
		t.Fatal(err)
	}
	bob, err := cs.store.UserByName(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	bobKey, err := cs.store.CreateAccessKey(ctx, bob.ID)
	if err != nil {
		t.Fatal(err)
	}

	page := c.get("/security-credentials").wantStatus(http.StatusOK)
	if strings.Contains(page.Body, bobKey.AccessKeyID) {
		t.Fatal("the admin's page lists bob's key")
	}
	c.get("/security-credentials/"+bobKey.AccessKeyID+"/delete").wantErrorPage(http.StatusNotFound, "does not exist")
	forged := c.post("/security-credentials/"+bobKey.AccessKeyID+"/delete", url.Values{"_csrf": {page.csrfToken()}}, nil)
	forged.wantErrorPage(http.StatusNotFound, "does not exist")
	if u, _, err := cs.store.LookupAccessKey(ctx, bobKey.AccessKeyID); err != nil || u.ID != bob.ID {
		t.Fatalf("bob's key after the forged delete: %v", err)
	}
}
