package views

import (
	"net/url"
	"time"

	"sgconsole/models"
)

// Navigation items of the user pages, the audit log and the password page.
const (
	NavUsers    = "users"
	NavAudit    = "audit"
	NavPassword = "password"
)

// UserList is what the Users page shows.
type UserList struct {
	Users   []models.User
	Me      string              // the signed-in admin, whose row has no disable or delete
	Created *models.CreatedUser // the user just created, shown on this response only
	Reset   *PasswordReset      // a password just reset, shown on this response only
	Error   string              // why the last change was refused
}

// PasswordReset is a new password, shown once.
type PasswordReset struct {
	Username string
	Password string
}

// UserForm is the Create user form. The password is never sent back to the browser.
type UserForm struct {
	Username  string
	Role      string
	AccountID string
	Errors    FieldErrors
	Message   string // a refusal that names no field
}

// PasswordForm is the Change password form; what was typed is never sent back.
type PasswordForm struct {
	Errors  FieldErrors
	Message string
}

// AuditList is the audit log page: events of every account and region, newest first.
type AuditList struct {
	Account string // filter_account
	User    string
	Page    int
	Pages   int
	Events  models.EventPage
	Errors  FieldErrors
}

// AuditPerPage is the audit log's page size.
const AuditPerPage = 50

// UserPath is the URL of a user's actions.
func UserPath(username string) string { return "/users/" + url.PathEscape(username) }

func userDeleteConfirm(p Page, u models.User) Confirm {
	return Confirm{ID: "delete-user-" + u.Username, Title: "Delete user", Action: p.Link(UserPath(u.Username) + "/delete"),
		CancelURL: p.Link("/users"), TestID: "delete-user-dialog", FormTestID: "delete-user-form"}
}

// isMe reports whether u is the signed-in admin.
func (l UserList) isMe(u models.User) bool { return u.Username == l.Me }

// userStatus is how the table names a user's state.
func userStatus(u models.User) string {
	if u.Disabled {
		return "Disabled"
	}
	return "Enabled"
}

// auditLink is the audit URL with the page's filters, overridden by kv.
func auditLink(p Page, l AuditList, kv ...string) string {
	base := map[string]string{"filter_account": l.Account, "user": l.User, "page": ""}
	for i := 0; i+1 < len(kv); i += 2 {
		base[kv[i]] = kv[i+1]
	}
	return p.Link("/audit", "filter_account", base["filter_account"], "user", base["user"], "page", base["page"])
}

// auditVia says how an event's change came: the console, or the access key of an API call.
func auditVia(e models.Event) string {
	switch e.Via {
	case "":
		return "-"
	case "console":
		return "Console"
	}
	return e.Via
}

func auditAccount(e models.Event) string {
	if e.AccountID == "" {
		return "-"
	}
	return e.AccountID
}

// auditFirst and auditLast number the rows shown, for "Displaying items N to M".
func auditFirst(l AuditList) int {
	if len(l.Events.Events) == 0 {
		return 0
	}
	return (l.Page-1)*AuditPerPage + 1
}

func auditLast(l AuditList) int {
	if len(l.Events.Events) == 0 {
		return 0
	}
	return auditFirst(l) + len(l.Events.Events) - 1
}

// roleLabel says what a role may do, for the role choice of the Create user form.
func roleLabel(r models.Role) string {
	switch r {
	case models.RoleAdmin:
		return "admin - manages users, acts in every account"
	case models.RoleMember:
		return "member - reads and changes their account"
	case models.RoleViewer:
		return "viewer - only reads their account"
	}
	return string(r)
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// userTime is a sign-in time in UTC, or "Never".
func userTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "Never"
	}
	return eventDate(*t)
}
