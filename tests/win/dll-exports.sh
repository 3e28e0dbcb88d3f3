#!/bin/sh
# The DLL exports the public API and nothing else: its export table holds
# exactly the functions include/slink.h declares, no internal slink__ name.
# Usage: dll-exports.sh OBJDUMP DLL slink.h (TAP).
objdump=$1 dll=$2 header=$3
T=$(mktemp -d "${TMPDIR:-/tmp}/slink-dll.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
echo 1..3
"$objdump" -p "$dll" | sed -n '/^\[Ordinal\/Name Pointer\] Table/,/^$/p' |
  sed -n 's/^[[:space:]]*\[ *[0-9]*\] //p' | LC_ALL=C sort > "$T/exported"
grep -oE '^[a-z][a-z_ ]*[ *](slink_[a-z_0-9]+)\(' "$header" |
  grep -oE 'slink_[a-z_0-9]+' | LC_ALL=C sort -u > "$T/declared"

if [ -s "$T/exported" ] && ! grep -q '^slink__' "$T/exported"; then
  echo "ok 1 no internal slink__ name is exported ($(wc -l < "$T/exported") exports)"
else
  echo "not ok 1 no internal slink__ name is exported"
  grep '^slink__' "$T/exported" | head -5 | sed 's/^/# /'
fi
extra=$(LC_ALL=C comm -23 "$T/exported" "$T/declared")
if [ -s "$T/exported" ] && [ -z "$extra" ]; then
  echo "ok 2 every export is declared in slink.h"
else
  echo "not ok 2 every export is declared in slink.h"
  printf '%s\n' "$extra" | head -5 | sed 's/^/# not declared: /'
fi
missing=$(LC_ALL=C comm -13 "$T/exported" "$T/declared")
if [ -s "$T/declared" ] && [ -z "$missing" ]; then
  echo "ok 3 every function slink.h declares is exported ($(wc -l < "$T/declared"))"
else
  echo "not ok 3 every function slink.h declares is exported"
  printf '%s\n' "$missing" | head -5 | sed 's/^/# missing: /'
fi
