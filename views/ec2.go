package views

import (
	"net/url"
	"strings"
	"time"

	"sgconsole/models"
)

// EC2GroupList is what the simulated EC2 security groups page shows.
type EC2GroupList struct {
	Groups    []models.EC2SecurityGroup
	Instances []models.EC2Instance // to count the instances using each group
	Form      EC2GroupForm
	Refusal   string // a refused delete, shown above the list
}

// EC2GroupForm holds the create form's input and its errors.
type EC2GroupForm struct {
	Name        string
	Platform    string
	Description string
	Errors      FieldErrors
	Message     string
}

// EC2InstanceList is what the simulated EC2 instances page shows.
type EC2InstanceList struct {
	Instances []models.EC2Instance
	Groups    []models.EC2SecurityGroup // the choices of the launch form
	Form      EC2InstanceForm
	Refusal   string // a refused terminate, shown above the list
}

// EC2InstanceForm holds the launch form's input and its errors.
type EC2InstanceForm struct {
	InstanceID     string
	Name           string
	Platform       string
	SecurityGroups []string
	Errors         FieldErrors
	Message        string
}

// ConnectivityView is the explainer's form and, once both are chosen, its answer.
type ConnectivityView struct {
	Instances  []models.EC2Instance
	Clusters   []models.Cluster
	InstanceID string
	ClusterID  string
	Result     *models.Connectivity
	Error      string
}

// EventList is one page of the Events page with its filters.
type EventList struct {
	SourceType string
	Window     string
	Page       int
	Pages      int
	Events     models.EventPage
	Existing   map[string]bool // EventSourceKey of sources that still exist, to link them
	Errors     FieldErrors
}

// EventsPerPage is the Events page's page size.
const EventsPerPage = 50

// DefaultEventWindow is the period the Events page starts with.
const DefaultEventWindow = "24h"

// eventWindows are the periods the Events page offers, up to the 14 days events are kept.
var eventWindows = []struct {
	Value, Label string
	Duration     time.Duration
}{
	{"1h", "Last hour", time.Hour},
	{"24h", "Last day", 24 * time.Hour},
	{"168h", "Last week", 7 * 24 * time.Hour},
	{"336h", "Last 2 weeks", models.EventRetention},
}

// EventWindow returns the period of a window value of the Events form.
func EventWindow(value string) (time.Duration, bool) {
	for _, w := range eventWindows {
		if w.Value == value {
			return w.Duration, true
		}
	}
	return 0, false
}

var eventSourceTypes = []struct{ Value, Label string }{
	{"", "All"},
	{models.SourceCacheSecurityGroup, models.SourceCacheSecurityGroup},
	{models.SourceCacheCluster, models.SourceCacheCluster},
}

// EventSourceKey identifies an event's source for EventList.Existing.
func EventSourceKey(sourceType, id string) string { return sourceType + "/" + id }

// eventSourceLink is the page of an event's source, or "" when it no longer exists.
func eventSourceLink(p Page, l EventList, e models.Event) string {
	if !l.Existing[EventSourceKey(e.SourceType, e.SourceID)] {
		return ""
	}
	if e.SourceType == models.SourceCacheCluster {
		return p.Link(ClusterPath(e.SourceID))
	}
	return p.Link(GroupPath(e.SourceID))
}

// eventDate shows an event's time in UTC, as the console does.
func eventDate(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") + " UTC" }

func eventActor(e models.Event) string {
	if e.Actor == "" {
		return "-"
	}
	return e.Actor
}

// eventsLink is the Events URL with the page's filters, overridden by kv.
func eventsLink(p Page, l EventList, kv ...string) string {
	base := map[string]string{"source_type": l.SourceType, "window": l.Window, "page": ""}
	if l.Window == DefaultEventWindow {
		base["window"] = ""
	}
	for i := 0; i+1 < len(kv); i += 2 {
		base[kv[i]] = kv[i+1]
	}
	return p.Link("/events", "source_type", base["source_type"], "window", base["window"], "page", base["page"])
}

// eventFirst and eventLast number the rows shown, for "Displaying items N to M".
func eventFirst(l EventList) int {
	if len(l.Events.Events) == 0 {
		return 0
	}
	return (l.Page-1)*EventsPerPage + 1
}

func eventLast(l EventList) int {
	if len(l.Events.Events) == 0 {
		return 0
	}
	return eventFirst(l) + len(l.Events.Events) - 1
}

// platformChoices are the platform radio buttons of the EC2 forms.
var platformChoices = []models.Platform{models.PlatformClassic, models.PlatformVPC}

// groupUsers counts the instances that use an EC2 security group.
func groupUsers(instances []models.EC2Instance, name string) int {
	n := 0
	for _, i := range instances {
		for _, g := range i.SecurityGroups {
			if g.Name == name {
				n++
				break
			}
		}
	}
	return n
}

func ec2Chosen(values []string, v string) bool {
	for _, x := range values {
		if x == v {
			return true
		}
	}
	return false
}

func instanceName(i models.EC2Instance) string {
	if i.Name == "" {
		return "-"
	}
	return i.Name
}

// instanceOption labels an instance in the explainer: "web-1 (i-…) — EC2-Classic — web-servers".
func instanceOption(i models.EC2Instance) string {
	label := i.InstanceID
	if i.Name != "" {
		label = i.Name + " (" + i.InstanceID + ")"
	}
	return label + " — " + i.Platform.Short() + " — " + strings.Join(i.GroupNames(), ", ")
}

// clusterOption labels a cluster in the explainer: "sessions — EC2-Classic — available".
func clusterOption(c models.Cluster) string {
	network := "EC2-Classic"
	if !c.IsClassic() {
		network = "VPC (" + c.SubnetGroup + ")"
	}
	return c.ID + " — " + network + " — " + string(c.Status)
}

// instanceSubject names the instance in the verdict.
func instanceSubject(i models.EC2Instance) string {
	if i.Name != "" {
		return "Instance " + i.Name + " (" + i.InstanceID + ")"
	}
	return "Instance " + i.InstanceID
}

func verdictKind(v models.Verdict) string {
	switch v {
	case models.CanConnect:
		return "success"
	case models.CannotConnect:
		return "error"
	}
	return "info"
}

func verdictHeader(x models.Connectivity) string {
	subject := instanceSubject(x.Instance)
	switch x.Verdict {
	case models.CanConnect:
		return subject + " can connect to cluster " + x.Cluster.ID
	case models.CannotConnect:
		return subject + " cannot connect to cluster " + x.Cluster.ID
	}
	return "Connectivity from " + strings.ToLower(subject[:1]) + subject[1:] + " to cluster " + x.Cluster.ID + ": not determined"
}

func verdictText(x models.Connectivity) string {
	switch x.Verdict {
	case models.CanConnect:
		return "Every rule below allows the connection."
	case models.CannotConnect:
		return "A rule below denies the connection. Follow its link to change what it checks."
	}
	return "The cluster runs in a VPC, but its subnet group is not one sgconsole holds (the cluster was made before subnet groups), so its VPC is unknown and sgconsole does not guess."
}

// outcomeClass picks the indicator of a rule's outcome; the outcome word is always shown too.
func outcomeClass(o models.Outcome) string {
	switch o {
	case models.OutcomePass:
		return "status status--success"
	case models.OutcomeFail:
		return "status status--error"
	}
	return "status status--muted"
}

// fixLink is where a rule's input can be changed, or "" when nowhere.
func fixLink(p Page, r models.RuleCheck) string {
	switch r.Fix {
	case models.FixInstance:
		return p.Link("/ec2/instances")
	case models.FixCluster:
		return p.Link(ClusterPath(r.FixName))
	case models.FixSecurityGroup:
		if r.FixName == "" {
			return p.Link("/security-groups")
		}
		return p.Link(GroupPath(r.FixName))
	}
	return ""
}

// failingGroupHint is the "Try it" advice when rule 2 fails: the groups to authorize, and where.
func failingGroupHint(x models.Connectivity) (ec2Groups, cacheGroup string, ok bool) {
	for _, r := range x.Checks {
		if r.Rule == models.RuleAuthorized && r.Outcome == models.OutcomeFail && r.FixName != "" {
			return strings.Join(x.Instance.GroupNames(), " or "), r.FixName, true
		}
	}
	return "", "", false
}

// boolConstraint makes describedBy link a constraint that is shown only when on.
func boolConstraint(on bool) string {
	if on {
		return "shown"
	}
	return ""
}

func urlPathEscape(s string) string { return url.PathEscape(s) }

func groupNamesText(names []string) string {
	if len(names) == 0 {
		return "-"
	}
	return strings.Join(names, ", ")
}

func fixText(r models.RuleCheck) string {
	if r.FixText != "" {
		return r.FixText
	}
	return "Change it"
}
