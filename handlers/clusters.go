package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

var errTODO = echo.NewHTTPError(http.StatusNotImplemented, "Not built yet.")

// ListClusters lists the region's cache clusters.
func (h *Handler) ListClusters(c echo.Context) error { return errTODO }

// NewCluster shows the create form.
func (h *Handler) NewCluster(c echo.Context) error { return errTODO }

// CreateCluster creates a cluster from the form.
func (h *Handler) CreateCluster(c echo.Context) error { return errTODO }

// ShowCluster is a cluster's detail page.
func (h *Handler) ShowCluster(c echo.Context) error { return errTODO }

// EditClusterSecurityGroups shows the Modify form.
func (h *Handler) EditClusterSecurityGroups(c echo.Context) error { return errTODO }

// ModifyCluster replaces the cluster's cache security groups.
func (h *Handler) ModifyCluster(c echo.Context) error { return errTODO }

// ConfirmDeleteCluster is the no-JavaScript confirmation.
func (h *Handler) ConfirmDeleteCluster(c echo.Context) error { return errTODO }

// DeleteCluster deletes a cluster.
func (h *Handler) DeleteCluster(c echo.Context) error { return errTODO }
