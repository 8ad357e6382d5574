package handlers

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// labs are the console's guided labs: those the server was started with, else the built-in ones.
func (h *Handler) labs() []models.Lab {
	if len(h.Labs) > 0 {
		return h.Labs
	}
	return models.BuiltinLabs()
}

// lab finds a lab by the ID in the URL; an unknown one is a 404.
func (h *Handler) lab(c echo.Context) (models.Lab, error) {
	id := c.Param("id")
	if unescaped, err := url.PathUnescape(id); err == nil {
		id = unescaped
	}
	for _, l := range h.labs() {
		if l.ID == id {
			return l, nil
		}
	}
	return models.Lab{}, echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("There is no lab %s. Choose one from the Labs page.", id))
}

// ListLabs is the Labs page: every lab with how many of its steps the acting account has done.
func (h *Handler) ListLabs(c echo.Context) error {
	labs := h.labs()
	progress, err := h.Store.EvaluateLabs(c.Request().Context(), Account(c), labs)
	if err != nil {
		return err
	}
	for i := range progress {
		progress[i].Lab = personalized(c, progress[i].Lab)
	}
	p, err := h.page(c, "Labs", views.NavLabs, views.Crumb{Label: "Labs"})
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.LabsPage(p, views.LabList{Labs: progress}))
}

// personalized fills a lab's texts with this console's URL and the acting account's ID, which the
// commands of the AWS CLI lab need.
func personalized(c echo.Context, l models.Lab) models.Lab {
	return l.Personalized(endpointURL(c), Account(c))
}

// evaluateLab checks one lab's steps against the acting account.
func (h *Handler) evaluateLab(c echo.Context, l models.Lab) (models.LabProgress, error) {
	progress, err := h.Store.EvaluateLabs(c.Request().Context(), Account(c), []models.Lab{l})
	if err != nil {
		return models.LabProgress{}, err
	}
	if len(progress) == 0 {
		return models.LabProgress{Lab: l}, nil
	}
	return progress[0], nil
}

// ShowLab is one lab: its steps, each with its instructions and its check's mark.
func (h *Handler) ShowLab(c echo.Context) error {
	l, err := h.lab(c)
	if err != nil {
		return err
	}
	progress, err := h.evaluateLab(c, l)
	if err != nil {
		return err
	}
	progress.Lab = personalized(c, progress.Lab)
	p, err := h.page(c, l.Title, views.NavLabs, views.Crumb{Label: "Labs", URL: link(c, "/labs")}, views.Crumb{Label: l.Title})
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.LabPage(p, views.LabView{Progress: progress}))
}

// LabProgress is the state of one lab's steps as JSON, which the lab page polls.
func (h *Handler) LabProgress(c echo.Context) error {
	l, err := h.lab(c)
	if err != nil {
		return err
	}
	progress, err := h.evaluateLab(c, l)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, views.LabProgressOf(progress))
}
