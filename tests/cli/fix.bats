#!/usr/bin/env bats
# slink fix: each mode shown with -n (nothing changes) and done without.
bats_require_minimum_version 1.5.0

setup() {
  T=$(mktemp -d /tmp/slink-fix.XXXXXX)
  cd "$T"
  mkdir -p tree/sub tree/real
  touch tree/file tree/real/x
}

teardown() {
  cd /
  rm -rf "$T"
}

# What the link stores, and its inode (to see whether it was replaced).
target() { readlink "$1"; }
inode() { stat -c %i "$1"; }
# Every entry of the tree with what it stores, to compare before/after.
snapshot() { find tree -printf '%p %y %l\n' | sort; }

@test "--relative -n shows the change and makes none" {
  ln -s "$T/tree/file" tree/abs
  ln -s "$T/tree/real/x" tree/sub/deep
  before=$(snapshot)
  run "$SLINK" fix -n --relative tree
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "tree/abs: $T/tree/file -> file" ]
  [ "${lines[1]}" = "tree/sub/deep: $T/tree/real/x -> ../real/x" ]
  [ "${#lines[@]}" -eq 2 ]
  [ "$(snapshot)" = "$before" ]
}

@test "--relative rewrites absolute targets, atomically, as symlinks -c" {
  ln -s "$T/tree/file" tree/abs
  ln -s "$T/tree/real/x" tree/sub/deep
  ln -s file tree/already
  old=$(inode tree/abs)
  run "$SLINK" fix --relative tree
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "tree/abs: $T/tree/file -> file" ]
  [ "${lines[1]}" = "tree/sub/deep: $T/tree/real/x -> ../real/x" ]
  [ "${#lines[@]}" -eq 2 ]
  [ "$(target tree/abs)" = "file" ]
  [ "$(target tree/sub/deep)" = "../real/x" ]
  [ "$(target tree/already)" = "file" ]
  [ "$(inode tree/abs)" != "$old" ]
  # No temporary name is left behind.
  [ -z "$(find tree -name '.slink-*')" ]
  run "$SLINK" scan tree
  [ "$status" -eq 0 ]
}

@test "--shorten -n and --shorten: ./, // and needless .. removed" {
  ln -s ./file tree/dot
  ln -s real//x tree/double
  ln -s ../tree/real/x tree/around
  ln -s ../sub/../file tree/sub/updown
  before=$(snapshot)
  run "$SLINK" fix -n --shorten tree
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "tree/around: ../tree/real/x -> real/x" ]
  [ "${lines[1]}" = "tree/dot: ./file -> file" ]
  [ "${lines[2]}" = "tree/double: real//x -> real/x" ]
  [ "${lines[3]}" = "tree/sub/updown: ../sub/../file -> ../file" ]
  [ "${#lines[@]}" -eq 4 ]
  [ "$(snapshot)" = "$before" ]
  run "$SLINK" fix --shorten tree
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 4 ]
  [ "$(target tree/around)" = "real/x" ]
  [ "$(target tree/dot)" = "file" ]
  [ "$(target tree/double)" = "real/x" ]
  [ "$(target tree/sub/updown)" = "../file" ]
  run "$SLINK" scan --state messy,lengthy tree
  [ "$status" -eq 0 ]
  [ -z "$output" ]
}

@test "--delete-dangling -n and --delete-dangling" {
  ln -s missing tree/gone
  ln -s ../nowhere/at/all tree/sub/lost
  ln -s file tree/fine
  before=$(snapshot)
  run "$SLINK" fix -n --delete-dangling tree
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "tree/gone: removed (dangling: missing)" ]
  [ "${lines[1]}" = "tree/sub/lost: removed (dangling: ../nowhere/at/all)" ]
  [ "${#lines[@]}" -eq 2 ]
  [ "$(snapshot)" = "$before" ]
  run "$SLINK" fix --delete-dangling tree
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 2 ]
  [ ! -L tree/gone ]
  [ ! -L tree/sub/lost ]
  [ "$(target tree/fine)" = "file" ]
}

@test "--delete-dangling also removes links that loop" {
  ln -s self tree/self
  ln -s file tree/fine
  run "$SLINK" fix --delete-dangling tree
  [ "$status" -eq 0 ]
  [ "$output" = "tree/self: removed (loop: self)" ]
  [ ! -L tree/self ]
  [ -L tree/fine ]
}

@test "--retarget -n and --retarget: a moved disk" {
  ln -s /mnt/old-disk/file tree/a
  ln -s /mnt/old-disk/real tree/sub/b
  ln -s /mnt/old-disk-2/file tree/not-this-one
  before=$(snapshot)
  run "$SLINK" fix -n --retarget "/mnt/old-disk=$T/tree" tree
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "tree/a: /mnt/old-disk/file -> $T/tree/file" ]
  [ "${lines[1]}" = "tree/sub/b: /mnt/old-disk/real -> $T/tree/real" ]
  [ "${#lines[@]}" -eq 2 ]
  [ "$(snapshot)" = "$before" ]
  run "$SLINK" fix --retarget "/mnt/old-disk=$T/tree" tree
  [ "$status" -eq 0 ]
  [ "$(target tree/a)" = "$T/tree/file" ]
  [ "$(target tree/sub/b)" = "$T/tree/real" ]
  [ "$(target tree/not-this-one)" = "/mnt/old-disk-2/file" ]
  # A directory link stays a directory link.
  run "$SLINK" scan --kind dir-symlink tree
  [ "$output" = "tree/sub/b -> $T/tree/real  [dir-symlink] ok,absolute" ]
}

@test "a rewrite that would leave a working link dangling is refused" {
  ln -s "$T/tree/file" tree/works
  run "$SLINK" fix --retarget "$T/tree=$T/gone" tree
  [ "$status" -eq 1 ]
  [ "$output" = "slink: fix: tree/works: refused: $T/gone/file would leave the link dangling" ]
  [ "$(target tree/works)" = "$T/tree/file" ]
}

@test "--shorten never changes where a link leads" {
  mkdir -p tree/real/deep
  touch tree/real/file
  ln -s real/deep tree/jump
  # jump/.. is tree/real, not tree: "file" by text would be another file.
  ln -s jump/../file tree/tricky
  run "$SLINK" fix --shorten tree
  [ "$status" -eq 1 ]
  [ "$output" = "slink: fix: tree/tricky: refused: file would lead somewhere else" ]
  [ "$(target tree/tricky)" = "jump/../file" ]
}

@test "modes combine: retarget, then relative" {
  ln -s /mnt/old/real/x tree/sub/l
  run "$SLINK" fix --retarget "/mnt/old=$T/tree" --relative tree
  [ "$status" -eq 0 ]
  [ "$output" = "tree/sub/l: /mnt/old/real/x -> ../real/x" ]
  [ "$(target tree/sub/l)" = "../real/x" ]
}

@test "usage errors exit 2" {
  run "$SLINK" fix tree
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: fix: nothing to do: give --relative, --shorten, --delete-dangling or --retarget" ]
  run "$SLINK" fix --retarget nonsense tree
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: fix: --retarget takes OLD=NEW" ]
  run "$SLINK" fix --relative
  [ "$status" -eq 2 ]
}

@test "names with a newline are fixed and shown quoted" {
  ln -s ./file tree/$'new\nline'
  run "$SLINK" fix --shorten tree
  [ "$status" -eq 0 ]
  [ "$output" = "'tree/new'\$'\\n''line': ./file -> file" ]
  [ "$(target tree/$'new\nline')" = "file" ]
}

@test "--json: one change object per link, removals with a null target" {
  ln -s ./file tree/dot
  ln -s missing tree/gone
  run "$SLINK" fix -n --json --shorten --delete-dangling tree
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = '{"path":"tree/dot","old_target":"./file","new_target":"file","dry_run":true}' ]
  [ "${lines[1]}" = '{"path":"tree/gone","old_target":"missing","new_target":null,"dry_run":true}' ]
  [ "${#lines[@]}" -eq 2 ]
  [ "$(target tree/dot)" = "./file" ]
  run "$SLINK" fix --json --shorten --delete-dangling tree
  [ "${lines[0]}" = '{"path":"tree/dot","old_target":"./file","new_target":"file","dry_run":false}' ]
  [ "$(target tree/dot)" = "file" ]
  [ ! -L tree/gone ]
}

@test "-q: changes made, nothing printed; refusals still on standard error" {
  ln -s "$T/tree/file" tree/abs
  run --separate-stderr "$SLINK" fix -q --relative tree
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  [ "$(readlink tree/abs)" = file ]
  ln -s "$T/tree/real/x" tree/abs2
  run --separate-stderr "$SLINK" fix --quiet --json -n --relative tree
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  [ "$(readlink tree/abs2)" = "$T/tree/real/x" ]
  # a refusal is an error, printed even with -q
  ln -s "$T/tree/file" tree/abs3
  run --separate-stderr "$SLINK" fix -q --retarget "$T/tree/file=/nowhere/file" tree
  [ "$status" -eq 1 ]
  [ -z "$output" ]
  [[ "$stderr" == *"refused"* ]]
}

@test "no progress line in a pipe" {
  ln -s "$T/tree/file" tree/abs
  SLINK_PROGRESS_DELAY=0 run --separate-stderr "$SLINK" fix -n --relative tree
  [ "$status" -eq 0 ]
  [ -z "$stderr" ]
  [ "$output" = "tree/abs: $T/tree/file -> file" ]
}
