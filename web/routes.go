package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"sgconsole/handlers"
	"sgconsole/handlers/api"
	"sgconsole/models"
	"sgconsole/static"
)

// routes is the console's whole URL surface, top to bottom. Each group gets only the middleware
// it needs on top of useMiddleware's: the API its chain, the sign-in and console pages theirs.
func routes(e *echo.Echo, h *handlers.Handler, store *models.Store, queryAPI *api.API) {
	apiMW, pageMW := apiMiddleware(store), pageMiddleware(h, store)
	with := func(mw ...echo.MiddlewareFunc) []echo.MiddlewareFunc {
		return append(append([]echo.MiddlewareFunc{}, pageMW...), mw...)
	}

	// Health checks: no cookie, no session and no turn at the pool gate (see healthzWait).
	e.GET("/healthz", h.Healthz, noStore, healthzDeadline)

	// The ElastiCache Query API shares the root with the console: POST / and GET /?Action=.
	e.POST("/", queryAPI.Handle, apiMW...)
	e.GET("/", func(c echo.Context) error {
		if api.IsAPIRequest(c.Request()) {
			return queryAPI.Handle(c)
		}
		return requireUser(func(c echo.Context) error {
			return c.Redirect(http.StatusFound, "/security-groups?region="+handlers.Region(c))
		})(c)
	}, byCaller(apiMW, pageMW))
	// The same files for everyone, cached publicly: no cookie, no session, no database.
	e.GET("/static/*", echo.WrapHandler(static.Handler()))

	// Sign-in: the console's chain (session, CSRF cookie) but no requireUser.
	e.GET("/login", h.ShowLogin, pageMW...)
	e.POST("/login", h.Login, pageMW...) // throttled by failures in models.SignIn, never by successes
	e.POST("/logout", h.Logout, with(requireUser)...)

	// Every signed-in user: reading the account, their own password, keys and banner. A group's
	// middleware also answers the 404s of the addresses under it (echo registers a catch-all),
	// so an unknown console address gets the same chain as the console's pages.
	console := e.Group("", with(requireUser)...)
	// Changes to the account's resources: members and admins, never viewers.
	write := e.Group("", with(requireUser, requireWrite)...)
	// Users and the audit log: admins only.
	admin := e.Group("", with(requireUser, requireAdmin)...)

	console.POST("/banner/dismiss", h.DismissBanner)
	console.POST("/flash/dismiss", h.DismissFlash)
	// Help panel topics (the Info links' pages without JavaScript).
	console.GET("/help/:topic", h.ShowHelp)

	// The Security Groups pane.
	console.GET("/security-groups", h.ListSecurityGroups)
	write.GET("/security-groups/new", h.NewSecurityGroup)
	write.POST("/security-groups", h.CreateSecurityGroup)
	console.GET("/security-groups/:name", h.ShowSecurityGroup)
	write.GET("/security-groups/:name/delete", h.ConfirmDeleteSecurityGroup)
	write.POST("/security-groups/:name/delete", h.DeleteSecurityGroup)
	write.POST("/security-groups/:name/authorizations", h.Authorize)
	write.GET("/security-groups/:name/authorizations/revoke", h.ConfirmRevoke)
	write.POST("/security-groups/:name/authorizations/revoke", h.Revoke)

	// Cache clusters.
	console.GET("/clusters", h.ListClusters)
	write.GET("/clusters/new", h.NewCluster)
	write.POST("/clusters", h.CreateCluster)
	console.GET("/clusters/:id", h.ShowCluster)
	write.GET("/clusters/:id/modify", h.EditClusterSecurityGroups)
	write.POST("/clusters/:id/modify", h.ModifyCluster)
	write.GET("/clusters/:id/delete", h.ConfirmDeleteCluster)
	write.POST("/clusters/:id/delete", h.DeleteCluster)
	write.GET("/clusters/:id/backup", h.NewBackup)
	write.POST("/clusters/:id/backup", h.CreateBackup)

	// Backups (snapshots of Redis clusters) and restoring them into new clusters.
	console.GET("/backups", h.ListBackups)
	console.GET("/backups/:name", h.ShowBackup)
	write.GET("/backups/:name/restore", h.NewRestore)
	write.POST("/backups/:name/restore", h.RestoreBackup)
	write.GET("/backups/:name/delete", h.ConfirmDeleteBackup)
	write.POST("/backups/:name/delete", h.DeleteBackup)
	// Migrate to VPC: the walkthrough of an EC2-Classic cluster (its choices in the query) and each step's POST.
	console.GET("/migrate-to-vpc", h.ShowMigrateChooser)
	console.GET("/clusters/:id/migrate", h.ShowMigration)
	write.POST("/clusters/:id/migrate/subnet-group", h.MigrateSubnetGroup)
	write.POST("/clusters/:id/migrate/security-group", h.MigrateSecurityGroup)
	write.POST("/clusters/:id/migrate/backup", h.MigrateBackup)
	write.POST("/clusters/:id/migrate/cluster", h.MigrateCluster)
	write.POST("/clusters/:id/migrate/instance", h.MigrateInstance)

	// Cache subnet groups.
	console.GET("/subnet-groups", h.ListSubnetGroups)
	write.POST("/subnet-groups", h.CreateSubnetGroup)
	console.GET("/subnet-groups/:name", h.ShowSubnetGroup)
	write.POST("/subnet-groups/:name/modify", h.ModifySubnetGroup)
	write.GET("/subnet-groups/:name/delete", h.ConfirmDeleteSubnetGroup)
	write.POST("/subnet-groups/:name/delete", h.DeleteSubnetGroup)

	// Events.
	console.GET("/events", h.ListEvents)

	// The simulated EC2 side and the connectivity explainer.
	console.GET("/ec2/security-groups", h.ListEC2SecurityGroups)
	write.POST("/ec2/security-groups", h.CreateEC2SecurityGroup)
	write.GET("/ec2/security-groups/:name/delete", h.ConfirmDeleteEC2SecurityGroup)
	write.POST("/ec2/security-groups/:name/delete", h.DeleteEC2SecurityGroup)
	console.GET("/ec2/instances", h.ListEC2Instances)
	write.POST("/ec2/instances", h.CreateEC2Instance)
	write.GET("/ec2/instances/:id/delete", h.ConfirmTerminateEC2Instance)
	write.POST("/ec2/instances/:id/delete", h.DeleteEC2Instance)
	console.GET("/ec2/vpcs", h.ListVPCs)
	write.POST("/ec2/vpcs", h.CreateVPC)
	write.GET("/ec2/vpcs/:id/delete", h.ConfirmDeleteVPC)
	write.POST("/ec2/vpcs/:id/delete", h.DeleteVPC)
	write.POST("/ec2/subnets", h.CreateSubnet)
	write.GET("/ec2/subnets/:id/delete", h.ConfirmDeleteSubnet)
	write.POST("/ec2/subnets/:id/delete", h.DeleteSubnet)
	write.POST("/ec2/placements", h.PlaceInstance)
	console.GET("/ec2/vpc-security-groups", h.ListVPCSecurityGroups)
	write.POST("/ec2/vpc-security-groups", h.CreateVPCSecurityGroup)
	write.POST("/ec2/vpc-security-groups/:id/rules", h.AuthorizeVPCIngress)
	write.POST("/ec2/vpc-security-groups/:id/rules/revoke", h.RevokeVPCIngress)
	write.GET("/ec2/vpc-security-groups/:id/delete", h.ConfirmDeleteVPCSecurityGroup)
	write.POST("/ec2/vpc-security-groups/:id/delete", h.DeleteVPCSecurityGroup)
	console.GET("/connectivity", h.ExplainConnectivity)

	// Security credentials: a user's own access keys, whatever the role.
	console.GET("/security-credentials", h.ShowCredentials)
	console.POST("/security-credentials", h.CreateCredential)
	console.GET("/security-credentials/:id/delete", h.ConfirmDeleteCredential)
	console.POST("/security-credentials/:id/delete", h.DeleteCredential)

	// Account settings.
	console.GET("/settings", h.ShowSettings)
	write.POST("/settings/platform", h.SetPlatform)

	// Users and audit (admins).
	admin.GET("/users", h.ListUsers)
	admin.GET("/users/new", h.NewUser)
	admin.POST("/users", h.CreateUser)
	admin.POST("/users/:username/disable", h.DisableUser)
	admin.POST("/users/:username/enable", h.EnableUser)
	admin.POST("/users/:username/role", h.SetUserRole)
	admin.POST("/users/:username/reset-password", h.ResetUserPassword)
	admin.GET("/users/:username/delete", h.ConfirmDeleteUser)
	admin.POST("/users/:username/delete", h.DeleteUser)
	admin.GET("/audit", h.ListAudit)

	// Every signed-in user's own password.
	console.GET("/account", h.AccountHome)
	console.GET("/account/password", h.ShowChangePassword)
	console.POST("/account/password", h.ChangePassword)

	// Guided labs: every signed-in user, on the account they act in.
	console.GET("/labs", h.ListLabs)
	console.GET("/labs/:id", h.ShowLab)
	console.GET("/labs/:id/progress", h.LabProgress)

	// Workshops and the instructor dashboard: admins only; for everyone else they do not exist (404).
	workshops := e.Group("/workshops", with(requireUser, requireAdminOr404)...)
	workshops.GET("", h.ListWorkshops)
	workshops.POST("", h.CreateWorkshop)
	workshops.GET("/:name", h.ShowWorkshop)
	workshops.GET("/:name/progress", h.WorkshopProgress)
	workshops.GET("/:name/results.csv", h.WorkshopResults)
	workshops.GET("/:name/credentials.csv", h.WorkshopCredentialsCSV)
	workshops.GET("/:name/cards.html", h.WorkshopCards)
	workshops.GET("/:name/reset", h.ConfirmResetWorkshop)
	workshops.POST("/:name/reset", h.ResetWorkshop)
	workshops.GET("/:name/delete", h.ConfirmDeleteWorkshop)
	workshops.POST("/:name/delete", h.DeleteWorkshop)
	workshops.GET("/:name/trainees/:username/reset", h.ConfirmResetTrainee)
	workshops.POST("/:name/trainees/:username/reset", h.ResetTrainee)
	workshops.POST("/:name/trainees/:username/reset-password", h.ResetTraineePassword)
}
