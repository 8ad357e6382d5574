package web

import (
	"net/http"
	"strings"
	"testing"

	"sgconsole/models"
)

// TestRedirectsLandWhereTheUserActed: after a POST the redirect carries the place to land on: the
// changed row for Add and Remove (in the list's split panel or on the detail page), the flash
// elsewhere; the page has elements with those ids.
func TestRedirectsLandWhereTheUserActed(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	row := "#ec2-row-bastion-" + models.DefaultAccountID

	list := c.get("/security-groups?region=us-east-1&selected=staging").wantStatus(http.StatusOK)
	if href := list.attr(testid("select-reporting"), "href"); !strings.HasSuffix(href, "selected=reporting#split-panel") {
		t.Errorf("selection link %q does not jump to the split panel", href)
	}
	list.wantPresent(`section#split-panel` + testid("split-panel"))
	panelForm := testid("split-panel") + " " + testid("authorize-form")
	returnTo := list.attr(panelForm+` input[name="return_to"]`, "value")
	added := c.submit(list, panelForm, map[string]string{"ec2_security_group_name": "bastion"})
	added.wantRedirect(http.StatusSeeOther, returnTo+row)
	back := c.follow(added).wantStatus(http.StatusOK)
	back.wantPresent(`tr` + row + testid("ec2-row-bastion"))
	back.wantPresent(`li#flash` + testid("flash"))

	detail := c.get("/security-groups/reporting?region=us-east-1").wantStatus(http.StatusOK)
	detail.wantPresent(`form#authorize-form`)
	r := c.submit(detail, testid("authorize-form"), map[string]string{"ec2_security_group_name": "bastion"})
	r.wantRedirect(http.StatusSeeOther, "/security-groups/reporting?region=us-east-1"+row)

	created := c.submit(c.get("/security-groups/new?region=us-east-1"), testid("create-form"), map[string]string{"name": "landing", "description": "Lands on the flash"})
	created.wantRedirect(http.StatusSeeOther, "/security-groups/landing?region=us-east-1#flash")
	// A failed submit goes back to its form (and its invalid field), not to a row or the flash.
	if loc := c.submit(detail, testid("authorize-form"), map[string]string{"ec2_security_group_name": ""}).Header.Get("Location"); strings.Contains(loc, "#ec2-row-") || strings.Contains(loc, "#flash") {
		t.Errorf("a failed Add redirects to %q, as if it had worked", loc)
	}
}
