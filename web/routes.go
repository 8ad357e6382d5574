package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"sgconsole/handlers"
	"sgconsole/handlers/api"
	"sgconsole/static"
)

// routes is the console's whole URL surface, top to bottom.
func routes(e *echo.Echo, h *handlers.Handler, queryAPI *api.API) {
	e.GET("/healthz", h.Healthz)

	// The ElastiCache Query API shares the root with the console: POST / and GET /?Action=.
	e.POST("/", queryAPI.Handle)
	e.GET("/", func(c echo.Context) error {
		if api.IsAPIRequest(c.Request()) {
			return queryAPI.Handle(c)
		}
		return requireUser(func(c echo.Context) error {
			return c.Redirect(http.StatusFound, "/security-groups?region="+handlers.Region(c))
		})(c)
	})
	e.GET("/static/*", echo.WrapHandler(static.Handler()))

	// Sign-in.
	e.GET("/login", h.ShowLogin)
	e.POST("/login", h.Login, loginRateLimit())
	e.POST("/logout", h.Logout, requireUser)

	console := e.Group("", requireUser)
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

	// Cache clusters (issue 3).
	console.GET("/clusters", h.ListClusters)
	console.GET("/clusters/new", h.NewCluster)
	console.POST("/clusters", h.CreateCluster)
	console.GET("/clusters/:id", h.ShowCluster)
	console.GET("/clusters/:id/modify", h.EditClusterSecurityGroups)
	console.POST("/clusters/:id/modify", h.ModifyCluster)
	console.GET("/clusters/:id/delete", h.ConfirmDeleteCluster)
	console.POST("/clusters/:id/delete", h.DeleteCluster)

	// Events.
	console.GET("/events", h.ListEvents)

	// The simulated EC2 side and the connectivity explainer.
	console.GET("/ec2/security-groups", h.ListEC2SecurityGroups)
	console.POST("/ec2/security-groups", h.CreateEC2SecurityGroup)
	console.POST("/ec2/security-groups/:name/delete", h.DeleteEC2SecurityGroup)
	console.GET("/ec2/instances", h.ListEC2Instances)
	console.POST("/ec2/instances", h.CreateEC2Instance)
	console.POST("/ec2/instances/:id/delete", h.DeleteEC2Instance)
	console.GET("/connectivity", h.ExplainConnectivity)

	// Security credentials.
	console.GET("/security-credentials", h.ShowCredentials)
	console.POST("/security-credentials", h.CreateCredential)
	console.GET("/security-credentials/:id/delete", h.ConfirmDeleteCredential)
	console.POST("/security-credentials/:id/delete", h.DeleteCredential)

	// Account settings.
	console.GET("/settings", h.ShowSettings)
	console.POST("/settings/platform", h.SetPlatform)
}
