// Package views renders sgconsole's pages with templ. Components are pure: everything they show
// arrives as parameters, shaped like the screen.
package views

import (
	"net/url"
	"strconv"

	"sgconsole/models"
)

// Navigation items, used to mark the active link.
const (
	NavClusters          = "clusters"
	NavSecurityGroups    = "security-groups"
	NavEvents            = "events"
	NavEC2SecurityGroups = "ec2-security-groups"
	NavEC2Instances      = "ec2-instances"
	NavConnectivity      = "connectivity"
	NavSettings          = "settings"
	NavCredentials       = "security-credentials"
)

// Page is the chrome every signed-in page shares.
type Page struct {
	Title          string
	Region         string
	Regions        []string
	Username       string
	AccountID      string // the account the page acts in
	Role           models.Role
	UserAccountID  string   // the signed-in user's own account
	CanWrite       bool     // the user may change this account: write controls are shown
	IsAdmin        bool     // the user manages users and may act in every account
	OwnAccount     bool     // AccountID is the signed-in user's own account
	ReadOnlyView   bool     // an admin looks at an account read-only (?readonly=1, from a workshop dashboard)
	Accounts       []string // every account, for an admin's account selector
	AccountsByID   bool     // too many accounts to list: the selector asks for the account ID
	CSRF           string
	Flash          models.Flash
	Nav            string
	ClassicEnabled bool // the region supports EC2-Classic, so the Security Groups item is shown
	ShowBanner     bool
	Breadcrumbs    []Crumb
	Pending        bool   // something on the page is authorizing or revoking
	Path           string // the current path and query, where the region switch and dismissals return
	EndpointURL    string // this console's URL as the browser reached it, for the AWS CLI's --endpoint-url
	// MigrateCluster is the EC2-Classic cluster the page is about, if any: the retirement banner's
	// walkthrough link goes to its migration rather than to the list of clusters to migrate.
	MigrateCluster string
}

// Crumb is one breadcrumb; the last one has no URL.
type Crumb struct {
	Label string
	URL   string
}

// Link builds an in-console URL that keeps the page's region, plus extra query pairs (key, value, ...).
func (p Page) Link(path string, kv ...string) string {
	return Link(path, p.Region, append(kv, "account", p.AccountParam(), "readonly", p.ReadOnlyParam())...)
}

// ReadOnlyParam is the ?readonly= value links carry while an admin views an account read-only.
func (p Page) ReadOnlyParam() string {
	if p.ReadOnlyView {
		return "1"
	}
	return ""
}

// AccountParam is the ?account= value links carry: set only while an admin acts in an account
// other than their own, so everyone else's URLs stay as they were.
func (p Page) AccountParam() string {
	if p.OwnAccount {
		return ""
	}
	return p.AccountID
}

// Link builds an in-console URL carrying ?region= and the given query pairs; empty values are left out.
func Link(path, region string, kv ...string) string {
	q := url.Values{}
	if region != "" {
		q.Set("region", region)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// GroupPath is the detail page of a cache security group.
func GroupPath(name string) string { return "/security-groups/" + url.PathEscape(name) }

// FieldErrors maps form field names to messages.
type FieldErrors map[string]string

// FieldErrorsOf collects the field messages of a domain error.
func FieldErrorsOf(err *models.Error) FieldErrors {
	fe := FieldErrors{}
	if err == nil {
		return fe
	}
	for _, f := range err.Fields {
		fe[f.Field] = consoleWording(f.Field, f.Message) // what to do, in the console's words (forms.go)
	}
	return fe
}

func itoa(n int) string { return strconv.Itoa(n) }

func groupDeleteConfirm(p Page, g models.SecurityGroup) Confirm {
	return Confirm{ID: "delete-dialog", Title: "Delete security group", Action: p.Link(GroupPath(g.Name) + "/delete"),
		CancelURL: p.Link(GroupPath(g.Name)), TestID: "delete-dialog"}
}

func clusterDeleteConfirm(p Page, c models.Cluster) Confirm {
	return Confirm{ID: "cluster-delete-dialog", Title: "Delete cache cluster", Action: p.Link(ClusterPath(c.ID) + "/delete"),
		CancelURL: p.Link(ClusterPath(c.ID)), TestID: "delete-dialog", FormTestID: "cluster-delete-form"}
}

func keyDeleteConfirm(p Page, k models.AccessKey) Confirm {
	return Confirm{ID: "delete-key-" + k.AccessKeyID, Title: "Delete access key", Action: p.Link("/security-credentials/" + k.AccessKeyID + "/delete"),
		CancelURL: p.Link("/security-credentials"), TestID: "delete-key-dialog", FormTestID: "delete-key-form"}
}
