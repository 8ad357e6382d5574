package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// ExplainConnectivity is the connectivity explainer: a GET form, so a verdict can be linked.
func (h *Handler) ExplainConnectivity(c echo.Context) error {
	p, err := h.page(c, "Connectivity explainer", views.NavConnectivity, views.Crumb{Label: "Connectivity explainer"})
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	instances, err := h.Store.ListEC2Instances(ctx, scope(c))
	if err != nil {
		return err
	}
	clusters, err := h.Store.ListClusters(ctx, scope(c), models.ClusterListOptions{Size: 100})
	if err != nil {
		return err
	}
	v := views.ConnectivityView{
		Instances:  instances,
		Clusters:   clusters.Items,
		InstanceID: strings.TrimSpace(c.QueryParam("instance")),
		ClusterID:  strings.TrimSpace(c.QueryParam("cluster")),
	}
	status := http.StatusOK
	switch {
	case v.InstanceID == "" && v.ClusterID == "":
	case v.InstanceID == "" || v.ClusterID == "":
		v.Error, status = "Choose both an EC2 instance and a cache cluster.", http.StatusBadRequest
	default:
		x, err := h.Store.ExplainConnectivity(ctx, scope(c), v.InstanceID, v.ClusterID)
		if e, ok := models.AsError(err); ok {
			v.Error, status = e.Message, consoleStatus(e, http.StatusBadRequest)
			break
		}
		if err != nil {
			return err
		}
		v.Result = &x
		v.InstanceID, v.ClusterID = x.Instance.InstanceID, x.Cluster.ID
		p.Pending = x.Pending
	}
	return render(c, status, views.ConnectivityPage(p, v))
}
