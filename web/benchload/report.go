package main

import (
	"debug/buildinfo"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// measuredRow is one line of the table.
type measuredRow struct {
	backend, data string
	kind          kind
	name          string
	res           result
	rss           float64 // the sgconsole server's VmHWM after the row, MB; 0 when no sgconsole served it
}

// serverRun is one sgconsole serve process of the run.
type serverRun struct {
	backend, data string
	role          string // "read rows" or "write row"
	coldStart     time.Duration
	peakRSS       float64 // MB, VmHWM after its last row
	large         bool    // started on the large database, which the cold start target is about
}

// report collects the run and prints it as one table, then the targets.
type report struct {
	cfg        config
	commit     string
	seeding    []string
	rows       []measuredRow
	servers    []serverRun
	notes      []string
	durable    []durability
	lostWrites int
}

// durability is what the write row found out about one database: acknowledged creates against
// those stored after the server was killed, and whether every commit is synced before it returns.
type durability struct {
	backend              string
	acknowledged, stored int
	settings             string
	syncsEachCommit      bool
}

// The targets.
const (
	minShareOfTrivial = 0.25 // Describe and the list page against the trivial server and /healthz
	maxP99            = 25 * time.Millisecond
	minLargeShare     = 0.80 // the large database's rows against the single account's
	minWritesPerSec   = 500
	maxColdStart      = 300 * time.Millisecond
	maxRSSMB          = 100
)

// failures counts failed requests and acknowledged writes missing from the database.
func (r *report) failures() int {
	n := r.lostWrites
	for _, row := range r.rows {
		n += row.res.errors
	}
	return n
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "sgconsole load benchmark (issue 11): %s\n", r.commit)
	fmt.Fprintf(w, "%d clients, %s per row, %d CPUs shared by the load generator and the server\n", r.cfg.clients, r.cfg.duration, runtime.NumCPU())
	fmt.Fprintf(w, "Seeding: %s\n\n", strings.Join(r.seeding, "; "))
	fmt.Fprintf(w, "| %-10s | %-14s | %-62s | %8s | %8s | %9s | %6s | %8s |\n", "database", "data", "request", "req/s", "p50", "p99", "errors", "peak RSS")
	fmt.Fprintf(w, "|%s|%s|%s|%s:|%s:|%s:|%s:|%s:|\n", dashes(12), dashes(16), dashes(64), dashes(9), dashes(9), dashes(10), dashes(7), dashes(9))
	for _, row := range r.rows {
		rss := "–"
		if row.rss > 0 {
			rss = fmt.Sprintf("%.1f MB", row.rss)
		}
		fmt.Fprintf(w, "| %-10s | %-14s | %-62s | %8.0f | %8s | %9s | %6d | %8s |\n",
			row.backend, row.data, row.name, row.res.rps, ms(row.res.p50), ms(row.res.p99), row.res.errors, rss)
	}
	fmt.Fprintf(w, "\n(peak RSS: the server's VmHWM after the row; the trivial server runs inside the load generator)\n\n")
	fmt.Fprintf(w, "| %-10s | %-14s | %-9s | %-32s | %8s |\n", "database", "data", "server of", "cold start (exec to first 200)", "peak RSS")
	fmt.Fprintf(w, "|%s|%s|%s|%s:|%s:|\n", dashes(12), dashes(16), dashes(11), dashes(33), dashes(9))
	for _, s := range r.servers {
		fmt.Fprintf(w, "| %-10s | %-14s | %-9s | %32s | %5.1f MB |\n", s.backend, s.data, s.role, ms(s.coldStart), s.peakRSS)
	}
	fmt.Fprintln(w)
	for _, d := range r.notes {
		fmt.Fprintln(w, d)
	}
	for _, row := range r.rows {
		if row.res.firstError != "" {
			fmt.Fprintf(w, "first error of %s, %s, %s: %s\n", row.backend, row.data, row.name, row.res.firstError)
		}
	}
	fmt.Fprintln(w, "\nTargets (issue 11):")
	for _, t := range r.targets() {
		verdict := "NOT met"
		switch {
		case t.info:
			verdict = "–"
		case t.met:
			verdict = "met"
		}
		fmt.Fprintf(w, "  %-7s  %s\n", verdict, t.text)
	}
}

type target struct {
	met  bool
	info bool // shown without a verdict
	text string
}

// targets compares the rows with the targets, per database and data set.
func (r *report) targets() []target {
	var out []target
	share := func(what string, num, den *measuredRow, min float64) {
		if num == nil || den == nil || den.res.rps == 0 {
			return
		}
		ratio := num.res.rps / den.res.rps
		out = append(out, target{met: ratio >= min, text: fmt.Sprintf("%s: %.1f%% (at least %.0f%%)", what, 100*ratio, 100*min)})
	}
	p99 := func(what string, row *measuredRow) {
		if row != nil {
			out = append(out, target{met: row.res.p99 < maxP99, text: fmt.Sprintf("%s p99: %s (under %s)", what, ms(row.res.p99), ms(maxP99))})
		}
	}
	for _, backend := range r.backends() {
		for _, data := range r.dataSets(backend) {
			at := backend + ", " + data
			share(at+": Describe / trivial server", r.find(backend, data, kindDescribe), r.find(backend, data, kindTrivial), minShareOfTrivial)
			p99(at+": Describe", r.find(backend, data, kindDescribe))
			share(at+": admin's list page / /healthz", r.find(backend, data, kindList), r.find(backend, data, kindHealthz), minShareOfTrivial)
			p99(at+": admin's list page", r.find(backend, data, kindList))
			share(at+": member's list page / /healthz", r.find(backend, data, kindMemberList), r.find(backend, data, kindHealthz), minShareOfTrivial)
			p99(at+": member's list page", r.find(backend, data, kindMemberList))
		}
		if large := accountsLabel(r.cfg.accounts); large != oneAccount {
			share(backend+": Describe, "+large+" / "+oneAccount, r.find(backend, large, kindDescribe), r.find(backend, oneAccount, kindDescribe), minLargeShare)
			share(backend+": admin's list page, "+large+" / "+oneAccount, r.find(backend, large, kindList), r.find(backend, oneAccount, kindList), minLargeShare)
			share(backend+": member's list page, "+large+" / "+oneAccount, r.find(backend, large, kindMemberList), r.find(backend, oneAccount, kindMemberList), minLargeShare)
		}
		for _, row := range r.rows {
			if row.backend == backend && row.kind == kindWrite {
				text := fmt.Sprintf("%s: %.0f creates/s", backend, row.res.rps)
				if backend == "SQLite" {
					out = append(out, target{met: row.res.rps >= minWritesPerSec, text: text + fmt.Sprintf(" (at least %d/s, SQLite)", minWritesPerSec)})
				} else {
					// The writes target is SQLite's; PostgreSQL's rate is shown for comparison.
					out = append(out, target{info: true, text: text + " (no target on PostgreSQL; for comparison)"})
				}
			}
		}
		for _, d := range r.durable {
			if d.backend == backend {
				out = append(out, target{met: d.syncsEachCommit && d.stored >= d.acknowledged, text: fmt.Sprintf(
					"%s: each create durable when answered: %d of %d acknowledged creates stored after SIGKILL; %s", backend, min(d.stored, d.acknowledged), d.acknowledged, d.settings)})
			}
		}
		for _, s := range r.servers {
			if s.backend != backend {
				continue
			}
			if s.large {
				out = append(out, target{met: s.coldStart < maxColdStart, text: fmt.Sprintf("%s, %s, server of the %s: cold start %s (under %s)", backend, s.data, s.role, ms(s.coldStart), ms(maxColdStart))})
			}
			out = append(out, target{met: s.peakRSS < maxRSSMB, text: fmt.Sprintf("%s, %s, server of the %s: peak RSS %.1f MB (under %d MB)", backend, s.data, s.role, s.peakRSS, maxRSSMB)})
		}
	}
	return out
}

func (r *report) backends() []string {
	var out []string
	for _, row := range r.rows {
		if len(out) == 0 || out[len(out)-1] != row.backend {
			out = append(out, row.backend)
		}
	}
	return out
}

func (r *report) dataSets(backend string) []string {
	var out []string
	for _, row := range r.rows {
		if row.backend == backend && row.kind != kindWrite && (len(out) == 0 || out[len(out)-1] != row.data) {
			out = append(out, row.data)
		}
	}
	return out
}

func (r *report) find(backend, data string, k kind) *measuredRow {
	for i, row := range r.rows {
		if row.backend == backend && row.data == data && row.kind == k {
			return &r.rows[i]
		}
	}
	return nil
}

func dashes(n int) string { return strings.Repeat("-", n) }

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// builtFrom names the commit the binary was built from: Go's stamp when the build had one, else
// (GOFLAGS=-buildvcs=false) the commit of the checkout the binary sits in, with the paths that
// differ from it, since make bench-load builds the working tree.
func builtFrom(bin string) string {
	if info, err := buildinfo.ReadFile(bin); err == nil {
		var rev, modified string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if rev != "" {
			out := "bin/sgconsole built from commit " + rev[:min(len(rev), 7)]
			if modified == "true" {
				out += " plus uncommitted changes"
			}
			return out
		}
	}
	dir := filepath.Dir(bin)
	rev, err := exec.Command("git", "-C", dir, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "bin/sgconsole of an unknown commit"
	}
	out := "bin/sgconsole built from the working tree at commit " + strings.TrimSpace(string(rev))
	status, err := exec.Command("git", "-C", dir, "status", "--porcelain", "--untracked-files=no").Output()
	if changed := strings.TrimRight(string(status), "\n"); err == nil && changed != "" {
		var paths []string
		for _, line := range strings.Split(changed, "\n") {
			paths = append(paths, strings.TrimSpace(line[min(len(line), 2):]))
		}
		shown := strings.Join(paths[:min(len(paths), 6)], ", ")
		if len(paths) > 6 {
			shown += ", …"
		}
		out += fmt.Sprintf(" plus uncommitted changes to %d files (%s)", len(paths), shown)
	}
	return out
}
