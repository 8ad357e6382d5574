package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// ListAudit is the audit log: changes in every account and region, newest first, filtered by
// ?filter_account= and ?user= (?account= picks the account the admin acts in, as everywhere).
func (h *Handler) ListAudit(c echo.Context) error {
	p, err := h.page(c, "Audit log", views.NavAudit, views.Crumb{Label: "Audit log"})
	if err != nil {
		return err
	}
	l := views.AuditList{Account: strings.TrimSpace(c.QueryParam("filter_account")), User: strings.TrimSpace(c.QueryParam("user")),
		Errors: views.FieldErrors{}}
	l.Page, _ = strconv.Atoi(c.QueryParam("page"))
	l.Page = max(l.Page, 1)
	q := models.AuditQuery{AccountID: l.Account, Actor: l.User, Limit: views.AuditPerPage}
	for {
		q.Offset = (l.Page - 1) * views.AuditPerPage
		l.Events, err = h.Store.ListAuditEvents(c.Request().Context(), q)
		if e, ok := models.AsError(err); ok && len(e.Fields) > 0 {
			for _, f := range e.Fields {
				field := f.Field
				if field == "account" {
					field = "filter_account"
				}
				l.Errors[field] = f.Message
			}
			return render(c, http.StatusBadRequest, views.AuditPage(p, l))
		}
		if err != nil {
			return err
		}
		l.Pages = max(1, (l.Events.Total+views.AuditPerPage-1)/views.AuditPerPage)
		if l.Page <= l.Pages {
			break
		}
		l.Page = l.Pages // past the end: show the last page
	}
	return render(c, http.StatusOK, views.AuditPage(p, l))
}
