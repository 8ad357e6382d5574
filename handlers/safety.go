package handlers

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// Safe deletes: every delete, Remove and Terminate of the console asks first (a dialog, or these
// confirmation pages without JavaScript). A cluster's delete, and a security group's that takes
// authorizations with it, also need the word "confirm" typed, which the server checks: a submit
// without it deletes nothing and shows the confirmation again with the error (422). The API never
// asks.

// ConfirmDeleteSecurityGroup is the confirmation step for browsers without JavaScript.
func (h *Handler) ConfirmDeleteSecurityGroup(c echo.Context) error {
	return h.renderDeleteGroup(c, http.StatusOK, c.Param("name"), "", "")
}

// renderDeleteGroup shows a group's delete confirmation: with the clusters that use it, the typed
// word's error, or a refusal (the default group).
func (h *Handler) renderDeleteGroup(c echo.Context, status int, name, typedError, refusal string) error {
	p, err := h.page(c, "Delete security group", views.NavSecurityGroups)
	if err != nil || !p.ClassicEnabled {
		return h.vpcNotice(c, p, err, "")
	}
	ctx := c.Request().Context()
	g, err := h.Store.GetSecurityGroup(ctx, scope(c), name)
	if err != nil {
		return notFound(err)
	}
	if g.IsDefault() && refusal == "" {
		refusal = "You cannot delete the default security group."
	}
	d := views.GroupDelete{Group: g, TypedError: typedError, Refusal: refusal}
	if refusal == "" {
		if d.Clusters, err = h.Store.ClustersUsingGroup(ctx, scope(c), g.Name); err != nil {
			return err
		}
	}
	p.Breadcrumbs = append(p.Breadcrumbs, groupsCrumb(p), views.Crumb{Label: g.Name, URL: p.Link(views.GroupPath(g.Name))}, views.Crumb{Label: "Delete"})
	return render(c, status, views.SecurityGroupDeletePage(p, d))
}

// DeleteSecurityGroup deletes a group after confirmation: never while clusters use it, and only
// with the typed word when authorizations go with it.
func (h *Handler) DeleteSecurityGroup(c echo.Context) error {
	name := strings.ToLower(c.Param("name"))
	ctx := c.Request().Context()
	g, err := h.Store.GetSecurityGroup(ctx, scope(c), name)
	if err != nil {
		return h.refuseForm(c, err, func(e *models.Error) error { return notFound(err) })
	}
	if !g.IsDefault() {
		clusters, err := h.Store.ClustersUsingGroup(ctx, scope(c), g.Name)
		if err != nil {
			return err
		}
		if len(clusters) > 0 {
			return h.renderDeleteGroup(c, http.StatusConflict, name, "", "")
		}
		if word := c.FormValue("confirm"); len(g.EC2SecurityGroups) > 0 && !views.TypedConfirmation(word) {
			return h.renderDeleteGroup(c, http.StatusUnprocessableEntity, name, views.TypedConfirmationError(word), "")
		}
	}
	if err := h.Store.DeleteSecurityGroup(ctx, scope(c), name); err != nil {
		return h.refuseForm(c, err, func(e *models.Error) error {
			return h.renderDeleteGroup(c, http.StatusConflict, name, "", e.Message)
		})
	}
	return h.redirectWithFlash(c, link(c, "/security-groups"),
		models.Flash{Kind: models.FlashSuccess, Text: fmt.Sprintf("Successfully deleted security group %s.", name)})
}

// ConfirmRevoke is Remove's confirmation step for browsers without JavaScript.
func (h *Handler) ConfirmRevoke(c echo.Context) error {
	p, err := h.page(c, "Remove EC2 security group", views.NavSecurityGroups)
	if err != nil || !p.ClassicEnabled {
		return h.vpcNotice(c, p, err, "")
	}
	g, err := h.Store.GetSecurityGroup(c.Request().Context(), scope(c), c.Param("name"))
	if err != nil {
		return notFound(err)
	}
	detail := p.Link(views.GroupPath(g.Name))
	r := views.RevokeConfirm{Group: g.Name, ReturnTo: localReturn(c.QueryParam("return_to"), "/security-groups", detail),
		Grant: models.EC2Grant{Name: strings.TrimSpace(c.QueryParam("ec2_security_group_name")), OwnerID: strings.TrimSpace(c.QueryParam("ec2_security_group_owner_id"))}}
	status, found := http.StatusOK, false
	for _, e := range g.EC2SecurityGroups {
		if strings.EqualFold(e.Name, r.Grant.Name) && e.OwnerID == r.Grant.OwnerID && e.Status != models.StatusRevoking {
			r.Grant, found = e, true
		}
	}
	if !found {
		status = http.StatusNotFound
		r.Refusal = fmt.Sprintf("EC2 security group %s (owner %s) is not authorized in %s, or is being removed already.", r.Grant.Name, r.Grant.OwnerID, g.Name)
	}
	p.Breadcrumbs = append(p.Breadcrumbs, groupsCrumb(p), views.Crumb{Label: g.Name, URL: detail}, views.Crumb{Label: "Remove"})
	return render(c, status, views.RevokeConfirmPage(p, r))
}

// ConfirmDeleteEC2SecurityGroup is the confirmation step for browsers without JavaScript.
func (h *Handler) ConfirmDeleteEC2SecurityGroup(c echo.Context) error {
	p, err := h.ec2Page(c, "Delete EC2 security group", views.NavEC2SecurityGroups, "/ec2/security-groups")
	if err != nil {
		return err
	}
	groups, err := h.Store.ListEC2SecurityGroups(c.Request().Context(), scope(c))
	if err != nil {
		return err
	}
	for _, g := range groups {
		if g.Name == c.Param("name") {
			p.Breadcrumbs = []views.Crumb{{Label: "EC2 (simulated)", URL: p.Link("/ec2/security-groups")},
				{Label: "Security groups", URL: p.Link("/ec2/security-groups")}, {Label: "Delete " + g.Name}}
			return render(c, http.StatusOK, views.EC2GroupDeletePage(p, views.EC2Confirm{Name: g.Name}))
		}
	}
	return echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("EC2 security group %s not found.", c.Param("name")))
}

// ConfirmTerminateEC2Instance is the confirmation step for browsers without JavaScript.
func (h *Handler) ConfirmTerminateEC2Instance(c echo.Context) error {
	p, err := h.ec2Page(c, "Terminate instance", views.NavEC2Instances, "/ec2/instances")
	if err != nil {
		return err
	}
	inst, err := h.Store.GetEC2Instance(c.Request().Context(), scope(c), c.Param("id"))
	if err != nil {
		return notFound(err)
	}
	p.Breadcrumbs = []views.Crumb{{Label: "EC2 (simulated)", URL: p.Link("/ec2/security-groups")},
		{Label: "Instances", URL: p.Link("/ec2/instances")}, {Label: "Terminate " + inst.InstanceID}}
	return render(c, http.StatusOK, views.InstanceTerminatePage(p, views.EC2Confirm{Name: inst.InstanceID, Label: views.InstanceLabel(inst)}))
}

// ConfirmDeleteCluster is the no-JavaScript confirmation.
func (h *Handler) ConfirmDeleteCluster(c echo.Context) error {
	return h.renderDeleteCluster(c, http.StatusOK, "", "")
}

func (h *Handler) renderDeleteCluster(c echo.Context, status int, typedError, refusal string) error {
	p, err := h.clusterPage(c, "Delete cache cluster")
	if err != nil {
		return err
	}
	cluster, err := h.Store.GetCluster(c.Request().Context(), scope(c), c.Param("id"))
	if err != nil {
		return notFound(err)
	}
	p.Breadcrumbs = append(p.Breadcrumbs, clustersCrumb(p), views.Crumb{Label: cluster.ID, URL: p.Link(views.ClusterPath(cluster.ID))}, views.Crumb{Label: "Delete"})
	return render(c, status, views.ClusterDeletePage(p, cluster, typedError, refusal, clusterReturn(c, "")))
}

// clusterReturn is where a cluster's delete goes back to: the page it came from when that is a
// cluster's page (the migration walkthrough links here with ?return_to=), else fallback.
func clusterReturn(c echo.Context, fallback string) string {
	raw := c.FormValue("return_to")
	return localReturn(raw, "/clusters/", fallback)
}

// DeleteCluster deletes a cluster once "confirm" is typed; it shows "deleting" until the
// propagation delay has passed.
func (h *Handler) DeleteCluster(c echo.Context) error {
	ctx := c.Request().Context()
	current, err := h.Store.GetCluster(ctx, scope(c), c.Param("id"))
	if err != nil {
		return notFound(err)
	}
	// A cluster that can't be deleted now is refused whatever was typed.
	if word := c.FormValue("confirm"); current.Status == models.ClusterAvailable && !views.TypedConfirmation(word) {
		return h.renderDeleteCluster(c, http.StatusUnprocessableEntity, views.TypedConfirmationError(word), "")
	}
	cluster, err := h.Store.DeleteCluster(ctx, scope(c), c.Param("id"))
	if err != nil {
		if e, ok := models.AsError(err); ok && e.Code == models.CodeInvalidCacheClusterState {
			return h.renderDeleteCluster(c, http.StatusConflict, "", e.Message)
		}
		return notFound(err)
	}
	return h.redirectWithFlash(c, clusterReturn(c, link(c, "/clusters")), models.Flash{Kind: models.FlashInProgress,
		Text: fmt.Sprintf("Deleting cache cluster %s.", cluster.ID), Done: fmt.Sprintf("Deleted cache cluster %s.", cluster.ID)})
}

// DismissFlash answers a flash's dismiss button. The flash was shown once and is gone already, so
// this only clears one still waiting and goes back to the page (the script stays on the page).
func (h *Handler) DismissFlash(c echo.Context) error {
	if token := SessionToken(c); token != "" {
		if _, err := h.Store.TakeFlash(c.Request().Context(), token); err != nil {
			return err
		}
	}
	if c.Request().Header.Get("X-Requested-With") == "fetch" {
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, localReturn(c.FormValue("return_to"), "/", "/security-groups"))
}
