package handlers

import "github.com/labstack/echo/v4"

// ListEC2SecurityGroups lists the simulated EC2 security groups.
func (h *Handler) ListEC2SecurityGroups(c echo.Context) error { return errTODO }

// CreateEC2SecurityGroup adds one.
func (h *Handler) CreateEC2SecurityGroup(c echo.Context) error { return errTODO }

// DeleteEC2SecurityGroup removes one.
func (h *Handler) DeleteEC2SecurityGroup(c echo.Context) error { return errTODO }

// ListEC2Instances lists the simulated instances.
func (h *Handler) ListEC2Instances(c echo.Context) error { return errTODO }

// CreateEC2Instance adds one.
func (h *Handler) CreateEC2Instance(c echo.Context) error { return errTODO }

// DeleteEC2Instance terminates one.
func (h *Handler) DeleteEC2Instance(c echo.Context) error { return errTODO }

// ExplainConnectivity is the connectivity explainer.
func (h *Handler) ExplainConnectivity(c echo.Context) error { return errTODO }

// ListEvents is the Events page.
func (h *Handler) ListEvents(c echo.Context) error { return errTODO }
