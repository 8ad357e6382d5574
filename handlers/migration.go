package handlers

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// The "Migrate to VPC" walkthrough of an EC2-Classic cluster. Its choices live in the query
// (?subnet_group=&vpc_sg=&snapshot=&target=&instance=); each step's POST does the step through the
// models and comes back (303) with the choice added, at the next step's anchor.

// migrationChoices reads the walkthrough's choices from the query.
func migrationChoices(c echo.Context) models.MigrationChoices {
	return models.MigrationChoices{SubnetGroup: c.QueryParam("subnet_group"), VPCSecurityGroup: c.QueryParam("vpc_sg"),
		Snapshot: c.QueryParam("snapshot"), Target: c.QueryParam("target"), Instance: c.QueryParam("instance")}
}

// ShowMigration is the walkthrough.
func (h *Handler) ShowMigration(c echo.Context) error {
	return h.renderMigration(c, http.StatusOK, views.MigrationForm{})
}

func (h *Handler) renderMigration(c echo.Context, status int, form views.MigrationForm) error {
	p, err := h.clusterPage(c, "Migrate to VPC")
	if err != nil {
		return err
	}
	plan, err := h.Store.MigrationPlan(c.Request().Context(), scope(c), c.Param("id"), migrationChoices(c))
	m := views.Migration{Plan: plan, Form: form}
	if e, ok := models.AsError(err); ok && e.Code == models.CodeInvalidParameterValue {
		m.Refusal = e.Message
	} else if err != nil {
		return notFound(err)
	}
	p.Title, p.Pending = "Migrate "+plan.Cluster.ID+" to a VPC", plan.Pending
	if plan.Cluster.IsClassic() && plan.Cluster.Status != models.ClusterGone {
		p.MigrateCluster = plan.Cluster.ID
	}
	crumb := views.Crumb{Label: plan.Cluster.ID}
	if plan.Cluster.Status != models.ClusterGone {
		crumb.URL = p.Link(views.ClusterPath(plan.Cluster.ID))
	}
	p.Breadcrumbs = append(p.Breadcrumbs, clustersCrumb(p), crumb, views.Crumb{Label: "Migrate to VPC"})
	return render(c, status, views.MigrationPage(p, m))
}

// migrationDone goes back to the walkthrough with a choice added, at a step.
func (h *Handler) migrationDone(c echo.Context, key, value, stepKey string, flash models.Flash) error {
	plan, err := h.migrationPlan(c)
	if err != nil {
		return err
	}
	to := link(c, views.MigrationPath(plan.Cluster.ID), views.MigrationKV(plan.Choices, key, value)...)
	if st, ok := plan.Step(stepKey); ok {
		to += fmt.Sprintf("#step-%d", st.Number)
	}
	return h.redirectWithFlash(c, to, flash)
}

// migrationFailed shows the walkthrough again with a step form's refusal next to its fields.
func (h *Handler) migrationFailed(c echo.Context, form views.MigrationForm, err error) error {
	e, ok := models.AsError(err)
	if !ok {
		return err
	}
	if e.Code == models.CodeCacheClusterNotFound && len(e.Fields) == 0 {
		return notFound(err)
	}
	form.Errors = views.FieldErrorsOf(e)
	form.SubnetGroup.Errors = form.Errors
	if len(e.Fields) == 0 || !formShows(form.Step, e.Fields[0].Field) {
		form.Message = views.ConsoleMessage(e.Message)
	}
	return h.renderMigration(c, http.StatusUnprocessableEntity, form)
}

// formShows reports whether a step's form has the field, to show the refusal next to it.
func formShows(step, field string) bool {
	fields := map[string][]string{
		"subnet-group":   {"subnet_group_name", "subnet_group_description", "subnet_ids"},
		"security-group": {"name", "description", "source", "ports"},
		"rule":           {"source", "ports"},
		"backup":         {"snapshot_name"},
		"cluster":        {"cluster_id"},
		"place":          {"subnet_id", "vpc_security_group_ids"},
	}
	for _, f := range fields[step] {
		if f == field {
			return true
		}
	}
	return false
}

// migrationPlan reads the walkthrough's plan for a step's POST.
func (h *Handler) migrationPlan(c echo.Context) (models.MigrationPlan, error) {
	plan, err := h.Store.MigrationPlan(c.Request().Context(), scope(c), c.Param("id"), migrationChoices(c))
	if err != nil {
		return plan, notFound(err)
	}
	return plan, nil
}

// MigrateSubnetGroup creates the cache subnet group (step 1).
func (h *Handler) MigrateSubnetGroup(c echo.Context) error {
	if _, err := h.migrationPlan(c); err != nil {
		return err
	}
	sg, err := subnetGroupForm(c)
	if err != nil {
		return err
	}
	form := views.MigrationForm{Step: "subnet-group", SubnetGroup: sg}
	g, err := h.Store.CreateSubnetGroup(c.Request().Context(), scope(c), models.NewSubnetGroup{Name: sg.Name, Description: sg.Description, SubnetIDs: sg.SubnetIDs})
	if err != nil {
		return h.migrationFailed(c, form, err)
	}
	return h.migrationDone(c, "subnet_group", g.Name, models.StepSecurityGroup, models.Flash{Kind: models.FlashSuccess, Text: fmt.Sprintf("Created subnet group %s in %s.", g.Name, g.VpcID)})
}

// MigrateSecurityGroup creates the VPC security group with its inbound rule on the cluster's port
// (step 2), or adds the rule to the chosen group that lacks it.
func (h *Handler) MigrateSecurityGroup(c echo.Context) error {
	plan, err := h.migrationPlan(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	port := plan.Cluster.Port()
	rule := models.VPCRule{FromPort: port, ToPort: port, Source: strings.TrimSpace(c.FormValue("source"))}
	if id := strings.TrimSpace(c.FormValue("vpc_security_group_id")); id != "" {
		form := views.MigrationForm{Step: "rule", Source: rule.Source}
		g, err := h.Store.AuthorizeVPCIngress(ctx, scope(c), id, rule)
		if err != nil {
			return h.migrationFailed(c, form, err)
		}
		return h.migrationDone(c, "vpc_sg", g.GroupID, models.StepSecurityGroup, models.Flash{Kind: models.FlashSuccess, Text: fmt.Sprintf("Security group %s now allows TCP %d from %s.", g.GroupID, port, rule.Source)})
	}
	form := views.MigrationForm{Step: "security-group", Name: strings.TrimSpace(c.FormValue("name")),
		Description: strings.TrimSpace(c.FormValue("description")), Source: rule.Source}
	if plan.VPCID() == "" {
		form.Message = "Choose the subnet group first: the security group must be one of its VPC's."
		return h.renderMigration(c, http.StatusUnprocessableEntity, form)
	}
	g, err := h.Store.CreateMigrationSecurityGroup(ctx, scope(c), plan.VPCID(), form.Name, form.Description, rule)
	if err != nil {
		return h.migrationFailed(c, form, err)
	}
	next := models.StepCreate
	if plan.Cluster.IsRedis() {
		next = models.StepBackup
	}
	return h.migrationDone(c, "vpc_sg", g.GroupID, next, models.Flash{Kind: models.FlashSuccess, Text: fmt.Sprintf("Created security group %s (%s), which allows TCP %d from %s.", g.GroupID, g.Name, port, rule.Source)})
}

// MigrateBackup backs up the Redis cluster (step 3).
func (h *Handler) MigrateBackup(c echo.Context) error {
	plan, err := h.migrationPlan(c)
	if err != nil {
		return err
	}
	form := views.MigrationForm{Step: "backup", Snapshot: strings.TrimSpace(c.FormValue("snapshot_name"))}
	snap, err := h.Store.CreateSnapshot(c.Request().Context(), scope(c), plan.Cluster.ID, form.Snapshot, nil)
	if err != nil {
		return h.migrationFailed(c, form, err)
	}
	return h.migrationDone(c, "snapshot", snap.Name, models.StepBackup, models.Flash{Kind: models.FlashInProgress,
		Text: fmt.Sprintf("Creating backup %s of %s.", snap.Name, plan.Cluster.ID), Done: fmt.Sprintf("Backup %s is available.", snap.Name)})
}

// MigrateCluster restores the backup, or creates the new Memcached cluster, in the VPC (step 4 or 3).
func (h *Handler) MigrateCluster(c echo.Context) error {
	plan, err := h.migrationPlan(c)
	if err != nil {
		return err
	}
	form := views.MigrationForm{Step: "cluster", ClusterID: strings.TrimSpace(c.FormValue("cluster_id"))}
	created, err := h.Store.CreateCluster(c.Request().Context(), scope(c), plan.NewTarget(form.ClusterID))
	if err != nil {
		return h.migrationFailed(c, form, err)
	}
	step := models.StepCreate
	if plan.Cluster.IsRedis() {
		step = models.StepRestore
	}
	return h.migrationDone(c, "target", created.ID, step, models.Flash{Kind: models.FlashInProgress,
		Text: fmt.Sprintf("Creating cache cluster %s in subnet group %s.", created.ID, created.SubnetGroup), Done: fmt.Sprintf("Cache cluster %s is available.", created.ID)})
}

// MigrateInstance places the chosen VPC instance in a subnet of the VPC (step 5's fix).
func (h *Handler) MigrateInstance(c echo.Context) error {
	plan, err := h.migrationPlan(c)
	if err != nil {
		return err
	}
	values, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	form := views.MigrationForm{Step: "place", SubnetID: strings.TrimSpace(values.Get("subnet_id")), GroupIDs: ec2Names(values["vpc_security_group_ids"])}
	if form.GroupIDs == nil {
		form.GroupIDs = []string{}
	}
	if plan.Choices.Instance == "" {
		form.Message = "Choose the VPC instance to check from first, then place it."
		return h.renderMigration(c, http.StatusUnprocessableEntity, form)
	}
	pl, err := h.Store.PlaceInstance(c.Request().Context(), scope(c), plan.Choices.Instance, form.SubnetID, form.GroupIDs)
	if err != nil {
		return h.migrationFailed(c, form, err)
	}
	return h.migrationDone(c, "instance", pl.InstanceID, models.StepVerify, models.Flash{Kind: models.FlashSuccess, Text: fmt.Sprintf("Placed instance %s in subnet %s.", pl.InstanceID, pl.SubnetID)})
}

// ShowMigrateChooser lists the region's EC2-Classic clusters, each with its walkthrough.
func (h *Handler) ShowMigrateChooser(c echo.Context) error {
	p, err := h.clusterPage(c, "Migrate to a VPC")
	if err != nil {
		return err
	}
	p.Breadcrumbs = append(p.Breadcrumbs, clustersCrumb(p), views.Crumb{Label: "Migrate to a VPC"})
	// At most 50 clusters live in a region: one page holds them all.
	clusters, err := h.Store.ListClusters(c.Request().Context(), scope(c), models.ClusterListOptions{Size: models.MaxClustersPerRegion})
	if err != nil {
		return err
	}
	p.Pending = models.AnyPending(clusters.Items)
	return render(c, http.StatusOK, views.MigrateChooserPage(p, clusters.Items))
}
