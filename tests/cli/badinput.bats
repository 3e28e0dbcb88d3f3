#!/usr/bin/env bats
# Bad input: a clear message naming the path and the reason, a non-zero
# exit, and the directory exactly as it was.
load helpers

setup() { setup_dir; make_original; before=$(snapshot); }
teardown() { teardown_dir; }

unchanged() { [ "$(snapshot)" = "$before" ]; }

@test "bad input: -j and -H to a missing target are errors" {
  run "$SLINK" make -j l missing
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: missing: the target does not exist" ]
  run "$SLINK" make -H l missing
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: missing: the target does not exist" ]
  unchanged
}

@test "bad input: -j to a file is an error" {
  run "$SLINK" make -j l original/text.txt
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: original/text.txt: the target is not a directory" ]
  unchanged
}

@test "bad input: the link's directory does not exist" {
  run "$SLINK" make no/such/l original
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: no/such/l: the directory to hold the link does not exist" ]
  run "$SLINK" make original/text.txt/l original
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: original/text.txt/l: a component of the path is not a directory" ]
  unchanged
}

@test "bad input: permission denied (read-only parent, unprivileged user)" {
  nobody_slink
  mkdir ro && chmod 555 ro
  ln -s ../original ro/existing
  before=$(snapshot)
  run as_nobody "$NB/slink" make ro/l ../original
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: ro/l: permission denied" ]
  run as_nobody "$NB/slink" make -f ro/existing ../original/text.txt
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: ro/existing: permission denied" ]
  run as_nobody "$NB/slink" rm ro/existing
  [ "$status" -eq 1 ]
  [ "$output" = "slink: rm: ro/existing: permission denied" ]
  unchanged
}

@test "bad input: a hard link to a directory" {
  run "$SLINK" make -H l original
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: original: hard links to directories are not allowed" ]
  unchanged
}

@test "bad input: a hard link across filesystems" {
  need_root
  mkdir mnt
  mount -t tmpfs -o size=1m slink-test mnt || skip "cannot mount a tmpfs here"
  before=$(snapshot)
  run "$SLINK" make -H mnt/h original/text.txt
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: original/text.txt: the link and the target are on different filesystems" ]
  unchanged
}

@test "bad input: a full filesystem" {
  need_root
  mkdir mnt
  mount -t tmpfs -o size=64k,nr_inodes=4 slink-full mnt || skip "cannot mount a tmpfs here"
  i=0
  while touch "mnt/f$i" 2>/dev/null; do i=$((i + 1)); [ $i -lt 100 ] || break; done
  before=$(snapshot)
  run "$SLINK" make mnt/l ../original
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: mnt/l: no space left on device" ]
  unchanged
}

@test "bad input: a name with a newline is made, and quoted in messages" {
  run "$SLINK" make $'new\nline' original
  [ "$status" -eq 0 ]
  [ "$(readlink $'new\nline')" = original ]
  [ "$output" = "made dir-symlink 'new'\$'\\n''line' -> original" ]
  run "$SLINK" make $'new\nline' original
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  [ "$output" = "slink: make: 'new'\$'\\n''line': already exists" ]
}

@test "bad input: spaces and a leading dash" {
  run "$SLINK" make "my link" original
  [ "$status" -eq 0 ]
  [ "$output" = "made dir-symlink 'my link' -> original" ]
  run "$SLINK" make -l original
  [ "$status" -eq 2 ]
  run "$SLINK" make -- -l original
  [ "$status" -eq 0 ]
  [ -L ./-l ]
  run "$SLINK" rm -- -l "my link"
  [ "$status" -eq 0 ]
  unchanged
}

@test "bad input: invalid UTF-8 names work and print escaped" {
  run "$SLINK" make $'caf\xe9' original
  [ "$status" -eq 0 ]
  [ "$output" = "made dir-symlink 'caf'\$'\\351' -> original" ]
  [ -L $'caf\xe9' ]
  run "$SLINK" make -j $'x\xff' $'missing\xfe'
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: 'missing'\$'\\376': the target does not exist" ]
  run "$SLINK" rm $'caf\xe9'
  [ "$status" -eq 0 ]
  unchanged
}

@test "bad input: an empty argument" {
  run "$SLINK" make "" original
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: '': empty path" ]
  run "$SLINK" make l ""
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: '': empty path" ]
  run "$SLINK" rm ""
  [ "$status" -eq 1 ]
  [ "$output" = "slink: rm: '': empty path" ]
  run "$SLINK" show ""
  [ "$status" -eq 1 ]
  unchanged
}

@test "a path over 4096 bytes works: make, show, rm" {
  # Build a directory deeper than PATH_MAX one step at a time (each step
  # is a short relative name, as *at() calls would use).
  name=$(printf 'd%.0s' $(seq 1 200))
  (
    for i in $(seq 1 22); do mkdir "$name" && cd "$name" || exit 1; done
  )
  long=$T
  for i in $(seq 1 22); do long="$long/$name"; done
  [ "${#long}" -gt 4096 ]
  before=$(snapshot)
  run "$SLINK" rm "$long/x"
  [ "$status" -eq 1 ]
  [ "$output" = "slink: rm: $long/x: no such file or directory" ]
  [ "$(snapshot)" = "$before" ]
  run "$SLINK" make "$long/l" "$T/original"
  [ "$status" -eq 0 ]
  run "$SLINK" show "$long/l"
  [ "$status" -eq 0 ]
  [[ "$output" == *"target:    $T/original"* ]] || false
  run "$SLINK" rm "$long/l"
  [ "$status" -eq 0 ]
  [ "$(snapshot)" = "$before" ]
  # From inside, short relative names still work.
  cd "$T"
  for i in $(seq 1 22); do cd "$name"; done
  run "$SLINK" make l ../x
  [ "$status" -eq 0 ]
  [ "$(readlink l)" = "../x" ]
  run "$SLINK" rm l
  [ "$status" -eq 0 ]
}
