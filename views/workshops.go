package views

import (
	"context"
	"encoding/csv"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"sgconsole/models"
)

// NavWorkshops marks the Workshops item of the navigation pane (admins).
const NavWorkshops = "workshops"

// WorkshopPath is the dashboard of a workshop.
func WorkshopPath(name string) string { return "/workshops/" + url.PathEscape(name) }

// TraineePath is where the dashboard's actions on one trainee post.
func TraineePath(workshop, username string) string {
	return WorkshopPath(workshop) + "/trainees/" + url.PathEscape(username)
}

// WorkshopList is the Workshops page: every workshop, and the create form.
type WorkshopList struct {
	Workshops []models.WorkshopSummary
	Form      WorkshopForm
}

// WorkshopForm is the Create workshop form.
type WorkshopForm struct {
	Name     string
	Trainees string
	Prefix   string
	Errors   FieldErrors
	Message  string // a refusal that names no field
}

// StepColumn is one column of the dashboard: a step of a lab.
type StepColumn struct {
	LabID    string
	LabTitle string
	Step     int // 1-based
	Title    string
}

// Key is the column's name in results.csv: LABID/STEPNUMBER.
func (c StepColumn) Key() string { return c.LabID + "/" + strconv.Itoa(c.Step) }

// LabColumns groups the dashboard's step columns under their lab's heading.
type LabColumns struct {
	Lab   models.Lab
	Steps int
}

// TraineeRow is one trainee of the dashboard, with one state per column.
type TraineeRow struct {
	Number       int
	Username     string
	AccountID    string
	LastActivity time.Time // zero: never
	States       []models.StepState
}

// WorkshopGrid is the dashboard's table: the columns (grouped by lab), one row per trainee,
// and how many trainees have each step done.
type WorkshopGrid struct {
	Labs    []LabColumns
	Columns []StepColumn
	Rows    []TraineeRow
	Totals  []int
	Now     time.Time // the store's clock, for "3 min ago"
}

// NewWorkshopGrid evaluates nothing: it lays out what EvaluateLabsForAccounts found for every
// trainee (progress by account ID) in the order of labs.
func NewWorkshopGrid(labs []models.Lab, trainees []models.WorkshopTrainee, progress map[string][]models.LabProgress,
	activity map[string]time.Time, now time.Time) WorkshopGrid {
	g := WorkshopGrid{Now: now}
	for _, l := range labs {
		g.Labs = append(g.Labs, LabColumns{Lab: l, Steps: len(l.Steps)})
		for i, s := range l.Steps {
			g.Columns = append(g.Columns, StepColumn{LabID: l.ID, LabTitle: l.Title, Step: i + 1, Title: s.Title})
		}
	}
	g.Totals = make([]int, len(g.Columns))
	for _, t := range trainees {
		row := TraineeRow{Number: t.Number, Username: t.User.Username, AccountID: t.AccountID, LastActivity: activity[t.AccountID],
			States: make([]models.StepState, 0, len(g.Columns))}
		byLab := map[string]models.LabProgress{}
		for _, p := range progress[t.AccountID] {
			byLab[p.Lab.ID] = p
		}
		for _, l := range labs {
			p := byLab[l.ID]
			for i := range l.Steps {
				state := models.StepTodo
				if i < len(p.Steps) && p.Steps[i].State != "" {
					state = p.Steps[i].State
				}
				if state == models.StepDone {
					g.Totals[len(row.States)]++
				}
				row.States = append(row.States, state)
			}
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// Total is "22 of 30 done" for column i.
func (g WorkshopGrid) Total(i int) string {
	return itoa(g.Totals[i]) + " of " + itoa(len(g.Rows)) + " done"
}

// WorkshopDashboard is the instructor's page of one workshop.
type WorkshopDashboard struct {
	Workshop models.Workshop
	Grid     WorkshopGrid
	Reset    *PasswordReset // a password just reset, shown on this response only
	Error    string         // why the last action was refused
}

// WorkshopProgressJSON is what GET /workshops/:name/progress answers, for the dashboard's script.
// States holds one letter per column: d done, p pending, t not yet.
type WorkshopProgressJSON struct {
	Trainees int                   `json:"trainees"`
	Columns  []string              `json:"columns"`
	Totals   []string              `json:"totals"`
	Rows     []TraineeProgressJSON `json:"rows"`
}

// TraineeProgressJSON is one row of WorkshopProgressJSON.
type TraineeProgressJSON struct {
	Username     string `json:"username"`
	States       string `json:"states"`
	LastActivity string `json:"last_activity"`
	LastISO      string `json:"last_activity_iso,omitempty"`
}

// ProgressJSON shapes the grid for the dashboard's script.
func (g WorkshopGrid) ProgressJSON() WorkshopProgressJSON {
	out := WorkshopProgressJSON{Trainees: len(g.Rows), Columns: []string{}, Totals: []string{}, Rows: []TraineeProgressJSON{}}
	for i, c := range g.Columns {
		out.Columns = append(out.Columns, c.Key())
		out.Totals = append(out.Totals, g.Total(i))
	}
	for _, r := range g.Rows {
		b := make([]byte, len(r.States))
		for i, s := range r.States {
			switch s {
			case models.StepDone:
				b[i] = 'd'
			case models.StepPending:
				b[i] = 'p'
			default:
				b[i] = 't'
			}
		}
		tr := TraineeProgressJSON{Username: r.Username, States: string(b), LastActivity: g.activity(r)}
		if !r.LastActivity.IsZero() {
			tr.LastISO = r.LastActivity.UTC().Format(time.RFC3339)
		}
		out.Rows = append(out.Rows, tr)
	}
	return out
}

// WriteResultsCSV writes the grid as results.csv: username, account_id, then one LABID/STEP
// column per step, 1 when done and 0 otherwise.
func WriteResultsCSV(w io.Writer, g WorkshopGrid) error {
	cw := csv.NewWriter(w)
	header := []string{"username", "account_id"}
	for _, c := range g.Columns {
		header = append(header, c.Key())
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range g.Rows {
		rec := []string{r.Username, r.AccountID}
		for _, s := range r.States {
			if s == models.StepDone {
				rec = append(rec, "1")
			} else {
				rec = append(rec, "0")
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// activity is a trainee's last activity relative to the store's clock: "just now", "4 min ago".
func (g WorkshopGrid) activity(r TraineeRow) string {
	if r.LastActivity.IsZero() {
		return "Never"
	}
	d := g.Now.Sub(r.LastActivity)
	switch {
	case d < time.Minute:
		return "Just now"
	case d < time.Hour:
		return itoa(int(d/time.Minute)) + " min ago"
	case d < 48*time.Hour:
		return itoa(int(d/time.Hour)) + " h ago"
	}
	return r.LastActivity.UTC().Format("2006-01-02 15:04") + " UTC"
}

// activityTitle is the exact time of a trainee's last activity, for the cell's tooltip.
func activityTitle(r TraineeRow) string {
	if r.LastActivity.IsZero() {
		return "No sign-in or change yet"
	}
	return eventDate(r.LastActivity)
}

// gridCell is the markup of one cell of the dashboard, by state and whether it starts a lab's
// columns. Cells are the bulk of a large dashboard (500 trainees x 20 steps), so they are written
// from these constants rather than through templates; they hold no data but their state.
// data-step-state is done or todo, with data-step-pending="true" for a step on its way, as on the
// lab page; the words are for screen readers, the marks come from the stylesheet.
func gridCell(s models.StepState, first bool) string {
	class := "cell"
	if first {
		class = "cell dashboard__step--first"
	}
	switch s {
	case models.StepDone:
		return `<td class="` + class + ` cell--done" data-step-state="done"><span class="visually-hidden">done</span></td>`
	case models.StepPending:
		return `<td class="` + class + ` cell--pending" data-step-state="todo" data-step-pending="true"><span class="visually-hidden">in progress</span></td>`
	}
	return `<td class="` + class + `" data-step-state="todo"></td>`
}

var gridCellMarkup = func() map[models.StepState][2]string {
	m := map[models.StepState][2]string{}
	for _, s := range []models.StepState{models.StepDone, models.StepPending, models.StepTodo} {
		m[s] = [2]string{gridCell(s, false), gridCell(s, true)}
	}
	return m
}()

// gridCells writes one trainee's cells, in column order.
func gridCells(columns []StepColumn, states []models.StepState) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		for i, s := range states {
			markup, ok := gridCellMarkup[s]
			if !ok {
				markup = gridCellMarkup[models.StepTodo]
			}
			first := 0
			if i < len(columns) && columns[i].Step == 1 {
				first = 1
			}
			if _, err := io.WriteString(w, markup[first]); err != nil {
				return err
			}
		}
		return nil
	})
}

// sandboxLink opens a trainee's sandbox read-only, in the region the admin looks at.
func sandboxLink(p Page, accountID string) string {
	return Link("/security-groups", p.Region, "account", accountID, "readonly", "1")
}

// traineeLabsLink shows a trainee's lab pages read-only.
func traineeLabsLink(p Page, accountID string) string {
	return Link("/labs", p.Region, "account", accountID, "readonly", "1")
}

func workshopDeleteConfirm(p Page, w models.Workshop) Confirm {
	return Confirm{ID: "delete-workshop", Title: "Delete workshop", Action: p.Link(WorkshopPath(w.Name) + "/delete"),
		CancelURL: p.Link(WorkshopPath(w.Name)), TestID: "delete-workshop-dialog", FormTestID: "delete-workshop-form"}
}

func workshopResetAllConfirm(p Page, w models.Workshop) Confirm {
	return Confirm{ID: "reset-workshop", Title: "Reset every sandbox", Action: p.Link(WorkshopPath(w.Name) + "/reset"),
		CancelURL: p.Link(WorkshopPath(w.Name)), TestID: "reset-workshop-dialog", FormTestID: "reset-workshop-form"}
}

func traineeResetConfirm(p Page, w models.Workshop, username string) Confirm {
	return Confirm{ID: "reset-trainee", Title: "Reset sandbox", Action: p.Link(TraineePath(w.Name, username) + "/reset"),
		CancelURL: p.Link(WorkshopPath(w.Name)), TestID: "reset-trainee-dialog", FormTestID: "reset-trainee-form"}
}

// WorkshopConfirm is a reset or delete confirmation page for browsers without JavaScript.
type WorkshopConfirm struct {
	Workshop models.Workshop
	Trainee  string // the trainee whose sandbox is reset; "" for the whole workshop
	Action   string // "reset" or "delete"
}

func (c WorkshopConfirm) confirm(p Page) Confirm {
	switch {
	case c.Action == "delete":
		return workshopDeleteConfirm(p, c.Workshop)
	case c.Trainee != "":
		return traineeResetConfirm(p, c.Workshop, c.Trainee)
	}
	return workshopResetAllConfirm(p, c.Workshop)
}

func workshopLabCount(w models.Workshop) string {
	if n := len(w.LabIDList()); n != 1 {
		return itoa(n) + " labs"
	}
	return "1 lab"
}
