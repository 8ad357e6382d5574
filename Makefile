# sgconsole: `make run` starts the console with demo data, `make test` runs every test.
export CGO_ENABLED = 1

ADDR ?= 127.0.0.1:8080
DB ?= ./sgconsole.db
# The model tests run a second time against this PostgreSQL database, each test in its own schema.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

.PHONY: run build test test-terraform fuzz generate check-generated lint bench bench-load bench-smoke screenshots reset-password

run: build ## serve on http://127.0.0.1:8080 with demo data in ./sgconsole.db
	./bin/sgconsole serve --addr $(ADDR) --db $(DB) --demo

build:
	go build -o bin/sgconsole .

test: web/testdata/axe/node_modules/axe-core/axe.min.js ## every test: models (SQLite, then PostgreSQL), the connection pool on PostgreSQL, handlers, API (AWS SDK and CLI), headless Chromium (with axe-core), Terraform
	go test -race -count=1 -timeout 18m -skip 'TestTerraform' ./...
	@# Terraform mostly waits on the provider's polling, so it runs beside the PostgreSQL runs; its
	@# output (with -v, so a skip is seen) follows theirs, and either failing fails make test.
	@tf_log=$$(mktemp); $(MAKE) --no-print-directory test-terraform > $$tf_log 2>&1 & tf=$$!; status=0; \
	SGCONSOLE_TEST_POSTGRES='$(PG_TEST_URL)' go test -race -count=1 ./models || status=1; \
	SGCONSOLE_TEST_POSTGRES='$(PG_TEST_URL)' go test -race -count=1 -run 'TestPoolBoundedUnderLoad' ./web || status=1; \
	SGCONSOLE_TEST_POSTGRES='$(PG_TEST_URL)' go test -race -count=1 -run 'TestBadBytesEverywhere' ./web || status=1; \
	SGCONSOLE_TEST_POSTGRES='$(PG_TEST_URL)' go test -race -count=1 -run 'TestTwoInstancesSeeEachOthersWritesAtOnce|StatusesChangeWithTimeAlone|TestDescribeAnswersEachQuestionApart' ./web || status=1; \
	wait $$tf || status=1; echo "--- make test-terraform"; cat $$tf_log; rm -f $$tf_log; exit $$status

# Its own line, with -v: a skip (no terraform on PATH) must be seen. It runs the real binary, so the
# race detector would only slow the provider's polling down.
test-terraform: ## Terraform and the hashicorp/aws provider 5.x against the real binary (README: Terraform and other tools)
	go test -count=1 -v -run 'TestTerraform' ./web

generate: ## regenerate *_templ.go from the .templ files
	go tool templ fmt views
	go tool templ generate

check-generated: generate
	git diff --exit-code -- '*_templ.go' 'views/*.templ'

lint:
	go vet ./...
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	go tool templ fmt -fail views
	go tool staticcheck ./...

# The event-log benchmark also runs with this many events (seeded in about 20 s); BENCH_EVENTS= skips it.
BENCH_EVENTS ?= 2000000

bench: ## every benchmark; the event-log one on SQLite and again on PostgreSQL (docs/benchmarks.md)
	SGCONSOLE_BENCH_EVENTS=$(BENCH_EVENTS) go test -run='^$$' -bench=. -benchmem ./...
	SGCONSOLE_TEST_POSTGRES='$(PG_TEST_URL)' SGCONSOLE_BENCH_EVENTS=$(BENCH_EVENTS) go test -run='^$$' -bench=BenchmarkWriteWithEventLog -benchmem ./models

# How long each row of make bench-load runs.
BENCH_DURATION ?= 10s
# The load benchmark creates a throwaway database (sgc_bench_<pid>) on this server and drops it at
# the end; BENCH_PG= skips the PostgreSQL rows.
BENCH_PG ?= $(PG_TEST_URL)

bench-load: build ## issue 11's load benchmark, one table: SQLite and PostgreSQL, 1 and 1,000 accounts of 50 groups, writes, cold start, peak RSS; BENCH_DURATION per row (docs/benchmarks.md)
	go run ./web/benchload -bin bin/sgconsole -duration $(BENCH_DURATION) -pg '$(BENCH_PG)'

# Misses of the issue's targets are printed, not failed: only a failed request, a lost write or a
# crashed server fails it (CI runs it so the benchmark cannot rot).
bench-smoke: build ## make bench-load with 1 s rows (under a minute with seeding): checks that the benchmark still runs
	go run ./web/benchload -bin bin/sgconsole -duration 1s -pg '$(BENCH_PG)'

# How long make fuzz runs each target.
FUZZTIME ?= 5s

# go test -fuzz takes one target in one package at a time: list every Fuzz function of every
# package and run each in turn; the first failure stops, its input saved under testdata/fuzz.
fuzz: ## every Fuzz target for FUZZTIME each; a coordinator timeout on a loaded machine (no failing input) is retried once
	@set -e; for pkg in $$(go list ./...); do \
	  names=$$(go test -list '^Fuzz' $$pkg); \
	  for name in $$(printf '%s\n' "$$names" | grep '^Fuzz' || true); do \
	    echo "--- $$name ($$pkg, $(FUZZTIME))"; \
	    for try in 1 2; do \
	      if out=$$(go test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) $$pkg 2>&1); then echo "$$out"; break; fi; \
	      echo "$$out"; \
	      case "$$out" in *"Failing input written"*) exit 1;; *"context deadline exceeded"*) [ $$try = 1 ] || exit 1; echo "(the fuzz coordinator timed out stopping a busy worker, not a finding: once more)";; *) exit 1;; esac; \
	    done; \
	  done; \
	done

screenshots: web/testdata/axe/node_modules/axe-core/axe.min.js ## refresh the README's screenshots from the browser test
	SGCONSOLE_SCREENSHOTS=$(CURDIR)/static/screenshots go test -count=1 -run TestBrowser ./web

# axe-core, the accessibility checker the browser tests inject, pinned by its package-lock.json.
web/testdata/axe/node_modules/axe-core/axe.min.js: web/testdata/axe/package-lock.json
	npm ci --prefix web/testdata/axe --no-audit --no-fund
	touch $@

reset-password: build ## print a new password for admin of the database `make run` uses (same DB=); never creates one
	./bin/sgconsole reset-password --db $(DB) admin
