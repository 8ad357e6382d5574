package views

import (
	"strings"

	"sgconsole/models"
)

// GroupDelete is the delete confirmation of a cache security group: the dialog and the page.
type GroupDelete struct {
	Group      models.SecurityGroup
	Clusters   []models.Cluster // the clusters that use it: while there are any, it can't be deleted
	TypedError string           // the last submit lacked the word "confirm"
	Refusal    string           // the group can't be deleted at all (the default group)
}

// RevokeConfirm is the confirmation of Remove (revoking an EC2 security group's authorization).
type RevokeConfirm struct {
	Group    string
	Grant    models.EC2Grant
	ReturnTo string // where the form comes back to: the split panel or the detail page
	Refusal  string // the authorization does not exist (any more)
}

// EC2Confirm is the confirmation of deleting a simulated EC2 security group or terminating an instance.
type EC2Confirm struct {
	Name    string // the group's name or the instance's ID
	Label   string // the instance's ID and name, as the list shows it
	Refusal string
}

func lower(s string) string { return strings.ToLower(s) }

// TypedConfirmation reports whether a typed confirmation holds the word, in any case.
func TypedConfirmation(s string) bool { return strings.EqualFold(strings.TrimSpace(s), ConfirmWord) }

// TypedConfirmationError is the inline error of a missing or wrong word.
func TypedConfirmationError(s string) string {
	if strings.TrimSpace(s) == "" {
		return "Enter \"" + ConfirmWord + "\" to confirm the deletion."
	}
	return "Enter \"" + ConfirmWord + "\" exactly as shown to confirm the deletion."
}

// groupConfirm asks for the typed word when authorizations go with the group, and offers no
// Delete at all while clusters use it.
func groupConfirm(p Page, d GroupDelete) Confirm {
	c := groupDeleteConfirm(p, d.Group)
	c.Typed = len(d.Group.EC2SecurityGroups) > 0
	c.TypedError = d.TypedError
	c.Blocked = len(d.Clusters) > 0
	return c
}

// clusterConfirm always asks for the typed word: a cluster's data is lost with it.
func clusterConfirm(p Page, cl models.Cluster, typedError string) Confirm {
	c := clusterDeleteConfirm(p, cl)
	c.Typed, c.TypedError = true, typedError
	return c
}

// clusterConfirmReturn is clusterConfirm that comes back to returnTo, when set.
func clusterConfirmReturn(p Page, cl models.Cluster, typedError, returnTo string) Confirm {
	c := clusterConfirm(p, cl, typedError)
	if returnTo != "" {
		c.CancelURL = returnTo
		c.Fields = append(c.Fields, Field{"return_to", returnTo})
	}
	return c
}

// RevokePath is where Remove posts (and, with GET, its confirmation page for browsers without JavaScript).
func RevokePath(group string) string { return GroupPath(group) + "/authorizations/revoke" }

func revokeConfirm(p Page, r RevokeConfirm, id string) Confirm {
	return Confirm{ID: id, Title: "Remove EC2 security group", Verb: "Remove", Action: p.Link(RevokePath(r.Group)),
		CancelURL: r.ReturnTo, TestID: "revoke-dialog", FormTestID: "revoke-form",
		Fields: []Field{{"ec2_security_group_name", r.Grant.Name}, {"ec2_security_group_owner_id", r.Grant.OwnerID}, {"return_to", r.ReturnTo}}}
}

// revokeLink is the no-JavaScript confirmation page of one Remove.
func revokeLink(p Page, r RevokeConfirm) string {
	return p.Link(RevokePath(r.Group), "ec2_security_group_name", r.Grant.Name, "ec2_security_group_owner_id", r.Grant.OwnerID, "return_to", r.ReturnTo)
}

// EC2GroupDeletePath is where an EC2 security group's Delete posts (GET: its confirmation page).
func EC2GroupDeletePath(name string) string {
	return "/ec2/security-groups/" + urlPathEscape(name) + "/delete"
}

// InstanceTerminatePath is where an instance's Terminate posts (GET: its confirmation page).
func InstanceTerminatePath(id string) string {
	return "/ec2/instances/" + urlPathEscape(id) + "/delete"
}

func ec2GroupConfirm(p Page, name, id string) Confirm {
	return Confirm{ID: id, Title: "Delete EC2 security group", Action: p.Link(EC2GroupDeletePath(name)),
		CancelURL: p.Link("/ec2/security-groups"), TestID: "ec2-delete-dialog", FormTestID: "ec2-delete-form"}
}

func instanceConfirm(p Page, instanceID, id string) Confirm {
	return Confirm{ID: id, Title: "Terminate instance", Verb: "Terminate", Action: p.Link(InstanceTerminatePath(instanceID)),
		CancelURL: p.Link("/ec2/instances"), TestID: "instance-terminate-dialog", FormTestID: "instance-terminate-form"}
}

// instanceLabel is an instance's ID with its name, if it has one.
func instanceLabel(i models.EC2Instance) string {
	if i.Name == "" {
		return i.InstanceID
	}
	return i.InstanceID + " (" + i.Name + ")"
}

// InstanceLabel is instanceLabel for handlers.
func InstanceLabel(i models.EC2Instance) string { return instanceLabel(i) }

// FlashDismissPath is where a flash's dismiss button posts.
const FlashDismissPath = "/flash/dismiss"

// shownFlash is the page's flash as it shows now: an in-progress flash whose work has settled by
// the time the page is rendered (nothing pending on it) is already its success.
func shownFlash(p Page) models.Flash {
	f := p.Flash
	if f.Kind == models.FlashInProgress && !p.Pending {
		if f.Done == "" {
			return models.Flash{Kind: models.FlashInfo, Text: f.Text}
		}
		return models.Flash{Kind: models.FlashSuccess, Text: f.Done}
	}
	return f
}

// flashColour is the colour class of a flash kind: in progress is info-blue.
func flashColour(kind string) string {
	if kind == models.FlashInProgress {
		return models.FlashInfo
	}
	return kind
}
