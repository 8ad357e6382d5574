package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"sgconsole/models"
	"sgconsole/views"
	"sgconsole/web"
)

// The workshop commands. Their flags and output are a contract: instructors' scripts run them.
var (
	workshopCreateCommand = &command{
		name:     "workshop create",
		synopsis: "[--db PATH|postgres://…] [--key-file PATH] --trainees N [--prefix trainee] [--out DIR] [--name NAME] [--labs DIR] [--console-url URL]",
		summary:  "Create a workshop: N sandbox accounts, a member user and an access key each; write DIR/credentials.csv and DIR/cards.html.",
		run:      runWorkshopCreate,
	}
	workshopListCommand = &command{
		name:     "workshop list",
		synopsis: "[--db PATH|postgres://…]",
		summary:  "List the workshops: name, trainees, labs, creation time and console URL.",
		run:      runWorkshopList,
	}
	workshopExportCommand = &command{
		name:     "workshop export",
		synopsis: "[--db PATH|postgres://…] [--key-file PATH] --workshop NAME [--out DIR]",
		summary:  "Write a workshop's credentials.csv and cards.html again (current passwords and keys).",
		run:      runWorkshopExport,
	}
	workshopResetCommand = &command{
		name:     "workshop reset",
		synopsis: "[--db PATH|postgres://…] [--labs DIR] --workshop NAME [--trainee USERNAME]",
		summary:  "Put one trainee's sandbox, or every sandbox of a workshop, back to its starting data; users, passwords and keys stay.",
		run:      runWorkshopReset,
	}
	workshopDeleteCommand = &command{
		name:     "workshop delete",
		synopsis: "[--db PATH|postgres://…] --workshop NAME",
		summary:  "Delete a workshop: its trainees' users (sessions, keys) and sandbox accounts with all their data.",
		run:      runWorkshopDelete,
	}
)

// File names written into --out.
const (
	credentialsFile = "credentials.csv"
	cardsFile       = "cards.html"
)

func runWorkshopCreate(ctx context.Context, e env, c *command, args []string) error {
	started := time.Now()
	fs := newFlagSet(c, e)
	var db dbFlags
	db.register(fs, e.getenv)
	trainees := fs.Int("trainees", 0, fmt.Sprintf("number of trainees, 1 to %d (required)", models.MaxTrainees))
	prefix := fs.String("prefix", models.DefaultTraineePrefix, "user names are PREFIX-01, PREFIX-02 ... (PREFIX-001 ... from 100 trainees)")
	out := fs.String("out", ".", "directory to write credentials.csv and cards.html into (created if needed)")
	name := fs.String("name", "", "workshop name: lower-case letters, digits and hyphens, at most 64 (default workshop-YYYYMMDD-HHMMSS, UTC)")
	labsDir := fs.String("labs", "", "directory of lab files (YAML or JSON) added to the built-in labs")
	consoleURL := fs.String("console-url", models.DefaultConsoleURL, "the console's address as trainees reach it, printed on the cards")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if !flagGiven(fs, "trainees") {
		return usageErrorf(fs, "--trainees is required: 1 to %d", models.MaxTrainees)
	}
	// Refuse bad input before anything is opened or written.
	n, err := models.NewWorkshop{Name: *name, Trainees: *trainees, Prefix: *prefix, ConsoleURL: *consoleURL}.Normalize()
	if err != nil {
		return errors.New(errorText(err))
	}
	if *out == "" {
		return errors.New("--out: name a directory")
	}
	if info, err := os.Stat(*out); err == nil && !info.IsDir() {
		return fmt.Errorf("--out %s is not a directory", *out)
	}
	labs, err := models.Catalog(*labsDir)
	if err != nil {
		return err
	}
	n.Labs = labs
	store, err := openWithKey(ctx, e, &db)
	if err != nil {
		return err
	}
	defer store.Close()
	if n.Name != "" {
		if _, _, err := store.GetWorkshop(ctx, n.Name); err == nil {
			return fmt.Errorf("a workshop named %s already exists: choose another --name", n.Name)
		} else if !models.HasCode(err, models.CodeWorkshopNotFound) {
			return err
		}
	}
	// The directory must be writable before the workshop is made, so the credentials are never lost.
	if err := checkWritableDir(*out); err != nil {
		return err
	}
	w, creds, err := store.CreateWorkshop(ctx, n)
	if err != nil {
		return err
	}
	csvPath, cardsPath, err := writeWorkshopFiles(ctx, e, *out, w, creds)
	if err != nil {
		return fmt.Errorf("workshop %s was created, but its files were not written (%w); write them again with: sgconsole workshop export --db %s --workshop %s --out DIR",
			w.Name, err, dbLabel(db.DB), w.Name)
	}
	labNames := "the demo data"
	if ids := w.LabIDList(); len(ids) > 0 {
		labNames = fmt.Sprintf("%d labs (%s)", len(ids), strings.Join(ids, ", "))
	}
	fmt.Fprintf(e.stdout, "Created workshop %s in %s: %d trainees, %s to %s, each a member with a sandbox account and an access key.\n",
		w.Name, time.Since(started).Round(100*time.Millisecond), len(creds), creds[0].Username, creds[len(creds)-1].Username)
	fmt.Fprintf(e.stdout, "Sandboxes start with %s. Trainees sign in at %s.\n", labNames, w.ConsoleURL)
	fmt.Fprintln(e.stdout, "These files hold every password and secret access key: print the cards, hand them out, keep the files private.")
	fmt.Fprintln(e.stdout, csvPath)
	fmt.Fprintln(e.stdout, cardsPath)
	return nil
}

func runWorkshopExport(ctx context.Context, e env, c *command, args []string) error {
	fs := newFlagSet(c, e)
	var db dbFlags
	db.register(fs, e.getenv)
	name := fs.String("workshop", "", "the workshop's name (required)")
	out := fs.String("out", ".", "directory to write credentials.csv and cards.html into (created if needed)")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if *name == "" {
		return usageErrorf(fs, "--workshop is required")
	}
	store, err := openExistingWithKey(&db)
	if err != nil {
		return err
	}
	defer store.Close()
	w, creds, err := store.WorkshopCredentials(ctx, *name)
	if err != nil {
		return err
	}
	if err := checkWritableDir(*out); err != nil {
		return err
	}
	csvPath, cardsPath, err := writeWorkshopFiles(ctx, e, *out, w, creds)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Wrote the credentials of workshop %s (%d trainees).\n%s\n%s\n", w.Name, len(creds), csvPath, cardsPath)
	return nil
}

func runWorkshopList(ctx context.Context, e env, c *command, args []string) error {
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
	list, err := store.ListWorkshops(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tTRAINEES\tLABS\tCREATED\tCONSOLE")
	for _, ws := range list {
		labs := ws.LabIDs
		if labs == "" {
			labs = "-"
		}
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\n", ws.Name, ws.Trainees, labs, timestamp(ws.CreatedAt), ws.ConsoleURL)
	}
	return w.Flush()
}

func runWorkshopReset(ctx context.Context, e env, c *command, args []string) error {
	fs := newFlagSet(c, e)
	var db dbFlags
	db.register(fs, e.getenv)
	name := fs.String("workshop", "", "the workshop's name (required)")
	trainee := fs.String("trainee", "", "reset only this trainee's sandbox (a user name of the workshop)")
	labsDir := fs.String("labs", "", "the lab directory the workshop was created with, if any")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if *name == "" {
		return usageErrorf(fs, "--workshop is required")
	}
	labs, err := models.Catalog(*labsDir)
	if err != nil {
		return err
	}
	store, err := db.openExisting()
	if err != nil {
		return err
	}
	defer store.Close()
	_, trainees, err := store.GetWorkshop(ctx, *name)
	if err != nil {
		return err
	}
	if err := store.ResetWorkshop(ctx, *name, *trainee, labs); err != nil {
		return err
	}
	if *trainee != "" {
		fmt.Fprintf(e.stdout, "Reset the sandbox of %s (workshop %s) to its starting data. Users, passwords and access keys are unchanged.\n", *trainee, *name)
	} else {
		fmt.Fprintf(e.stdout, "Reset %d sandboxes of workshop %s to their starting data. Users, passwords and access keys are unchanged.\n", len(trainees), *name)
	}
	return nil
}

func runWorkshopDelete(ctx context.Context, e env, c *command, args []string) error {
	fs := newFlagSet(c, e)
	var db dbFlags
	db.register(fs, e.getenv)
	name := fs.String("workshop", "", "the workshop's name (required)")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if *name == "" {
		return usageErrorf(fs, "--workshop is required")
	}
	store, err := db.openExisting()
	if err != nil {
		return err
	}
	defer store.Close()
	_, trainees, err := store.GetWorkshop(ctx, *name)
	if err != nil {
		return err
	}
	if err := store.DeleteWorkshop(ctx, *name); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Deleted workshop %s: %d trainees with their users, sessions, access keys and sandbox accounts.\n", *name, len(trainees))
	return nil
}

// flagGiven reports whether the command line set the flag.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// keyFile resolves the key file as serve does: beside a SQLite file, required with PostgreSQL.
func (d *dbFlags) keyFile() error {
	d.resolve()
	if d.KeyFile == "" && models.IsPostgres(d.DB) {
		return errors.New("with a PostgreSQL database, set --key-file (or SGCONSOLE_KEY_FILE): the key that encrypts passwords and access key secrets, shared with serve")
	}
	return nil
}

// openWithKey opens (or creates) the database with its key file. A database without users is
// prepared the way serve's first start does (default account, admin, the admin's first key),
// and that one-time sign-in is printed, since serve creates the admin only in a database
// without users.
func openWithKey(ctx context.Context, e env, d *dbFlags) (*models.Store, error) {
	if err := d.keyFile(); err != nil {
		return nil, err
	}
	store, err := models.Open(d.DB)
	if err != nil {
		return nil, err
	}
	users, err := store.ListUsers(ctx)
	if err == nil && len(users) == 0 {
		var signIn string
		if signIn, err = web.Bootstrap(ctx, store, web.Command{DB: d.DB, KeyFile: d.KeyFile}, e.getenv); err == nil {
			fmt.Fprintf(e.stdout, "New database: %s\n", signIn)
		}
	} else if err == nil {
		err = store.UseKeyFile(ctx, d.KeyFile)
	}
	if err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

// openExistingWithKey opens a database that must exist, with its key file (which must exist too:
// a new key could not open anything stored).
func openExistingWithKey(d *dbFlags) (*models.Store, error) {
	if err := d.keyFile(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(d.KeyFile); err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	store, err := d.openExisting()
	if err != nil {
		return nil, err
	}
	if err = store.UseKeyFile(context.Background(), d.KeyFile); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

// checkWritableDir creates dir if needed and makes sure a file can be written there.
func checkWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	f, err := os.CreateTemp(dir, ".sgconsole-check-*")
	if err != nil {
		return fmt.Errorf("--out: cannot write in %s: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// writeWorkshopFiles writes credentials.csv and cards.html into dir, readable by their owner
// only (they hold every password and secret), each replaced in one step. It returns their paths.
func writeWorkshopFiles(ctx context.Context, e env, dir string, w models.Workshop, creds []models.TraineeCredentials) (string, string, error) {
	var csv, cards bytes.Buffer
	if err := views.WriteCredentialsCSV(&csv, creds); err != nil {
		return "", "", err
	}
	if err := views.CardsPage(w, creds).Render(ctx, &cards); err != nil {
		return "", "", err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", "", err
	}
	paths := []string{filepath.Join(abs, credentialsFile), filepath.Join(abs, cardsFile)}
	for i, content := range [][]byte{csv.Bytes(), cards.Bytes()} {
		if _, err := os.Stat(paths[i]); err == nil {
			fmt.Fprintf(e.stderr, "sgconsole: note: replacing %s (an earlier workshop's files can be written again with `sgconsole workshop export`)\n", paths[i])
		}
		if err := writeFileAtomic(paths[i], content); err != nil {
			return "", "", err
		}
	}
	return paths[0], paths[1], nil
}

func writeFileAtomic(path string, content []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after the rename there is nothing left to remove
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(content); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
