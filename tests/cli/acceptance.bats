#!/usr/bin/env bats
# The story every release must pass (DEVELOPERS.md): link, see, read
# through, remove; the original is intact.
load helpers

setup() { setup_dir; make_original; }
teardown() { teardown_dir; }

@test "acceptance: make -j, ls shows a link, read through, rm keeps the original" {
  run "$SLINK" make -j symlinked original
  [ "$status" -eq 0 ]
  [ -L symlinked ]
  [ "$(readlink symlinked)" = "$T/original" ]

  run "$SLINK" ls
  [ "$status" -eq 0 ]
  echo "$output" | grep -E '^[0-9-]+  [0-9:]+    <SYMLINKD> +symlinked \['"$T"'/original\]$'
  # never shown as a plain folder
  plain='<DIR> +symlinked'
  [[ ! "$output" =~ $plain ]] || false

  [ "$(cat symlinked/text.txt)" = "hello" ]

  run "$SLINK" rm symlinked
  [ "$status" -eq 0 ]
  [ ! -e symlinked ]
  [ ! -L symlinked ]
  [ "$(cat original/text.txt)" = "hello" ]
}

@test "acceptance: the same with a symbolic link and a hard link" {
  run "$SLINK" make symlinked original
  [ "$status" -eq 0 ]
  [ "$(readlink symlinked)" = "original" ]
  [ "$(cat symlinked/text.txt)" = "hello" ]
  run "$SLINK" make -H hard.txt original/text.txt
  [ "$status" -eq 0 ]
  [ "$(stat -c %i hard.txt)" = "$(stat -c %i original/text.txt)" ]
  run "$SLINK" rm symlinked hard.txt
  [ "$status" -eq 0 ]
  [ "$(cat original/text.txt)" = "hello" ]
  [ "$(stat -c %h original/text.txt)" = 1 ]
}

@test "acceptance: make demo's script runs the whole story and checks each claim" {
  run sh "$SLINK_SRC/tools/demo.sh" "$SLINK"
  [ "$status" -eq 0 ]
  [[ "$output" == *"ok: ls shows symlinked as a link"* ]]
  [[ "$output" == *"ok: original/text.txt is intact"* ]]
  [[ "$output" == *"Junction created for symlinked <<===>> original"* ]]
  [ "${lines[${#lines[@]}-1]}" = "demo finished: every step worked" ]
}
