package models

import (
	"strings"
	"testing"
)

func TestVPCSubnetsAndSecurityGroupRules(t *testing.T) {
	s, _ := newStore(t)
	vpc, err := s.CreateVPC(ctx, scopeUS, "prod", "10.0.0.0/16")
	mustNoErr(t, err, "CreateVPC")
	if !strings.HasPrefix(vpc.VpcID, "vpc-") || vpc.CIDR != "10.0.0.0/16" {
		t.Fatalf("vpc = %+v", vpc)
	}
	_, err = s.CreateVPC(ctx, scopeUS, "bad", "10.0.0.1/16")
	wantError(t, err, CodeInvalidParameterValue, "10.0.0.1/16 is not a network address: use 10.0.0.0/16.")

	a, err := s.CreateSubnet(ctx, scopeUS, vpc.VpcID, "us-east-1a", "10.0.1.0/24")
	mustNoErr(t, err, "CreateSubnet")
	_, err = s.CreateSubnet(ctx, scopeUS, vpc.VpcID, "us-east-1b", "10.0.1.128/25")
	wantError(t, err, CodeSubnetConflict, "")
	_, err = s.CreateSubnet(ctx, scopeUS, vpc.VpcID, "us-east-1b", "10.1.0.0/24")
	wantError(t, err, CodeSubnetRange, "")
	_, err = s.CreateSubnet(ctx, scopeUS, vpc.VpcID, "eu-west-1a", "10.0.2.0/24")
	wantError(t, err, CodeInvalidParameterValue, "")
	_, err = s.CreateSubnet(ctx, scopeUSW, vpc.VpcID, "us-west-2a", "10.0.2.0/24")
	wantError(t, err, CodeVPCNotFound, "") // another region's VPC does not exist here

	net, err := s.GetNetwork(ctx, scopeUS)
	mustNoErr(t, err, "GetNetwork")
	groups := net.GroupsOf(vpc.VpcID)
	if len(net.SubnetsOf(vpc.VpcID)) != 1 || len(groups) != 1 || groups[0].Name != "default" {
		t.Fatalf("network = %+v", net)
	}
	def := groups[0]
	if len(def.Rules) != 1 || def.Rules[0].Source != def.GroupID {
		t.Fatalf("default group rules = %+v, want all TCP from itself", def.Rules)
	}

	app, err := s.CreateVPCSecurityGroup(ctx, scopeUS, vpc.VpcID, "app", "App servers")
	mustNoErr(t, err, "CreateVPCSecurityGroup")
	_, err = s.CreateVPCSecurityGroup(ctx, scopeUS, vpc.VpcID, "app", "again")
	wantError(t, err, CodeEC2GroupDuplicate, "")
	cache, err := s.CreateVPCSecurityGroup(ctx, scopeUS, vpc.VpcID, "cache", "Cache nodes")
	mustNoErr(t, err, "CreateVPCSecurityGroup")

	g, err := s.AuthorizeVPCIngress(ctx, scopeUS, cache.GroupID, VPCRule{FromPort: 6379, ToPort: 6379, Source: app.GroupID})
	mustNoErr(t, err, "AuthorizeVPCIngress")
	_, err = s.AuthorizeVPCIngress(ctx, scopeUS, cache.GroupID, VPCRule{FromPort: 6379, ToPort: 6379, Source: app.GroupID})
	wantError(t, err, CodePermissionDuplicate, "")
	_, err = s.AuthorizeVPCIngress(ctx, scopeUS, cache.GroupID, VPCRule{FromPort: 11212, ToPort: 11211, Source: "10.0.0.0/16"})
	wantError(t, err, CodeInvalidParameterValue, "Ports are 0 to 65535, the first no greater than the last.")
	_, err = s.AuthorizeVPCIngress(ctx, scopeUS, cache.GroupID, VPCRule{FromPort: 1, ToPort: 2, Source: "sg-0123456789abcdef0"})
	wantError(t, err, CodeEC2GroupNotFound, "")
	g, err = s.AuthorizeVPCIngress(ctx, scopeUS, cache.GroupID, VPCRule{FromPort: 11211, ToPort: 11212, Source: "10.0.1.0/24"})
	mustNoErr(t, err, "AuthorizeVPCIngress CIDR")
	if len(g.Rules) != 2 || g.Rules[0].Ports() != "6379" || g.Rules[1].Ports() != "11211-11212" {
		t.Fatalf("rules = %+v", g.Rules)
	}

	err = s.DeleteVPCSecurityGroup(ctx, scopeUS, app.GroupID)
	wantError(t, err, CodeDependencyViolation, "") // the source of cache's rule
	err = s.DeleteVPCSecurityGroup(ctx, scopeUS, def.GroupID)
	wantError(t, err, CodeInvalidParameterValue, "The default security group of a VPC cannot be deleted.")
	g, err = s.RevokeVPCIngress(ctx, scopeUS, cache.GroupID, VPCRule{FromPort: 6379, ToPort: 6379, Source: app.GroupID})
	mustNoErr(t, err, "RevokeVPCIngress")
	_, err = s.RevokeVPCIngress(ctx, scopeUS, cache.GroupID, VPCRule{FromPort: 6379, ToPort: 6379, Source: app.GroupID})
	wantError(t, err, CodePermissionNotFound, "")
	mustNoErr(t, s.DeleteVPCSecurityGroup(ctx, scopeUS, app.GroupID), "DeleteVPCSecurityGroup")
	if _, err := s.GetVPCSecurityGroup(ctx, scopeUS, app.GroupID); err == nil {
		t.Fatal("deleted group still found")
	}
	mustNoErr(t, s.DeleteSubnet(ctx, scopeUS, a.SubnetID), "DeleteSubnet")
}

func TestDefaultVPCHasASubnetPerZone(t *testing.T) {
	s, _ := newStore(t)
	v, err := s.EnsureDefaultVPC(ctx, scopeUS)
	mustNoErr(t, err, "EnsureDefaultVPC")
	again, err := s.EnsureDefaultVPC(ctx, scopeUS)
	mustNoErr(t, err, "EnsureDefaultVPC again")
	if again.VpcID != v.VpcID || !v.IsDefault || v.CIDR != "172.31.0.0/16" {
		t.Fatalf("default VPC %+v then %+v", v, again)
	}
	net, err := s.GetNetwork(ctx, scopeUS)
	mustNoErr(t, err, "GetNetwork")
	var zones []string
	for _, sn := range net.SubnetsOf(v.VpcID) {
		zones = append(zones, sn.AvailabilityZone)
	}
	if strings.Join(zones, " ") != "us-east-1a us-east-1b us-east-1c" {
		t.Fatalf("zones = %v", zones)
	}
}
