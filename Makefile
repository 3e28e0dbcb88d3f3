# Thin wrapper around Meson: the two commands a new machine needs are
# `make demo` and `make check`; both install missing Debian packages first.
PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build

.PHONY: all deps build demo check install install-compat fuzz fuzz-ln bench race package-check clean crash

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

# The live racers of the single-path commands and of fix in every mode,
# 20,000 rounds each (minutes).
race: deps
	@[ -f build-check/build.ninja ] || meson setup build-check -Db_sanitize=address,undefined -Db_lundef=false
	@meson compile -C build-check tests/test-attack-single-live tests/test-attack-fix
	@SLINK_RACE_ROUNDS=20000 SLINK_RACE_SECONDS=0 build-check/tests/test-attack-single-live
	@SLINK_RACE_ROUNDS=20000 build-check/tests/test-attack-fix

# slink's ln against coreutils' ln on random trees and command lines:
# 10,000 scenarios as root, 1,000 as an unprivileged user (needs root).
fuzz-ln: build
	@python3 -u tests/diff/ln_fuzz.py --slink $(BUILD)/slink --seed 1 --count 10000
	@python3 -u tests/diff/ln_fuzz.py --slink $(BUILD)/slink --seed 100001 --count 1000 --unpriv

bench: build
	@sh tools/deps.sh deps/debian-packages-bench.txt
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

# The crash test of slink move on the benchmark tree (hours; root): SIGKILL
# at every step and at CRASH_KILLS random moments per target, from an ext4
# image to tmpfs and to xfs; each kill's state is forked (the images copied)
# and --resume runs on one copy, --rollback on the other. CRASH_MINUTES
# (0: none) stops drawing moments after that long, the summary says how
# many ran. Then 1,100 --link-dest snapshots on an NTFS image, and clone
# against cp -a on the same tree. The summaries go to build-crash/crash.json.
CRASH_FILES ?= 170000
CRASH_KILLS ?= 200
CRASH_TARGETS ?= tmpfs,xfs
CRASH_MINUTES ?= 0
crash: deps
	@[ -f build-crash/build.ninja ] || meson setup build-crash -Dbuildtype=release
	@meson compile -C build-crash
	@python3 -u tests/crash/move_crash.py --slink build-crash/slink \
	  --driver build-crash/tests/move-driver --files $(CRASH_FILES) \
	  --kills $(CRASH_KILLS) --targets $(CRASH_TARGETS) --minutes $(CRASH_MINUTES) \
	  --manifest build-crash/tests/crash-manifest --json build-crash/crash.json
	@python3 -u tests/ntfs/link_dest.py --slink build-crash/slink --fs ntfs \
	  --snapshots 1100 --json build-crash/crash.json
	@python3 -u tests/diff/clone_cp.py --slink build-crash/slink \
	  --files $(CRASH_FILES)
