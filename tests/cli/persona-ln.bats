#!/usr/bin/env bats
# slink run as "ln": what the comparison with GNU ln (persona-ln-gnu.bats)
# cannot show - slink's own choices and what GNU would do differently as
# root.
load helpers

setup() {
  setup_dir
  make_original
  P="$BATS_TEST_TMPDIR/bin"
  mkdir -p "$P"
  ln -sf "$SLINK" "$P/ln"
  export LC_ALL=C.UTF-8
}
teardown() { teardown_dir; }

@test "ln: -s makes a symbolic link storing the target as typed" {
  run --separate-stderr "$P/ln" -s original/text.txt l
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  [ -z "$stderr" ]
  [ "$(readlink l)" = "original/text.txt" ]
  [ "$(cat l)" = "hello" ]
}

@test "ln: -d and -F never hard-link a directory, also for root" {
  for opt in -d -F --directory; do
    run --separate-stderr "$P/ln" "$opt" original x
    [ "$status" -eq 1 ]
    # GNU's words: the system refuses, as Linux does for everyone.
    [ "$stderr" = "$P/ln: failed to create hard link 'x' => 'original': Operation not permitted" ]
  done
  [ ! -e x ]
  # files are linked as usual
  run "$P/ln" -d original/text.txt h
  [ "$status" -eq 0 ]
  [ "$(stat -c %h h)" -eq 2 ]
}

@test "ln: messages name the program as it was called" {
  run --separate-stderr "$P/ln" original/text.txt original/text.txt
  [ "$status" -eq 1 ]
  [ "$stderr" = "$P/ln: failed to create hard link 'original/text.txt': File exists" ]
  cd "$P"
  run --separate-stderr ./ln
  [ "$stderr" = "./ln: missing file operand
Try './ln --help' for more information." ]
}

@test "ln: --help and --version" {
  run --separate-stderr "$P/ln" --help
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "Usage: $P/ln [OPTION]... [-T] TARGET LINK_NAME" ]
  for opt in --backup -b -d -f -i -L -n -P -r -s -S -t -T -v --help --version; do
    echo "$output" | grep -q -e "$opt" || { echo "help lacks $opt"; false; }
  done
  run --separate-stderr "$P/ln" --version
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "ln (slink) $("$SLINK" --version | cut -d' ' -f2)" ]
  run "$P/ln" --vers
  [ "$status" -eq 0 ]
}

@test "ln: -f replaces a link atomically and never touches its target" {
  ln -s original old
  run --separate-stderr "$P/ln" -sfn original/text.txt old
  [ "$status" -eq 0 ]
  [ "$(readlink old)" = "original/text.txt" ]
  [ "$(ls original)" = "text.txt" ]
  [ "$(cat original/text.txt)" = "hello" ]
  # no temporary name is left beside it
  [ "$(ls -A | LC_ALL=C sort | tr '\n' ' ')" = "old original " ]
}

@test "ln: a backup keeps the replaced link" {
  ln -s original b
  run --separate-stderr "$P/ln" -snbv original/text.txt b
  [ "$status" -eq 0 ]
  [ "$output" = "'b~' ~ 'b' -> 'original/text.txt'" ]
  [ "$(readlink 'b~')" = "original" ]
  [ "$(readlink b)" = "original/text.txt" ]
}

@test "ln: names that are not UTF-8" {
  name=$(printf 'bad\377name')
  run --separate-stderr "$P/ln" -sv original/text.txt "$name"
  [ "$status" -eq 0 ]
  [ "$output" = "'bad'\$'\\377''name' -> 'original/text.txt'" ]
  [ "$(readlink "$name")" = original/text.txt ]
  run --separate-stderr "$P/ln" -s original/text.txt "$name"
  [ "$stderr" = "$P/ln: failed to create symbolic link 'bad'\$'\\377''name': File exists" ]
}

@test "ln: hard links, -L follows a symbolic link, -P (the default) does not" {
  ln -s original/text.txt sl
  run "$P/ln" sl p1
  [ "$status" -eq 0 ]
  [ -L p1 ]
  [ "$(stat -c %i p1)" = "$(stat -c %i sl)" ]
  run "$P/ln" -L sl l1
  [ "$status" -eq 0 ]
  [ ! -L l1 ]
  [ "$(stat -c %i l1)" = "$(stat -c %i original/text.txt)" ]
}

@test "ln: acceptance: a link to original, read through, slink rm keeps it" {
  run "$P/ln" -s "$T/original" symlinked
  [ "$status" -eq 0 ]
  run "$SLINK" ls
  echo "$output" | grep -E '<SYMLINKD> +symlinked \['"$T"'/original\]$'
  [ "$(cat symlinked/text.txt)" = "hello" ]
  run "$SLINK" rm symlinked
  [ "$status" -eq 0 ]
  [ "$(cat original/text.txt)" = "hello" ]
}

@test "ln: -si never replaces a file by a link to itself (GNU does)" {
  echo data > x
  run --separate-stderr "$P/ln" -si x x <<<"y"
  [ "$status" -eq 1 ]
  [ "$stderr" = "$P/ln: replace 'x'? $P/ln: 'x' and 'x' are the same file" ]
  [ -f x ] && [ ! -L x ] && [ "$(cat x)" = data ]
  run --separate-stderr "$P/ln" -si x ./x <<<"n"
  [ "$status" -eq 0 ]
  [ "$stderr" = "$P/ln: replace './x'?" ] # bats drops the final space
  [ "$(cat x)" = data ]
  # -sfi: the last of -f and -i counts, the same refusal
  run --separate-stderr "$P/ln" -sfi x x <<<"y"
  [ "$status" -eq 1 ]
  [ "$(cat x)" = data ]
}
