package main

import (
	"context"
	"os"
	"testing"

	"sgconsole/models"
)

// The bulk insert bypasses the models, so the models must read what it wrote as they would read
// groups they made: every account 50 groups in us-east-1, each with three authorized EC2 groups.
func TestFillGroupsGivesEveryAccountFiftyAuthorizedGroups(t *testing.T) {
	backends := map[string]func() (*backend, error){"SQLite": func() (*backend, error) { return sqliteBackend(t.TempDir()) }}
	if pg := os.Getenv("SGCONSOLE_TEST_POSTGRES"); pg != "" {
		backends["PostgreSQL"] = func() (*backend, error) { return postgresBackend(context.Background(), pg, t.TempDir(), 2) }
	}
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			b, err := open()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if err := b.cleanup(); err != nil {
					t.Error(err)
				}
			})
			if _, err := seedAdmin(ctx, b); err != nil {
				t.Fatal(err)
			}
			others := moreAccountIDs(accountsPerBatch + 1) // two batches
			if err := seedAccounts(ctx, b, others); err != nil {
				t.Fatal(err)
			}
			if err := fillGroups(ctx, b, append([]string{models.DefaultAccountID}, others...)); err != nil {
				t.Fatal(err)
			}
			store, err := models.Open(b.db)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			for _, account := range []string{models.DefaultAccountID, others[0], others[len(others)-1]} {
				groups, _, err := store.DescribeSecurityGroups(ctx, models.Scope{AccountID: account, Region: region}, "", "", 100)
				if err != nil {
					t.Fatal(err)
				}
				if len(groups) != groupsPerAccount {
					t.Fatalf("account %s has %d groups, want %d", account, len(groups), groupsPerAccount)
				}
				for _, g := range groups {
					if len(g.EC2SecurityGroups) != 3 {
						t.Fatalf("group %s of %s has %d EC2 security groups, want 3", g.Name, account, len(g.EC2SecurityGroups))
					}
					for _, e := range g.EC2SecurityGroups {
						if e.Status != models.StatusAuthorized {
							t.Fatalf("group %s of %s: %s is %s, want authorized", g.Name, account, e.Name, e.Status)
						}
					}
				}
			}
			// The region is full, as the write row's arithmetic assumes.
			_, err = store.CreateSecurityGroup(ctx, models.Scope{AccountID: others[0], Region: region}, "one-too-many", "x")
			if !models.HasCode(err, models.CodeSecurityGroupQuotaExceeded) {
				t.Fatalf("creating a 51st group: %v, want %s", err, models.CodeSecurityGroupQuotaExceeded)
			}
		})
	}
}
