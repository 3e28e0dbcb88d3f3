#!/usr/bin/env bats
# slink hardlinks: every name of the same file.
bats_require_minimum_version 1.5.0

setup() {
  T=$(mktemp -d /tmp/slink-hl.XXXXXX)
  cd "$T"
  mkdir -p tree/a tree/b/c
  echo data > tree/a/one
  ln tree/a/one tree/b/two
  ln tree/a/one tree/b/c/three
  echo other > tree/a/other
  ln -s one tree/a/symbolic
}

teardown() {
  cd /
  if mountpoint -q "$T/mnt" 2>/dev/null; then umount "$T/mnt"; fi
  rm -rf "$T"
}

@test "every name under --in DIR, the symbolic link not among them" {
  run "$SLINK" hardlinks --in tree tree/b/two
  [ "$status" -eq 0 ]
  # A directory's own names first, then its subdirectories'.
  [ "${lines[0]}" = "tree/a/one" ]
  [ "${lines[1]}" = "tree/b/two" ]
  [ "${lines[2]}" = "tree/b/c/three" ]
  [ "${#lines[@]}" -eq 3 ]
}

@test "a warning when not every name was found" {
  run "$SLINK" hardlinks --in tree/b tree/a/one
  [ "$status" -eq 1 ]
  [ "${lines[0]}" = "tree/b/two" ]
  [ "${lines[1]}" = "tree/b/c/three" ]
  [ "${lines[2]}" = "slink: hardlinks: tree/a/one: warning: 2 of 3 names found under tree/b" ]
  [ "${#lines[@]}" -eq 3 ]
}

@test "a file with one name is its only name" {
  run "$SLINK" hardlinks --in tree tree/a/other
  [ "$status" -eq 0 ]
  [ "$output" = "tree/a/other" ]
}

@test "--json carries dev, ino and nlink" {
  run "$SLINK" hardlinks --json --in tree tree/a/one
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 3 ]
  printf '%s\n' "$output" | python3 -c '
import json, os, sys
st = os.stat("tree/a/one")
for line in sys.stdin:
    o = json.loads(line)
    assert (o["kind"], o["dev"], o["ino"], o["nlink"]) == ("file", st.st_dev, st.st_ino, 3), o
'
}

@test "without --in: the whole filesystem holding FILE" {
  [ "$(id -u)" -eq 0 ] || skip "mounting a tmpfs needs root"
  mkdir mnt
  mount -t tmpfs -o size=1m slink-hl-test mnt ||
    skip "cannot mount a tmpfs here (no privilege in this container)"
  mkdir -p mnt/x/y
  echo z > mnt/x/f
  ln mnt/x/f mnt/x/y/g
  ln mnt/x/f mnt/h
  run "$SLINK" hardlinks mnt/x/y/g
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "$T/mnt/h" ]
  [ "${lines[1]}" = "$T/mnt/x/f" ]
  [ "${lines[2]}" = "$T/mnt/x/y/g" ]
  [ "${#lines[@]}" -eq 3 ]
}

@test "names with a newline are quoted" {
  ln tree/a/other tree/$'new\nname'
  run "$SLINK" hardlinks --in tree tree/a/other
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "'tree/new'\$'\\n''name'" ]
  [ "${lines[1]}" = "tree/a/other" ]
}

@test "a directory or a missing file is an error" {
  run "$SLINK" hardlinks --in tree tree/a
  [ "$status" -eq 1 ]
  [ "$output" = "slink: hardlinks: tree/a: hard links to directories are not allowed" ]
  run "$SLINK" hardlinks --in tree tree/nothing
  [ "$status" -eq 1 ]
  [ "$output" = "slink: hardlinks: tree/nothing: no such file or directory" ]
  run "$SLINK" hardlinks
  [ "$status" -eq 2 ]
}

@test "-0: the names ended by a NUL, for xargs -0; not with --json" {
  ln tree/a/one "$(printf 'tree/new\nline')"
  "$SLINK" hardlinks -0 --in tree tree/a/one > out
  # the exact names, whatever order the walk found them in
  python3 - <<'PY'
got = sorted(open("out", "rb").read().split(b"\0"))
assert got == [b"", b"tree/a/one", b"tree/b/c/three", b"tree/b/two", b"tree/new\nline"], got
PY
  [ "$(tr -cd '\0' < out | wc -c)" -eq 4 ]
  "$SLINK" hardlinks --null --in tree tree/a/one | xargs -0 stat -c %h > counts
  [ "$(sort -u counts)" = 4 ]
  run "$SLINK" hardlinks --json -0 tree/a/one
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: hardlinks: --json and --null exclude each other" ]
}

@test "-q: nothing on standard output, the warning and status stay" {
  run "$SLINK" hardlinks -q --in tree tree/a/one
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  run --separate-stderr "$SLINK" hardlinks -q --in tree/b tree/a/one
  [ "$status" -eq 1 ]
  [ -z "$output" ]
  [[ "$stderr" == *"warning: 2 of 3 names found"* ]]
}

# A directory chain deeper than PATH_MAX (4,096 bytes), made a piece at a
# time; prints its path relative to the current directory.
deep_chain() {
  python3 - "$1" <<'PY'
import os, sys
top = sys.argv[1]
os.mkdir(top)
fd = os.open(top, os.O_RDONLY)
name = "d" * 200
for _ in range(30):
    os.mkdir(name, dir_fd=fd)
    nfd = os.open(name, os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nfd
os.link(os.path.abspath("file"), "deep-name", dst_dir_fd=fd, follow_symlinks=False)
PY
}

@test "hardlinks --in finds a name deeper than PATH_MAX" {
  echo x > file
  deep_chain deep
  run "$SLINK" hardlinks --in . file
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 2 ]
  [ "${lines[0]}" = file ]
  [[ "${lines[1]}" == deep/d*/deep-name ]] || false
  [ "${#lines[1]}" -gt 4096 ]
  rm -rf deep 2>/dev/null || "$SLINK" rm -r deep
}

@test "hardlinks FILE FILE answers for each; --in '' is an error" {
  echo x > one
  ln one one-b
  echo y > two
  run "$SLINK" hardlinks --in . one two
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'one\none-b\ntwo')" ]
  run "$SLINK" hardlinks --in '' one
  [ "$status" -eq 1 ]
  [ "$output" = "slink: hardlinks: '': empty path" ]
}
