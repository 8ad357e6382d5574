package models

import (
	"reflect"
	"testing"
)

// The VPC security groups page and the explainer list groups by name and rules by ports, then
// source, in byte order on both engines (PostgreSQL's ORDER BY would follow its collation, where
// case and punctuation weigh differently).
func TestNetworkListsGroupsAndRulesInByteOrder(t *testing.T) {
	s, _ := newStore(t)
	net := ensureTestNet(t, s, scopeUS)
	for _, name := range []string{"app_b", "App-z", "app-a"} {
		_, err := s.CreateVPCSecurityGroup(ctx, scopeUS, net.VPC.VpcID, name, "ordering")
		mustNoErr(t, err, "CreateVPCSecurityGroup "+name)
	}
	for _, source := range []string{net.CacheSG.GroupID, "192.168.0.0/16", "10.0.0.0/8"} {
		_, err := s.AuthorizeVPCIngress(ctx, scopeUS, net.CacheSG.GroupID, VPCRule{FromPort: 6379, ToPort: 6379, Source: source})
		mustNoErr(t, err, "AuthorizeVPCIngress "+source)
	}
	n := mustNetwork(t, s)
	var names []string
	var sources []string
	for _, g := range n.GroupsOf(net.VPC.VpcID) {
		names = append(names, g.Name)
		if g.GroupID == net.CacheSG.GroupID {
			for _, r := range g.Rules {
				sources = append(sources, r.Source)
			}
		}
	}
	wantNames := []string{"App-z", "app-a", "app_b", "cache-sg", "default"}
	if !reflect.DeepEqual(names, wantNames) {
		t.Errorf("groups listed as %v, want %v", names, wantNames)
	}
	wantSources := []string{"10.0.0.0/8", "192.168.0.0/16", net.CacheSG.GroupID}
	if !reflect.DeepEqual(sources, wantSources) {
		t.Errorf("rules listed by source as %v, want %v", sources, wantSources)
	}
	g, err := s.GetVPCSecurityGroup(ctx, scopeUS, net.CacheSG.GroupID)
	mustNoErr(t, err, "GetVPCSecurityGroup")
	for i, r := range g.Rules {
		if r.Source != wantSources[i] {
			t.Errorf("GetVPCSecurityGroup rule %d is from %s, want %s", i, r.Source, wantSources[i])
		}
	}
}
