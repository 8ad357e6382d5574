package web

import (
	"net/http"
	"strings"
)

// failedForm follows a failed submit back to its form the way a browser does: the POST answers 303
// to the GET URL of the page the form was on (never a POST-only URL), and that GET shows the form
// with its errors and the typed values once, with the failure's status.
func (c *client) failedForm(r *response) *response {
	c.t.Helper()
	r.wantStatus(http.StatusSeeOther)
	loc := r.Header.Get("Location")
	if loc == "" || !strings.HasPrefix(loc, "/") || strings.Contains(loc, "#") {
		c.t.Fatalf("%s: a failed form redirects to %q, want a local GET URL", r.URL, loc)
	}
	return c.get(loc)
}
