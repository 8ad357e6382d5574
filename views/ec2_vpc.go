package views

import "sgconsole/models"

// Navigation items of the simulated EC2 side's VPC pages.
const (
	NavEC2VPCs              = "ec2-vpcs"
	NavEC2VPCSecurityGroups = "ec2-vpc-security-groups"
)

// VPCList is what the VPCs page shows: VPCs with their subnets, the VPC instances' placements and
// the forms that create a VPC, a subnet and a placement.
type VPCList struct {
	Network    models.Network
	Instances  []models.EC2Instance // VPC instances, for the placement form
	Placements map[string]models.VPCInstancePlacement
	Form       VPCForm
	Refusal    string
}

// VPCForm holds the input of whichever VPC form was sent, with its errors.
type VPCForm struct {
	Which      string // "vpc", "subnet" or "placement": the form the errors belong to
	Name       string
	CIDR       string
	VpcID      string
	Zone       string
	InstanceID string
	SubnetID   string
	GroupIDs   []string
	Errors     FieldErrors
	Message    string
}

// VPCGroupList is what the VPC security groups page shows.
type VPCGroupList struct {
	Network models.Network
	Form    VPCGroupForm
	Refusal string
}

// VPCGroupForm holds the create form's or a rule form's input and errors.
type VPCGroupForm struct {
	Which       string // "group", or the sg- ID of the group whose rule form was sent
	VpcID       string
	Name        string
	Description string
	FromPort    string
	ToPort      string
	Source      string
	Errors      FieldErrors
	Message     string
}

// VPCPath is a VPC's base path.
func VPCPath(id string) string { return "/ec2/vpcs/" + urlPathEscape(id) }

// SubnetPath is a subnet's base path.
func SubnetPath(id string) string { return "/ec2/subnets/" + urlPathEscape(id) }

func vpcConfirm(p Page, v models.VPC, id string) Confirm {
	return Confirm{ID: id, Title: "Delete VPC", Action: p.Link(VPCPath(v.VpcID) + "/delete"),
		CancelURL: p.Link("/ec2/vpcs"), TestID: "vpc-delete-dialog", FormTestID: "vpc-delete-form"}
}

func subnetConfirm(p Page, s models.VPCSubnet, id string) Confirm {
	return Confirm{ID: id, Title: "Delete subnet", Action: p.Link(SubnetPath(s.SubnetID) + "/delete"),
		CancelURL: p.Link("/ec2/vpcs"), TestID: "subnet-delete-dialog", FormTestID: "subnet-delete-form"}
}

// VPCGroupPath is a VPC security group's base path.
func VPCGroupPath(id string) string { return "/ec2/vpc-security-groups/" + urlPathEscape(id) }

func vpcGroupConfirm(p Page, g models.VPCSecurityGroup, id string) Confirm {
	return Confirm{ID: id, Title: "Delete VPC security group", Action: p.Link(VPCGroupPath(g.GroupID) + "/delete"),
		CancelURL: p.Link("/ec2/vpc-security-groups"), TestID: "vpc-group-delete-dialog", FormTestID: "vpc-group-delete-form"}
}

// formFor returns the form's input and errors when they belong to the named form, else empty ones.
func (f VPCForm) formFor(which string) VPCForm {
	if f.Which == which {
		return f
	}
	return VPCForm{Errors: FieldErrors{}}
}

func (f VPCGroupForm) formFor(which string) VPCGroupForm {
	if f.Which == which {
		return f
	}
	return VPCGroupForm{Errors: FieldErrors{}}
}

// vpcName shows a VPC's ID with its name.
func vpcName(v models.VPC) string {
	label := v.VpcID
	if v.Name != "" {
		label += " (" + v.Name + ")"
	}
	if v.IsDefault {
		label += " – default"
	}
	return label
}
