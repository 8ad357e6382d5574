package models

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	msgIDRequired   = "Enter a cluster ID."
	msgIDTooLong    = "The cluster ID must be at most 50 characters long."
	msgIDCharset    = "The cluster ID must start with a letter and contain only letters, digits and hyphens."
	msgIDHyphens    = "The cluster ID can't end with a hyphen or contain two consecutive hyphens."
	msgEngine       = "Choose an engine: memcached or redis."
	msgNodeType     = "Choose a cache node type from the list."
	msgNodesMin     = "A cluster needs at least one node."
	msgRedisNodes   = "A Redis cluster has exactly one node."
	msgClassicParts = "An EC2-Classic cluster has no subnet group or VPC security groups."
	msgSubnetNeeded = "Enter the cache subnet group of the VPC."
	msgSubnetName   = "A subnet group name has at most 255 letters, digits and hyphens."
	msgNetwork      = "Choose the network: ec2-classic or vpc."
)

func msgVPCGroupID(id string) string {
	return fmt.Sprintf("%q is not a VPC security group ID: use sg- followed by 8 or 17 hexadecimal digits.", id)
}

func TestValidateClusterID(t *testing.T) {
	valid := []struct{ in, stored string }{
		{"a", "a"},
		{"Sessions", "sessions"},
		{"MY-Cache-01", "my-cache-01"},
		{"a1-b2-c3", "a1-b2-c3"},
		{"z" + strings.Repeat("9", 49), "z" + strings.Repeat("9", 49)},
		{strings.Repeat("A", 50), strings.Repeat("a", 50)},
	}
	for _, tt := range valid {
		got, err := ValidateClusterID(tt.in)
		if err != nil || got != tt.stored {
			t.Errorf("ValidateClusterID(%q) = %q, %v; want %q", tt.in, got, err, tt.stored)
		}
	}
	invalid := []struct{ in, code, msg string }{
		{"", CodeMissingParameter, msgIDRequired},
		{strings.Repeat("a", 51), CodeInvalidParameterValue, msgIDTooLong},
		{"1cache", CodeInvalidParameterValue, msgIDCharset},
		{"-cache", CodeInvalidParameterValue, msgIDCharset},
		{"my_cache", CodeInvalidParameterValue, msgIDCharset},
		{"my cache", CodeInvalidParameterValue, msgIDCharset},
		{"my.cache", CodeInvalidParameterValue, msgIDCharset},
		{"caché", CodeInvalidParameterValue, msgIDCharset},
		{"cache\n", CodeInvalidParameterValue, msgIDCharset},
		{"cache-", CodeInvalidParameterValue, msgIDHyphens},
		{"my--cache", CodeInvalidParameterValue, msgIDHyphens},
		{"a-", CodeInvalidParameterValue, msgIDHyphens},
	}
	for _, tt := range invalid {
		got, err := ValidateClusterID(tt.in)
		e := wantError(t, err, tt.code, tt.msg)
		if got != "" {
			t.Errorf("ValidateClusterID(%q) returned %q with an error", tt.in, got)
		}
		if want := []FieldError{{"cluster_id", tt.msg}}; !reflect.DeepEqual(e.Fields, want) {
			t.Errorf("ValidateClusterID(%q) fields = %+v, want %+v", tt.in, e.Fields, want)
		}
	}
}

func TestCreateClusterValidation(t *testing.T) {
	classic := classicCluster("c1")
	vpc := NewCluster{ID: "v1", Engine: "redis", NodeType: "cache.t2.small", NumNodes: 1, Network: PlatformVPC,
		SubnetGroup: "prod-private", VPCSecurityGroupIDs: []string{"sg-0a1b2c3d"}} // refused before the network is looked at
	with := func(n NewCluster, change func(*NewCluster)) NewCluster { change(&n); return n }
	tests := []struct {
		name       string
		in         NewCluster
		code       string
		wantFields []FieldError
	}{
		{"ID missing", with(classic, func(n *NewCluster) { n.ID = "" }), CodeMissingParameter, []FieldError{{"cluster_id", msgIDRequired}}},
		{"ID too long", with(classic, func(n *NewCluster) { n.ID = strings.Repeat("a", 51) }), CodeInvalidParameterValue, []FieldError{{"cluster_id", msgIDTooLong}}},
		{"ID starts with digit", with(classic, func(n *NewCluster) { n.ID = "9lives" }), CodeInvalidParameterValue, []FieldError{{"cluster_id", msgIDCharset}}},
		{"ID trailing hyphen", with(classic, func(n *NewCluster) { n.ID = "cache-" }), CodeInvalidParameterValue, []FieldError{{"cluster_id", msgIDHyphens}}},
		{"ID double hyphen", with(classic, func(n *NewCluster) { n.ID = "my--cache" }), CodeInvalidParameterValue, []FieldError{{"cluster_id", msgIDHyphens}}},
		{"node type missing", with(classic, func(n *NewCluster) { n.NodeType = "" }), CodeMissingParameter, []FieldError{{"node_type", "Choose a cache node type."}}},
		{"engine unknown", with(classic, func(n *NewCluster) { n.Engine = "mysql" }), CodeInvalidParameterValue, []FieldError{{"engine", msgEngine}}},
		{"engine upper case", with(classic, func(n *NewCluster) { n.Engine = "Memcached" }), CodeInvalidParameterValue, []FieldError{{"engine", msgEngine}}},
		{"node type unknown", with(classic, func(n *NewCluster) { n.NodeType = "cache.x9.huge" }), CodeInvalidParameterValue, []FieldError{{"node_type", msgNodeType}}},
		{"node type t2 in EC2-Classic", with(classic, func(n *NewCluster) { n.NodeType = "cache.t2.micro" }), CodeInvalidParameterValue,
			[]FieldError{{"node_type", "Node type cache.t2.micro is available only in a VPC."}}},
		{"node type m4 in EC2-Classic", with(classic, func(n *NewCluster) { n.NodeType = "cache.m4.large" }), CodeInvalidParameterValue,
			[]FieldError{{"node_type", "Node type cache.m4.large is available only in a VPC."}}},
		{"node type r3 in EC2-Classic", with(classic, func(n *NewCluster) { n.NodeType = "cache.r3.large" }), CodeInvalidParameterValue,
			[]FieldError{{"node_type", "Node type cache.r3.large is available only in a VPC."}}},
		{"node type t2 inferred EC2-Classic", with(classic, func(n *NewCluster) { n.NodeType = "cache.t2.small"; n.Network = "" }), CodeInvalidParameterValue,
			[]FieldError{{"node_type", "Node type cache.t2.small is available only in a VPC."}}},
		{"zero nodes", with(classic, func(n *NewCluster) { n.NumNodes = 0 }), CodeInvalidParameterValue, []FieldError{{"num_nodes", msgNodesMin}}},
		{"negative nodes", with(classic, func(n *NewCluster) { n.NumNodes = -3 }), CodeInvalidParameterValue, []FieldError{{"num_nodes", msgNodesMin}}},
		{"redis two nodes", with(vpc, func(n *NewCluster) { n.NumNodes = 2 }), CodeInvalidParameterValue, []FieldError{{"num_nodes", msgRedisNodes}}},
		{"redis zero nodes", with(vpc, func(n *NewCluster) { n.NumNodes = 0 }), CodeInvalidParameterValue, []FieldError{{"num_nodes", msgNodesMin}}},
		{"memcached 21 nodes", with(classic, func(n *NewCluster) { n.NumNodes = 21 }), CodeNodeQuotaForCluster,
			[]FieldError{{"num_nodes", "A cluster can have at most 20 nodes."}}},
		{"EC2-Classic with subnet group", with(classic, func(n *NewCluster) { n.CacheSecurityGroups = nil; n.SubnetGroup = "prod" }), CodeInvalidParameterValue,
			[]FieldError{{"subnet_group", msgClassicParts}}},
		{"EC2-Classic with VPC group IDs", with(classic, func(n *NewCluster) { n.VPCSecurityGroupIDs = []string{"sg-0a1b2c3d"} }), CodeInvalidParameterValue,
			[]FieldError{{"subnet_group", msgClassicParts}}},
		{"VPC without subnet group", with(vpc, func(n *NewCluster) { n.SubnetGroup = "" }), CodeInvalidParameterValue, []FieldError{{"subnet_group", msgSubnetNeeded}}},
		{"inferred VPC without subnet group", with(vpc, func(n *NewCluster) { n.SubnetGroup = ""; n.Network = "" }), CodeInvalidParameterValue,
			[]FieldError{{"subnet_group", msgSubnetNeeded}}},
		{"VPC subnet group underscore", with(vpc, func(n *NewCluster) { n.SubnetGroup = "prod_private" }), CodeInvalidParameterValue, []FieldError{{"subnet_group", msgSubnetName}}},
		{"VPC subnet group too long", with(vpc, func(n *NewCluster) { n.SubnetGroup = strings.Repeat("s", 256) }), CodeInvalidParameterValue, []FieldError{{"subnet_group", msgSubnetName}}},
		{"VPC group ID short", with(vpc, func(n *NewCluster) { n.VPCSecurityGroupIDs = []string{"sg-0a1b2c3"} }), CodeInvalidParameterValue,
			[]FieldError{{"vpc_security_group_ids", msgVPCGroupID("sg-0a1b2c3")}}},
		{"VPC group ID 9 hex", with(vpc, func(n *NewCluster) { n.VPCSecurityGroupIDs = []string{"sg-0a1b2c3d4"} }), CodeInvalidParameterValue,
			[]FieldError{{"vpc_security_group_ids", msgVPCGroupID("sg-0a1b2c3d4")}}},
		{"VPC group ID 16 hex", with(vpc, func(n *NewCluster) { n.VPCSecurityGroupIDs = []string{"sg-0123456789abcdef"} }), CodeInvalidParameterValue,
			[]FieldError{{"vpc_security_group_ids", msgVPCGroupID("sg-0123456789abcdef")}}},
		{"VPC group ID 18 hex", with(vpc, func(n *NewCluster) { n.VPCSecurityGroupIDs = []string{"sg-0123456789abcdef01"} }), CodeInvalidParameterValue,
			[]FieldError{{"vpc_security_group_ids", msgVPCGroupID("sg-0123456789abcdef01")}}},
		{"VPC group ID not hex", with(vpc, func(n *NewCluster) { n.VPCSecurityGroupIDs = []string{"sg-0a1b2c3g"} }), CodeInvalidParameterValue,
			[]FieldError{{"vpc_security_group_ids", msgVPCGroupID("sg-0a1b2c3g")}}},
		{"VPC group ID without prefix", with(vpc, func(n *NewCluster) { n.VPCSecurityGroupIDs = []string{"0a1b2c3d"} }), CodeInvalidParameterValue,
			[]FieldError{{"vpc_security_group_ids", msgVPCGroupID("0a1b2c3d")}}},
		{"VPC group ID is a group name", with(vpc, func(n *NewCluster) { n.VPCSecurityGroupIDs = []string{"sg-0a1b2c3d", "web-servers"} }), CodeInvalidParameterValue,
			[]FieldError{{"vpc_security_group_ids", msgVPCGroupID("web-servers")}}},
		{"unknown network", with(classic, func(n *NewCluster) { n.Network = "ec2" }), CodeInvalidParameterValue, []FieldError{{"network", msgNetwork}}},
		{"several problems", NewCluster{ID: "1bad", Engine: "mysql", NodeType: "tiny", NumNodes: 0, Network: PlatformVPC}, CodeInvalidParameterValue,
			[]FieldError{{"cluster_id", msgIDCharset}, {"engine", msgEngine}, {"node_type", msgNodeType}, {"num_nodes", msgNodesMin}, {"subnet_group", msgSubnetNeeded}}},
		{"missing ID and more", NewCluster{Engine: "redis", NodeType: "cache.m1.small", NumNodes: 3}, CodeMissingParameter,
			[]FieldError{{"cluster_id", msgIDRequired}, {"num_nodes", msgRedisNodes}}},
	}
	s, _ := newStore(t)
	mustCluster(t, s, scopeUS, classicCluster("existing"))
	before := takeFullSnapshot(t, s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := s.CreateCluster(ctx, scopeUS, tt.in)
			e := wantError(t, err, tt.code, tt.wantFields[0].Message)
			if !reflect.DeepEqual(e.Fields, tt.wantFields) {
				t.Errorf("fields = %+v\nwant     %+v", e.Fields, tt.wantFields)
			}
			if c.ID != "" {
				t.Errorf("failed create returned %+v", c)
			}
			assertNothingWritten(t, s, before)
		})
	}
}

func TestCreateClusterAcceptsBoundaries(t *testing.T) {
	s, _ := newStore(t)
	net := ensureTestNet(t, s, scopeUS)
	// A group with a short ID of the kind EC2 gave before 2016, and one with a long ID.
	for _, id := range []string{"sg-0a1b2c3d", "sg-0123456789abcdef0"} {
		mustNoErr(t, s.db.Create(&VPCSecurityGroup{AccountID: DefaultAccountID, Region: "us-east-1", GroupID: id, VpcID: net.VPC.VpcID,
			Name: "group-" + id, Description: "ID " + id, CreatedAt: t0}).Error, "VPC security group "+id)
	}
	for _, n := range []NewCluster{
		with20Nodes(classicCluster("twenty")),
		{ID: strings.Repeat("x", 50), Engine: "memcached", NodeType: "cache.t1.micro", NumNodes: 1},
		{ID: "short-ids", Engine: "redis", NodeType: "cache.t2.micro", NumNodes: 1, Network: PlatformVPC, SubnetGroup: "Prod-Private",
			VPCSecurityGroupIDs: []string{"sg-0a1b2c3d", "sg-0123456789abcdef0"}},
		{ID: "m4-in-vpc", Engine: "memcached", NodeType: "cache.m4.large", NumNodes: 3, SubnetGroup: "prod-private"},
	} {
		c := mustCluster(t, s, scopeUS, n)
		if c.NumNodes != n.NumNodes || c.NodeType != n.NodeType || c.Engine != n.Engine {
			t.Errorf("created %+v from %+v", c, n)
		}
	}
	c := mustGetCluster(t, s, scopeUS, "short-ids")
	if c.SubnetGroup != "prod-private" || !reflect.DeepEqual(c.VPCSecurityGroupIDs, []string{"sg-0a1b2c3d", "sg-0123456789abcdef0"}) {
		t.Errorf("VPC cluster = %+v (subnet group stored lower-case, IDs kept in order)", c)
	}
	if c.EngineVersion != Engines["redis"] || c.Port() != 6379 {
		t.Errorf("redis version/port = %s/%d", c.EngineVersion, c.Port())
	}
	if m := mustGetCluster(t, s, scopeUS, "twenty"); m.Port() != 11211 || m.EngineVersion != Engines["memcached"] {
		t.Errorf("memcached version/port = %s/%d", m.EngineVersion, m.Port())
	}
}

func with20Nodes(n NewCluster) NewCluster { n.NumNodes = 20; return n }

func TestCreateClusterInvalidParameterCombination(t *testing.T) {
	s, _ := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	before := takeFullSnapshot(t, s)
	for _, n := range []NewCluster{
		{ID: "c1", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 1, CacheSecurityGroups: []string{"web"}, SubnetGroup: "prod"},
		{ID: "c1", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 1, CacheSecurityGroups: []string{"web"}, VPCSecurityGroupIDs: []string{"sg-0a1b2c3d"}},
		{ID: "c1", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 1, CacheSecurityGroups: []string{"default"}, SubnetGroup: "prod", VPCSecurityGroupIDs: []string{"sg-0a1b2c3d"}},
		{ID: "c1", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 1, Network: PlatformClassic, CacheSecurityGroups: []string{"web"}, SubnetGroup: "prod"},
		{ID: "c1", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 1, Network: PlatformVPC, CacheSecurityGroups: []string{"web"}, SubnetGroup: "prod"},
		// A VPC cluster asked for with cache security groups only is the same mistake.
		{ID: "c1", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 1, Network: PlatformVPC, CacheSecurityGroups: []string{"web"}},
		// The combination is refused even when the groups don't exist.
		{ID: "c1", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 1, CacheSecurityGroups: []string{"nope"}, SubnetGroup: "prod"},
	} {
		_, err := s.CreateCluster(ctx, scopeUS, n)
		e := wantError(t, err, CodeInvalidParameterCombination,
			"Use of cache security groups is not permitted along with cache subnet group and/or security group Ids.")
		if e.FieldMessage("cache_security_groups") != MessageSecurityGroupsWithVPCParts {
			t.Errorf("%+v: fields = %+v", n, e.Fields)
		}
		assertNothingWritten(t, s, before)
	}
}

func TestCreateClusterNetworkAndMemberships(t *testing.T) {
	s, clk := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	mustCreate(t, s, scopeUS, "app", "App")

	// No network and no groups: EC2-Classic in the default group, active at once.
	c := mustCluster(t, s, scopeUS, NewCluster{ID: "Plain", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 2})
	if c.ID != "plain" || c.Network != PlatformClassic || !c.IsClassic() || c.SubnetGroup != "" || len(c.VPCSecurityGroupIDs) != 0 {
		t.Fatalf("inferred EC2-Classic cluster = %+v", c)
	}
	wantCluster(t, c, ClusterCreating, "default=active")
	if !c.CreatedAt.Equal(t0) || c.OwnerID != DefaultAccountID || c.Region != "us-east-1" {
		t.Errorf("created cluster = %+v", c)
	}
	if c.ARN() != "arn:aws:elasticache:us-east-1:123456789012:cluster:plain" {
		t.Errorf("ARN = %s", c.ARN())
	}

	// Explicit EC2-Classic with an empty list is also default.
	wantCluster(t, mustCluster(t, s, scopeUS, classicCluster("explicit")), ClusterCreating, "default=active")

	// Several groups, named in any case and repeated, sorted by name.
	wantCluster(t, mustCluster(t, s, scopeUS, classicCluster("multi", "WEB", "app", "web")), ClusterCreating, "app=active", "web=active")

	// A subnet group alone means VPC; a VPC cluster has no cache security groups at all.
	ensureTestNet(t, s, scopeUS)
	v := mustCluster(t, s, scopeUS, NewCluster{ID: "vpc", Engine: "redis", NodeType: "cache.m1.small", NumNodes: 1, SubnetGroup: "prod-private"})
	if v.Network != PlatformVPC || v.IsClassic() || v.SubnetGroup != "prod-private" {
		t.Fatalf("inferred VPC cluster = %+v", v)
	}
	wantCluster(t, v, ClusterCreating)
	if n := countRows(t, s, &ClusterMembership{}, "cluster_row_id = (SELECT id FROM cache_clusters WHERE cluster_id = 'vpc')"); n != 0 {
		t.Errorf("VPC cluster has %d memberships", n)
	}

	// Creating until the delay, then available.
	clk.Set(t0.Add(delay - time.Nanosecond))
	wantCluster(t, mustGetCluster(t, s, scopeUS, "PLAIN"), ClusterCreating, "default=active")
	clk.Set(t0.Add(delay))
	wantCluster(t, mustGetCluster(t, s, scopeUS, "PLAIN"), ClusterAvailable, "default=active")
	wantCluster(t, mustGetCluster(t, s, scopeUS, "multi"), ClusterAvailable, "app=active", "web=active")
	wantCluster(t, mustGetCluster(t, s, scopeUS, "vpc"), ClusterAvailable)
}

func TestCreateClusterUnknownGroupAndDuplicate(t *testing.T) {
	s, clk := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	mustCluster(t, s, scopeUS, classicCluster("sessions", "web"))
	before := takeFullSnapshot(t, s)

	_, err := s.CreateCluster(ctx, scopeUS, classicCluster("other", "web", "Nope"))
	e := wantError(t, err, CodeCacheSecurityGroupNotFound, "Cache security group nope not found.")
	if e.FieldMessage("cache_security_groups") != e.Message {
		t.Errorf("fields = %+v", e.Fields)
	}
	assertNothingWritten(t, s, before)

	// A group of another region does not count.
	mustCreate(t, s, scopeUSW, "west", "West")
	before = takeFullSnapshot(t, s)
	_, err = s.CreateCluster(ctx, scopeUS, classicCluster("other", "west"))
	wantError(t, err, CodeCacheSecurityGroupNotFound, "")
	assertNothingWritten(t, s, before)

	for _, id := range []string{"sessions", "SESSIONS", "Sessions"} {
		_, err = s.CreateCluster(ctx, scopeUS, classicCluster(id))
		e = wantError(t, err, CodeCacheClusterAlreadyExists, "A cache cluster named sessions already exists.")
		if e.FieldMessage("cluster_id") != e.Message {
			t.Errorf("fields = %+v", e.Fields)
		}
		assertNothingWritten(t, s, before)
	}
	// Still a duplicate while it is deleting.
	clk.Advance(delay)
	_, err = s.DeleteCluster(ctx, scopeUS, "sessions")
	mustNoErr(t, err, "DeleteCluster")
	again := vpcCluster(t, s, scopeUS, "sessions")
	before = takeFullSnapshot(t, s)
	_, err = s.CreateCluster(ctx, scopeUS, again)
	wantError(t, err, CodeCacheClusterAlreadyExists, "")
	assertNothingWritten(t, s, before)

	// The same ID is free in another region and another account.
	mustCluster(t, s, scopeUSW, classicCluster("sessions"))
	_, err = s.EnsureAccount(ctx, otherAccountID)
	mustNoErr(t, err, "EnsureAccount")
	mustCluster(t, s, Scope{AccountID: otherAccountID, Region: "us-east-1"}, classicCluster("sessions"))
}

func TestCreateClusterInVPCOnlyRegion(t *testing.T) {
	s, clk := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	mustNoErr(t, s.SetRegionPlatform(ctx, scopeUS, PlatformVPC), "SetRegionPlatform")
	before := takeFullSnapshot(t, s)
	for _, n := range []NewCluster{
		classicCluster("c1"),
		classicCluster("c1", "web"),
		{ID: "c1", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 1},
		{ID: "c1", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 1, CacheSecurityGroups: []string{"default"}},
	} {
		_, err := s.CreateCluster(ctx, scopeUS, n)
		wantError(t, err, CodeInvalidParameterValue, MessageClassicNotPermitted)
		if !errors.Is(err, ErrClassicNotPermitted) {
			t.Errorf("%+v: the refusal is not ErrClassicNotPermitted", n)
		}
		assertNothingWritten(t, s, before)
	}
	// Validation still comes first.
	_, err := s.CreateCluster(ctx, scopeUS, NewCluster{ID: "c1", Engine: "mysql", NodeType: "cache.m1.small", NumNodes: 1})
	wantError(t, err, CodeInvalidParameterValue, msgEngine)

	v := mustCluster(t, s, scopeUS, vpcCluster(t, s, scopeUS, "orders"))
	wantCluster(t, v, ClusterCreating)
	clk.Advance(delay)
	wantCluster(t, mustGetCluster(t, s, scopeUS, "orders"), ClusterAvailable)
	// Other regions keep EC2-Classic.
	wantCluster(t, mustCluster(t, s, scopeUSW, classicCluster("west")), ClusterCreating, "default=active")
}

func TestClusterQuotas(t *testing.T) {
	t.Run("nodes per cluster", func(t *testing.T) {
		s, _ := newStore(t)
		before := takeFullSnapshot(t, s)
		n := classicCluster("big")
		n.NumNodes = 21
		_, err := s.CreateCluster(ctx, scopeUS, n)
		wantError(t, err, CodeNodeQuotaForCluster, "A cluster can have at most 20 nodes.")
		assertNothingWritten(t, s, before)
		n.NumNodes = 20
		mustCluster(t, s, scopeUS, n)
	})

	t.Run("nodes per region", func(t *testing.T) {
		s, clk := newStore(t)
		for i := range 4 {
			mustCluster(t, s, scopeUS, with20Nodes(classicCluster(fmt.Sprintf("big%d", i))))
		}
		n := classicCluster("nineteen")
		n.NumNodes = 19
		mustCluster(t, s, scopeUS, n) // 99 nodes
		before := takeFullSnapshot(t, s)
		n = classicCluster("two")
		n.NumNodes = 2
		_, err := s.CreateCluster(ctx, scopeUS, n)
		e := wantError(t, err, CodeNodeQuotaForCustomer, "This region's clusters already use 99 of the 100 nodes allowed.")
		if e.FieldMessage("num_nodes") == "" {
			t.Errorf("fields = %+v", e.Fields)
		}
		assertNothingWritten(t, s, before)
		mustCluster(t, s, scopeUS, classicCluster("one")) // exactly 100
		_, err = s.CreateCluster(ctx, scopeUS, classicCluster("more"))
		wantError(t, err, CodeNodeQuotaForCustomer, "This region's clusters already use 100 of the 100 nodes allowed.")

		// Other regions have their own quota.
		mustCluster(t, s, scopeUSW, with20Nodes(classicCluster("west")))

		// A deleting cluster still holds its nodes; a gone one frees them.
		clk.Advance(delay)
		_, err = s.DeleteCluster(ctx, scopeUS, "big0")
		mustNoErr(t, err, "DeleteCluster")
		_, err = s.CreateCluster(ctx, scopeUS, classicCluster("more"))
		wantError(t, err, CodeNodeQuotaForCustomer, "")
		clk.Advance(delay)
		mustCluster(t, s, scopeUS, with20Nodes(classicCluster("more")))
	})

	t.Run("clusters per region", func(t *testing.T) {
		s, clk := newStore(t)
		for i := range MaxClustersPerRegion {
			mustCluster(t, s, scopeUS, classicCluster(fmt.Sprintf("c%02d", i)))
		}
		before := takeFullSnapshot(t, s)
		_, err := s.CreateCluster(ctx, scopeUS, classicCluster("c50"))
		wantError(t, err, CodeClusterQuotaForCustomer, "This region already has 50 cache clusters, the most allowed.")
		assertNothingWritten(t, s, before)
		_, err = s.CreateCluster(ctx, scopeUS, vpcCluster(t, s, scopeUS, "v50"))
		wantError(t, err, CodeClusterQuotaForCustomer, "")
		mustCluster(t, s, scopeUSW, classicCluster("c50"))

		clk.Advance(delay)
		_, err = s.DeleteCluster(ctx, scopeUS, "c00")
		mustNoErr(t, err, "DeleteCluster")
		_, err = s.CreateCluster(ctx, scopeUS, classicCluster("c50"))
		wantError(t, err, CodeClusterQuotaForCustomer, "")
		clk.Advance(delay)
		mustCluster(t, s, scopeUS, classicCluster("c50"))
		if p := mustListClusters(t, s, scopeUS, ClusterListOptions{Size: 100}); p.Total != MaxClustersPerRegion {
			t.Errorf("live clusters = %d", p.Total)
		}
	})
}

func TestModifyClusterSecurityGroups(t *testing.T) {
	s, clk := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	mustCreate(t, s, scopeUS, "app", "App")
	mustCreate(t, s, scopeUS, "batch", "Batch")
	mustCluster(t, s, scopeUS, classicCluster("sessions", "web", "app"))
	clk.Advance(delay)
	wantCluster(t, mustGetCluster(t, s, scopeUS, "sessions"), ClusterAvailable, "app=active", "web=active")

	// Keep web, drop app, add batch and default.
	modifiedAt := clk.now
	c := mustModify(t, s, scopeUS, "Sessions", "WEB", "batch", "default", "batch")
	wantCluster(t, c, ClusterModifying, "app=modifying", "batch=modifying", "default=modifying", "web=active")

	clk.Set(modifiedAt.Add(delay - time.Nanosecond))
	wantCluster(t, mustGetCluster(t, s, scopeUS, "sessions"), ClusterModifying, "app=modifying", "batch=modifying", "default=modifying", "web=active")
	clk.Set(modifiedAt.Add(delay))
	wantCluster(t, mustGetCluster(t, s, scopeUS, "sessions"), ClusterAvailable, "batch=active", "default=active", "web=active")

	// Re-adding a group whose removal was applied works, and a second change applies on its own delay.
	modifiedAt = clk.now
	wantCluster(t, mustModify(t, s, scopeUS, "sessions", "app"), ClusterModifying,
		"app=modifying", "batch=modifying", "default=modifying", "web=modifying")
	clk.Set(modifiedAt.Add(delay))
	wantCluster(t, mustGetCluster(t, s, scopeUS, "sessions"), ClusterAvailable, "app=active")
	// Two membership rows of app (the removed one and the new one) still make one user.
	if n := countRows(t, s, &ClusterMembership{}, "group_id = (SELECT id FROM cache_security_groups WHERE name = 'app')"); n != 2 {
		t.Fatalf("app membership rows = %d, want 2", n)
	}
	users, err := s.ClustersUsingGroup(ctx, scopeUS, "app")
	mustNoErr(t, err, "ClustersUsingGroup")
	if len(users) != 1 || users[0].ID != "sessions" {
		t.Errorf("ClustersUsingGroup(app) = %+v", users)
	}
	for _, g := range []string{"web", "batch"} {
		if users, err := s.ClustersUsingGroup(ctx, scopeUS, g); err != nil || len(users) != 0 {
			t.Errorf("ClustersUsingGroup(%s) = %+v, %v", g, users, err)
		}
	}

	// The same set again changes nothing: no modifying, no event.
	events := len(eventsOf(t, s, scopeUS))
	wantCluster(t, mustModify(t, s, scopeUS, "sessions", "APP", "app"), ClusterAvailable, "app=active")
	wantNewEvents(t, s, scopeUS, events)
}

func TestModifyClusterRefusals(t *testing.T) {
	s, clk := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	mustCluster(t, s, scopeUS, classicCluster("sessions", "web"))
	mustCluster(t, s, scopeUS, vpcCluster(t, s, scopeUS, "orders"))

	refuse := func(id string, groups []string, code, msg string) *Error {
		t.Helper()
		before := takeFullSnapshot(t, s)
		c, err := s.ModifyClusterSecurityGroups(ctx, scopeUS, id, groups)
		e := wantError(t, err, code, msg)
		if c.ID != "" {
			t.Errorf("failed modify returned %+v", c)
		}
		assertNothingWritten(t, s, before)
		return e
	}

	// While creating.
	refuse("sessions", []string{"default"}, CodeInvalidCacheClusterState,
		"Cache cluster sessions is creating; its security groups can be changed once it is available.")
	clk.Advance(delay)

	// VPC clusters take no cache security groups, whatever their state.
	e := refuse("orders", []string{"default"}, CodeInvalidParameterCombination, MessageSecurityGroupsWithVPCParts)
	if e.FieldMessage("cache_security_groups") == "" {
		t.Errorf("fields = %+v", e.Fields)
	}
	refuse("orders", nil, CodeInvalidParameterCombination, MessageSecurityGroupsWithVPCParts)

	// Empty list and unknown groups.
	e = refuse("sessions", nil, CodeInvalidParameterValue, "Choose at least one cache security group.")
	if e.FieldMessage("cache_security_groups") == "" {
		t.Errorf("fields = %+v", e.Fields)
	}
	refuse("sessions", []string{}, CodeInvalidParameterValue, "Choose at least one cache security group.")
	e = refuse("sessions", []string{"web", "ghost"}, CodeCacheSecurityGroupNotFound, "Cache security group ghost not found.")
	if e.FieldMessage("cache_security_groups") == "" {
		t.Errorf("fields = %+v", e.Fields)
	}

	// Unknown cluster.
	refuse("nope", []string{"web"}, CodeCacheClusterNotFound, "Cache cluster nope not found.")

	// While modifying.
	mustModify(t, s, scopeUS, "sessions", "default")
	refuse("sessions", []string{"web"}, CodeInvalidCacheClusterState,
		"Cache cluster sessions is modifying; its security groups can be changed once it is available.")
	clk.Advance(delay)

	// While deleting, and once gone.
	_, err := s.DeleteCluster(ctx, scopeUS, "sessions")
	mustNoErr(t, err, "DeleteCluster")
	refuse("sessions", []string{"web"}, CodeInvalidCacheClusterState,
		"Cache cluster sessions is deleting; its security groups can be changed once it is available.")
	clk.Advance(delay)
	refuse("sessions", []string{"web"}, CodeCacheClusterNotFound, "Cache cluster sessions not found.")

	// An EC2-Classic cluster in a region that became VPC-only.
	mustCluster(t, s, scopeUS, classicCluster("legacy"))
	clk.Advance(delay)
	mustNoErr(t, s.SetRegionPlatform(ctx, scopeUS, PlatformVPC), "SetRegionPlatform")
	refuse("legacy", []string{"default"}, CodeInvalidParameterValue, MessageClassicNotPermitted)
}

func TestDeleteClusterLifecycle(t *testing.T) {
	s, clk := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	mustCluster(t, s, scopeUS, classicCluster("sessions", "web"))

	refuse := func(code, msg string) {
		t.Helper()
		before := takeFullSnapshot(t, s)
		c, err := s.DeleteCluster(ctx, scopeUS, "sessions")
		wantError(t, err, code, msg)
		if c.ID != "" {
			t.Errorf("failed delete returned %+v", c)
		}
		assertNothingWritten(t, s, before)
	}
	refuse(CodeInvalidCacheClusterState, "Cache cluster sessions is creating and can't be deleted now.")
	clk.Advance(delay)
	mustModify(t, s, scopeUS, "sessions", "default")
	refuse(CodeInvalidCacheClusterState, "Cache cluster sessions is modifying and can't be deleted now.")
	clk.Advance(delay)

	deletedAt := clk.now
	c, err := s.DeleteCluster(ctx, scopeUS, "SESSIONS")
	mustNoErr(t, err, "DeleteCluster")
	wantCluster(t, c, ClusterDeleting, "default=active")
	refuse(CodeInvalidCacheClusterState, "Cache cluster sessions is deleting and can't be deleted now.")

	clk.Set(deletedAt.Add(delay - time.Nanosecond))
	wantCluster(t, mustGetCluster(t, s, scopeUS, "sessions"), ClusterDeleting, "default=active")
	if got := clusterIDs(mustListClusters(t, s, scopeUS, ClusterListOptions{})); !reflect.DeepEqual(got, []string{"sessions"}) {
		t.Errorf("list while deleting = %q", got)
	}

	clk.Set(deletedAt.Add(delay))
	_, err = s.GetCluster(ctx, scopeUS, "sessions")
	wantError(t, err, CodeCacheClusterNotFound, "Cache cluster sessions not found.")
	if p := mustListClusters(t, s, scopeUS, ClusterListOptions{}); p.Total != 0 || len(p.Items) != 0 {
		t.Errorf("list after gone = %+v", p)
	}
	refuse(CodeCacheClusterNotFound, "Cache cluster sessions not found.")
	_, err = s.DeleteCluster(ctx, scopeUS, "never-was")
	wantError(t, err, CodeCacheClusterNotFound, "Cache cluster never-was not found.")

	// The ID is free again: a new cluster, with nothing of the old one.
	ensureTestNet(t, s, scopeUS)
	c = mustCluster(t, s, scopeUS, NewCluster{ID: "Sessions", Engine: "redis", NodeType: "cache.m1.small", NumNodes: 1, SubnetGroup: "prod-private"})
	wantCluster(t, c, ClusterCreating)
	if c.Network != PlatformVPC || !c.CreatedAt.Equal(clk.now) {
		t.Errorf("reused cluster = %+v", c)
	}
	if n := countRows(t, s, &CacheCluster{}, "cluster_id = ?", "sessions"); n != 1 {
		t.Errorf("rows for sessions = %d, want 1", n)
	}
	if n := countRows(t, s, &ClusterMembership{}, ""); n != 0 {
		t.Errorf("memberships left of the old cluster = %d", n)
	}
	clk.Advance(delay)
	wantCluster(t, mustGetCluster(t, s, scopeUS, "sessions"), ClusterAvailable)
}

func TestClusterStatusSurvivesReopen(t *testing.T) {
	s, clk, path := openStore(t)
	_, err := s.EnsureAccount(ctx, DefaultAccountID)
	mustNoErr(t, err, "EnsureAccount")
	mustCreate(t, s, scopeUS, "web", "Web")
	mustCluster(t, s, scopeUS, classicCluster("modified", "web"))
	mustCluster(t, s, scopeUS, classicCluster("deleted"))
	clk.Set(t0.Add(30 * time.Second))
	mustModify(t, s, scopeUS, "modified", "default")
	_, err = s.DeleteCluster(ctx, scopeUS, "deleted")
	mustNoErr(t, err, "DeleteCluster")
	mustCluster(t, s, scopeUS, classicCluster("created"))
	mustNoErr(t, s.Close(), "Close")

	type state struct {
		status ClusterStatus
		groups []string
	}
	tests := []struct {
		at   time.Time
		want map[string]*state // nil: not found
	}{
		{t0.Add(30 * time.Second), map[string]*state{
			"modified": {ClusterModifying, []string{"default=modifying", "web=modifying"}},
			"deleted":  {ClusterDeleting, []string{"default=active"}},
			"created":  {ClusterCreating, []string{"default=active"}},
		}},
		{t0.Add(40*time.Second - time.Nanosecond), map[string]*state{
			"modified": {ClusterModifying, []string{"default=modifying", "web=modifying"}},
			"deleted":  {ClusterDeleting, []string{"default=active"}},
			"created":  {ClusterCreating, []string{"default=active"}},
		}},
		{t0.Add(40 * time.Second), map[string]*state{
			"modified": {ClusterAvailable, []string{"default=active"}},
			"deleted":  nil,
			"created":  {ClusterAvailable, []string{"default=active"}},
		}},
	}
	for _, tt := range tests {
		reopened, err := Open(path)
		mustNoErr(t, err, "reopen")
		at := tt.at
		reopened.Now = func() time.Time { return at }
		reopened.PropagationDelay = time.Hour // stored changes keep their own times
		for id, want := range tt.want {
			c, err := reopened.GetCluster(ctx, scopeUS, id)
			if want == nil {
				wantError(t, err, CodeCacheClusterNotFound, "")
				continue
			}
			mustNoErr(t, err, "GetCluster "+id)
			wantCluster(t, c, want.status, want.groups...)
		}
		mustNoErr(t, reopened.Close(), "close reopened")
	}
}

func TestDeleteSecurityGroupInUse(t *testing.T) {
	s, clk := newStore(t)
	mustCreate(t, s, scopeUS, "web", "Web")
	mustCreate(t, s, scopeUS, "spare", "Spare")
	mustCluster(t, s, scopeUS, classicCluster("zeta", "web"))
	mustCluster(t, s, scopeUS, classicCluster("alpha", "web", "default"))
	mustCluster(t, s, scopeUS, classicCluster("other"))

	using := func(group string, want ...string) {
		t.Helper()
		cs, err := s.ClustersUsingGroup(ctx, scopeUS, group)
		mustNoErr(t, err, "ClustersUsingGroup")
		got := []string{}
		for _, c := range cs {
			got = append(got, c.ID+"="+string(c.Status))
		}
		if want == nil {
			want = []string{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("ClustersUsingGroup(%s) = %q, want %q", group, got, want)
		}
	}
	refuse := func(group, clusters string) {
		t.Helper()
		before := takeFullSnapshot(t, s)
		err := s.DeleteSecurityGroup(ctx, scopeUS, group)
		wantError(t, err, CodeInvalidSecurityGroupState, "Cache security group "+strings.ToLower(group)+" is used by cache clusters "+clusters+
			". Remove it from them (Modify) or delete them first.")
		assertNothingWritten(t, s, before)
	}

	// In use by clusters still creating; names sorted.
	using("web", "alpha=creating", "zeta=creating")
	using("WEB", "alpha=creating", "zeta=creating")
	using("default", "alpha=creating", "other=creating")
	using("spare")
	refuse("web", "alpha, zeta")
	refuse("Web", "alpha, zeta")
	_, err := s.ClustersUsingGroup(ctx, scopeUS, "ghost")
	wantError(t, err, CodeCacheSecurityGroupNotFound, "")
	// Deleting default is refused for being default, not for being used.
	wantError(t, s.DeleteSecurityGroup(ctx, scopeUS, "default"), CodeInvalidParameterValue, "You cannot delete the default security group.")

	clk.Advance(delay)
	// alpha deleting and zeta dropping web: both still use it until the changes apply.
	_, err = s.DeleteCluster(ctx, scopeUS, "alpha")
	mustNoErr(t, err, "DeleteCluster")
	mustModify(t, s, scopeUS, "zeta", "spare")
	using("web", "alpha=deleting", "zeta=modifying")
	using("spare", "zeta=modifying")
	refuse("web", "alpha, zeta")
	refuse("spare", "zeta")

	clk.Advance(delay)
	using("web")
	using("spare", "zeta=available")
	using("default", "other=available")
	mustNoErr(t, s.DeleteSecurityGroup(ctx, scopeUS, "web"), "DeleteSecurityGroup after release")
	_, err = s.GetSecurityGroup(ctx, scopeUS, "web")
	wantError(t, err, CodeCacheSecurityGroupNotFound, "")
	if n := countRows(t, s, &ClusterMembership{}, "group_id NOT IN (SELECT id FROM cache_security_groups)"); n != 0 {
		t.Errorf("%d memberships point at the deleted group", n)
	}
	// The remaining clusters are untouched.
	wantCluster(t, mustGetCluster(t, s, scopeUS, "zeta"), ClusterAvailable, "spare=active")
	refuse("spare", "zeta")

	// A group of the same name in another region is independent.
	mustCreate(t, s, scopeUSW, "spare", "West spare")
	mustNoErr(t, s.DeleteSecurityGroup(ctx, scopeUSW, "spare"), "delete west spare")
}

func TestListClusters(t *testing.T) {
	s, clk := newStore(t)
	_, err := s.EnsureAccount(ctx, otherAccountID)
	mustNoErr(t, err, "EnsureAccount")
	for i := range 23 {
		mustCluster(t, s, scopeUS, classicCluster(fmt.Sprintf("mc-%02d", i)))
	}
	mustCluster(t, s, scopeUS, vpcCluster(t, s, scopeUS, "orders-redis"))
	net := ensureTestNet(t, s, scopeUS)
	_, err = s.CreateSubnetGroup(ctx, scopeUS, NewSubnetGroup{Name: "analytics", Description: "Analytics", SubnetIDs: []string{net.Subnets[1].SubnetID}})
	mustNoErr(t, err, "CreateSubnetGroup analytics")
	mustCluster(t, s, scopeUS, NewCluster{ID: "reports", Engine: "memcached", NodeType: "cache.m3.large", NumNodes: 2, SubnetGroup: "analytics"})
	mustCluster(t, s, scopeUSW, classicCluster("west-only"))
	mustCluster(t, s, Scope{AccountID: otherAccountID, Region: "us-east-1"}, classicCluster("tenant-b"))

	p := mustListClusters(t, s, scopeUS, ClusterListOptions{})
	if p.Total != 25 || p.Page != 1 || p.Size != DefaultPageSize || p.Pages != 2 || len(p.Items) != 20 {
		t.Fatalf("first page = total %d page %d size %d pages %d items %d", p.Total, p.Page, p.Size, p.Pages, len(p.Items))
	}
	if p.Items[0].ID != "mc-00" || p.Items[19].ID != "mc-19" {
		t.Errorf("first page = %q", clusterIDs(p))
	}
	p = mustListClusters(t, s, scopeUS, ClusterListOptions{Page: 2})
	if got := clusterIDs(p); !reflect.DeepEqual(got, []string{"mc-20", "mc-21", "mc-22", "orders-redis", "reports"}) {
		t.Errorf("second page = %q", got)
	}
	p = mustListClusters(t, s, scopeUS, ClusterListOptions{Page: 99, Size: 10})
	if p.Page != 3 || p.Pages != 3 || len(p.Items) != 5 {
		t.Errorf("clamped page = page %d pages %d items %d", p.Page, p.Pages, len(p.Items))
	}
	p = mustListClusters(t, s, scopeUS, ClusterListOptions{Page: -1, Size: 7})
	if p.Page != 1 || p.Size != DefaultPageSize {
		t.Errorf("normalized options = page %d size %d", p.Page, p.Size)
	}
	p = mustListClusters(t, s, scopeUS, ClusterListOptions{After: "mc-21", Size: 10})
	if got := clusterIDs(p); !reflect.DeepEqual(got, []string{"mc-22", "orders-redis", "reports"}) || p.Total != 3 {
		t.Errorf("after mc-21 = %q total %d", got, p.Total)
	}

	filters := []struct {
		filter string
		want   []string
	}{
		{"ORDERS", []string{"orders-redis"}},
		{"redis", []string{"orders-redis"}},
		{"m3.large", []string{"reports"}},
		{"analytics", []string{"reports"}},
		{"prod-private", []string{"orders-redis"}},
		{"mc-1", []string{"mc-10", "mc-11", "mc-12", "mc-13", "mc-14", "mc-15", "mc-16", "mc-17", "mc-18", "mc-19"}},
		{"west", []string{}},
		{"tenant", []string{}},
		{"%", []string{}},
	}
	for _, f := range filters {
		p := mustListClusters(t, s, scopeUS, ClusterListOptions{Filter: f.filter, Size: 50})
		if got := clusterIDs(p); !reflect.DeepEqual(got, f.want) || p.Total != len(f.want) {
			t.Errorf("filter %q = %q (total %d), want %q", f.filter, got, p.Total, f.want)
		}
	}
	empty := mustListClusters(t, s, scopeUS, ClusterListOptions{Filter: "nothing-matches"})
	if empty.Total != 0 || empty.Page != 1 || empty.Pages != 1 || len(empty.Items) != 0 {
		t.Errorf("empty result = %+v", empty)
	}

	// Status is filterable; deleting ones are listed, gone ones are not.
	clk.Advance(delay)
	_, err = s.DeleteCluster(ctx, scopeUS, "mc-00")
	mustNoErr(t, err, "DeleteCluster")
	p = mustListClusters(t, s, scopeUS, ClusterListOptions{Filter: "deleting"})
	if got := clusterIDs(p); !reflect.DeepEqual(got, []string{"mc-00"}) || p.Items[0].Status != ClusterDeleting {
		t.Errorf("deleting filter = %q", got)
	}
	clk.Advance(delay)
	p = mustListClusters(t, s, scopeUS, ClusterListOptions{Size: 50})
	if p.Total != 24 || p.Items[0].ID != "mc-01" {
		t.Errorf("after mc-00 is gone: total %d first %s", p.Total, p.Items[0].ID)
	}
	for _, c := range p.Items {
		if c.Status != ClusterAvailable {
			t.Errorf("%s status %s", c.ID, c.Status)
		}
	}

	// Isolation.
	if got := clusterIDs(mustListClusters(t, s, scopeUSW, ClusterListOptions{})); !reflect.DeepEqual(got, []string{"west-only"}) {
		t.Errorf("us-west-2 = %q", got)
	}
	if got := clusterIDs(mustListClusters(t, s, Scope{AccountID: otherAccountID, Region: "us-east-1"}, ClusterListOptions{})); !reflect.DeepEqual(got, []string{"tenant-b"}) {
		t.Errorf("other account = %q", got)
	}
	if got := clusterIDs(mustListClusters(t, s, Scope{AccountID: otherAccountID, Region: "us-west-2"}, ClusterListOptions{})); len(got) != 0 {
		t.Errorf("other account us-west-2 = %q", got)
	}
	_, err = s.GetCluster(ctx, scopeUSW, "orders-redis")
	wantError(t, err, CodeCacheClusterNotFound, "")
	_, err = s.GetCluster(ctx, Scope{AccountID: otherAccountID, Region: "us-east-1"}, "orders-redis")
	wantError(t, err, CodeCacheClusterNotFound, "")
	_, err = s.DeleteCluster(ctx, scopeUSW, "orders-redis")
	wantError(t, err, CodeCacheClusterNotFound, "")
}

func TestSplitIDs(t *testing.T) {
	for in, want := range map[string][]string{
		"":                                {},
		"sg-0a1b2c3d":                     {"sg-0a1b2c3d"},
		"sg-0a1b2c3d,sg-1a1b2c3d":         {"sg-0a1b2c3d", "sg-1a1b2c3d"},
		" sg-0a1b2c3d , sg-1a1b2c3d\n":    {"sg-0a1b2c3d", "sg-1a1b2c3d"},
		"sg-0a1b2c3d\tsg-1a1b2c3d,,":      {"sg-0a1b2c3d", "sg-1a1b2c3d"},
		"sg-0a1b2c3d sg-1a1b2c3d\r\nsg-2": {"sg-0a1b2c3d", "sg-1a1b2c3d", "sg-2"},
	} {
		got := SplitIDs(in)
		if got == nil {
			got = []string{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("SplitIDs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClusterStatusAt(t *testing.T) {
	gone := t0.Add(2 * delay)
	deleting := t0.Add(delay)
	row := CacheCluster{AvailableAt: t0.Add(delay)}
	if row.StatusAt(t0) != ClusterCreating || row.StatusAt(t0.Add(delay)) != ClusterAvailable {
		t.Errorf("creating/available wrong")
	}
	row.Memberships = []ClusterMembership{{ActiveAt: t0}, {ActiveAt: t0.Add(3 * delay)}}
	if row.StatusAt(t0.Add(2*delay)) != ClusterModifying || row.StatusAt(t0.Add(3*delay)) != ClusterAvailable {
		t.Errorf("modifying from a membership being added wrong")
	}
	row.Memberships = []ClusterMembership{{ActiveAt: t0, RemovedAt: &deleting, GoneAt: &gone}}
	if row.StatusAt(t0.Add(delay)) != ClusterModifying || row.StatusAt(gone) != ClusterAvailable {
		t.Errorf("modifying from a membership being removed wrong")
	}
	if row.Memberships[0].StatusAt(gone.Add(-time.Nanosecond)) != MembershipModifying || row.Memberships[0].StatusAt(gone) != MembershipGone {
		t.Errorf("membership removal wrong")
	}
	row.DeletingAt, row.GoneAt = &deleting, &gone
	if row.StatusAt(t0.Add(delay)) != ClusterDeleting || row.StatusAt(gone) != ClusterGone {
		t.Errorf("deleting/gone wrong")
	}
	for _, st := range []ClusterStatus{ClusterCreating, ClusterModifying, ClusterDeleting} {
		if !st.Pending() {
			t.Errorf("%s not pending", st)
		}
	}
	if ClusterAvailable.Pending() || ClusterGone.Pending() {
		t.Errorf("available/gone pending")
	}
}

func TestCreateClusterDefaultsToMemcached(t *testing.T) {
	s, _ := newStore(t)
	c := mustCluster(t, s, scopeUS, NewCluster{ID: "no-engine", NodeType: "cache.m1.small", NumNodes: 1})
	if c.Engine != "memcached" || c.EngineVersion != Engines["memcached"] {
		t.Fatalf("engine = %s %s, want the service's default memcached", c.Engine, c.EngineVersion)
	}
}
