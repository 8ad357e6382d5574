package views

import "net/url"

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
