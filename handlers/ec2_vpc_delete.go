package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// networkPart reads the region's network, in which the confirmation pages find the VPC or subnet
// the route names: another account's or region's is not found.
func (h *Handler) networkPart(c echo.Context) (models.Network, error) {
	return h.Store.GetNetwork(c.Request().Context(), scope(c))
}

// ConfirmDeleteVPC is the confirmation step for browsers without JavaScript.
func (h *Handler) ConfirmDeleteVPC(c echo.Context) error {
	n, err := h.networkPart(c)
	if err != nil {
		return err
	}
	id := strings.ToLower(c.Param("id"))
	for _, v := range n.VPCs {
		if v.VpcID == id {
			p, err := h.ec2Page(c, "Delete VPC", views.NavEC2VPCs, "/ec2/vpcs")
			if err != nil {
				return err
			}
			return render(c, http.StatusOK, views.VPCDeletePage(p, v, ""))
		}
	}
	return echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("The vpc ID '%s' does not exist.", id))
}

// DeleteVPC deletes a VPC that has nothing left in it but its default security group.
func (h *Handler) DeleteVPC(c echo.Context) error {
	return h.deleteNetworkPart(c, "VPC", h.Store.DeleteVPC)
}

// ConfirmDeleteSubnet is the confirmation step for browsers without JavaScript.
func (h *Handler) ConfirmDeleteSubnet(c echo.Context) error {
	n, err := h.networkPart(c)
	if err != nil {
		return err
	}
	id := strings.ToLower(c.Param("id"))
	for _, s := range n.Subnets {
		if s.SubnetID == id {
			p, err := h.ec2Page(c, "Delete subnet", views.NavEC2VPCs, "/ec2/vpcs")
			if err != nil {
				return err
			}
			return render(c, http.StatusOK, views.SubnetDeletePage(p, s, ""))
		}
	}
	return echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("The subnet ID '%s' does not exist.", id))
}

// DeleteSubnet deletes a subnet no cache subnet group or instance uses.
func (h *Handler) DeleteSubnet(c echo.Context) error {
	return h.deleteNetworkPart(c, "subnet", h.Store.DeleteSubnet)
}

// deleteNetworkPart deletes the VPC or subnet the route names; a refusal (DependencyViolation)
// is shown on the VPCs page.
func (h *Handler) deleteNetworkPart(c echo.Context, noun string, del func(context.Context, models.Scope, string) error) error {
	id := strings.ToLower(c.Param("id"))
	err := del(c.Request().Context(), scope(c), id)
	if e, ok := models.AsError(err); ok {
		if e.Kind() == models.KindNotFound {
			return notFound(err)
		}
		return h.renderVPCs(c, ec2Status(e), views.VPCForm{}, e.Message)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/ec2/vpcs"), models.Flash{Kind: "success", Text: fmt.Sprintf("Deleted %s %s.", noun, id)})
}
