package models

import (
	"strings"
	"testing"
)

// A VPC is deleted once its subnets, its other security groups and the subnet groups of its
// subnets are gone (DependencyViolation names each until then); its default group goes with it.
func TestDeleteVPC(t *testing.T) {
	s, _ := newStore(t)
	net := ensureTestNet(t, s, scopeUS)
	before := takeFullSnapshot(t, s)
	e := wantError(t, s.DeleteVPC(ctx, scopeUS, net.VPC.VpcID), CodeDependencyViolation, "")
	for _, want := range []string{net.Subnets[0].SubnetID, net.Subnets[1].SubnetID, net.CacheSG.GroupID, "cache subnet group prod-private"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("refusal %q does not name %s", e.Message, want)
		}
	}
	assertNothingWritten(t, s, before)
	wantError(t, s.DeleteVPC(ctx, scopeUS, "vpc-0123456789abcdef0"), CodeVPCNotFound, "")
	wantError(t, s.DeleteVPC(ctx, scopeUSW, net.VPC.VpcID), CodeVPCNotFound, "") // another region's

	mustNoErr(t, s.DeleteSubnetGroup(ctx, scopeUS, "prod-private"), "DeleteSubnetGroup")
	for _, sn := range net.Subnets {
		mustNoErr(t, s.DeleteSubnet(ctx, scopeUS, sn.SubnetID), "DeleteSubnet")
	}
	mustNoErr(t, s.DeleteVPCSecurityGroup(ctx, scopeUS, net.CacheSG.GroupID), "DeleteVPCSecurityGroup")
	mustNoErr(t, s.DeleteVPC(ctx, scopeUS, net.VPC.VpcID), "DeleteVPC")
	n := mustNetwork(t, s)
	if len(n.VPCs) != 0 || len(n.Groups) != 0 || countRows(t, s, &VPCSecurityGroupRule{}, "") != 0 {
		t.Fatalf("left after the delete: %+v, %d rules", n, countRows(t, s, &VPCSecurityGroupRule{}, ""))
	}
}
