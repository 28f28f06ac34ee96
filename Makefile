# newsgraph: `make build` builds source/ into dist/; `make test` runs every test.
# Both install what they need first (npm ci when node_modules is missing or
# older than the lockfile, then the TypeScript compile).

SHELL := /bin/bash
NODE_STAMP := node_modules/.installed
OUT_STAMP := out/.compiled
SOURCES := $(shell find pipeline schemas -type f) tsconfig.json package.json

.PHONY: build test eval bench check typecheck clean chromium

build: $(OUT_STAMP)
	node bin/newsgraph.js build --source source --out dist

# The browser test drives Debian's Chromium (no browser download): install it once.
chromium:
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

test: $(OUT_STAMP) chromium
	npx vitest run
	$(MAKE) --no-print-directory eval

# Scores against annotated data (needs ../shared): entities on MEANTIME and the seed.
eval: $(NODE_STAMP)
	npx vite-node test/eval/run.ts

# Benchmark on generated corpora (not part of make test; its smoke run is): writes bench-results.json.
bench: $(OUT_STAMP)
	npx vite-node bench/run.ts -- --articles 1000,10000

typecheck: $(NODE_STAMP)
	npx tsc -p tsconfig.json --noEmit
	npx tsc -p test/tsconfig.json --noEmit

check: typecheck test

$(NODE_STAMP): package-lock.json package.json
	npm ci --no-audit --no-fund
	touch $@

$(OUT_STAMP): $(NODE_STAMP) $(SOURCES)
	rm -rf out
	npx tsc -p tsconfig.json
	touch $@

clean:
	rm -rf out node_modules
