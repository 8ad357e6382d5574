package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
)

// busyFault is the API's answer to models.ErrPoolExhausted (no database connection free in time,
// PostgreSQL's "too many clients", SQLite's "database is locked"): AWS's Throttling code, with
// 503 so SDKs back off and retry, since nothing was done and the same call will likely work soon.
func busyFault(err error) (*Fault, bool) {
	if !errors.Is(err, models.ErrPoolExhausted) {
		return nil, false
	}
	return &Fault{Code: "Throttling", Message: "Rate exceeded", Status: http.StatusServiceUnavailable}, true
}

// retryAfter tells a client refused with 503 when to try again.
func retryAfter(c echo.Context, status int) {
	if status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", strconv.Itoa(models.RetryAfterSeconds))
	}
}
