package web_test

import (
	"fmt"
	"testing"

	"sgconsole/models"
)

// makeNetwork gives the scope a VPC cluster's network, as a user would make it: a VPC (10.0.0.0/16)
// with a subnet in two zones, the cache subnet group subnetGroup of both, and groups VPC security
// groups of that VPC, whose IDs it returns (the VPC's default group is not among them).
func makeNetwork(t *testing.T, store *models.Store, scope models.Scope, subnetGroup string, groups int) []string {
	t.Helper()
	vpc, err := store.CreateVPC(bg, scope, "net-"+subnetGroup, "10.0.0.0/16")
	if err != nil {
		t.Fatalf("CreateVPC: %v", err)
	}
	var subnets []string
	for i, zone := range models.AvailabilityZones(scope.Region)[:2] {
		sn, err := store.CreateSubnet(bg, scope, vpc.VpcID, zone, fmt.Sprintf("10.0.%d.0/24", i+1))
		if err != nil {
			t.Fatalf("CreateSubnet: %v", err)
		}
		subnets = append(subnets, sn.SubnetID)
	}
	if _, err := store.CreateSubnetGroup(bg, scope, models.NewSubnetGroup{Name: subnetGroup, Description: "test network", SubnetIDs: subnets}); err != nil {
		t.Fatalf("CreateSubnetGroup: %v", err)
	}
	var ids []string
	for i := range groups {
		g, err := store.CreateVPCSecurityGroup(bg, scope, vpc.VpcID, fmt.Sprintf("cache-%d", i+1), "cache clusters")
		if err != nil {
			t.Fatalf("CreateVPCSecurityGroup: %v", err)
		}
		ids = append(ids, g.GroupID)
	}
	return ids
}

// vpcGroupNamed is the ID of the scope's VPC security group of that name (the demo's vpc-cache, say).
func vpcGroupNamed(t *testing.T, store *models.Store, scope models.Scope, name string) string {
	t.Helper()
	n, err := store.GetNetwork(bg, scope)
	if err != nil {
		t.Fatalf("GetNetwork: %v", err)
	}
	for _, g := range n.Groups {
		if g.Name == name {
			return g.GroupID
		}
	}
	t.Fatalf("no VPC security group %s in %s", name, scope.Region)
	return ""
}
