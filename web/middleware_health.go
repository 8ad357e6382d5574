package web

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"
)

// healthzWait bounds /healthz's ping. The check takes no turn at the pool gate, so a console
// whose requests are all queued still answers it; when every database connection is truly busy
// the ping waits at most this long and /healthz answers 503 instead of hanging the prober.
const healthzWait = 2 * time.Second

func healthzDeadline(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), healthzWait)
		defer cancel()
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}
