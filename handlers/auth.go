package handlers

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
	"sgconsole/views"
)

// ShowLogin renders the sign-in form.
func (h *Handler) ShowLogin(c echo.Context) error {
	if _, ok := CurrentUser(c); ok {
		return c.Redirect(http.StatusSeeOther, "/security-groups")
	}
	return h.renderLogin(c, http.StatusOK, views.Login{Next: localReturn(c.QueryParam("next"), "/", "")})
}

// renderLogin shows the sign-in page; on a fresh database it says where the admin's password is.
func (h *Handler) renderLogin(c echo.Context, status int, l views.Login) error {
	l.CSRF = csrfToken(c)
	first, err := h.Store.FirstStart(c.Request().Context())
	if err != nil {
		return err
	}
	l.FirstStart = first
	return render(c, status, views.LoginPage(l))
}

// Login signs a user in and starts a session.
func (h *Handler) Login(c echo.Context) error {
	username, password := c.FormValue("username"), c.FormValue("password")
	l := views.Login{Username: username, Next: localReturn(c.FormValue("next"), "/", "")}
	if username == "" || password == "" {
		l.Errors = views.FieldErrors{}
		if username == "" {
			l.Errors["username"] = "Enter your user name."
		}
		if password == "" {
			l.Errors["password"] = "Enter your password."
		}
		return h.renderLogin(c, http.StatusUnprocessableEntity, l)
	}
	token, err := h.Store.SignIn(c.Request().Context(), models.Credentials{Username: username, Password: password, Address: c.RealIP()})
	var throttled *models.ThrottledError
	switch {
	case errors.Is(err, models.ErrBadCredentials):
		l.Failure = "Incorrect username or password."
		return h.renderLogin(c, http.StatusUnauthorized, l)
	case errors.Is(err, models.ErrUserDisabled):
		l.Failure = "This user is disabled. Ask an administrator to enable it."
		return h.renderLogin(c, http.StatusForbidden, l)
	case errors.As(err, &throttled):
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(throttled.Until.Sub(h.Store.Now()).Seconds()))))
		l.Failure = throttled.Error()
		return h.renderLogin(c, http.StatusTooManyRequests, l)
	case err != nil:
		return err
	}
	next := l.Next
	if next == "" {
		next = "/security-groups"
	}
	c.SetCookie(h.cookie(SessionCookie, token, models.SessionLifetime))
	return c.Redirect(http.StatusSeeOther, next)
}

// Logout ends the session.
func (h *Handler) Logout(c echo.Context) error {
	if err := h.Store.SignOut(c.Request().Context(), SessionToken(c)); err != nil {
		return err
	}
	c.SetCookie(h.cookie(SessionCookie, "", -1))
	return c.Redirect(http.StatusSeeOther, "/login")
}

// DismissBanner hides the EC2-Classic retirement banner until the browser closes.
func (h *Handler) DismissBanner(c echo.Context) error {
	c.SetCookie(h.cookie(BannerCookie, "dismissed", 0))
	if c.Request().Header.Get("X-Requested-With") == "fetch" {
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, localReturn(c.FormValue("return_to"), "/", "/security-groups"))
}

// cookie builds an HttpOnly, SameSite=Lax cookie; maxAge 0 lasts for the browser session, below 0 deletes.
func (h *Handler) cookie(name, value string, maxAge time.Duration) *http.Cookie {
	ck := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.SecureCookies}
	switch {
	case maxAge < 0:
		ck.MaxAge = -1
	case maxAge > 0:
		ck.MaxAge = int(maxAge.Seconds())
	}
	return ck
}

// Healthz answers 200 while the database is reachable.
func (h *Handler) Healthz(c echo.Context) error {
	if err := h.Store.Ping(c.Request().Context()); err != nil {
		return c.String(http.StatusServiceUnavailable, "database unreachable\n")
	}
	return c.String(http.StatusOK, "ok\n")
}
