package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
)

// dbGate makes each request wait for a turn at the database (models.Store.Acquire) before
// anything queries it, so a burst of requests queues here for at most --db-wait instead of
// opening more PostgreSQL connections than the pool allows. Only the console's and the API's
// routes take it; static files and /healthz never query through it.
func dbGate(store *models.Store) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			release, err := store.Acquire(c.Request().Context())
			if err != nil {
				return err
			}
			defer release()
			return next(c)
		}
	}
}

// unavailable is the console's answer to models.ErrPoolExhausted, wherever it came from (the gate,
// PostgreSQL's "too many clients", SQLite's "database is locked"): 503 with Retry-After, since
// the same request is likely to work a moment later. Other errors pass unchanged.
func unavailable(c echo.Context, err error) error {
	if !errors.Is(err, models.ErrPoolExhausted) {
		return err
	}
	c.Response().Header().Set("Retry-After", strconv.Itoa(models.RetryAfterSeconds))
	return &echo.HTTPError{Code: http.StatusServiceUnavailable, Internal: err,
		Message: "The console is busy: every database connection is in use. Nothing was changed; try again in a few seconds."}
}
