// Command sgconsole serves a replica of the Amazon ElastiCache Security Groups console; its
// subcommands (package web/cli) manage users from the command line.
package main

import (
	"context"
	"os"

	"sgconsole/web/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}
