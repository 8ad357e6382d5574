package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// ShowChangePassword is the signed-in user's Change password form.
func (h *Handler) ShowChangePassword(c echo.Context) error {
	return h.renderPassword(c, http.StatusOK, views.PasswordForm{})
}

// AccountHome is where the region switch of the password page lands.
func (h *Handler) AccountHome(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, link(c, "/account/password"))
}

func (h *Handler) renderPassword(c echo.Context, status int, f views.PasswordForm) error {
	p, err := h.page(c, "Change password", views.NavPassword, views.Crumb{Label: "Change password"})
	if err != nil {
		return err
	}
	return render(c, status, views.PasswordPage(p, f))
}

// ChangePassword sets the user's new password after checking the current one. Every other session
// of the user ends; this one stays.
func (h *Handler) ChangePassword(c echo.Context) error {
	u, _ := CurrentUser(c)
	err := h.Store.ChangePassword(c.Request().Context(), u.ID, SessionToken(c), c.FormValue("current_password"), c.FormValue("new_password"))
	if e, ok := models.AsError(err); ok {
		f := views.PasswordForm{Errors: views.FieldErrorsOf(e)}
		if len(e.Fields) == 0 {
			f.Message = e.Message
		}
		return h.renderPassword(c, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/security-groups"),
		models.Flash{Kind: "success", Text: "Password changed. Your other sessions were signed out."})
}
