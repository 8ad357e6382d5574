package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"sgconsole/models"
)

const oneAccount = "1 account"

// measure runs every phase on one backend, each on a server started for it: the single account's
// read rows, the same rows once the database holds cfg.accounts accounts, then the write row.
// Seeding happens while no server runs.
func measure(ctx context.Context, cfg config, b *backend, rep *report) error {
	start := time.Now()
	key, err := seedAdmin(ctx, b)
	if err != nil {
		return fmt.Errorf("seed the admin: %w", err)
	}
	if err := fillGroups(ctx, b, []string{models.DefaultAccountID}); err != nil {
		return err
	}
	rep.seeding = append(rep.seeding, fmt.Sprintf("%s, %s: %s", b.name, oneAccount, since(start)))
	if err := readRows(ctx, cfg, b, key, oneAccount, rep); err != nil {
		return fmt.Errorf("%s: %w", oneAccount, err)
	}

	large := accountsLabel(cfg.accounts)
	if cfg.accounts > 1 {
		if err := growToAccounts(ctx, cfg, b, rep); err != nil {
			return err
		}
		if err := readRows(ctx, cfg, b, key, large, rep); err != nil {
			return fmt.Errorf("%s: %w", large, err)
		}
	}

	start = time.Now()
	writers, err := seedWriters(ctx, b, writersFor(cfg.duration))
	if err != nil {
		return fmt.Errorf("seed writer accounts: %w", err)
	}
	rep.seeding = append(rep.seeding, fmt.Sprintf("%s, %d writer accounts with a user and an access key each: %s", b.name, len(writers), since(start)))
	if err := writeRow(ctx, cfg, b, writers, large, rep); err != nil {
		return fmt.Errorf("writes: %w", err)
	}
	return nil
}

// growToAccounts adds cfg.accounts-1 accounts of 50 groups to the admin's, and checks the count.
func growToAccounts(ctx context.Context, cfg config, b *backend, rep *report) error {
	start := time.Now()
	others := moreAccountIDs(cfg.accounts - 1)
	if err := seedAccounts(ctx, b, others); err != nil {
		return fmt.Errorf("seed accounts: %w", err)
	}
	accountsDone := since(start)
	if err := fillGroups(ctx, b, others); err != nil {
		return err
	}
	groups, err := countRows(ctx, b, "SELECT COUNT(*) FROM cache_security_groups WHERE region = '"+region+"'")
	if err != nil {
		return err
	}
	auths, err := countRows(ctx, b, "SELECT COUNT(*) FROM ec2_authorizations")
	if err != nil {
		return err
	}
	if want := cfg.accounts * groupsPerAccount; groups != want || auths != 3*want {
		return fmt.Errorf("the large database holds %d groups and %d authorizations in %s, want %d and %d", groups, auths, region, want, 3*want)
	}
	rep.seeding = append(rep.seeding, fmt.Sprintf("%s, %s (%d groups, %d authorizations in %s): %s (accounts through models %s, then the bulk insert)",
		b.name, accountsLabel(cfg.accounts), groups, auths, region, since(start), accountsDone))
	fmt.Fprintf(os.Stderr, "benchload: %s\n", rep.seeding[len(rep.seeding)-1])
	return nil
}

func since(t time.Time) string { return time.Since(t).Round(time.Millisecond).String() }

// accountsLabel is "1,000 accounts" for 1000.
func accountsLabel(n int) string {
	if n == 1 {
		return oneAccount
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s + " accounts"
}
