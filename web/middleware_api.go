package web

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"sgconsole/handlers/api"
	"sgconsole/models"
)

// MaxBodyBytes is the largest request body accepted, console form or API call: 64,000 bytes, the
// Query API's decimal limit (not 64 KiB).
const MaxBodyBytes = 64000

// isAPIPath tells the requests the Query API answers, in XML, even when they fail before reaching
// it: the API's own (POST / and GET /?Action=) and every other method on the root, which the
// console never serves. GET and HEAD / without Action stay the console's redirect.
func isAPIPath(r *http.Request) bool {
	if r.URL.Path != "/" {
		return false
	}
	return api.IsAPIRequest(r) || (r.Method != http.MethodGet && r.Method != http.MethodHead)
}

// apiMiddleware is the Query API's chain: the body limit, the pool turn and the region check. No
// session, CSRF cookie or console account: a call is signed with SigV4 (api.Handle checks it) and
// every failure, here or in the handler, is answered in XML by the error handler.
func apiMiddleware(store *models.Store) []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{
		noStore, // an API answer is one account's data, never for a shared cache
		bodyLimit(MaxBodyBytes),
		middleware.ContextTimeout(30 * time.Second),
		dbGate(store),
		apiRegion,
	}
}

// apiRegion refuses an endpoint URL with ?region= naming a region sgconsole does not simulate
// (an SDK or the CLI configured with a bad endpoint), as InvalidParameterValue. A valid one
// changes nothing: the call's region is the one it signed for.
func apiRegion(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if region := c.QueryParam("region"); region != "" && !models.ValidRegion(region) {
			return &api.Fault{Code: models.CodeInvalidParameterValue, Message: "Invalid value for parameter region: " + region + " is not a region sgconsole simulates."}
		}
		return next(c)
	}
}

// byCaller runs GET /'s request through the API's chain when it is a Query API call (?Action=)
// and through the console's otherwise (the redirect to the Security Groups pane).
func byCaller(apiChain, pageChain []echo.MiddlewareFunc) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		apiNext, pageNext := chain(next, apiChain), chain(next, pageChain)
		return func(c echo.Context) error {
			if api.IsAPIRequest(c.Request()) {
				return apiNext(c)
			}
			return pageNext(c)
		}
	}
}

// chain wraps h in mw, the first outermost, as echo does with a route's middleware.
func chain(h echo.HandlerFunc, mw []echo.MiddlewareFunc) echo.HandlerFunc {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// apiMethods refuses methods the Query API does not serve (PUT, DELETE, PATCH, OPTIONS, ...) on
// the root with an XML InvalidAction, as an SDK or the AWS CLI can parse, before routing would
// answer the console's HTML 405 page.
func apiMethods(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.URL.Path == "/" && r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
			c.Response().Header().Set(echo.HeaderAllow, "GET, HEAD, POST")
			return &api.Fault{Code: "InvalidAction", Status: http.StatusMethodNotAllowed,
				Message: "The Query API accepts GET and POST requests; " + r.Method + " is not supported."}
		}
		return next(c)
	}
}

// bodyLimit refuses bodies over max bytes with echo's 413 error: at once when Content-Length says
// so, else when reading passes max (a chunked body). Handlers and the CSRF check recognise that
// error, so the API answers RequestEntityTooLarge and the console its "too large" page.
func bodyLimit(max int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.ContentLength > max {
				return echo.ErrStatusRequestEntityTooLarge
			}
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = &limitedBody{ReadCloser: r.Body, left: max}
			}
			return next(c)
		}
	}
}

type limitedBody struct {
	io.ReadCloser
	left int64 // bytes still allowed
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1] // one byte past the limit is enough to know it was passed
	}
	n, err := b.ReadCloser.Read(p)
	if int64(n) > b.left {
		b.left = -1
		return 0, echo.ErrStatusRequestEntityTooLarge
	}
	b.left -= int64(n)
	return n, err
}

// apiFault is the XML fault for an error that reached the error handler on an API path: faults and
// domain errors as they are, echo's HTTP errors by their status, anything else InternalFailure
// (api.WriteError logs it).
func apiFault(err error) error {
	var f *api.Fault
	if errors.As(err, &f) {
		return f
	}
	if _, ok := models.AsError(err); ok {
		return err
	}
	var he *echo.HTTPError
	if !errors.As(err, &he) {
		return err
	}
	msg, _ := he.Message.(string)
	switch he.Code {
	case http.StatusRequestEntityTooLarge:
		return &api.Fault{Code: "RequestEntityTooLarge", Status: he.Code,
			Message: "The request body is larger than the 64,000 bytes the Query API accepts."}
	case http.StatusMethodNotAllowed:
		return &api.Fault{Code: "InvalidAction", Status: he.Code, Message: "This method is not supported."}
	case http.StatusServiceUnavailable:
		return &api.Fault{Code: "ServiceUnavailable", Status: he.Code, Message: "The service is unavailable. Try again later."}
	case http.StatusTooManyRequests:
		return &api.Fault{Code: "Throttling", Status: http.StatusBadRequest, Message: "Rate exceeded"}
	case http.StatusForbidden:
		return &api.Fault{Code: models.CodeAccessDenied, Status: he.Code, Message: msg}
	}
	if he.Code >= 400 && he.Code < 500 {
		return &api.Fault{Code: "InvalidParameterValue", Status: http.StatusBadRequest, Message: msg}
	}
	return err
}

// writeAPIError answers a failed API-path request in the Query API's XML and reports whether it did.
func writeAPIError(c echo.Context, err error, log *slog.Logger) bool {
	if !isAPIPath(c.Request()) {
		return false
	}
	if werr := api.WriteError(c, log, apiFault(err)); werr != nil {
		log.Error("api error response failed", slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)), slog.Any("error", werr))
	}
	return true
}
