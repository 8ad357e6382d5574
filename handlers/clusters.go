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

func clustersCrumb(p views.Page) views.Crumb {
	return views.Crumb{Label: "Clusters", URL: p.Link("/clusters")}
}

// clusterPage is h.page for the clusters section.
func (h *Handler) clusterPage(c echo.Context, title string) (views.Page, error) {
	return h.page(c, title, views.NavClusters)
}

// ListClusters lists the region's cache clusters; VPC-only regions have clusters too.
func (h *Handler) ListClusters(c echo.Context) error {
	p, err := h.clusterPage(c, "Clusters")
	if err != nil {
		return err
	}
	p.Breadcrumbs = append(p.Breadcrumbs, views.Crumb{Label: "Clusters"})
	page, _ := strconv.Atoi(c.QueryParam("page"))
	size, _ := strconv.Atoi(c.QueryParam("size"))
	filter := strings.TrimSpace(c.QueryParam("filter"))
	if err := models.ValidFilter(filter); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Message+" Shorten the filter and try again.")
	}
	clusters, err := h.Store.ListClusters(c.Request().Context(), scope(c), models.ClusterListOptions{Filter: filter, Page: page, Size: size})
	if err != nil {
		return err
	}
	p.Pending = models.AnyPending(clusters.Items)
	return render(c, http.StatusOK, views.ClusterListPage(p, views.ClusterList{Clusters: clusters, Filter: filter}))
}

// NewCluster shows the create form in two steps, so that only the chosen network's fields show
// (without JavaScript too): step 1 chooses the network (a GET form), step 2 (?network=ec2-classic
// or vpc) is the rest. A VPC-only region has one network and starts at step 2.
func (h *Handler) NewCluster(c echo.Context) error {
	form := views.ClusterForm{Engine: "memcached", NodeType: "cache.m1.small", NumNodes: "1", Network: c.QueryParam("network")}
	return h.renderNewCluster(c, http.StatusOK, form)
}

func (h *Handler) renderNewCluster(c echo.Context, status int, form views.ClusterForm) error {
	p, err := h.clusterPage(c, "Create cluster")
	if err != nil {
		return err
	}
	p.Breadcrumbs = append(p.Breadcrumbs, clustersCrumb(p), views.Crumb{Label: "Create cluster"})
	n := views.ClusterNewPage{Form: form}
	switch {
	case !p.ClassicEnabled:
		n.Form.Network = string(models.PlatformVPC) // the only network here
	case form.Network != string(models.PlatformClassic) && form.Network != string(models.PlatformVPC):
		if c.Request().Method == http.MethodGet {
			n.ChooseNetwork = true // step 1
			n.Form.Network = c.QueryParam("change")
		} else {
			n.Form.Network = string(models.PlatformClassic)
		}
	}
	if p.ClassicEnabled {
		if n.Groups, err = h.allCacheGroups(c); err != nil {
			return err
		}
	}
	return render(c, status, views.ClusterCreatePage(p, n))
}

// allCacheGroups lists every cache security group of an EC2-Classic region (at most 50 exist).
func (h *Handler) allCacheGroups(c echo.Context) ([]models.SecurityGroup, error) {
	groups, err := h.Store.ListSecurityGroups(c.Request().Context(), scope(c), models.ListOptions{Size: 100})
	return groups.Items, err
}

// CreateCluster creates a cluster from the form.
func (h *Handler) CreateCluster(c echo.Context) error {
	form := views.ClusterForm{
		ID: strings.TrimSpace(c.FormValue("cluster_id")), Engine: c.FormValue("engine"), NodeType: c.FormValue("node_type"),
		NumNodes: strings.TrimSpace(c.FormValue("num_nodes")), Network: c.FormValue("network"),
		SubnetGroup: strings.TrimSpace(c.FormValue("subnet_group")), VPCSecurityGroupIDs: strings.TrimSpace(c.FormValue("vpc_security_group_ids")),
	}
	if params, err := c.FormParams(); err == nil {
		form.CacheSecurityGroups = params["cache_security_groups"]
	}
	nodes, convErr := strconv.Atoi(form.NumNodes)
	cluster, err := h.Store.CreateCluster(c.Request().Context(), scope(c), models.NewCluster{
		ID: form.ID, Engine: form.Engine, NodeType: form.NodeType, NumNodes: nodes, Network: models.Platform(form.Network),
		CacheSecurityGroups: form.CacheSecurityGroups, SubnetGroup: form.SubnetGroup, VPCSecurityGroupIDs: models.SplitIDs(form.VPCSecurityGroupIDs),
	})
	if err != nil {
		e, ok := models.AsError(err)
		if !ok {
			return err
		}
		form.Errors, form.Message = clusterFormErrors(form, e, convErr != nil)
		return h.renderNewCluster(c, http.StatusUnprocessableEntity, form)
	}
	return h.redirectWithFlash(c, link(c, views.ClusterPath(cluster.ID)), models.Flash{Kind: models.FlashInProgress,
		Text: fmt.Sprintf("Creating cache cluster %s. It becomes available in about %s.", cluster.ID, h.Store.PropagationDelay),
		Done: fmt.Sprintf("Cache cluster %s is available.", cluster.ID)})
}

// clusterFormErrors puts the model's refusal of a new cluster next to the create form's fields, in
// the console's words. The form shows one network's fields at a time, so a mix of both networks
// (posted by hand: the console can't send one) is answered next to the network, saying what to do.
func clusterFormErrors(form views.ClusterForm, e *models.Error, badNumber bool) (views.FieldErrors, string) {
	errs, message := views.FieldErrorsOf(e), ""
	if badNumber && form.NumNodes != "" {
		errs["num_nodes"] = "Enter the number of nodes as a whole number, for example 1."
	}
	vpc := form.Network == string(models.PlatformVPC)
	mixed := e.Code == models.CodeInvalidParameterCombination ||
		!vpc && (errs["subnet_group"] != "" && form.SubnetGroup != "" || form.VPCSecurityGroupIDs != "")
	if mixed {
		delete(errs, "cache_security_groups")
		if vpc {
			errs["network"] = "A VPC cluster is reached through VPC security groups, so it takes no cache security groups. " +
				"Clear the cache security groups, or choose EC2-Classic to use them."
		} else {
			delete(errs, "subnet_group")
			delete(errs, "vpc_security_group_ids")
			errs["network"] = "An EC2-Classic cluster is reached through cache security groups, so it takes no subnet group or " +
				"VPC security group IDs. Clear them, or choose VPC to use them."
		}
	}
	if len(errs) == 0 {
		message = views.ConsoleMessage(e.Message)
	}
	return errs, message
}

// ShowCluster is a cluster's detail page.
func (h *Handler) ShowCluster(c echo.Context) error {
	p, err := h.clusterPage(c, c.Param("id"))
	if err != nil {
		return err
	}
	cluster, err := h.Store.GetCluster(c.Request().Context(), scope(c), c.Param("id"))
	if err != nil {
		return notFound(err)
	}
	p.Title, p.Pending = cluster.ID, cluster.Pending()
	if cluster.IsClassic() {
		p.MigrateCluster = cluster.ID
	}
	p.Breadcrumbs = append(p.Breadcrumbs, clustersCrumb(p), views.Crumb{Label: cluster.ID})
	return render(c, http.StatusOK, views.ClusterDetailPage(p, views.ClusterDetail{Cluster: cluster}))
}

// EditClusterSecurityGroups shows the Modify form, pre-checked with the cluster's groups.
func (h *Handler) EditClusterSecurityGroups(c echo.Context) error {
	return h.renderModify(c, http.StatusOK, nil, nil)
}

// renderModify shows the Modify form; chosen is nil for the cluster's current groups, failure the
// refusal of a submit.
func (h *Handler) renderModify(c echo.Context, status int, chosen []string, failure *models.Error) error {
	p, err := h.clusterPage(c, "Modify cluster")
	if err != nil {
		return err
	}
	cluster, err := h.Store.GetCluster(c.Request().Context(), scope(c), c.Param("id"))
	if err != nil {
		return notFound(err)
	}
	p.Title = "Modify " + cluster.ID
	p.Breadcrumbs = append(p.Breadcrumbs, clustersCrumb(p), views.Crumb{Label: cluster.ID, URL: p.Link(views.ClusterPath(cluster.ID))}, views.Crumb{Label: "Modify"})
	m := views.ClusterModify{Cluster: cluster, Chosen: chosen, Errors: views.FieldErrorsOf(failure)}
	if chosen == nil {
		for _, g := range cluster.CacheSecurityGroups {
			m.Chosen = append(m.Chosen, g.Name)
		}
	}
	switch {
	case !cluster.IsClassic():
		// ModifyCacheCluster refuses cache security groups for a VPC cluster; say so instead of a form.
		m.Refusal = models.MessageSecurityGroupsWithVPCParts
		if failure != nil {
			m.Refusal = failure.Message
		}
	case !p.ClassicEnabled:
		m.Refusal = models.MessageClassicNotPermitted
		if failure != nil {
			m.Refusal = failure.Message
		}
	default:
		if m.Groups, err = h.allCacheGroups(c); err != nil {
			return err
		}
		if failure != nil && len(failure.Fields) == 0 {
			m.Message = failure.Message
		}
	}
	return render(c, status, views.ClusterModifyPage(p, m))
}

// ModifyCluster replaces the cluster's cache security groups.
func (h *Handler) ModifyCluster(c echo.Context) error {
	var chosen []string
	if params, err := c.FormParams(); err == nil {
		chosen = params["cache_security_groups"]
	}
	if chosen == nil {
		chosen = []string{}
	}
	cluster, err := h.Store.ModifyClusterSecurityGroups(c.Request().Context(), scope(c), c.Param("id"), chosen)
	if err != nil {
		e, ok := models.AsError(err)
		if !ok || e.Code == models.CodeCacheClusterNotFound {
			return notFound(err)
		}
		return h.renderModify(c, http.StatusUnprocessableEntity, chosen, e)
	}
	return h.redirectWithFlash(c, link(c, views.ClusterPath(cluster.ID)), models.Flash{Kind: models.FlashInProgress,
		Text: fmt.Sprintf("Modifying the security groups of %s. The change applies in about %s.", cluster.ID, h.Store.PropagationDelay),
		Done: fmt.Sprintf("Modified the security groups of %s.", cluster.ID)})
}
