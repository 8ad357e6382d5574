package handlers

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// ListSubnetGroups lists the region's cache subnet groups with the create form.
func (h *Handler) ListSubnetGroups(c echo.Context) error {
	return h.renderSubnetGroups(c, http.StatusOK, views.SubnetGroupForm{})
}

func (h *Handler) renderSubnetGroups(c echo.Context, status int, form views.SubnetGroupForm) error {
	p, err := h.page(c, "Subnet groups", views.NavSubnetGroups)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	// One page of the most the API allows: the console has no pager for subnet groups yet.
	page, err := h.Store.ListSubnetGroups(ctx, scope(c), "", models.MaxSubnetGroups)
	if err != nil {
		return err
	}
	network, err := h.Store.GetNetwork(ctx, scope(c))
	if err != nil {
		return err
	}
	return render(c, status, views.SubnetGroupsPage(p, views.SubnetGroupList{Groups: page.Items, Network: network, Form: form}))
}

// subnetGroupForm reads the create or modify form.
func subnetGroupForm(c echo.Context) (views.SubnetGroupForm, error) {
	values, err := c.FormParams()
	if err != nil {
		return views.SubnetGroupForm{}, echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	return views.SubnetGroupForm{Name: strings.TrimSpace(values.Get("subnet_group_name")),
		Description: strings.TrimSpace(values.Get("subnet_group_description")), SubnetIDs: ec2Names(values["subnet_ids"])}, nil
}

// formFailure puts a refusal next to its field, or above the form when it names none.
func formFailure(form *views.SubnetGroupForm, e *models.Error) {
	form.Errors = views.FieldErrorsOf(e)
	if len(e.Fields) == 0 {
		form.Message = e.Message
	}
}

// CreateSubnetGroup creates one, or shows the form again with what went wrong.
func (h *Handler) CreateSubnetGroup(c echo.Context) error {
	form, err := subnetGroupForm(c)
	if err != nil {
		return err
	}
	g, err := h.Store.CreateSubnetGroup(c.Request().Context(), scope(c), models.NewSubnetGroup{Name: form.Name, Description: form.Description, SubnetIDs: form.SubnetIDs})
	if e, ok := models.AsError(err); ok {
		formFailure(&form, e)
		return h.renderSubnetGroups(c, http.StatusUnprocessableEntity, form)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, views.SubnetGroupPath(g.Name)),
		models.Flash{Kind: "success", Text: fmt.Sprintf("Created subnet group %s in %s.", g.Name, g.VpcID)})
}

// ShowSubnetGroup shows one subnet group with the modify form.
func (h *Handler) ShowSubnetGroup(c echo.Context) error {
	return h.renderSubnetGroup(c, http.StatusOK, nil, "")
}

func (h *Handler) renderSubnetGroup(c echo.Context, status int, form *views.SubnetGroupForm, refusal string) error {
	ctx := c.Request().Context()
	g, err := h.Store.GetSubnetGroup(ctx, scope(c), c.Param("name"))
	if err != nil {
		return notFound(err)
	}
	p, err := h.page(c, g.Name, views.NavSubnetGroups, views.Crumb{Label: "Subnet groups", URL: link(c, "/subnet-groups")}, views.Crumb{Label: g.Name})
	if err != nil {
		return err
	}
	network, err := h.Store.GetNetwork(ctx, scope(c))
	if err != nil {
		return err
	}
	if form == nil {
		form = &views.SubnetGroupForm{Description: g.Description, SubnetIDs: views.SubnetIDsOf(g)}
	}
	return render(c, status, views.SubnetGroupPage(p, views.SubnetGroupDetail{Group: g, Network: network, Form: *form, Refusal: refusal}))
}

// ModifySubnetGroup changes the description and the subnets.
func (h *Handler) ModifySubnetGroup(c echo.Context) error {
	form, err := subnetGroupForm(c)
	if err != nil {
		return err
	}
	g, err := h.Store.ModifySubnetGroup(c.Request().Context(), scope(c), c.Param("name"), &form.Description, form.SubnetIDs)
	if e, ok := models.AsError(err); ok {
		if e.Code == models.CodeSubnetGroupNotFound {
			return notFound(err)
		}
		formFailure(&form, e)
		return h.renderSubnetGroup(c, http.StatusUnprocessableEntity, &form, "")
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, views.SubnetGroupPath(g.Name)),
		models.Flash{Kind: "success", Text: fmt.Sprintf("Saved subnet group %s.", g.Name)})
}

// ConfirmDeleteSubnetGroup is the confirmation step for browsers without JavaScript.
func (h *Handler) ConfirmDeleteSubnetGroup(c echo.Context) error {
	g, err := h.Store.GetSubnetGroup(c.Request().Context(), scope(c), c.Param("name"))
	if err != nil {
		return notFound(err)
	}
	p, err := h.page(c, "Delete subnet group", views.NavSubnetGroups, views.Crumb{Label: "Subnet groups", URL: link(c, "/subnet-groups")},
		views.Crumb{Label: g.Name, URL: link(c, views.SubnetGroupPath(g.Name))}, views.Crumb{Label: "Delete"})
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.SubnetGroupDeletePage(p, views.SubnetGroupDetail{Group: g}))
}

// DeleteSubnetGroup deletes one; a group clusters run in is refused on its page.
func (h *Handler) DeleteSubnetGroup(c echo.Context) error {
	name := strings.ToLower(c.Param("name"))
	err := h.Store.DeleteSubnetGroup(c.Request().Context(), scope(c), name)
	if e, ok := models.AsError(err); ok {
		if e.Code == models.CodeSubnetGroupNotFound {
			return notFound(err)
		}
		return h.renderSubnetGroup(c, http.StatusConflict, nil, e.Message)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/subnet-groups"), models.Flash{Kind: "success", Text: fmt.Sprintf("Deleted subnet group %s.", name)})
}
