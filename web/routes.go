package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"sgconsole/handlers"
	"sgconsole/static"
)

// routes is the console's whole URL surface, top to bottom.
func routes(e *echo.Echo, h *handlers.Handler) {
	e.GET("/healthz", h.Healthz)
	e.GET("/static/*", echo.WrapHandler(static.Handler()))

	// Sign-in.
	e.GET("/login", h.ShowLogin)
	e.POST("/login", h.Login, loginRateLimit())
	e.POST("/logout", h.Logout, requireUser)

	console := e.Group("", requireUser)
	console.GET("/", func(c echo.Context) error {
		return c.Redirect(http.StatusFound, "/security-groups?region="+handlers.Region(c))
	})
	console.POST("/banner/dismiss", h.DismissBanner)

	// The Security Groups pane.
	console.GET("/security-groups", h.ListSecurityGroups)
	console.GET("/security-groups/new", h.NewSecurityGroup)
	console.POST("/security-groups", h.CreateSecurityGroup)
	console.GET("/security-groups/:name", h.ShowSecurityGroup)
	console.GET("/security-groups/:name/delete", h.ConfirmDeleteSecurityGroup)
	console.POST("/security-groups/:name/delete", h.DeleteSecurityGroup)
	console.POST("/security-groups/:name/authorizations", h.Authorize)
	console.POST("/security-groups/:name/authorizations/revoke", h.Revoke)

	// Account settings.
	console.GET("/settings", h.ShowSettings)
	console.POST("/settings/platform", h.SetPlatform)
}
