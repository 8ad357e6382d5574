// Package web assembles the HTTP server: middleware, the route table and the error pages.
package web

import (
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"

	"sgconsole/handlers"
	"sgconsole/handlers/api"
	"sgconsole/models"
)

// Config holds what the server needs beyond the store.
type Config struct {
	Addr string
	// SecureCookies marks cookies Secure; set it when the console is served over HTTPS.
	SecureCookies bool
	// Labs are the guided labs trainees see: the built-in ones and those of --labs DIR.
	Labs []models.Lab
}

// New returns the console's Echo instance, ready to serve or to drive from tests.
func New(cfg Config, store *models.Store, log *slog.Logger) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	// Trust only the TCP peer: on a shared workshop network anyone can send X-Forwarded-For,
	// which would otherwise let them dodge the sign-in rate limit and spoof the logs.
	e.IPExtractor = echo.ExtractIPDirect()
	e.Server.Addr = cfg.Addr
	e.Server.ReadHeaderTimeout = 10 * time.Second
	e.Server.ReadTimeout = 30 * time.Second
	e.Server.WriteTimeout = 30 * time.Second
	e.Server.IdleTimeout = 120 * time.Second
	h := handlers.New(store, log)
	h.SecureCookies = cfg.SecureCookies
	h.Labs = cfg.Labs
	e.HTTPErrorHandler = errorHandler(h, log)
	useMiddleware(e, h, log)
	routes(e, h, store, api.New(store, log))
	return e
}
