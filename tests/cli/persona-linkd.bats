#!/usr/bin/env bats
# slink run as "linkd" (Resource Kit): make, show and delete junctions.
load helpers

setup() {
  setup_dir
  make_original
  P="$BATS_TEST_TMPDIR/bin"
  mkdir -p "$P"
  ln -sf "$SLINK" "$P/linkd"
}
teardown() { teardown_dir; }

@test "linkd: acceptance: make, ls, read through, linkd /D keeps the original" {
  run --separate-stderr "$P/linkd" symlinked original
  [ "$status" -eq 0 ]
  [ "$output" = "Link created at: symlinked" ]
  [ -z "$stderr" ]
  [ "$(readlink symlinked)" = "$T/original" ]
  run "$SLINK" ls
  echo "$output" | grep -E '<SYMLINKD> +symlinked \['"$T"'/original\]$'
  [ "$(cat symlinked/text.txt)" = "hello" ]
  run --separate-stderr "$P/linkd" symlinked /D
  [ "$status" -eq 0 ]
  [ "$output" = "The delete operation succeeded." ]
  [ ! -e symlinked ]
  [ ! -L symlinked ]
  [ "$(cat original/text.txt)" = "hello" ]
}

@test "linkd: acceptance: removal by slink rm keeps the original" {
  run "$P/linkd" symlinked original
  [ "$status" -eq 0 ]
  run "$SLINK" rm symlinked
  [ "$status" -eq 0 ]
  [ ! -L symlinked ]
  [ "$(cat original/text.txt)" = "hello" ]
}

@test "linkd: Source alone shows the target on the next line" {
  "$P/linkd" l2 original
  run --separate-stderr "$P/linkd" l2
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "Source  l2 is linked to" ]
  [ "${lines[1]}" = "$T/original" ]
  [ "${#lines[@]}" -eq 2 ]
}

@test "linkd: a directory that is no junction" {
  run --separate-stderr "$P/linkd" original
  [ "$status" -eq 0 ]
  [ "$output" = "original  is not linked to another directory." ]
}

@test "linkd: a missing Source" {
  run --separate-stderr "$P/linkd" nothing
  [ "$status" -eq 1 ]
  [ "$output" = "The system cannot find the file specified." ]
}

@test "linkd: /D in any case; a failed delete says so and keeps everything" {
  "$P/linkd" j original
  run --separate-stderr "$P/linkd" j /d
  [ "$status" -eq 0 ]
  [ "$output" = "The delete operation succeeded." ]
  [ ! -L j ]
  # a real directory, a file with two names, a missing name: never deleted
  ln original/text.txt second
  for victim in original second nothing; do
    run --separate-stderr "$P/linkd" "$victim" /D
    [ "$status" -eq 1 ]
    [ "$output" = "The delete operation failed." ]
  done
  [ "$(cat original/text.txt)" = "hello" ]
  [ "$(cat second)" = "hello" ]
}

@test "linkd: an existing Source is not replaced" {
  mkdir full
  echo keep > full/f
  run --separate-stderr "$P/linkd" full original
  [ "$status" -eq 1 ]
  [ "$output" = "Cannot create a file when that file already exists." ]
  [ "$(cat full/f)" = keep ]
}

@test "linkd: a Destination that is missing" {
  run --separate-stderr "$P/linkd" j nothing
  [ "$status" -eq 1 ]
  [ "$output" = "The system cannot find the file specified." ]
  [ ! -e j ]
  [ ! -L j ]
}

@test "linkd: /? prints the usage; no argument or too many print it and fail" {
  run --separate-stderr "$P/linkd" /?
  [ "$status" -eq 0 ]
  echo "$output" | grep -F "LINKD Source [/D] Destination"
  usage=$output
  run --separate-stderr "$P/linkd"
  [ "$status" -eq 1 ]
  [ "$output" = "$usage" ]
  run --separate-stderr "$P/linkd" a b c
  [ "$status" -eq 1 ]
  [ "$output" = "$usage" ]
  [ -z "$stderr" ]
  [ ! -e a ]
}
