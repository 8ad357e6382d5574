package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"sgconsole/models"
)

// landed is the page a browser ends on after a refused POST: the re-rendered page itself, or,
// when the console sends the browser back to the form's page (303), that page.
func landed(c *client, r *response) *response {
	c.t.Helper()
	if r.Status == http.StatusSeeOther {
		return c.follow(r)
	}
	return r
}

// wantTypedConfirmation checks the Cloudscape field of a delete with additional confirmation:
// its label, placeholder and consent line, initial focus on it and never on Delete.
func wantTypedConfirmation(t *testing.T, r *response, scope string) {
	t.Helper()
	r.wantText(scope, "To avoid accidental deletions, we ask you to provide additional written consent.")
	input := r.wantPresent(scope + ` input[name="confirm"]`)
	if ph, _ := input.Attr("placeholder"); ph != "confirm" {
		t.Errorf("placeholder %q, want confirm", ph)
	}
	if _, ok := input.Attr("autofocus"); !ok {
		t.Error("the typed-confirmation field does not take the initial focus")
	}
	id, _ := input.Attr("id")
	r.wantText(scope+` label[for="`+id+`"]`, `To confirm this deletion, type "confirm".`)
	r.wantAbsent(scope + ` [data-testid="confirm-delete"][autofocus]`)
	r.wantAbsent(scope + ` [data-testid="confirm-cancel"][autofocus]`)
}

func TestDeleteClusterNeedsTheTypedWord(t *testing.T) {
	cs := newConsole(t, true)
	cs.clock.Advance(propagationDelay)
	c := cs.signedIn(t)

	detail := c.get("/clusters/sessions?region=us-east-1").wantStatus(http.StatusOK)
	wantTypedConfirmation(t, detail, testid("delete-dialog"))
	detail.wantText(testid("delete-dialog"), "Its data is lost")
	confirm := c.get("/clusters/sessions/delete?region=us-east-1").wantStatus(http.StatusOK)
	wantTypedConfirmation(t, confirm, ".confirm-page")

	for _, word := range []string{"", "sessions", "confirmed", "delete"} {
		r := landed(c, c.submit(confirm, testid("cluster-delete-form"), map[string]string{"confirm": word}))
		r.wantStatus(http.StatusUnprocessableEntity)
		r.wantPresent(`.confirm-page input[name="confirm"][aria-invalid="true"]`)
		r.wantText(testid("error-confirm"), `"confirm"`)
		if got := cs.mustCluster(t, "us-east-1", "sessions").Status; got != models.ClusterAvailable {
			t.Fatalf("after %q the cluster is %s: a wrong word deleted it", word, got)
		}
	}
	// The match ignores case and surrounding spaces.
	r := c.submit(confirm, testid("cluster-delete-form"), map[string]string{"confirm": " CONFIRM "})
	r.wantRedirect(http.StatusSeeOther, "/clusters?region=us-east-1")
	if got := cs.mustCluster(t, "us-east-1", "sessions").Status; got != models.ClusterDeleting {
		t.Fatalf("status %s after confirming, want deleting", got)
	}
}

func TestDeleteGroupWithAuthorizationsNeedsTheTypedWord(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)

	// reporting has one authorization: the typed word is asked for, in the dialog and on the page.
	detail := c.get("/security-groups/reporting").wantStatus(http.StatusOK)
	wantTypedConfirmation(t, detail, testid("delete-dialog"))
	confirm := c.get("/security-groups/reporting/delete").wantStatus(http.StatusOK)
	wantTypedConfirmation(t, confirm, ".confirm-page")

	for _, word := range []string{"", "reporting"} {
		r := landed(c, c.submit(confirm, ".confirm-page form", map[string]string{"confirm": word}))
		r.wantStatus(http.StatusUnprocessableEntity)
		r.wantText(testid("error-confirm"), `"confirm"`)
		if _, ok := cs.group(t, models.DefaultRegion, "reporting"); !ok {
			t.Fatalf("%q deleted the group", word)
		}
	}
	r := c.submit(confirm, ".confirm-page form", map[string]string{"confirm": "CONFIRM"})
	r.wantRedirect(http.StatusSeeOther, "/security-groups?region=us-east-1")
	if _, ok := cs.group(t, models.DefaultRegion, "reporting"); ok {
		t.Fatal("CONFIRM did not delete the group")
	}

	// A group without authorizations asks simply: no field, focus on Cancel, and no word needed.
	cs.createGroups(t, models.DefaultRegion, "scratch")
	confirm = c.get("/security-groups/scratch/delete").wantStatus(http.StatusOK)
	confirm.wantAbsent(`.confirm-page input[name="confirm"]`)
	confirm.wantPresent(`.confirm-page ` + testid("confirm-cancel") + `[autofocus]`)
	confirm.wantAbsent(`.confirm-page ` + testid("confirm-delete") + `[autofocus]`)
	c.submit(confirm, ".confirm-page form", nil).wantRedirect(http.StatusSeeOther, "/security-groups?region=us-east-1")
	if _, ok := cs.group(t, models.DefaultRegion, "scratch"); ok {
		t.Fatal("scratch was not deleted")
	}
}

func TestDeleteDialogOfAGroupInUseListsItsClusters(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	for _, target := range []string{"/security-groups/web-sessions", "/security-groups?selected=web-sessions"} {
		r := c.get(target).wantStatus(http.StatusOK)
		dlg := testid("delete-dialog")
		r.wantPresent(dlg + " " + testid("in-use-sessions") + `[href="/clusters/sessions?region=us-east-1"]`)
		r.wantText(dlg, "can't be deleted while clusters use it")
		r.wantAbsent(dlg + " " + testid("confirm-delete"))
		r.wantAbsent(dlg + ` input[name="confirm"]`)
		r.wantText(dlg+" "+testid("confirm-cancel"), "Close")
		r.wantPresent(testid("delete-button")) // it still opens the explanation
	}
	confirm := c.get("/security-groups/web-sessions/delete").wantStatus(http.StatusOK)
	confirm.wantText(".confirm-page", "can't be deleted while clusters use it")
	confirm.wantAbsent(".confirm-page form")
}

func TestRemoveAsksFirst(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	detail := c.get("/security-groups/reporting").wantStatus(http.StatusOK)
	g, _ := cs.group(t, models.DefaultRegion, "reporting")
	owner := g.EC2SecurityGroups[0].OwnerID
	row := testid("ec2-row-etl-workers")
	href := detail.attr(row+" "+testid("remove-etl-workers"), "href")
	u, err := url.Parse(href)
	if err != nil || u.Path != "/security-groups/reporting/authorizations/revoke" || u.Query().Get("ec2_security_group_name") != "etl-workers" ||
		u.Query().Get("ec2_security_group_owner_id") != owner || u.Query().Get("return_to") != "/security-groups/reporting?region=us-east-1" {
		t.Fatalf("Remove links to %q, want its confirmation page", href)
	}
	// The dialog posts the old contract: the same route and field names.
	dlg := row + " " + testid("revoke-dialog")
	detail.wantText(dlg+" "+testid("revoke-name"), "etl-workers")
	detail.wantPresent(dlg + ` form[action="/security-groups/reporting/authorizations/revoke?region=us-east-1"]`)
	detail.wantPresent(dlg + ` input[name="ec2_security_group_owner_id"][value="` + owner + `"]`)
	detail.wantPresent(dlg + " " + testid("confirm-cancel") + "[autofocus]")
	detail.wantText(dlg+" "+testid("confirm-delete"), "Remove")

	// Without JavaScript: a page with the same form; Cancel goes back.
	page := c.get(href).wantStatus(http.StatusOK)
	page.wantText("h1", "Remove EC2 security group")
	page.wantText(".confirm-page "+testid("revoke-name"), "etl-workers")
	if got := page.attr(".confirm-page "+testid("confirm-cancel"), "href"); got != "/security-groups/reporting?region=us-east-1" {
		t.Errorf("Cancel goes to %q", got)
	}
	if g, _ := cs.group(t, models.DefaultRegion, "reporting"); g.EC2SecurityGroups[0].Status != models.StatusAuthorized {
		t.Fatal("opening the confirmation changed the authorization")
	}
	r := c.submit(page, testid("revoke-form"), nil)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/security-groups/reporting?region=us-east-1") {
		t.Fatalf("Remove answered %d to %q", r.Status, r.Header.Get("Location"))
	}
	if g, _ := cs.group(t, models.DefaultRegion, "reporting"); g.EC2SecurityGroups[0].Status != models.StatusRevoking {
		t.Fatalf("after Remove: %+v, want revoking", g.EC2SecurityGroups)
	}
	// It can't be removed twice; an unknown entry is a 404 page saying so.
	c.get(href).wantStatus(http.StatusNotFound)
	missing := c.get("/security-groups/reporting/authorizations/revoke?ec2_security_group_name=nobody&ec2_security_group_owner_id=" + models.DefaultAccountID)
	missing.wantStatus(http.StatusNotFound)
	missing.wantText(testid("alert-error"), "nobody")
	missing.wantAbsent(".confirm-page form")
}

func TestEC2DeleteAndTerminateAskFirst(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	c.submit(c.get("/ec2/security-groups"), testid("create-ec2-group-form"), map[string]string{"name": "spare", "platform": "ec2-classic"}).
		wantStatus(http.StatusSeeOther)

	list := c.get("/ec2/security-groups").wantStatus(http.StatusOK)
	if got := list.attr(testid("delete-spare"), "href"); got != "/ec2/security-groups/spare/delete?region=us-east-1" {
		t.Fatalf("Delete links to %q", got)
	}
	list.wantText(testid("ec2-group-spare")+" "+testid("ec2-delete-dialog"), "Permanently delete EC2 security group spare?")
	list.wantPresent(testid("ec2-group-spare") + " " + testid("confirm-cancel") + "[autofocus]")
	page := c.get("/ec2/security-groups/spare/delete").wantStatus(http.StatusOK)
	page.wantText(".confirm-page "+testid("delete-name"), "spare")
	if _, ok := cs.ec2Groups(t, models.DefaultRegion)["spare"]; !ok {
		t.Fatal("the confirmation page deleted the group")
	}
	c.submit(page, testid("ec2-delete-form"), nil).wantRedirect(http.StatusSeeOther, "/ec2/security-groups?region=us-east-1")
	if _, ok := cs.ec2Groups(t, models.DefaultRegion)["spare"]; ok {
		t.Fatal("spare is still stored")
	}
	c.get("/ec2/security-groups/spare/delete").wantStatus(http.StatusNotFound)

	const id = "i-0a1b2c3d4e5f60003"
	instances := c.get("/ec2/instances").wantStatus(http.StatusOK)
	if got := instances.attr(testid("terminate-"+id), "href"); got != "/ec2/instances/"+id+"/delete?region=us-east-1" {
		t.Fatalf("Terminate links to %q", got)
	}
	instances.wantText(testid("instance-"+id)+" "+testid("instance-terminate-dialog")+" "+testid("confirm-delete"), "Terminate")
	page = c.get("/ec2/instances/" + id + "/delete").wantStatus(http.StatusOK)
	page.wantText("h1", "Terminate instance")
	page.wantText(".confirm-page "+testid("delete-name"), id)
	page.wantPresent(".confirm-page " + testid("confirm-cancel") + `[href="/ec2/instances?region=us-east-1"][autofocus]`)
	c.submit(page, testid("instance-terminate-form"), nil).wantRedirect(http.StatusSeeOther, "/ec2/instances?region=us-east-1")
	if _, err := cs.store.GetEC2Instance(context.Background(), scopeOf(models.DefaultRegion), id); !models.HasCode(err, "InvalidInstanceID.NotFound") {
		t.Fatalf("after Terminate: %v, want the instance gone", err)
	}
	c.get("/ec2/instances/" + id + "/delete").wantStatus(http.StatusNotFound)
}

func TestInProgressFlashCarriesItsDoneText(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	page := c.get("/security-groups/staging")
	r := c.submit(page, testid("authorize-form"), map[string]string{"ec2_security_group_name": "bastion"})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("Add answered %d", r.Status)
	}
	pending := c.follow(r)
	flash := pending.wantPresent(testid("flash"))
	if kind, _ := flash.Attr("data-flash-kind"); kind != models.FlashInProgress {
		t.Fatalf("flash kind %q while authorizing, want in-progress", kind)
	}
	if !flash.HasClass("flash--info") || flash.Find(".flash__spinner").Length() != 1 {
		t.Error("the in-progress flash is not info-coloured with a spinner")
	}
	pending.wantText(testid("flash"), "Authorizing EC2 security group bastion (owner "+models.DefaultAccountID+") in staging.")
	if done, _ := flash.Attr("data-done-text"); done != "Authorized EC2 security group bastion (owner "+models.DefaultAccountID+") in staging." {
		t.Errorf("done text %q", done)
	}
	if pending.attr("body", "data-pending") != "true" {
		t.Fatal("the page does not poll while authorizing")
	}

	// Seen after the work settled (a slow redirect, or no JavaScript), it is already the success.
	r = c.submit(c.get("/security-groups/staging"), testid("authorize-form"), map[string]string{"ec2_security_group_name": "web-servers"})
	cs.clock.Advance(propagationDelay)
	settled := c.follow(r)
	settled.wantPresent(testid("flash") + `.flash--success[data-flash-kind="success"]`)
	settled.wantText(testid("flash"), "Authorized EC2 security group web-servers (owner "+models.DefaultAccountID+") in staging.")
	settled.wantAbsent(testid("flash") + " .flash__spinner")

	// Remove, cluster delete and modify say the same way what they are doing and what they did.
	g, _ := cs.group(t, models.DefaultRegion, "staging")
	revoke := c.submit(c.get("/security-groups/staging/authorizations/revoke?ec2_security_group_name=bastion&ec2_security_group_owner_id="+g.OwnerID),
		testid("revoke-form"), nil)
	removing := c.follow(revoke)
	removing.wantPresent(testid("flash") + `[data-flash-kind="in-progress"][data-done-text="Removed EC2 security group bastion (owner ` + g.OwnerID + `) from staging."]`)
	del := c.submit(c.get("/clusters/sessions/delete"), testid("cluster-delete-form"), map[string]string{"confirm": "confirm"})
	c.follow(del).wantPresent(testid("flash") + `[data-flash-kind="in-progress"][data-done-text="Deleted cache cluster sessions."]`)
}

func TestEveryFlashCanBeDismissed(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	c.submit(c.get("/security-groups/new"), testid("create-form"), map[string]string{"name": "fresh", "description": "New"}).
		wantStatus(http.StatusSeeOther)
	page := c.get("/security-groups/fresh")
	form := testid("flash") + ` form[action="/flash/dismiss"]`
	page.wantPresent(form + ` button[aria-label="Dismiss notification"]`)
	page.wantPresent(form + ` input[name="return_to"][value="/security-groups/fresh"]`)

	// Without JavaScript the form goes back to the same page, where the one-time flash is gone.
	r := c.submit(page, form, nil)
	r.wantRedirect(http.StatusSeeOther, "/security-groups/fresh")
	c.follow(r).wantAbsent(testid("flash"))
	// The script's request gets no page, and nothing leads off the console.
	c.post("/flash/dismiss", url.Values{"_csrf": {page.csrfToken()}, "return_to": {"/security-groups"}}, http.Header{"X-Requested-With": {"fetch"}}).
		wantStatus(http.StatusNoContent)
	c.post("/flash/dismiss", url.Values{"_csrf": {page.csrfToken()}, "return_to": {"https://evil.example/"}}, nil).
		wantRedirect(http.StatusSeeOther, "/security-groups")
	c.post("/flash/dismiss", url.Values{"return_to": {"/security-groups"}}, nil).wantStatus(http.StatusForbidden)
}

// TestNoConfirmationFocusesItsAction walks the pages with confirmations: no dialog or confirmation
// page starts with focus on the button that acts, so Enter alone never deletes.
func TestNoConfirmationFocusesItsAction(t *testing.T) {
	cs := newConsole(t, true)
	cs.clock.Advance(propagationDelay)
	c := cs.signedIn(t)
	c.submit(c.get("/security-credentials"), testid("create-key-form"), nil)
	pages := []string{"/security-groups?selected=reporting", "/security-groups/reporting", "/security-groups/staging",
		"/security-groups/web-sessions", "/clusters/sessions", "/ec2/security-groups", "/ec2/instances", "/security-credentials", "/users",
		"/security-groups/reporting/delete", "/security-groups/staging/delete", "/clusters/sessions/delete",
		"/ec2/security-groups/bastion/delete", "/ec2/instances/i-0a1b2c3d4e5f60003/delete"}
	dialogs := 0
	for _, target := range pages {
		r := c.get(target).wantStatus(http.StatusOK)
		r.wantAbsent(`button[type="submit"][autofocus]`)
		dialogs += r.find("dialog").Length()
		r.find("dialog form, .confirm-page form").Each(func(_ int, form *goquery.Selection) {
			if form.Find("[autofocus]").Length() != 1 {
				t.Errorf("%s: a confirmation without exactly one initial focus (the field or Cancel)", target)
			}
		})
	}
	if dialogs < 8 {
		t.Fatalf("only %d dialogs on the pages: the walk saw too few confirmations", dialogs)
	}
}
