// Package cli is sgconsole's command line. Each subcommand lives in its own file and calls the same
// models code the console uses; main only hands it the process's arguments and streams.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"sgconsole/models"
)

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // the command failed: bad input, a refused change, a database error
	exitUsage = 2 // the command line itself is wrong: unknown command or flag, missing argument
)

// env is what a subcommand may use of the process.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// command is one subcommand: its words ("user create"), its synopsis after them, and its runner.
type command struct {
	name     string
	synopsis string
	summary  string
	run      func(ctx context.Context, e env, c *command, args []string) error
}

// commands is the dispatch table, in the order the usage lists them. It is filled in init because
// help refers back to it.
var commands []*command

func init() {
	commands = []*command{
		serveCommand,
		resetPasswordCommand,
		userCreateCommand,
		userListCommand,
		userDisableCommand,
		userEnableCommand,
		workshopCreateCommand,
		workshopListCommand,
		workshopExportCommand,
		workshopResetCommand,
		workshopDeleteCommand,
		{name: "help", synopsis: "[COMMAND]", summary: "Print this usage, or a command's flags.", run: runHelp},
	}
}

// usageError is a wrong command line: Main prints it (unless the flag package already did) and
// exits with status 2.
type usageError struct {
	msg     string
	printed bool
}

func (e *usageError) Error() string { return e.msg }

// Main runs the command line args (without the program name) and returns the exit status.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	e := env{stdout: stdout, stderr: stderr, getenv: getenv}
	c, rest, err := lookup(args)
	if err == nil {
		err = c.run(ctx, e, c, rest)
	}
	var usage *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK // the flag package printed the command's usage
	case errors.As(err, &usage):
		if !usage.printed {
			fmt.Fprintf(stderr, "sgconsole: %s\n\n", usage.msg)
			printUsage(stderr)
		}
		return exitUsage
	}
	fmt.Fprintln(stderr, "sgconsole:", errorText(err))
	return exitError
}

// lookup finds the subcommand args name. No subcommand, or a flag first, means serve.
func lookup(args []string) (*command, []string, error) {
	if len(args) == 0 {
		return serveCommand, args, nil
	}
	switch args[0] {
	case "-h", "-help", "--help":
		return commandNamed("help"), args[1:], nil
	}
	if strings.HasPrefix(args[0], "-") {
		return serveCommand, args, nil
	}
	for _, c := range commands {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c, args[len(words):], nil
		}
	}
	if subs := subcommands(args[0]); len(subs) > 0 {
		if len(args) == 1 {
			return nil, nil, &usageError{msg: fmt.Sprintf("%s needs a subcommand: %s or %s", args[0], strings.Join(subs[:len(subs)-1], ", "), subs[len(subs)-1])}
		}
		return nil, nil, &usageError{msg: fmt.Sprintf("unknown %s subcommand %q", args[0], args[1])}
	}
	return nil, nil, &usageError{msg: fmt.Sprintf("unknown command %q", args[0])}
}

// subcommands lists the second words of the commands whose first word is group ("user" → create,
// list, disable, enable), in the usage's order.
func subcommands(group string) []string {
	var subs []string
	for _, c := range commands {
		if words := strings.Fields(c.name); len(words) == 2 && words[0] == group {
			subs = append(subs, words[1])
		}
	}
	return subs
}

func commandNamed(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage:")
	for _, c := range commands {
		name := c.name
		if c == serveCommand {
			name = "[serve]" // the default
		}
		fmt.Fprintf(w, "  sgconsole %s %s\n", name, c.synopsis)
	}
	fmt.Fprintln(w, "\nCommands:")
	width := 0
	for _, c := range commands {
		width = max(width, len(c.name))
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintln(w, "\nWithout a command, sgconsole serves. Run 'sgconsole help COMMAND' for a command's flags.")
}

// runHelp prints the usage on standard output, or the flags of the command named in args.
func runHelp(ctx context.Context, e env, _ *command, args []string) error {
	if len(args) == 0 {
		printUsage(e.stdout)
		return nil
	}
	c, rest, err := lookup(args)
	if err != nil || len(rest) > 0 || c.name == "help" {
		return &usageError{msg: fmt.Sprintf("no help for %q", strings.Join(args, " "))}
	}
	// Every command answers -h with its usage and flags, before it does anything.
	err = c.run(ctx, env{stdout: e.stdout, stderr: e.stdout, getenv: e.getenv}, c, []string{"-h"})
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

// newFlagSet returns the flag set of a subcommand, which prints the command's usage and flags on
// errors and -h.
func newFlagSet(c *command, e env) *flag.FlagSet {
	fs := flag.NewFlagSet("sgconsole "+c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: sgconsole %s %s\n\n%s\n", c.name, c.synopsis, c.summary)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(fs.Output(), "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse reads flags wherever they appear among the arguments (`user create bob --role member`
// works too; after `--` everything is an argument) and checks the number of arguments.
func parse(fs *flag.FlagSet, args []string, wantArgs int) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{msg: err.Error(), printed: true}
		}
		consumed := args[:len(args)-fs.NArg()]
		args = fs.Args()
		if len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			positional = append(positional, args...)
			break
		}
		if len(args) == 0 {
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	switch {
	case len(positional) < wantArgs:
		return nil, usageErrorf(fs, "missing argument")
	case len(positional) > wantArgs:
		return nil, usageErrorf(fs, "unexpected argument %q", positional[wantArgs])
	}
	return positional, nil
}

// usageErrorf prints the message and the command's usage, and returns the error Main exits 2 with.
func usageErrorf(fs *flag.FlagSet, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintf(fs.Output(), "%s: %s\n", fs.Name(), msg)
	fs.Usage()
	return &usageError{msg: msg, printed: true}
}

// dbFlags are the flags of every command that opens the database.
type dbFlags struct {
	DB      string
	KeyFile string
}

func (d *dbFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&d.DB, "db", orDefault(getenv("SGCONSOLE_DB"), "sgconsole.db"), "SQLite database file, or a postgres:// URL (env SGCONSOLE_DB)")
	fs.StringVar(&d.KeyFile, "key-file", getenv("SGCONSOLE_KEY_FILE"), "file with the key that encrypts access key secrets; default DB.key beside a SQLite file; serve needs it with PostgreSQL (env SGCONSOLE_KEY_FILE)")
}

// resolve fills in the default key file beside a SQLite database.
func (d *dbFlags) resolve() {
	if d.KeyFile == "" && !models.IsPostgres(d.DB) && d.DB != "" {
		d.KeyFile = d.DB + ".key"
	}
}

// openExisting opens the database for a command that manages what is already in it, refusing to
// create a new SQLite file where a mistyped --db points.
func (d *dbFlags) openExisting() (*models.Store, error) {
	if !models.IsPostgres(d.DB) {
		if _, err := os.Stat(d.DB); err != nil {
			if os.IsNotExist(err) {
				return nil, fmt.Errorf("no database at %s: check --db (or SGCONSOLE_DB), or start `sgconsole serve --db %s` once to create it", d.DB, d.DB)
			}
			return nil, err
		}
	}
	return models.OpenExisting(d.DB) // mode=rw: a file removed since the check is not created either
}

func orDefault(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

// errorText is an error as printed: every field's message of a domain error, not just the first.
func errorText(err error) string {
	if e, ok := models.AsError(err); ok && len(e.Fields) > 1 {
		msgs := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			msgs[i] = f.Message
		}
		return strings.Join(msgs, " ")
	}
	return err.Error()
}
