package web

import (
	"context"
	"net/http"
	"testing"

	"sgconsole/models"
)

// network reads the region's VPCs, subnets and VPC security groups from the store.
func (cs *console) network(t *testing.T) models.Network {
	t.Helper()
	n, err := cs.store.GetNetwork(context.Background(), scopeOf("us-east-1"))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// vpcGroupID is the ID of the us-east-1 VPC security group of that name (the demo's vpc-cache, say).
func (cs *console) vpcGroupID(t *testing.T, name string) string {
	t.Helper()
	for _, g := range cs.network(t).Groups {
		if g.Name == name {
			return g.GroupID
		}
	}
	t.Fatalf("no VPC security group %s", name)
	return ""
}

// TestEC2VPCPages: a VPC, a subnet and a VPC security group made in the console, an inbound rule
// added and removed, a bad CIDR answered next to its field, and the group deleted.
func TestEC2VPCPages(t *testing.T) {
	cs := newConsole(t, false)
	c := cs.signedIn(t)

	page := c.get("/ec2/vpcs").wantStatus(http.StatusOK)
	page.wantText(".side-nav", "VPC security groups")
	bad := c.submit(page, testid("create-vpc-form"), map[string]string{"cidr": "10.0.0.1/16"})
	bad = c.failedForm(bad).wantStatus(http.StatusUnprocessableEntity)
	bad.wantText(testid("error-cidr"), "10.0.0.0/16")

	c.follow(c.submit(page, testid("create-vpc-form"), map[string]string{"name": "prod", "cidr": "10.0.0.0/16"}).wantStatus(http.StatusSeeOther))
	n := cs.network(t)
	if len(n.VPCs) != 1 || n.VPCs[0].Name != "prod" {
		t.Fatalf("VPCs %+v", n.VPCs)
	}
	vpc := n.VPCs[0]
	page = c.get("/ec2/vpcs")
	c.follow(c.submit(page, testid("create-subnet-form"), map[string]string{"vpc_id": vpc.VpcID, "availability_zone": "us-east-1b", "cidr": "10.0.2.0/24"}).wantStatus(http.StatusSeeOther))
	page = c.get("/ec2/vpcs").wantStatus(http.StatusOK)
	subnets := cs.network(t).SubnetsOf(vpc.VpcID)
	if len(subnets) != 1 || subnets[0].AvailabilityZone != "us-east-1b" {
		t.Fatalf("subnets %+v", subnets)
	}
	page.wantText(testid("subnet-row-"+subnets[0].SubnetID), "10.0.2.0/24")

	groups := c.get("/ec2/vpc-security-groups").wantStatus(http.StatusOK)
	groups.wantText(testid("page-title"), "VPC security groups (1)") // the VPC's default group
	c.follow(c.submit(groups, testid("create-vpc-group-form"), map[string]string{"vpc_id": vpc.VpcID, "name": "cache", "description": "Cache nodes"}).wantStatus(http.StatusSeeOther))
	var cache models.VPCSecurityGroup
	for _, g := range cs.network(t).Groups {
		if g.Name == "cache" {
			cache = g
		}
	}
	groups = c.get("/ec2/vpc-security-groups")
	c.follow(c.submit(groups, testid("add-rule-"+cache.GroupID), map[string]string{"from_port": "6379", "source": "10.0.0.0/16"}).wantStatus(http.StatusSeeOther))
	groups = c.get("/ec2/vpc-security-groups")
	groups.wantText(testid("vpc-group-"+cache.GroupID)+" "+testid("rule-6379-10.0.0.0/16"), "6379")

	dup := c.failedForm(c.submit(groups, testid("add-rule-"+cache.GroupID), map[string]string{"from_port": "6379", "source": "10.0.0.0/16"}))
	dup.wantText(testid("vpc-group-"+cache.GroupID)+" "+testid("error-source"), "already exists")

	c.follow(c.submit(groups, testid("vpc-group-"+cache.GroupID)+" "+testid("rules-table")+" form", nil).wantStatus(http.StatusSeeOther))
	if g, err := cs.store.GetVPCSecurityGroup(context.Background(), scopeOf("us-east-1"), cache.GroupID); err != nil || len(g.Rules) != 0 {
		t.Fatalf("after Remove: %+v, %v", g.Rules, err)
	}
	confirm := c.get("/ec2/vpc-security-groups/" + cache.GroupID + "/delete").wantStatus(http.StatusOK)
	confirm.wantText(testid("delete-name"), cache.GroupID)
	c.follow(c.submit(confirm, testid("vpc-group-delete-form"), nil).wantStatus(http.StatusSeeOther))
	if _, err := cs.store.GetVPCSecurityGroup(context.Background(), scopeOf("us-east-1"), cache.GroupID); !models.HasCode(err, models.CodeEC2GroupNotFound) {
		t.Fatalf("after Delete: %v", err)
	}
}
