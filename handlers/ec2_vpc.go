package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// ListVPCs shows the region's VPCs with their subnets and the VPC instances' placements.
func (h *Handler) ListVPCs(c echo.Context) error {
	return h.renderVPCs(c, http.StatusOK, views.VPCForm{}, "")
}

func (h *Handler) renderVPCs(c echo.Context, status int, form views.VPCForm, refusal string) error {
	p, err := h.ec2Page(c, "VPCs", views.NavEC2VPCs, "/ec2/vpcs")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	network, err := h.Store.GetNetwork(ctx, scope(c))
	if err != nil {
		return err
	}
	all, err := h.Store.ListEC2Instances(ctx, scope(c))
	if err != nil {
		return err
	}
	var instances []models.EC2Instance
	for _, i := range all {
		if i.Platform == models.PlatformVPC {
			instances = append(instances, i)
		}
	}
	placements, err := h.Store.ListPlacements(ctx, scope(c))
	if err != nil {
		return err
	}
	return render(c, status, views.EC2VPCsPage(p, views.VPCList{Network: network, Instances: instances, Placements: placements, Form: form, Refusal: refusal}))
}

// vpcRefused re-renders the VPCs page with the refusal next to the form's field.
func (h *Handler) vpcRefused(c echo.Context, form views.VPCForm, e *models.Error) error {
	form.Errors = views.FieldErrorsOf(e)
	if len(e.Fields) == 0 {
		form.Message = e.Message
	}
	return h.renderVPCs(c, http.StatusUnprocessableEntity, form, "")
}

// CreateVPC creates a VPC with its default security group.
func (h *Handler) CreateVPC(c echo.Context) error {
	form := views.VPCForm{Which: "vpc", Name: strings.TrimSpace(c.FormValue("name")), CIDR: strings.TrimSpace(c.FormValue("cidr"))}
	v, err := h.Store.CreateVPC(c.Request().Context(), scope(c), form.Name, form.CIDR)
	if e, ok := models.AsError(err); ok {
		return h.vpcRefused(c, form, e)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/ec2/vpcs"), models.Flash{Kind: "success", Text: fmt.Sprintf("Created VPC %s (%s).", v.VpcID, v.CIDR)})
}

// CreateSubnet adds a subnet to a VPC.
func (h *Handler) CreateSubnet(c echo.Context) error {
	form := views.VPCForm{Which: "subnet", VpcID: strings.TrimSpace(c.FormValue("vpc_id")), Zone: strings.TrimSpace(c.FormValue("availability_zone")),
		CIDR: strings.TrimSpace(c.FormValue("cidr"))}
	sn, err := h.Store.CreateSubnet(c.Request().Context(), scope(c), form.VpcID, form.Zone, form.CIDR)
	if e, ok := models.AsError(err); ok {
		return h.vpcRefused(c, form, e)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/ec2/vpcs"), models.Flash{Kind: "success", Text: fmt.Sprintf("Created subnet %s in %s (%s).", sn.SubnetID, sn.VpcID, sn.AvailabilityZone)})
}

// PlaceInstance puts a VPC instance in a subnet with VPC security groups.
func (h *Handler) PlaceInstance(c echo.Context) error {
	values, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	form := views.VPCForm{Which: "placement", InstanceID: strings.TrimSpace(values.Get("instance_id")), SubnetID: strings.TrimSpace(values.Get("subnet_id")),
		GroupIDs: ec2Names(values["vpc_security_group_ids"])}
	pl, err := h.Store.PlaceInstance(c.Request().Context(), scope(c), form.InstanceID, form.SubnetID, form.GroupIDs)
	if e, ok := models.AsError(err); ok {
		if e.Code == models.CodeEC2InstanceNotFound {
			return notFound(err)
		}
		return h.vpcRefused(c, form, e)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/ec2/vpcs"), models.Flash{Kind: "success", Text: fmt.Sprintf("Placed instance %s in subnet %s.", pl.InstanceID, pl.SubnetID)})
}

// ListVPCSecurityGroups shows the VPC security groups with their inbound rules.
func (h *Handler) ListVPCSecurityGroups(c echo.Context) error {
	return h.renderVPCGroups(c, http.StatusOK, views.VPCGroupForm{}, "")
}

func (h *Handler) renderVPCGroups(c echo.Context, status int, form views.VPCGroupForm, refusal string) error {
	p, err := h.ec2Page(c, "VPC security groups", views.NavEC2VPCSecurityGroups, "/ec2/vpc-security-groups")
	if err != nil {
		return err
	}
	network, err := h.Store.GetNetwork(c.Request().Context(), scope(c))
	if err != nil {
		return err
	}
	return render(c, status, views.EC2VPCSecurityGroupsPage(p, views.VPCGroupList{Network: network, Form: form, Refusal: refusal}))
}

func (h *Handler) vpcGroupRefused(c echo.Context, form views.VPCGroupForm, e *models.Error) error {
	form.Errors = views.FieldErrorsOf(e)
	if len(e.Fields) == 0 {
		form.Message = e.Message
	}
	return h.renderVPCGroups(c, http.StatusUnprocessableEntity, form, "")
}

// CreateVPCSecurityGroup adds a group to a VPC.
func (h *Handler) CreateVPCSecurityGroup(c echo.Context) error {
	form := views.VPCGroupForm{Which: "group", VpcID: strings.TrimSpace(c.FormValue("vpc_id")), Name: strings.TrimSpace(c.FormValue("name")),
		Description: strings.TrimSpace(c.FormValue("description"))}
	g, err := h.Store.CreateVPCSecurityGroup(c.Request().Context(), scope(c), form.VpcID, form.Name, form.Description)
	if e, ok := models.AsError(err); ok {
		return h.vpcGroupRefused(c, form, e)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/ec2/vpc-security-groups"), models.Flash{Kind: "success", Text: fmt.Sprintf("Created VPC security group %s (%s) in %s.", g.GroupID, g.Name, g.VpcID)})
}

// ruleForm reads a rule form; an empty or unreadable port becomes -1, which the models refuse.
func ruleForm(c echo.Context) (views.VPCGroupForm, models.VPCRule) {
	form := views.VPCGroupForm{Which: strings.ToLower(c.Param("id")), FromPort: strings.TrimSpace(c.FormValue("from_port")),
		ToPort: strings.TrimSpace(c.FormValue("to_port")), Source: strings.TrimSpace(c.FormValue("source"))}
	port := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			return -1
		}
		return n
	}
	rule := models.VPCRule{FromPort: port(form.FromPort), ToPort: port(form.ToPort), Source: form.Source}
	if form.ToPort == "" {
		rule.ToPort = rule.FromPort
	}
	return form, rule
}

// AuthorizeVPCIngress adds an inbound rule.
func (h *Handler) AuthorizeVPCIngress(c echo.Context) error {
	form, rule := ruleForm(c)
	g, err := h.Store.AuthorizeVPCIngress(c.Request().Context(), scope(c), c.Param("id"), rule)
	if e, ok := models.AsError(err); ok {
		if e.Code == models.CodeEC2GroupNotFound && len(e.Fields) == 0 {
			return notFound(err)
		}
		return h.vpcGroupRefused(c, form, e)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/ec2/vpc-security-groups"), models.Flash{Kind: "success", Text: fmt.Sprintf("Added an inbound rule to %s.", g.GroupID)})
}

// RevokeVPCIngress removes an inbound rule.
func (h *Handler) RevokeVPCIngress(c echo.Context) error {
	_, rule := ruleForm(c)
	g, err := h.Store.RevokeVPCIngress(c.Request().Context(), scope(c), c.Param("id"), rule)
	if e, ok := models.AsError(err); ok {
		if e.Kind() == models.KindNotFound && e.Code == models.CodeEC2GroupNotFound {
			return notFound(err)
		}
		return h.renderVPCGroups(c, ec2Status(e), views.VPCGroupForm{}, e.Message)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/ec2/vpc-security-groups"), models.Flash{Kind: "success", Text: fmt.Sprintf("Removed an inbound rule of %s.", g.GroupID)})
}

// ConfirmDeleteVPCSecurityGroup is the confirmation step for browsers without JavaScript.
func (h *Handler) ConfirmDeleteVPCSecurityGroup(c echo.Context) error {
	g, err := h.Store.GetVPCSecurityGroup(c.Request().Context(), scope(c), c.Param("id"))
	if err != nil {
		return notFound(err)
	}
	p, err := h.ec2Page(c, "Delete VPC security group", views.NavEC2VPCSecurityGroups, "/ec2/vpc-security-groups")
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.VPCGroupDeletePage(p, g, ""))
}

// DeleteVPCSecurityGroup deletes a group nothing depends on.
func (h *Handler) DeleteVPCSecurityGroup(c echo.Context) error {
	id := strings.ToLower(c.Param("id"))
	err := h.Store.DeleteVPCSecurityGroup(c.Request().Context(), scope(c), id)
	if e, ok := models.AsError(err); ok {
		if e.Code == models.CodeEC2GroupNotFound {
			return notFound(err)
		}
		return h.renderVPCGroups(c, ec2Status(e), views.VPCGroupForm{}, e.Message)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/ec2/vpc-security-groups"), models.Flash{Kind: "success", Text: fmt.Sprintf("Deleted VPC security group %s.", id)})
}
