package views

import "strings"

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// sectionRoot is where the region switch lands: the top of the current section, since a
// resource named on this page need not exist in the other region.
func sectionRoot(pathAndQuery string) string {
	if i := strings.IndexAny(pathAndQuery, "?#"); i >= 0 {
		pathAndQuery = pathAndQuery[:i]
	}
	segments := strings.SplitN(strings.TrimPrefix(pathAndQuery, "/"), "/", 2)
	if segments[0] == "" {
		return "/security-groups"
	}
	return "/" + segments[0]
}

var regionNames = map[string]string{
	"us-east-1":      "US East (N. Virginia)",
	"us-west-2":      "US West (Oregon)",
	"eu-west-1":      "Europe (Ireland)",
	"ap-southeast-1": "Asia Pacific (Singapore)",
}

// regionLabel is how the region selector names a region.
func regionLabel(region string) string {
	if name, ok := regionNames[region]; ok {
		return name + " " + region
	}
	return region
}

// flashRole makes errors interrupt a screen reader; other flashes wait politely.
func flashRole(kind string) string {
	if kind == "error" {
		return "alert"
	}
	return "status"
}

func describedBy(id, description, constraint, errText string) string {
	var ids []string
	if errText != "" {
		ids = append(ids, id+"-error")
	}
	if description != "" {
		ids = append(ids, id+"-desc")
	}
	if constraint != "" {
		ids = append(ids, id+"-constraint")
	}
	return strings.Join(ids, " ")
}

func matchCount(n int) string {
	if n == 1 {
		return "1 match"
	}
	return itoa(n) + " matches"
}

func authorizationsRemoved(n int) string {
	if n == 1 {
		return "Its 1 EC2 security group authorization is removed with it."
	}
	return "Its " + itoa(n) + " EC2 security group authorizations are removed with it."
}

// areaFiles are the stylesheets and scripts loaded after app.css and app.js, one pair per part of
// the console: the shell (navigation drawer, help panel, dark mode), the split panel, confirmations
// and flashes, and forms.
var areaFiles = []string{"shell", "panel", "safety", "forms"}
