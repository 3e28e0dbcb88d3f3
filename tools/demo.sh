#!/bin/sh
# make demo: the acceptance scenario, step by step, in a temporary folder.
# Every step is printed before it runs; any failure stops the demo with a
# non-zero status.
set -eu
slink=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d "${TMPDIR:-/tmp}/slink-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

step() {
  printf '\n$ %s\n' "$*"
  "$@"
}
check() { # check DESCRIPTION COMMAND...: a claim the demo verifies
  if "$@" >/dev/null 2>&1; then
    printf '  ok: %s\n' "$desc"
  else
    printf '  FAILED: %s\n' "$desc"
    exit 1
  fi
}
slink() { "$slink" "$@"; }

echo "slink demo in a temporary folder"
step mkdir original
step sh -c 'echo "hello from original" > original/text.txt'
step slink make -j symlinked original
desc="symlinked is a link, not a folder"; check test -L symlinked
step slink ls
desc="ls shows symlinked as a link"
check sh -c "'$slink' ls | grep -E '<(JUNCTION|SYMLINKD)> +symlinked '"
step slink show symlinked
step cat symlinked/text.txt
step slink rm symlinked
desc="the link is gone"; check test ! -L symlinked
step cat original/text.txt
desc="original/text.txt is intact"; check test -f original/text.txt

echo
echo "hard links"
step slink make -H hard.txt original/text.txt
step slink ls original
step slink rm hard.txt
desc="original/text.txt is intact"; check test -f original/text.txt

# The same binary under other tools' names speaks their language.
bin=$work/.bin
mkdir "$bin"
for name in mklink linkd junction; do ln -s "$slink" "$bin/$name"; done
mklink() { "$bin/mklink" "$@"; }
linkd() { "$bin/linkd" "$@"; }
junction() { "$bin/junction" "$@"; }
if "$bin/mklink" /? >/dev/null 2>&1; then
  echo
  echo "personalities (the same binary under other names)"
  step mklink /J symlinked original
  step cat symlinked/text.txt
  step slink rm symlinked
  step linkd symlinked original
  step linkd symlinked
  step linkd symlinked /D
  step junction -nobanner symlinked original
  step junction -nobanner -d symlinked
  step mklink /H hard.txt original/text.txt
  step slink rm hard.txt
  desc="original/text.txt is intact"; check test -f original/text.txt
fi
echo
echo "demo finished: every step worked"
