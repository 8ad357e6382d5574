package views

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"sgconsole/models"
)

// ClusterPath is the detail page of a cache cluster.
func ClusterPath(id string) string { return "/clusters/" + url.PathEscape(id) }

// ClusterList is what the clusters list page shows.
type ClusterList struct {
	Clusters models.ClusterPage
	Filter   string
}

// ClusterForm holds the create form's input and its errors.
type ClusterForm struct {
	ID                  string
	Engine              string
	NodeType            string
	NumNodes            string
	Network             string // "ec2-classic" or "vpc"
	CacheSecurityGroups []string
	SubnetGroup         string
	VPCSecurityGroupIDs string
	Errors              FieldErrors
	Message             string // an error that belongs to the whole form
}

// ClusterNewPage is the create form with what it offers.
type ClusterNewPage struct {
	Form          ClusterForm
	Groups        []models.SecurityGroup // the region's cache security groups (EC2-Classic regions only)
	ChooseNetwork bool                   // step 1: choose the network; Form.Network is the preselected one
}

// clusterClassic reports whether the create form is for an EC2-Classic cluster.
func clusterClassic(f ClusterForm) bool { return f.Network == string(models.PlatformClassic) }

// ClusterModify is the Modify form of a cluster's cache security groups.
type ClusterModify struct {
	Cluster models.Cluster
	Groups  []models.SecurityGroup // every cache security group of the region
	Chosen  []string
	Errors  FieldErrors
	Message string // an alert above the form
	Refusal string // shown instead of the form (a VPC cluster)
}

// ClusterDetail is a cluster's detail page.
type ClusterDetail struct {
	Cluster models.Cluster
}

// networkLabel is the clusters list's network column.
func clusterNetworkLabel(c models.Cluster) string {
	if c.IsClassic() {
		return "EC2-Classic"
	}
	return c.SubnetGroup
}

func clusterFirst(pg models.ClusterPage) int {
	if pg.Total == 0 {
		return 0
	}
	return (pg.Page-1)*pg.Size + 1
}

func clusterLast(pg models.ClusterPage) int {
	if len(pg.Items) == 0 {
		return 0
	}
	return clusterFirst(pg) + len(pg.Items) - 1
}

// clusterListLink is a list URL with the current filter and size, overridden by kv.
func clusterListLink(p Page, l ClusterList, kv ...string) string {
	base := map[string]string{"filter": l.Filter, "size": "", "page": ""}
	if l.Clusters.Size != models.DefaultPageSize {
		base["size"] = strconv.Itoa(l.Clusters.Size)
	}
	if l.Clusters.Page > 1 {
		base["page"] = strconv.Itoa(l.Clusters.Page)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		base[kv[i]] = kv[i+1]
	}
	pairs := []string{}
	for _, k := range []string{"filter", "size", "page"} {
		pairs = append(pairs, k, base[k])
	}
	return p.Link("/clusters", pairs...)
}

func nodeTypeLabel(t models.NodeType) string {
	if t.VPCOnly {
		return t.Name + " (VPC only)"
	}
	return t.Name
}

func clusterEngine(engine string) string {
	if engine == "redis" {
		return "Redis"
	}
	return "Memcached"
}

func clusterTime(t time.Time) string {
	return t.UTC().Format("January 2, 2006, 15:04:05 (UTC)")
}

func clusterChose(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func membershipNames(c models.Cluster) []string {
	names := make([]string, 0, len(c.CacheSecurityGroups))
	for _, g := range c.CacheSecurityGroups {
		names = append(names, g.Name)
	}
	return names
}

func clusterNetworkName(c models.Cluster) string {
	if c.IsClassic() {
		return "EC2-Classic"
	}
	return "VPC"
}

func clusterJoin(names []string) string { return strings.Join(names, ", ") }

// fieldsetDescribedBy links a group of choices to its description and error.
func choicesDescribedBy(id, errText string) string {
	if errText != "" {
		return id + "-error " + id + "-desc"
	}
	return id + "-desc"
}

// membershipOf is the status of a group on a cluster.
func membershipOf(c models.Cluster, group string) models.MembershipStatus {
	for _, g := range c.CacheSecurityGroups {
		if g.Name == group {
			return g.Status
		}
	}
	return models.MembershipGone
}
