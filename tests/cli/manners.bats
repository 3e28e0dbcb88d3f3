#!/usr/bin/env bats
# Terminal manners seen from outside: colour (--color, NO_COLOR, TERM,
# LS_COLORS), -0/--null for xargs -0, and --quiet.
load helpers

setup() {
  setup_dir
  mkdir d
  echo hi > f
  chmod 755 f
  ln -s d ld
  ln -s gone dangling
}
teardown() { teardown_dir; }

ESC=$'\033'

@test "manners: no colour in a pipe; --color=always colours names as ls does" {
  run "$SLINK" ls .
  [ "$status" -eq 0 ]
  [[ "$output" != *"$ESC"* ]]
  run "$SLINK" ls --color=always .
  [[ "$output" == *"${ESC}[01;34md${ESC}[0m"* ]]
  [[ "$output" == *"${ESC}[01;36mld${ESC}[0m [${ESC}[01;34md${ESC}[0m]"* ]]
  [[ "$output" == *"${ESC}[01;32mf${ESC}[0m"* ]]
  run "$SLINK" ls --color=never .
  [[ "$output" != *"$ESC"* ]]
  run "$SLINK" ls --color=sometimes .
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: ls: --color takes auto, always or never" ]
}

@test "manners: on a terminal colour is automatic, unless NO_COLOR or TERM=dumb" {
  command -v script >/dev/null || skip "script (util-linux) is not installed"
  script -qec "TERM=xterm $SLINK ls ." /dev/null > tty < /dev/null
  grep -qa "${ESC}\[01;34md" tty
  script -qec "TERM=xterm NO_COLOR=1 $SLINK ls ." /dev/null > tty < /dev/null
  run ! grep -qa "$ESC" tty
  script -qec "TERM=dumb $SLINK ls ." /dev/null > tty < /dev/null
  run ! grep -qa "$ESC" tty
  # an explicit --color=always wins over NO_COLOR
  script -qec "TERM=xterm NO_COLOR=1 $SLINK ls --color=always ." /dev/null > tty < /dev/null
  grep -qa "${ESC}\[01;34md" tty
}

@test "manners: LS_COLORS: ln, or and ln=target" {
  LS_COLORS='ln=01;35:or=05;31:di=04' run "$SLINK" ls --color=always .
  [[ "$output" == *"${ESC}[01;35mld${ESC}[0m"* ]]
  [[ "$output" == *"${ESC}[05;31mdangling${ESC}[0m"* ]]
  [[ "$output" == *"${ESC}[04md${ESC}[0m"* ]]
  LS_COLORS='ln=target:di=04' run "$SLINK" ls --color=always .
  [[ "$output" == *"${ESC}[04mld${ESC}[0m"* ]]
}

@test "manners: show colours the path by kind and the states" {
  run "$SLINK" show --color=always dangling ld
  [ "${lines[0]}" = "${ESC}[01;36mdangling${ESC}[0m" ]
  [[ "$output" == *"states:    ${ESC}[01;31mdangling${ESC}[0m, relative"* ]]
  [[ "$output" == *"states:    ${ESC}[32mok${ESC}[0m, relative"* ]]
  NO_COLOR=1 run "$SLINK" show dangling
  [ "${lines[0]}" = "dangling" ]
}

@test "manners: -0 prints NUL-terminated paths for xargs -0" {
  touch "$(printf 'new\nline')"
  "$SLINK" ls -0 . > out
  [ "$(tr '\0' '|' < out)" = "$(printf 'd|dangling|f|ld|new\nline|out|')" ]
  "$SLINK" ls -0 . | xargs -0 "$SLINK" show > /dev/null
  "$SLINK" make --null --color=always l2 f > out
  [ "$(od -An -c out | tr -d ' ')" = 'l2\0' ]
  run "$SLINK" ls --json -0 .
  [ "$status" -eq 2 ]
}

@test "manners: --quiet prints nothing on standard output; errors stay" {
  run --separate-stderr "$SLINK" make -q l3 f
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  [ -L l3 ]
  run --separate-stderr "$SLINK" show --quiet ld nothere
  [ "$status" -eq 1 ]
  [ -z "$output" ]
  [ "$stderr" = "slink: show: nothere: no such file or directory" ]
  run --separate-stderr "$SLINK" ls -q .
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  run --separate-stderr "$SLINK" rm -q -v l3
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  [ ! -L l3 ]
  run --separate-stderr "$SLINK" fix -q -n --delete-dangling .
  [ -z "$output" ]
  run "$SLINK" ls --quiet=yes .
  [ "$status" -eq 2 ]
  # help is still shown
  run "$SLINK" ls -q --help
  [[ "${lines[0]}" == "usage: slink ls "* ]]
}
