#!/usr/bin/env bats
# Help, version and the command table.
load helpers

@test "help: slink --help lists every command" {
  run "$SLINK" --help
  [ "$status" -eq 0 ]
  for c in make show ls rm; do echo "$output" | grep -qE "^  $c "; done
}

@test "help: each command has --help and -h with its usage line" {
  for c in make show ls rm; do
    run "$SLINK" "$c" --help
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == "usage: slink $c "* ]]
    run "$SLINK" "$c" -h
    [ "$status" -eq 0 ]
  done
}

@test "help: --version" {
  run "$SLINK" --version
  [ "$status" -eq 0 ]
  [[ "$output" =~ ^slink\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "help: no command and unknown commands are usage errors" {
  run "$SLINK"
  [ "$status" -eq 2 ]
  run "$SLINK" frobnicate
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: unknown command frobnicate" ]
}
