package web

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"

	"github.com/labstack/echo/v4"
)

// maxClientRequestID is the longest X-Request-Id a console client may bring (a proxy's or a test's
// correlation ID); anything longer, or with other characters, is replaced by the server's own.
const maxClientRequestID = 64

// maxLoggedURI is how much of a request's URI the log keeps, so a 1 MB query is not a 1 MB line.
const maxLoggedURI = 256

// requestID gives every request an ID the logs, error pages and API responses share. The server
// makes it: a console client's X-Request-Id is kept only when short and plain (so it can't inject
// text into logs or pages), and an API call's is always the server's, as X-Amzn-RequestId is on AWS.
// It also overwrites the request's header, which echo's request logger reads first.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		id := ""
		if !isAPIPath(r) {
			id = sanitizeRequestID(r.Header.Get(echo.HeaderXRequestID))
		}
		if id == "" {
			id = newRequestID()
		}
		r.Header.Set(echo.HeaderXRequestID, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

// sanitizeRequestID returns id when it is 1-64 characters of [A-Za-z0-9-], else "".
func sanitizeRequestID(id string) string {
	if id == "" || len(id) > maxClientRequestID {
		return ""
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return ""
		}
	}
	return id
}

// newRequestID is a random UUID (version 4), the shape of AWS request IDs.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// truncateForLog keeps the first maxLoggedURI bytes of uri and says how many were left out.
func truncateForLog(uri string) string {
	if len(uri) <= maxLoggedURI {
		return uri
	}
	return uri[:maxLoggedURI] + "...[truncated " + strconv.Itoa(len(uri)-maxLoggedURI) + " bytes]"
}
