package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"sgconsole/models"
)

// newUserPasswordEnv names the variable whose password `user create` uses instead of generating one.
const newUserPasswordEnv = "SGCONSOLE_NEW_USER_PASSWORD"

var (
	userCreateCommand = &command{
		name:     "user create",
		synopsis: "[--db PATH] [--key-file PATH] --role admin|member|viewer [--account ID] USERNAME",
		summary:  "Create a user (in a new account without --account); print its password alone on the last line.",
		run:      runUserCreate,
	}
	userListCommand = &command{
		name:     "user list",
		synopsis: "[--db PATH]",
		summary:  "List the users: name, role, account, status, creation and last sign-in.",
		run:      runUserList,
	}
	userDisableCommand = &command{
		name:     "user disable",
		synopsis: "[--db PATH] USERNAME",
		summary:  "Disable a user: the user's sessions end and access keys stop working. The last enabled admin stays.",
		run: func(ctx context.Context, e env, c *command, args []string) error {
			return runSetDisabled(ctx, e, c, args, true)
		},
	}
	userEnableCommand = &command{
		name:     "user enable",
		synopsis: "[--db PATH] USERNAME",
		summary:  "Enable a disabled user again.",
		run: func(ctx context.Context, e env, c *command, args []string) error {
			return runSetDisabled(ctx, e, c, args, false)
		},
	}
)

func runUserCreate(ctx context.Context, e env, c *command, args []string) error {
	fs := newFlagSet(c, e)
	var db dbFlags
	db.register(fs, e.getenv)
	role := fs.String("role", "", "the user's role: admin, member or viewer (required)")
	account := fs.String("account", "", "the user's 12-digit account ID, created if it does not exist (default: a new account)")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	if *role == "" {
		return usageErrorf(fs, "--role is required: admin, member or viewer")
	}
	n := models.NewUser{Username: pos[0], Role: models.Role(*role), AccountID: *account, Password: e.getenv(newUserPasswordEnv)}
	// Refuse bad input before opening the database, so a mistake never creates a database file;
	// CreateUser checks the same rules again.
	if err := checkNewUser(n); err != nil {
		return err
	}
	store, err := models.Open(db.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	created, err := store.CreateUser(ctx, n)
	if err != nil {
		return err
	}
	where := "account " + created.AccountID
	if created.AccountCreated {
		where = "new account " + created.AccountID
	}
	fmt.Fprintf(e.stdout, "Created %s %s in %s.\n", created.Role, created.Username, where)
	if created.GeneratedPassword != "" {
		fmt.Fprintln(e.stdout, created.GeneratedPassword) // alone on the last line, for scripts
	} else {
		fmt.Fprintf(e.stdout, "Password taken from %s.\n", newUserPasswordEnv)
	}
	if created.Role != models.RoleAdmin {
		warnWithoutAdmin(ctx, e, store, db.DB)
	}
	return nil
}

// checkNewUser applies models' rules for a new user's name, role, account and password, reporting
// every problem at once and naming where the password came from.
func checkNewUser(n models.NewUser) error {
	var problems []string
	add := func(prefix string, err error) {
		if err != nil {
			problems = append(problems, prefix+errorText(err))
		}
	}
	add("", models.ValidateUsername(n.Username))
	_, err := models.ParseRole(string(n.Role))
	add("--role: ", err)
	if n.AccountID != "" && !models.ValidAccountID(n.AccountID) {
		problems = append(problems, "--account: An account ID is 12 digits.")
	}
	if n.Password != "" {
		add(newUserPasswordEnv+": ", models.ValidatePassword("password", n.Password))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, " "))
	}
	return nil
}

// warnWithoutAdmin notes on standard error when no enabled admin exists, since serve creates
// admin only in a database without users.
func warnWithoutAdmin(ctx context.Context, e env, store *models.Store, db string) {
	users, err := store.ListUsers(ctx)
	if err != nil {
		return
	}
	for _, u := range users {
		if u.Role == models.RoleAdmin && u.Enabled() {
			return
		}
	}
	fmt.Fprintf(e.stderr, "sgconsole: note: the database has no enabled admin to manage users in the console; create one with: sgconsole user create --db %s --role admin USERNAME\n", dbLabel(db))
}

func runUserList(ctx context.Context, e env, c *command, args []string) error {
	fs := newFlagSet(c, e)
	var db dbFlags
	db.register(fs, e.getenv)
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	store, err := db.openExisting()
	if err != nil {
		return err
	}
	defer store.Close()
	users, err := store.ListUsers(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "USERNAME\tROLE\tACCOUNT\tSTATUS\tCREATED\tLAST SIGN-IN")
	for _, u := range users {
		status := "enabled"
		if !u.Enabled() {
			status = "disabled"
		}
		lastSignIn := "never"
		if u.LastSignInAt != nil {
			lastSignIn = timestamp(*u.LastSignInAt)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Username, u.Role, u.AccountID, status, timestamp(u.CreatedAt), lastSignIn)
	}
	return w.Flush()
}

// timestamp prints a time in UTC without spaces, so each column stays one field for scripts.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func runSetDisabled(ctx context.Context, e env, c *command, args []string, disabled bool) error {
	fs := newFlagSet(c, e)
	var db dbFlags
	db.register(fs, e.getenv)
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	store, err := db.openExisting()
	if err != nil {
		return err
	}
	defer store.Close()
	// Actor 0: the command line is nobody's session, so only the last-admin rule applies.
	if err := store.SetUserDisabled(ctx, 0, pos[0], disabled); err != nil {
		return err
	}
	if disabled {
		fmt.Fprintf(e.stdout, "Disabled %s: signed out, and access keys stop working.\n", pos[0])
	} else {
		fmt.Fprintf(e.stdout, "Enabled %s.\n", pos[0])
	}
	return nil
}

// dbLabel names the database in messages without the credentials a PostgreSQL URL may carry.
func dbLabel(db string) string {
	if models.IsPostgres(db) {
		return "'postgres://…'"
	}
	return db
}
