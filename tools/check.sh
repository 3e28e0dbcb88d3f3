#!/bin/sh
# make check: build with AddressSanitizer and UBSan, run every suite, then
# cross-build the Windows program and run its suites under Wine. The last
# line is the total over all of them: "N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")/.."
logs=""
status=0

# The program links the shared library, which exports only the public
# API: a call from src/cli into anything else fails to link.
if [ ! -f build-check/build.ninja ]; then
  meson setup build-check -Db_sanitize=address,undefined -Db_lundef=false \
    -Dprogram_link=shared >/dev/null || exit 1
else
  meson configure build-check -Dprogram_link=shared >/dev/null || exit 1
fi
meson compile -C build-check || exit 1
# The Debian packages take minutes: they are `make package-check`.
meson test -C build-check --print-errorlogs --num-processes 2 --no-suite pkg || status=1
logs="$logs build-check/meson-logs/testlog.json"

if [ -f cross/mingw-w64.ini ]; then
  if [ ! -f build-win/build.ninja ]; then
    meson setup build-win --cross-file cross/mingw-w64.ini \
      -Dprogram_link=shared >/dev/null || exit 1
  else
    meson configure build-win -Dprogram_link=shared >/dev/null || exit 1
  fi
  meson compile -C build-win || exit 1
  meson test -C build-win --print-errorlogs --num-processes 1 || status=1
  logs="$logs build-win/meson-logs/testlog.json"
fi

# shellcheck disable=SC2086
python3 tests/summary.py $logs || status=1
exit $status
