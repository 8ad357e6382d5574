package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"sgconsole/models"
)

// Command is what `sgconsole serve` was told (package web/cli parses it): where to listen, which
// database and key file, and how the store behaves. Bootstrap uses DB, KeyFile and Demo.
type Command struct {
	Config           Config
	DB               string
	KeyFile          string // the key that encrypts access key secrets
	Demo             bool
	PropagationDelay time.Duration
	SessionIdle      time.Duration
	// Pool bounds the PostgreSQL connections (--db-max-conns) and how long a request waits for one
	// (--db-wait).
	Pool models.Options
}

// Bootstrap prepares a database for serving: the default account, the admin user and, if asked,
// the demo. It returns the sign-in instructions to print.
func Bootstrap(ctx context.Context, store *models.Store, cmd Command, getenv func(string) string) (string, error) {
	if len(store.SecretKey) == 0 {
		if err := useSecretKey(ctx, store, cmd.KeyFile); err != nil {
			return "", err
		}
	}
	if _, err := store.EnsureAccount(ctx, models.DefaultAccountID); err != nil {
		return "", err
	}
	created, password, err := store.EnsureAdmin(ctx, getenv("SGCONSOLE_ADMIN_PASSWORD"))
	if err != nil {
		return "", err
	}
	if cmd.Demo {
		if _, err := store.SeedDemo(ctx, models.DefaultAccountID); err != nil {
			return "", err
		}
	}
	keys, err := bootstrapAccessKey(ctx, store, created, getenv)
	if err != nil {
		return "", err
	}
	switch {
	case password != "":
		return fmt.Sprintf("Sign in as %q with password %s (shown only now).%s", models.AdminUsername, password, keys), nil
	case created:
		return fmt.Sprintf("Sign in as %q with the password in SGCONSOLE_ADMIN_PASSWORD.%s", models.AdminUsername, keys), nil
	}
	return fmt.Sprintf("Sign in as %q with the password printed when %s was created.\nLost it? Run: %s%s",
		models.AdminUsername, dbLabel(cmd.DB), resetPasswordHint(cmd.DB), keys), nil
}

// resetPasswordHint is the command that gives the admin a new password in this database.
func resetPasswordHint(db string) string {
	if db == "" || models.IsPostgres(db) {
		return fmt.Sprintf("sgconsole reset-password --db %s %s", dbLabel(db), models.AdminUsername)
	}
	return fmt.Sprintf("make reset-password DB=%s (or: sgconsole reset-password --db %s %s)", db, db, models.AdminUsername)
}

// bootstrapAccessKey gives the admin an API key pair: the one in SGCONSOLE_ADMIN_ACCESS_KEY_ID and
// SGCONSOLE_ADMIN_SECRET_ACCESS_KEY, or on a new database a generated one, shown once.
func bootstrapAccessKey(ctx context.Context, store *models.Store, adminCreated bool, getenv func(string) string) (string, error) {
	admin, err := store.UserByName(ctx, models.AdminUsername)
	if err != nil {
		return "", err
	}
	if id, secret := getenv("SGCONSOLE_ADMIN_ACCESS_KEY_ID"), getenv("SGCONSOLE_ADMIN_SECRET_ACCESS_KEY"); id != "" || secret != "" {
		if err := store.ImportAccessKey(ctx, admin.ID, models.NewAccessKey{AccessKeyID: id, SecretAccessKey: secret}); err != nil {
			return "", fmt.Errorf("SGCONSOLE_ADMIN_ACCESS_KEY_ID/SECRET_ACCESS_KEY: %w", err)
		}
		return fmt.Sprintf("\nAPI: access key %s from SGCONSOLE_ADMIN_ACCESS_KEY_ID.", id), nil
	}
	if !adminCreated {
		return "", nil
	}
	key, err := store.CreateAccessKey(ctx, admin.ID)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("\nAPI access key ID: %s\nAPI secret access key: %s (shown only now)\nManage access keys under Security credentials.",
		key.AccessKeyID, key.SecretAccessKey), nil
}

// useSecretKey loads the key that encrypts access key secrets, checked against the database's
// fingerprint, or makes a throwaway one when no key file is named (tests that build a Command by
// hand).
func useSecretKey(ctx context.Context, store *models.Store, keyFile string) error {
	if keyFile == "" {
		store.SecretKey = make([]byte, 32)
		_, err := rand.Read(store.SecretKey)
		return err
	}
	return store.UseKeyFile(ctx, keyFile)
}

// dbLabel names the database in messages without the credentials a PostgreSQL URL may carry.
func dbLabel(db string) string {
	if models.IsPostgres(db) {
		return "'postgres://…'"
	}
	return db
}
