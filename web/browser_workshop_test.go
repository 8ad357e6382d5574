package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"sgconsole/models"
)

// labStepStates reads data-step-state of every step of the lab page in the tab.
func labStepStates(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return rolesEval[[]string](t, ctx, `Array.from(document.querySelectorAll('.lab-steps > li[data-step]')).map(li => li.dataset.stepState)`)
}

// TestBrowserWorkshop: a trainee works through lab 1 in one browser window while the lab's page,
// open in another, turns each step's mark done without a reload; the instructor's dashboard, open
// in a third browser as the admin, shows the check marks as they come. (Separate browsers rather
// than tabs of one: with this Chromium, chromedp's second tabs stop answering after their second
// navigation.)
func TestBrowserWorkshop(t *testing.T) {
	srv, store, _ := newConsoleStore(t, false)
	_, creds, err := store.CreateWorkshop(context.Background(), models.NewWorkshop{Name: "browser-class", Trainees: 2,
		ConsoleURL: srv.URL, Labs: models.BuiltinLabs()})
	if err != nil {
		t.Fatal(err)
	}
	trainee := creds[0]

	// The instructor opens the dashboard first, as the admin.
	instructor := newBrowser(t)
	signIn(t, instructor, srv)
	must(t, instructor, "open the dashboard",
		chromedp.Click(css(`[data-testid="nav-workshops"]`)),
		chromedp.WaitVisible(css(`[data-testid="workshop-browser-class"]`)),
		chromedp.Click(css(`[data-testid="workshop-browser-class"] [data-testid="workshop-link"]`)),
		chromedp.WaitVisible(css(`[data-testid="dashboard"]`)),
	)
	rolesEval[bool](t, instructor, `window.sgDashboardLoaded = true`) // gone if the page reloads
	firstCell := `tr[data-trainee="` + trainee.Username + `"] td[data-step-state]`
	if state := rolesEval[string](t, instructor, `document.querySelector('`+firstCell+`').dataset.stepState`); state != "todo" {
		t.Fatalf("first cell of %s before the lab: %s", trainee.Username, state)
	}

	// The trainee signs in and opens lab 1 from the navigation pane.
	learner := newBrowser(t)
	browserSignInAs(t, learner, srv, trainee.Username, trainee.Password)
	must(t, learner, "open lab 1",
		chromedp.Click(css(`[data-testid="nav-labs"]`)),
		chromedp.WaitVisible(css(`[data-testid="labs-table"]`)),
		chromedp.Click(css(`[data-testid="lab-row-creating-a-security-group"] [data-testid="lab-link"]`)),
		chromedp.WaitVisible(css(`[data-testid="lab-steps"]`)),
	)
	if got := labStepStates(t, learner); len(got) != 3 || got[0] != "todo" || got[1] != "todo" || got[2] != "todo" {
		t.Fatalf("lab 1 before starting: %v", got)
	}
	wantContains(t, "what step 1 looks for", text(t, learner, `[data-testid="step-1"] [data-testid="step-detail"]`), "training-cache")
	rolesEval[bool](t, learner, `window.sgLabLoaded = true`) // gone if the page reloads

	// The trainee works in a second window, following the steps.
	work := newBrowser(t)
	browserSignInAs(t, work, srv, trainee.Username, trainee.Password)
	create := func(region, name, description string) {
		t.Helper()
		must(t, work, "create "+name+" in "+region,
			chromedp.Navigate(srv.URL+"/security-groups?region="+region),
			chromedp.WaitVisible(css(`[data-testid="create-button"]`)),
			chromedp.Click(css(`[data-testid="create-button"]`)),
			chromedp.WaitVisible(css(`[data-testid="create-form"]`)),
			chromedp.SendKeys(css(`#sg-name`), name),
			chromedp.SendKeys(css(`#sg-description`), description),
			chromedp.Click(css(`[data-testid="create-submit"]`)),
			chromedp.WaitVisible(css(`[data-testid="group-details"]`)),
		)
	}
	waitDone := func(step string) {
		t.Helper()
		must(t, learner, "step "+step+" turns done on the open lab page",
			chromedp.WaitVisible(css(`[data-testid="step-`+step+`"][data-step-state="done"] .lab-mark--done`)))
		if !rolesEval[bool](t, learner, `window.sgLabLoaded === true`) {
			t.Fatal("the lab page reloaded; the marks must change in place")
		}
	}

	create("us-east-1", "training-cache", "Cache for the training web tier")
	waitDone("1")
	if got := labStepStates(t, learner); got[1] != "todo" || got[2] != "todo" {
		t.Fatalf("after step 1: %v", got)
	}
	if said := rolesEval[string](t, learner, `document.querySelector('[data-testid="lab-announcer"]').textContent`); said != "Step 1 done: Create a security group." {
		t.Errorf("announcement %q", said)
	}
	wantContains(t, "count", text(t, learner, `[data-testid="lab-count"]`), "1 of 3 steps done")
	if !rolesEval[bool](t, learner, `document.querySelector('[data-testid="step-1"] [data-testid="step-detail"]').hidden`) {
		t.Error("step 1 still shows what its check looks for")
	}

	// The dashboard follows without a reload.
	must(t, instructor, "the dashboard shows the check mark", chromedp.WaitVisible(css(firstCell+`.cell--done`)))
	if !rolesEval[bool](t, instructor, `window.sgDashboardLoaded === true`) {
		t.Fatal("the dashboard reloaded; it must update in place")
	}
	if mark := rolesEval[string](t, instructor, `getComputedStyle(document.querySelector('`+firstCell+`'), '::before').backgroundImage`); !strings.Contains(mark, "svg") {
		t.Errorf("the done cell draws no check mark (::before background %q)", mark)
	}
	wantContains(t, "total of step 1", text(t, instructor, `[data-testid="total-creating-a-security-group/1"]`), "1 of 2 done")

	create("us-east-1", "Training-Reports", "Reports for the training team")
	waitDone("2")
	create("us-west-2", "training-cache", "Cache for the training web tier")
	waitDone("3")
	must(t, learner, "the lab says it is complete", chromedp.WaitVisible(css(`[data-testid="lab-complete"]`)))
	wantContains(t, "count", text(t, learner, `[data-testid="lab-count"]`), "3 of 3 steps done")
	screenshot(t, learner, "lab")

	must(t, instructor, "the dashboard shows lab 1 done",
		chromedp.WaitVisible(css(`tr[data-trainee="`+trainee.Username+`"] td.cell--done:nth-child(6)`)))
	states := rolesEval[[]string](t, instructor, `Array.from(document.querySelectorAll('`+firstCell+`')).slice(0, 4).map(td => td.dataset.stepState)`)
	if len(states) != 4 || states[0] != "done" || states[1] != "done" || states[2] != "done" || states[3] != "todo" {
		t.Errorf("dashboard row of %s: %v, want lab 1's three steps done and lab 2's first not", trainee.Username, states)
	}
	if other := rolesEval[int](t, instructor, `document.querySelectorAll('tr[data-trainee="`+creds[1].Username+`"] td.cell--done').length`); other != 0 {
		t.Errorf("%s has %d done cells without doing anything", creds[1].Username, other)
	}
	wantContains(t, "activity", text(t, instructor, `tr[data-trainee="`+trainee.Username+`"] [data-testid="last-activity"]`), "Just now")
	screenshot(t, instructor, "workshop-dashboard")

	// The instructor resets the trainee's sandbox through the row's confirmation dialog; the
	// trainee's open lab page goes back to the start by itself.
	must(t, instructor, "open the reset dialog of "+trainee.Username,
		chromedp.Click(css(`tr[data-trainee="`+trainee.Username+`"] [data-testid="reset-sandbox"]`)),
		chromedp.WaitVisible(css(`[data-testid="reset-trainee-dialog"]`)),
	)
	wantContains(t, "the dialog names the trainee", text(t, instructor, `[data-testid="reset-trainee-name"]`), trainee.Username)
	must(t, instructor, "confirm the reset",
		chromedp.Click(css(`[data-testid="reset-trainee-dialog"] [data-testid="confirm-reset"]`)),
		chromedp.WaitVisible(css(`[data-testid="flash"]`)),
	)
	wantContains(t, "flash", text(t, instructor, `[data-testid="flash"]`), "The sandbox of "+trainee.Username+" is back to its starting data.")
	if done := rolesEval[int](t, instructor, `document.querySelectorAll('td.cell--done').length`); done != 0 {
		t.Errorf("%d done cells after the reset", done)
	}
	must(t, learner, "the lab page goes back to the start",
		chromedp.WaitVisible(css(`[data-testid="step-3"][data-step-state="todo"] .lab-mark--todo`)),
		chromedp.WaitNotVisible(css(`[data-testid="lab-complete"]`)),
	)
	if got := labStepStates(t, learner); got[0] != "todo" || got[1] != "todo" {
		t.Errorf("lab 1 after the reset: %v", got)
	}
}
