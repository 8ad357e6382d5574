package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// ListEvents is the Events page: newest first, filtered by source type and window, 50 a page.
func (h *Handler) ListEvents(c echo.Context) error {
	p, err := h.page(c, "Events", views.NavEvents, views.Crumb{Label: "Events"})
	if err != nil {
		return err
	}
	v := views.EventList{SourceType: strings.TrimSpace(c.QueryParam("source_type")), Window: strings.TrimSpace(c.QueryParam("window")), Errors: views.FieldErrors{}}
	if v.Window == "" {
		v.Window = views.DefaultEventWindow
	}
	window, ok := views.EventWindow(v.Window)
	if !ok {
		v.Errors["window"] = "Choose one of the listed periods."
	}
	if v.SourceType != "" && !models.ValidSourceType(v.SourceType) {
		v.Errors["source_type"] = "Choose one of the listed source types."
	}
	if len(v.Errors) > 0 {
		return render(c, http.StatusBadRequest, views.EventsPage(p, v))
	}
	v.Page, _ = strconv.Atoi(c.QueryParam("page"))
	v.Page = max(v.Page, 1)
	ctx := c.Request().Context()
	q := models.EventQuery{SourceType: v.SourceType, Window: window, Limit: views.EventsPerPage}
	for {
		q.Offset = (v.Page - 1) * views.EventsPerPage
		if v.Events, err = h.Store.ListEvents(ctx, scope(c), q); err != nil {
			return err
		}
		v.Pages = max(1, (v.Events.Total+views.EventsPerPage-1)/views.EventsPerPage)
		if v.Page <= v.Pages {
			break
		}
		v.Page = v.Pages // past the end: show the last page
	}
	if v.Existing, err = h.eventSources(c, p); err != nil {
		return err
	}
	return render(c, http.StatusOK, views.EventsPage(p, v))
}

// eventSources lists the clusters and cache security groups that still exist, so events can link to them.
func (h *Handler) eventSources(c echo.Context, p views.Page) (map[string]bool, error) {
	ctx := c.Request().Context()
	existing := map[string]bool{}
	clusters, err := h.Store.ListClusters(ctx, scope(c), models.ClusterListOptions{Size: 100})
	if err != nil {
		return nil, err
	}
	for _, cl := range clusters.Items {
		existing[views.EventSourceKey(models.SourceCacheCluster, cl.ID)] = true
	}
	if !p.ClassicEnabled {
		return existing, nil // cache security groups are not shown in a VPC-only region
	}
	groups, err := h.Store.ListSecurityGroups(ctx, scope(c), models.ListOptions{Size: 100})
	if err != nil {
		return nil, err
	}
	for _, g := range groups.Items {
		existing[views.EventSourceKey(models.SourceCacheSecurityGroup, g.Name)] = true
	}
	return existing, nil
}
