#!/usr/bin/env bats
# The man pages keep up with the program: every command slink --help lists
# has a page and an entry in slink(1); the OPTIONS of each page are made
# from the option tables the program parses with, and every option a
# command's --help lists has an entry in its built page and no page more.
# The pages build with scdoc and install with the rest.
load helpers

MAN="$SLINK_SRC/docs/man"
# The pages as built: their OPTIONS made from the program's option tables.
BUILT="${SLINK_BUILD:-}/docs/man"

commands() {
  "$SLINK" --help | awk '/^commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}'
}

# The options a command's --help lists, one per line: every name on a line
# that starts an entry ("  -r, -R, --recursive", "      --json").
help_options() {
  "$SLINK" "$1" --help | grep -E '^(  -[[:alnum:]]|      --[[:alnum:]])' | sed -E 's/^ +//; s/  .*//' |
    grep -oE -- '(^|, )--?[[:alnum:]][-[:alnum:]]*' | grep -oE -- '--?[[:alnum:]][-[:alnum:]]*' |
    LC_ALL=C sort -u
}

# The options a page has entries for: the bold options on lines that
# start an entry ("*-s*, *--symbolic*" or "*--drive* _X:_").
page_options() {
  grep -E '^\*-' "$1" | grep -oE -- '\*--?[[:alnum:]][-[:alnum:]]*\*' | tr -d '*' |
    LC_ALL=C sort -u
}

need_built() {
  [ -n "${SLINK_BUILD:-}" ] || skip "SLINK_BUILD (the build directory) is not set"
  [ -f "$BUILT/slink-make.1.scd" ] || skip "this build makes no man pages (no scdoc)"
}

setup() { setup_dir; }
teardown() { teardown_dir; }

@test "manpages: there is a command list to check" {
  run commands
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -ge 4 ]
}

@test "manpages: every command has a page and an entry in slink(1)" {
  for c in $(commands); do
    [ -f "$MAN/slink-$c.1.scd" ] || { echo "no page docs/man/slink-$c.1.scd"; return 1; }
    grep -qE "^\*$c\* " "$MAN/slink.1.scd" || { echo "slink(1) has no entry for $c"; return 1; }
    grep -qE "\*slink-$c\*\(1\)" "$MAN/slink.1.scd" || { echo "slink(1) does not point to slink-$c(1)"; return 1; }
    head -1 "$MAN/slink-$c.1.scd" | grep -qx "slink-$c(1)"
  done
}

@test "manpages: every option in a command's --help has an entry in its page" {
  need_built
  missing=""
  for c in $(commands); do
    documented=$(page_options "$BUILT/slink-$c.1.scd")
    for o in $(help_options "$c") --color --quiet -q; do
      grep -qxe "$o" <<<"$documented" || missing="$missing slink-$c(1):$o"
    done
  done
  [ -z "$missing" ] || { echo "options without a man-page entry:$missing"; return 1; }
}

@test "manpages: no page documents an option its command does not take" {
  need_built
  stale=""
  for c in $(commands); do
    offered=$(help_options "$c")
    for o in $(page_options "$BUILT/slink-$c.1.scd"); do
      grep -qxe "$o" <<<"$offered" || stale="$stale slink-$c(1):$o"
    done
  done
  [ -z "$stale" ] || { echo "documented but not in --help:$stale"; return 1; }
}

@test "manpages: the comparison catches a missing entry" {
  need_built
  # The same check on a page with one entry taken out must complain.
  grep -v -e '^\*--json\*' "$BUILT/slink-show.1.scd" > show.scd
  documented=$(page_options show.scd)
  run ! grep -qxe --json <<<"$documented"
  help_options show | grep -qxe --json
  # and -R, which rm takes beside -r, is in both
  help_options rm | grep -qxe -R
  page_options "$BUILT/slink-rm.1.scd" | grep -qxe -R
}

@test "manpages: slink(1) has an entry for every option slink --help lists, and no more" {
  need_built
  offered=$("$SLINK" --help | sed -n '/^options:/,/^$/p' | grep -E '^(  -[[:alnum:]]|      --)' |
    sed -E 's/^ +//; s/  .*//' | grep -oE -- '--?[[:alnum:]][-[:alnum:]]*' | LC_ALL=C sort -u)
  sed -n '/^# OPTIONS$/,/^# /p' "$BUILT/slink.1.scd" > main.scd
  [ -n "$offered" ]
  [ "$offered" = "$(page_options main.scd)" ]
  grep -qxe --version <<<"$offered"
}

@test "manpages: options are written once, in the program's tables" {
  # A command's page holds no entries of its own under OPTIONS, only the
  # line the build puts them in place of.
  for c in $(commands); do
    section=$(sed -n '/^# OPTIONS$/,/^# /p' "$MAN/slink-$c.1.scd" | sed '1d;$d' | grep -v '^$')
    [ "$section" = "; options of this command: made from its option table (src/cli)" ] ||
      { echo "slink-$c(1) OPTIONS: $section"; return 1; }
  done
  section=$(sed -n '/^# OPTIONS$/,/^# /p' "$MAN/slink.1.scd" | sed '1d;$d' | grep -v '^$')
  [ "$section" = "; options of slink: made from src/cli/commands.c" ]
}

@test "manpages: slink(1) documents --help, --version and the environment" {
  need_built
  for w in '^\*-h\*, \*--help\*' '^\*-V\*, \*--version\*' '^\*NO_COLOR\*' '^\*LS_COLORS\*' \
           '^\*--color\*' '^\*-q\*, \*--quiet\*'; do
    grep -qE "$w" "$BUILT/slink.1.scd" || { echo "slink(1) lacks $w"; return 1; }
  done
  "$SLINK" --version >/dev/null
  "$SLINK" -V >/dev/null
}

@test "manpages: every page builds with scdoc and names itself" {
  command -v scdoc >/dev/null || skip "scdoc is not installed"
  for p in "$MAN"/*.scd; do
    name=$(basename "$p" .scd)
    scdoc < "$p" > "$name" || { echo "scdoc failed on $p"; return 1; }
    grep -q '^\.TH "'"${name%.*}"'" "'"${name##*.}"'"' "$name" ||
      { echo "$name: wrong title line"; return 1; }
  done
  [ -f slink-compat.7 ]
  [ -f libslink.3 ]
  # libslink(3) names every function the header declares.
  for f in $(grep -oE '^[a-z][a-z_ ]*[ *](slink_[a-z_]+)\(' "$SLINK_SRC/include/slink.h" | grep -oE 'slink_[a-z_]+'); do
    grep -q "$f" "$MAN/libslink.3.scd" || { echo "libslink(3) lacks $f"; return 1; }
  done
}

@test "install: man pages and completions are laid out" {
  [ -n "${SLINK_BUILD:-}" ] || skip "SLINK_BUILD (the build directory) is not set"
  command -v scdoc >/dev/null || skip "scdoc is not installed"
  grep -q "man/man1/slink.1" "$SLINK_BUILD/meson-info/intro-installed.json" ||
    skip "this build was configured without man pages (-Dman=disabled or no scdoc at setup)"
  run meson install -C "$SLINK_BUILD" --no-rebuild --destdir "$T/root"
  [ "$status" -eq 0 ]
  for p in man1/slink.1 man1/slink-make.1 man1/slink-scan.1 man7/slink-compat.7 man3/libslink.3; do
    [ -n "$(find "$T/root" -path "*/share/man/$p")" ] || { echo "no $p"; return 1; }
  done
  [ -n "$(find "$T/root" -path '*/share/bash-completion/completions/slink')" ]
  [ -n "$(find "$T/root" -path '*/zsh/*/_slink')" ]
  [ -n "$(find "$T/root" -path '*/share/fish/vendor_completions.d/slink.fish')" ]
  [ -n "$(find "$T/root" -path '*/bin/slink')" ]
  command -v man >/dev/null || return 0
  page=$(find "$T/root" -path '*/man1/slink.1')
  run man -l "$page"
  [ "$status" -eq 0 ]
  [[ "$output" == *"slink - make, see and remove filesystem links safely"* ]]
}

@test "manpages: slink-compat(7) has a section for every personality" {
  names=$(sed -n '/^static const personality personalities/,/^};/p' "$SLINK_SRC/src/cli/main.c" |
    grep -oE '\{"[a-z]+",' | tr -d '{",')
  [ -n "$names" ]
  for p in $names; do
    up=$(printf '%s' "$p" | tr a-z A-Z)
    grep -qx "# $up" "$MAN/slink-compat.7.scd" || { echo "slink-compat(7) has no $up section"; return 1; }
  done
}
