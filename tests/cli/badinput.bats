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
  # The dry run is refused as the real run is, with the same words.
  run as_nobody "$NB/slink" rm -n ro/existing
  [ "$status" -eq 1 ]
  [ "$output" = "slink: rm: ro/existing: permission denied" ]
  unchanged
}

@test "bad input: rm -n is refused by the sticky bit as rm is" {
  nobody_slink
  mkdir sticky && chmod 1777 sticky
  ln -s ../original sticky/roots
  before=$(snapshot)
  run as_nobody "$NB/slink" rm sticky/roots
  [ "$status" -eq 1 ]
  [ "$output" = "slink: rm: sticky/roots: operation not permitted" ]
  run as_nobody "$NB/slink" rm -n sticky/roots
  [ "$status" -eq 1 ]
  [ "$output" = "slink: rm: sticky/roots: operation not permitted" ]
  unchanged
}

@test "bad input: a target too long is named, not the link" {
  long=$(printf 'x%.0s' $(seq 1 4096))
  run "$SLINK" make long2 "$long"
  [ "$status" -eq 1 ]
  [ "$output" = "slink: make: $long: file name too long" ]
  unchanged
}

@test "bad input: a full standard output fails every command, with a message" {
  ln -s original l
  ln -s original l2
  ln original/text.txt hard
  mkdir d && ln -s ../original d/x && ln -s "$T/original" abs
  for args in "show l" "ls ." "make m original" "rm -v l2" "rm -r -v d" \
              "scan ." "fix -n --relative ." "hardlinks --in . original/text.txt" \
              "--help" "--version" "make --help"; do
    run bash -c "\"\$SLINK\" $args >/dev/full"
    [ "$status" -ne 0 ] || { echo "exit 0 on a full stdout: $args"; false; }
    [[ "$output" == *"slink: standard output: write error: no space left on device"* ]] ||
      { echo "no message: $args: $output"; false; }
  done
}

@test "bad input: a C1 control character is quoted by ls, scan and rm -v" {
  name=$'a\xc2\x9b2Jb'
  ln -s original "$name"
  run "$SLINK" ls .
  [[ "$output" == *"'a'\$'\\302\\233''2Jb'"* ]] || false
  [[ "$output" != *$'\xc2\x9b'* ]] || false
  run "$SLINK" scan .
  [[ "$output" == *"'a'\$'\\302\\233''2Jb' -> original"* ]] || false
  [[ "$output" != *$'\xc2\x9b'* ]] || false
  run "$SLINK" rm -v "$name"
  [ "$status" -eq 0 ]
  [ "$output" = "removed dir-symlink 'a'\$'\\302\\233''2Jb'" ]
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

# long_dir N: a relative path of N levels of 200-byte names below the
# current directory, made with mkdirat (dir_fd) one level at a time.
long_dir() {
  python3 - "$1" <<'PY'
import os, sys
fd = os.open(".", os.O_RDONLY)
name = "d" * 200
for _ in range(int(sys.argv[1])):
    os.mkdir(name, dir_fd=fd)
    nfd = os.open(name, os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nfd
open(os.open("file", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w").write("deep\n")
print("/".join([name] * int(sys.argv[1])))
PY
}

@test "a 5,000-byte relative path: make, show, ls, rm" {
  rel=$(long_dir 25)
  [ "${#rel}" -gt 5000 ]
  run "$SLINK" make "$rel/l" file
  [ "$status" -eq 0 ]
  run "$SLINK" show "$rel/l"
  [ "$status" -eq 0 ]
  [ "${lines[1]}" = "  kind:      symlink" ]
  [ "${lines[2]}" = "  target:    file" ]
  [ "${lines[4]}" = "  states:    ok, relative" ]
  run "$SLINK" show --json "$rel/l"
  [ "$status" -eq 0 ]
  [[ "$output" == *'"states":["ok","relative"]'* ]] || false
  run "$SLINK" ls "$rel"
  [ "$status" -eq 0 ]
  [[ "$output" == *"l [file]"* ]] || false
  run "$SLINK" make -f "$rel/l" ./file
  [ "$status" -eq 0 ]
  run "$SLINK" make -H "$rel/h" "$rel/file"
  [ "$status" -eq 0 ]
  run "$SLINK" rm -v "$rel/h"
  [ "$status" -eq 0 ]
  run "$SLINK" rm -n "$rel/l"
  [ "$status" -eq 0 ]
  run "$SLINK" rm "$rel/l"
  [ "$status" -eq 0 ]
  run "$SLINK" show "$rel/l"
  [ "$status" -eq 1 ]
  [[ "$output" == *": no such file or directory" ]] || false
  [ "$(cd "$T" && python3 -c 'import os; print(sorted(os.listdir(".")))')" = "['d$(printf 'd%.0s' $(seq 1 199))', 'original']" ]
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
