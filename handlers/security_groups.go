package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

func groupsCrumb(p views.Page) views.Crumb {
	return views.Crumb{Label: "Security Groups", URL: p.Link("/security-groups")}
}

// ListSecurityGroups shows the pane: the list, and the split panel of the group whose box is ticked.
func (h *Handler) ListSecurityGroups(c echo.Context) error {
	return h.renderList(c, http.StatusOK, c.QueryParams(), views.AuthorizeForm{})
}

func (h *Handler) renderList(c echo.Context, status int, query url.Values, form views.AuthorizeForm) error {
	p, err := h.page(c, "Security Groups", views.NavSecurityGroups, views.Crumb{Label: "Security Groups"})
	if err != nil || !p.ClassicEnabled {
		return h.vpcNotice(c, p, err, "")
	}
	page, _ := strconv.Atoi(query.Get("page"))
	size, _ := strconv.Atoi(query.Get("size"))
	opts := models.ListOptions{Filter: strings.TrimSpace(query.Get("filter")), Page: page, Size: size, Descending: query.Get("sort") == "-name"}
	if err := models.ValidFilter(opts.Filter); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Message+" Shorten the filter and try again.")
	}
	groups, err := h.Store.ListSecurityGroups(c.Request().Context(), scope(c), opts)
	if err != nil {
		return err
	}
	list := views.SecurityGroupList{Groups: groups}
	if name := query.Get("selected"); name != "" {
		panel, err := h.groupPanel(c, name, form, views.Link("/security-groups", p.Region, "account", p.AccountParam(), "readonly", p.ReadOnlyParam(), "filter", opts.Filter,
			"sort", query.Get("sort"), "size", query.Get("size"), "page", query.Get("page"), "selected", strings.ToLower(name)))
		if err != nil && !models.HasCode(err, models.CodeCacheSecurityGroupNotFound) {
			return err
		}
		if err == nil {
			list.Selected = &panel
			p.Pending = panel.Group.Pending() || models.AnyPending(panel.Clusters)
		}
	}
	for _, g := range groups.Items {
		p.Pending = p.Pending || g.Pending()
	}
	if list.Table, err = h.renderedTable(c, p, list); err != nil {
		return err
	}
	return render(c, status, views.SecurityGroupListPage(p, list))
}

func (h *Handler) groupPanel(c echo.Context, name string, form views.AuthorizeForm, returnTo string) (views.GroupPanel, error) {
	ctx := c.Request().Context()
	g, err := h.Store.GetSecurityGroup(ctx, scope(c), name)
	if err != nil {
		return views.GroupPanel{}, err
	}
	ec2Groups, err := h.Store.AuthorizableEC2SecurityGroups(ctx, scope(c))
	if err != nil {
		return views.GroupPanel{}, err
	}
	clusters, err := h.Store.ClustersUsingGroup(ctx, scope(c), g.Name)
	if err != nil {
		return views.GroupPanel{}, err
	}
	if form.OwnerID == "" && form.Errors == nil {
		form.OwnerID = g.OwnerID
	}
	return views.GroupPanel{Group: g, EC2Groups: ec2Groups, Form: form, ReturnTo: returnTo, Clusters: clusters}, nil
}

// vpcNotice answers every Security Groups URL of a VPC-only region.
func (h *Handler) vpcNotice(c echo.Context, p views.Page, err error, refusal string) error {
	if err != nil {
		return err
	}
	status := http.StatusOK
	if refusal != "" {
		status = http.StatusForbidden
	}
	return render(c, status, views.VPCNoticePage(p, refusal))
}

// ShowSecurityGroup is the bookmarkable detail page of one group.
func (h *Handler) ShowSecurityGroup(c echo.Context) error {
	return h.renderDetail(c, http.StatusOK, views.AuthorizeForm{})
}

func (h *Handler) renderDetail(c echo.Context, status int, form views.AuthorizeForm) error {
	name := c.Param("name")
	p, err := h.page(c, name, views.NavSecurityGroups)
	if err != nil || !p.ClassicEnabled {
		return h.vpcNotice(c, p, err, "")
	}
	panel, err := h.groupPanel(c, name, form, p.Link(views.GroupPath(strings.ToLower(name))))
	if err != nil {
		return notFound(err)
	}
	p.Title, p.Pending = panel.Group.Name, panel.Group.Pending() || models.AnyPending(panel.Clusters)
	p.Breadcrumbs = append(p.Breadcrumbs, groupsCrumb(p), views.Crumb{Label: panel.Group.Name})
	return render(c, status, views.SecurityGroupDetailPage(p, panel))
}

// NewSecurityGroup shows the empty create form.
func (h *Handler) NewSecurityGroup(c echo.Context) error {
	return h.renderNew(c, http.StatusOK, views.CreateForm{})
}

func (h *Handler) renderNew(c echo.Context, status int, form views.CreateForm) error {
	p, err := h.page(c, "Create Security Group", views.NavSecurityGroups)
	if err != nil || !p.ClassicEnabled {
		return h.vpcNotice(c, p, err, "")
	}
	p.Breadcrumbs = append(p.Breadcrumbs, groupsCrumb(p), views.Crumb{Label: "Create Security Group"})
	return render(c, status, views.SecurityGroupNewPage(p, form))
}

// CreateSecurityGroup creates a group from the form, or shows the form again with what went wrong.
func (h *Handler) CreateSecurityGroup(c echo.Context) error {
	form := views.CreateForm{Name: strings.TrimSpace(c.FormValue("name")), Description: strings.TrimSpace(c.FormValue("description"))}
	g, err := h.Store.CreateSecurityGroup(c.Request().Context(), scope(c), form.Name, form.Description)
	if err != nil {
		return h.refuseForm(c, err, func(e *models.Error) error {
			form.Errors = views.FieldErrorsOf(e)
			if len(e.Fields) == 0 {
				form.Message = e.Message
			}
			return h.renderNew(c, http.StatusUnprocessableEntity, form)
		})
	}
	return h.redirectWithFlash(c, link(c, views.GroupPath(g.Name)),
		models.Flash{Kind: "success", Text: fmt.Sprintf("Successfully created security group %s.", g.Name)})
}

// refuseForm routes a failed write: the VPC-only refusal gets the notice, other domain errors go
// back to the form, anything else is a server error.
func (h *Handler) refuseForm(c echo.Context, err error, reRender func(*models.Error) error) error {
	if classicRefused(err) {
		p, perr := h.page(c, "Security Groups", views.NavSecurityGroups)
		return h.vpcNotice(c, p, perr, models.MessageClassicNotPermitted)
	}
	if e, ok := models.AsError(err); ok && e.Code != models.CodeCacheSecurityGroupNotFound {
		return reRender(e)
	}
	return notFound(err)
}

// Authorize adds an EC2 security group to the group ("Add").
func (h *Handler) Authorize(c echo.Context) error {
	return h.changeIngress(c, h.Store.AuthorizeIngress, "Authorizing EC2 security group %s (owner %s) in %s. It takes effect in about %s.",
		"Authorized EC2 security group %s (owner %s) in %s.")
}

// Revoke removes an EC2 security group from the group ("Remove").
func (h *Handler) Revoke(c echo.Context) error {
	return h.changeIngress(c, h.Store.RevokeIngress, "Revoking EC2 security group %s (owner %s) from %s. It takes effect in about %s.",
		"Removed EC2 security group %s (owner %s) from %s.")
}

type ingressChange func(ctx context.Context, s models.Scope, group, ec2Name, ownerID string) (models.SecurityGroup, error)

// changeIngress runs Add or Remove; doing is its in-progress flash and done the success it turns into.
func (h *Handler) changeIngress(c echo.Context, change ingressChange, doing, done string) error {
	name := strings.ToLower(c.Param("name"))
	form := views.AuthorizeForm{EC2Name: strings.TrimSpace(c.FormValue("ec2_security_group_name")), OwnerID: strings.TrimSpace(c.FormValue("ec2_security_group_owner_id"))}
	detail := link(c, views.GroupPath(name))
	returnTo := localReturn(c.FormValue("return_to"), "/security-groups", detail)
	g, err := change(c.Request().Context(), scope(c), name, form.EC2Name, form.OwnerID)
	if err != nil {
		return h.refuseForm(c, err, func(e *models.Error) error {
			form.Errors = views.FieldErrorsOf(e)
			if len(e.Fields) == 0 {
				form.Message = e.Message
			}
			if u, _ := url.Parse(returnTo); u != nil && u.Path == "/security-groups" {
				q := u.Query()
				q.Set("selected", name)
				return h.renderList(c, http.StatusUnprocessableEntity, q, form)
			}
			return h.renderDetail(c, http.StatusUnprocessableEntity, form)
		})
	}
	// Land on the row that changed, in the split panel or on the detail page.
	row := views.EC2RowID(form.EC2Name, form.OwnerID)
	for _, e := range g.EC2SecurityGroups {
		if strings.EqualFold(e.Name, form.EC2Name) && e.OwnerID == form.OwnerID {
			row = views.EC2RowID(e.Name, e.OwnerID)
		}
	}
	return h.redirectWithFlash(c, withAnchor(returnTo, row), models.Flash{Kind: models.FlashInProgress,
		Text: fmt.Sprintf(doing, form.EC2Name, form.OwnerID, g.Name, h.Store.PropagationDelay),
		Done: fmt.Sprintf(done, form.EC2Name, form.OwnerID, g.Name)})
}

// renderedTable is the list's table, rendered once per page stamp and everything else it shows
// (views.SecurityGroupTableKey): the same page asked again before anything changed is not rebuilt.
func (h *Handler) renderedTable(c echo.Context, p views.Page, list views.SecurityGroupList) (templ.Component, error) {
	if len(list.Groups.Items) == 0 {
		return nil, nil
	}
	html, err := h.Store.Rendered(scope(c), list.Groups.Stamp, views.SecurityGroupTableKey(p, list), func() ([]byte, error) {
		var buf bytes.Buffer
		err := views.SecurityGroupTable(p, list).Render(c.Request().Context(), &buf)
		return buf.Bytes(), err
	})
	if err != nil {
		return nil, err
	}
	return templ.Raw(string(html)), nil
}
