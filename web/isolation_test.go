package web_test

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/aws/smithy-go"

	"sgconsole/handlers/api"
	"sgconsole/models"
	"sgconsole/web"
)

// The isolation table: account B (the admin's, models.DefaultAccountID) and account A (a member
// and a viewer) both hold the demo data, so most names exist in both; B also holds resources
// whose names exist only there.
const (
	accountA        = "111122223333"
	bOnlyGroup      = "b-secret"
	bOnlyCluster    = "b-cluster"
	bOnlyEC2Group   = "b-ec2"
	bOnlyInstance   = "i-0b0000000000000b1"
	bOnlySubnets    = "b-subnets"
	bOnlySnapshot   = "b-backup" // of B's Redis cluster b-redis
	sharedSnapshot  = "shared-backup"
	sharedSubnets   = "shared-subnets"
	memberPassword  = "member-password-A"
	viewerPassword  = "viewer-password-A"
	sharedGroup     = "web-sessions"
	sharedCluster   = "sessions"
	sharedEC2Group  = "bastion"
	sharedInstance  = "i-0a1b2c3d4e5f60003"
	sharedEC2Source = "web-servers"
)

// access says which rule of the role and account checks a route falls under.
type access int

const (
	public       access = iota // before sign-in, or not about an account (sign-out, banner)
	own                        // the signed-in user's own things: keys, password
	reads                      // reads the acting account
	writes                     // changes the acting account
	admins                     // users and audit
	adminsHidden               // admins only, and for everyone else not found: 404, never 403 (workshops)
)

// routeCase is one console route as the isolation test drives it. Path and form may name
// {group}, {cluster}, {ec2group}, {instance}, {key} and {user}, filled with another account's
// names (member) or the user's own (viewer).
type routeCase struct {
	route  string // "METHOD /pattern" exactly as web/routes.go registers it
	path   string
	form   url.Values
	access access
	// bOnly is the status a member of A gets for path filled with names that exist only in B;
	// 0 means "whatever the page says, as long as B's names are absent and nothing of B changes".
	bOnly int
}

func consoleRouteTable() []routeCase {
	f := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	authorize := f("ec2_security_group_name", "{ec2group}", "ec2_security_group_owner_id", models.DefaultAccountID)
	return []routeCase{
		{route: "GET /healthz", path: "/healthz", access: public},
		{route: "POST /", path: "/", access: public},
		{route: "GET /", path: "/", access: reads},
		{route: "GET /static/*", path: "/static/css/app.css", access: public},
		{route: "GET /login", path: "/login", access: public},
		{route: "POST /login", path: "/login", form: f("username", "admin", "password", "wrong-password"), access: public},
		{route: "POST /logout", path: "/logout", access: public},
		{route: "POST /banner/dismiss", path: "/banner/dismiss", access: public},
		{route: "POST /flash/dismiss", path: "/flash/dismiss", access: public},
		{route: "GET /help/:topic", path: "/help/security-groups", access: reads},

		{route: "GET /security-groups", path: "/security-groups", access: reads},
		{route: "GET /security-groups/new", path: "/security-groups/new", access: writes},
		{route: "POST /security-groups", path: "/security-groups", form: f("name", "made-by-a", "description", "d"), access: writes},
		{route: "GET /security-groups/:name", path: "/security-groups/{group}", access: reads, bOnly: 404},
		{route: "GET /security-groups/:name/delete", path: "/security-groups/{group}/delete", access: writes, bOnly: 404},
		{route: "POST /security-groups/:name/delete", path: "/security-groups/{group}/delete", form: f("confirm", "confirm"), access: writes, bOnly: 404},
		{route: "POST /security-groups/:name/authorizations", path: "/security-groups/{group}/authorizations", form: authorize, access: writes, bOnly: 404},
		{route: "GET /security-groups/:name/authorizations/revoke", path: "/security-groups/{group}/authorizations/revoke?ec2_security_group_name={ec2group}&ec2_security_group_owner_id=" + models.DefaultAccountID, access: writes, bOnly: 404},
		{route: "POST /security-groups/:name/authorizations/revoke", path: "/security-groups/{group}/authorizations/revoke", form: authorize, access: writes, bOnly: 404},

		{route: "GET /clusters", path: "/clusters", access: reads},
		{route: "GET /clusters/new", path: "/clusters/new", access: writes},
		{route: "POST /clusters", path: "/clusters", form: f("cluster_id", "new-one", "engine", "memcached", "node_type", "cache.m1.small", "num_nodes", "1", "network", "ec2-classic", "cache_security_groups", "{group}"), access: writes, bOnly: 422},
		{route: "GET /clusters/:id", path: "/clusters/{cluster}", access: reads, bOnly: 404},
		{route: "GET /clusters/:id/modify", path: "/clusters/{cluster}/modify", access: writes, bOnly: 404},
		{route: "POST /clusters/:id/modify", path: "/clusters/{cluster}/modify", form: f("cache_security_groups", "default"), access: writes, bOnly: 404},
		{route: "GET /clusters/:id/delete", path: "/clusters/{cluster}/delete", access: writes, bOnly: 404},
		{route: "POST /clusters/:id/delete", path: "/clusters/{cluster}/delete", form: f("confirm", "confirm"), access: writes, bOnly: 404},
		{route: "GET /migrate-to-vpc", path: "/migrate-to-vpc", access: reads},
		{route: "GET /clusters/:id/migrate", path: "/clusters/{cluster}/migrate?subnet_group={subnetgroup}&vpc_sg={vpcgroup}&instance={instance}", access: reads, bOnly: 404},
		{route: "POST /clusters/:id/migrate/subnet-group", path: "/clusters/{cluster}/migrate/subnet-group", form: f("subnet_group_name", "made-by-a", "subnet_group_description", "d", "subnet_ids", "subnet-0123456789abcdef0"), access: writes, bOnly: 404},
		{route: "POST /clusters/:id/migrate/security-group", path: "/clusters/{cluster}/migrate/security-group?subnet_group={subnetgroup}", form: f("name", "made-by-a", "description", "d", "source", "10.0.0.0/16"), access: writes, bOnly: 404},
		{route: "POST /clusters/:id/migrate/backup", path: "/clusters/{cluster}/migrate/backup", form: f("snapshot_name", "made-by-a"), access: writes, bOnly: 404},
		{route: "POST /clusters/:id/migrate/cluster", path: "/clusters/{cluster}/migrate/cluster?subnet_group={subnetgroup}&vpc_sg={vpcgroup}", form: f("cluster_id", "made-by-a"), access: writes, bOnly: 404},
		{route: "POST /clusters/:id/migrate/instance", path: "/clusters/{cluster}/migrate/instance?instance={instance}", form: f("subnet_id", "subnet-0123456789abcdef0", "vpc_security_group_ids", "{vpcgroup}"), access: writes, bOnly: 404},

		{route: "GET /clusters/:id/backup", path: "/clusters/{cluster}/backup", access: writes, bOnly: 404},
		{route: "POST /clusters/:id/backup", path: "/clusters/{cluster}/backup", form: f("snapshot_name", "made-by-a"), access: writes, bOnly: 404},

		{route: "GET /backups", path: "/backups", access: reads},
		{route: "GET /backups/:name", path: "/backups/{backup}", access: reads, bOnly: 404},
		{route: "GET /backups/:name/restore", path: "/backups/{backup}/restore", access: writes, bOnly: 404},
		{route: "POST /backups/:name/restore", path: "/backups/{backup}/restore", form: f("cluster_id", "restored-by-a", "node_type", "cache.t2.small", "port", "6379", "subnet_group", "{subnetgroup}"), access: writes, bOnly: 404},
		{route: "GET /backups/:name/delete", path: "/backups/{backup}/delete", access: writes, bOnly: 404},
		{route: "POST /backups/:name/delete", path: "/backups/{backup}/delete", access: writes, bOnly: 404},

		{route: "GET /subnet-groups", path: "/subnet-groups", access: reads},
		{route: "POST /subnet-groups", path: "/subnet-groups", form: f("subnet_group_name", "made-by-a", "subnet_group_description", "d", "subnet_ids", "subnet-0123456789abcdef0"), access: writes, bOnly: 422},
		{route: "GET /subnet-groups/:name", path: "/subnet-groups/{subnetgroup}", access: reads, bOnly: 404},
		{route: "POST /subnet-groups/:name/modify", path: "/subnet-groups/{subnetgroup}/modify", form: f("subnet_group_description", "by a"), access: writes, bOnly: 404},
		{route: "GET /subnet-groups/:name/delete", path: "/subnet-groups/{subnetgroup}/delete", access: writes, bOnly: 404},
		{route: "POST /subnet-groups/:name/delete", path: "/subnet-groups/{subnetgroup}/delete", access: writes, bOnly: 404},

		{route: "GET /events", path: "/events?window=336h", access: reads},

		{route: "GET /ec2/security-groups", path: "/ec2/security-groups", access: reads},
		{route: "POST /ec2/security-groups", path: "/ec2/security-groups", form: f("name", "a-ec2", "platform", "ec2-classic", "description", "d"), access: writes},
		{route: "GET /ec2/security-groups/:name/delete", path: "/ec2/security-groups/{ec2group}/delete", access: writes, bOnly: 404},
		{route: "POST /ec2/security-groups/:name/delete", path: "/ec2/security-groups/{ec2group}/delete", access: writes, bOnly: 404},
		{route: "GET /ec2/instances", path: "/ec2/instances", access: reads},
		{route: "POST /ec2/instances", path: "/ec2/instances", form: f("instance_id", "i-0a0000000000000a1", "name", "x", "platform", "ec2-classic", "security_groups", "{ec2group}"), access: writes, bOnly: 422},
		{route: "GET /ec2/instances/:id/delete", path: "/ec2/instances/{instance}/delete", access: writes, bOnly: 404},
		{route: "POST /ec2/instances/:id/delete", path: "/ec2/instances/{instance}/delete", access: writes, bOnly: 404},
		{route: "GET /ec2/vpcs", path: "/ec2/vpcs", access: reads},
		{route: "POST /ec2/vpcs", path: "/ec2/vpcs", form: f("name", "a-vpc", "cidr", "10.1.0.0/16"), access: writes},
		{route: "GET /ec2/vpcs/:id/delete", path: "/ec2/vpcs/{vpc}/delete", access: writes, bOnly: 404},
		{route: "POST /ec2/vpcs/:id/delete", path: "/ec2/vpcs/{vpc}/delete", access: writes, bOnly: 404},
		{route: "POST /ec2/subnets", path: "/ec2/subnets", form: f("vpc_id", "{vpc}", "availability_zone", "us-east-1a", "cidr", "172.31.200.0/24"), access: writes, bOnly: 422},
		{route: "GET /ec2/subnets/:id/delete", path: "/ec2/subnets/subnet-0123456789abcdef0/delete", access: writes, bOnly: 404},
		{route: "POST /ec2/subnets/:id/delete", path: "/ec2/subnets/subnet-0123456789abcdef0/delete", access: writes, bOnly: 404},
		{route: "POST /ec2/placements", path: "/ec2/placements", form: f("instance_id", "{instance}", "subnet_id", "subnet-0123456789abcdef0", "vpc_security_group_ids", "{vpcgroup}"), access: writes, bOnly: 404},
		{route: "GET /ec2/vpc-security-groups", path: "/ec2/vpc-security-groups", access: reads},
		{route: "POST /ec2/vpc-security-groups", path: "/ec2/vpc-security-groups", form: f("vpc_id", "{vpc}", "name", "made-by-a", "description", "d"), access: writes, bOnly: 422},
		{route: "POST /ec2/vpc-security-groups/:id/rules", path: "/ec2/vpc-security-groups/{vpcgroup}/rules", form: f("from_port", "6379", "source", "10.0.0.0/16"), access: writes, bOnly: 404},
		{route: "POST /ec2/vpc-security-groups/:id/rules/revoke", path: "/ec2/vpc-security-groups/{vpcgroup}/rules/revoke", form: f("from_port", "6379", "to_port", "6379", "source", "10.0.0.0/16"), access: writes, bOnly: 404},
		{route: "GET /ec2/vpc-security-groups/:id/delete", path: "/ec2/vpc-security-groups/{vpcgroup}/delete", access: writes, bOnly: 404},
		{route: "POST /ec2/vpc-security-groups/:id/delete", path: "/ec2/vpc-security-groups/{vpcgroup}/delete", access: writes, bOnly: 404},
		{route: "GET /connectivity", path: "/connectivity?instance={instance}&cluster={cluster}", access: reads, bOnly: 404},

		{route: "GET /security-credentials", path: "/security-credentials", access: own},
		{route: "POST /security-credentials", path: "/security-credentials", access: own},
		{route: "GET /security-credentials/:id/delete", path: "/security-credentials/{key}/delete", access: own, bOnly: 404},
		{route: "POST /security-credentials/:id/delete", path: "/security-credentials/{key}/delete", access: own, bOnly: 404},
		{route: "GET /account", path: "/account", access: own},
		{route: "GET /account/password", path: "/account/password", access: own},
		{route: "POST /account/password", path: "/account/password", form: f("current_password", "wrong-password-x", "new_password", "another-password-1"), access: own},

		{route: "GET /settings", path: "/settings", access: reads},
		{route: "POST /settings/platform", path: "/settings/platform", form: f("region", "us-west-2", "platform", "vpc"), access: writes},

		{route: "GET /users", path: "/users", access: admins},
		{route: "GET /users/new", path: "/users/new", access: admins},
		{route: "POST /users", path: "/users", form: f("username", "intruder", "role", "admin", "account_id", models.DefaultAccountID), access: admins},
		{route: "POST /users/:username/disable", path: "/users/{user}/disable", access: admins},
		{route: "POST /users/:username/enable", path: "/users/{user}/enable", access: admins},
		{route: "POST /users/:username/reset-password", path: "/users/{user}/reset-password", access: admins},
		{route: "POST /users/:username/role", path: "/users/{user}/role", form: f("role", "viewer"), access: admins},
		{route: "GET /users/:username/delete", path: "/users/{user}/delete", access: admins},
		{route: "POST /users/:username/delete", path: "/users/{user}/delete", access: admins},
		{route: "GET /audit", path: "/audit", access: admins},

		{route: "GET /labs", path: "/labs", access: reads},
		{route: "GET /labs/:id", path: "/labs/creating-a-security-group", access: reads},
		{route: "GET /labs/:id/progress", path: "/labs/creating-a-security-group/progress", access: reads},

		{route: "GET /workshops", path: "/workshops", access: adminsHidden},
		{route: "POST /workshops", path: "/workshops", form: f("name", "intruders", "trainees", "2", "prefix", "intruder"), access: adminsHidden},
		{route: "GET /workshops/:name", path: "/workshops/class-b", access: adminsHidden},
		{route: "GET /workshops/:name/progress", path: "/workshops/class-b/progress", access: adminsHidden},
		{route: "GET /workshops/:name/results.csv", path: "/workshops/class-b/results.csv", access: adminsHidden},
		{route: "GET /workshops/:name/credentials.csv", path: "/workshops/class-b/credentials.csv", access: adminsHidden},
		{route: "GET /workshops/:name/cards.html", path: "/workshops/class-b/cards.html", access: adminsHidden},
		{route: "GET /workshops/:name/reset", path: "/workshops/class-b/reset", access: adminsHidden},
		{route: "POST /workshops/:name/reset", path: "/workshops/class-b/reset", access: adminsHidden},
		{route: "GET /workshops/:name/delete", path: "/workshops/class-b/delete", access: adminsHidden},
		{route: "POST /workshops/:name/delete", path: "/workshops/class-b/delete", access: adminsHidden},
		{route: "GET /workshops/:name/trainees/:username/reset", path: "/workshops/class-b/trainees/trainee-01/reset", access: adminsHidden},
		{route: "POST /workshops/:name/trainees/:username/reset", path: "/workshops/class-b/trainees/trainee-01/reset", access: adminsHidden},
		{route: "POST /workshops/:name/trainees/:username/reset-password", path: "/workshops/class-b/trainees/trainee-01/reset-password", access: adminsHidden},
	}
}

// names fills a case's placeholders.
type names struct{ account, group, cluster, ec2group, instance, key, user, subnetGroup, vpc, vpcGroup, backup string }

func (n names) fill(s string) string {
	return strings.NewReplacer("{group}", n.group, "{cluster}", n.cluster, "{ec2group}", n.ec2group,
		"{instance}", n.instance, "{key}", n.key, "{user}", n.user, "{subnetgroup}", n.subnetGroup, "{vpcgroup}", n.vpcGroup, "{vpc}", n.vpc, "{backup}", n.backup).Replace(s)
}

func (n names) form(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		for _, x := range vs {
			out.Add(k, n.fill(x))
		}
	}
	return out
}

// withAccount adds ?account=ID to a path.
func withAccount(path, account string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "account=" + account
}

// isolationEnv is the API environment with account A's users and B's extra resources.
type isolationEnv struct {
	*apiEnv
	adminKey string
	// The VPC and VPC security group IDs of each account: IDs are random, so no name is shared.
	bVPC, bVPCGroup, aVPC, aVPCGroup string
	memberKey                        models.NewAccessKey
	viewerKey                        models.NewAccessKey
}

func newIsolationEnv(t *testing.T) *isolationEnv {
	t.Helper()
	env := &isolationEnv{apiEnv: newAPIEnv(t, true)}
	env.adminKey = env.key.AccessKeyID
	for _, u := range []models.NewUser{
		{Username: "alice", Role: models.RoleMember, AccountID: accountA, Password: memberPassword},
		{Username: "vera", Role: models.RoleViewer, AccountID: accountA, Password: viewerPassword},
	} {
		created, err := env.store.CreateUser(bg, u)
		if err != nil {
			t.Fatal(err)
		}
		key, err := env.store.CreateAccessKey(bg, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		if u.Role == models.RoleMember {
			env.memberKey = key
		} else {
			env.viewerKey = key
		}
	}
	if _, err := env.store.SeedDemo(bg, accountA); err != nil {
		t.Fatal(err)
	}
	b := models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1", Actor: "admin"}
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(env.store.CreateSecurityGroup(bg, b, bOnlyGroup, "only in B"))
	must(env.store.CreateEC2SecurityGroup(bg, b, bOnlyEC2Group, "only in B", models.PlatformClassic))
	must(env.store.AuthorizeIngress(bg, b, bOnlyGroup, bOnlyEC2Group, models.DefaultAccountID))
	must(env.store.CreateEC2Instance(bg, b, models.NewEC2Instance{InstanceID: bOnlyInstance, Name: "b-host", Platform: models.PlatformClassic, SecurityGroups: []string{bOnlyEC2Group}}))
	must(env.store.CreateCluster(bg, b, models.NewCluster{ID: bOnlyCluster, Engine: "memcached", NodeType: "cache.m1.small", NumNodes: 1, Network: models.PlatformClassic, CacheSecurityGroups: []string{bOnlyGroup}}))
	bVPC, err := env.store.EnsureDefaultVPC(bg, b)
	must(bVPC, err)
	bNet, err := env.store.GetNetwork(bg, b)
	must(bNet, err)
	must(env.store.CreateSubnetGroup(bg, b, models.NewSubnetGroup{Name: bOnlySubnets, Description: "only in B", SubnetIDs: []string{bNet.SubnetsOf(bVPC.VpcID)[0].SubnetID}}))
	// A subnet group of the same name in both accounts, each of its own account's subnets.
	for _, sc := range []models.Scope{b, {AccountID: accountA, Region: "us-east-1"}} {
		v, err := env.store.EnsureDefaultVPC(bg, sc)
		must(v, err)
		n, err := env.store.GetNetwork(bg, sc)
		must(n, err)
		must(env.store.CreateSubnetGroup(bg, sc, models.NewSubnetGroup{Name: sharedSubnets, Description: "in both", SubnetIDs: []string{n.SubnetsOf(v.VpcID)[0].SubnetID}}))
		g, err := env.store.CreateVPCSecurityGroup(bg, sc, v.VpcID, "cache", "cache nodes")
		must(g, err)
		if sc.AccountID == accountA {
			env.aVPC, env.aVPCGroup = v.VpcID, g.GroupID
		} else {
			env.bVPC, env.bVPCGroup = v.VpcID, g.GroupID
		}
	}
	must(env.store.AddTags(bg, b, models.SecurityGroupARN(b, bOnlyGroup), []models.Tag{{Key: "owner", Value: "b"}}))
	must(env.store.CreateCluster(bg, b, models.NewCluster{ID: "b-redis", Engine: "redis", NodeType: "cache.m1.small", NumNodes: 1, Network: models.PlatformClassic}))
	env.settle()
	must(env.store.CreateSnapshot(bg, b, "b-redis", bOnlySnapshot, []models.Tag{{Key: "owner", Value: "b"}}))
	env.settle()
	// A backup of the same name in both accounts, of each one's demo Redis cluster.
	for _, sc := range []models.Scope{b, {AccountID: accountA, Region: "us-east-1"}} {
		must(env.store.CreateSnapshot(bg, sc, "orders-redis", sharedSnapshot, nil))
	}
	env.settle()
	return env
}

// snapshot is everything an account holds, as text, to prove a run of requests changed none of it.
func (env *isolationEnv) snapshot(t *testing.T, account string) string {
	t.Helper()
	var b strings.Builder
	platforms, err := env.store.RegionPlatforms(bg, account)
	if err != nil {
		t.Fatal(err)
	}
	for _, rs := range platforms {
		scope := models.Scope{AccountID: account, Region: rs.Region}
		fmt.Fprintf(&b, "region %s %s\n", rs.Region, rs.Platform)
		if rs.Platform == models.PlatformClassic {
			page, err := env.store.ListSecurityGroups(bg, scope, models.ListOptions{Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range page.Items {
				tags, err := env.store.ListTags(bg, scope, g.ARN())
				if err != nil && !models.HasCode(err, models.CodeInvalidParameterValue) {
					t.Fatal(err)
				}
				fmt.Fprintf(&b, "group %s %q %+v tags %+v\n", g.Name, g.Description, g.EC2SecurityGroups, tags)
			}
		}
		clusters, err := env.store.ListClusters(bg, scope, models.ClusterListOptions{Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range clusters.Items {
			fmt.Fprintf(&b, "cluster %s %s %s %d\n", c.ID, c.Status, groupsOfCluster(c), c.NumNodes)
		}
		ec2Groups, err := env.store.ListEC2SecurityGroups(bg, scope)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range ec2Groups {
			fmt.Fprintf(&b, "ec2 group %s %s\n", g.Name, g.Platform)
		}
		instances, err := env.store.ListEC2Instances(bg, scope)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range instances {
			fmt.Fprintf(&b, "instance %s %s %v\n", i.InstanceID, i.Name, i.GroupNames())
		}
		events, err := env.store.ListEvents(bg, scope, models.EventQuery{Window: models.EventRetention})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "events %d\n", events.Total)
		snapshots, err := env.store.ListSnapshots(bg, scope, models.SnapshotListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range snapshots.Items {
			fmt.Fprintf(&b, "snapshot %s %s %s tags %+v\n", s.Name, s.Status, s.ClusterID, s.Tags)
		}
	}
	users, err := env.store.ListUsers(bg)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.AccountID == account {
			fmt.Fprintf(&b, "user %s %s disabled=%v hash=%s\n", u.Username, u.Role, u.Disabled, u.PasswordHash)
			keys, err := env.store.ListAccessKeys(bg, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range keys {
				fmt.Fprintf(&b, "key %s\n", k.AccessKeyID)
			}
		}
	}
	return b.String()
}

func groupsOfCluster(c models.Cluster) string {
	var out []string
	for _, m := range c.CacheSecurityGroups {
		out = append(out, m.Name)
	}
	return strings.Join(out, ",")
}

// signInAs is a console session of any user, through the sign-in form's model call.
func (env *isolationEnv) signInAs(t *testing.T, username, password string) *consoleSession {
	t.Helper()
	token, err := env.store.SignIn(bg, models.Credentials{Username: username, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	s := &consoleSession{env: env.apiEnv, session: token}
	page := s.do(t, http.MethodGet, "/security-groups", nil)
	m := regexp.MustCompile(`name="_csrf" value="([0-9a-f]{64})"`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no CSRF token on the pane of %s (status %d)", username, page.Status)
	}
	s.csrf = m[1]
	return s
}

// TestIsolationTableCoversEveryRoute fails when a route is added to web/routes.go without a row
// in the isolation table (or a row names a route that no longer exists).
func TestIsolationTableCoversEveryRoute(t *testing.T) {
	_, store, _ := newConsoleStore(t, false)
	e := web.New(web.Config{}, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	registered := map[string]bool{}
	for _, r := range e.Routes() {
		if r.Method == "echo_route_not_found" || strings.HasPrefix(r.Method, "echo_") {
			continue
		}
		registered[r.Method+" "+r.Path] = true
	}
	inTable := map[string]bool{}
	for _, c := range consoleRouteTable() {
		inTable[c.route] = true
		if !registered[c.route] {
			t.Errorf("the isolation table names %q, which web/routes.go does not register", c.route)
		}
	}
	var missing []string
	for r := range registered {
		if !inTable[r] {
			missing = append(missing, r)
		}
	}
	sort.Strings(missing)
	for _, r := range missing {
		t.Errorf("route %q is not in the isolation table (web/isolation_test.go consoleRouteTable): add it", r)
	}
}

// TestConsoleIsolation drives every console route as a member and a viewer of account A.
func TestConsoleIsolation(t *testing.T) {
	env := newIsolationEnv(t)
	beforeB := env.snapshot(t, models.DefaultAccountID)
	beforeA := env.snapshot(t, accountA)
	bOnly := names{group: bOnlyGroup, cluster: bOnlyCluster, ec2group: bOnlyEC2Group, instance: bOnlyInstance, key: env.adminKey, user: "admin", subnetGroup: bOnlySubnets, vpc: env.bVPC, vpcGroup: env.bVPCGroup, backup: bOnlySnapshot}
	shared := names{group: sharedGroup, cluster: sharedCluster, ec2group: sharedEC2Group, instance: sharedInstance, key: env.viewerKey.AccessKeyID, user: "alice", subnetGroup: sharedSubnets, vpc: env.aVPC, vpcGroup: env.aVPCGroup, backup: sharedSnapshot}
	hidden := []string{bOnlyGroup, bOnlyCluster, bOnlyEC2Group, bOnlyInstance, env.adminKey, models.DefaultAccountID, env.bVPC, env.bVPCGroup, bOnlySnapshot}

	// A viewer of A reads its own account and is refused every write and admin page with 403.
	t.Run("viewer", func(t *testing.T) {
		viewer := env.signInAs(t, "vera", viewerPassword)
		for _, c := range consoleRouteTable() {
			if c.route == "POST /logout" || c.access == own && strings.HasPrefix(c.route, "POST") {
				continue // signing out ends the session the table needs; a viewer's own keys are theirs to change
			}
			res := viewer.do(t, strings.Fields(c.route)[0], shared.fill(c.path), shared.form(c.form))
			switch c.access {
			case writes, admins:
				if res.Status != http.StatusForbidden {
					t.Errorf("viewer %s %s: status %d, want 403", c.route, shared.fill(c.path), res.Status)
				}
			case adminsHidden:
				if res.Status != http.StatusNotFound {
					t.Errorf("viewer %s %s: status %d, want 404", c.route, shared.fill(c.path), res.Status)
				}
			case reads:
				if res.Status != http.StatusOK && res.Status != http.StatusFound {
					t.Errorf("viewer %s: status %d, want 200", c.route, res.Status)
				}
			}
			if res.Status >= 500 {
				t.Errorf("viewer %s: status %d", c.route, res.Status)
			}
			for _, h := range hidden {
				if strings.Contains(res.Body, h) {
					t.Errorf("viewer %s: the page shows %q of account B", c.route, h)
				}
			}
		}
		if after := env.snapshot(t, accountA); after != beforeA {
			t.Errorf("a viewer's requests changed account A:\n%s", lineDiff(beforeA, after))
		}
	})

	member := env.signInAs(t, "alice", memberPassword)
	// B's names in A's own scope: not found, or absent from the page.
	t.Run("member, names of B", func(t *testing.T) {
		for _, c := range consoleRouteTable() {
			if c.route == "POST /logout" {
				continue
			}
			res := member.do(t, strings.Fields(c.route)[0], bOnly.fill(c.path), bOnly.form(c.form))
			if c.bOnly >= 400 && c.bOnly < 500 && res.Status == http.StatusSeeOther && strings.HasPrefix(c.route, "POST") {
				// A failed form comes back on the page it was on (303), with the refusal and its status.
				res = member.do(t, http.MethodGet, res.Header.Get("Location"), nil)
			}
			if c.bOnly != 0 && res.Status != c.bOnly {
				t.Errorf("member %s %s: status %d, want %d\n%s", c.route, bOnly.fill(c.path), res.Status, c.bOnly, excerptOf(res.Body))
			}
			if c.access == admins && res.Status != http.StatusForbidden {
				t.Errorf("member %s: status %d, want 403", c.route, res.Status)
			}
			if c.access == adminsHidden && res.Status != http.StatusNotFound {
				t.Errorf("member %s: status %d, want 404", c.route, res.Status)
			}
			if res.Status >= 500 {
				t.Errorf("member %s: status %d", c.route, res.Status)
			}
			if c.access == reads && c.bOnly == 0 {
				for _, h := range hidden {
					if strings.Contains(res.Body, h) {
						t.Errorf("member %s: the page shows %q of account B", c.route, h)
					}
				}
			}
		}
	})
	// ?account=B on every route that acts in an account: the same 404 as an account that does not exist.
	t.Run("member, ?account= of B", func(t *testing.T) {
		for _, c := range consoleRouteTable() {
			if c.access != reads && c.access != writes {
				continue
			}
			method := strings.Fields(c.route)[0]
			for _, account := range []string{models.DefaultAccountID, "999999999999"} {
				res := member.do(t, method, withAccount(shared.fill(c.path), account), shared.form(c.form))
				if res.Status != http.StatusNotFound {
					t.Errorf("member %s ?account=%s: status %d, want 404", c.route, account, res.Status)
				}
				if !strings.Contains(res.Body, "Account "+account+" not found.") {
					t.Errorf("member %s ?account=%s: page does not say the account was not found", c.route, account)
				}
			}
		}
	})
	// Names that exist in both accounts: the member's writes act on A's copy only.
	t.Run("member, shared names", func(t *testing.T) {
		for _, c := range consoleRouteTable() {
			if c.access != writes {
				continue
			}
			res := member.do(t, strings.Fields(c.route)[0], shared.fill(c.path), shared.form(c.form))
			if res.Status >= 500 || res.Status == http.StatusForbidden {
				t.Errorf("member %s %s: status %d", c.route, shared.fill(c.path), res.Status)
			}
		}
		if env.snapshot(t, accountA) == beforeA {
			t.Error("the member's writes changed nothing in account A: the table did not really write")
		}
	})
	if after := env.snapshot(t, models.DefaultAccountID); after != beforeB {
		t.Errorf("requests of account A's users changed account B:\n%s", lineDiff(beforeB, after))
	}
}

// lineDiff lists the lines only in before (-) or only in after (+).
func lineDiff(before, after string) string {
	count := map[string]int{}
	for _, l := range strings.Split(before, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(after, "\n") {
		count[l]--
	}
	var out []string
	for l, n := range count {
		switch {
		case n > 0:
			out = append(out, "- "+l)
		case n < 0:
			out = append(out, "+ "+l)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

func excerptOf(body string) string {
	if len(body) > 400 {
		return body[:400] + "..."
	}
	return body
}

// apiCase is one Query API operation, called with account B's names by a member of account A.
type apiCase struct {
	action string
	call   func(c *elasticache.Client, n names) error
	// bOnly is the fault a member of A gets for B's names; "" means the call succeeds and its
	// answer must not show B's names.
	bOnly string
}

func apiTable(env *isolationEnv) []apiCase {
	arn := func(n names) *string {
		return aws.String(models.SecurityGroupARN(models.Scope{AccountID: n.account, Region: "us-east-1"}, n.group))
	}
	return []apiCase{
		{"CreateCacheSecurityGroup", func(c *elasticache.Client, n names) error {
			_, err := c.CreateCacheSecurityGroup(bg, &elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("made-by-a"), Description: aws.String("d")})
			return err
		}, ""},
		{"DescribeCacheSecurityGroups", func(c *elasticache.Client, n names) error {
			_, err := c.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String(n.group)})
			return err
		}, "CacheSecurityGroupNotFound"},
		{"DeleteCacheSecurityGroup", func(c *elasticache.Client, n names) error {
			_, err := c.DeleteCacheSecurityGroup(bg, &elasticache.DeleteCacheSecurityGroupInput{CacheSecurityGroupName: aws.String(n.group)})
			return err
		}, "CacheSecurityGroupNotFound"},
		{"AuthorizeCacheSecurityGroupIngress", func(c *elasticache.Client, n names) error {
			_, err := c.AuthorizeCacheSecurityGroupIngress(bg, &elasticache.AuthorizeCacheSecurityGroupIngressInput{CacheSecurityGroupName: aws.String(n.group),
				EC2SecurityGroupName: aws.String(sharedEC2Source), EC2SecurityGroupOwnerId: aws.String(accountA)})
			return err
		}, "CacheSecurityGroupNotFound"},
		{"RevokeCacheSecurityGroupIngress", func(c *elasticache.Client, n names) error {
			_, err := c.RevokeCacheSecurityGroupIngress(bg, &elasticache.RevokeCacheSecurityGroupIngressInput{CacheSecurityGroupName: aws.String(n.group),
				EC2SecurityGroupName: aws.String(n.ec2group), EC2SecurityGroupOwnerId: aws.String(models.DefaultAccountID)})
			return err
		}, "CacheSecurityGroupNotFound"},
		{"CreateCacheCluster", func(c *elasticache.Client, n names) error {
			_, err := c.CreateCacheCluster(bg, &elasticache.CreateCacheClusterInput{CacheClusterId: aws.String("a-cluster"), Engine: aws.String("memcached"),
				CacheNodeType: aws.String("cache.m1.small"), NumCacheNodes: aws.Int32(1), CacheSecurityGroupNames: []string{n.group}})
			return err
		}, "CacheSecurityGroupNotFound"},
		{"DescribeCacheClusters", func(c *elasticache.Client, n names) error {
			_, err := c.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(n.cluster)})
			return err
		}, "CacheClusterNotFound"},
		{"ModifyCacheCluster", func(c *elasticache.Client, n names) error {
			_, err := c.ModifyCacheCluster(bg, &elasticache.ModifyCacheClusterInput{CacheClusterId: aws.String(n.cluster), CacheSecurityGroupNames: []string{"default"}})
			return err
		}, "CacheClusterNotFound"},
		{"DeleteCacheCluster", func(c *elasticache.Client, n names) error {
			_, err := c.DeleteCacheCluster(bg, &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String(n.cluster)})
			return err
		}, "CacheClusterNotFound"},
		{"DescribeEvents", func(c *elasticache.Client, n names) error {
			out, err := c.DescribeEvents(bg, &elasticache.DescribeEventsInput{SourceIdentifier: aws.String(n.group), SourceType: types.SourceTypeCacheSecurityGroup, Duration: aws.Int32(20160)})
			if err == nil && len(out.Events) > 0 {
				return fmt.Errorf("DescribeEvents shows %d events of %s", len(out.Events), n.group)
			}
			return err
		}, ""},
		{"ListTagsForResource", func(c *elasticache.Client, n names) error {
			_, err := c.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{ResourceName: arn(n)})
			return err
		}, "CacheSecurityGroupNotFound"},
		{"AddTagsToResource", func(c *elasticache.Client, n names) error {
			_, err := c.AddTagsToResource(bg, &elasticache.AddTagsToResourceInput{ResourceName: arn(n), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		}, "CacheSecurityGroupNotFound"},
		{"RemoveTagsFromResource", func(c *elasticache.Client, n names) error {
			_, err := c.RemoveTagsFromResource(bg, &elasticache.RemoveTagsFromResourceInput{ResourceName: arn(n), TagKeys: []string{"owner"}})
			return err
		}, "CacheSecurityGroupNotFound"},
		{"DescribeCacheEngineVersions", func(c *elasticache.Client, n names) error {
			_, err := c.DescribeCacheEngineVersions(bg, &elasticache.DescribeCacheEngineVersionsInput{})
			return err
		}, ""},
		{"DescribeCacheParameterGroups", func(c *elasticache.Client, n names) error {
			_, err := c.DescribeCacheParameterGroups(bg, &elasticache.DescribeCacheParameterGroupsInput{})
			return err
		}, ""},
		{"DescribeReplicationGroups", func(c *elasticache.Client, n names) error {
			_, err := c.DescribeReplicationGroups(bg, &elasticache.DescribeReplicationGroupsInput{})
			return err
		}, ""},
		// Cache subnet groups answer 400 CacheSubnetGroupNotFoundFault, as AWS does, so these rows
		// check the fault themselves: B's group must look exactly like one that never existed.
		{"CreateCacheSubnetGroup", func(c *elasticache.Client, n names) error {
			_, err := c.CreateCacheSubnetGroup(bg, &elasticache.CreateCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("made-by-a"),
				CacheSubnetGroupDescription: aws.String("d"), SubnetIds: []string{"subnet-0123456789abcdef0"}})
			return subnetGroupAbsent(err, "InvalidSubnet")
		}, ""},
		{"DescribeCacheSubnetGroups", func(c *elasticache.Client, n names) error {
			_, err := c.DescribeCacheSubnetGroups(bg, &elasticache.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: aws.String(bOnlySubnets)})
			return subnetGroupAbsent(err, "CacheSubnetGroupNotFoundFault")
		}, ""},
		{"ModifyCacheSubnetGroup", func(c *elasticache.Client, n names) error {
			_, err := c.ModifyCacheSubnetGroup(bg, &elasticache.ModifyCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(bOnlySubnets), CacheSubnetGroupDescription: aws.String("by a")})
			return subnetGroupAbsent(err, "CacheSubnetGroupNotFoundFault")
		}, ""},
		{"DeleteCacheSubnetGroup", func(c *elasticache.Client, n names) error {
			_, err := c.DeleteCacheSubnetGroup(bg, &elasticache.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(bOnlySubnets)})
			return subnetGroupAbsent(err, "CacheSubnetGroupNotFoundFault")
		}, ""},
		{"CreateSnapshot", func(c *elasticache.Client, n names) error {
			_, err := c.CreateSnapshot(bg, &elasticache.CreateSnapshotInput{CacheClusterId: aws.String(n.cluster), SnapshotName: aws.String("made-by-a")})
			return err
		}, "CacheClusterNotFound"},
		{"DescribeSnapshots", func(c *elasticache.Client, n names) error {
			_, err := c.DescribeSnapshots(bg, &elasticache.DescribeSnapshotsInput{CacheClusterId: aws.String(n.cluster)})
			return err
		}, "CacheClusterNotFound"},
		// B's snapshot is looked for by name from A: not found, like a name that never existed.
		{"DeleteSnapshot", func(c *elasticache.Client, n names) error {
			_, err := c.DeleteSnapshot(bg, &elasticache.DeleteSnapshotInput{SnapshotName: aws.String(bOnlySnapshot)})
			return err
		}, "SnapshotNotFoundFault"},
	}
}

// subnetGroupAbsent accepts the not-found fault a caller gets for a name only another account
// has; any other answer (success included) is returned as the error it is.
func subnetGroupAbsent(err error, code string) error {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode() == code && httpStatus(err) == http.StatusBadRequest {
		return nil
	}
	if err == nil {
		return fmt.Errorf("the call succeeded: another account's subnet group is visible")
	}
	return err
}

// TestAPIIsolation calls every operation with a member's key against account B's resources, and
// every write with a viewer's key: not found, or AccessDenied, and nothing changes.
func TestAPIIsolation(t *testing.T) {
	env := newIsolationEnv(t)
	table := apiTable(env)
	served := api.New(env.store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var inTable []string
	for _, c := range table {
		inTable = append(inTable, c.action)
	}
	sort.Strings(inTable)
	if got := strings.Join(served.Operations(), ","); got != strings.Join(inTable, ",") {
		t.Fatalf("the API serves %s\nthe isolation table has %s: add the new operation to apiTable", got, strings.Join(inTable, ","))
	}
	beforeB := env.snapshot(t, models.DefaultAccountID)
	beforeA := env.snapshot(t, accountA)
	bOnly := names{account: models.DefaultAccountID, group: bOnlyGroup, cluster: bOnlyCluster, ec2group: bOnlyEC2Group}
	shared := names{account: accountA, group: sharedGroup, cluster: sharedCluster, ec2group: sharedEC2Group}

	viewer := env.clientFor(env.viewerKey, "us-east-1")
	for _, c := range table {
		err := c.call(viewer, shared)
		if served.Writes(c.action) {
			msg := wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
			if !strings.Contains(msg, "elasticache:"+c.action) || !strings.Contains(msg, "user/vera") {
				t.Errorf("viewer %s: message %q does not name the action and the user", c.action, msg)
			}
		} else if err != nil {
			t.Errorf("viewer %s (a read): %v", c.action, err)
		}
	}
	if after := env.snapshot(t, accountA); after != beforeA {
		t.Errorf("a viewer's API calls changed account A:\n%s", lineDiff(beforeA, after))
	}

	member := env.clientFor(env.memberKey, "us-east-1")
	for _, c := range table {
		err := c.call(member, bOnly)
		if c.bOnly == "" {
			if err != nil {
				t.Errorf("member %s: %v", c.action, err)
			}
			continue
		}
		wantAPIError(t, err, c.bOnly, http.StatusNotFound)
	}
	// A member's describe of everything shows none of B's names.
	groups := ok(member.DescribeCacheSecurityGroups(bg, &elasticache.DescribeCacheSecurityGroupsInput{})).get(t)
	for _, g := range groups.CacheSecurityGroups {
		if aws.ToString(g.OwnerId) != accountA || aws.ToString(g.CacheSecurityGroupName) == bOnlyGroup {
			t.Errorf("member sees group %s of %s", aws.ToString(g.CacheSecurityGroupName), aws.ToString(g.OwnerId))
		}
	}
	clusters := ok(member.DescribeCacheClusters(bg, &elasticache.DescribeCacheClustersInput{})).get(t)
	for _, c := range clusters.CacheClusters {
		if aws.ToString(c.CacheClusterId) == bOnlyCluster {
			t.Errorf("member sees cluster %s of B", bOnlyCluster)
		}
	}
	snapshots := ok(member.DescribeSnapshots(bg, &elasticache.DescribeSnapshotsInput{})).get(t)
	for _, s := range snapshots.Snapshots {
		if aws.ToString(s.SnapshotName) == bOnlySnapshot {
			t.Errorf("member sees snapshot %s of B", bOnlySnapshot)
		}
	}
	for _, name := range []string{bOnlySnapshot, "B-BACKUP"} {
		_, err := member.DescribeSnapshots(bg, &elasticache.DescribeSnapshotsInput{SnapshotName: aws.String(name)})
		wantAPIError(t, err, "SnapshotNotFoundFault", http.StatusNotFound)
	}
	_, err := member.ListTagsForResource(bg, &elasticache.ListTagsForResourceInput{
		ResourceName: aws.String("arn:aws:elasticache:us-east-1:" + models.DefaultAccountID + ":snapshot:" + bOnlySnapshot)})
	wantAPIError(t, err, "SnapshotNotFoundFault", http.StatusNotFound)
	events := ok(member.DescribeEvents(bg, &elasticache.DescribeEventsInput{Duration: aws.Int32(20160)})).get(t)
	for _, e := range events.Events {
		if strings.Contains(aws.ToString(e.SourceIdentifier), "b-") {
			t.Errorf("member sees event %s of B", aws.ToString(e.Message))
		}
	}
	// The same names in A are the member's own: every write acts there, never in B.
	for _, c := range table {
		if err := c.call(member, shared); err != nil && httpStatus(err) >= 500 {
			t.Errorf("member %s on shared names: %v", c.action, err)
		}
	}
	// The audit log names the member and the key they signed with.
	audit, err := env.store.ListAuditEvents(bg, models.AuditQuery{Actor: "alice"})
	if err != nil || audit.Total == 0 {
		t.Fatalf("audit of alice: %d events, %v", audit.Total, err)
	}
	for _, e := range audit.Events {
		if e.AccountID != accountA || e.Via != env.memberKey.AccessKeyID {
			t.Errorf("alice's event %q: account %s via %q, want %s via %s", e.Message, e.AccountID, e.Via, accountA, env.memberKey.AccessKeyID)
		}
	}
	if after := env.snapshot(t, models.DefaultAccountID); after != beforeB {
		t.Errorf("account A's API calls changed account B:\n%s", lineDiff(beforeB, after))
	}
}
