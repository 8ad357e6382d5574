package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// ShowCredentials lists the signed-in user's access keys.
func (h *Handler) ShowCredentials(c echo.Context) error {
	return h.renderCredentials(c, http.StatusOK, views.Credentials{})
}

func (h *Handler) renderCredentials(c echo.Context, status int, v views.Credentials) error {
	p, err := h.page(c, "Security credentials", views.NavCredentials, views.Crumb{Label: "Security credentials"})
	if err != nil {
		return err
	}
	u, _ := CurrentUser(c)
	if v.Keys, err = h.Store.ListAccessKeys(c.Request().Context(), u.ID); err != nil {
		return err
	}
	return render(c, status, views.CredentialsPage(p, v))
}

// CreateCredential creates an access key and shows its secret on this response only: it is never
// stored in a flash or anywhere else in the clear, so a reload cannot show it again.
func (h *Handler) CreateCredential(c echo.Context) error {
	u, _ := CurrentUser(c)
	key, err := h.Store.CreateAccessKey(c.Request().Context(), u.ID)
	if e, ok := models.AsError(err); ok && e.Code == models.CodeLimitExceeded {
		return h.renderCredentials(c, http.StatusConflict, views.Credentials{Error: e.Message})
	}
	if err != nil {
		return err
	}
	return h.renderCredentials(c, http.StatusOK, views.Credentials{New: &key})
}

// ConfirmDeleteCredential is the delete confirmation for browsers without JavaScript.
func (h *Handler) ConfirmDeleteCredential(c echo.Context) error {
	u, _ := CurrentUser(c)
	keys, err := h.Store.ListAccessKeys(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if k.AccessKeyID == c.Param("id") {
			p, err := h.page(c, "Delete access key", views.NavCredentials,
				views.Crumb{Label: "Security credentials", URL: link(c, "/security-credentials")},
				views.Crumb{Label: "Delete access key"})
			if err != nil {
				return err
			}
			return render(c, http.StatusOK, views.CredentialDeletePage(p, k))
		}
	}
	return echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("The access key %s does not exist.", c.Param("id")))
}

// DeleteCredential deletes one of the user's own keys; any other key ID is a 404.
func (h *Handler) DeleteCredential(c echo.Context) error {
	u, _ := CurrentUser(c)
	id := c.Param("id")
	err := h.Store.DeleteAccessKey(c.Request().Context(), u.ID, id)
	if e, ok := models.AsError(err); ok && e.Code == models.CodeNoSuchEntity {
		return echo.NewHTTPError(http.StatusNotFound, e.Message)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/security-credentials"),
		models.Flash{Kind: "success", Text: fmt.Sprintf("Deleted access key %s. Requests signed with it are now refused.", id)})
}
