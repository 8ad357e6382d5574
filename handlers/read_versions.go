package handlers

import (
	"github.com/labstack/echo/v4"

	"sgconsole/models"
)

// RequestVersions lets a console request check its scope's version once, however many of the
// scope's reads the page makes (the chrome's platform, the list, the panel; see
// models.WithRequestVersions).
func RequestVersions(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		c.SetRequest(r.WithContext(models.WithRequestVersions(r.Context())))
		return next(c)
	}
}
