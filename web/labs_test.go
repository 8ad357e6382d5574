package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"sgconsole/models"
	"sgconsole/views"
)

// lab1 is built-in lab 1, "Creating a security group".
const lab1 = "creating-a-security-group"

// withLabs serves the same store with the given labs, as `sgconsole serve --labs DIR` would.
func (cs *console) withLabs(labs []models.Lab) *console {
	cs.e = New(Config{Labs: labs}, cs.store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return cs
}

// trainees makes a workshop of n trainees (user names PREFIX-01...) with the built-in labs, as an
// instructor would, and returns their credentials.
func (cs *console) trainees(t *testing.T, name, prefix string, n int) []models.TraineeCredentials {
	t.Helper()
	_, creds, err := cs.store.CreateWorkshop(context.Background(), models.NewWorkshop{Name: name, Trainees: n, Prefix: prefix,
		ConsoleURL: "http://example.com", Labs: models.BuiltinLabs()})
	if err != nil {
		t.Fatalf("create workshop %s: %v", name, err)
	}
	return creds
}

// stepStates reads data-step-state of every step of a lab page, in order; a pending step reads
// "pending" (data-step-state="todo" with data-step-pending="true").
func stepStates(r *response) []string {
	var out []string
	r.find(`.lab-steps > li[data-step]`).Each(func(_ int, s *goquery.Selection) {
		state, _ := s.Attr("data-step-state")
		if p, _ := s.Attr("data-step-pending"); p == "true" {
			if state != "todo" {
				state = "pending-but-" + state
			} else {
				state = "pending"
			}
		}
		out = append(out, state)
	})
	return out
}

// labProgress reads the JSON the lab page polls.
func (c *client) labProgress(id string) views.LabProgressJSON {
	c.t.Helper()
	r := c.get("/labs/" + id + "/progress").wantStatus(http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		c.t.Fatalf("progress: Content-Type %q", ct)
	}
	var p views.LabProgressJSON
	if err := json.Unmarshal([]byte(r.Body), &p); err != nil {
		c.t.Fatalf("progress: %v\n%s", err, r.Body)
	}
	return p
}

func progressStates(p views.LabProgressJSON) []string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, s.State)
	}
	return out
}

// TestLabOneStepByStep: a trainee works through built-in lab 1 with the console's own forms, and
// after each action the lab's page and its progress endpoint show exactly the steps done so far.
func TestLabOneStepByStep(t *testing.T) {
	cs := newConsole(t, false)
	creds := cs.trainees(t, "lab", "trainee", 1)
	trainee := cs.mustSignInAs(t, creds[0].Username, creds[0].Password)

	list := trainee.get("/labs").wantStatus(http.StatusOK)
	list.wantPresent(testid("nav-labs") + `[aria-current="page"]`)
	list.wantAbsent(testid("nav-workshops"))
	for _, l := range models.BuiltinLabs() {
		list.wantPresent(testid("lab-row-" + l.ID))
	}
	list.wantText(testid("lab-row-"+lab1)+" "+testid("lab-progress"), "0 of 3 steps done")

	page := trainee.get("/labs/" + lab1).wantStatus(http.StatusOK)
	page.wantText("h1", "Creating a security group")
	if got := stepStates(page); !slices.Equal(got, []string{"todo", "todo", "todo"}) {
		t.Fatalf("fresh sandbox: steps %v, want all todo", got)
	}
	// A step not done says what its check looks for.
	page.wantText(testid("step-1")+" "+testid("step-detail"), "training-cache")
	page.wantText(testid("step-2")+" "+testid("step-detail"), "training-reports")
	page.wantText(testid("step-3")+" "+testid("step-detail"), "us-west-2")
	// The instructions are Markdown: the docs' numbered steps, with the names in code.
	page.wantPresent(testid("step-1") + ` [data-testid="step-instructions"] ol li`)
	page.wantText(testid("step-1")+` [data-testid="step-instructions"] code`, "training-cache")
	// The script polls this URL, which keeps the account and region.
	if got := page.attr(testid("lab-steps"), "data-lab-progress"); got != "/labs/"+lab1+"/progress?region=us-east-1" {
		t.Errorf("data-lab-progress = %q", got)
	}

	create := func(region, name, description string) {
		t.Helper()
		form := trainee.get("/security-groups/new?region=" + region).wantStatus(http.StatusOK)
		trainee.submit(form, testid("create-form"), map[string]string{"name": name, "description": description}).
			wantStatus(http.StatusSeeOther)
	}
	steps := []struct {
		do   func()
		want []string
	}{
		{func() { create("us-east-1", "training-cache", "Cache for the training web tier") }, []string{"done", "todo", "todo"}},
		{func() { create("us-east-1", "Training-Reports", "Reports for the training team") }, []string{"done", "done", "todo"}},
		{func() { create("us-west-2", "training-cache", "Cache for the training web tier") }, []string{"done", "done", "done"}},
	}
	for i, s := range steps {
		s.do()
		page := trainee.get("/labs/" + lab1).wantStatus(http.StatusOK)
		if got := stepStates(page); !slices.Equal(got, s.want) {
			t.Fatalf("after step %d: page shows %v, want %v", i+1, got, s.want)
		}
		for n, state := range s.want {
			detail := page.find(testid("step-"+strconv.Itoa(n+1)) + " " + testid("step-detail"))
			if _, hidden := detail.Attr("hidden"); hidden != (state == "done") {
				t.Errorf("after step %d: step %d (%s) detail hidden=%v", i+1, n+1, state, hidden)
			}
		}
		if got := progressStates(trainee.labProgress(lab1)); !slices.Equal(got, s.want) {
			t.Fatalf("after step %d: progress endpoint says %v, want %v", i+1, got, s.want)
		}
		page.wantText(testid("lab-count"), strconv.Itoa(i+1)+" of 3 steps done")
	}
	trainee.get("/labs/" + lab1).wantPresent(testid("lab-complete") + `:not(.is-hidden)`)
	trainee.get("/labs").wantText(testid("lab-row-"+lab1)+" "+testid("lab-progress"), "3 of 3 steps done")

	// Another trainee's sandbox is untouched: their lab 1 is still all to do.
	other := cs.trainees(t, "other", "other", 1)
	if got := stepStates(cs.mustSignInAs(t, other[0].Username, other[0].Password).get("/labs/" + lab1)); !slices.Equal(got, []string{"todo", "todo", "todo"}) {
		t.Errorf("another trainee's lab 1: %v", got)
	}
}

// TestLabPendingStep: an authorization still propagating shows the step pending (todo with
// data-step-pending), and done once the delay has passed.
func TestLabPendingStep(t *testing.T) {
	cs := newConsole(t, false)
	creds := cs.trainees(t, "pend", "trainee", 1)
	trainee := cs.mustSignInAs(t, creds[0].Username, creds[0].Password)
	const lab = "authorizing-network-access"
	if got := stepStates(trainee.get("/labs/" + lab)); got[0] != "todo" {
		t.Fatalf("step 1 before authorizing: %v", got)
	}
	detail := trainee.get("/security-groups/lab-sessions?region=us-east-1").wantStatus(http.StatusOK)
	trainee.submit(detail, testid("authorize-form"), map[string]string{"ec2_security_group_name": "web-servers",
		"ec2_security_group_owner_id": creds[0].AccountID}).wantStatus(http.StatusSeeOther)
	page := trainee.get("/labs/" + lab)
	if got := stepStates(page); got[0] != "pending" {
		t.Fatalf("step 1 while authorizing: %v, want pending (%s)", got, page.text(testid("step-1")))
	}
	page.wantText(testid("step-1")+" "+testid("step-state"), "In progress")
	if got := trainee.labProgress(lab).Steps[0].State; got != "pending" {
		t.Errorf("progress while authorizing: %s", got)
	}
	cs.clock.Advance(propagationDelay)
	page = trainee.get("/labs/" + lab)
	if got := stepStates(page); got[0] != "done" || got[1] != "done" {
		t.Fatalf("after the delay: %v, want steps 1 and 2 done (the explainer says can connect)", got)
	}
	page.wantText(testid("step-1")+" "+testid("step-state"), "Done")
}

// TestLabNotFound: an unknown lab is a 404, as a page and as progress.
func TestLabNotFound(t *testing.T) {
	cs := newConsole(t, false)
	admin := cs.signedIn(t)
	admin.get("/labs/no-such-lab").wantErrorPage(http.StatusNotFound, "There is no lab no-such-lab.")
	admin.get("/labs/no-such-lab/progress").wantStatus(http.StatusNotFound)
	admin.get("/labs/" + url.PathEscape("<script>")).wantStatus(http.StatusNotFound)
}

// TestLabMarkdownIsSafe: a lab file's Markdown renders (emphasis, lists, code), but raw HTML in it
// comes out as text and script links lose their target, in the title, summary and instructions.
func TestLabMarkdownIsSafe(t *testing.T) {
	hostile := models.Lab{ID: "hostile", Title: `Hostile <b>lab</b>`,
		Summary: "A *summary* <img src=x onerror=\"alert('summary')\">",
		Steps: []models.Step{{
			Title: `Step <i>one</i>`,
			Instructions: "Do **this**:\n\n1. create `hostile-group`\n\n<script>alert('owned')</script>\n\n" +
				"Inline <b onclick=\"alert('inline')\">bold</b> and a [link](javascript:alert('link')).\n\n" +
				"<iframe src=\"https://example.com\"></iframe>\n",
			Check: models.Check{Type: "security_group_exists", Region: "us-east-1", Name: "hostile-group"},
		}},
	}
	cs := newConsole(t, false).withLabs([]models.Lab{hostile})
	admin := cs.signedIn(t)

	page := admin.get("/labs/hostile").wantStatus(http.StatusOK)
	main := page.find("main")
	for _, sel := range []string{"script", "img", "iframe", "b", "i", "[onclick]", "[onerror]", `a[href^="javascript"]`} {
		if n := main.Find(sel).Length(); n > 0 {
			t.Errorf("the lab page has %d %s elements from the lab's text", n, sel)
		}
	}
	if strings.Contains(page.Body, "<script>alert") || strings.Contains(page.Body, "<img src=x") || strings.Contains(page.Body, "<iframe") ||
		strings.Contains(page.Body, `onerror="`) || strings.Contains(page.Body, `onclick="`) || strings.Contains(page.Body, "javascript:") {
		t.Errorf("raw HTML from the lab reached the page:\n%s", excerpt(page.Body))
	}
	page.wantText("h1", "Hostile <b>lab</b>")
	page.wantText(testid("lab-summary"), `<img src=x onerror="alert('summary')">`)
	page.wantText(testid("step-1")+" h2", "Step 1: Step <i>one</i>")
	instructions := testid("step-1") + " " + testid("step-instructions")
	page.wantText(instructions, "<script>alert('owned')</script>")
	page.wantText(instructions, `<b onclick="alert('inline')">bold</b>`)
	page.wantText(instructions+" strong", "this")
	page.wantText(instructions+" ol li code", "hostile-group")
	page.wantText(testid("lab-summary")+" em", "summary")
	if href, ok := main.Find(instructions + " a").Attr("href"); ok && href != "" {
		t.Errorf("the javascript: link kept href %q", href)
	}
	if got := stepStates(page); !slices.Equal(got, []string{"todo"}) {
		t.Fatalf("steps %v", got)
	}
	// The custom lab's check runs like a built-in one.
	cs.createGroups(t, "us-east-1", "hostile-group")
	if got := stepStates(admin.get("/labs/hostile")); !slices.Equal(got, []string{"done"}) {
		t.Fatalf("after creating hostile-group: %v", got)
	}
	// Only the console's labs are listed: the built-in ones are replaced.
	list := admin.get("/labs").wantStatus(http.StatusOK)
	list.wantPresent(testid("lab-row-hostile"))
	list.wantAbsent(testid("lab-row-" + lab1))
	admin.get("/labs/" + lab1).wantStatus(http.StatusNotFound)
}

// TestLabsOfAnotherAccount: an admin reads a trainee's progress with ?account=&readonly=1, a
// member asking for another account gets the not-found page.
func TestLabsOfAnotherAccount(t *testing.T) {
	cs := newConsole(t, false)
	creds := cs.trainees(t, "acct", "trainee", 2)
	first := cs.mustSignInAs(t, creds[0].Username, creds[0].Password)
	form := first.get("/security-groups/new?region=us-east-1")
	first.submit(form, testid("create-form"), map[string]string{"name": "training-cache", "description": "d"}).wantStatus(http.StatusSeeOther)

	admin := cs.signedIn(t)
	r := admin.get("/labs/" + lab1 + "?account=" + creds[0].AccountID + "&readonly=1").wantStatus(http.StatusOK)
	if got := stepStates(r); !slices.Equal(got, []string{"done", "todo", "todo"}) {
		t.Errorf("admin's view of the trainee: %v", got)
	}
	r.wantText(testid("read-only-note"), "read-only")
	if got := r.attr(testid("lab-steps"), "data-lab-progress"); !strings.Contains(got, "account="+creds[0].AccountID) {
		t.Errorf("the progress URL %q drops the account", got)
	}
	// The admin's own account has done nothing.
	if got := stepStates(admin.get("/labs/" + lab1)); !slices.Equal(got, []string{"todo", "todo", "todo"}) {
		t.Errorf("admin's own account: %v", got)
	}
	second := cs.mustSignInAs(t, creds[1].Username, creds[1].Password)
	second.get("/labs/"+lab1+"?account="+creds[0].AccountID).wantErrorPage(http.StatusNotFound, "Account "+creds[0].AccountID+" not found.")
	second.get("/labs/" + lab1 + "/progress?account=" + creds[0].AccountID).wantStatus(http.StatusNotFound)
}
