# Every task a person or CI runs. `make help` lists them.
SHELL := /bin/bash
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: help run build test lint fmt openapi postman open311-client jsonld-check swagger-ui-check clients fuzz bench crash-test clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  %-10s %s\n", $$1, $$2 }'

run: ## Build, migrate, load demo data, serve on the embedded SQLite (kapi.db) and print the Swagger UI address
	$(CARGO) run -p kapi-api --bin kapi -- serve

build: ## Build the kapi binary (debug)
	$(CARGO) build -p kapi-api --bin kapi

lint: ## rustfmt check + clippy with warnings as errors
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt: ## Format the code
	$(CARGO) fmt --all

test: lint ## fmt + clippy + every test on SQLite and PostgreSQL (each exchange checked against the spec) + OpenAPI drift check
	rm -rf "$${CARGO_TARGET_DIR:-target}/contract-coverage"
	scripts/with-postgres.sh $(CARGO) test --workspace --no-fail-fast
	scripts/contract-coverage.py

openapi: ## Regenerate openapi/openapi.json (the prod contract) and openapi/openapi.dev.json (with the dev helpers) from the code
	KAPI_PROFILE=prod $(CARGO) run -q -p kapi-api --bin kapi -- openapi > openapi/openapi.json.tmp
	KAPI_PROFILE=dev $(CARGO) run -q -p kapi-api --bin kapi -- openapi > openapi/openapi.dev.json.tmp
	mv openapi/openapi.json.tmp openapi/openapi.json
	mv openapi/openapi.dev.json.tmp openapi/openapi.dev.json

postman: build ## Run the Postman collection with newman against a fresh server
	scripts/postman.sh

open311-client: build ## Drive /open311/v2 with Open311 clients from PyPI (georeport, civicbot) against a fresh server, JSON and XML
	scripts/open311-client.sh

jsonld-check: build ## Type-check live JSON-LD (a posting, an open job) against schema.org with schema-dts + tsc --strict
	scripts/jsonld-check.sh

clients: ## Generated clients (openapi-typescript + tsc, openapi-python-client) and linters (Spectral, Redocly) over openapi/openapi.json
	scripts/clients.sh

swagger-ui-check: build ## Swagger UI "Try it out" in headless Chromium (Debian) via Playwright (PyPI): an upload sent as multipart → 201
	scripts/swagger-ui-check.sh

fuzz: build ## Run schemathesis over every operation against a fresh server
	scripts/fuzz.sh

bench: ## HTTP benchmark (release, wrk): every endpoint vs /health/live at 10k/100k/1M rows → docs/benchmarks.md (BENCH_DB=postgres for PostgreSQL)
	BENCH_DB=$(or $(BENCH_DB),sqlite) scripts/bench.sh

crash-test: ## kill -9 mid-load, restart, check every acknowledged write (CRASH_DB=sqlite|postgres|both, CRASH_ARGS=--short)
	scripts/crash-test.sh $(or $(CRASH_DB),both) $(CRASH_ARGS)

clean: ## Remove build output and local databases
	$(CARGO) clean
	rm -f kapi.db kapi.db-wal kapi.db-shm
