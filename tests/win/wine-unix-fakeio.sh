#!/bin/sh
# wine-unix-fakeio.sh TEST-WIN-FAKEIO.EXE - the calls slink convert reads
# and makes files with, run through Wine on entries made on the Linux
# side (a symlink, a FIFO), then checked from Linux: the symlink's target
# is never written. Prints TAP.
set -u
exe=$1
case $exe in /*) ;; *) exe=$PWD/$exe ;; esac
if ! command -v wine >/dev/null 2>&1; then
  echo "1..0 # SKIP Wine is not installed"
  exit 0
fi
export WINEDEBUG=-all LC_ALL=C.UTF-8
export WINEPREFIX="${WINEPREFIX:-${TMPDIR:-/tmp}/slink-wine-$(id -u)}"
unset DISPLAY WAYLAND_DISPLAY
dir=$(mktemp -d "${TMPDIR:-/tmp}/slink-unix-fakeio-XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
echo secret > target.txt
echo data > plain
ln -s target.txt file-link
mkfifo fifo
# A FIFO that blocked would hold the test until meson's timeout.
out=$(wine "$exe" --unix-entries "Z:$(echo "$dir" | tr / '\\')")
status=$?
n=$(printf '%s\n' "$out" | grep -c '^\(not \)\{0,1\}ok ')
printf '%s\n' "$out" | grep -v '^1\.\.'
n=$((n + 1))
if [ -L file-link ] && [ "$(cat target.txt)" = secret ]; then
  echo "ok $n - the symlink and its target are as they were"
else
  echo "not ok $n - the symlink and its target are as they were"
  status=1
fi
echo "1..$n"
exit $status
