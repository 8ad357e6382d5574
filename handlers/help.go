package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"sgconsole/views"
)

// ShowHelp is a help panel topic on a page of its own: where an Info link leads without
// JavaScript, and where the panel fetches a topic the page did not carry.
func (h *Handler) ShowHelp(c echo.Context) error {
	topic, ok := views.Help(c.Param("topic"))
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "There is no help topic with this name.")
	}
	p, err := h.page(c, topic.Title, "", views.Crumb{Label: "Help"}, views.Crumb{Label: topic.Title})
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.HelpPage(p, topic))
}
