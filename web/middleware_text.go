package web

import (
	"errors"
	"net/http"
	"net/url"
	"sort"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
)

// rejectBadText refuses a console request whose query string, form or path segments carry text no
// database can store: invalid UTF-8 or a NUL byte. PostgreSQL fails a query with either (a 500),
// SQLite would store it; refusing here, before the session lookup and any handler, keeps the two
// engines alike. Lengths and control characters are the models' rules, reported next to the field.
// Only the console's chain has it: the Query API checks its own parameters and answers in XML.
func rejectBadText(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if name := badValue(req.URL.Query()); name != "" {
			return badTextError(name)
		}
		unescapePathParams(c)
		// No name, ID or topic in a console path has a control character; refusing them here
		// also keeps them out of the Location headers built from the path.
		for i, name := range c.ParamNames() {
			if v := c.ParamValues(); i < len(v) && (models.CleanText(v[i]) != "" || models.HasControl(v[i])) {
				return badTextError(name)
			}
		}
		if req.Method == http.MethodPost {
			form, err := c.FormParams()
			if err != nil {
				var tooLarge *echo.HTTPError
				if errors.As(err, &tooLarge) {
					return tooLarge // BodyLimit's 413
				}
				return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read. Reload the page and try again.")
			}
			checked := modelChecked[c.Request().Method+" "+c.Path()]
			if name := badValue(without(form, checked)); name != "" {
				return badTextError(name)
			}
		}
		return next(c)
	}
}

// modelChecked are form fields whose model refuses bad bytes itself, with an error next to the
// field on the re-rendered form, before any query: the create forms of cache and EC2 security
// groups (names by their character sets, descriptions as text without control characters), the
// authorize form (EC2 names by their character set, owners as 12 digits) and the new user form.
// The bad-byte test holds this list to "no 5xx, the same answer on both engines".
var modelChecked = map[string][]string{
	"POST /security-groups":                      {"name", "description"},
	"POST /ec2/security-groups":                  {"name", "description"},
	"POST /security-groups/:name/authorizations": {"ec2_security_group_name", "ec2_security_group_owner_id"},
	"POST /users":                                {"username", "role", "account_id"},
}

// without returns values minus the named fields.
func without(values map[string][]string, names []string) map[string][]string {
	if len(names) == 0 {
		return values
	}
	out := make(map[string][]string, len(values))
	for k, v := range values {
		out[k] = v
	}
	for _, name := range names {
		delete(out, name)
	}
	return out
}

// badValue names the first field (in name order, so the answer is always the same) whose name or
// value is not clean text, or returns "".
func badValue(values map[string][]string) string {
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if models.CleanText(k) != "" || len(k) > 64 {
			return "?"
		}
		for _, v := range values[k] {
			if models.CleanText(v) != "" {
				if len(k) > 64 {
					return "?"
				}
				return k
			}
		}
	}
	return ""
}

func badTextError(field string) error {
	msg := "A field of this request contains characters the console can't accept (a NUL or control character, or bytes that are not UTF-8 text). Remove them and try again."
	if field != "?" {
		msg = "The field " + field + " contains characters the console can't accept (a NUL or control character, or bytes that are not UTF-8 text). Remove them and try again."
	}
	return echo.NewHTTPError(http.StatusBadRequest, msg)
}

// unescapePathParams decodes path parameters once for every handler. Echo routes on the raw path
// when it has escapes the default encoding would not make (such as %2F) and then leaves the
// parameters escaped, so an EC2 group named "web/tier" arrived as "web%2Ftier" and could not be
// found, let alone deleted. Names never contain "%", so decoding an already-decoded one is harmless.
func unescapePathParams(c echo.Context) {
	if c.Request().URL.RawPath == "" {
		return // Echo routed on the decoded path: the parameters are decoded already
	}
	values := append([]string(nil), c.ParamValues()...)
	for i, v := range values {
		if decoded, err := url.PathUnescape(v); err == nil {
			values[i] = decoded
		}
	}
	c.SetParamValues(values...)
}
