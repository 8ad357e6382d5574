package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

func usersCrumb(c echo.Context) views.Crumb {
	return views.Crumb{Label: "Users", URL: link(c, "/users")}
}

// userParam is the user name of the URL.
func userParam(c echo.Context) string {
	name := c.Param("username")
	if unescaped, err := url.PathUnescape(name); err == nil {
		return unescaped
	}
	return name
}

func userNotFound(username string) error {
	return echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("The user %s does not exist.", username))
}

// ListUsers is the Users page: every user, with their actions.
func (h *Handler) ListUsers(c echo.Context) error {
	return h.renderUsers(c, http.StatusOK, views.UserList{})
}

func (h *Handler) renderUsers(c echo.Context, status int, l views.UserList) error {
	p, err := h.page(c, "Users", views.NavUsers, views.Crumb{Label: "Users"})
	if err != nil {
		return err
	}
	me, _ := CurrentUser(c)
	l.Me = me.Username
	if l.Users, err = h.Store.ListUsers(c.Request().Context()); err != nil {
		return err
	}
	return render(c, status, views.UsersPage(p, l))
}

// NewUser shows the empty Create user form: a member of the account the admin acts in.
func (h *Handler) NewUser(c echo.Context) error {
	return h.renderUserForm(c, http.StatusOK, views.UserForm{Role: string(models.RoleMember), AccountID: Account(c)})
}

func (h *Handler) renderUserForm(c echo.Context, status int, f views.UserForm) error {
	p, err := h.page(c, "Create user", views.NavUsers, usersCrumb(c), views.Crumb{Label: "Create user"})
	if err != nil {
		return err
	}
	return render(c, status, views.UserNewPage(p, f))
}

// CreateUser creates a user from the form and shows a generated password on this response only;
// it is never stored in the clear, so a reload cannot show it again.
func (h *Handler) CreateUser(c echo.Context) error {
	f := views.UserForm{Username: strings.TrimSpace(c.FormValue("username")), Role: strings.TrimSpace(c.FormValue("role")),
		AccountID: strings.TrimSpace(c.FormValue("account_id"))}
	created, err := h.Store.CreateUser(c.Request().Context(), models.NewUser{Username: f.Username, Role: models.Role(f.Role),
		AccountID: f.AccountID, Password: c.FormValue("password")})
	if e, ok := models.AsError(err); ok {
		f.Errors = views.FieldErrorsOf(e)
		if len(e.Fields) == 0 {
			f.Message = e.Message
		}
		return h.renderUserForm(c, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	return h.renderUsers(c, http.StatusOK, views.UserList{Created: &created})
}

// DisableUser signs the user out everywhere and refuses their sign-ins and access keys.
func (h *Handler) DisableUser(c echo.Context) error {
	return h.changeUser(c, func(ctx context.Context, actorID uint, username string) error {
		return h.Store.SetUserDisabled(ctx, actorID, username, true)
	}, "Disabled user %s. Their sessions were signed out and their access keys stopped working.")
}

// EnableUser lets a disabled user sign in again.
func (h *Handler) EnableUser(c echo.Context) error {
	return h.changeUser(c, func(ctx context.Context, actorID uint, username string) error {
		return h.Store.SetUserDisabled(ctx, actorID, username, false)
	}, "Enabled user %s. They can sign in again.")
}

// SetUserRole changes a user's role. An admin who gives up their own admin role lands on the pane,
// since the Users page is no longer theirs.
func (h *Handler) SetUserRole(c echo.Context) error {
	role := models.Role(strings.TrimSpace(c.FormValue("role")))
	me, _ := CurrentUser(c)
	username := userParam(c)
	err := h.Store.SetUserRole(c.Request().Context(), me.ID, username, role)
	if err != nil {
		return h.refuseUserChange(c, err, username)
	}
	flash := models.Flash{Kind: "success", Text: fmt.Sprintf("User %s now has the %s role.", username, role)}
	if strings.EqualFold(username, me.Username) && !role.IsAdmin() {
		return h.redirectWithFlash(c, link(c, "/security-groups"), flash)
	}
	return h.redirectWithFlash(c, link(c, "/users"), flash)
}

// changeUser runs one change of a user named in the URL, then returns to the Users page.
func (h *Handler) changeUser(c echo.Context, change func(ctx context.Context, actorID uint, username string) error, done string) error {
	me, _ := CurrentUser(c)
	username := userParam(c)
	if err := change(c.Request().Context(), me.ID, username); err != nil {
		return h.refuseUserChange(c, err, username)
	}
	return h.redirectWithFlash(c, link(c, "/users"), models.Flash{Kind: "success", Text: fmt.Sprintf(done, username)})
}

// refuseUserChange shows why a change was refused (the last admin, yourself) on the Users page.
func (h *Handler) refuseUserChange(c echo.Context, err error, username string) error {
	e, ok := models.AsError(err)
	switch {
	case ok && e.Code == models.CodeNoSuchEntity:
		return userNotFound(username)
	case ok:
		return h.renderUsers(c, http.StatusUnprocessableEntity, views.UserList{Error: e.Message})
	}
	return err
}

// ResetUserPassword gives the user a new random password, shown on this response only, and signs
// out the user's sessions.
func (h *Handler) ResetUserPassword(c echo.Context) error {
	username := userParam(c)
	ctx := c.Request().Context()
	u, err := h.Store.UserByName(ctx, username)
	if errors.Is(err, models.ErrNotFound) {
		return userNotFound(username)
	}
	if err != nil {
		return err
	}
	password, err := h.Store.ResetPassword(ctx, u.Username)
	if errors.Is(err, models.ErrNotFound) {
		return userNotFound(username)
	}
	if err != nil {
		return err
	}
	return h.renderUsers(c, http.StatusOK, views.UserList{Reset: &views.PasswordReset{Username: u.Username, Password: password}})
}

// ConfirmDeleteUser is the delete confirmation for browsers without JavaScript.
func (h *Handler) ConfirmDeleteUser(c echo.Context) error {
	return h.renderUserDelete(c, http.StatusOK, "")
}

func (h *Handler) renderUserDelete(c echo.Context, status int, refusal string) error {
	username := userParam(c)
	u, err := h.Store.UserByName(c.Request().Context(), username)
	if errors.Is(err, models.ErrNotFound) {
		return userNotFound(username)
	}
	if err != nil {
		return err
	}
	p, err := h.page(c, "Delete user", views.NavUsers, usersCrumb(c), views.Crumb{Label: "Delete " + u.Username})
	if err != nil {
		return err
	}
	return render(c, status, views.UserDeletePage(p, u, refusal))
}

// DeleteUser deletes a user after confirmation, with their sessions and access keys.
func (h *Handler) DeleteUser(c echo.Context) error {
	me, _ := CurrentUser(c)
	username := userParam(c)
	err := h.Store.DeleteUser(c.Request().Context(), me.ID, username)
	if e, ok := models.AsError(err); ok {
		if e.Code == models.CodeNoSuchEntity {
			return userNotFound(username)
		}
		return h.renderUserDelete(c, http.StatusUnprocessableEntity, e.Message)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/users"),
		models.Flash{Kind: "success", Text: fmt.Sprintf("Deleted user %s. Their sessions and access keys no longer work.", username)})
}
