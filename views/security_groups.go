package views

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"sgconsole/models"
)

// SecurityGroupList is what the Security Groups list page shows.
type SecurityGroupList struct {
	Groups   models.SecurityGroupPage
	Selected *GroupPanel // the group whose box is ticked, shown in the split panel
	// Table is the table of Groups already rendered (see SecurityGroupTable); nil renders it.
	Table templ.Component
}

// SecurityGroupTable is the list's table alone. It shows the page of groups, the ticked group, the
// region and account of the links and whether the user may write, and nothing else, so that the
// console can keep it rendered for a page stamp (models.Store.Rendered).
func SecurityGroupTable(p Page, l SecurityGroupList) templ.Component { return securityGroupTable(p, l) }

// SecurityGroupTableKey names what SecurityGroupTable shows besides the groups of the page stamp:
// the key under which it is kept rendered (models.Store.Rendered). Whatever the table comes to show
// must be part of it, so the key lives here, beside the table.
func SecurityGroupTableKey(p Page, l SecurityGroupList) string {
	o := l.Groups.Options
	selected := ""
	if l.Selected != nil {
		selected = l.Selected.Group.Name
	}
	return strings.Join([]string{"security-group-table", p.Region, p.AccountParam(), p.ReadOnlyParam(), strconv.FormatBool(p.CanWrite),
		o.Filter, strconv.Itoa(o.Size), strconv.FormatBool(o.Descending), strconv.Itoa(l.Groups.Page), selected}, "\x00")
}

// GroupPanel is one group's details with its authorize form, shown in the split panel or the detail page.
type GroupPanel struct {
	Group        models.SecurityGroup
	EC2Groups    []models.EC2SecurityGroup // suggestions for the EC2 Security Group Name field
	Form         AuthorizeForm
	ReturnTo     string // where the panel's forms come back to
	DeleteDialog bool
	Clusters     []models.Cluster // the clusters that use the group
}

// AuthorizeForm holds the authorize form's input and its errors.
type AuthorizeForm struct {
	EC2Name string
	OwnerID string
	Errors  FieldErrors
	Message string // an error that belongs to no single field
}

// CreateForm holds the create form's input and its errors.
type CreateForm struct {
	Name        string
	Description string
	Errors      FieldErrors
	Message     string
}

// listLink is a list URL with the list's current filter, size and sort, overridden by kv.
func listLink(p Page, l SecurityGroupList, kv ...string) string {
	o := l.Groups.Options
	base := map[string]string{"filter": o.Filter, "size": "", "sort": "", "page": ""}
	if o.Size != models.DefaultPageSize {
		base["size"] = strconv.Itoa(o.Size)
	}
	if o.Descending {
		base["sort"] = "-name"
	}
	if l.Groups.Page > 1 {
		base["page"] = strconv.Itoa(l.Groups.Page)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		base[kv[i]] = kv[i+1]
	}
	pairs := []string{}
	for _, k := range []string{"filter", "sort", "size", "page", "selected"} {
		if v, ok := base[k]; ok {
			pairs = append(pairs, k, v)
		}
	}
	return p.Link("/security-groups", pairs...)
}

func selectedName(l SecurityGroupList) string {
	if l.Selected == nil {
		return ""
	}
	return l.Selected.Group.Name
}

// pageItem is one entry of the pagination control; 0 is a gap.
func pageItems(current, pages int) []int {
	var items []int
	for i := 1; i <= pages; i++ {
		if i == 1 || i == pages || (i >= current-2 && i <= current+2) {
			items = append(items, i)
		} else if len(items) > 0 && items[len(items)-1] != 0 {
			items = append(items, 0)
		}
	}
	return items
}

func pendingCount(g models.SecurityGroup) int {
	n := 0
	for _, e := range g.EC2SecurityGroups {
		if e.Status.Pending() {
			n++
		}
	}
	return n
}

func sortAria(desc bool) string {
	if desc {
		return "descending"
	}
	return "ascending"
}

func sortToggle(desc bool) string {
	if desc {
		return "name"
	}
	return "-name"
}

// FlashAnchor is the id of the flash a POST-redirect lands on (handlers add "#flash").
const FlashAnchor = "flash"

// SplitPanelAnchor is the id of the split panel; the selection links carry it so a browser
// without JavaScript jumps to the panel below the table.
const SplitPanelAnchor = "split-panel"

// AuthorizeFormAnchor is the id of the authorize form, the target of the panel's skip links.
const AuthorizeFormAnchor = "authorize-form"

// EC2RowID is the id of an EC2 security group's row in a group's list, the place Add and Remove
// come back to.
func EC2RowID(name, ownerID string) string {
	return "ec2-row-" + idSafe(name) + "-" + idSafe(ownerID)
}

// idSafe keeps letters, digits, '-', '_' and '.' and writes any other character (an EC2 group
// name may hold spaces and punctuation) as _XX, its code in hex, so the id has no spaces and needs
// no escaping in a URL fragment.
func idSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "_%x", r)
		}
	}
	return b.String()
}

// selectLink is the selection box's link: the list with the group selected, at the panel.
func selectLink(p Page, l SecurityGroupList, name string) string {
	return listLink(p, l, "selected", name) + "#" + SplitPanelAnchor
}
