package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// result is what one row measured.
type result struct {
	ok         int // 200 answers
	rps        float64
	p50, p99   time.Duration
	errors     int    // transport errors and non-200 answers
	firstError string // the first of them, to say what went wrong
}

// load runs clients goroutines on c for duration (or until ctx ends), each sending next()'s
// request and reading the whole answer in a loop; next returning nil stops that client (the
// write row runs out of free quota). Latency is counted from sending to the last byte read, so
// building and signing a request is not part of it; only 200 answers count toward req/s.
func load(ctx context.Context, c *http.Client, next func() *http.Request, clients int, duration time.Duration) result {
	var (
		mu        sync.Mutex
		latencies []time.Duration
		r         result
		wg        sync.WaitGroup
	)
	fail := func(msg string) {
		mu.Lock()
		defer mu.Unlock()
		if r.errors++; r.firstError == "" {
			r.firstError = msg
		}
	}
	start := time.Now()
	end := start.Add(duration)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(end) && ctx.Err() == nil {
				req := next()
				if req == nil {
					break
				}
				t0 := time.Now()
				res, err := c.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						fail(err.Error())
					}
					continue
				}
				if res.StatusCode != http.StatusOK {
					body, _ := io.ReadAll(io.LimitReader(res.Body, 200))
					res.Body.Close()
					fail(fmt.Sprintf("%s %s: status %d: %s", req.Method, req.URL.Path, res.StatusCode, body))
					continue
				}
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if err != nil {
					fail(err.Error())
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	r.ok = len(latencies)
	r.rps = float64(len(latencies)) / elapsed.Seconds()
	if n := len(latencies); n > 0 {
		r.p50, r.p99 = latencies[n*50/100], latencies[min(n-1, n*99/100)]
	}
	return r
}
