package models

import (
	"fmt"
	"sync"
	"testing"
)

// TestQuotaHoldsUnderConcurrentCreates fires more creates at once than the quota allows: exactly
// the quota is stored and every other call gets the quota fault, on SQLite and on PostgreSQL.
func TestQuotaHoldsUnderConcurrentCreates(t *testing.T) {
	s, _ := newStore(t)
	const attempts = 60
	errs := make([]error, attempts)
	var wg sync.WaitGroup
	for i := range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.CreateSecurityGroup(ctx, scopeUS, fmt.Sprintf("burst-%02d", i), "concurrent")
		}()
	}
	wg.Wait()
	created, refused := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			created++
		case HasCode(err, CodeSecurityGroupQuotaExceeded):
			refused++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if created != MaxSecurityGroupsPerRegion-1 || refused != attempts-created {
		t.Fatalf("created %d, refused %d; want %d created next to default", created, refused, MaxSecurityGroupsPerRegion-1)
	}
	if n := countRows(t, s, &CacheSecurityGroup{}, "account_id = ? AND region = ?", DefaultAccountID, "us-east-1"); n != MaxSecurityGroupsPerRegion {
		t.Fatalf("stored groups = %d, want %d", n, MaxSecurityGroupsPerRegion)
	}
}

// TestConcurrentDuplicatesCreateOneGroup sends the same name many times at once.
func TestConcurrentDuplicatesCreateOneGroup(t *testing.T) {
	s, _ := newStore(t)
	const attempts = 20
	errs := make([]error, attempts)
	var wg sync.WaitGroup
	for i := range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.CreateSecurityGroup(ctx, scopeUS, "Same-Name", "concurrent")
		}()
	}
	wg.Wait()
	created := 0
	for _, err := range errs {
		if err == nil {
			created++
		} else if !HasCode(err, CodeCacheSecurityGroupAlreadyExist) {
			t.Errorf("unexpected error: %v", err)
		}
	}
	if created != 1 {
		t.Fatalf("%d creates succeeded, want 1", created)
	}
}
