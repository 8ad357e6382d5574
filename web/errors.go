package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"sgconsole/handlers"
	"sgconsole/models"
)

var errorTitles = map[int]string{
	http.StatusBadRequest:            "Bad request",
	http.StatusUnauthorized:          "Sign-in required",
	http.StatusForbidden:             "Access denied",
	http.StatusNotFound:              "Page not found",
	http.StatusMethodNotAllowed:      "Method not allowed",
	http.StatusRequestEntityTooLarge: "Request too large",
	http.StatusTooManyRequests:       "Too many requests",
	http.StatusServiceUnavailable:    "Service unavailable",
}

// errorHandler renders every error as a console page. Messages of 4xx errors are written for users;
// 5xx details go to the log with the request ID, never to the page.
func errorHandler(h *handlers.Handler, log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		// The error arrives after the handler's middleware has returned, and ContextTimeout has
		// cancelled the request context on the way out; the page must still render.
		c.SetRequest(c.Request().WithContext(context.WithoutCancel(c.Request().Context())))
		if writeAPIError(c, err, log) {
			return // the Query API's callers get its XML, never the console's page
		}
		// An error page is one user's answer, even when it failed before a group's chain (and
		// its noStore) ran.
		c.Response().Header().Set("Cache-Control", "no-store")
		err = unavailable(c, err) // 503 with Retry-After, not a 500
		status, message := http.StatusInternalServerError, ""
		var he *echo.HTTPError
		if errors.As(err, &he) {
			status = he.Code
			if m, ok := he.Message.(string); ok && m != http.StatusText(status) {
				message = m
			}
		}
		title, ok := errorTitles[status]
		if !ok {
			title = "Something went wrong"
		}
		requestID := c.Response().Header().Get(echo.HeaderXRequestID)
		if status >= 500 && !errors.Is(err, models.ErrPoolExhausted) {
			log.Error("request failed", slog.String("request_id", requestID), slog.Any("error", err))
			message = "The console could not complete this request. The error was logged with request ID " + requestID + "."
		}
		if message == "" {
			message = defaultMessage(status)
		}
		if c.Request().Method == http.MethodHead {
			err = c.NoContent(status)
		} else {
			err = h.ErrorPage(c, status, title, message)
		}
		if err != nil {
			log.Error("error page failed", slog.String("request_id", requestID), slog.Any("error", err))
			_ = c.String(status, title)
		}
	}
}

func defaultMessage(status int) string {
	switch status {
	case http.StatusNotFound:
		return "There is nothing at this address. Check the link, or go back to the Security Groups pane."
	case http.StatusMethodNotAllowed:
		return "This address does not accept that kind of request."
	case http.StatusRequestEntityTooLarge:
		return "The form sent more data than the console accepts."
	}
	return "The request could not be completed."
}
