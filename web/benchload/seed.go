package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"sgconsole/models"
)

// The models API creates what has rules attached (accounts with their regions and default groups,
// users, access keys sealed with the key file); the groups and authorizations that make the volume
// are bulk-inserted with plain SQL (bulk.go).

// seedConns bounds the seeder's PostgreSQL connections (the machine's max_connections is shared).
const seedConns = 4

// openSeeder opens the backend's database through models, with the key file serve will use and
// bcrypt's cheapest cost, so seeding users takes milliseconds (sign-in checks whatever cost a hash has).
func openSeeder(ctx context.Context, b *backend) (*models.Store, error) {
	store, err := models.OpenWith(b.db, models.Options{MaxConns: seedConns})
	if err != nil {
		return nil, err
	}
	store.PasswordCost = bcrypt.MinCost
	if err := store.UseKeyFile(ctx, b.keyFile); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

// memberUsername is a member of the admin's account: the same list page without the admin's
// account selector, which names every account.
const memberUsername = "bench-member"

// seedAdmin creates the admin (in models.DefaultAccountID, which gets its regions and default
// groups), one access key for it, and a member user of the same account.
func seedAdmin(ctx context.Context, b *backend) (models.NewAccessKey, error) {
	store, err := openSeeder(ctx, b)
	if err != nil {
		return models.NewAccessKey{}, err
	}
	defer store.Close()
	if _, _, err := store.EnsureAdmin(ctx, adminPassword); err != nil {
		return models.NewAccessKey{}, err
	}
	if _, err := store.CreateUser(ctx, models.NewUser{Username: memberUsername, Role: models.RoleMember, AccountID: models.DefaultAccountID, Password: adminPassword}); err != nil {
		return models.NewAccessKey{}, err
	}
	admin, err := store.UserByName(ctx, models.AdminUsername)
	if err != nil {
		return models.NewAccessKey{}, err
	}
	return store.CreateAccessKey(ctx, admin.ID)
}

// moreAccountIDs names the accounts added to the admin's for the large database: 3 and 11 digits.
func moreAccountIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("3%011d", i+1)
	}
	return ids
}

// seedAccounts creates accounts with every region on EC2-Classic and its default group, one
// transaction each. PostgreSQL takes them from a few connections at once (each is mostly round
// trips); SQLite has one writer anyway.
func seedAccounts(ctx context.Context, b *backend, ids []string) error {
	store, err := openSeeder(ctx, b)
	if err != nil {
		return err
	}
	defer store.Close()
	workers := 1
	if b.driver == "pgx" {
		workers = seedConns
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(ids) && errs[w] == nil; i += workers {
				_, errs[w] = store.EnsureAccount(ctx, ids[i])
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// writer is an account the write row creates groups in, through its member's access key.
type writer struct {
	accountID string
	key       models.NewAccessKey
}

// seedWriters creates n accounts, each with a member user and one access key.
func seedWriters(ctx context.Context, b *backend, n int) ([]writer, error) {
	store, err := openSeeder(ctx, b)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	writers := make([]writer, n)
	for i := range writers {
		id := fmt.Sprintf("4%011d", i+1)
		u, err := store.CreateUser(ctx, models.NewUser{Username: fmt.Sprintf("bench-writer-%d", i+1), Role: models.RoleMember, AccountID: id, Password: adminPassword})
		if err != nil {
			return nil, err
		}
		key, err := store.CreateAccessKey(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		writers[i] = writer{accountID: id, key: key}
	}
	return writers, nil
}
