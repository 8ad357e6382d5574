package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"sgconsole/models"
)

// failedForm follows a failed submit back to its form the way a browser does: the POST answers 303
// to the GET URL of the page the form was on (never a POST-only URL), and that GET shows the form
// with its errors and the typed values once, with the failure's status.
func (c *client) failedForm(r *response) *response {
	c.t.Helper()
	r.wantStatus(http.StatusSeeOther)
	loc := r.Header.Get("Location")
	if loc == "" || !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
		c.t.Fatalf("%s: a failed form redirects to %q, want a local GET URL", r.URL, loc)
	}
	loc, _, _ = strings.Cut(loc, "#") // the first invalid field; a browser never sends it
	return c.get(loc)
}

// TestFailedCreateComesBackOnTheFormPage: a failed create answers 303 to the GET URL of the page
// the form was on (not the POST URL); that GET shows the errors next to the fields and the typed
// values once, with the failure's status; a reload shows a clean form; another browser never sees
// them.
func TestFailedCreateComesBackOnTheFormPage(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	page := c.get("/security-groups/new?region=us-west-2").wantStatus(http.StatusOK)
	if got := page.attr(testid("create-form")+` input[name="_return"]`, "value"); got != "/security-groups/new?region=us-west-2" {
		t.Fatalf("the form's _return is %q", got)
	}
	r := c.submit(page, testid("create-form"), map[string]string{"name": "bad name!", "description": "Typed by hand"})
	// The page lands on the first invalid field, without JavaScript too.
	r.wantRedirect(http.StatusSeeOther, "/security-groups/new?region=us-west-2#sg-name")

	// An eavesdropping browser of another user on the same URL gets a clean form.
	other := cs.signedIn(t)
	other.get("/security-groups/new?region=us-west-2").wantStatus(http.StatusOK).wantAbsent(testid("error-name"))

	shown := c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
	shown.wantText(testid("error-name"), "letters, digits")
	if got := shown.attr("#sg-name", "value"); got != "bad name!" {
		t.Errorf("name kept as %q", got)
	}
	if got := shown.attr("#sg-description", "value"); got != "Typed by hand" {
		t.Errorf("description kept as %q", got)
	}
	if shown.attr("#sg-name", "aria-invalid") != "true" || !shown.find("#sg-name").HasClass("input--invalid") {
		t.Error("the name field is not marked invalid (app.js focuses the first .input--invalid)")
	}
	// The page's own links and forms return to the GET URL, never the POST one.
	if got := shown.attr(testid("create-form")+` input[name="_return"]`, "value"); got != "/security-groups/new?region=us-west-2" {
		t.Errorf("the re-rendered form's _return is %q", got)
	}

	// Once only: a reload is the fresh form, and nothing was created.
	again := c.get("/security-groups/new?region=us-west-2").wantStatus(http.StatusOK)
	again.wantAbsent(testid("error-name"))
	if got := again.attr("#sg-name", "value"); got != "" {
		t.Errorf("a reload kept %q", got)
	}
	if _, ok := cs.group(t, "us-west-2", "bad name!"); ok {
		t.Fatal("the bad group was created")
	}

	// The same works where the form is part of a bigger page: the authorize form in the split panel.
	list := c.get("/security-groups?region=us-east-1&selected=staging").wantStatus(http.StatusOK)
	add := c.submit(list, testid("authorize-form"), map[string]string{"ec2_security_group_name": "bastion", "ec2_security_group_owner_id": "not-an-id"})
	add.wantRedirect(http.StatusSeeOther, "/security-groups?region=us-east-1&selected=staging")
	back := c.failedForm(add).wantStatus(http.StatusUnprocessableEntity)
	back.wantText(testid("error-ec2_security_group_owner_id"), "12-digit")
	c.get("/security-groups?region=us-east-1&selected=staging").wantStatus(http.StatusOK).wantAbsent(testid("error-ec2_security_group_owner_id"))
}

// TestFailedFormReturnStaysInTheConsole: a _return that is not a local console path falls back to
// the page that usually holds the route's form, so a form can't send the browser elsewhere.
func TestFailedFormReturnStaysInTheConsole(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	page := c.get("/security-groups/new").wantStatus(http.StatusOK)
	for _, bad := range []string{"https://evil.example/x", "//evil.example/x", `/\evil.example`, "/static/js/app.js", "/", "javascript:alert(1)"} {
		r := c.post("/security-groups?region=us-east-1", url.Values{"_csrf": {page.csrfToken()}, "_return": {bad}, "name": {""}, "description": {"d"}}, nil)
		r.wantRedirect(http.StatusSeeOther, "/security-groups/new?region=us-east-1")
		c.failedForm(r).wantStatus(http.StatusUnprocessableEntity).wantText(testid("error-name"), "Enter")
	}
	// Without _return (a script), each route falls back to the GET page of its form.
	for _, tc := range []struct{ post, want string }{
		{"/clusters?region=us-east-1", "/clusters/new?region=us-east-1"},
		{"/security-groups/staging/authorizations?region=us-east-1", "/security-groups/staging?region=us-east-1"},
		{"/account/password?region=us-east-1", "/account/password?region=us-east-1"},
		{"/users?region=us-east-1", "/users/new?region=us-east-1"},
	} {
		r := c.post(tc.post, url.Values{"_csrf": {page.csrfToken()}}, nil)
		r.wantRedirect(http.StatusSeeOther, tc.want)
		if got := c.failedForm(r).Status; got < 400 {
			t.Errorf("%s: the page shows status %d, want the failure's", tc.post, got)
		}
	}
}

// TestFailedSignInComesBackOnTheSignInPage: a refused sign-in returns to /login (keeping ?next=)
// with the reason and the user name once; empty fields are refused next to them; on a fresh
// database the page says where the admin's one-time password is, until the admin has signed in.
func TestFailedSignInComesBackOnTheSignInPage(t *testing.T) {
	cs := newConsole(t, false)
	c := cs.newClient(t)
	page := c.get("/login?next=/clusters").wantStatus(http.StatusOK)
	page.wantText(testid("first-start-note"), "The one-time password for admin was printed in the terminal that runs sgconsole.")
	page.wantText(testid("first-start-note"), "make reset-password")
	if page.find(testid("login-form")+"[novalidate]").Length() != 1 {
		t.Error("the sign-in form lets the browser validate")
	}

	r := c.submit(page, testid("login-form"), map[string]string{"username": "admin", "password": "wrong-password"})
	r.wantRedirect(http.StatusSeeOther, "/login?next=%2Fclusters")
	shown := c.failedForm(r).wantStatus(http.StatusUnauthorized)
	shown.wantText(testid("alert-error"), "Incorrect username or password.")
	if got := shown.attr("#username", "value"); got != "admin" {
		t.Errorf("username kept as %q", got)
	}
	if got := shown.attr(`input[name="next"]`, "value"); got != "/clusters" {
		t.Errorf("next kept as %q", got)
	}
	c.get("/login?next=%2Fclusters").wantStatus(http.StatusOK).wantAbsent(testid("alert-error"))

	empty := c.failedForm(c.submit(page, testid("login-form"), map[string]string{"username": "", "password": ""}))
	empty.wantStatus(http.StatusUnprocessableEntity)
	empty.wantText(testid("error-username"), "Enter your user name.")
	empty.wantText(testid("error-password"), "Enter your password.")

	// After the admin's first sign-in the note is gone, for everyone.
	c.login(adminPassword)
	cs.newClient(t).get("/login").wantStatus(http.StatusOK).wantAbsent(testid("first-start-note"))
}

// TestNoFormLetsTheBrowserValidate: every form on the console's pages either says novalidate or
// has no field a browser would check, so errors always come from the server, inline, in one look.
func TestNoFormLetsTheBrowserValidate(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	pages := []string{
		"/security-groups", "/security-groups?selected=staging", "/security-groups/new", "/security-groups/staging",
		"/security-groups/reporting/delete", "/clusters", "/clusters/new", "/clusters/new?network=ec2-classic",
		"/clusters/new?network=vpc", "/clusters/app-memcached", "/clusters/app-memcached/modify", "/ec2/security-groups",
		"/ec2/instances", "/connectivity", "/security-credentials", "/settings", "/users", "/users/new", "/account/password",
		"/workshops", "/events",
	}
	const checked = `[required], [pattern], [min], [max], [minlength], input[type="email"], input[type="url"], input[type="number"]`
	for _, path := range pages {
		r := c.get(path)
		if r.Status != http.StatusOK {
			t.Errorf("%s: status %d", path, r.Status)
			continue
		}
		r.find("form").Each(func(_ int, f *goquery.Selection) {
			if _, ok := f.Attr("novalidate"); !ok && f.Find(checked).Length() > 0 {
				action, _ := f.Attr("action")
				t.Errorf("%s: the form to %s has browser-checked fields without novalidate", path, action)
			}
		})
	}
	c.post("/logout", url.Values{"_csrf": {c.get("/settings").csrfToken()}}, nil)
	login := cs.newClient(t).get("/login")
	login.wantPresent(testid("login-form") + "[novalidate]")
}

// TestClusterFormMixesAreRefusedInConsoleWords: an EC2-Classic cluster posted with VPC fields is
// answered next to the network with what to do; the failed form comes back on its step.
func TestClusterFormMixesAreRefusedInConsoleWords(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	form := c.get("/clusters/new?region=us-east-1&network=ec2-classic").wantStatus(http.StatusOK)
	values := url.Values{"_csrf": {form.csrfToken()}, "_return": {"/clusters/new?region=us-east-1&network=ec2-classic"},
		"cluster_id": {"mix"}, "engine": {"memcached"}, "node_type": {"cache.m1.small"}, "num_nodes": {"1"},
		"network": {"ec2-classic"}, "vpc_security_group_ids": {"sg-0a1b2c3d"}}
	r := c.post("/clusters?region=us-east-1", values, nil)
	r.wantRedirect(http.StatusSeeOther, "/clusters/new?region=us-east-1&network=ec2-classic")
	shown := c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
	shown.wantText(testid("error-network"), "An EC2-Classic cluster is reached through cache security groups, so it takes no subnet group or VPC security group IDs. Clear them, or choose VPC to use them.")
	shown.wantAbsent(testid("error-subnet_group"))
	shown.wantText(testid("form-step"), "Step 2 of 2")
	if _, ok := cs.storedCluster(t, "us-east-1", "mix"); ok {
		t.Fatal("the mixed cluster was created")
	}
	// A number that is not one says what to type.
	values.Set("network", "vpc")
	values.Set("subnet_group", "prod")
	values.Set("num_nodes", "two")
	shown = c.failedForm(c.post("/clusters?region=us-east-1", values, nil)).wantStatus(http.StatusUnprocessableEntity)
	shown.wantText(testid("error-num_nodes"), "Enter the number of nodes as a whole number, for example 1.")
}

// TestClusterQuotaSaysWhatToDo: the 51st cluster is refused above the form with what to do.
func TestClusterQuotaSaysWhatToDo(t *testing.T) {
	cs := newConsole(t, false)
	for i := range models.MaxClustersPerRegion {
		if _, err := cs.store.CreateCluster(context.Background(), scopeOf("us-east-1"), models.NewCluster{ID: fmt.Sprintf("c%02d", i),
			Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 1, Network: models.PlatformClassic}); err != nil {
			t.Fatal(err)
		}
	}
	c := cs.signedIn(t)
	r := c.failedForm(c.createCluster("us-east-1", classicCluster("one-more"))).wantStatus(http.StatusUnprocessableEntity)
	r.wantText(testid("alert-error"), "This region already has 50 cache clusters, the most allowed. Delete one before creating another.")
}
