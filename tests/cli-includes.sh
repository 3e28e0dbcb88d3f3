#!/bin/sh
# The program sees the library through include/slink.h only: no file of
# src/cli includes an internal header (sys.h, lib/, posix/, win/). The link
# with the shared library catches calls; this catches types and macros.
# Usage: cli-includes.sh SOURCE-ROOT (TAP).
root=$1
echo 1..1
bad=$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$root"/src/cli/*.c "$root"/src/cli/*.h |
  grep -vE '#[[:space:]]*include[[:space:]]*"(slink\.h|cli/[a-z-]+\.h)"')
if [ -z "$bad" ]; then
  echo "ok 1 src/cli includes only slink.h and its own headers"
else
  echo "not ok 1 src/cli includes only slink.h and its own headers"
  printf '%s\n' "$bad" | sed "s|^$root/||; s/^/# /"
fi
