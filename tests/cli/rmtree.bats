#!/usr/bin/env bats
# slink rm -r: a tree goes, nothing it links to does.
load helpers

setup() { setup_dir; make_original; }
teardown() {
  [ -n "${DEEP:-}" ] && rm -rf "$DEEP"
  teardown_dir
}

# tree/ with a file, a subdirectory, and links out of the tree.
make_tree() {
  mkdir -p tree/sub
  echo a > tree/a.txt
  echo b > tree/sub/b.txt
  ln -s ../original tree/to-dir
  ln -s "$T/original/text.txt" tree/sub/to-file
}

@test "rm -r: removes the tree, never what its links point to" {
  make_tree
  run "$SLINK" rm -r tree
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  [ ! -e tree ]
  [ ! -L tree ]
  [ "$(cat original/text.txt)" = hello ]
}

@test "rm -r: link/ with a trailing slash removes the link, not the target's files" {
  ln -s original l
  run "$SLINK" rm -r l/
  [ "$status" -eq 0 ]
  [ ! -L l ]
  [ "$(cat original/text.txt)" = hello ]
  ln -s original l
  run "$SLINK" rm -r l//
  [ "$status" -eq 0 ]
  [ ! -L l ]
  [ "$(cat original/text.txt)" = hello ]
}

@test "rm -r -n: lists what would go, children first, changes nothing" {
  make_tree
  before=$(snapshot)
  run "$SLINK" rm -rn tree
  [ "$status" -eq 0 ]
  [ "$(snapshot)" = "$before" ]
  [ "$(printf '%s\n' "$output" | LC_ALL=C sort)" = "$(LC_ALL=C sort <<'EOF'
would remove dir tree
would remove dir tree/sub
would remove file tree/a.txt
would remove file tree/sub/b.txt
would remove symlink tree/sub/to-file
would remove symlink tree/to-dir
EOF
)" ]
  [ "${lines[5]}" = "would remove dir tree" ]
}

@test "rm -r -v: says what went, each directory after its contents" {
  make_tree
  run "$SLINK" rm -rv tree
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 6 ]
  [ "${lines[5]}" = "removed dir tree" ]
  [[ "$output" == *"removed file tree/sub/b.txt"*"removed dir tree/sub"* ]]
  [[ "$output" == *"removed symlink tree/to-dir"* ]]
  [ "$(cat original/text.txt)" = hello ]
}

@test "rm -r: one missing operand is reported, the others still go" {
  make_tree
  run "$SLINK" rm -r missing tree
  [ "$status" -eq 1 ]
  [ "$output" = "slink: rm: missing: no such file or directory" ]
  [ ! -e tree ]
}

@test "rm -r: refuses / under any spelling (dry run)" {
  run "$SLINK" rm -rn /
  [ "$status" -eq 1 ]
  [ "$output" = "slink: rm: /: refusing to remove the root directory" ]
  run "$SLINK" rm -rn //
  [ "$status" -eq 1 ]
  [ "$output" = "slink: rm: //: refusing to remove the root directory" ]
  run "$SLINK" rm -rn /.
  [ "$status" -eq 1 ]
  [ "$output" = "slink: rm: /.: refusing to remove '.' or '..'" ]
  run "$SLINK" rm -rn "$T/.."
  [ "$status" -eq 1 ]
  [ "$output" = "slink: rm: $T/..: refusing to remove '.' or '..'" ]
}

@test "rm -r: refuses / for real (as an unprivileged user, to limit a bug)" {
  nobody_slink
  run as_nobody "$NB/slink" rm -r /
  [ "$status" -eq 1 ]
  [ "$output" = "slink: rm: /: refusing to remove the root directory" ]
  [ -d "$NB" ]
  [ -f original/text.txt ]
}

@test "rm -x without -r is a usage error" {
  run "$SLINK" rm -x original
  [ "$status" -eq 2 ]
  [ -d original ]
}

@test "rm -r -x: a filesystem mounted inside the tree survives" {
  need_root
  mkdir -p tree/mnt
  echo top > tree/top
  mount -t tmpfs -o size=1m slink-test tree/mnt 2>/dev/null ||
    skip "cannot mount a tmpfs here"
  echo inside > tree/mnt/inside
  run "$SLINK" rm -rx tree
  [ "$status" -eq 1 ]
  [ "$output" = "slink: rm: tree/mnt: is on another filesystem; left in place" ]
  [ "$(cat tree/mnt/inside)" = inside ]
  [ ! -e tree/top ]
  # Without -x the mount is emptied and the busy mount point reported.
  run "$SLINK" rm -r tree
  [ "$status" -eq 1 ]
  [ "$output" = "slink: rm: tree/mnt: device or resource busy" ]
  [ ! -e tree/mnt/inside ]
}

@test "rm -r: no write permission: per-path errors, the rest goes, exit 1" {
  nobody_slink
  mkdir -p tree/open tree/locked
  echo 1 > tree/locked/f1
  echo 2 > tree/locked/f2
  echo x > tree/open/x
  ln -s ../../original tree/open/l
  chown -R 65534:65534 tree
  chown 65534:65534 .
  chmod 555 tree/locked
  # The dry run meets the same refusals and removes nothing.
  before=$(snapshot)
  run as_nobody "$NB/slink" rm -rn tree
  [ "$status" -eq 1 ]
  [[ "$output" == *"slink: rm: tree/locked/f1: permission denied"* ]]
  [[ "$output" == *"would remove dir tree/open"* ]]
  [[ "$output" != *"would remove dir tree"$'\n'* && "$output" != *"would remove dir tree" ]]
  [ "$(snapshot)" = "$before" ]
  run as_nobody "$NB/slink" rm -r tree
  [ "$status" -eq 1 ]
  [ "$(printf '%s\n' "$output" | LC_ALL=C sort)" = \
    "$(printf '%s\n' "slink: rm: tree/locked/f1: permission denied" \
                     "slink: rm: tree/locked/f2: permission denied")" ]
  [ ! -e tree/open ]
  [ "$(cat tree/locked/f1)" = 1 ]
  [ "$(cat tree/locked/f2)" = 2 ]
  [ "$(cat original/text.txt)" = hello ]
}

@test "rm -r: 20,000 levels deep with at most 64 open files" {
  command -v python3 >/dev/null || skip "python3 is not installed"
  # A tmpfs when there is one: some disk filesystems need a minute for
  # 20,000 rmdirs whoever makes them.
  DEEP=$(mktemp -d /dev/shm/slink-deep.XXXXXX 2>/dev/null) || DEEP="$T/deep-parent"
  mkdir -p "$DEEP"
  python3 - "$DEEP/deep" <<'EOF'
import os, sys
os.mkdir(sys.argv[1])
fd = os.open(sys.argv[1], os.O_RDONLY)
for _ in range(20000):
    os.mkdir("d", dir_fd=fd)
    nfd = os.open("d", os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nfd
os.close(os.open("leaf", os.O_WRONLY | os.O_CREAT, dir_fd=fd))
os.close(fd)
EOF
  run bash -c 'ulimit -n 64 && exec "$1" rm -r "$2"' _ "$SLINK" "$DEEP/deep"
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  [ ! -e "$DEEP/deep" ]
}

@test "rm -r -0: every entry, children first, each ended by a NUL" {
  make_tree
  "$SLINK" rm -r -n -0 tree > out
  [ "$(tr '\0' '\n' < out | tail -1)" = tree ]
  [ "$(tr -cd '\0' < out | wc -c)" -eq 6 ]
  tr '\0' '\n' < out | grep -qx tree/sub/to-file
  [ -d tree/sub ]
  "$SLINK" rm -r --null tree > out2
  cmp out out2
  [ ! -e tree ]
  [ "$(cat original/text.txt)" = hello ]
}

@test "rm -r -q: nothing printed, even with -v or -n; errors stay" {
  make_tree
  run --separate-stderr "$SLINK" rm -r -q -v tree
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  [ -z "$stderr" ]
  [ ! -e tree ]
  run --separate-stderr "$SLINK" rm -r --quiet -n missing
  [ "$status" -eq 1 ]
  [ -z "$output" ]
  [[ "$stderr" == "slink: rm: missing: "* ]]
}

@test "rm -r: no progress line in a pipe, output as before" {
  make_tree
  SLINK_PROGRESS_DELAY=0 run --separate-stderr "$SLINK" rm -r -v tree
  [ "$status" -eq 0 ]
  [ -z "$stderr" ]
  [ "${#lines[@]}" -eq 6 ]
  [ "${lines[5]}" = "removed dir tree" ]
}

@test "rm -r: a non-directory operand is reported by its own path (text, JSON, -0)" {
  touch f
  ln -s nowhere l
  mkdir sub
  ln -s nowhere sub/l2
  run "$SLINK" rm -r -v f
  [ "$status" -eq 0 ]
  [ "$output" = "removed file f" ]
  run "$SLINK" rm -r --json l
  [ "$status" -eq 0 ]
  [[ "$output" == *'"path":"l",'* ]] || false
  run bash -c '"$SLINK" rm -r -0 sub/l2 | tr "\0" "\n"'
  [ "$status" -eq 0 ]
  [ "$output" = "sub/l2" ]
  [ ! -L f ]
  [ ! -L l ]
  [ ! -L sub/l2 ]
}
