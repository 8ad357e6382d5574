package web

import (
	"net/http"
	"testing"

	"sgconsole/models"
)

// An EC2 group may be named with "/" (EC2's character set allows it). Its links escape it as %2F,
// which Echo leaves escaped in path parameters; the console must still find and delete the group.
func TestDeleteEC2GroupWithSlashInName(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	for _, name := range []string{"web/tier", "a/b (prod) #1"} {
		c.submit(c.get("/ec2/security-groups"), testid("create-ec2-group-form"), map[string]string{"name": name, "description": "slash", "platform": "ec2-classic"}).
			wantStatus(http.StatusSeeOther)
		page := c.get("/ec2/security-groups")
		confirm := c.get(page.attr(`[data-testid="delete-`+name+`"]`, "href")).wantStatus(http.StatusOK)
		r := c.submit(confirm, testid("ec2-delete-form"), nil)
		r.wantRedirect(http.StatusSeeOther, "/ec2/security-groups?region=us-east-1")
		if _, ok := cs.ec2Groups(t, models.DefaultRegion)[name]; ok {
			t.Fatalf("%s is still stored", name)
		}
		c.follow(r).wantText(testid("flash"), "Deleted EC2 security group "+name+".")
	}
}
