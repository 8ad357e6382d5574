package main

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"sgconsole/models"
)

const (
	// freePerRegion is how many groups a writer account can still create in a region: the quota
	// less its default group.
	freePerRegion = groupsPerAccount - 1
	// writeCeiling is the rate the writer accounts are sized for; a faster server runs out of
	// free quota before the row's duration and the report says so.
	writeCeiling = 3000
)

// writersFor is how many writer accounts give room for writeCeiling creations a second for d.
func writersFor(d time.Duration) int {
	return int(d.Seconds()*writeCeiling)/(len(models.Regions)*freePerRegion) + 1
}

// writeRow starts a server and has the clients create cache security groups through the Query
// API, each request signed afresh (SigV4, as the SDK does), spread over every writer account and
// region so that no region passes its quota and concurrent creates mostly hit different scopes.
// Then it kills the server (SIGKILL, no graceful shutdown) and counts the groups in the database:
// every acknowledged create must be there.
func writeRow(ctx context.Context, cfg config, b *backend, writers []writer, data string, rep *report) error {
	srv, err := startServer(cfg.bin, b)
	if err != nil {
		return err
	}
	defer srv.kill()
	type slot struct {
		key    models.NewAccessKey
		region string
	}
	var slots []slot
	for _, w := range writers {
		for _, r := range models.Regions {
			slots = append(slots, slot{w.key, r})
		}
	}
	capacity := len(slots) * freePerRegion
	var sent atomic.Int64
	signer := v4.NewSigner()
	var signErr atomic.Value
	next := func() *http.Request {
		i := int(sent.Add(1) - 1)
		if i >= capacity {
			return nil
		}
		s := slots[i%len(slots)]
		body := fmt.Sprintf("Action=CreateCacheSecurityGroup&Version=2015-02-02&CacheSecurityGroupName=bench-write-%d&Description=load+benchmark+write+%d", i, i)
		req, err := signedPost(ctx, signer, s.key, s.region, srv.base, body, time.Now())
		if err != nil {
			signErr.Store(err)
			return nil
		}
		return req
	}
	res := load(ctx, newLoadClient(cfg.clients), next, cfg.clients, cfg.duration)
	if err := ctx.Err(); err != nil {
		return err
	}
	if err, _ := signErr.Load().(error); err != nil {
		return fmt.Errorf("signing a create: %w", err)
	}
	rss, err := srv.peakRSS()
	if err != nil {
		return err
	}
	srv.kill()
	stored, err := countRows(ctx, b, "SELECT COUNT(*) FROM cache_security_groups WHERE name LIKE 'bench-write-%'")
	if err != nil {
		return err
	}
	settings, durable, err := b.durabilitySettings(ctx)
	if err != nil {
		return err
	}
	rep.rows = append(rep.rows, measuredRow{backend: b.name, data: data, kind: kindWrite,
		name: fmt.Sprintf("CreateCacheSecurityGroup, each signed, %d scopes", len(slots)), res: res, rss: rss})
	rep.servers = append(rep.servers, serverRun{backend: b.name, data: data, role: "write row", coldStart: srv.coldStart, peakRSS: rss, large: data != oneAccount})
	note := fmt.Sprintf("%s writes: %d creates answered 200, %d in the database after the server was killed (SIGKILL); %s",
		b.name, res.ok, stored, settings)
	if int(sent.Load()) >= capacity {
		note += fmt.Sprintf("; the writer accounts' free quota (%d groups) ran out before the row's time: raise writeCeiling", capacity)
	}
	rep.notes = append(rep.notes, note)
	if stored < res.ok {
		rep.lostWrites += res.ok - stored
	}
	rep.durable = append(rep.durable, durability{backend: b.name, acknowledged: res.ok, stored: stored, settings: settings, syncsEachCommit: durable})
	return nil
}
