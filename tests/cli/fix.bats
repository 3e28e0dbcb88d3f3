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
  [ "${lines[0]}" = "tree/gone: would remove (dangling: missing)" ]
  [ "${lines[1]}" = "tree/sub/lost: would remove (dangling: ../nowhere/at/all)" ]
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
  [ "${lines[0]}" = "slink: fix: nothing to do: give --relative, --shorten, --delete-dangling, --clean-temp or --retarget" ]
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

# As an unprivileged user (root ignores permissions): runs CMD as nobody.
as_nobody() {
  if [ "$(id -u)" -eq 0 ]; then
    command -v setpriv >/dev/null || skip "setpriv is not installed"
    chown -R 65534:65534 "$T"
    setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
  else
    "$@"
  fi
}

@test "a change is reported only once made: a read-only directory (JSON, text)" {
  ln -s missing tree/sub/gone
  ln -s "$T/tree/file" tree/sub/abs
  chmod 0555 tree/sub
  run as_nobody "$SLINK" fix --json --delete-dangling tree
  [ "$status" -eq 1 ]
  [[ "$output" != *'"path"'* ]] || false
  [[ "$output" == *"tree/sub/gone: permission denied"* ]] || false
  run as_nobody "$SLINK" fix --relative tree
  [ "$status" -eq 1 ]
  [ "$output" = "slink: fix: tree/sub/abs: permission denied" ]
  [ -L tree/sub/gone ]
  [ "$(target tree/sub/abs)" = "$T/tree/file" ]
  [ -z "$(find tree -name '.slink-*')" ]
  chmod 0755 tree/sub
}

@test "a dry run refuses what the real run is refused, and says would remove" {
  ln -s missing tree/sub/gone
  ln -s "$T/tree/file" tree/sub/abs
  chmod 0555 tree/sub
  run as_nobody "$SLINK" fix -n --delete-dangling --relative tree
  [ "$status" -eq 1 ]
  [[ "$output" == *"slink: fix: tree/sub/abs: permission denied"* ]] || false
  [[ "$output" == *"slink: fix: tree/sub/gone: permission denied"* ]] || false
  [[ "$output" != *"would remove"* ]] || false
  chmod 0755 tree/sub
  run as_nobody "$SLINK" fix -n --delete-dangling tree
  [ "$status" -eq 0 ]
  [ "$output" = "tree/sub/gone: would remove (dangling: missing)" ]
}

@test "--relative leaves links out of the tree alone (a systemd mask); --relative-all reaches them" {
  mkdir -p usr/lib/systemd/system outside
  ln -s /dev/null usr/lib/systemd/system/x.service
  ln -s "$T/outside" usr/lib/systemd/system/out
  ln -s "$T/usr/lib/systemd/system/x.service" usr/lib/systemd/alias
  run "$SLINK" fix --relative usr/lib/systemd
  [ "$status" -eq 0 ]
  [ "$output" = "usr/lib/systemd/alias: $T/usr/lib/systemd/system/x.service -> system/x.service" ]
  [ "$(target usr/lib/systemd/system/x.service)" = /dev/null ]
  [ "$(target usr/lib/systemd/system/out)" = "$T/outside" ]
  run "$SLINK" fix --relative-all usr/lib/systemd
  [ "$status" -eq 0 ]
  [ "$(target usr/lib/systemd/system/out)" = "../../../../outside" ]
  [[ "$(target usr/lib/systemd/system/x.service)" == ../*dev/null ]] || false
}

@test "--clean-temp removes leftover temporary links and extra names, never a single-named file" {
  ln -s somewhere tree/.slink-0123456789abcdef.tmp
  ln tree/file tree/sub/.slink-00000000000000ff.tmp
  echo precious > tree/real/.slink-fedcba9876543210.tmp
  ln -s x tree/.slink-notatemp.tmp
  run "$SLINK" fix -n --clean-temp tree
  [ "$status" -eq 1 ]
  [[ "$output" == *"tree/.slink-0123456789abcdef.tmp: would remove (leftover temporary name: somewhere)"* ]] || false
  [[ "$output" == *"tree/sub/.slink-00000000000000ff.tmp: would remove (leftover temporary name)"* ]] || false
  [[ "$output" == *"slink: fix: tree/real/.slink-fedcba9876543210.tmp: is not a link; nothing removed"* ]] || false
  [ -L tree/.slink-0123456789abcdef.tmp ]
  run "$SLINK" fix --clean-temp tree
  [ "$status" -eq 1 ]
  [ ! -L tree/.slink-0123456789abcdef.tmp ]
  [ ! -e tree/sub/.slink-00000000000000ff.tmp ]
  [ -e tree/file ]
  [ "$(cat tree/real/.slink-fedcba9876543210.tmp)" = precious ]
  [ -L tree/.slink-notatemp.tmp ]
}

@test "an empty DIR is a clear error" {
  run "$SLINK" fix --shorten ''
  [ "$status" -eq 1 ]
  [ "$output" = "slink: fix: '': empty path" ]
}
