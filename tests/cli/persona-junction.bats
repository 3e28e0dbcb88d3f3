#!/usr/bin/env bats
# slink run as "junction" (Sysinternals): make, show, list and delete.
load helpers

setup() {
  setup_dir
  make_original
  P="$BATS_TEST_TMPDIR/bin"
  mkdir -p "$P"
  ln -sf "$SLINK" "$P/junction"
}
teardown() { teardown_dir; }

@test "junction: acceptance: make, ls, read through, -d keeps the original" {
  run --separate-stderr "$P/junction" -nobanner symlinked original
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "Created: $T/symlinked" ]
  [ "${lines[1]}" = "Targetted at: $T/original" ]
  [ "${#lines[@]}" -eq 2 ]
  [ "$(readlink symlinked)" = "$T/original" ]
  run "$SLINK" ls
  echo "$output" | grep -E '<SYMLINKD> +symlinked \['"$T"'/original\]$'
  [ "$(cat symlinked/text.txt)" = "hello" ]
  run --separate-stderr "$P/junction" -nobanner -d symlinked
  [ "$status" -eq 0 ]
  [ "$output" = "Deleted symlinked." ]
  [ ! -e symlinked ]
  [ ! -L symlinked ]
  [ "$(cat original/text.txt)" = "hello" ]
}

@test "junction: acceptance: removal by slink rm keeps the original" {
  run "$P/junction" symlinked original
  [ "$status" -eq 0 ]
  run "$SLINK" rm symlinked
  [ "$status" -eq 0 ]
  [ ! -L symlinked ]
  [ "$(cat original/text.txt)" = "hello" ]
}

@test "junction: the banner comes first, three lines naming slink, then a blank line" {
  run --separate-stderr "$P/junction" symlinked original
  [ "$status" -eq 0 ]
  first=$(printf '%s\n' "$output" | head -n 5)
  [ "$(printf '%s\n' "$first" | sed -n 1p | grep -c slink)" -eq 1 ]
  [ "$(printf '%s\n' "$first" | sed -n 4p)" = "" ]
  [ "$(printf '%s\n' "$first" | sed -n 5p)" = "Created: $T/symlinked" ]
  run ! grep -i -E 'Russinovich|Sysinternals - www' <<<"$output"
}

@test "junction: showing a link, a plain directory, a missing path" {
  "$P/junction" -nobanner j original >/dev/null
  run --separate-stderr "$P/junction" -nobanner j
  [ "$status" -eq 0 ]
  [ "$output" = "$T/j: SYMBOLIC LINK
   Print Name     : $T/original
   Substitute Name: $T/original" ]
  run --separate-stderr "$P/junction" -nobanner original
  [ "$status" -eq 0 ]
  [ "$output" = "No reparse points found." ]
  run --separate-stderr "$P/junction" -nobanner nothing
  [ "$status" -eq 0 ]
  [ "$output" = "No matching files were found." ]
}

@test "junction: -s lists every link below, links never entered" {
  mkdir -p deep/er
  "$P/junction" -nobanner deep/er/j original >/dev/null
  ln -s text.txt original/rel
  ln -s "$T" deep/loop
  run --separate-stderr "$P/junction" -nobanner -s .
  [ "$status" -eq 0 ]
  [ "$output" = "$T/deep/er/j: SYMBOLIC LINK
   Print Name     : $T/original
   Substitute Name: $T/original

$T/deep/loop: SYMBOLIC LINK
   Print Name     : $T
   Substitute Name: $T

$T/original/rel: SYMBOLIC LINK
   Print Name     : text.txt
   Substitute Name: text.txt" ]
  run --separate-stderr "$P/junction" -nobanner -s original/text.txt
  [ "$output" = "No reparse points found." ]
  mkdir empty
  run --separate-stderr "$P/junction" -nobanner -s empty
  [ "$output" = "No reparse points found." ]
}

@test "junction: switches with - or / in any case" {
  run --separate-stderr "$P/junction" /NOBANNER j original
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "Created: $T/j" ]
  run --separate-stderr "$P/junction" -NoBanner /D j
  [ "$status" -eq 0 ]
  [ "$output" = "Deleted j." ]
  "$P/junction" -nobanner j original >/dev/null
  run --separate-stderr "$P/junction" -nobanner /S .
  [ "${lines[0]}" = "$T/j: SYMBOLIC LINK" ]
}

@test "junction: -d of something that is no link fails and keeps it" {
  ln original/text.txt second
  for victim in original second; do
    run --separate-stderr "$P/junction" -nobanner -d "$victim"
    [ "$status" -eq 255 ]
    [ "$stderr" = "$victim is not a reparse point." ]
    [ -z "$output" ]
  done
  run --separate-stderr "$P/junction" -nobanner -q -d original
  [ "$status" -eq 255 ]
  [ -z "$stderr" ]
  [ "$(cat original/text.txt)" = "hello" ]
  [ "$(cat second)" = "hello" ]
}

@test "junction: a failed create exits 255; -q keeps it quiet" {
  run --separate-stderr "$P/junction" -nobanner j nothing
  [ "$status" -eq 255 ]
  [ "$stderr" = "Error creating j: The system cannot find the file specified." ]
  run --separate-stderr "$P/junction" -nobanner -q j nothing
  [ "$status" -eq 255 ]
  [ -z "$stderr" ]
  [ -z "$output" ]
  run --separate-stderr "$P/junction" -nobanner original original
  [ "$status" -eq 255 ]
  [ "$stderr" = "Error creating original: Cannot create a file when that file already exists." ]
}

@test "junction: usage errors print the usage and exit 255" {
  run --separate-stderr "$P/junction" -nobanner
  [ "$status" -eq 255 ]
  echo "$output" | grep -F 'usage: junction [-s] [-q] <file or directory>'
  echo "$output" | grep -F 'usage: junction <junction directory> <junction target>'
  echo "$output" | grep -F 'usage: junction -d <junction directory>'
  usage=$output
  for args in "-x a" "a b c" "-d" "-d a b" "-s a b" "/?"; do
    # shellcheck disable=SC2086
    run --separate-stderr "$P/junction" -nobanner $args
    [ "$status" -eq 255 ]
    [ "$output" = "$usage" ]
  done
  [ ! -e a ]
  [ ! -L a ]
}

@test "junction: a failed delete says Error deleting and exits 255" {
  run --separate-stderr "$P/junction" -nobanner -d nothing
  [ "$status" -eq 255 ]
  [ "$stderr" = "Error deleting nothing: The system cannot find the file specified." ]
  [ -z "$output" ]
  run --separate-stderr "$P/junction" -nobanner -q -d nothing
  [ "$status" -eq 255 ]
  [ -z "$stderr" ]
}
