package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/crypto/bcrypt"

	"sgconsole/handlers"
	"sgconsole/models"
	"sgconsole/views"
)

// dashboardRow is one trainee's row of the dashboard: the state of each step column
// ("done", "todo" or "pending") and the last activity.
type dashboardRow struct {
	states   []string
	activity string
}

// dashboard reads the grid: the column keys (LABID/STEP), every row by user name, and the totals.
func dashboard(r *response) (columns []string, rows map[string]dashboardRow, totals []string) {
	r.t.Helper()
	grid := r.wantPresent(testid("dashboard"))
	grid.Find(`thead th[data-column]`).Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("data-column")
		columns = append(columns, v)
	})
	grid.Find(`thead [data-total]`).Each(func(_ int, s *goquery.Selection) {
		totals = append(totals, strings.TrimSpace(s.Text()))
	})
	rows = map[string]dashboardRow{}
	grid.Find(`tbody tr[data-trainee]`).Each(func(_ int, tr *goquery.Selection) {
		name, _ := tr.Attr("data-trainee")
		row := dashboardRow{activity: strings.TrimSpace(tr.Find(testid("last-activity")).Text())}
		tr.Find(`td[data-step-state]`).Each(func(_ int, td *goquery.Selection) {
			state, _ := td.Attr("data-step-state")
			if p, _ := td.Attr("data-step-pending"); p == "true" {
				state = "pending"
			}
			row.states = append(row.states, state)
		})
		rows[name] = row
	})
	return columns, rows, totals
}

// column is the index of a LABID/STEP column.
func column(t *testing.T, columns []string, key string) int {
	t.Helper()
	i := slices.Index(columns, key)
	if i < 0 {
		t.Fatalf("no column %s in %v", key, columns)
	}
	return i
}

// onlyDone lists the columns whose state is done.
func onlyDone(columns []string, row dashboardRow) []string {
	var out []string
	for i, s := range row.states {
		if s == "done" {
			out = append(out, columns[i])
		}
	}
	return out
}

// readCSV parses a download and checks it is one.
func readCSV(t *testing.T, r *response, filename string) [][]string {
	t.Helper()
	r.wantStatus(http.StatusOK)
	if got := r.Header.Get("Content-Disposition"); got != `attachment; filename="`+filename+`"` {
		t.Errorf("%s: Content-Disposition %q", r.URL, got)
	}
	if got := r.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/csv") {
		t.Errorf("%s: Content-Type %q", r.URL, got)
	}
	records, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v\n%s", r.URL, err, r.Body)
	}
	return records
}

// TestWorkshopFromTheConsole: an admin creates a workshop of three in the console, downloads the
// credentials and cards, follows a trainee's lab 1 on the dashboard and in results.csv, resets a
// sandbox and a password from the dashboard, resets everything and deletes the workshop.
func TestWorkshopFromTheConsole(t *testing.T) {
	cs := newConsole(t, false)
	admin := cs.signedIn(t)
	ctx := context.Background()

	list := admin.get("/workshops").wantStatus(http.StatusOK)
	list.wantPresent(testid("nav-workshops") + `[aria-current="page"]`)
	list.wantPresent(testid("workshops-empty"))

	// Refusals come back next to their fields, with what was typed.
	bad := admin.submit(list, testid("create-workshop-form"), map[string]string{"name": "class a!", "trainees": "0", "prefix": "student"})
	bad = admin.failedForm(bad).wantStatus(http.StatusUnprocessableEntity)
	bad.wantText(testid("error-name"), "Enter a workshop name of 1 to 64 lower-case letters, digits or hyphens.")
	bad.wantText(testid("error-trainees"), "1 to 500")
	if v := bad.attr("#workshop-prefix", "value"); v != "student" {
		t.Errorf("prefix after a refusal = %q", v)
	}
	bad = admin.submit(list, testid("create-workshop-form"), map[string]string{"name": "class-a", "trainees": "three", "prefix": "bad prefix"})
	bad = admin.failedForm(bad).wantStatus(http.StatusUnprocessableEntity)
	bad.wantText(testid("error-trainees"), "Enter the number of trainees, from 1 to 500.")
	bad.wantText(testid("error-prefix"), "prefix")
	bad.wantAbsent(testid("error-name"))
	if ws, err := cs.store.ListWorkshops(ctx); err != nil || len(ws) != 0 {
		t.Fatalf("refused forms made workshops: %v %v", ws, err)
	}

	created := admin.submit(list, testid("create-workshop-form"), map[string]string{"name": "class-a", "trainees": "3", "prefix": "student"})
	created.wantRedirect(http.StatusSeeOther, "/workshops/class-a?region=us-east-1")
	page := admin.follow(created).wantStatus(http.StatusOK)
	page.wantText(testid("flash"), "Created workshop class-a.")
	page.wantText("h1", "Workshop class-a")
	for _, link := range []string{"download-credentials", "download-cards", "export-results"} {
		page.wantPresent(testid(link))
	}
	_, trainees, err := cs.store.GetWorkshop(ctx, "class-a")
	if err != nil || len(trainees) != 3 {
		t.Fatalf("workshop class-a: %d trainees, %v", len(trainees), err)
	}
	names := []string{trainees[0].User.Username, trainees[1].User.Username, trainees[2].User.Username}
	if !slices.Equal(names, []string{"student-01", "student-02", "student-03"}) {
		t.Fatalf("trainees %v", names)
	}
	admin.get("/workshops").wantText(testid("workshop-class-a"), "3")

	// A fresh grid: every step of every built-in lab, nothing done, nobody active yet.
	columns, rows, totals := dashboard(page)
	var want []string
	for _, l := range models.BuiltinLabs() {
		for i := range l.Steps {
			want = append(want, fmt.Sprintf("%s/%d", l.ID, i+1))
		}
	}
	if !slices.Equal(columns, want) {
		t.Fatalf("columns %v, want %v", columns, want)
	}
	if len(rows) != 3 || len(totals) != len(columns) {
		t.Fatalf("%d rows, %d totals", len(rows), len(totals))
	}
	for _, name := range names {
		if done := onlyDone(columns, rows[name]); len(done) != 0 || len(rows[name].states) != len(columns) {
			t.Errorf("%s starts with %v done (%d cells)", name, done, len(rows[name].states))
		}
		if rows[name].activity != "Never" {
			t.Errorf("%s: last activity %q before signing in", name, rows[name].activity)
		}
	}
	if totals[0] != "0 of 3 done" {
		t.Errorf("total of the first step: %q", totals[0])
	}

	// credentials.csv: the columns the command line writes, one row per trainee, and each
	// password signs in to the console.
	records := readCSV(t, admin.get("/workshops/class-a/credentials.csv"), "class-a-credentials.csv")
	if !slices.Equal(records[0], views.CredentialsCSVHeader) || len(records) != 4 {
		t.Fatalf("credentials.csv: header %v, %d rows", records[0], len(records)-1)
	}
	passwords := map[string]string{}
	for i, rec := range records[1:] {
		if rec[0] != names[i] || rec[2] != trainees[i].AccountID || rec[3] != trainees[i].AccessKeyID || rec[4] == "" || rec[5] != "http://example.com" {
			t.Errorf("credentials row %d: %v", i, rec)
		}
		passwords[rec[0]] = rec[1]
	}
	cards := admin.get("/workshops/class-a/cards.html").wantStatus(http.StatusOK)
	if cd := cards.Header.Get("Content-Disposition"); strings.Contains(cd, "attachment") {
		t.Errorf("cards.html is a download (%q); it opens in the browser to print", cd)
	}
	if csp := cards.Header.Get("Content-Security-Policy"); csp != views.CardsCSP {
		t.Errorf("cards.html CSP %q, want views.CardsCSP", csp)
	}
	for _, name := range names {
		if !strings.Contains(cards.Body, name) || !strings.Contains(cards.Body, passwords[name]) {
			t.Errorf("cards.html lacks the card of %s", name)
		}
	}

	// student-01 does lab 1 step 1 with their own browser; student-02 starts lab 3's authorization,
	// which is pending until it propagates; student-03 only signs in.
	first := cs.mustSignInAs(t, "student-01", passwords["student-01"])
	form := first.get("/security-groups/new?region=us-east-1")
	first.submit(form, testid("create-form"), map[string]string{"name": "training-cache", "description": "Cache for the training web tier"}).
		wantStatus(http.StatusSeeOther)
	second := cs.mustSignInAs(t, "student-02", passwords["student-02"])
	detail := second.get("/security-groups/lab-sessions?region=us-east-1")
	second.submit(detail, testid("authorize-form"), map[string]string{"ec2_security_group_name": "web-servers",
		"ec2_security_group_owner_id": trainees[1].AccountID}).wantStatus(http.StatusSeeOther)
	cs.mustSignInAs(t, "student-03", passwords["student-03"])

	page = admin.get("/workshops/class-a").wantStatus(http.StatusOK)
	columns, rows, totals = dashboard(page)
	step1 := column(t, columns, lab1+"/1")
	auth := column(t, columns, "authorizing-network-access/1")
	if done := onlyDone(columns, rows["student-01"]); !slices.Equal(done, []string{lab1 + "/1"}) {
		t.Errorf("student-01 done: %v, want only %s/1", done, lab1)
	}
	if got := rows["student-02"].states[auth]; got != "pending" {
		t.Errorf("student-02's authorization: %s, want pending", got)
	}
	if done := onlyDone(columns, rows["student-02"]); len(done) != 0 {
		t.Errorf("student-02 done: %v", done)
	}
	if totals[step1] != "1 of 3 done" || totals[auth] != "0 of 3 done" || totals[step1+1] != "0 of 3 done" {
		t.Errorf("totals: %s=%q %s=%q", columns[step1], totals[step1], columns[auth], totals[auth])
	}
	for _, name := range names {
		if rows[name].activity != "Just now" {
			t.Errorf("%s: last activity %q after signing in", name, rows[name].activity)
		}
	}
	cs.clock.Advance(5 * time.Minute)
	_, rows, _ = dashboard(admin.get("/workshops/class-a"))
	if rows["student-01"].activity != "5 min ago" {
		t.Errorf("student-01: last activity %q five minutes later", rows["student-01"].activity)
	}
	if got := rows["student-02"].states[auth]; got != "done" {
		t.Errorf("student-02's authorization after the delay: %s", got)
	}

	// The JSON the open dashboard polls says the same.
	var progress views.WorkshopProgressJSON
	if err := json.Unmarshal([]byte(admin.get("/workshops/class-a/progress").wantStatus(http.StatusOK).Body), &progress); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(progress.Columns, columns) || progress.Totals[step1] != "1 of 3 done" || len(progress.Rows) != 3 {
		t.Fatalf("progress JSON: %+v", progress)
	}
	if s := progress.Rows[0].States; progress.Rows[0].Username != "student-01" || s[step1] != 'd' || strings.Count(s, "d") != 1 || len(s) != len(columns) {
		t.Errorf("progress of student-01: %+v", progress.Rows[0])
	}

	// results.csv: the grid, 1 where done.
	results := readCSV(t, admin.get("/workshops/class-a/results.csv"), "class-a-results.csv")
	if !slices.Equal(results[0], append([]string{"username", "account_id"}, columns...)) || len(results) != 4 {
		t.Fatalf("results.csv header %v, %d rows", results[0], len(results)-1)
	}
	for i, rec := range results[1:] {
		if rec[0] != names[i] || rec[1] != trainees[i].AccountID {
			t.Errorf("results row %d: %v", i, rec[:2])
		}
		for j, v := range rec[2:] {
			// student-02's authorization has propagated: the explainer's step is done with it.
			wantDone := (i == 0 && j == step1) || (i == 1 && (j == auth || j == auth+1))
			if (v == "1") != wantDone || (v != "0" && v != "1") {
				t.Errorf("results.csv %s %s = %q", rec[0], columns[j], v)
			}
		}
	}

	// Reset student-01's sandbox from the dashboard (the confirmation page of browsers without
	// JavaScript; the dialog posts the same form).
	row := page.find(testid("trainee-student-01"))
	href, _ := row.Find(testid("reset-sandbox")).Attr("href")
	if action, _ := row.Find(testid("reset-sandbox")).Attr("data-dialog-action"); action != href {
		t.Errorf("the dialog posts to %q, the page to %q", action, href)
	}
	confirm := admin.get(href).wantStatus(http.StatusOK)
	confirm.wantText(testid("reset-trainee-name"), "student-01")
	done := admin.submit(confirm, testid("reset-trainee-form"), nil)
	done.wantRedirect(http.StatusSeeOther, "/workshops/class-a?region=us-east-1")
	page = admin.follow(done)
	page.wantText(testid("flash"), "The sandbox of student-01 is back to its starting data.")
	_, rows, _ = dashboard(page)
	if d := onlyDone(columns, rows["student-01"]); len(d) != 0 {
		t.Errorf("student-01 after the reset: %v done", d)
	}
	if rows["student-02"].states[auth] != "done" {
		t.Error("resetting student-01 changed student-02")
	}
	if _, err := cs.store.GetSecurityGroup(ctx, models.Scope{AccountID: trainees[0].AccountID, Region: "us-east-1"}, "training-cache"); !models.HasCode(err, models.CodeCacheSecurityGroupNotFound) {
		t.Errorf("training-cache after the reset: %v", err)
	}
	first.get("/security-groups").wantStatus(http.StatusOK) // the trainee stays signed in

	// Reset student-02's password: shown once, the old one stops working, the new one works.
	reset := admin.submit(page, testid("trainee-student-02")+" "+testid("new-password-form"), nil).wantStatus(http.StatusOK)
	reset.wantText(testid("reset-password"), "New password for student-02")
	reset.wantText(testid("password-warning"), "only time")
	newPassword := reset.text("#reset-password-password-value")
	if newPassword == "" || newPassword == passwords["student-02"] {
		t.Fatalf("new password %q", newPassword)
	}
	admin.get("/workshops/class-a").wantAbsent(testid("reset-password"))
	second.wantSignedOut()
	if _, r := cs.signInAs(t, "student-02", passwords["student-02"]); r.Status == http.StatusSeeOther {
		t.Error("the old password still signs in")
	}
	cs.mustSignInAs(t, "student-02", newPassword)
	records = readCSV(t, admin.get("/workshops/class-a/credentials.csv"), "class-a-credentials.csv")
	if records[2][0] != "student-02" || records[2][1] != newPassword {
		t.Errorf("credentials.csv after the reset: %v", records[2][:2])
	}

	// Reset every sandbox, then delete the workshop.
	confirm = admin.get("/workshops/class-a/reset").wantStatus(http.StatusOK)
	page = admin.follow(admin.submit(confirm, testid("reset-workshop-form"), nil))
	page.wantText(testid("flash"), "Every sandbox of workshop class-a is back to its starting data.")
	_, rows, totals = dashboard(page)
	if rows["student-02"].states[auth] != "todo" || totals[auth] != "0 of 3 done" {
		t.Errorf("after resetting all: student-02 %s, total %q", rows["student-02"].states[auth], totals[auth])
	}
	page.wantPresent(testid("delete-workshop-dialog"))
	confirm = admin.get("/workshops/class-a/delete").wantStatus(http.StatusOK)
	confirm.wantText(testid("delete-workshop-name"), "class-a")
	deleted := admin.submit(confirm, testid("delete-workshop-form"), nil)
	deleted.wantRedirect(http.StatusSeeOther, "/workshops?region=us-east-1")
	admin.follow(deleted).wantPresent(testid("workshops-empty"))
	admin.get("/workshops/class-a").wantErrorPage(http.StatusNotFound, "Workshop class-a not found.")
	if _, ok := cs.storedUser(t, "student-01"); ok {
		t.Error("student-01 outlived the workshop")
	}
}

// TestWorkshopUnknownNames: a workshop or trainee that does not exist is a 404 for the admin too.
func TestWorkshopUnknownNames(t *testing.T) {
	cs := newConsole(t, false)
	cs.trainees(t, "known", "trainee", 1)
	admin := cs.signedIn(t)
	admin.get("/workshops/nope").wantErrorPage(http.StatusNotFound, "Workshop nope not found.")
	admin.get("/workshops/nope/results.csv").wantStatus(http.StatusNotFound)
	admin.get("/workshops/known/trainees/nobody/reset").wantErrorPage(http.StatusNotFound, "Workshop known has no trainee named nobody.")
	page := admin.get("/workshops/known")
	r := admin.post("/workshops/known/trainees/nobody/reset-password", url.Values{"_csrf": {page.csrfToken()}}, nil)
	r.wantErrorPage(http.StatusNotFound, "no trainee named nobody")
}

// TestWorkshopsAreNotFoundForMembersAndViewers: every /workshops URL answers a member, a viewer
// and a trainee exactly as an address that never existed, and changes nothing.
func TestWorkshopsAreNotFoundForMembersAndViewers(t *testing.T) {
	cs := newConsole(t, false)
	creds := cs.trainees(t, "secret-class", "student", 2)
	unknown := cs.signedIn(t).get("/no-such-page").wantStatus(http.StatusNotFound)
	notFound := unknown.text(testid("error-page"))

	var routes []string
	for _, r := range cs.e.Routes() {
		if strings.HasPrefix(r.Path, "/workshops") && !strings.HasPrefix(r.Method, "echo_") {
			routes = append(routes, r.Method+" "+r.Path)
		}
	}
	if len(routes) < 10 {
		t.Fatalf("only %d workshop routes: %v", len(routes), routes)
	}
	users := map[string]*client{
		"member":  cs.signedInAs(t, "mona", models.RoleMember),
		"viewer":  cs.signedInAs(t, "vic", models.RoleViewer),
		"trainee": cs.mustSignInAs(t, creds[0].Username, creds[0].Password),
	}
	for who, c := range users {
		home := c.get("/security-groups").wantStatus(http.StatusOK)
		home.wantAbsent(testid("nav-workshops"))
		home.wantPresent(testid("nav-labs"))
		for _, route := range routes {
			method, pattern, _ := strings.Cut(route, " ")
			path := strings.NewReplacer(":name", "secret-class", ":username", creds[1].Username).Replace(pattern)
			var r *response
			if method == http.MethodGet {
				r = c.get(path)
			} else {
				r = c.post(path, url.Values{"_csrf": {home.csrfToken()}, "name": {"sneaky"}, "trainees": {"1"}}, nil)
			}
			if r.Status != http.StatusNotFound {
				t.Errorf("%s %s: status %d, want 404", who, route, r.Status)
				continue
			}
			if got := r.text(testid("error-page")); got != notFound {
				t.Errorf("%s %s: page %q, want the unknown address's %q", who, route, got, notFound)
			}
			if strings.Contains(r.Body, creds[1].Username) || strings.Contains(r.Body, creds[1].Password) || strings.Contains(r.Body, "secret-class") {
				t.Errorf("%s %s: the page names the workshop or its trainees", who, route)
			}
		}
	}
	// Nothing changed: the workshop is there, and the other trainee's password still works.
	if ws, err := cs.store.ListWorkshops(context.Background()); err != nil || len(ws) != 1 {
		t.Fatalf("workshops after the refusals: %v %v", ws, err)
	}
	cs.mustSignInAs(t, creds[1].Username, creds[1].Password)
	// Signed out, the workshop pages ask for a sign-in like every console page.
	r := cs.newClient(t).get("/workshops/secret-class")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("signed out: %d to %q", r.Status, r.Header.Get("Location"))
	}
}

// BenchmarkWorkshopDashboard500 renders the dashboard of a 500-trainee workshop with every
// built-in lab (22 steps), some trainees part-way through. The budget is 300 ms a page.
func BenchmarkWorkshopDashboard500(b *testing.B) {
	store, err := models.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = store.Close() })
	store.PasswordCost = bcrypt.MinCost
	getenv := func(k string) string {
		if k == "SGCONSOLE_ADMIN_PASSWORD" {
			return adminPassword
		}
		return ""
	}
	ctx := context.Background()
	if _, err := Bootstrap(ctx, store, Command{}, getenv); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	_, creds, err := store.CreateWorkshop(ctx, models.NewWorkshop{Name: "big", Trainees: 500, Labs: models.BuiltinLabs()})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("created 500 trainees in %v", time.Since(start).Round(time.Millisecond))
	for i, c := range creds {
		if i%3 != 0 {
			continue
		}
		scope := models.Scope{AccountID: c.AccountID, Region: "us-east-1", Actor: c.Username}
		if _, err := store.CreateSecurityGroup(ctx, scope, "training-cache", "Cache for the training web tier"); err != nil {
			b.Fatal(err)
		}
		if _, err := store.AuthorizeIngress(ctx, scope, "lab-sessions", "web-servers", c.AccountID); err != nil {
			b.Fatal(err)
		}
	}
	token, err := store.SignIn(ctx, models.Credentials{Username: models.AdminUsername, Password: adminPassword})
	if err != nil {
		b.Fatal(err)
	}
	e := New(Config{}, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, path := range []string{"/workshops/big", "/workshops/big/progress"} {
		b.Run(strings.TrimPrefix(path, "/workshops/big"), func(b *testing.B) {
			size := 0
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.AddCookie(&http.Cookie{Name: handlers.SessionCookie, Value: token})
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s = %d", path, rec.Code)
				}
				size = rec.Body.Len()
			}
			b.ReportMetric(float64(size)/1024, "KiB/page")
		})
	}
}
