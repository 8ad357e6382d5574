package views

import (
	"sgconsole/models"
)

// NavSubnetGroups is the side navigation's Subnet groups item.
const NavSubnetGroups = "subnet-groups"

// SubnetGroupList is what the Subnet groups page shows: the groups and the create form.
type SubnetGroupList struct {
	Groups  []models.SubnetGroup
	Network models.Network // the VPCs and subnets the create form offers
	Form    SubnetGroupForm
}

// SubnetGroupForm is the create or modify form's input and its errors.
type SubnetGroupForm struct {
	Name        string
	Description string
	SubnetIDs   []string
	Errors      FieldErrors
	Message     string
}

// SubnetGroupDetail is a subnet group's page: its details, subnets, clusters and the modify form.
type SubnetGroupDetail struct {
	Group   models.SubnetGroup
	Network models.Network
	Form    SubnetGroupForm
	Refusal string // a refused delete
}

// SubnetGroupPath is a subnet group's page.
func SubnetGroupPath(name string) string { return "/subnet-groups/" + urlPathEscape(name) }

// SubnetGroupDeletePath is where Delete posts (GET: its confirmation page).
func SubnetGroupDeletePath(name string) string { return SubnetGroupPath(name) + "/delete" }

func subnetGroupConfirm(p Page, g models.SubnetGroup, id string) Confirm {
	return Confirm{ID: id, Title: "Delete subnet group", Action: p.Link(SubnetGroupDeletePath(g.Name)),
		CancelURL: p.Link(SubnetGroupPath(g.Name)), TestID: "subnet-group-delete-dialog", FormTestID: "subnet-group-delete-form",
		Blocked: len(g.Clusters) > 0}
}

// subnetChosen reports whether a subnet is ticked in the form.
func subnetChosen(chosen []string, id string) bool {
	for _, c := range chosen {
		if c == id {
			return true
		}
	}
	return false
}

// SubnetIDsOf lists a group's subnet IDs, to start the modify form from.
func SubnetIDsOf(g models.SubnetGroup) []string {
	ids := make([]string, 0, len(g.Subnets))
	for _, s := range g.Subnets {
		ids = append(ids, s.SubnetID)
	}
	return ids
}

// zonesOf names the availability zones of a group's subnets, in order, once each.
func zonesOf(g models.SubnetGroup) string {
	var zones []string
	for _, s := range g.Subnets {
		if !subnetChosen(zones, s.AvailabilityZone) {
			zones = append(zones, s.AvailabilityZone)
		}
	}
	out := ""
	for i, z := range zones {
		if i > 0 {
			out += ", "
		}
		out += z
	}
	return out
}
