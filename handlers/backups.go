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

func backupsCrumb(p views.Page) views.Crumb {
	return views.Crumb{Label: "Backups", URL: p.Link("/backups")}
}

// ListBackups lists the region's backups (snapshots of Redis clusters).
func (h *Handler) ListBackups(c echo.Context) error {
	p, err := h.page(c, "Backups", views.NavBackups, views.Crumb{Label: "Backups"})
	if err != nil {
		return err
	}
	page, _ := strconv.Atoi(c.QueryParam("page"))
	size, _ := strconv.Atoi(c.QueryParam("size"))
	filter := strings.TrimSpace(c.QueryParam("filter"))
	if err := models.ValidFilter(filter); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Message+" Shorten the filter and try again.")
	}
	all, err := h.Store.ListSnapshots(c.Request().Context(), scope(c), models.SnapshotListOptions{})
	if err != nil {
		return err
	}
	p.Pending = views.AnyBackupPending(all.Items)
	return render(c, http.StatusOK, views.BackupListPage(p, views.BackupList{Backups: views.PageBackups(all.Items, filter, page, size), Filter: filter}))
}

// NewBackup is a Redis cluster's Backup form, with a suggested name.
func (h *Handler) NewBackup(c echo.Context) error {
	return h.renderNewBackup(c, http.StatusOK, views.BackupForm{}, true)
}

func (h *Handler) renderNewBackup(c echo.Context, status int, form views.BackupForm, suggest bool) error {
	cluster, err := h.Store.GetCluster(c.Request().Context(), scope(c), c.Param("id"))
	if err != nil {
		return notFound(err)
	}
	p, err := h.clusterPage(c, "Back up "+cluster.ID)
	if err != nil {
		return err
	}
	p.Breadcrumbs = append(p.Breadcrumbs, clustersCrumb(p), views.Crumb{Label: cluster.ID, URL: p.Link(views.ClusterPath(cluster.ID))}, views.Crumb{Label: "Backup"})
	form.Cluster = cluster
	if suggest {
		form.Name = views.SuggestedBackupName(cluster.ID, h.Store.Now())
	}
	return render(c, status, views.BackupCreatePage(p, form))
}

// CreateBackup backs up a Redis cluster and goes to the new backup's page, which shows it
// creating until it is available.
func (h *Handler) CreateBackup(c echo.Context) error {
	form := views.BackupForm{Name: strings.TrimSpace(c.FormValue("snapshot_name"))}
	snap, err := h.Store.CreateSnapshot(c.Request().Context(), scope(c), c.Param("id"), form.Name, nil)
	if err != nil {
		e, ok := models.AsError(err)
		if !ok || e.Code == models.CodeCacheClusterNotFound {
			return notFound(err)
		}
		form.Errors, form.Message = errorsOnForm(e, "snapshot_name")
		return h.renderNewBackup(c, http.StatusUnprocessableEntity, form, false)
	}
	return h.redirectWithFlash(c, link(c, views.BackupPath(snap.Name)), models.Flash{Kind: models.FlashInProgress,
		Text: fmt.Sprintf("Creating backup %s of cluster %s. It becomes available in about %s.", snap.Name, snap.ClusterID, h.Store.PropagationDelay),
		Done: fmt.Sprintf("Backup %s is available.", snap.Name)})
}

// ShowBackup is a backup's detail page; it links to its cluster while that exists.
func (h *Handler) ShowBackup(c echo.Context) error {
	ctx := c.Request().Context()
	snap, err := h.Store.GetSnapshot(ctx, scope(c), c.Param("name"))
	if err != nil {
		return notFound(err)
	}
	_, err = h.Store.GetCluster(ctx, scope(c), snap.ClusterID)
	if err != nil && !models.HasCode(err, models.CodeCacheClusterNotFound) {
		return err
	}
	exists := err == nil
	p, err := h.page(c, snap.Name, views.NavBackups)
	if err != nil {
		return err
	}
	p.Pending = snap.Pending()
	p.Breadcrumbs = append(p.Breadcrumbs, backupsCrumb(p), views.Crumb{Label: snap.Name})
	return render(c, http.StatusOK, views.BackupDetailPage(p, views.BackupDetail{Backup: snap, ClusterExists: exists}))
}

// NewRestore is the restore form, starting from the backup's node type, port and subnet group.
func (h *Handler) NewRestore(c echo.Context) error {
	return h.renderRestore(c, http.StatusOK, nil)
}

// renderRestore shows the restore form; form is nil for a fresh one.
func (h *Handler) renderRestore(c echo.Context, status int, form *views.RestoreForm) error {
	ctx := c.Request().Context()
	snap, err := h.Store.GetSnapshot(ctx, scope(c), c.Param("name"))
	if err != nil {
		return notFound(err)
	}
	p, err := h.page(c, "Restore "+snap.Name, views.NavBackups)
	if err != nil {
		return err
	}
	p.Breadcrumbs = append(p.Breadcrumbs, backupsCrumb(p), views.Crumb{Label: snap.Name, URL: p.Link(views.BackupPath(snap.Name))}, views.Crumb{Label: "Restore"})
	groups, err := h.Store.ListSubnetGroups(ctx, scope(c), "", models.MaxSubnetGroups)
	if err != nil {
		return err
	}
	network, err := h.Store.GetNetwork(ctx, scope(c))
	if err != nil {
		return err
	}
	if form == nil {
		form = &views.RestoreForm{NodeType: snap.NodeType, Port: strconv.Itoa(snap.Port)}
		for _, g := range groups.Items {
			if g.Name == snap.SubnetGroup {
				form.SubnetGroup = g.Name // the backup's own subnet group, while it exists
			}
		}
	}
	form.Backup, form.SubnetGroups, form.Network = snap, groups.Items, network
	return render(c, status, views.BackupRestorePage(p, *form))
}

// RestoreBackup creates a Redis cluster from the backup in a subnet group, and goes to the new
// cluster's page, which shows it creating until it is available.
func (h *Handler) RestoreBackup(c echo.Context) error {
	values, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	form := views.RestoreForm{ClusterID: strings.TrimSpace(values.Get("cluster_id")), NodeType: values.Get("node_type"),
		Port: strings.TrimSpace(values.Get("port")), SubnetGroup: strings.TrimSpace(values.Get("subnet_group")),
		VPCSecurityGroupIDs: values["vpc_security_group_ids"]}
	ctx := c.Request().Context()
	snap, err := h.Store.GetSnapshot(ctx, scope(c), c.Param("name"))
	if err != nil {
		return notFound(err)
	}
	port, portErr := strconv.Atoi(form.Port)
	if portErr != nil || port < 1 || port > 65535 {
		// Checked here only because the form's text must become a number; the model checks the range too.
		form.Errors = views.FieldErrors{"port": "Enter the port as a number from 1 to 65535, for example 6379."}
		return h.renderRestore(c, http.StatusUnprocessableEntity, &form)
	}
	cluster, err := h.Store.CreateCluster(ctx, scope(c), models.NewCluster{
		ID: form.ClusterID, Engine: snap.Engine, NodeType: form.NodeType, NumNodes: snap.NumNodes, Network: models.PlatformVPC,
		SubnetGroup: form.SubnetGroup, VPCSecurityGroupIDs: form.VPCSecurityGroupIDs, SnapshotName: snap.Name,
		Settings: models.ClusterSettings{Port: port},
	})
	if err != nil {
		e, ok := models.AsError(err)
		if !ok {
			return err
		}
		form.Errors, form.Message = errorsOnForm(e, "cluster_id", "node_type", "port", "subnet_group", "vpc_security_group_ids")
		if form.SubnetGroup == "" && form.Errors["subnet_group"] != "" {
			form.Errors["subnet_group"] = "Choose the subnet group the new cluster runs in."
		}
		return h.renderRestore(c, http.StatusUnprocessableEntity, &form)
	}
	return h.redirectWithFlash(c, link(c, views.ClusterPath(cluster.ID)), models.Flash{Kind: models.FlashInProgress,
		Text: fmt.Sprintf("Restoring backup %s into cache cluster %s. It becomes available in about %s.", snap.Name, cluster.ID, h.Store.PropagationDelay),
		Done: fmt.Sprintf("Cache cluster %s is available.", cluster.ID)})
}

// ConfirmDeleteBackup is the confirmation step for browsers without JavaScript.
func (h *Handler) ConfirmDeleteBackup(c echo.Context) error {
	return h.renderDeleteBackup(c, http.StatusOK, "")
}

func (h *Handler) renderDeleteBackup(c echo.Context, status int, refusal string) error {
	snap, err := h.Store.GetSnapshot(c.Request().Context(), scope(c), c.Param("name"))
	if err != nil {
		return notFound(err)
	}
	p, err := h.page(c, "Delete backup", views.NavBackups, views.Crumb{Label: "Backups", URL: link(c, "/backups")},
		views.Crumb{Label: snap.Name, URL: link(c, views.BackupPath(snap.Name))}, views.Crumb{Label: "Delete"})
	if err != nil {
		return err
	}
	if refusal == "" && snap.Status != models.SnapshotAvailable {
		refusal = fmt.Sprintf("The backup is %s; it can be deleted once it is available.", snap.Status)
	}
	return render(c, status, views.BackupDeletePage(p, snap, refusal))
}

// DeleteBackup deletes a backup; one still being created is refused on the confirmation page.
func (h *Handler) DeleteBackup(c echo.Context) error {
	snap, err := h.Store.DeleteSnapshot(c.Request().Context(), scope(c), c.Param("name"))
	if e, ok := models.AsError(err); ok {
		if e.Kind() == models.KindNotFound {
			return notFound(err)
		}
		return h.renderDeleteBackup(c, http.StatusConflict, e.Message)
	}
	if err != nil {
		return err
	}
	return h.redirectWithFlash(c, link(c, "/backups"), models.Flash{Kind: models.FlashInProgress,
		Text: fmt.Sprintf("Deleting backup %s.", snap.Name), Done: fmt.Sprintf("Deleted backup %s.", snap.Name)})
}

// errorsOnForm puts a refusal next to the form's fields it names; a refusal that names none of them
// (the cluster is busy, the backup is no longer available) goes above the form.
func errorsOnForm(e *models.Error, fields ...string) (views.FieldErrors, string) {
	all, errs := views.FieldErrorsOf(e), views.FieldErrors{}
	for _, f := range fields {
		if all[f] != "" {
			errs[f] = all[f]
		}
	}
	if len(errs) == 0 {
		return errs, views.ConsoleMessage(e.Message)
	}
	return errs, ""
}
