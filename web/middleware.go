package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"sgconsole/handlers"
	"sgconsole/handlers/api"
	"sgconsole/models"
)

// contentSecurityPolicy allows nothing inline and nothing from elsewhere; the console works offline.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// useMiddleware installs what every response needs, whoever asks: a request ID, the log line,
// recovery from panics and the security headers. That is all static files and /healthz get: they
// set no cookie, look up no session and wait for no database turn. apiMethods runs here too, since
// the methods it refuses on / match no route and so reach no group's middleware.
func useMiddleware(e *echo.Echo, h *handlers.Handler, log *slog.Logger) {
	e.Use(requestID)
	e.Use(requestLogger(log))
	e.Use(middleware.Recover())
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "0", // the legacy auditor is off; the CSP does this job
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		ContentSecurityPolicy: contentSecurityPolicy,
		ReferrerPolicy:        "same-origin",
		HSTSMaxAge:            hstsMaxAge(h.SecureCookies),
	}))
	e.Use(apiMethods) // after the headers, so its refusals carry them too
}

// pageMiddleware is the console's chain, for its pages and the sign-in pages (requireUser and
// the role checks are added per group). Order matters: bad bytes are refused before any query,
// the pool turn is taken before the session lookup, and failed forms are kept after csrf, per
// browser (its CSRF token).
func pageMiddleware(h *handlers.Handler, store *models.Store) []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{
		noStore,
		bodyLimit(MaxBodyBytes),
		middleware.ContextTimeout(30 * time.Second),
		rejectBadText,
		dbGate(store), // every query below waits for a turn, at most --db-wait
		loadSession(store),
		regionFromQuery,
		accountFromQuery(store),
		csrf(h.SecureCookies),
		failedForms(h),
		handlers.RequestVersions,
	}
}

func hstsMaxAge(secure bool) int {
	if secure {
		return 31536000
	}
	return 0
}

func requestLogger(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogRemoteIP: true, LogLatency: true, LogRequestID: true, LogError: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			// Routine reads are debug: at the default level the log shows writes and failures, so
			// page views don't scroll the sign-in block of a first start out of the terminal.
			level := slog.LevelInfo
			switch {
			case v.Status >= 500:
				level = slog.LevelError
			case v.Status < 400 && (v.Method == http.MethodGet || v.Method == http.MethodHead || c.Get(api.ReadCallKey) == true):
				level = slog.LevelDebug
			}
			log.LogAttrs(c.Request().Context(), level, "request", slog.String("request_id", v.RequestID),
				slog.String("remote_ip", v.RemoteIP), slog.String("method", v.Method), slog.String("uri", truncateForLog(v.URI)), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency))
			return nil
		},
	})
}

// noStore keeps pages, which carry CSRF tokens and account data, out of shared caches. Static
// files don't get it: they are the same for everyone and keep their Cache-Control: public.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

func loadSession(store *models.Store) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if ck, err := c.Cookie(handlers.SessionCookie); err == nil && ck.Value != "" {
				// The lookup also says whether a failed form waits under the browser's key, which
				// for a signed-in browser is its session's CSRF token (see csrf).
				si, err := store.SessionForPage(c.Request().Context(), ck.Value, sessionCSRFToken(ck.Value))
				if err == nil {
					handlers.SetSession(c, si, ck.Value) // with the flash it read, for the page
				} else if err != models.ErrNotFound {
					return err
				}
			}
			return next(c)
		}
	}
}

// failedForms is h.FailedForms, skipped for a GET whose session lookup saw no failed form waiting
// for the browser (nearly every signed-in page view): that saves the GET its form_stashes query.
func failedForms(h *handlers.Handler) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		withForms := h.FailedForms(next)
		return func(c echo.Context) error {
			if c.Request().Method == http.MethodGet && handlers.NoFailedForm(c) {
				return next(c)
			}
			return withForms(c)
		}
	}
}

// regionFromQuery reads ?region=, as the AWS console carries it on every page.
func regionFromQuery(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		region := c.QueryParam("region")
		if region == "" {
			region = models.DefaultRegion
		}
		if !models.ValidRegion(region) {
			return echo.NewHTTPError(http.StatusBadRequest, "sgconsole doesn't simulate the region "+region+". Choose one from the region selector.")
		}
		handlers.SetRegion(c, region)
		return next(c)
	}
}

// accountFromQuery picks the account a signed-in request acts in. An admin may choose any with
// ?account=ID; for everyone else another account's ID is "not found", exactly like an account
// that does not exist, so the answer reveals nothing.
func accountFromQuery(store *models.Store) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u, ok := handlers.CurrentUser(c)
			if !ok {
				return next(c)
			}
			if u.Role.IsAdmin() && c.QueryParam("readonly") == "1" {
				handlers.SetReadOnlyView(c)
			}
			id := c.QueryParam("account")
			if id == "" || id == u.AccountID {
				handlers.SetAccount(c, u.AccountID)
				return next(c)
			}
			if u.Role.IsAdmin() {
				exists, err := store.AccountExists(c.Request().Context(), id)
				if err != nil {
					return err
				}
				if exists {
					handlers.SetAccount(c, id)
					return next(c)
				}
			}
			handlers.SetAccount(c, u.AccountID)
			return echo.NewHTTPError(http.StatusNotFound, "Account "+id+" not found.")
		}
	}
}

// csrf requires every state-changing request to echo the token of the browser's CSRF cookie, from
// the _csrf form field or the X-CSRF-Token header. Unlike Echo's own middleware it never accepts
// Sec-Fetch-Site alone, so a POST without the token always fails.
func csrf(secure bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			token := ""
			if session := handlers.SessionToken(c); session != "" {
				// Signed in: the token derives from the session, so a cookie planted by another
				// service on this host (cookies ignore ports) can't be paired with a forged form.
				token = sessionCSRFToken(session)
			} else if ck, err := c.Cookie(handlers.CSRFCookie); err == nil && len(ck.Value) == 64 {
				token = ck.Value
			} else {
				token = models.RandomToken(32)
				c.SetCookie(&http.Cookie{Name: handlers.CSRFCookie, Value: token, Path: "/", HttpOnly: true,
					SameSite: http.SameSiteLaxMode, Secure: secure})
			}
			handlers.SetCSRF(c, token)
			switch c.Request().Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions:
				return next(c)
			}
			sent := c.Request().Header.Get("X-CSRF-Token")
			if sent == "" {
				if _, err := c.FormParams(); err != nil {
					var tooLarge *echo.HTTPError
					if errors.As(err, &tooLarge) {
						return tooLarge // BodyLimit's 413
					}
					return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read. Reload the page and try again.")
				}
				sent = c.FormValue("_csrf")
			}
			if subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 || !sameOrigin(c.Request()) {
				return echo.NewHTTPError(http.StatusForbidden, "This form has expired or was not sent from this console. Reload the page and try again.")
			}
			return next(c)
		}
	}
}

// sessionCSRFToken is the form token of a signed-in session; only someone who holds the (HttpOnly)
// session cookie can compute it.
func sessionCSRFToken(session string) string {
	sum := sha256.Sum256([]byte("sgconsole-csrf\x00" + session))
	return hex.EncodeToString(sum[:])
}

// sameOrigin accepts forms from the console itself. Browsers say where a request comes from in
// Sec-Fetch-Site; "same-site" is refused too, since another port of this host is same-site.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
		return true
	}
	return false
}

// requireWrite keeps viewers to reading: a write they send anyway is refused with a page that says
// why, before any handler runs, so nothing is written.
func requireWrite(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, _ := handlers.CurrentUser(c)
		if !u.Role.CanWrite() {
			return echo.NewHTTPError(http.StatusForbidden, "Your role, "+string(u.Role)+", can view this account but not change it. Ask an administrator for the member role to make changes.")
		}
		if handlers.ReadOnlyView(c) {
			return echo.NewHTTPError(http.StatusForbidden, "You are viewing this account read-only. Open it without read-only view to make changes.")
		}
		return next(c)
	}
}

// requireAdmin keeps user management and the audit view to admins.
func requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if u, _ := handlers.CurrentUser(c); !u.Role.IsAdmin() {
			return echo.NewHTTPError(http.StatusForbidden, "Only administrators can manage users and see the audit log. Your role is "+string(u.Role)+".")
		}
		return next(c)
	}
}

// requireUser sends visitors without a session to the sign-in page, then back where they were going.
func requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := handlers.CurrentUser(c); ok {
			return next(c)
		}
		target := "/security-groups"
		if c.Request().Method == http.MethodGet {
			target = c.Request().URL.RequestURI()
		}
		return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(target))
	}
}
