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
	page := c.get("/clusters/new")
	r := c.post("/clusters", url.Values{"_csrf": {page.csrfToken()}, "cluster_id": {"fine\x00"}, "cache_security_groups": {"default"}}, nil)
	r.wantErrorPage(http.StatusBadRequest, "The field cluster_id contains characters the console can't accept")
	c.get("/security-groups?selected=web%00").wantErrorPage(http.StatusBadRequest, "The field selected contains")
	c.get("/security-groups/web%01sessions").wantErrorPage(http.StatusBadRequest, "The field name contains")
}

// On the security group create forms the bad bytes are reported next to the field, as any other
// invalid value, and the form keeps what was typed.
func TestCreateFormsShowBadBytesNextToTheField(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	for name, v := range map[string]string{"invalid UTF-8": "web\xfftier", "NUL": "web\x00tier", "line break": "web\ntier"} {
		r := c.submit(c.get("/security-groups/new"), testid("create-form"), map[string]string{"name": "fine", "description": v})
		r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
		if got := r.text(testid("error-description")); got == "" {
			t.Errorf("%s in a cache group description: no error next to the field", name)
		}
		r = c.submit(c.get("/ec2/security-groups"), testid("create-ec2-group-form"), map[string]string{"name": "fine", "description": v, "platform": "ec2-classic"})
		r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
		if got := r.text(testid("error-description")); got == "" {
			t.Errorf("%s in an EC2 group description: no error next to the field", name)
		}
		r = c.submit(c.get("/ec2/security-groups"), testid("create-ec2-group-form"), map[string]string{"name": "fine" + v, "description": "d", "platform": "ec2-classic"})
		r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
		if got := r.text(testid("error-name")); got == "" {
			t.Errorf("%s in an EC2 group name: no error next to the field", name)
		}
	}
	for name, v := range map[string]string{"invalid UTF-8": "web\xfftier", "NUL": "web\x00tier"} {
		r := c.submit(c.get("/security-groups/web-sessions"), testid("authorize-form"),
			map[string]string{"ec2_security_group_name": v, "ec2_security_group_owner_id": "123456789012"})
		r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
		if got := r.text(testid("error-ec2_security_group_name")); got == "" {
			t.Errorf("%s in an authorized EC2 group name: no error next to the field", name)
		}
	}
	if _, ok := cs.group(t, "us-east-1", "fine"); ok {
		t.Error("a refused form created its group")
	}
	if _, ok := cs.ec2Groups(t, "us-east-1")["fine"]; ok {
		t.Error("a refused form created its EC2 group")
	}
}
