package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"sgconsole/handlers"
)

// requireAdminOr404 keeps the workshop pages to admins. For anyone else they do not exist: the
// answer is the very 404 of an address the console never had, not a 403 that would tell trainees
// where the instructor's dashboard and their classmates' credentials are.
func requireAdminOr404(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if u, ok := handlers.CurrentUser(c); !ok || !u.Role.IsAdmin() {
			return echo.NewHTTPError(http.StatusNotFound)
		}
		return next(c)
	}
}
