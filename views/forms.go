package views

import (
	"fmt"
	"net/url"
	"strings"

	"sgconsole/models"
)

// Login is the sign-in page.
type Login struct {
	CSRF       string
	Username   string
	Next       string // a local path to go to after signing in
	Failure    string // why the sign-in failed, above the form
	Errors     FieldErrors
	FirstStart bool // the admin has never signed in: say where the one-time password is
}

// loginReturn is the sign-in page's own URL, where a failed sign-in comes back to.
func loginReturn(next string) string {
	if next == "" {
		return "/login"
	}
	return "/login?" + url.Values{"next": {next}}.Encode()
}

// consoleWords rewrites the model's field messages (shared with the API's error texts) that say
// what is wrong into console wording that says what to do. The rules stay in models; this is the
// one place their wording changes on the way to a form (FieldErrorsOf).
var consoleWords = map[string]string{
	"Enter a name for the security group.":                                                      "Enter a name of 1 to 255 letters, digits or hyphens.",
	"The name can contain only letters (A-Z, a-z), digits (0-9) and hyphens (-).":               "Enter a name of 1 to 255 letters, digits or hyphens; spaces and other characters aren't allowed.",
	fmt.Sprintf("The name must be at most %d characters long.", models.MaxNameLength):           fmt.Sprintf("Shorten the name to at most %d characters.", models.MaxNameLength),
	fmt.Sprintf("The description must be at most %d characters long.", models.MaxNameLength):    fmt.Sprintf("Shorten the description to at most %d characters.", models.MaxNameLength),
	"The description cannot contain control characters such as line breaks or tabs.":            "Enter the description on one line, without tabs or line breaks.",
	"An EC2 security group name is at most 255 characters long.":                                "Shorten the EC2 security group name to at most 255 characters.",
	"The owner ID must be a 12-digit AWS account number.":                                       "Enter the owner's 12-digit AWS account number, for example 123456789012.",
	"The cluster ID must be at most 50 characters long.":                                        "Enter a cluster ID of 1 to 50 letters, digits or hyphens, starting with a letter.",
	"The cluster ID must start with a letter and contain only letters, digits and hyphens.":     "Enter a cluster ID of 1 to 50 letters, digits or hyphens, starting with a letter.",
	"The cluster ID can't end with a hyphen or contain two consecutive hyphens.":                "Enter a cluster ID without a hyphen at the end or two hyphens in a row.",
	"A cluster needs at least one node.":                                                        fmt.Sprintf("Enter a number of nodes from 1 to %d.", models.MaxNodesPerCluster),
	"A Redis cluster has exactly one node.":                                                     "Enter 1: a Redis cluster has exactly one node.",
	"A subnet group name has at most 255 letters, digits and hyphens.":                          "Enter a subnet group name of 1 to 255 letters, digits or hyphens.",
	"An instance ID is i- followed by 8 or 17 hexadecimal digits.":                              "Enter an instance ID: i- followed by 8 or 17 hexadecimal digits, for example i-0a1b2c3d.",
	"A user name is at most 64 characters long.":                                                "Enter a user name of 1 to 64 letters, digits and . _ - @.",
	"A user name can contain only letters, digits and . _ - @":                                  "Enter a user name of 1 to 64 letters, digits and . _ - @.",
	"An account ID is 12 digits.":                                                               "Enter a 12-digit account ID, for example 123456789012.",
	"The current password is not correct.":                                                      "The current password is not correct. Enter the password you signed in with.",
	"A workshop name is 1 to 64 lower-case letters, digits and hyphens.":                        "Enter a workshop name of 1 to 64 lower-case letters, digits or hyphens.",
	fmt.Sprintf("A workshop has 1 to %d trainees.", models.MaxTrainees):                         fmt.Sprintf("Enter a number of trainees from 1 to %d.", models.MaxTrainees),
	"A user name prefix is 1 to 32 letters, digits and . _ -, starting with a letter or digit.": "Enter a user name prefix of 1 to 32 letters, digits and . _ -, starting with a letter or digit.",
	fmt.Sprintf("A password must be at least %d characters long.", models.MinPasswordLength):    fmt.Sprintf("Enter a password of at least %d characters.", models.MinPasswordLength),
	fmt.Sprintf("A password is at most %d bytes long.", models.MaxPasswordLength):               fmt.Sprintf("Enter a password of at most %d bytes.", models.MaxPasswordLength),
	fmt.Sprintf("This region already has %d cache clusters, the most allowed.", models.MaxClustersPerRegion): fmt.Sprintf(
		"This region already has %d cache clusters, the most allowed. Delete one before creating another.", models.MaxClustersPerRegion),
}

// ConsoleMessage is a refusal shown above a form (not next to one field), in the console's words.
func ConsoleMessage(message string) string { return consoleWording("", message) }

// takenWhat names what to choose instead when a field's value is already taken.
var takenWhat = map[string]string{"name": "name", "cluster_id": "cluster ID", "username": "user name", "instance_id": "instance ID"}

// consoleWording is a field message as a console form shows it.
func consoleWording(field, message string) string {
	if words, ok := consoleWords[message]; ok {
		return words
	}
	if what, ok := takenWhat[field]; ok && strings.HasSuffix(message, " already exists.") {
		return message + " Choose another " + what + "."
	}
	return message
}
