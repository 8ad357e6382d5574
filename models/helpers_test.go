package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx" for database/sql
)

// otherAccountID is a second tenant used to prove isolation.
const otherAccountID = "210987654321"

var (
	ctx      = context.Background()
	t0       = time.Date(2022, time.August, 1, 12, 0, 0, 123456000, time.UTC) // microseconds: what PostgreSQL keeps
	scopeUS  = Scope{AccountID: DefaultAccountID, Region: "us-east-1"}
	scopeUSW = Scope{AccountID: DefaultAccountID, Region: "us-west-2"}
)

// testClock is the controllable clock installed as Store.Now.
type testClock struct{ now time.Time }

func (c *testClock) Now() time.Time          { return c.now }
func (c *testClock) Set(t time.Time)         { c.now = t }
func (c *testClock) Advance(d time.Duration) { c.now = c.now.Add(d) }

// openStore opens a store on a fresh SQLite file with the clock at t0 and a 10s propagation delay,
// without creating any account.
func openStore(t testing.TB) (*Store, *testClock, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	if base := os.Getenv("SGCONSOLE_TEST_POSTGRES"); base != "" {
		path = postgresSchema(t, base)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	clk := &testClock{now: t0}
	s.Now = clk.Now
	s.PropagationDelay = 10 * time.Second
	return s, clk, path
}

// newStore is openStore plus the default account (all regions EC2-Classic).
func newStore(t testing.TB) (*Store, *testClock) {
	t.Helper()
	s, clk, _ := openStore(t)
	if _, err := s.EnsureAccount(ctx, DefaultAccountID); err != nil {
		t.Fatalf("EnsureAccount: %v", err)
	}
	return s, clk
}

// wantError asserts err is a domain *Error with the given code (and message, when msg != "").
func wantError(t *testing.T, err error, code, msg string) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	e, ok := AsError(err)
	if !ok {
		t.Fatalf("got %T %v, want *Error with code %s", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("code = %q, want %q (message %q)", e.Code, code, e.Message)
	}
	if msg != "" && e.Message != msg {
		t.Fatalf("message = %q, want %q", e.Message, msg)
	}
	if !HasCode(err, code) {
		t.Fatalf("HasCode(err, %q) = false", code)
	}
	return e
}

func mustNoErr(t testing.TB, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// countRows counts rows of model's table matching where (everything when where is "").
func countRows(t testing.TB, s *Store, model any, where string, args ...any) int64 {
	t.Helper()
	q := s.db.Model(model)
	if where != "" {
		q = q.Where(where, args...)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		t.Fatalf("count: %v", err)
	}
	return n
}

// groupRows returns every stored cache security group row in ID order.
func groupRows(t *testing.T, s *Store) []CacheSecurityGroup {
	t.Helper()
	var rows []CacheSecurityGroup
	if err := s.db.Order("id").Find(&rows).Error; err != nil {
		t.Fatalf("group rows: %v", err)
	}
	return rows
}

// authRows returns every stored authorization row in ID order.
func authRows(t *testing.T, s *Store) []EC2Authorization {
	t.Helper()
	var rows []EC2Authorization
	if err := s.db.Order("id").Find(&rows).Error; err != nil {
		t.Fatalf("authorization rows: %v", err)
	}
	return rows
}

// snapshot captures the mutable domain tables so a failed call can be shown to have written nothing.
type snapshot struct {
	Groups  []CacheSecurityGroup
	Auths   []EC2Authorization
	Regions []RegionSetting
}

func takeSnapshot(t *testing.T, s *Store) snapshot {
	t.Helper()
	var regions []RegionSetting
	if err := s.db.Order("id").Find(&regions).Error; err != nil {
		t.Fatalf("region rows: %v", err)
	}
	return snapshot{Groups: groupRows(t, s), Auths: authRows(t, s), Regions: regions}
}

func assertUnchanged(t *testing.T, s *Store, before snapshot) {
	t.Helper()
	after := takeSnapshot(t, s)
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("database changed after a failed call:\nbefore %+v\nafter  %+v", before, after)
	}
}

func mustCreate(t *testing.T, s *Store, scope Scope, name, description string) SecurityGroup {
	t.Helper()
	g, err := s.CreateSecurityGroup(ctx, scope, name, description)
	if err != nil {
		t.Fatalf("CreateSecurityGroup(%s, %q): %v", scope.Region, name, err)
	}
	return g
}

func mustGet(t *testing.T, s *Store, scope Scope, name string) SecurityGroup {
	t.Helper()
	g, err := s.GetSecurityGroup(ctx, scope, name)
	if err != nil {
		t.Fatalf("GetSecurityGroup(%s, %q): %v", scope.Region, name, err)
	}
	return g
}

func mustAuthorize(t *testing.T, s *Store, scope Scope, group, ec2Name, owner string) SecurityGroup {
	t.Helper()
	g, err := s.AuthorizeIngress(ctx, scope, group, ec2Name, owner)
	if err != nil {
		t.Fatalf("AuthorizeIngress(%s, %s, %s): %v", group, ec2Name, owner, err)
	}
	return g
}

// grants renders a group's EC2 entries as "name/owner=status" for compact comparisons.
func grants(g SecurityGroup) []string {
	out := []string{}
	for _, e := range g.EC2SecurityGroups {
		out = append(out, e.Name+"/"+e.OwnerID+"="+string(e.Status))
	}
	return out
}

func wantGrants(t *testing.T, g SecurityGroup, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if got := grants(g); !reflect.DeepEqual(got, want) {
		t.Fatalf("group %s grants = %q, want %q", g.Name, got, want)
	}
}

// listNames returns the names of a page's items.
func listNames(p SecurityGroupPage) []string {
	out := []string{}
	for _, g := range p.Items {
		out = append(out, g.Name)
	}
	return out
}

func mustList(t *testing.T, s *Store, scope Scope, opts ListOptions) SecurityGroupPage {
	t.Helper()
	p, err := s.ListSecurityGroups(ctx, scope, opts)
	if err != nil {
		t.Fatalf("ListSecurityGroups(%s, %+v): %v", scope.Region, opts, err)
	}
	return p
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// postgresSchema gives the test a schema of its own in the PostgreSQL database at base (make test
// sets SGCONSOLE_TEST_POSTGRES to run this whole suite a second time there) and returns its URL.
func postgresSchema(t testing.TB, base string) string {
	t.Helper()
	schema := fmt.Sprintf("t_%s", RandomToken(8))
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("PostgreSQL at %s: %v", base, err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("PostgreSQL at %s is not reachable (start it, or unset SGCONSOLE_TEST_POSTGRES): %v", base, err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", base); err == nil {
			_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
