# Thin wrapper around Meson: the two commands a new machine needs are
# `make demo` and `make check`; both install missing Debian packages first.
PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build

.PHONY: all deps build demo check install install-compat fuzz bench package-check clean

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

# mklink, linkd and junction as links to slink beside it (never ln, which
# would shadow coreutils' ln: see the README for that opt-in line).
install-compat: install
	@for n in mklink linkd junction; do ln -sfn slink "$(DESTDIR)$(PREFIX)/bin/$$n"; done

# Builds the Debian packages and checks them (a few minutes: not part of check).
package-check:
	@sh tools/deps.sh deps/debian-packages-pkg.txt
	@SLINK_PKG_TEST=1 sh tests/pkg/deb.sh

fuzz: deps
	@sh tests/fuzz/run.sh

bench: build
	@for b in bench/*.sh; do sh "$$b" $(BUILD)/slink || exit 1; done

clean:
	rm -rf build build-check build-win

# The concurrent-writer test of slink dedupe, 20 runs in a row (one run is
# part of make check): every run must pass.
.PHONY: dedupe-race
dedupe-race: build
	@for i in $$(seq 1 20); do \
	  python3 tests/cli/dedupe_race.py race $(BUILD)/slink > $(BUILD)/dedupe-race.log 2>&1 || \
	    { cat $(BUILD)/dedupe-race.log; echo "dedupe-race: run $$i failed"; exit 1; }; \
	  echo "dedupe-race: run $$i: $$(tail -1 $(BUILD)/dedupe-race.log)"; \
	done
