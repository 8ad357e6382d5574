package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// ShowSettings lists the account's regions with their platforms.
func (h *Handler) ShowSettings(c echo.Context) error {
	return h.renderSettings(c, http.StatusOK, "")
}

// renderSettings shows the settings page; refusal, when set, is the error of a submitted change.
func (h *Handler) renderSettings(c echo.Context, status int, refusal string) error {
	p, err := h.page(c, "Account settings", views.NavSettings, views.Crumb{Label: "Account settings"})
	if err != nil {
		return err
	}
	if refusal != "" {
		p.Flash = models.Flash{Kind: models.FlashError, Text: refusal}
	}
	regions, err := h.Store.RegionPlatforms(c.Request().Context(), scope(c).AccountID)
	if err != nil {
		return err
	}
	return render(c, status, views.SettingsPage(p, regions))
}

// SetPlatform switches one region between EC2-Classic and VPC-only.
func (h *Handler) SetPlatform(c echo.Context) error {
	region := c.FormValue("region")
	platform, err := models.ParsePlatform(c.FormValue("platform"))
	if err == nil {
		err = h.Store.SetRegionPlatform(c.Request().Context(), models.Scope{AccountID: scope(c).AccountID, Region: region}, platform)
	}
	if e, ok := models.AsError(err); ok {
		// Only a hand-made form gets here: the page offers the listed regions and platforms.
		refusal := fmt.Sprintf("Choose EC2-Classic or VPC-only for region %s.", region)
		if e.FieldMessage("region") != "" {
			refusal = "Choose one of the listed regions."
		}
		return h.renderSettings(c, http.StatusUnprocessableEntity, refusal)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/settings"), models.Flash{Kind: "success",
		Text: fmt.Sprintf("Region %s now supports %s.", region, platform.Label())})
}
