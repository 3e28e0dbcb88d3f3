# Thin wrapper around Meson: the two commands a new machine needs are
# `make demo` and `make check`; both install missing Debian packages first.
PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build

.PHONY: all deps build demo check install install-compat fuzz bench clean

all: build

deps:
	@sh tools/deps.sh

build: deps
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) --prefix=$(PREFIX)
	@meson compile -C $(BUILD)

demo: build
	@sh tools/demo.sh $(BUILD)/slink

check: deps
	@sh tools/check.sh

install: build
	@meson configure $(BUILD) -Dprefix=$(PREFIX)
	@meson install -C $(BUILD) --destdir "$(DESTDIR)"

fuzz: deps
	@sh tests/fuzz/run.sh

bench: build
	@for b in bench/*.sh; do sh "$$b" $(BUILD)/slink || exit 1; done

clean:
	rm -rf build build-check build-win
