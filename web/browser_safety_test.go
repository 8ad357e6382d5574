package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"sgconsole/models"
)

// safetyWait waits until a JavaScript expression is true in the page.
func safetyWait(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	must(t, ctx, what, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(15*time.Second)))
}

// safetyEval returns the value of a JavaScript expression.
// safetyFocus waits up to five seconds for focus to reach the element with data-testid want and
// returns where it is: autofocus and focus moves land after load, later on a busy machine.
func safetyFocus(t *testing.T, ctx context.Context, want string) string {
	t.Helper()
	got := ""
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[*string](safetyActive))
		if err != nil {
			t.Fatalf("evaluate %s: %v", safetyActive, err)
		}
		if got = ""; v != nil {
			got = *v
		}
		if got == want || time.Now().After(deadline) {
			return got
		}
	}
}

func safetyEval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

const (
	safetyActive = `document.activeElement && document.activeElement.getAttribute('data-testid')`
	// safetyMark puts a mark on the window that a reload would wipe.
	safetyMark        = `window.sgNoReload = true`
	safetyNotReloaded = `window.sgNoReload === true`
)

// TestBrowserTypedConfirmation deletes a cluster the Cloudscape way: the dialog opens with focus in
// the "confirm" field (never on Delete), Delete stays disabled until the word is typed, a wrong
// word forced through is refused by the server, and the in-progress flash of the delete becomes
// a success without a reload.
func TestBrowserTypedConfirmation(t *testing.T) {
	srv, store, clock := newConsoleStore(t, true)
	clock.Advance(models.DefaultPropagationDelay)
	ctx := newBrowser(t)
	signIn(t, ctx, srv)
	scope := models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}
	dialog := `[data-testid="delete-dialog"]`

	must(t, ctx, "open the cluster's delete dialog",
		chromedp.Navigate(srv.URL+"/clusters/sessions?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="delete-button"]`)),
		chromedp.Click(css(`[data-testid="delete-button"]`)),
		chromedp.WaitVisible(css(dialog)),
	)
	if got := safetyFocus(t, ctx, "confirm-input"); got != "confirm-input" {
		t.Fatalf("focus on %q when the dialog opens, want the confirm field", got)
	}
	wantContains(t, "dialog", text(t, ctx, dialog), `To confirm this deletion, type "confirm".`)
	if !safetyEval[bool](t, ctx, `document.querySelector('`+dialog+` [data-testid="confirm-delete"]').disabled`) {
		t.Fatal("Delete is enabled before anything is typed")
	}
	screenshot(t, ctx, "delete-cluster-dialog")
	// Enter in the empty field deletes nothing.
	must(t, ctx, "press Enter", chromedp.KeyEvent("\r"))
	must(t, ctx, "type part of the word", chromedp.SendKeys(css(dialog+` input[name="confirm"]`), "conf"))
	if !safetyEval[bool](t, ctx, `document.querySelector('`+dialog+` [data-testid="confirm-delete"]').disabled`) {
		t.Fatal("Delete is enabled with half the word")
	}
	must(t, ctx, "finish the word in capitals",
		chromedp.SendKeys(css(dialog+` input[name="confirm"]`), "IRM"),
		chromedp.WaitEnabled(css(dialog+` [data-testid="confirm-delete"]`)),
	)
	// Esc closes the dialog and gives focus back to Delete on the page; the word is not kept.
	must(t, ctx, "Esc", chromedp.KeyEvent("\x1b"), chromedp.WaitNotVisible(css(dialog)))
	if got := safetyFocus(t, ctx, "delete-button"); got != "delete-button" {
		t.Fatalf("focus on %q after Esc, want the Delete button that opened the dialog", got)
	}
	if c, _ := store.GetCluster(context.Background(), scope, "sessions"); c.Status != models.ClusterAvailable {
		t.Fatalf("cluster %s before confirming", c.Status)
	}

	// A wrong word forced past the disabled button is refused by the server.
	must(t, ctx, "force a wrong word",
		chromedp.Click(css(`[data-testid="delete-button"]`)),
		chromedp.WaitVisible(css(dialog)),
		chromedp.SendKeys(css(dialog+` input[name="confirm"]`), "sessions"),
	)
	if !safetyEval[bool](t, ctx, `document.querySelector('`+dialog+` [data-testid="confirm-delete"]').disabled`) {
		t.Fatal("Delete is enabled with a wrong word")
	}
	must(t, ctx, "submit anyway",
		chromedp.Evaluate[chromedp.Void](`(() => { const b = document.querySelector('`+dialog+` [data-testid="confirm-delete"]'); b.disabled = false; b.removeAttribute('disabled'); b.click(); })()`),
		chromedp.WaitVisible(css(`[data-testid="error-confirm"]`)),
	)
	wantContains(t, "server's error", text(t, ctx, `[data-testid="error-confirm"]`), `"confirm"`)
	if c, _ := store.GetCluster(context.Background(), scope, "sessions"); c.Status != models.ClusterAvailable {
		t.Fatalf("a wrong word left the cluster %s", c.Status)
	}
	if got := safetyFocus(t, ctx, "confirm-input"); got != "confirm-input" {
		t.Fatalf("focus on %q after the refusal, want the field with the error", got)
	}
	screenshot(t, ctx, "delete-cluster-refused")

	// The word, then Enter, deletes; the flash says so while it is deleting and once it is gone.
	must(t, ctx, "type confirm and press Enter",
		chromedp.SendKeys(css(`.confirm-page input[name="confirm"]`), "confirm"),
		chromedp.WaitEnabled(css(`.confirm-page [data-testid="confirm-delete"]`)),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(css(`[data-testid="flash"][data-flash-kind="in-progress"]`)),
	)
	wantContains(t, "in-progress flash", text(t, ctx, `[data-testid="flash"]`), "Deleting cache cluster sessions.")
	must(t, ctx, "mark the page", chromedp.Evaluate[chromedp.Void](safetyMark))
	clock.Advance(models.DefaultPropagationDelay)
	safetyWait(t, ctx, "the flash turns into a success", `!!document.querySelector('[data-testid="flash"].flash--success[data-flash-kind="success"]')`)
	wantContains(t, "success flash", text(t, ctx, `[data-testid="flash"]`), "Deleted cache cluster sessions.")
	if !safetyEval[bool](t, ctx, safetyNotReloaded) {
		t.Fatal("the page reloaded to show the success")
	}
	if !strings.Contains(safetyEval[string](t, ctx, `document.querySelector('[data-testid="flash"] [role="status"]').textContent`), "Deleted cache cluster sessions.") {
		t.Fatal("the changed flash is not announced (role=status)")
	}
}

// TestBrowserSimpleConfirmations: Remove asks first and Cancel keeps the row; a group with
// authorizations asks for the typed word; a group in use explains itself without a Delete.
func TestBrowserSimpleConfirmations(t *testing.T) {
	srv, clock := newConsole(t, true)
	ctx := newBrowser(t)
	signIn(t, ctx, srv)
	dialog := `[data-testid="ec2-row-etl-workers"] [data-testid="revoke-dialog"]`

	must(t, ctx, "Remove etl-workers from reporting",
		chromedp.Navigate(srv.URL+"/security-groups/reporting?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="remove-etl-workers"]`)),
		chromedp.Click(css(`[data-testid="remove-etl-workers"]`)),
		chromedp.WaitVisible(css(dialog)),
	)
	wantContains(t, "dialog", text(t, ctx, dialog), "Remove EC2 security group etl-workers")
	if got := safetyFocus(t, ctx, "confirm-cancel"); got != "confirm-cancel" {
		t.Fatalf("focus on %q, want Cancel", got)
	}
	screenshot(t, ctx, "remove-dialog")
	must(t, ctx, "Enter on Cancel", chromedp.KeyEvent("\r"), chromedp.WaitNotVisible(css(dialog)))
	if got := safetyFocus(t, ctx, "remove-etl-workers"); got != "remove-etl-workers" {
		t.Fatalf("focus on %q after Cancel, want Remove", got)
	}
	wantContains(t, "row after Cancel", text(t, ctx, `[data-testid="ec2-row-etl-workers"] [data-testid="status"]`), "authorized")

	must(t, ctx, "Remove for real",
		chromedp.Click(css(`[data-testid="remove-etl-workers"]`)),
		chromedp.WaitVisible(css(dialog)),
		chromedp.Click(css(dialog+` [data-testid="confirm-delete"]`)),
		chromedp.WaitVisible(css(`[data-testid="flash"][data-flash-kind="in-progress"]`)),
	)
	wantContains(t, "in-progress flash", text(t, ctx, `[data-testid="flash"]`), "Revoking EC2 security group etl-workers")
	wantContains(t, "row", text(t, ctx, `[data-testid="ec2-row-etl-workers"] [data-testid="status"]`), "revoking")
	if !safetyEval[bool](t, ctx, `!!document.querySelector('[data-testid="flash"] .flash__spinner')`) {
		t.Fatal("the in-progress flash has no spinner")
	}
	must(t, ctx, "mark the page", chromedp.Evaluate[chromedp.Void](safetyMark))
	clock.Advance(models.DefaultPropagationDelay)
	safetyWait(t, ctx, "the flash turns into a success", `!!document.querySelector('[data-testid="flash"].flash--success')`)
	wantContains(t, "success flash", text(t, ctx, `[data-testid="flash"]`), "Removed EC2 security group etl-workers")
	if !safetyEval[bool](t, ctx, safetyNotReloaded) || safetyEval[bool](t, ctx, `!!document.querySelector('[data-testid="flash"] .flash__spinner:not([hidden])') && getComputedStyle(document.querySelector('[data-testid="flash"] [data-flash-icon="in-progress"]')).display !== 'none'`) {
		t.Fatal("the success came with a reload, or still shows the spinner")
	}

	// web-sessions is used by a cluster: the dialog lists it and has no Delete.
	must(t, ctx, "open the delete dialog of a group in use",
		chromedp.Navigate(srv.URL+"/security-groups/web-sessions?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="delete-button"]`)),
		chromedp.Click(css(`[data-testid="delete-button"]`)),
		chromedp.WaitVisible(css(`[data-testid="delete-dialog"]`)),
	)
	wantContains(t, "in-use dialog", text(t, ctx, `[data-testid="delete-dialog"] [data-testid="delete-in-use"]`), "sessions")
	if safetyEval[bool](t, ctx, `!!document.querySelector('[data-testid="delete-dialog"] [data-testid="confirm-delete"]')`) {
		t.Fatal("the dialog of a group in use offers Delete")
	}
	if got := safetyFocus(t, ctx, "confirm-cancel"); got != "confirm-cancel" {
		t.Fatalf("focus on %q, want Close", got)
	}
	screenshot(t, ctx, "delete-in-use-dialog")
}

// TestBrowserFlashes: Add shows an in-progress flash that becomes a success without a reload;
// every flash is dismissed with its X and focus moves on as in Cloudscape (next flash, then h1).
func TestBrowserFlashes(t *testing.T) {
	srv, clock := newConsole(t, true)
	ctx := newBrowser(t)
	signIn(t, ctx, srv)
	must(t, ctx, "authorize bastion in staging",
		chromedp.Navigate(srv.URL+"/security-groups/staging?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="authorize-form"]`)),
		chromedp.SendKeys(css(`#ec2-name-staging`), "bastion"),
		chromedp.Click(css(`[data-testid="authorize-add"]`)),
		chromedp.WaitVisible(css(`[data-testid="flash"][data-flash-kind="in-progress"]`)),
	)
	wantContains(t, "in-progress flash", text(t, ctx, `[data-testid="flash"]`), "Authorizing EC2 security group bastion (owner "+models.DefaultAccountID+") in staging.")
	screenshot(t, ctx, "flash-in-progress")
	must(t, ctx, "mark the page", chromedp.Evaluate[chromedp.Void](safetyMark))
	clock.Advance(models.DefaultPropagationDelay)
	safetyWait(t, ctx, "the flash turns into a success", `!!document.querySelector('[data-testid="flash"].flash--success')`)
	wantContains(t, "success flash", text(t, ctx, `[data-testid="flash"]`), "Authorized EC2 security group bastion (owner "+models.DefaultAccountID+") in staging.")
	if !safetyEval[bool](t, ctx, safetyNotReloaded) {
		t.Fatal("the page reloaded")
	}
	screenshot(t, ctx, "flash-success")

	// Dismiss: the flash goes, focus moves to the next flash (the banner's X), then to the h1.
	must(t, ctx, "dismiss the flash",
		chromedp.Click(css(`[data-testid="dismiss-flash"]`)),
		chromedp.WaitNotPresent(css(`[data-testid="flash"]`)),
	)
	if got := safetyFocus(t, ctx, "dismiss-banner"); got != "dismiss-banner" {
		t.Fatalf("focus on %q after dismissing the flash, want the next flash's dismiss button", got)
	}
	if !safetyEval[bool](t, ctx, safetyNotReloaded) {
		t.Fatal("dismissing reloaded the page")
	}
	must(t, ctx, "dismiss the banner",
		chromedp.Click(css(`[data-testid="dismiss-banner"]`)),
		chromedp.WaitNotPresent(css(`[data-testid="retirement-banner"]`)),
	)
	if got := safetyEval[string](t, ctx, `document.activeElement.tagName`); got != "H1" {
		t.Fatalf("focus on %s after the last dismiss, want the h1", got)
	}

	// An in-progress flash can be dismissed too, and a reload does not bring a flash back.
	must(t, ctx, "remove bastion and dismiss its in-progress flash",
		chromedp.Click(css(`[data-testid="remove-bastion"]`)),
		chromedp.WaitVisible(css(`[data-testid="revoke-dialog"]`)),
		chromedp.Click(css(`[data-testid="revoke-dialog"] [data-testid="confirm-delete"]`)),
		chromedp.WaitVisible(css(`[data-testid="flash"][data-flash-kind="in-progress"]`)),
		chromedp.Click(css(`[data-testid="dismiss-flash"]`)),
		chromedp.WaitNotPresent(css(`[data-testid="flash"]`)),
		chromedp.Reload(),
		chromedp.WaitVisible(css(`[data-testid="authorize-form"]`)),
	)
	if safetyEval[bool](t, ctx, `!!document.querySelector('[data-testid="flash"]')`) {
		t.Fatal("a dismissed flash came back on reload")
	}
}

// TestBrowserConfirmationsWithoutJavaScript: with scripts off, Remove, Terminate and a typed delete
// each lead to a confirmation page, Cancel goes back without acting, and a flash is dismissed by
// its form.
func TestBrowserConfirmationsWithoutJavaScript(t *testing.T) {
	srv, store, _ := newConsoleStore(t, true)
	ctx := newBrowser(t)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
	signIn(t, ctx, srv)
	scope := models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}

	must(t, ctx, "Remove leads to its confirmation page",
		chromedp.Navigate(srv.URL+"/security-groups/reporting?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="remove-etl-workers"]`)),
		chromedp.Click(css(`[data-testid="remove-etl-workers"]`)),
		chromedp.WaitVisible(css(`.confirm-page [data-testid="revoke-form"]`)),
	)
	wantContains(t, "confirmation page", text(t, ctx, `.confirm-page`), "Remove EC2 security group etl-workers")
	if got := safetyFocus(t, ctx, "confirm-cancel"); got != "confirm-cancel" {
		t.Fatalf("focus on %q on the confirmation page, want Cancel", got)
	}
	must(t, ctx, "Cancel goes back",
		chromedp.Click(css(`.confirm-page [data-testid="confirm-cancel"]`)),
		chromedp.WaitVisible(css(`[data-testid="ec2-row-etl-workers"]`)),
	)
	if g, _ := store.GetSecurityGroup(context.Background(), scope, "reporting"); len(g.EC2SecurityGroups) != 1 || g.EC2SecurityGroups[0].Status != models.StatusAuthorized {
		t.Fatalf("Cancel changed the group: %+v", g.EC2SecurityGroups)
	}
	must(t, ctx, "Remove for real and dismiss the flash with its form",
		chromedp.Click(css(`[data-testid="remove-etl-workers"]`)),
		chromedp.WaitVisible(css(`.confirm-page [data-testid="revoke-form"]`)),
		chromedp.Click(css(`.confirm-page [data-testid="confirm-delete"]`)),
		chromedp.WaitVisible(css(`[data-testid="flash"][data-flash-kind="in-progress"]`)),
		chromedp.Click(css(`[data-testid="dismiss-flash"]`)),
		chromedp.WaitVisible(css(`[data-testid="ec2-row-etl-workers"]`)),
		chromedp.WaitNotPresent(css(`[data-testid="flash"]`)),
	)
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	wantContains(t, "dismiss stays on the page", loc, "/security-groups/reporting")

	// The typed word, checked by the server: a wrong one is refused next to the field.
	must(t, ctx, "delete reporting with a wrong word",
		chromedp.Navigate(srv.URL+"/security-groups/reporting/delete?region=us-east-1"),
		chromedp.WaitVisible(css(`.confirm-page input[name="confirm"]`)),
		chromedp.SendKeys(css(`.confirm-page input[name="confirm"]`), "yes"),
		chromedp.Click(css(`.confirm-page [data-testid="confirm-delete"]`)),
		chromedp.WaitVisible(css(`[data-testid="error-confirm"]`)),
	)
	if _, err := store.GetSecurityGroup(context.Background(), scope, "reporting"); err != nil {
		t.Fatalf("a wrong word deleted the group: %v", err)
	}
	must(t, ctx, "Terminate leads to its confirmation page",
		chromedp.Navigate(srv.URL+"/ec2/instances?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="terminate-i-0a1b2c3d4e5f60003"]`)),
		chromedp.Click(css(`[data-testid="terminate-i-0a1b2c3d4e5f60003"]`)),
		chromedp.WaitVisible(css(`.confirm-page [data-testid="instance-terminate-form"]`)),
		chromedp.Click(css(`.confirm-page [data-testid="confirm-delete"]`)),
		chromedp.WaitVisible(css(`[data-testid="flash"]`)),
	)
	wantContains(t, "flash", text(t, ctx, `[data-testid="flash"]`), "Terminated instance i-0a1b2c3d4e5f60003.")
}

// TestBrowserSafetyAccessibility runs axe-core on what this area adds: the typed-confirmation
// dialog, the simple Remove dialog, the refused confirmation page with its error, and the
// in-progress and success flashes.
func TestBrowserSafetyAccessibility(t *testing.T) {
	src := axeSource(t)
	srv, clock := newConsole(t, true)
	clock.Advance(models.DefaultPropagationDelay)
	ctx := newBrowser(t)
	signIn(t, ctx, srv)

	must(t, ctx, "open the cluster's delete dialog",
		chromedp.Navigate(srv.URL+"/clusters/sessions?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="delete-button"]`)),
		chromedp.Click(css(`[data-testid="delete-button"]`)),
		chromedp.WaitVisible(css(`[data-testid="delete-dialog"]`)),
	)
	reportAxe(t, "typed-confirmation dialog", runAxe(t, ctx, src))
	must(t, ctx, "force a wrong word",
		chromedp.SendKeys(css(`[data-testid="delete-dialog"] input[name="confirm"]`), "nope"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="delete-dialog"] form').submit()`),
		chromedp.WaitVisible(css(`[data-testid="error-confirm"]`)),
	)
	reportAxe(t, "refused confirmation page", runAxe(t, ctx, src))

	must(t, ctx, "open a Remove dialog",
		chromedp.Navigate(srv.URL+"/security-groups/reporting?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="remove-etl-workers"]`)),
		chromedp.Click(css(`[data-testid="remove-etl-workers"]`)),
		chromedp.WaitVisible(css(`[data-testid="revoke-dialog"]`)),
	)
	reportAxe(t, "Remove dialog", runAxe(t, ctx, src))
	must(t, ctx, "Remove",
		chromedp.Click(css(`[data-testid="revoke-dialog"] [data-testid="confirm-delete"]`)),
		chromedp.WaitVisible(css(`[data-testid="flash"][data-flash-kind="in-progress"]`)),
	)
	reportAxe(t, "in-progress flash", runAxe(t, ctx, src))
	clock.Advance(models.DefaultPropagationDelay)
	safetyWait(t, ctx, "the success", `!!document.querySelector('[data-testid="flash"].flash--success')`)
	reportAxe(t, "success flash", runAxe(t, ctx, src))
}
