package handlers

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
)

// ReturnField is the hidden field every console form carries (views.csrfField): the path and query
// of the page the form was on, where a failed submit sends the browser back to.
const ReturnField = "_return"

const keyFormStore = "sgc.formstore"

// FailedForms is the middleware behind stable URLs after a failed submit (post/redirect/get). On a
// POST it lets render() stash a 4xx form page for this browser and answer 303 to the form's page;
// on a GET of that page it shows the stashed page once, with its status. A reload, or any later
// GET, renders the page fresh. The browser is known by its CSRF token: derived from the session
// when signed in, the CSRF cookie before (sign-in). The API and static files never go through here:
// only the console's route groups carry this middleware.
func (h *Handler) FailedForms(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key := csrfToken(c)
		if key == "" {
			return next(c)
		}
		switch c.Request().Method {
		case http.MethodPost:
			c.Set(keyFormStore, h.Store)
		case http.MethodGet:
			status, body, ok, err := h.Store.TakeFailedForm(c.Request().Context(), key, c.Request().URL.RequestURI())
			if err != nil {
				return err
			}
			if ok {
				return c.HTMLBlob(status, body)
			}
		}
		return next(c)
	}
}

// stashFailedForm keeps a failed form's page for the next GET of the form's page and answers 303
// there. It reports false when the page must be rendered in place (no browser key, too large).
func stashFailedForm(c echo.Context, status int, body []byte) (bool, error) {
	store, _ := c.Get(keyFormStore).(*models.Store)
	// 429 stays where it is: its Retry-After header is the answer, and a browser retries by hand.
	if store == nil || status < 400 || status > 499 || status == http.StatusTooManyRequests {
		return false, nil
	}
	to := formReturn(c)
	err := store.StashFailedForm(c.Request().Context(), csrfToken(c), to, status, body)
	if errors.Is(err, models.ErrStashTooLarge) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	// Land on the first invalid field, so that without JavaScript too the page opens where the
	// error is (the split panel's form is below the table); app.js then focuses it.
	if id := firstInvalidField(body); id != "" {
		to += "#" + url.PathEscape(id)
	}
	return true, c.Redirect(http.StatusSeeOther, to)
}

var formControl = regexp.MustCompile(`<(?:input|select|textarea)\b[^>]*>`)
var controlID = regexp.MustCompile(`\bid="([^"]+)"`)

// firstInvalidField is the id of the page's first control marked aria-invalid="true", or "".
func firstInvalidField(page []byte) string {
	for _, tag := range formControl.FindAll(page, -1) {
		if bytes.Contains(tag, []byte(`aria-invalid="true"`)) {
			if m := controlID.FindSubmatch(tag); m != nil {
				return string(m[1])
			}
		}
	}
	return ""
}

// formReturn is the GET URL of the page a form was posted from: the form's _return field when it
// is a local console path, else the page that usually holds the form of this route.
func formReturn(c echo.Context) string {
	if to, ok := localPath(c.FormValue(ReturnField)); ok {
		return to
	}
	return link(c, defaultFormPage(c))
}

// localPath accepts a path (and query) on this console only: no scheme, host, "//" or backslash,
// nothing under /static/, and never the API root.
func localPath(raw string) (string, bool) {
	if raw == "" || !strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, "//") || strings.ContainsAny(raw, "\\\r\n") {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || u.IsAbs() || u.Host != "" || u.Path == "/" || strings.HasPrefix(u.Path, "/static/") {
		return "", false
	}
	return u.RequestURI(), true
}

// defaultFormPage is where a route's form usually is, for a POST without a usable _return.
func defaultFormPage(c echo.Context) string {
	path := c.Request().URL.EscapedPath() // a name with "/" stays one segment (%2F) in the Location
	switch route := c.Path(); {
	case route == "/security-groups":
		return "/security-groups/new"
	case route == "/clusters":
		return "/clusters/new"
	case route == "/users":
		return "/users/new"
	case route == "/settings/platform":
		return "/settings"
	case strings.HasSuffix(route, "/authorizations"):
		return strings.TrimSuffix(path, "/authorizations")
	case strings.HasSuffix(route, "/authorizations/revoke"):
		return strings.TrimSuffix(path, "/authorizations/revoke")
	case strings.HasPrefix(route, "/users/:username/") && !strings.HasSuffix(route, "/delete"):
		return "/users"
	case route == "/workshops/:name/trainees/:username/reset-password":
		return path[:strings.Index(path, "/trainees/")]
	}
	return path // a POST that shares its URL with the GET of its form
}
