package web

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"sgconsole/models"
)

// Command is a parsed command line: `sgconsole [serve] [flags]` or `sgconsole reset-password [--db PATH] USER`.
type Command struct {
	Name             string // "serve" or "reset-password"
	Config           Config
	DB               string
	Demo             bool
	PropagationDelay time.Duration
	Username         string // for reset-password
	KeyFile          string // the key that encrypts access key secrets
}

// ParseCommand reads the arguments, with SGCONSOLE_ADDR and SGCONSOLE_DB as fallbacks for the flags.
func ParseCommand(args []string, getenv func(string) string, stderr io.Writer) (Command, error) {
	cmd := Command{Name: "serve"}
	if len(args) > 0 && (args[0] == "serve" || args[0] == "reset-password") {
		cmd.Name, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("sgconsole "+cmd.Name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cmd.DB, "db", orDefault(getenv("SGCONSOLE_DB"), "sgconsole.db"), "SQLite database file, or a postgres:// URL (env SGCONSOLE_DB)")
	fs.StringVar(&cmd.KeyFile, "key-file", getenv("SGCONSOLE_KEY_FILE"), "file with the key that encrypts access key secrets; default DB.key beside a SQLite file, required with PostgreSQL (env SGCONSOLE_KEY_FILE)")
	if cmd.Name == "serve" {
		fs.StringVar(&cmd.Config.Addr, "addr", orDefault(getenv("SGCONSOLE_ADDR"), "127.0.0.1:8080"), "listen address (env SGCONSOLE_ADDR)")
		fs.BoolVar(&cmd.Demo, "demo", false, "fill an empty database with demo data")
		fs.DurationVar(&cmd.PropagationDelay, "propagation-delay", models.DefaultPropagationDelay, "how long authorizations and revocations stay pending")
		fs.BoolVar(&cmd.Config.SecureCookies, "secure-cookies", false, "mark cookies Secure (serve behind HTTPS)")
	}
	if err := fs.Parse(args); err != nil {
		return cmd, err
	}
	if cmd.KeyFile == "" && !models.IsPostgres(cmd.DB) && cmd.DB != "" {
		cmd.KeyFile = cmd.DB + ".key"
	}
	if cmd.Name == "serve" && cmd.KeyFile == "" && models.IsPostgres(cmd.DB) {
		return cmd, errors.New("with a PostgreSQL database, set --key-file (or SGCONSOLE_KEY_FILE) so every instance shares the key that encrypts access key secrets")
	}
	if cmd.PropagationDelay < 0 {
		return cmd, errors.New("--propagation-delay cannot be negative")
	}
	if cmd.Name == "reset-password" {
		if fs.NArg() != 1 {
			return cmd, errors.New("usage: sgconsole reset-password [--db PATH] USERNAME")
		}
		cmd.Username = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return cmd, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return cmd, nil
}

func orDefault(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

// Bootstrap prepares a database for serving: the default account, the admin user and, if asked,
// the demo. It returns the sign-in instructions to print.
func Bootstrap(ctx context.Context, store *models.Store, cmd Command, getenv func(string) string) (string, error) {
	if len(store.SecretKey) == 0 {
		key, err := secretKey(cmd.KeyFile)
		if err != nil {
			return "", err
		}
		store.SecretKey = key
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
	return fmt.Sprintf("Sign in as %q with the password printed when %s was created. Lost it? Run: make reset-password (or: sgconsole reset-password --db %s %s)%s",
		models.AdminUsername, dbLabel(cmd.DB), dbLabel(cmd.DB), models.AdminUsername, keys), nil
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
	return fmt.Sprintf("\nAPI: access key ID %s, secret access key %s (shown only now; manage keys under Security credentials).",
		key.AccessKeyID, key.SecretAccessKey), nil
}

// secretKey loads the key that encrypts access key secrets, or makes a throwaway one when no key
// file is named (tests that build a Command by hand).
func secretKey(keyFile string) ([]byte, error) {
	if keyFile == "" {
		key := make([]byte, 32)
		_, err := rand.Read(key)
		return key, err
	}
	return models.LoadOrCreateKeyFile(keyFile)
}

// dbLabel names the database in messages without the credentials a PostgreSQL URL may carry.
func dbLabel(db string) string {
	if models.IsPostgres(db) {
		return "'postgres://…'"
	}
	return db
}
