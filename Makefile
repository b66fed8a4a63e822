# Postdesk: `make demo` runs it on embedded defaults, `make test` runs every test, `make bench` the benchmarks.
SWIFT ?= swift
BIN := .build/debug/postdesk
CORPUS ?= ../shared/corpus

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
	@if [ -d "$(CORPUS)" ]; then ../shared/tools/score-corpus --postdesk $(BIN) $(CORPUS); \
	else echo "no corpus at $(CORPUS)"; fi

bench:
	@scripts/bench

clean:
	rm -rf .build .demo .mailstack .bench .test-artifacts
