package models

import (
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// accountRows is everything of one account's sandbox as text, without row IDs, sorted, with the
// account's ID written ACCOUNT and VPC security group IDs (random) sg-ID: two sandboxes made the
// same way at the same time dump the same.
func accountRows(t *testing.T, s *Store, accountID string) []string {
	t.Helper()
	var out []string
	add := func(format string, args ...any) {
		out = append(out, vpcGroupIDs.ReplaceAllString(strings.ReplaceAll(fmt.Sprintf(format, args...), accountID, "ACCOUNT"), "sg-ID"))
	}
	ts := func(p *time.Time) string {
		if p == nil {
			return "-"
		}
		return p.UTC().Format(time.RFC3339Nano)
	}
	var regions []RegionSetting
	mustNoErr(t, s.db.Where("account_id = ?", accountID).Find(&regions).Error, "regions")
	for _, r := range regions {
		add("region %s %s", r.Region, r.Platform)
	}
	var groups []CacheSecurityGroup
	mustNoErr(t, s.db.Preload("Authorizations").Where("account_id = ?", accountID).Find(&groups).Error, "groups")
	names := map[uint]string{}
	for _, g := range groups {
		names[g.ID] = g.Region + "/" + g.Name
		add("group %s/%s %q %s", g.Region, g.Name, g.Description, ts(&g.CreatedAt))
		for _, a := range g.Authorizations {
			add("grant %s/%s <- %s@%s %s %s %s %s", g.Region, g.Name, a.EC2GroupName, a.EC2OwnerID, ts(&a.AuthorizedAt), ts(&a.ActiveAt), ts(a.RevokedAt), ts(a.GoneAt))
		}
		var tags []Tag
		mustNoErr(t, s.db.Where("group_id = ?", g.ID).Find(&tags).Error, "tags")
		for _, tag := range tags {
			add("tag %s/%s %s=%s", g.Region, g.Name, tag.Key, tag.Value)
		}
	}
	var clusters []CacheCluster
	mustNoErr(t, s.db.Preload("Memberships").Where("account_id = ?", accountID).Find(&clusters).Error, "clusters")
	for _, c := range clusters {
		add("cluster %s/%s %s %s %s %d %s %q %q %s %s %s %s", c.Region, c.ClusterID, c.Engine, c.EngineVersion, c.NodeType, c.NumNodes,
			c.Network, c.SubnetGroup, c.VPCSecurityGroupIDs, ts(&c.CreatedAt), ts(&c.AvailableAt), ts(c.DeletingAt), ts(c.GoneAt))
		for _, m := range c.Memberships {
			add("membership %s/%s in %s %s %s %s", c.Region, c.ClusterID, names[m.GroupID], ts(&m.ActiveAt), ts(m.RemovedAt), ts(m.GoneAt))
		}
	}
	var ec2 []EC2SecurityGroup
	mustNoErr(t, s.db.Where("account_id = ?", accountID).Find(&ec2).Error, "EC2 groups")
	for _, g := range ec2 {
		add("ec2 group %s/%s %q %s %s", g.Region, g.Name, g.Description, g.Platform, ts(&g.CreatedAt))
	}
	var instances []EC2Instance
	mustNoErr(t, s.db.Preload("SecurityGroups").Where("account_id = ?", accountID).Find(&instances).Error, "instances")
	for _, i := range instances {
		groups := i.GroupNames()
		sort.Strings(groups)
		add("instance %s/%s %q %s %s in %s", i.Region, i.InstanceID, i.Name, i.Platform, ts(&i.CreatedAt), strings.Join(groups, ","))
	}
	var events []Event
	mustNoErr(t, s.db.Where("account_id = ?", accountID).Find(&events).Error, "events")
	for _, e := range events {
		add("event %s %s %s/%s %q by %s via %s", e.Region, ts(&e.Date), e.SourceType, e.SourceID, e.Message, e.Actor, e.Via)
	}
	sort.Strings(out)
	return out
}

func wantSameRows(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\ngot  %d rows\n  %s\nwant %d rows\n  %s", what, len(got), strings.Join(got, "\n  "), len(want), strings.Join(want, "\n  "))
	}
}

// Without labs a sandbox gets the demo, exactly as SeedDemo makes it.
func TestSeedSandboxWithoutLabsIsTheDemo(t *testing.T) {
	s, _ := newStore(t)
	_, err := s.SeedDemo(ctx, DefaultAccountID)
	mustNoErr(t, err, "SeedDemo")
	newLabSandbox(t, s, traineeA, nil)
	demo := accountRows(t, s, DefaultAccountID)
	wantSameRows(t, "a sandbox without labs", accountRows(t, s, traineeA), demo)
	for _, want := range []string{
		`cluster us-east-1/sessions memcached 1.4.34 cache.m1.small 2 ec2-classic "" "" 2022-08-01T12:00:00.123456Z 2022-08-01T12:00:10.123456Z - -`,
		`event us-east-1 2022-08-01T12:00:00.123456Z cache-cluster/orders-redis "Cache cluster created" by demo via `,
		`grant us-east-1/reporting <- etl-workers@210987654321 2022-07-30T12:00:00.123456Z 2022-07-30T12:00:00.123456Z - -`,
		`instance us-east-1/i-0a1b2c3d4e5f60002 "app-1" ec2-classic 2022-08-01T12:00:00.123456Z in app-servers,default`,
		`membership us-east-1/app-memcached in us-east-1/default 2022-08-01T12:00:00.123456Z - -`,
	} {
		if !strings.Contains(strings.Join(demo, "\n"), want) {
			t.Errorf("the demo lacks %s", want)
		}
	}

	// A lab that asks for the demo gets it too, with its own setup on top.
	lab := builtinLab(t, "authorizing-network-access")
	lab.Setup.Demo = true
	newLabSandbox(t, s, traineeB, []Lab{lab})
	got := strings.Join(accountRows(t, s, traineeB), "\n")
	for _, want := range []string{"group us-east-1/web-sessions", "group us-east-1/lab-sessions", "instance us-east-1/i-0b1c2d3e4f5a60011"} {
		if !strings.Contains(got, want) {
			t.Errorf("demo and lab sandbox lacks %s", want)
		}
	}
}

func TestSeedSandboxRefusesLabsThatContradictEachOther(t *testing.T) {
	s, _, _ := openStore(t)
	a := Lab{ID: "a", Setup: Setup{EC2SecurityGroups: []SetupEC2Group{{Name: "web", Platform: PlatformClassic}}}}
	b := Lab{ID: "b", Setup: Setup{EC2SecurityGroups: []SetupEC2Group{{Name: "web", Platform: PlatformVPC, Line: 7}}}, Source: "labs/b.yaml"}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := ensureAccount(tx, traineeA, s.now()); err != nil {
			return err
		}
		return s.seedSandbox(tx, traineeA, []Lab{a, b})
	})
	if err == nil || err.Error() != `labs/b.yaml:7: setup: EC2 security group web in us-east-1 is also defined by lab "a", differently; a resource defined twice in one workshop (by its labs or the demo) must be defined the same way` {
		t.Fatalf("err = %v", err)
	}
	if exists, _ := s.AccountExists(ctx, traineeA); exists {
		t.Error("the account was created anyway")
	}
	// The same definition twice is one group; descriptions may differ.
	b.Setup.EC2SecurityGroups[0].Platform, b.Setup.EC2SecurityGroups[0].Description = PlatformClassic, "other words"
	newLabSandbox(t, s, traineeA, []Lab{a, b})
	if n := countRows(t, s, &EC2SecurityGroup{}, "account_id = ?", traineeA); n != 1 {
		t.Errorf("EC2 groups = %d", n)
	}
	// A lab built in code is checked as a loaded one is.
	bad := Lab{ID: "bad", Setup: Setup{Instances: []SetupInstance{{InstanceID: "i-01234567", SecurityGroups: []string{"nope"}}}}}
	err = s.tx(ctx, func(tx *gorm.DB) error { return s.seedSandbox(tx, traineeA, []Lab{bad}) })
	if err == nil || !strings.Contains(err.Error(), "EC2 security group nope is not in the setup") {
		t.Errorf("err = %v", err)
	}
}

func TestResetSandbox(t *testing.T) {
	s, clk, _ := openStore(t)
	s.PasswordCost = bcrypt.MinCost
	s.SecretKey = make([]byte, 32)
	_, _ = rand.Read(s.SecretKey)
	labs := BuiltinLabs()
	newLabSandbox(t, s, traineeA, labs)
	newLabSandbox(t, s, traineeB, labs)
	if _, err := s.EnsureAccount(ctx, DefaultAccountID); err != nil {
		t.Fatal(err)
	}
	_, err := s.SeedDemo(ctx, DefaultAccountID)
	mustNoErr(t, err, "SeedDemo")
	user, err := s.CreateUser(ctx, NewUser{Username: "trainee-01", Role: RoleMember, AccountID: traineeA, Password: "trainee-password-1"})
	mustNoErr(t, err, "CreateUser")
	_, err = s.CreateAccessKey(ctx, user.ID)
	mustNoErr(t, err, "CreateAccessKey")
	fresh := accountRows(t, s, traineeA)

	// A trainee's morning: every kind of resource changed, some still pending.
	scope := Scope{AccountID: traineeA, Region: "us-east-1", Actor: "trainee-01", Via: "console"}
	west := Scope{AccountID: traineeA, Region: "us-west-2", Actor: "trainee-01", Via: "console"}
	_, err = s.CreateSecurityGroup(ctx, scope, "training-cache", "Mine", Tag{Key: "team", Value: "web"})
	mustNoErr(t, err, "create group")
	mustAuthorize(t, s, scope, "lab-sessions", "web-servers", traineeA)
	mustNoErr(t, s.DeleteSecurityGroup(ctx, scope, "orders-archive"), "delete group")
	mustEC2Group(t, s, scope, "extra", PlatformClassic)
	mustInstance(t, s, scope, "i-0ddddddddddddddd1", "extra-1", PlatformClassic, "extra", "web-servers")
	mustCluster(t, s, scope, classicCluster("lab-app", "lab-app-cache"))
	clk.Advance(delay)
	mustModify(t, s, scope, "lab-existing", "lab-app-cache")
	_, err = s.DeleteCluster(ctx, scope, "lab-app")
	mustNoErr(t, err, "delete cluster")
	mustNoErr(t, s.SetRegionPlatform(ctx, west, PlatformVPC), "switch us-west-2")
	clk.Advance(time.Hour)
	progress, err := s.EvaluateLabs(ctx, traineeA, labs)
	mustNoErr(t, err, "EvaluateLabs")
	done := 0
	for _, p := range progress {
		done += p.Done()
	}
	if done < 4 {
		t.Fatalf("only %d steps done before the reset", done)
	}

	others := map[string][]string{traineeB: accountRows(t, s, traineeB), DefaultAccountID: accountRows(t, s, DefaultAccountID)}
	users, keys := userAndKeyRows(t, s)
	mustNoErr(t, s.ResetSandbox(ctx, traineeA, labs), "ResetSandbox")

	// The reset sandbox is a fresh one made now: compare with a new sandbox made at the same time.
	const traineeC = "333333333333"
	newLabSandbox(t, s, traineeC, labs)
	wantSameRows(t, "reset sandbox vs fresh sandbox", accountRows(t, s, traineeA), accountRows(t, s, traineeC))
	if reflect.DeepEqual(accountRows(t, s, traineeA), fresh) {
		t.Error("the reset sandbox has the first sandbox's times: it was not made anew")
	}
	for id, rows := range others {
		wantSameRows(t, "account "+id+" after another's reset", accountRows(t, s, id), rows)
	}
	if u, k := userAndKeyRows(t, s); !reflect.DeepEqual(u, users) || !reflect.DeepEqual(k, keys) {
		t.Error("users or access keys changed")
	}
	if n := countRows(t, s, &instanceGroupLink{}, ""); n != 3*4+5 {
		t.Errorf("instance links = %d, want those of 3 sandboxes and the demo", n)
	}
	progress, err = s.EvaluateLabs(ctx, traineeA, labs)
	mustNoErr(t, err, "EvaluateLabs")
	for _, p := range progress {
		if p.Done() != 0 {
			t.Errorf("lab %s: %d steps done after the reset", p.Lab.ID, p.Done())
		}
	}

	// Reset to the demo (no labs), and refusals.
	mustNoErr(t, s.ResetSandbox(ctx, traineeA, nil), "ResetSandbox to the demo")
	if rows := strings.Join(accountRows(t, s, traineeA), "\n"); !strings.Contains(rows, "group us-east-1/web-sessions") || strings.Contains(rows, "lab-sessions") {
		t.Error("reset to the demo: not the demo")
	}
	before := accountRows(t, s, traineeA)
	bad := Lab{ID: "bad", Setup: Setup{Clusters: []SetupCluster{{ID: "c", CacheSecurityGroups: []string{"nope"}}}}}
	if err := s.ResetSandbox(ctx, traineeA, []Lab{bad}); err == nil {
		t.Error("reset with a broken lab succeeded")
	}
	wantSameRows(t, "after a refused reset", accountRows(t, s, traineeA), before)
	if err := s.ResetSandbox(ctx, "999999999999", labs); !isNotFound(err) {
		t.Errorf("reset of no account: %v", err)
	}
}

// userAndKeyRows are every user and access key: resetting a sandbox leaves them alone.
func userAndKeyRows(t *testing.T, s *Store) ([]User, []AccessKey) {
	t.Helper()
	var users []User
	var keys []AccessKey
	mustNoErr(t, s.db.Order("id").Find(&users).Error, "users")
	mustNoErr(t, s.db.Order("id").Find(&keys).Error, "keys")
	if len(users) == 0 || len(keys) == 0 {
		t.Fatalf("%d users, %d keys", len(users), len(keys))
	}
	return users, keys
}

// countQueries counts the statements the store sends to the database while fn runs.
func countQueries(t *testing.T, s *Store, fn func()) int {
	t.Helper()
	var n atomic.Int64
	count := func(db *gorm.DB) {
		if !db.DryRun { // GORM runs the callbacks of a subquery dry, to build its SQL
			n.Add(1)
		}
	}
	name := "test:count:" + RandomToken(4)
	cb := s.db.Callback()
	mustNoErr(t, cb.Query().Before("gorm:query").Register(name, count), "register query")
	mustNoErr(t, cb.Row().Before("gorm:row").Register(name, count), "register row")
	mustNoErr(t, cb.Raw().Before("gorm:raw").Register(name, count), "register raw")
	mustNoErr(t, cb.Create().Before("gorm:create").Register(name, count), "register create")
	mustNoErr(t, cb.Update().Before("gorm:update").Register(name, count), "register update")
	mustNoErr(t, cb.Delete().Before("gorm:delete").Register(name, count), "register delete")
	defer func() {
		_ = cb.Query().Remove(name)
		_ = cb.Row().Remove(name)
		_ = cb.Raw().Remove(name)
		_ = cb.Create().Remove(name)
		_ = cb.Update().Remove(name)
		_ = cb.Delete().Remove(name)
	}()
	fn()
	return int(n.Load())
}

// renamedLabs copies the labs under other IDs, to have more steps to evaluate.
func renamedLabs(labs []Lab, copies int) []Lab {
	var out []Lab
	for i := 0; i < copies; i++ {
		for _, l := range labs {
			l.ID = fmt.Sprintf("%s-%d", l.ID, i)
			out = append(out, l)
		}
	}
	return out
}

// Evaluating costs a few queries in all, whatever the number of sandboxes and steps.
func TestEvaluateLabsQueryCount(t *testing.T) {
	s, _, _ := openStore(t)
	labs := BuiltinLabs()
	ids := []string{traineeA, traineeB, "333333333333", "444444444444"}
	for _, id := range ids {
		newLabSandbox(t, s, id, labs)
	}
	evaluate := func(accounts []string, labs []Lab) int {
		return countQueries(t, s, func() {
			all, err := s.EvaluateLabsForAccounts(ctx, accounts, labs)
			mustNoErr(t, err, "EvaluateLabsForAccounts")
			if len(all) != len(accounts) {
				t.Fatalf("results for %d of %d accounts", len(all), len(accounts))
			}
		})
	}
	one := evaluate(ids[:1], labs)
	many := evaluate(append(ids, "555555555555"), renamedLabs(labs, 5)) // one more account, which does not exist
	// 9 queries of the EC2-Classic side, 5 of the VPC side (the explainer's VPC rules).
	if one != many || one > 14 {
		t.Errorf("queries: %d for one sandbox and %d steps, %d for %d sandboxes and %d steps", one, 21, many, len(ids)+1, 5*21)
	}
	// Only what the checks read is loaded.
	regionOnly := []Lab{{ID: "r", Steps: []Step{{Check: Check{Type: "region_vpc_only"}}, {Check: Check{Type: "region_classic", Region: "eu-west-1"}}}}}
	if n := evaluate(ids, regionOnly); n != 1 {
		t.Errorf("region checks took %d queries", n)
	}
	if n := evaluate(ids, nil); n != 0 {
		t.Errorf("no labs took %d queries", n)
	}
}

// Over 500 sandboxes are loaded in chunks, each sandbox with its own data.
func TestEvaluateLabsInChunks(t *testing.T) {
	s, _, _ := openStore(t)
	lab := builtinLab(t, "creating-a-security-group")
	var ids []string
	for i := 0; i < 1100; i++ {
		ids = append(ids, fmt.Sprintf("5%011d", i))
	}
	late := ids[1050] // in the third chunk
	newLabSandbox(t, s, late, []Lab{lab})
	_, err := s.CreateSecurityGroup(ctx, Scope{AccountID: late, Region: "us-east-1"}, "training-cache", "x")
	mustNoErr(t, err, "create")
	var all map[string][]LabProgress
	queries := countQueries(t, s, func() {
		all, err = s.EvaluateLabsForAccounts(ctx, ids, []Lab{lab})
		mustNoErr(t, err, "EvaluateLabsForAccounts")
	})
	if queries != 3 { // one table (cache security groups), three chunks
		t.Errorf("queries = %d", queries)
	}
	for i, id := range ids {
		want := "ttt"
		if id == late {
			want = "dtt"
		}
		if got := compact(stateList(all[id][0])); got != want {
			t.Fatalf("sandbox %d: %s, want %s", i, got, want)
		}
	}
}

var vpcGroupIDs = regexp.MustCompile(`sg-[0-9a-f]{17}`)

// Seeding a sandbox takes one statement per table, whatever the labs hold.
func TestSeedSandboxStatementCount(t *testing.T) {
	s, _, _ := openStore(t)
	for i, labs := range [][]Lab{BuiltinLabs(), nil, append(BuiltinLabs(), Lab{ID: "demo", Setup: Setup{Demo: true}})} {
		id := fmt.Sprintf("7%011d", i)
		mustNoErr(t, s.tx(ctx, func(tx *gorm.DB) error {
			_, err := ensureAccount(tx, id, s.now())
			return err
		}), "ensureAccount")
		n := countQueries(t, s, func() {
			mustNoErr(t, s.tx(ctx, func(tx *gorm.DB) error { return s.seedSandbox(tx, id, labs) }), "seedSandbox")
		})
		if n > 15 { // 9 tables of the EC2-Classic side, 6 of the demo's network (labs 0 has no demo: 9)
			t.Errorf("labs %d: seeding took %d statements", i, n)
		}
	}
}

// benchmarkSandboxes makes n sandboxes with the built-in labs, about a third of them part way
// through lab 1, in one transaction.
func benchmarkSandboxes(b *testing.B, n int) (*Store, []string) {
	b.Helper()
	path := b.TempDir() + "/bench.db"
	if base := os.Getenv("SGCONSOLE_TEST_POSTGRES"); base != "" {
		path = benchSchema(b, base)
	}
	s, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	labs := BuiltinLabs()
	ids := make([]string, n)
	err = s.tx(ctx, func(tx *gorm.DB) error {
		for i := range ids {
			ids[i] = fmt.Sprintf("8%011d", i)
			if _, err := ensureAccount(tx, ids[i], s.now()); err != nil {
				return err
			}
			if err := s.seedSandbox(tx, ids[i], labs); err != nil {
				return err
			}
			if i%3 == 0 {
				if err := tx.Create(&CacheSecurityGroup{AccountID: ids[i], Region: "us-east-1", Name: "training-cache", Description: "x", CreatedAt: s.now()}).Error; err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s, ids
}

// benchSchema is a schema of its own in the PostgreSQL database at base, for a benchmark run with
// SGCONSOLE_TEST_POSTGRES set, as postgresSchema is for a test.
func benchSchema(b *testing.B, base string) string {
	schema := "b_" + RandomToken(8)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if db, err := sql.Open("pgx", base); err == nil {
			_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// BenchmarkEvaluateLabs500 is the instructor dashboard's evaluation: 500 sandboxes, every step of
// every built-in lab.
func BenchmarkEvaluateLabs500(b *testing.B) {
	s, ids := benchmarkSandboxes(b, 500)
	labs := BuiltinLabs()
	cpu := processCPU()
	for b.Loop() {
		all, err := s.EvaluateLabsForAccounts(ctx, ids, labs)
		if err != nil || len(all) != len(ids) {
			b.Fatal(err)
		}
	}
	// The CPU time spent says more than the wall time on a machine shared with other work.
	b.ReportMetric(float64(processCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// processCPU is the CPU time the process has used, user and system.
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// BenchmarkSeedSandboxes500 creates and seeds 500 sandbox accounts with the built-in labs in one
// transaction, the sandbox part of creating a 500-trainee workshop.
func BenchmarkSeedSandboxes500(b *testing.B) {
	for b.Loop() {
		benchmarkSandboxes(b, 500)
	}
}
