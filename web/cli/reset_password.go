package cli

import (
	"context"
	"errors"
	"fmt"

	"sgconsole/models"
)

var resetPasswordCommand = &command{
	name:     "reset-password",
	synopsis: "[--db PATH] USERNAME",
	summary:  "Give a user a new random password, print it, and sign out the user's sessions.",
	run:      runResetPassword,
}

func runResetPassword(ctx context.Context, e env, c *command, args []string) error {
	fs := newFlagSet(c, e)
	var db dbFlags
	db.register(fs, e.getenv)
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	username := pos[0]
	store, err := db.openExisting()
	if err != nil {
		return err
	}
	defer store.Close()
	password, err := store.ResetPassword(ctx, username)
	if errors.Is(err, models.ErrNotFound) {
		return fmt.Errorf("no user named %s", username)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "New password for %s: %s\n", username, password)
	return nil
}
