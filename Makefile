# libcurl-wasm: the wasm build and the two commands README gives.
#
#   make test        set up everything on a fresh Debian machine and run the test suite
#   make demo        one HTTPS transfer through the wasm libcurl (URL=... for any other)
#   make wasm        only the module, into dist/wasm/ (cached by a hash of sources and flags)
#
# Builds live in CACHE, one folder per key, so a second build with nothing changed, even from
# a fresh clone, compiles nothing.

SHELL := bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := wasm

CACHE ?= $(HOME)/.cache/libcurl-wasm
SRC := $(CACHE)/src
DOWNLOADS := $(CACHE)/downloads
OPT ?= -O2

EMCC ?= emcc
EMAR ?= emar
EMCMAKE ?= emcmake
export NODE_PATH ?= /usr/share/nodejs

NGHTTP2_VERSION := 1.64.0
NGHTTP2_VERSION_NUM := 0x014000

# Mozilla's roots exactly as Debian's ca-certificates ships them, not whatever this machine
# added locally.
CA_DIR ?= /usr/share/ca-certificates/mozilla

hash = $(shell { $(1); } 2>/dev/null | sha256sum | cut -c1-16)
EMCC_VERSION = $(shell $(EMCC) --version 2>/dev/null | head -1)
DEPS_KEY := $(call hash,cat curl-src/sources.tsv wasm/deps.mk wasm/mbedtls-user-config.h; \
  echo '$(OPT) $(EMCC_VERSION)')
DEPS := $(CACHE)/deps-$(DEPS_KEY)

include wasm/deps.mk
include wasm/module.mk

# The stamp names the manifest's hash, so a fresh clone does not fetch again by file dates.
SOURCES_KEY := $(call hash,cat curl-src/sources.tsv)

$(SRC)/.fetched-$(SOURCES_KEY):
	curl-src/fetch.sh $(DOWNLOADS) $(SRC)
	touch $@

$(SRC)/.fetched: $(SRC)/.fetched-$(SOURCES_KEY)
	touch $@

.PHONY: setup sources deps deps-libs wasm module build test demo bench clean generate

sources: $(SRC)/.fetched

# Two passes: the build rules list the source files, which exist only once fetched. The
# lock keeps two checkouts that share the cache from building the same key at once.
LOCKED = mkdir -p $(CACHE) && flock $(CACHE)/.lock

wasm:
	$(LOCKED) $(MAKE) sources
	$(LOCKED) $(MAKE) -j$(shell nproc) module

deps:
	$(LOCKED) $(MAKE) sources
	$(LOCKED) $(MAKE) -j$(shell nproc) deps-libs

setup:
	scripts/setup.sh

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

build: wasm node_modules/.installed
	npx tsc -p tsconfig.build.json
	node scripts/build-browser.mjs

test:
	scripts/setup.sh
	$(MAKE) build
	node scripts/run-tests.mjs $(SRC)/curl $(TEST_ARGS)

demo:
	scripts/setup.sh
	$(MAKE) build
	node dist/cli/main.js demo $(URL)

# Regenerates src/curl/generated/ from curl's headers.
generate: sources
	node scripts/generate-constants.mjs $(SRC)/curl

bench:
	scripts/setup.sh
	$(MAKE) build
	node --import tsx bench/run.ts

clean:
	rm -rf dist build
