package handlers

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// ec2Page is the chrome of the simulated EC2 area, with its own breadcrumbs.
func (h *Handler) ec2Page(c echo.Context, title, nav, path string) (views.Page, error) {
	p, err := h.page(c, title, nav)
	if err != nil {
		return p, err
	}
	p.Breadcrumbs = []views.Crumb{{Label: "EC2 (simulated)", URL: p.Link("/ec2/security-groups")}, {Label: title}}
	return p, nil
}

// ListEC2SecurityGroups lists the simulated EC2 security groups with the create form.
func (h *Handler) ListEC2SecurityGroups(c echo.Context) error {
	return h.renderEC2Groups(c, http.StatusOK, views.EC2GroupForm{}, "")
}

func (h *Handler) renderEC2Groups(c echo.Context, status int, form views.EC2GroupForm, refusal string) error {
	p, err := h.ec2Page(c, "Security groups", views.NavEC2SecurityGroups, "/ec2/security-groups")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	groups, err := h.Store.ListEC2SecurityGroups(ctx, scope(c))
	if err != nil {
		return err
	}
	instances, err := h.Store.ListEC2Instances(ctx, scope(c))
	if err != nil {
		return err
	}
	if form.Platform == "" {
		form.Platform = defaultPlatform(p)
	}
	return render(c, status, views.EC2SecurityGroupsPage(p, views.EC2GroupList{Groups: groups, Instances: instances, Form: form, Refusal: refusal}))
}

// defaultPlatform is the platform a create form starts with.
func defaultPlatform(p views.Page) string {
	if p.ClassicEnabled {
		return string(models.PlatformClassic)
	}
	return string(models.PlatformVPC)
}

// CreateEC2SecurityGroup adds one, or shows the form again with what went wrong.
func (h *Handler) CreateEC2SecurityGroup(c echo.Context) error {
	form := views.EC2GroupForm{Name: strings.TrimSpace(c.FormValue("name")), Platform: strings.TrimSpace(c.FormValue("platform")),
		Description: strings.TrimSpace(c.FormValue("description"))}
	g, err := h.Store.CreateEC2SecurityGroup(c.Request().Context(), scope(c), form.Name, form.Description, models.Platform(form.Platform))
	if e, ok := models.AsError(err); ok {
		form.Errors = views.FieldErrorsOf(e)
		if len(e.Fields) == 0 {
			form.Message = e.Message
		}
		return h.renderEC2Groups(c, http.StatusUnprocessableEntity, form, "")
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/ec2/security-groups"),
		models.Flash{Kind: "success", Text: fmt.Sprintf("Created EC2 security group %s (%s).", g.Name, g.Platform.Short())})
}

// DeleteEC2SecurityGroup removes one; a group in use is refused on the re-rendered list.
func (h *Handler) DeleteEC2SecurityGroup(c echo.Context) error {
	name := c.Param("name")
	err := h.Store.DeleteEC2SecurityGroup(c.Request().Context(), scope(c), name)
	if e, ok := models.AsError(err); ok {
		return h.renderEC2Groups(c, ec2Status(e), views.EC2GroupForm{}, e.Message)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/ec2/security-groups"),
		models.Flash{Kind: "success", Text: fmt.Sprintf("Deleted EC2 security group %s.", name)})
}

// ListEC2Instances lists the simulated instances with the launch form.
func (h *Handler) ListEC2Instances(c echo.Context) error {
	return h.renderEC2Instances(c, http.StatusOK, views.EC2InstanceForm{}, "")
}

func (h *Handler) renderEC2Instances(c echo.Context, status int, form views.EC2InstanceForm, refusal string) error {
	p, err := h.ec2Page(c, "Instances", views.NavEC2Instances, "/ec2/instances")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	instances, err := h.Store.ListEC2Instances(ctx, scope(c))
	if err != nil {
		return err
	}
	groups, err := h.Store.ListEC2SecurityGroups(ctx, scope(c))
	if err != nil {
		return err
	}
	if form.Platform == "" {
		form.Platform = defaultPlatform(p)
	}
	return render(c, status, views.EC2InstancesPage(p, views.EC2InstanceList{Instances: instances, Groups: groups, Form: form, Refusal: refusal}))
}

// CreateEC2Instance launches a simulated instance, or shows the form again with what went wrong.
func (h *Handler) CreateEC2Instance(c echo.Context) error {
	values, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	form := views.EC2InstanceForm{InstanceID: strings.TrimSpace(values.Get("instance_id")), Name: strings.TrimSpace(values.Get("name")),
		Platform: strings.TrimSpace(values.Get("platform")), SecurityGroups: ec2Names(values["security_groups"])}
	inst, err := h.Store.CreateEC2Instance(c.Request().Context(), scope(c), models.NewEC2Instance{
		InstanceID: form.InstanceID, Name: form.Name, Platform: models.Platform(form.Platform), SecurityGroups: form.SecurityGroups})
	if e, ok := models.AsError(err); ok {
		form.Errors = views.FieldErrorsOf(e)
		if len(e.Fields) == 0 {
			form.Message = e.Message
		}
		return h.renderEC2Instances(c, http.StatusUnprocessableEntity, form, "")
	}
	if err != nil {
		return err
	}
	label := inst.InstanceID
	if inst.Name != "" {
		label += " (" + inst.Name + ")"
	}
	return h.redirectWithFlash(c, link(c, "/ec2/instances"),
		models.Flash{Kind: "success", Text: fmt.Sprintf("Launched instance %s in %s.", label, inst.Platform.Short())})
}

// DeleteEC2Instance terminates one.
func (h *Handler) DeleteEC2Instance(c echo.Context) error {
	id := c.Param("id")
	err := h.Store.DeleteEC2Instance(c.Request().Context(), scope(c), id)
	if e, ok := models.AsError(err); ok {
		return h.renderEC2Instances(c, ec2Status(e), views.EC2InstanceForm{}, e.Message)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/ec2/instances"),
		models.Flash{Kind: "success", Text: fmt.Sprintf("Terminated instance %s.", strings.ToLower(id))})
}

// ec2Names drops blank and repeated values of a repeated form field, keeping their order.
func ec2Names(values []string) []string {
	out := make([]string, 0, len(values))
	seen := map[string]bool{}
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
