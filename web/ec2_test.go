package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"sgconsole/models"
)

// submitValues posts the form selected by sel on page r with exactly these values plus the page's
// CSRF token, for forms whose repeated fields (checkboxes) submit cannot express.
func (c *client) submitValues(r *response, sel string, values url.Values) *response {
	c.t.Helper()
	form := r.wantPresent(sel).First()
	action, _ := form.Attr("action")
	values.Set("_csrf", r.csrfToken())
	return c.post(action, values, nil)
}

// ec2Groups reads the region's EC2 security groups straight from the store, by name.
func (cs *console) ec2Groups(t *testing.T, region string) map[string]models.EC2SecurityGroup {
	t.Helper()
	rows, err := cs.store.ListEC2SecurityGroups(context.Background(), scopeOf(region))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]models.EC2SecurityGroup{}
	for _, g := range rows {
		out[g.Name] = g
	}
	return out
}

// instance reads one instance from the store; ok is false when it does not exist.
func (cs *console) instance(t *testing.T, region, id string) (models.EC2Instance, bool) {
	t.Helper()
	i, err := cs.store.GetEC2Instance(context.Background(), scopeOf(region), id)
	if models.HasCode(err, models.CodeEC2InstanceNotFound) {
		return i, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return i, true
}

func TestEC2SecurityGroupsPageListsTheSimulatedGroups(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	page := c.get("/ec2/security-groups").wantStatus(http.StatusOK)
	page.wantText(testid("page-title"), "EC2 security groups (5)")
	page.wantText(testid("ec2-simulated"), "simulates the account's Amazon EC2 side")
	page.wantText(".breadcrumbs", "EC2 (simulated)")
	page.wantText(".breadcrumbs", "Security groups")
	page.wantText(testid("ec2-group-web-servers")+" "+testid("platform"), "EC2-Classic")
	page.wantText(testid("ec2-group-vpc-web")+" "+testid("platform"), "VPC")
	page.wantText(testid("ec2-group-web-servers"), "Public web tier")
	page.wantText(testid("ec2-group-default")+" "+testid("instances"), "1")
	page.wantText(testid("ec2-group-bastion")+" "+testid("instances"), "1")
	form := page.wantPresent(testid("create-ec2-group-form"))
	if form.Find(`input[name="platform"][value="ec2-classic"][checked]`).Length() != 1 {
		t.Error("EC2-Classic is not the default platform of an EC2-Classic region")
	}
	page.wantText(`label[for="ec2-group-name"]`, "Name")
	page.wantText(testid("create-ec2-group"), "Create")
}

func TestCreateEC2SecurityGroup(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	page := c.get("/ec2/security-groups")
	r := c.submit(page, testid("create-ec2-group-form"), map[string]string{"name": "workers", "platform": "vpc", "description": "Batch workers"})
	r.wantRedirect(http.StatusSeeOther, "/ec2/security-groups?region=us-east-1")
	g, ok := cs.ec2Groups(t, models.DefaultRegion)["workers"]
	if !ok || g.Platform != models.PlatformVPC || g.Description != "Batch workers" {
		t.Fatalf("stored %+v (found %v)", g, ok)
	}
	list := c.follow(r).wantStatus(http.StatusOK)
	list.wantText(testid("flash"), "Created EC2 security group workers")
	list.wantText(testid("ec2-group-workers")+" "+testid("platform"), "VPC")

	t.Run("a duplicate name is refused next to the field, keeping the input", func(t *testing.T) {
		c := c.in(t)
		page := c.get("/ec2/security-groups")
		r := c.submit(page, testid("create-ec2-group-form"), map[string]string{"name": "web-servers", "platform": "ec2-classic", "description": "Again"})
		r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
		r.wantText(testid("error-name"), "An EC2 security group named web-servers already exists.")
		if v := r.attr("#ec2-group-description", "value"); v != "Again" {
			t.Errorf("description kept as %q", v)
		}
		r.wantPresent(testid("ec2-group-web-servers")) // the list is still there
		if g := cs.ec2Groups(t, models.DefaultRegion)["web-servers"]; g.Description != "Public web tier" {
			t.Errorf("the existing group changed: %+v", g)
		}
	})
	t.Run("a missing platform is refused", func(t *testing.T) {
		c := c.in(t)
		page := c.get("/ec2/security-groups")
		r := c.submit(page, testid("create-ec2-group-form"), map[string]string{"name": "nowhere", "platform": ""})
		r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
		r.wantText(testid("error-platform"), "Platform must be ec2-classic or vpc.")
		if _, ok := cs.ec2Groups(t, models.DefaultRegion)["nowhere"]; ok {
			t.Error("stored a group without a platform")
		}
	})
}

func TestDeleteEC2SecurityGroup(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)

	page := c.get("/ec2/security-groups")
	r := c.submit(page, testid("ec2-group-web-servers")+" form", nil)
	r = c.failedForm(r).wantStatus(http.StatusConflict)
	r.wantText(testid("alert-error"), "EC2 security group web-servers is used by 1 instance(s)")
	r.wantPresent(testid("ec2-group-web-servers"))
	r.wantText(testid("page-title"), "EC2 security groups (5)")
	if _, ok := cs.ec2Groups(t, models.DefaultRegion)["web-servers"]; !ok {
		t.Fatal("a group in use was deleted")
	}

	c.submit(c.get("/ec2/security-groups"), testid("create-ec2-group-form"), map[string]string{"name": "spare", "platform": "ec2-classic"}).
		wantStatus(http.StatusSeeOther)
	page = c.get("/ec2/security-groups")
	r = c.submit(page, testid("ec2-group-spare")+" form", nil)
	r.wantRedirect(http.StatusSeeOther, "/ec2/security-groups?region=us-east-1")
	if _, ok := cs.ec2Groups(t, models.DefaultRegion)["spare"]; ok {
		t.Fatal("spare is still stored")
	}
	list := c.follow(r)
	list.wantText(testid("flash"), "Deleted EC2 security group spare.")
	list.wantAbsent(testid("ec2-group-spare"))

	t.Run("an unknown group is a 404 on the list", func(t *testing.T) {
		c := c.in(t)
		r := c.post("/ec2/security-groups/nope/delete", url.Values{"_csrf": {page.csrfToken()}}, nil)
		r = c.failedForm(r).wantStatus(http.StatusNotFound)
		r.wantText(testid("alert-error"), "EC2 security group nope not found.")
	})
}

var generatedInstanceID = regexp.MustCompile(`^i-[0-9a-f]{17}$`)

func TestEC2InstancesPage(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	page := c.get("/ec2/instances").wantStatus(http.StatusOK)
	page.wantText(testid("page-title"), "EC2 instances (4)")
	page.wantText(".breadcrumbs", "EC2 (simulated)")
	page.wantText(testid("instance-i-0a1b2c3d4e5f60002")+" "+testid("groups"), "app-servers, default")
	page.wantText(testid("instance-i-0a1b2c3d4e5f60004")+" "+testid("platform"), "VPC")
	page.wantText(testid("create-instance-form"), "Leave empty to generate one")
	page.wantText(`label[for="instance-group-vpc-web"]`, "vpc-web (VPC)")
	page.wantText(`label[for="instance-group-web-servers"]`, "web-servers (EC2-Classic)")
	if n := page.find(testid("create-instance-form") + ` input[type="checkbox"][name="security_groups"]`).Length(); n != 5 {
		t.Errorf("%d security group checkboxes, want 5", n)
	}
}

func TestLaunchEC2Instance(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	form := testid("create-instance-form")

	t.Run("an empty ID is generated", func(t *testing.T) {
		c := c.in(t)
		page := c.get("/ec2/instances")
		r := c.submitValues(page, form, url.Values{"instance_id": {""}, "name": {"web-2"}, "platform": {"ec2-classic"}, "security_groups": {"web-servers", "default"}})
		r.wantRedirect(http.StatusSeeOther, "/ec2/instances?region=us-east-1")
		rows, _ := cs.store.ListEC2Instances(context.Background(), scopeOf(models.DefaultRegion))
		var got models.EC2Instance
		for _, i := range rows {
			if i.Name == "web-2" {
				got = i
			}
		}
		if !generatedInstanceID.MatchString(got.InstanceID) || got.Platform != models.PlatformClassic ||
			!slices.Equal(got.GroupNames(), []string{"default", "web-servers"}) {
			t.Fatalf("stored %+v", got)
		}
		list := c.follow(r)
		list.wantText(testid("flash"), "Launched instance "+got.InstanceID+" (web-2)")
		list.wantText(testid("instance-"+got.InstanceID)+" "+testid("groups"), "default, web-servers")
	})
	t.Run("a given 8-digit ID is kept", func(t *testing.T) {
		c := c.in(t)
		r := c.submitValues(c.get("/ec2/instances"), form, url.Values{"instance_id": {"i-1234abcd"}, "platform": {"vpc"}, "security_groups": {"vpc-web"}})
		r.wantStatus(http.StatusSeeOther)
		if i, ok := cs.instance(t, models.DefaultRegion, "i-1234abcd"); !ok || i.Platform != models.PlatformVPC {
			t.Fatalf("stored %+v (found %v)", i, ok)
		}
	})
	t.Run("a bad ID is refused next to the field with the input kept", func(t *testing.T) {
		c := c.in(t)
		r := c.submitValues(c.get("/ec2/instances"), form, url.Values{"instance_id": {"i-xyz"}, "name": {"bad"}, "platform": {"ec2-classic"}, "security_groups": {"bastion"}})
		r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
		r.wantText(testid("error-instance_id"), "i- followed by 8 or 17 hexadecimal digits")
		if v := r.attr("#instance-id", "value"); v != "i-xyz" {
			t.Errorf("instance ID kept as %q", v)
		}
		if v := r.attr("#instance-name", "value"); v != "bad" {
			t.Errorf("name kept as %q", v)
		}
		if r.find(`#instance-group-bastion[checked]`).Length() != 1 {
			t.Error("the chosen group is not ticked any more")
		}
		r.wantPresent(testid("instance-i-0a1b2c3d4e5f60001"))
		if _, ok := cs.instance(t, models.DefaultRegion, "i-xyz"); ok {
			t.Error("stored a bad instance")
		}
	})
	t.Run("a group of the other platform is refused", func(t *testing.T) {
		c := c.in(t)
		r := c.submitValues(c.get("/ec2/instances"), form, url.Values{"instance_id": {"i-0000beef"}, "platform": {"vpc"}, "security_groups": {"web-servers"}})
		r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
		r.wantText(testid("error-security_groups"), "EC2 security group web-servers is for EC2-Classic instances, not VPC.")
		if _, ok := cs.instance(t, models.DefaultRegion, "i-0000beef"); ok {
			t.Error("stored an instance in a group of the other platform")
		}
	})
	t.Run("no group is refused", func(t *testing.T) {
		c := c.in(t)
		r := c.submitValues(c.get("/ec2/instances"), form, url.Values{"instance_id": {"i-0000cafe"}, "platform": {"ec2-classic"}})
		r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
		r.wantText(testid("error-security_groups"), "Choose at least one EC2 security group.")
		if _, ok := cs.instance(t, models.DefaultRegion, "i-0000cafe"); ok {
			t.Error("stored an instance without a group")
		}
	})
}

func TestTerminateEC2Instance(t *testing.T) {
	cs := newConsole(t, true)
	c := cs.signedIn(t)
	page := c.get("/ec2/instances")
	r := c.submit(page, testid("instance-i-0a1b2c3d4e5f60003")+" form", nil)
	r.wantRedirect(http.StatusSeeOther, "/ec2/instances?region=us-east-1")
	if _, ok := cs.instance(t, models.DefaultRegion, "i-0a1b2c3d4e5f60003"); ok {
		t.Fatal("bastion-1 is still stored")
	}
	list := c.follow(r)
	list.wantText(testid("flash"), "Terminated instance i-0a1b2c3d4e5f60003.")
	list.wantAbsent(testid("instance-i-0a1b2c3d4e5f60003"))
	// Its group is free now.
	groups := c.get("/ec2/security-groups")
	groups.wantText(testid("ec2-group-bastion")+" "+testid("instances"), "0")
	c.submit(groups, testid("ec2-group-bastion")+" form", nil).wantStatus(http.StatusSeeOther)

	c.failedForm(c.post("/ec2/instances/i-0a1b2c3d4e5f60003/delete", url.Values{"_csrf": {page.csrfToken()}}, nil)).
		wantStatus(http.StatusNotFound)
}

func TestEC2FormsInAVPCOnlyRegion(t *testing.T) {
	cs := newConsole(t, true)
	if err := cs.store.SetRegionPlatform(context.Background(), scopeOf("eu-west-1"), models.PlatformVPC); err != nil {
		t.Fatal(err)
	}
	c := cs.signedIn(t)
	page := c.get("/ec2/security-groups?region=eu-west-1").wantStatus(http.StatusOK)
	classic := page.wantPresent(testid("ec2-group-platform-ec2-classic"))
	if _, disabled := classic.Attr("disabled"); !disabled {
		t.Error("EC2-Classic can be chosen in a VPC-only region")
	}
	if _, checked := page.find(testid("ec2-group-platform-vpc")).Attr("checked"); !checked {
		t.Error("VPC is not preselected")
	}
	page.wantText(testid("classic-disabled-note"), "supports only VPC")
	r := c.submit(page, testid("create-ec2-group-form"), map[string]string{"name": "legacy", "platform": "ec2-classic"})
	r = c.failedForm(r).wantStatus(http.StatusUnprocessableEntity)
	r.wantText(testid("error-platform"), "supports only VPC")
	if _, ok := cs.ec2Groups(t, "eu-west-1")["legacy"]; ok {
		t.Error("stored an EC2-Classic group in a VPC-only region")
	}
	instances := c.get("/ec2/instances?region=eu-west-1")
	instances.find(testid("create-instance-form") + ` input[name="platform"]`).Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		if _, disabled := s.Attr("disabled"); disabled != (v == "ec2-classic") {
			t.Errorf("platform %s disabled=%v", v, disabled)
		}
	})
}
