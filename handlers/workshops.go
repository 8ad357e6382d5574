package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// The workshop pages are the instructor's (admins); web's requireAdminOr404 hides them from
// everyone else.

func workshopsCrumb(c echo.Context) views.Crumb {
	return views.Crumb{Label: "Workshops", URL: link(c, "/workshops")}
}

// pathParam is a URL parameter, unescaped.
func pathParam(c echo.Context, name string) string {
	v := c.Param(name)
	if unescaped, err := url.PathUnescape(v); err == nil {
		return unescaped
	}
	return v
}

// workshopNotFound turns a missing workshop or trainee into a 404 page.
func workshopNotFound(err error) error {
	if e, ok := models.AsError(err); ok && (e.Code == models.CodeWorkshopNotFound || e.Code == models.CodeTraineeNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, e.Message)
	}
	return err
}

// createWorkshopTimeout bounds creating a workshop from the console (500 trainees take about half
// a minute on two cores).
const createWorkshopTimeout = 3 * time.Minute

// ListWorkshops is the Workshops page with its create form.
func (h *Handler) ListWorkshops(c echo.Context) error {
	return h.renderWorkshops(c, http.StatusOK, views.WorkshopForm{})
}

func (h *Handler) renderWorkshops(c echo.Context, status int, f views.WorkshopForm) error {
	workshops, err := h.Store.ListWorkshops(c.Request().Context())
	if err != nil {
		return err
	}
	p, err := h.page(c, "Workshops", views.NavWorkshops, views.Crumb{Label: "Workshops"})
	if err != nil {
		return err
	}
	return render(c, status, views.WorkshopsPage(p, views.WorkshopList{Workshops: workshops, Form: f}))
}

// CreateWorkshop makes a workshop from the form (sandboxes, users, keys for every trainee, seeded
// with the console's labs) and goes to its dashboard, where the credentials can be downloaded.
func (h *Handler) CreateWorkshop(c echo.Context) error {
	f := views.WorkshopForm{Name: strings.TrimSpace(c.FormValue("name")), Trainees: strings.TrimSpace(c.FormValue("trainees")),
		Prefix: strings.TrimSpace(c.FormValue("prefix"))}
	trainees, convErr := strconv.Atoi(f.Trainees)
	if convErr != nil {
		trainees = 0 // refused by the model with the other fields' errors
	}
	// A class of hundreds takes tens of seconds (a bcrypt hash per trainee). Should that outlast
	// the request's own timeout, the workshop is still made whole, in its one transaction, and
	// shows in the list, rather than rolled back at the last moment.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), createWorkshopTimeout)
	defer cancel()
	// The server's 30 s write deadline would drop the answer of a big class; this one request may
	// take as long as the create itself.
	if err := http.NewResponseController(c.Response()).SetWriteDeadline(time.Now().Add(createWorkshopTimeout + 10*time.Second)); err != nil {
		h.Log.Warn("workshop create: cannot extend the write deadline", "error", err)
	}
	w, _, err := h.Store.CreateWorkshop(ctx, models.NewWorkshop{Name: strings.ToLower(f.Name), Trainees: trainees,
		Prefix: f.Prefix, ConsoleURL: endpointURL(c), Labs: h.labs()})
	if e, ok := models.AsError(err); ok {
		f.Errors = views.FieldErrorsOf(e)
		if convErr != nil && f.Errors["trainees"] != "" {
			f.Errors["trainees"] = fmt.Sprintf("Enter the number of trainees, from 1 to %d.", models.MaxTrainees)
		}
		for field := range f.Errors {
			if field != "name" && field != "trainees" && field != "prefix" {
				f.Message = e.Message
			}
		}
		if len(e.Fields) == 0 {
			f.Message = e.Message
		}
		return h.renderWorkshops(c, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, views.WorkshopPath(w.Name)), models.Flash{Kind: "success",
		Text: fmt.Sprintf("Created workshop %s. Download the credentials or print the cards, and hand them out.", w.Name)})
}

// workshopLabs are the labs of a workshop's dashboard: its own, in its order, among those loaded
// now (a lab no longer loaded has no column); a workshop made without labs shows the console's.
func (h *Handler) workshopLabs(w models.Workshop) []models.Lab {
	ids := w.LabIDList()
	if len(ids) == 0 {
		return h.labs()
	}
	byID := map[string]models.Lab{}
	for _, l := range h.labs() {
		byID[l.ID] = l
	}
	var labs []models.Lab
	for _, id := range ids {
		if l, ok := byID[id]; ok {
			labs = append(labs, l)
		}
	}
	return labs
}

// workshopGrid evaluates every trainee's sandbox at once (a few queries for the whole class, never
// one per trainee) and lays the results out as the dashboard's grid.
func (h *Handler) workshopGrid(c echo.Context, name string) (models.Workshop, views.WorkshopGrid, error) {
	ctx := c.Request().Context()
	w, trainees, err := h.Store.GetWorkshop(ctx, name)
	if err != nil {
		return w, views.WorkshopGrid{}, workshopNotFound(err)
	}
	labs := h.workshopLabs(w)
	accounts := make([]string, len(trainees))
	for i, t := range trainees {
		accounts[i] = t.AccountID
	}
	progress, err := h.Store.EvaluateLabsForAccounts(ctx, accounts, labs)
	if err != nil {
		return w, views.WorkshopGrid{}, err
	}
	activity, err := h.Store.LastActivity(ctx, accounts)
	if err != nil {
		return w, views.WorkshopGrid{}, err
	}
	return w, views.NewWorkshopGrid(labs, trainees, progress, activity, h.Store.Now()), nil
}

// ShowWorkshop is the dashboard of a workshop.
func (h *Handler) ShowWorkshop(c echo.Context) error {
	return h.renderDashboard(c, http.StatusOK, views.WorkshopDashboard{})
}

func (h *Handler) renderDashboard(c echo.Context, status int, d views.WorkshopDashboard) error {
	var err error
	d.Workshop, d.Grid, err = h.workshopGrid(c, pathParam(c, "name"))
	if err != nil {
		return err
	}
	p, err := h.page(c, "Workshop "+d.Workshop.Name, views.NavWorkshops, workshopsCrumb(c), views.Crumb{Label: d.Workshop.Name})
	if err != nil {
		return err
	}
	return render(c, status, views.WorkshopDashboardPage(p, d))
}

// WorkshopProgress is the dashboard's grid as JSON, which the open dashboard polls.
func (h *Handler) WorkshopProgress(c echo.Context) error {
	_, grid, err := h.workshopGrid(c, pathParam(c, "name"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, grid.ProgressJSON())
}

// WorkshopResults downloads the grid as CSV: one row per trainee, one LABID/STEP column per step,
// 1 when done.
func (h *Handler) WorkshopResults(c echo.Context) error {
	w, grid, err := h.workshopGrid(c, pathParam(c, "name"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := views.WriteResultsCSV(&buf, grid); err != nil {
		return err
	}
	return attachment(c, w.Name+"-results.csv", "text/csv; charset=utf-8", buf.Bytes())
}

// WorkshopCredentialsCSV downloads the trainees' credentials again, as the command line writes
// them: user name, password, account, access key pair and console URL.
func (h *Handler) WorkshopCredentialsCSV(c echo.Context) error {
	w, creds, err := h.Store.WorkshopCredentials(c.Request().Context(), pathParam(c, "name"))
	if err != nil {
		return workshopNotFound(err)
	}
	var buf bytes.Buffer
	if err := views.WriteCredentialsCSV(&buf, creds); err != nil {
		return err
	}
	return attachment(c, w.Name+"-credentials.csv", "text/csv; charset=utf-8", buf.Bytes())
}

// WorkshopCards is the printable page of credential cards, shown in the browser to print. Its
// inline style is allowed by hash alone (views.CardsCSP), instead of the console's policy.
func (h *Handler) WorkshopCards(c echo.Context) error {
	w, creds, err := h.Store.WorkshopCredentials(c.Request().Context(), pathParam(c, "name"))
	if err != nil {
		return workshopNotFound(err)
	}
	c.Response().Header().Set(echo.HeaderContentSecurityPolicy, views.CardsCSP)
	return render(c, http.StatusOK, views.CardsPage(w, creds))
}

// attachment sends a download under a file name.
func attachment(c echo.Context, filename, contentType string, body []byte) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", filename))
	return c.Blob(http.StatusOK, contentType, body)
}

// ResetTraineePassword gives one trainee a new password, shown on this response only.
func (h *Handler) ResetTraineePassword(c echo.Context) error {
	username := pathParam(c, "username")
	password, err := h.Store.ResetTraineePassword(c.Request().Context(), pathParam(c, "name"), username)
	if err != nil {
		return workshopNotFound(err)
	}
	return h.renderDashboard(c, http.StatusOK, views.WorkshopDashboard{Reset: &views.PasswordReset{Username: username, Password: password}})
}

// ConfirmResetTrainee, ConfirmResetWorkshop and ConfirmDeleteWorkshop are the confirmations for
// browsers without JavaScript; with it, the dashboard opens a dialog instead.
func (h *Handler) ConfirmResetTrainee(c echo.Context) error {
	return h.renderWorkshopConfirm(c, pathParam(c, "username"), "reset")
}

// ConfirmResetWorkshop asks before every sandbox of a workshop is reset.
func (h *Handler) ConfirmResetWorkshop(c echo.Context) error {
	return h.renderWorkshopConfirm(c, "", "reset")
}

// ConfirmDeleteWorkshop asks before a workshop is deleted.
func (h *Handler) ConfirmDeleteWorkshop(c echo.Context) error {
	return h.renderWorkshopConfirm(c, "", "delete")
}

func (h *Handler) renderWorkshopConfirm(c echo.Context, trainee, action string) error {
	w, trainees, err := h.Store.GetWorkshop(c.Request().Context(), pathParam(c, "name"))
	if err != nil {
		return workshopNotFound(err)
	}
	if trainee != "" {
		found := false
		for _, t := range trainees {
			if strings.EqualFold(t.User.Username, trainee) {
				trainee, found = t.User.Username, true
			}
		}
		if !found {
			return echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("Workshop %s has no trainee named %s.", w.Name, trainee))
		}
	}
	confirm := views.WorkshopConfirm{Workshop: w, Trainee: trainee, Action: action}
	title := "Reset every sandbox"
	switch {
	case action == "delete":
		title = "Delete workshop"
	case trainee != "":
		title = "Reset sandbox"
	}
	p, err := h.page(c, title, views.NavWorkshops, workshopsCrumb(c),
		views.Crumb{Label: w.Name, URL: link(c, views.WorkshopPath(w.Name))}, views.Crumb{Label: title})
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.WorkshopConfirmPage(p, confirm, len(trainees)))
}

// ResetTrainee puts one trainee's sandbox back to its starting data.
func (h *Handler) ResetTrainee(c echo.Context) error {
	name, username := pathParam(c, "name"), pathParam(c, "username")
	if err := h.Store.ResetWorkshop(c.Request().Context(), name, username, h.labs()); err != nil {
		return h.refuseWorkshopChange(c, err)
	}
	return h.redirectWithFlash(c, link(c, views.WorkshopPath(name)), models.Flash{Kind: "success",
		Text: fmt.Sprintf("The sandbox of %s is back to its starting data.", username)})
}

// ResetWorkshop puts every sandbox of a workshop back to its starting data, in one transaction.
func (h *Handler) ResetWorkshop(c echo.Context) error {
	name := pathParam(c, "name")
	if err := h.Store.ResetWorkshop(c.Request().Context(), name, "", h.labs()); err != nil {
		return h.refuseWorkshopChange(c, err)
	}
	return h.redirectWithFlash(c, link(c, views.WorkshopPath(name)), models.Flash{Kind: "success",
		Text: fmt.Sprintf("Every sandbox of workshop %s is back to its starting data.", name)})
}

// DeleteWorkshop removes a workshop: its users, keys and sandbox accounts.
func (h *Handler) DeleteWorkshop(c echo.Context) error {
	name := pathParam(c, "name")
	if err := h.Store.DeleteWorkshop(c.Request().Context(), name); err != nil {
		return h.refuseWorkshopChange(c, err)
	}
	return h.redirectWithFlash(c, link(c, "/workshops"), models.Flash{Kind: "success",
		Text: fmt.Sprintf("Deleted workshop %s with its trainees' users, access keys and sandboxes.", name)})
}

// refuseWorkshopChange shows a refused reset or delete on the dashboard; a missing workshop or
// trainee is a 404.
func (h *Handler) refuseWorkshopChange(c echo.Context, err error) error {
	e, ok := models.AsError(err)
	switch {
	case ok && (e.Code == models.CodeWorkshopNotFound || e.Code == models.CodeTraineeNotFound):
		return workshopNotFound(err)
	case ok:
		return h.renderDashboard(c, http.StatusUnprocessableEntity, views.WorkshopDashboard{Error: e.Message})
	}
	return err
}
