#!/bin/sh
# wine-unix-handles.sh TEST-WIN-HANDLE.EXE - Linux symlinks made on the
# Linux side, then the handle calls run on them through Wine (which opens
# a Linux symlink's target even when asked not to follow): the program
# prints TAP.
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
dir=$(mktemp -d "${TMPDIR:-/tmp}/slink-unix-handles-XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
mkdir target-dir empty-dir
echo inside > target-dir/inside.txt
echo data > target.txt
ln -s target.txt file-link
ln -s target-dir dir-link
ln -s empty-dir empty-link
wine "$exe" --unix-links "Z:$(echo "$dir" | tr / '\\')"
