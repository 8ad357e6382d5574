package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A filter over SQLite's LIKE pattern limit (50,000 bytes) answered 500; every filter over 1,024
// characters now gets a page saying what to do, and one at the limit still lists.
func TestConsoleFilterTooLong(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	for _, path := range []string{"/security-groups", "/clusters"} {
		c.get(path+"?filter="+url.QueryEscape(strings.Repeat("%", 50001))).
			wantErrorPage(http.StatusBadRequest, "A filter is at most 1024 characters long. Shorten the filter and try again.")
		c.get(path + "?filter=" + strings.Repeat("x", 1024)).wantStatus(http.StatusOK)
	}
}

// Bytes no database can store are refused before any handler, naming the field.
func TestConsoleRefusesBadBytes(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	page := c.get("/security-groups/new")
	r := c.post("/security-groups", url.Values{"_csrf": {page.csrfToken()}, "name": {"fine"}, "description": {"web\xff"}}, nil)
	r.wantErrorPage(http.StatusBadRequest, "The field description contains characters the console can't accept")
	c.get("/security-groups?selected=web%00").wantErrorPage(http.StatusBadRequest, "The field selected contains")
	c.get("/security-groups/web%01sessions").wantErrorPage(http.StatusBadRequest, "The field name contains")
	if _, ok := cs.group(t, "us-east-1", "fine"); ok {
		t.Error("a refused form created its group")
	}
}
