package models

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A read whose view is cached costs one statement (the version check) and no transaction; two
// reads in one request with request versions cost one statement between them.
func TestCachedReadsCostOneVersionCheck(t *testing.T) {
	s, _ := newStore(t)
	for i := 0; i < 20; i++ {
		mustCreate(t, s, scopeUS, fmt.Sprintf("group-%02d", i), "a group")
	}
	mustList(t, s, scopeUS, ListOptions{Size: 100}) // loads the view
	c := countStatements(t, s)
	mustList(t, s, scopeUS, ListOptions{Size: 100})
	mustGet(t, s, scopeUS, "group-07")
	if r, w, b := c.reads.Load(), c.writes.Load(), c.begins.Load(); r != 2 || w != 0 || b != 0 {
		t.Errorf("two cached reads: %d reads, %d writes, %d transactions; want 2, 0, 0", r, w, b)
	}
	c.reset()
	req := WithRequestVersions(ctx)
	if _, err := s.RegionPlatform(req, scopeUS); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ListSecurityGroups(req, scopeUS, ListOptions{Size: 100}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClustersUsingGroup(req, scopeUS, "group-07"); err != nil {
		t.Fatal(err)
	}
	if r := c.reads.Load(); r != 1 {
		t.Errorf("platform, list and clusters in one request: %d reads, want 1", r)
	}
	// A write in the same request is seen by the request's next read.
	if _, err := s.CreateSecurityGroup(req, scopeUS, "written-in-request", "new"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetSecurityGroup(req, scopeUS, "written-in-request"); err != nil {
		t.Errorf("read after a write in the same request: %v", err)
	}
}

// Every kind of write of a scope moves its version, so no read serves the view from before it.
func TestEveryWriteMovesTheScopeVersion(t *testing.T) {
	s, _ := newStore(t)
	version := func() viewKey {
		t.Helper()
		k, _, err := scopeVersion(s.db, scopeUS)
		mustNoErr(t, err, "version")
		return k
	}
	writes := []struct {
		name string
		run  func() error
	}{
		{"create group", func() error { _, err := s.CreateSecurityGroup(ctx, scopeUS, "web", "web tier"); return err }},
		{"create EC2 group", func() error {
			_, err := s.CreateEC2SecurityGroup(ctx, scopeUS, "app", "app", PlatformClassic)
			return err
		}},
		{"authorize", func() error { _, err := s.AuthorizeIngress(ctx, scopeUS, "web", "app", DefaultAccountID); return err }},
		{"revoke", func() error { _, err := s.RevokeIngress(ctx, scopeUS, "web", "app", DefaultAccountID); return err }},
		{"create cluster", func() error { _, err := s.CreateCluster(ctx, scopeUS, classicCluster("c1", "web")); return err }},
		{"tag", func() error {
			_, err := s.AddTags(ctx, scopeUS, SecurityGroupARN(scopeUS, "web"), []Tag{{Key: "team", Value: "a"}})
			return err
		}},
		{"switch to VPC", func() error { return s.SetRegionPlatform(ctx, scopeUS, PlatformVPC) }},
		{"switch back", func() error { return s.SetRegionPlatform(ctx, scopeUS, PlatformClassic) }},
		{"reset sandbox", func() error { return s.ResetSandbox(ctx, DefaultAccountID, nil) }},
	}
	for _, w := range writes {
		before := version()
		mustNoErr(t, w.run(), w.name)
		if after := version(); after == before {
			t.Errorf("%s: version stayed %+v", w.name, after)
		}
	}
	// A refused write changes nothing, the version included.
	before := version()
	if _, err := s.CreateSecurityGroup(ctx, scopeUS, "default", "again"); err == nil {
		t.Fatal("duplicate create succeeded")
	}
	if after := version(); after != before {
		t.Errorf("refused create moved the version from %+v to %+v", before, after)
	}
}

// Two stores on one database stand for two instances: a write through one is seen by the very
// next read through the other, although that one had the scope cached.
func TestTwoInstancesNeverServeAStaleView(t *testing.T) {
	a, clk, path := openStore(t)
	mustNoErr(t, errOf(a.EnsureAccount(ctx, DefaultAccountID)), "account")
	b, err := Open(path)
	mustNoErr(t, err, "open second instance")
	t.Cleanup(func() { _ = b.Close() })
	b.Now, b.PropagationDelay = clk.Now, a.PropagationDelay
	for i := 0; i < 10; i++ {
		name := fmt.Sprintf("round-%d", i)
		mustList(t, b, scopeUS, ListOptions{}) // b caches the scope
		mustCreate(t, a, scopeUS, name, "through a")
		if got := mustGet(t, b, scopeUS, name); got.Description != "through a" {
			t.Fatalf("round %d: b sees %+v", i, got)
		}
		mustAuthorize(t, b, scopeUS, name, "app", "111122223333")
		wantGrants(t, mustGet(t, a, scopeUS, name), "app/111122223333=authorizing")
		mustNoErr(t, a.DeleteSecurityGroup(ctx, scopeUS, name), "delete through a")
		if _, err := b.GetSecurityGroup(ctx, scopeUS, name); err == nil {
			t.Fatalf("round %d: b still shows %s after a deleted it", i, name)
		}
		if names := listNames(mustList(t, b, scopeUS, ListOptions{})); strings.Contains(strings.Join(names, " "), name) {
			t.Fatalf("round %d: b lists %v", i, names)
		}
	}
}

// A cached Describe answer is encoded again when the scope changes and when a pending status is
// due to change with time, and not otherwise.
func TestEncodedDescribeIsRebuiltOnlyWhenTheAnswerChanges(t *testing.T) {
	s, clk := newStore(t)
	mustCreate(t, s, scopeUS, "web", "web tier")
	encodes := 0
	describe := func(name string, limit int) string {
		t.Helper()
		body, err := s.EncodedDescribeSecurityGroups(ctx, scopeUS, name, "", limit, func(groups []SecurityGroup, next string) ([]byte, error) {
			encodes++
			var b strings.Builder
			for _, g := range groups {
				fmt.Fprintf(&b, "%s:%s;", g.Name, strings.Join(grants(g), ","))
			}
			return []byte(b.String() + "next=" + next), nil
		})
		mustNoErr(t, err, "describe")
		return string(body)
	}
	first := describe("", 100)
	if again := describe("", 100); again != first || encodes != 1 {
		t.Fatalf("unchanged scope: %q then %q with %d encodes, want the same bytes from 1", first, again, encodes)
	}
	if one := describe("web", 100); one != "web:;next=" || encodes != 2 {
		t.Errorf("named describe = %q after %d encodes: a different question is not the cached answer", one, encodes)
	}
	mustAuthorize(t, s, scopeUS, "web", "app", "111122223333")
	if got := describe("", 100); !strings.Contains(got, "web:app/111122223333=authorizing;") || encodes != 3 {
		t.Fatalf("after authorize: %q (%d encodes)", got, encodes)
	}
	clk.Advance(5 * time.Second)
	if got := describe("", 100); !strings.Contains(got, "=authorizing") || encodes != 3 {
		t.Errorf("5 s later, nothing due yet: %q (%d encodes, want the cached 3)", got, encodes)
	}
	clk.Advance(5 * time.Second)
	if got := describe("", 100); !strings.Contains(got, "web:app/111122223333=authorized;") || encodes != 4 {
		t.Errorf("after the propagation delay: %q (%d encodes), want authorized from a fresh encode", got, encodes)
	}
}

// The views kept are bounded: the least recently read scope goes first.
func TestViewCacheKeepsTheMostRecentlyRead(t *testing.T) {
	c := newViewCache(2)
	scopes := []Scope{{AccountID: "1", Region: "r"}, {AccountID: "2", Region: "r"}, {AccountID: "3", Region: "r"}}
	for i, sc := range scopes[:2] {
		c.put(sc, &scopeView{key: viewKey{rowID: uint(i + 1)}})
	}
	if c.get(scopes[0], viewKey{rowID: 1}) == nil {
		t.Fatal("first view missing")
	}
	c.put(scopes[2], &scopeView{key: viewKey{rowID: 3}})
	if c.get(scopes[1], viewKey{rowID: 2}) != nil {
		t.Error("the least recently read view is still cached")
	}
	if c.get(scopes[0], viewKey{rowID: 1}) == nil || c.get(scopes[2], viewKey{rowID: 3}) == nil {
		t.Error("a recently read view was evicted")
	}
	if c.get(scopes[0], viewKey{rowID: 1, version: 1}) != nil {
		t.Error("a view was served for another version")
	}
}

func errOf[T any](_ T, err error) error { return err }

// An API call's key lookup also reads the version of the user's account in the signed region, so
// a cached Describe costs that one statement in all; a region without a row reads nothing extra.
func TestKeyLookupChecksTheScopeVersion(t *testing.T) {
	s, u := newKeyStore(t)
	k, err := s.CreateAccessKey(ctx, u.ID)
	mustNoErr(t, err, "CreateAccessKey")
	scope := Scope{AccountID: u.AccountID, Region: "us-east-1"}
	mustList(t, s, scope, ListOptions{}) // the view is cached
	c := countStatements(t, s)
	call := WithRequestVersions(ctx)
	use, err := s.LookupKeyUseIn(call, k.AccessKeyID, "us-east-1")
	mustNoErr(t, err, "LookupKeyUseIn")
	if use.Secret != k.SecretAccessKey || use.User.ID != u.ID {
		t.Fatalf("LookupKeyUseIn = %+v", use)
	}
	if _, _, err := s.DescribeSecurityGroups(call, scope, "", "", 100); err != nil {
		t.Fatal(err)
	}
	if n := c.reads.Load(); n != 1 {
		t.Errorf("key lookup and a cached Describe: %d statements, want 1", n)
	}
	// A write through another request is seen by the next call's lookup.
	mustCreate(t, s, scope, "after-lookup", "new")
	next := WithRequestVersions(ctx)
	_, err = s.LookupKeyUseIn(next, k.AccessKeyID, "us-east-1")
	mustNoErr(t, err, "LookupKeyUseIn")
	if _, err := s.GetSecurityGroup(next, scope, "after-lookup"); err != nil {
		t.Errorf("the next call does not see the write: %v", err)
	}
	if _, err := s.LookupKeyUseIn(WithRequestVersions(ctx), k.AccessKeyID, "mars-1"); err != nil {
		t.Errorf("lookup with an unknown region: %v (the region is refused later, by the signature check)", err)
	}
}
