// Package handlers turns console requests into model calls and rendered pages. Handlers stay thin:
// parse, call models, then render, re-render with errors, or redirect.
package handlers

import (
	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// Cookie names the console sets.
const (
	SessionCookie = "sgc_session"
	CSRFCookie    = "sgc_csrf"
	BannerCookie  = "sgc_banner"
)

const (
	keyUser     = "sgc.user"
	keyToken    = "sgc.session"
	keySignedIn = "sgc.signedin"
	keyAccounts = "sgc.accounts"
	keyCSRF     = "sgc.csrf"
	keyRegion   = "sgc.region"
	keyAccount  = "sgc.account"
	keyReadOnly = "sgc.readonly"
	keyRequest  = "sgc.request"
)

// SetUser records the signed-in user and the session token for the rest of the request.
func SetUser(c echo.Context, u models.User, token string) {
	c.Set(keyUser, u)
	c.Set(keyToken, token)
}

// SetSession records the request's live session (its user, and the flash it read) and its token.
func SetSession(c echo.Context, si models.SignedIn, token string) {
	SetUser(c, si.User, token)
	c.Set(keySignedIn, si)
}

// NoFailedForm reports that the request's session lookup saw no failed form's page waiting for
// this browser, so FailedForms has nothing to show it.
func NoFailedForm(c echo.Context) bool {
	si, ok := signedIn(c)
	return ok && si.NoFailedForm()
}

// signedIn returns the session SetSession recorded.
func signedIn(c echo.Context) (models.SignedIn, bool) {
	si, ok := c.Get(keySignedIn).(models.SignedIn)
	return si, ok
}

// CurrentUser returns the signed-in user, if any.
func CurrentUser(c echo.Context) (models.User, bool) {
	u, ok := c.Get(keyUser).(models.User)
	return u, ok
}

// SessionToken returns the secret token of the request's session, "" when signed out.
func SessionToken(c echo.Context) string {
	t, _ := c.Get(keyToken).(string)
	return t
}

// SetCSRF records the token forms of this response must carry.
func SetCSRF(c echo.Context, token string) { c.Set(keyCSRF, token) }

func csrfToken(c echo.Context) string {
	t, _ := c.Get(keyCSRF).(string)
	return t
}

// SetRegion records the region the request is about.
func SetRegion(c echo.Context, region string) { c.Set(keyRegion, region) }

// Region returns the request's region.
func Region(c echo.Context) string {
	if r, ok := c.Get(keyRegion).(string); ok && r != "" {
		return r
	}
	return models.DefaultRegion
}

// SetAccount records the account the request acts in (an admin may choose another with ?account=).
func SetAccount(c echo.Context, accountID string) { c.Set(keyAccount, accountID) }

// Account returns the account the request acts in: the one chosen with ?account=, else the user's own.
func Account(c echo.Context) string {
	if a, ok := c.Get(keyAccount).(string); ok && a != "" {
		return a
	}
	u, _ := CurrentUser(c)
	return u.AccountID
}

// accountParam is the ?account= value links and redirects carry: only while acting in an account
// other than the user's own.
func accountParam(c echo.Context) string {
	if u, _ := CurrentUser(c); Account(c) != u.AccountID {
		return Account(c)
	}
	return ""
}

// SetReadOnlyView records that an admin looks at the account read-only (?readonly=1).
func SetReadOnlyView(c echo.Context) { c.Set(keyReadOnly, true) }

// ReadOnlyView reports whether the request looks at the account read-only.
func ReadOnlyView(c echo.Context) bool {
	v, _ := c.Get(keyReadOnly).(bool)
	return v
}

// CanWrite reports whether this request may change the account it acts in.
func CanWrite(c echo.Context) bool {
	u, _ := CurrentUser(c)
	return u.Role.CanWrite() && !ReadOnlyView(c)
}

// link builds an in-console URL that keeps the request's region and account (and read-only view).
func link(c echo.Context, path string, kv ...string) string {
	readonly := ""
	if ReadOnlyView(c) {
		readonly = "1"
	}
	return views.Link(path, Region(c), append(kv, "account", accountParam(c), "readonly", readonly)...)
}

// scope is where a console request acts and who acts: every model call of a handler takes it.
func scope(c echo.Context) models.Scope {
	u, _ := CurrentUser(c)
	return models.Scope{AccountID: Account(c), Region: Region(c), Actor: u.Username, Via: "console"}
}
