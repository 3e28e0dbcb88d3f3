#!/usr/bin/env bats
# slink make: every kind, every option, every message.
load helpers

setup() { setup_dir; make_original; }
teardown() { teardown_dir; }

@test "make: a symbolic link stores the target as given" {
  run "$SLINK" make link original/text.txt
  [ "$status" -eq 0 ]
  [ "$output" = "made symlink link -> original/text.txt" ]
  [ "$(readlink link)" = "original/text.txt" ]
}

@test "make: -s to a directory is a dir-symlink" {
  run "$SLINK" make -s dlink original
  [ "$status" -eq 0 ]
  [ "$output" = "made dir-symlink dlink -> original" ]
}

@test "make: a relative target is relative to the link's directory" {
  mkdir sub
  run "$SLINK" make sub/up ../original
  [ "$status" -eq 0 ]
  [ "$(cat sub/up/text.txt)" = "hello" ]
  [ -z "$(echo "$output" | grep warning)" ]
}

@test "make: -s to a missing target warns on stderr and makes the link" {
  run --separate-stderr "$SLINK" make -s dangling nowhere
  [ "$status" -eq 0 ]
  [ "$stderr" = "slink: make: nowhere: warning: the target does not exist; the link dangles" ]
  [ "$output" = "made symlink dangling -> nowhere" ]
  [ "$(readlink dangling)" = "nowhere" ]
}

@test "make: -j on a POSIX filesystem is an absolute symlink, and says so" {
  run --separate-stderr "$SLINK" make -j j original
  [ "$status" -eq 0 ]
  [ "$stderr" = "slink: make: note: this filesystem has no junctions; made an absolute symbolic link instead" ]
  [ "$output" = "made dir-symlink j -> $T/original" ]
  [ "$(readlink j)" = "$T/original" ]
}

@test "make: -j resolves the target's own links to the real directory" {
  ln -s original alias
  run "$SLINK" make -j j alias
  [ "$status" -eq 0 ]
  [ "$(readlink j)" = "$T/original" ]
}

@test "make: -H makes a hard link and counts the names" {
  run "$SLINK" make -H h original/text.txt
  [ "$status" -eq 0 ]
  [ "$output" = "made hard link h (the file now has 2 names)" ]
  [ "$(stat -c %i h)" = "$(stat -c %i original/text.txt)" ]
}

@test "make: -H of a symlink links the symlink itself" {
  ln -s original/text.txt s
  run "$SLINK" make -H h s
  [ "$status" -eq 0 ]
  [ -L h ]
  [ "$(stat -c %i h)" = "$(stat -c %i s)" ]
}

@test "make: -r stores the shortest relative path from the link's real directory" {
  mkdir -p a/b
  ln -s a/b via
  run "$SLINK" make -r via/l original/text.txt
  [ "$status" -eq 0 ]
  [ "$(readlink a/b/l)" = "../../original/text.txt" ]
  [ "$(cat via/l)" = "hello" ]
}

@test "make: -r to a missing target still computes the path" {
  run --separate-stderr "$SLINK" make -r l original/later/file
  [ "$status" -eq 0 ]
  [ "$(readlink l)" = "original/later/file" ]
}

@test "make: --absolute stores the absolute path" {
  mkdir sub
  run "$SLINK" make --absolute sub/l original
  [ "$status" -eq 0 ]
  [ "$(readlink sub/l)" = "$T/original" ]
}

@test "make: an existing link is not replaced without -f" {
  ln -s original l
  before=$(snapshot)
  run "$SLINK" make l original/text.txt
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: l: already exists" ]
  [ "$(snapshot)" = "$before" ]
}

@test "make: -f replaces a link atomically and leaves no temporary name" {
  ln -s original l
  run "$SLINK" make -f l original/text.txt
  [ "$status" -eq 0 ]
  [ "$(readlink l)" = "original/text.txt" ]
  [ -z "$(ls -A | grep slink-)" ]
}

@test "make: -f replaces a file but never a directory" {
  echo data > f
  run "$SLINK" make -f f original
  [ "$status" -eq 0 ]
  [ "$(readlink f)" = "original" ]
  before=$(snapshot)
  run "$SLINK" make -f original f
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: original: is a directory; a directory is never replaced" ]
  [ "$(snapshot)" = "$before" ]
}

@test "make: -f on a link to a directory replaces the link, not inside the directory" {
  ln -s original l
  run "$SLINK" make -f l original/text.txt
  [ "$status" -eq 0 ]
  [ "$(ls original)" = "text.txt" ]
}

@test "make: -f with a hard link to the same file changes nothing" {
  ln original/text.txt h
  run "$SLINK" make -f -H h original/text.txt
  [ "$status" -eq 0 ]
  [ "$(stat -c %h h)" = 2 ]
  [ -z "$(ls -A | grep slink-)" ]
}

@test "make: --dir and --file are checked against the target" {
  run "$SLINK" make --dir l original/text.txt
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: original/text.txt: the target is not a directory" ]
  run "$SLINK" make --file l original
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: original: the target is a directory, not a file" ]
  [ ! -e l ]
  [ ! -L l ]
}

@test "make: --json prints the new link as one object" {
  run "$SLINK" make --json l original
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | wc -l)" = 1 ]
  echo "$output" | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
assert o["path"] == "l" and o["kind"] == "dir-symlink" and o["target"] == "original", o
assert o["states"] == ["ok", "relative"], o
assert o["resolved"].endswith("/original"), o
'
}

@test "make: usage errors exit 2" {
  run "$SLINK" make
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: make: expected LINK and TARGET" ]
  run "$SLINK" make a b c
  [ "$status" -eq 2 ]
  run "$SLINK" make -s -j a original
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: make: choose one of -s, -j and -H" ]
  run "$SLINK" make -r -H a original/text.txt
  [ "$status" -eq 2 ]
  run "$SLINK" make -r --absolute a original
  [ "$status" -eq 2 ]
  run "$SLINK" make --bogus a original
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: make: unknown option --bogus" ]
  run "$SLINK" make --drive 7 a original
  [ "$status" -eq 2 ]
  [ ! -e a ]
  [ ! -L a ]
}

@test "make: options may follow the operands; -- ends them" {
  run "$SLINK" make l original -j
  [ "$status" -eq 0 ]
  [ "$(readlink l)" = "$T/original" ]
  run "$SLINK" make -- -dash original
  [ "$status" -eq 0 ]
  [ "$(readlink -- -dash)" = "original" ]
}

@test "make: a link to a loop of links is made, with a warning" {
  ln -s loop loop
  run --separate-stderr "$SLINK" make l loop
  [ "$status" -eq 0 ]
  [ "$stderr" = "slink: make: loop: warning: the target is a loop of links; the link will not resolve" ]
  [ "$(readlink l)" = loop ]
}

@test "make: -f killed with -9 leaves the link old or new, and only the documented temporary pattern" {
  ln -s original l
  for i in $(seq 1 150); do
    "$SLINK" make -f l "t$((i % 2))" 2>/dev/null &
    pid=$!
    # Kill at a different moment each time (the shell's own delay varies).
    [ $((i % 3)) -eq 0 ] || sleep "0.00$((i % 10))"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    t=$(readlink l)
    [[ "$t" == original || "$t" == t0 || "$t" == t1 ]] || { echo "l -> $t"; false; }
  done
  shopt -s nullglob
  for n in .* *; do
    case "$n" in
      . | .. | l | original) ;;
      *) [[ "$n" =~ ^\.slink-[0-9a-f]{16}\.tmp$ ]] || { echo "left: $n"; false; } ;;
    esac
  done
}

@test "make: a link to a chain of 40 links is too long, not a loop, with a warning" {
  touch file
  for i in $(seq 1 40); do
    if [ "$i" -eq 40 ]; then ln -s file c40; else ln -s "c$((i + 1))" "c$i"; fi
  done
  # l itself is the 41st link: one more than the system follows.
  run --separate-stderr "$SLINK" make l c1
  [ "$status" -eq 0 ]
  [ "$stderr" = "slink: make: c1: warning: the target is a chain of more than 40 links; the link will not resolve" ]
  run ! stat -L l
  run --separate-stderr "$SLINK" make m c2
  [ "$status" -eq 0 ]
  [ "$stderr" = "" ]
}
