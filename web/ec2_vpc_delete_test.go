package web

import (
	"context"
	"net/http"
	"testing"

	"sgconsole/models"
)

// TestEC2DeleteSubnetAndVPC: a subnet of a cache subnet group and a VPC with a subnet left are
// refused with what depends on them (DependencyViolation); once those are gone the subnet, then
// the VPC with its default security group, are deleted through their confirmation pages.
func TestEC2DeleteSubnetAndVPC(t *testing.T) {
	cs := newConsole(t, false)
	c := cs.signedIn(t)
	ctx := context.Background()
	us := scopeOf("us-east-1")

	page := c.get("/ec2/vpcs").wantStatus(http.StatusOK)
	c.follow(c.submit(page, testid("create-vpc-form"), map[string]string{"name": "prod", "cidr": "10.0.0.0/16"}).wantStatus(http.StatusSeeOther))
	vpc := cs.network(t).VPCs[0]
	page = c.get("/ec2/vpcs")
	c.follow(c.submit(page, testid("create-subnet-form"), map[string]string{"vpc_id": vpc.VpcID, "availability_zone": "us-east-1a", "cidr": "10.0.1.0/24"}).wantStatus(http.StatusSeeOther))
	subnet := cs.network(t).SubnetsOf(vpc.VpcID)[0]
	if _, err := cs.store.CreateSubnetGroup(ctx, us, models.NewSubnetGroup{Name: "prod-private", Description: "d", SubnetIDs: []string{subnet.SubnetID}}); err != nil {
		t.Fatal(err)
	}

	page = c.get("/ec2/vpcs").wantStatus(http.StatusOK)
	page.wantPresent(testid("delete-" + vpc.VpcID))
	page.wantPresent(testid("subnet-row-"+subnet.SubnetID) + " " + testid("delete-"+subnet.SubnetID))

	// The subnet is in a subnet group: refused, saying so, and kept.
	confirm := c.get("/ec2/subnets/" + subnet.SubnetID + "/delete").wantStatus(http.StatusOK)
	confirm.wantText(testid("delete-name"), subnet.SubnetID)
	r := c.failedForm(c.submit(confirm, testid("subnet-delete-form"), nil))
	r.wantText(testid("alert-error"), "cache subnet group prod-private")
	// The VPC still has the subnet: refused, naming it.
	confirm = c.get("/ec2/vpcs/" + vpc.VpcID + "/delete").wantStatus(http.StatusOK)
	confirm.wantText(testid("delete-name"), vpc.VpcID)
	r = c.failedForm(c.submit(confirm, testid("vpc-delete-form"), nil))
	r.wantText(testid("alert-error"), "subnet "+subnet.SubnetID)
	if n := cs.network(t); len(n.VPCs) != 1 || len(n.Subnets) != 1 {
		t.Fatalf("after the refusals: %+v", n)
	}

	if err := cs.store.DeleteSubnetGroup(ctx, us, "prod-private"); err != nil {
		t.Fatal(err)
	}
	confirm = c.get("/ec2/subnets/" + subnet.SubnetID + "/delete").wantStatus(http.StatusOK)
	c.follow(c.submit(confirm, testid("subnet-delete-form"), nil).wantStatus(http.StatusSeeOther)).wantText(testid("flash"), "Deleted subnet "+subnet.SubnetID+".")
	confirm = c.get("/ec2/vpcs/" + vpc.VpcID + "/delete").wantStatus(http.StatusOK)
	after := c.follow(c.submit(confirm, testid("vpc-delete-form"), nil).wantStatus(http.StatusSeeOther))
	after.wantText(testid("flash"), "Deleted VPC "+vpc.VpcID+".")
	after.wantPresent(testid("empty-state"))
	if n := cs.network(t); len(n.VPCs) != 0 || len(n.Groups) != 0 {
		t.Fatalf("after the deletes: %+v", n)
	}
	c.get("/ec2/vpcs/" + vpc.VpcID + "/delete").wantStatus(http.StatusNotFound)
}
