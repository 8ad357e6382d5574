package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"

	"sgconsole/models"
)

// kind names what a row measures, for the target ratios.
type kind int

const (
	kindTrivial kind = iota
	kindHealthz
	kindDescribe
	kindList
	kindWrite
)

// readRows starts a server on the database as it is now, checks that the admin's signed Describe
// and list page show its 50 groups, and runs the four read rows against it: a trivial in-process
// server returning the same Describe bytes, /healthz, the signed Describe replayed, and the
// signed-in /security-groups?size=100.
func readRows(ctx context.Context, cfg config, b *backend, key models.NewAccessKey, data string, rep *report) error {
	srv, err := startServer(cfg.bin, b)
	if err != nil {
		return err
	}
	defer srv.kill()
	client := newLoadClient(cfg.clients)
	describe, err := replayedDescribe(ctx, srv.base, key)
	if err != nil {
		return err
	}
	describeBytes, err := fetch(client, describe())
	if err != nil {
		return fmt.Errorf("signed Describe: %w", err)
	}
	if n := bytes.Count(describeBytes, []byte("<CacheSecurityGroupName>")); n != groupsPerAccount {
		return fmt.Errorf("signed Describe listed %d groups, want %d:\n%.2000s", n, groupsPerAccount, describeBytes)
	}
	trivialURL, stopTrivial, err := serveSameBytes(describeBytes)
	if err != nil {
		return err
	}
	defer stopTrivial()
	session, err := signIn(srv.base)
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	listPage := func() *http.Request {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.base+"/security-groups?size=100", nil)
		req.AddCookie(session)
		return req
	}
	page, err := fetch(client, listPage())
	if err != nil {
		return fmt.Errorf("list page: %w", err)
	}
	if !bytes.Contains(page, []byte(fmt.Sprintf("bench-group-%d", groupsPerAccount-1))) {
		return errors.New("the signed-in list page does not show the account's last group")
	}
	get := func(url string) func() *http.Request {
		return func() *http.Request { r, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil); return r }
	}
	rows := []struct {
		kind kind
		name string
		next func() *http.Request
	}{
		{kindTrivial, fmt.Sprintf("trivial Go server, same %d bytes", len(describeBytes)), get(trivialURL)},
		{kindHealthz, "/healthz", get(srv.base + "/healthz")},
		{kindDescribe, fmt.Sprintf("Describe, signed, replayed (%d B)", len(describeBytes)), describe},
		{kindList, fmt.Sprintf("/security-groups?size=100 (%d B)", len(page)), listPage},
	}
	var rss float64
	for _, row := range rows {
		// A tenth of the row, not counted, so the first row of a fresh server does not pay for
		// its cold caches and new connections.
		load(ctx, client, row.next, cfg.clients, cfg.duration/10)
		res := load(ctx, client, row.next, cfg.clients, cfg.duration)
		if err := ctx.Err(); err != nil {
			return err
		}
		if rss, err = srv.peakRSS(); err != nil {
			return err
		}
		r := measuredRow{backend: b.name, data: data, kind: row.kind, name: row.name, res: res, rss: rss}
		if row.kind == kindTrivial {
			r.rss = 0 // the trivial server runs in benchload, not in sgconsole
		}
		rep.rows = append(rep.rows, r)
	}
	rep.servers = append(rep.servers, serverRun{backend: b.name, data: data, role: "read rows", coldStart: srv.coldStart, peakRSS: rss, large: data != oneAccount})
	return srv.stop()
}

// serveSameBytes starts a trivial HTTP server on loopback answering every request with body, the
// upper bound of what any server can do with the same answer on this machine.
func serveSameBytes(body []byte) (string, func(), error) {
	trivial := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write(body)
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go func() { _ = trivial.Serve(ln) }()
	return "http://" + ln.Addr().String() + "/", func() { _ = trivial.Close() }, nil
}
