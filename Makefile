# Postdesk: `make demo` runs it on embedded defaults, `make test` runs every test, `make bench` the benchmarks.
SWIFT ?= swift
BIN := .build/debug/postdesk
CORPUS ?=

.PHONY: build demo test unit-test system-test corpus bench clean

build:
	@scripts/install-deps
	$(SWIFT) build

demo: build
	@rm -rf .demo
	$(BIN) demo --dir .demo --samples samples

test:
	@scripts/test

corpus: build
	@scripts/corpus $(BIN) $(CORPUS)

bench:
	@scripts/bench $(BENCH_ARGS)

clean:
	rm -rf .build .demo .mailstack .bench .test-artifacts
