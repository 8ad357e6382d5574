package handlers

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// Handler serves the console pages.
type Handler struct {
	Store *models.Store
	Log   *slog.Logger
	// SecureCookies marks cookies Secure, for deployments behind HTTPS.
	SecureCookies bool
	// Labs are the guided labs of this console (built-in and --labs DIR), in order.
	Labs []models.Lab
}

// New returns the console's handlers.
func New(store *models.Store, log *slog.Logger) *Handler {
	return &Handler{Store: store, Log: log}
}

// render is the one place a component becomes a response, through a buffer so that a failed render
// still turns into a clean error page. A form page a POST renders with a 4xx status (the form with
// its errors) is kept for the browser, which is sent back to the form's page (303): the address
// bar never shows a POST-only URL, and a reload doesn't post again. See FailedForms.
func render(c echo.Context, status int, component templ.Component) error {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := component.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	if c.Request().Method == http.MethodPost {
		if done, err := stashFailedForm(c, status, buf.Bytes()); done || err != nil {
			return err
		}
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// renderPage is render without the failed-form redirect, for error pages.
func renderPage(c echo.Context, status int, component templ.Component) error {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := component.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// page builds the chrome shared by every signed-in page.
func (h *Handler) page(c echo.Context, title, nav string, crumbs ...views.Crumb) (views.Page, error) {
	p := views.Page{Title: title, Region: Region(c), Regions: models.Regions, CSRF: csrfToken(c), Nav: nav,
		Path: c.Request().URL.RequestURI(), EndpointURL: endpointURL(c)}
	if err := h.signedInChrome(c, &p); err != nil {
		return p, err
	}
	if c.Request().Method != http.MethodGet {
		// A re-rendered form is shown at the GET URL of the page the form was on (see FailedForms),
		// which is where the region switch and dismissals return.
		p.Path = formReturn(c)
	}
	p.Breadcrumbs = append([]views.Crumb{{Label: "ElastiCache", URL: p.Link("/security-groups")}}, crumbs...)
	p.ShowBanner = bannerWanted(c)
	platform, err := h.Store.RegionPlatform(c.Request().Context(), scope(c))
	if err != nil {
		return p, err
	}
	p.ClassicEnabled = platform.SupportsClassic()
	if c.Request().Method == http.MethodGet {
		if p.Flash, err = h.takeFlash(c); err != nil {
			return p, err
		}
	}
	return p, nil
}

// takeFlash shows the session's flash once. The session lookup read it already, so a page without
// one runs no statement here.
func (h *Handler) takeFlash(c echo.Context) (models.Flash, error) {
	if si, ok := signedIn(c); ok {
		return h.Store.TakeSessionFlash(c.Request().Context(), si)
	}
	if token := SessionToken(c); token != "" {
		return h.Store.TakeFlash(c.Request().Context(), token)
	}
	return models.Flash{}, nil
}

// signedInChrome fills in who is signed in, where they act and what they may do.
func (h *Handler) signedInChrome(c echo.Context, p *views.Page) error {
	u, ok := CurrentUser(c)
	if !ok {
		return nil
	}
	p.Username, p.Role, p.UserAccountID = u.Username, u.Role, u.AccountID
	p.AccountID = Account(c)
	p.OwnAccount = p.AccountID == u.AccountID
	p.CanWrite, p.IsAdmin, p.ReadOnlyView = CanWrite(c), u.Role.IsAdmin(), ReadOnlyView(c)
	if !p.IsAdmin {
		return nil
	}
	choices, err := h.accountChoices(c)
	p.Accounts, p.AccountsByID = choices.ids, choices.more
	return err
}

type accountChoices struct {
	ids  []string
	more bool
}

// accountChoices is what an admin's account selector offers (models.AccountChoices), read once per
// request however many times the chrome is built (a page that fails renders the error page's chrome too).
func (h *Handler) accountChoices(c echo.Context) (accountChoices, error) {
	if choices, ok := c.Get(keyAccounts).(accountChoices); ok {
		return choices, nil
	}
	ids, more, err := h.Store.AccountChoices(c.Request().Context())
	if err != nil {
		return accountChoices{}, err
	}
	choices := accountChoices{ids: ids, more: more}
	c.Set(keyAccounts, choices)
	return choices, nil
}

// endpointURL is the console's URL as this request reached it, which is where the AWS CLI reaches
// the Query API too.
func endpointURL(c echo.Context) string {
	return c.Scheme() + "://" + c.Request().Host
}

// bannerWanted reports whether this browser session has not dismissed the retirement banner.
func bannerWanted(c echo.Context) bool {
	cookie, err := c.Cookie(BannerCookie)
	return err != nil || cookie.Value != "dismissed"
}

// redirectWithFlash finishes a successful POST: the message shows once on the next page (303, so
// a reload does not repeat the write). The page lands where the user acted: on the flash (#flash),
// or on the place `to` names with its own fragment (see withAnchor).
func (h *Handler) redirectWithFlash(c echo.Context, to string, flash models.Flash) error {
	if err := h.Store.SetFlash(c.Request().Context(), SessionToken(c), flash); err != nil {
		return err
	}
	if !strings.Contains(to, "#") {
		to += "#" + views.FlashAnchor
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// withAnchor points a redirect at the element with the given id, e.g. the row the user changed.
func withAnchor(to, id string) string {
	if i := strings.IndexByte(to, '#'); i >= 0 {
		to = to[:i]
	}
	return to + "#" + url.PathEscape(id)
}

// ErrorPage renders an error in the console's look; the central error handler calls it.
func (h *Handler) ErrorPage(c echo.Context, status int, title, message string) error {
	p := views.Page{Title: title, Region: Region(c), Regions: models.Regions, CSRF: csrfToken(c), Path: "/security-groups",
		EndpointURL: endpointURL(c)}
	// A request refused before the CSRF middleware ran has no token for the dismiss form.
	p.ShowBanner = bannerWanted(c) && csrfToken(c) != ""
	if _, ok := CurrentUser(c); ok {
		_ = h.signedInChrome(c, &p)
		if platform, err := h.Store.RegionPlatform(c.Request().Context(), scope(c)); err == nil {
			p.ClassicEnabled = platform.SupportsClassic()
		}
	}
	p.Breadcrumbs = []views.Crumb{{Label: "ElastiCache", URL: p.Link("/security-groups")}, {Label: title}}
	return renderPage(c, status, views.ErrorPage(p, status, title, message))
}

// localReturn accepts only same-site paths under prefix, so a form cannot redirect users elsewhere.
func localReturn(raw, prefix, fallback string) string {
	u, err := url.Parse(raw)
	if raw == "" || err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(u.Path, prefix) ||
		strings.HasPrefix(raw, "//") || strings.Contains(raw, `\`) {
		return fallback
	}
	return u.RequestURI()
}
