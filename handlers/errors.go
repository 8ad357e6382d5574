package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
)

// consoleStatus is the console's one map from a domain error to the status of the page that shows
// it. It branches on the error's kind and code only, never on its message, so rewording a message
// cannot change a status. otherwise is the page's status for every other refusal (422 for a form
// shown again with the reason, 400 for a query the page cannot answer).
func consoleStatus(e *models.Error, otherwise int) int {
	switch {
	case e.Kind() == models.KindNotFound:
		return http.StatusNotFound
	case e.Code == models.CodeDependencyViolation:
		// Deleting an EC2 group still in use: the one state conflict the console shows as 409;
		// the cache-side state conflicts go back to their forms with otherwise.
		return http.StatusConflict
	}
	return otherwise
}

// classicRefused reports whether err is the service's refusal for VPC-only regions.
func classicRefused(err error) bool {
	return errors.Is(err, models.ErrClassicNotPermitted)
}

// notFound turns a missing resource (a cache security group, a cluster, an EC2 instance or group)
// into a 404 page; any other error passes through.
func notFound(err error) error {
	if e, ok := models.AsError(err); ok && consoleStatus(e, 0) == http.StatusNotFound {
		return echo.NewHTTPError(http.StatusNotFound, e.Message)
	}
	return err
}

// ec2Status is the status a refused EC2 write is shown with.
func ec2Status(e *models.Error) int { return consoleStatus(e, http.StatusUnprocessableEntity) }
