// Command sgconsole serves a replica of the Amazon ElastiCache Security Groups console.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"sgconsole/models"
	"sgconsole/web"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "sgconsole:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	cmd, err := web.ParseCommand(args, os.Getenv, os.Stderr)
	if err != nil {
		return err
	}
	store, err := models.Open(cmd.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	if cmd.Name == "reset-password" {
		password, err := store.ResetPassword(context.Background(), cmd.Username)
		if err == nil {
			fmt.Printf("New password for %s: %s\n", cmd.Username, password)
		}
		return err
	}
	store.PropagationDelay = cmd.PropagationDelay
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	signIn, err := web.Bootstrap(ctx, store, cmd, os.Getenv)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cmd.Config.Addr)
	if err != nil {
		return err
	}
	e := web.New(cmd.Config, store, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	fmt.Printf("sgconsole is running at http://%s/\n%s\n", ln.Addr(), signIn)
	served := make(chan error, 1)
	go func() { served <- e.Server.Serve(ln) }()
	select {
	case err = <-served:
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = e.Shutdown(shutdownCtx)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
