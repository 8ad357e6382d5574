package main

import (
	"bytes"
	"context"
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
	kindMemberList
	kindWrite
)

// readRows starts a server on the database as it is now, checks that the admin's signed Describe
// and list page show its 50 groups, and runs the read rows against it: a trivial in-process server
// returning the same Describe bytes, /healthz, the signed Describe replayed, and the signed-in
// /security-groups?size=100 of the admin, then of a member of the same account (an admin's page
// also lists every account in its account selector).
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
	listPage, page, err := signedInListPage(ctx, client, srv.base, models.AdminUsername)
	if err != nil {
		return err
	}
	memberListPage, memberPage, err := signedInListPage(ctx, client, srv.base, memberUsername)
	if err != nil {
		return err
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
		{kindList, fmt.Sprintf("/security-groups?size=100, admin (%d B)", len(page)), listPage},
		{kindMemberList, fmt.Sprintf("/security-groups?size=100, member (%d B)", len(memberPage)), memberListPage},
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

// signedInListPage signs username in and returns the request for its /security-groups?size=100
// and the page, checked to show the account's last group.
func signedInListPage(ctx context.Context, client *http.Client, base, username string) (func() *http.Request, []byte, error) {
	session, err := signIn(base, username)
	if err != nil {
		return nil, nil, fmt.Errorf("sign in %s: %w", username, err)
	}
	listPage := func() *http.Request {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/security-groups?size=100", nil)
		req.AddCookie(session)
		return req
	}
	page, err := fetch(client, listPage())
	if err != nil {
		return nil, nil, fmt.Errorf("list page of %s: %w", username, err)
	}
	if !bytes.Contains(page, []byte(fmt.Sprintf("bench-group-%d", groupsPerAccount-1))) {
		return nil, nil, fmt.Errorf("the list page of %s does not show the account's last group", username)
	}
	return listPage, page, nil
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
