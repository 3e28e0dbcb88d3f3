#!/usr/bin/env bats
# slink show: what a path is, in words and in JSON.
load helpers

setup() { setup_dir; make_original; }
teardown() { teardown_dir; }

json_field() { # json_field FIELD  (reads one object from stdin)
  python3 -c 'import json,sys; v=json.loads(sys.stdin.read())[sys.argv[1]]; print(json.dumps(v))' "$1"
}

@test "show: a directory symlink in words" {
  ln -s original l
  run "$SLINK" show l
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "l" ]
  [ "${lines[1]}" = "  kind:      dir-symlink" ]
  [ "${lines[2]}" = "  target:    original" ]
  [ "${lines[3]}" = "  resolved:  $T/original (dir)" ]
  [ "${lines[4]}" = "  states:    ok, relative" ]
  [ "${lines[5]}" = "  names:     1" ]
  [ "${lines[7]}" = "  inode:     $(stat -c %i l)" ]
}

@test "show: a trailing slash shows the link, not its target" {
  ln -s original l
  run "$SLINK" show l/
  [ "$status" -eq 0 ]
  [ "${lines[1]}" = "  kind:      dir-symlink" ]
}

@test "show: dangling and looping links" {
  ln -s nowhere d
  ln -s b a
  ln -s a b
  run "$SLINK" show d a
  [ "$status" -eq 0 ]
  echo "$output" | grep -qx "  states:    dangling, relative"
  echo "$output" | grep -qx "  states:    loop, relative"
  echo "$output" | grep -qx "  resolved:  $T/nowhere (none)"
}

@test "show: a link whose target cannot be reached is denied" {
  nobody_slink
  mkdir -m 700 private
  echo secret > private/f
  ln -s "$T/private/f" l
  run as_nobody "$NB/slink" show --json l
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | json_field states)" = '["denied", "absolute"]' ]
}

@test "show: --json has every field, one line per path" {
  ln -s original l
  ln original/text.txt h
  run "$SLINK" show --json l h original
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 3 ]
  [ "$(echo "${lines[0]}" | json_field kind)" = '"dir-symlink"' ]
  [ "$(echo "${lines[0]}" | json_field target)" = '"original"' ]
  [ "$(echo "${lines[0]}" | json_field resolved)" = "\"$T/original\"" ]
  [ "$(echo "${lines[0]}" | json_field ino)" = "$(stat -c %i l)" ]
  [ "$(echo "${lines[0]}" | json_field dev)" = "$(stat -c %d l)" ]
  [ "$(echo "${lines[1]}" | json_field kind)" = '"file"' ]
  [ "$(echo "${lines[1]}" | json_field nlink)" = 2 ]
  [ "$(echo "${lines[1]}" | json_field target)" = "null" ]
  [ "$(echo "${lines[2]}" | json_field kind)" = '"dir"' ]
}

@test "show: the stored target keeps its exact bytes in JSON" {
  ln -s $'bad\xffname\nx' l
  run "$SLINK" show --json l
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 1 ]
  got=$(echo "$output" | python3 -c '
import json, sys
t = json.loads(sys.stdin.read())["target"]
sys.stdout.buffer.write(t.encode("utf-8", "surrogateescape"))' | od -An -tx1 | tr -d ' \n')
  [ "$got" = "$(printf 'bad\xffname\nx' | od -An -tx1 | tr -d ' \n')" ]
}

@test "show: a missing path is an error; the others are still shown" {
  run --separate-stderr "$SLINK" show missing original
  [ "$status" -eq 1 ]
  [ "$stderr" = "slink: show: missing: no such file or directory" ]
  [ "${lines[0]}" = "original" ]
}

@test "show: no operand is a usage error" {
  run "$SLINK" show
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: show: expected at least one PATH" ]
}
