#!/usr/bin/env bats
# slink dedupe: which files are merged and which never are, what the
# report says, metadata rules, link limits on a real NTFS volume, reflinks
# on btrfs and XFS images, the same result as util-linux hardlink -c on
# generated trees, and a run while another process rewrites files.
load helpers

setup() { setup_dir; }
teardown() { teardown_dir; }

# path -> inode for every regular file below $1, as "inode path" lines.
inodes() { find "$1" -type f -printf '%i %p\n' | LC_ALL=C sort -k2; }
ino() { stat -c %i -- "$1"; }
# The groups of names that share an inode below $1, one line per group,
# names relative to $1 and sorted: what a dedupe tool made of the tree.
partition() {
  (cd "$1" && find . -type f -printf '%i\t%p\n') | python3 -c '
import sys, collections
g = collections.defaultdict(list)
for line in sys.stdin.buffer:
    i, p = line.rstrip(b"\n").split(b"\t", 1)
    g[i].append(p)
for names in sorted(sorted(v) for v in g.values()):
    sys.stdout.buffer.write(b" ".join(names) + b"\n")'
}
# The bytes the regular files below $1 hold, each inode once.
held() { find "$1" -type f -printf '%i %s\n' | sort -u | awk '{s += $2} END {print s + 0}'; }
no_temp_left() { [ -z "$(find "${1:-.}" -name '.slink-*.tmp')" ] || { find "${1:-.}" -name '.slink-*.tmp'; false; }; }

@test "dedupe: identical files become one; others, links and specials are left" {
  mkdir -p t/a t/b
  printf 'same bytes\n' > t/a/one
  cp -p t/a/one t/b/two
  cp -p t/a/one t/a/three
  printf 'other bytes\n' > t/a/other          # same size, other bytes
  head -c 200000 /dev/urandom > t/big
  cp -p t/big t/b/big
  ln -s one t/a/sym                            # a link to a duplicate
  ln -s /nowhere t/dangling
  mkfifo t/fifo                                # must never be opened
  : > t/empty1; : > t/empty2                   # empty: not unless asked
  touch -r t/a/one t/empty1 t/empty2
  run "$SLINK" dedupe t
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(ino t/a/one)" = "$(ino t/b/two)" ]
  [ "$(ino t/a/one)" = "$(ino t/a/three)" ]
  [ "$(ino t/big)" = "$(ino t/b/big)" ]
  [ "$(ino t/a/other)" != "$(ino t/a/one)" ]
  [ "$(ino t/empty1)" != "$(ino t/empty2)" ]
  [ -L t/a/sym ]
  [ "$(readlink t/a/sym)" = one ]
  [ -L t/dangling ]
  [ -p t/fifo ]
  [ "$(cat t/a/one)" = "same bytes" ]
  [ "$(cat t/a/other)" = "other bytes" ]
  [[ "$output" == *"3 files of 11 bytes, 22 bytes saved:"* ]]
  [[ "$output" == *"kept        t/a/one (its owner, mode, times and xattrs stay)"* ]]
  [[ "$output" == *"linked      t/a/three"* ]]
  no_temp_left t
}

@test "dedupe: a block and a character device, a socket: never candidates" {
  need_root
  mkdir t
  mknod t/null c 1 3
  mknod t/null2 c 1 3
  mknod t/blk b 7 200
  python3 -c 'import socket; s = socket.socket(socket.AF_UNIX); s.bind("t/sock")'
  run "$SLINK" dedupe t
  [ "$status" -eq 0 ]
  [[ "$output" == *"0 files, 0 groups"* ]]
  [ -c t/null ]
  [ -c t/null2 ]
  [ -b t/blk ]
  [ -S t/sock ]
}

@test "dedupe: a tree given twice, or inside another: each name once" {
  mkdir -p t/sub
  echo same > t/sub/a
  cp -p t/sub/a t/sub/b
  run "$SLINK" dedupe --json t ./t t/sub
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(ino t/sub/a)" = "$(ino t/sub/b)" ]
  [[ "${lines[-1]}" == *'"files":2,'*'"linked":1,"skipped":0,"bytes_saved":5,'* ]]
}

@test "dedupe: --empty merges empty files too" {
  mkdir t
  : > t/e1; : > t/e2
  touch -r t/e1 t/e2
  "$SLINK" dedupe --empty t
  [ "$(ino t/e1)" = "$(ino t/e2)" ]
}

@test "dedupe: hard links already in the tree count once, and all names move" {
  mkdir t
  echo content > t/a
  ln t/a t/a2                                  # one file, two names
  cp -p t/a t/b
  ln t/b t/b2
  ln t/b t/b3
  cp -p t/a t/c
  run "$SLINK" dedupe --json t
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(ino t/a)" = "$(ino t/b)" ]
  [ "$(ino t/b)" = "$(ino t/c)" ]
  [ "$(stat -c %h t/a)" -eq 6 ]
  # three files found, two of them freed: 2 x 8 bytes
  [[ "${lines[-1]}" == *'"files":3,'* ]]
  [[ "${lines[-1]}" == *'"bytes_saved":16,'* ]]
  # the keeper is the file with the most names (fewest to replace)
  [[ "${lines[0]}" == *'"metadata_from":"t/b"'* ]]
}

@test "dedupe: a name outside the tree keeps its file: no bytes counted" {
  mkdir t out
  echo content > t/a
  ln t/a t/a2
  cp -p t/a t/b
  ln t/b out/b-elsewhere
  run "$SLINK" dedupe --json t
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(ino t/a)" = "$(ino t/b)" ]
  [ "$(cat out/b-elsewhere)" = content ]
  [ "$(stat -c %h out/b-elsewhere)" -eq 1 ]
  [[ "${lines[-1]}" == *'"bytes_saved":0,'* ]]
}

@test "dedupe: names with newlines and bytes that are not UTF-8" {
  mkdir t
  nl=$(printf 't/new\nline') bad=$(printf 't/bad\377name')
  echo same > "$nl"
  cp -p "$nl" "$bad"
  cp -p "$nl" t/plain
  run "$SLINK" dedupe t
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(ino "$nl")" = "$(ino "$bad")" ]
  [ "$(ino "$bad")" = "$(ino t/plain)" ]
  [[ "$output" == *"t/bad\$'\\377'name"* || "$output" == *"'t/bad'\$'\\377''name'"* ]]
  no_temp_left t
}

@test "dedupe: read-only files and directories (as root: merged, modes kept)" {
  need_root
  mkdir -p t/ro
  echo same > t/ro/a
  cp -p t/ro/a t/ro/b
  chmod 444 t/ro/a t/ro/b
  chmod 555 t/ro
  run "$SLINK" dedupe t
  [ "$status" -eq 0 ]
  [ "$(ino t/ro/a)" = "$(ino t/ro/b)" ]
  [ "$(stat -c %a t/ro)" = 555 ]
  [ "$(stat -c %a t/ro/a)" = 444 ]
}

@test "dedupe: a directory the user may not write: left alone, said, exit 1" {
  nobody_slink
  mkdir -p t/ro
  echo same > t/ro/a
  cp -p t/ro/a t/ro/b
  chown -R 65534:65534 t
  chmod 555 t/ro
  before=$(inodes t)
  run as_nobody "$NB/slink" dedupe t
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "$output" == *"slink: dedupe: t/ro/"*": permission denied"* ]]
  [ "$(inodes t)" = "$before" ]
  [ "$(cat t/ro/a)" = same ]
  [ "$(cat t/ro/b)" = same ]
  no_temp_left t
}

@test "dedupe: an unreadable file is an error naming it; the rest goes on" {
  nobody_slink
  mkdir t
  echo same > t/a
  cp -p t/a t/b
  cp -p t/a t/secret
  chmod 600 t/secret
  chown 65534:65534 t t/a t/b
  chmod 755 t
  run as_nobody "$NB/slink" dedupe --ignore-owner t
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "$output" == *"slink: dedupe: t/secret: permission denied"* ]]
  [ "$(ino t/a)" = "$(ino t/b)" ]
  [ "$(ino t/secret)" != "$(ino t/a)" ]
}

@test "dedupe: other mode, owner, time or xattrs: left alone unless ignored" {
  mkdir t
  echo same > t/a
  for f in mode owner time xattr; do cp -p t/a t/$f; done
  chmod 600 t/mode
  chown 1234 t/owner 2>/dev/null || skip "cannot chown"
  touch -d 2001-01-01 t/time
  setfattr -n user.note -v hi t/xattr 2>/dev/null || skip "no user xattrs here"
  run "$SLINK" dedupe t
  echo "$output"
  [ "$status" -eq 1 ]
  for f in mode owner time xattr; do [ "$(ino t/$f)" != "$(ino t/a)" ]; done
  [[ "$output" == *"t/mode: other permissions (--ignore-mode merges it)"* ]]
  [[ "$output" == *"t/owner: other owner (--ignore-owner merges it)"* ]]
  [[ "$output" == *"t/time: other modification time (--ignore-time merges it)"* ]]
  [[ "$output" == *"t/xattr: other xattrs or ACLs (--ignore-xattrs merges it)"* ]]
  run "$SLINK" dedupe --ignore-mode --ignore-owner --ignore-time --ignore-xattrs t
  echo "$output"
  [ "$status" -eq 0 ]
  for f in mode owner time xattr; do [ "$(ino t/$f)" = "$(ino t/a)" ]; done
  # the kept file's metadata is what survives, and the report says whose
  kept=$(sed -n 's/^  kept *\([^ ]*\) (its owner.*/\1/p' <<<"$output")
  [ -n "$kept" ]
  [ "$(stat -c %a t/a)" = "$(stat -c %a "$kept")" ]
}

@test "dedupe: -n plans and changes nothing" {
  mkdir t
  echo same > t/a
  cp -p t/a t/b
  before=$(inodes t)
  run "$SLINK" dedupe -n t
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"2 files of 5 bytes, 5 bytes to be saved:"* ]]
  [[ "$output" == *"would link  t/b"* ]]
  [[ "$output" == *"1 names to be linked, 5 bytes to be saved"* ]]
  [ "$(inodes t)" = "$before" ]
}

@test "dedupe: -n plans by the xattrs the hashing open read, as the run merges" {
  mkdir t
  echo same > t/a
  for f in b x1 x2 y; do cp -p t/a t/$f; done
  setfattr -n user.note -v hi t/x1 2>/dev/null || skip "no user xattrs here"
  setfattr -n user.note -v hi t/x2
  setfattr -n user.note -v other t/y
  run "$SLINK" dedupe -n t
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "$output" == *"would link  t/b"* ]]
  [[ "$output" == *"would link  t/x2"* ]]
  [[ "$output" == *"left alone  t/y: other xattrs or ACLs"* ]]
  [[ "$output" == *"2 groups, 2 names to be linked"* ]]
  run "$SLINK" dedupe t
  echo "$output"
  [ "$status" -eq 1 ]
  [ "$(partition t)" = "$(printf './a ./b\n./x1 ./x2\n./y')" ]
}

@test "dedupe: --min-size leaves smaller files" {
  mkdir t
  echo small > t/s1; cp -p t/s1 t/s2
  head -c 5000 /dev/urandom > t/b1; cp -p t/b1 t/b2
  "$SLINK" dedupe --min-size 1K t
  [ "$(ino t/s1)" != "$(ino t/s2)" ]
  [ "$(ino t/b1)" = "$(ino t/b2)" ]
}

@test "dedupe: a progress line on a terminal (files hashed, bytes read, saved), none in a pipe" {
  command -v script >/dev/null || skip "script (util-linux) is not installed"
  mkdir t
  python3 -c '
import os
for i in range(600):
    with open("t/f%03d" % i, "wb") as f:
        f.write(b"%08d" % (i % 300))
    os.utime("t/f%03d" % i, (1600000000, 1600000000))'
  SLINK_PROGRESS_DELAY=0 script -qec "$SLINK dedupe -n t > /dev/null" /dev/null > shown 2>&1 < /dev/null || true
  grep -qaE $'\r\033\\[Kdedupe: [0-9]+ files hashed, [0-9.]+ (bytes|KiB|MiB) read, [0-9.]+ (bytes|KiB|MiB) saved, t' shown
  SLINK_PROGRESS_DELAY=0 "$SLINK" dedupe -n t > out 2> err
  [ ! -s err ]
}

@test "dedupe: usage errors exit 2, a missing directory 1" {
  run "$SLINK" dedupe
  [ "$status" -eq 2 ]
  run "$SLINK" dedupe --min-size lots .
  [ "$status" -eq 2 ]
  run "$SLINK" dedupe --max-links 1 .
  [ "$status" -eq 2 ]
  run "$SLINK" dedupe nowhere
  [ "$status" -eq 1 ]
  [[ "$output" == "slink: dedupe: nowhere: no such file or directory" ]]
}

@test "dedupe: --max-links: a full keeper starts a new one, nothing skipped" {
  mkdir t
  echo same > t/f1
  for i in 2 3 4 5 6 7; do cp -p t/f1 t/f$i; done
  run "$SLINK" dedupe --max-links 3 t
  echo "$output"
  [ "$status" -eq 0 ]
  # three files of three names and one alone, every name reported
  [ "$(partition t | awk '{print NF}' | sort | tr '\n' ' ')" = "1 3 3 " ]
  [ "$(grep -cE '^  (kept|linked) ' <<<"$output")" -eq 7 ]
}

@test "dedupe: the link limit of a real NTFS volume (1,023, as Windows)" {
  need_root
  { [ -c /dev/fuse ] && command -v lowntfs-3g >/dev/null; } || skip "no FUSE or ntfs-3g"
  truncate -s 64M ntfs.img
  mkntfs -F -f -q ntfs.img >/dev/null 2>&1
  mkdir mnt
  lowntfs-3g ntfs.img mnt 2>/dev/null || skip "cannot mount with lowntfs-3g"
  mkdir mnt/t
  echo same > mnt/t/f0000
  python3 -c '
import shutil
for i in range(1, 1030):
    shutil.copy2("mnt/t/f0000", "mnt/t/f%04d" % i)'
  run "$SLINK" dedupe mnt/t
  echo "${lines[-1]}"
  [ "$status" -eq 0 ]
  # 1,030 names: one file of 1,023 names, one of 7
  [ "$(partition mnt/t | awk '{print NF}' | sort -n | tr '\n' ' ')" = "7 1023 " ]
  [[ "${lines[-1]}" == "1030 files, 2 groups, 1028 names linked"* ]]
  no_temp_left mnt/t
}

# A loop-mounted image of filesystem $1 (made with $2...) on mnt, or skip.
loop_fs() {
  need_root
  local fs=$1; shift
  grep -qw "$fs" /proc/filesystems || skip "the kernel has no $fs"
  command -v "mkfs.$fs" >/dev/null || skip "mkfs.$fs is not installed"
  truncate -s 320M img
  "mkfs.$fs" "$@" img >/dev/null 2>&1 || skip "mkfs.$fs failed"
  mkdir mnt
  mount -o loop img mnt 2>/dev/null || skip "cannot loop-mount $fs here"
}

reflink_case() {
  mkdir mnt/t
  head -c 3000000 /dev/urandom > mnt/t/a
  cp --reflink=never -p mnt/t/a mnt/t/b
  cp --reflink=never -p mnt/t/a mnt/t/c
  head -c 3000000 /dev/urandom > mnt/t/other
  printf x | dd of=mnt/t/c bs=1 seek=2999999 conv=notrunc 2>/dev/null
  touch -r mnt/t/a mnt/t/c
  sync
  ia=$(ino mnt/t/a) ib=$(ino mnt/t/b)
  run "$SLINK" dedupe --reflink mnt/t
  echo "$output"
  [ "$status" -eq 0 ]
  # every file keeps its inode; a and b now share their extents
  [ "$(ino mnt/t/a)" = "$ia" ] && [ "$(ino mnt/t/b)" = "$ib" ]
  cmp mnt/t/a mnt/t/b
  sync
  filefrag -v mnt/t/b | grep -q shared
  run filefrag -v mnt/t/other
  [[ "$output" != *shared* ]]
  # copy-on-write: writing one leaves the other as it was
  sum=$(md5sum < mnt/t/a)
  printf 'new' | dd of=mnt/t/b bs=1 seek=10 conv=notrunc 2>/dev/null
  [ "$(md5sum < mnt/t/a)" = "$sum" ]
}

@test "dedupe: --reflink on btrfs shares storage, keeps inodes" {
  loop_fs btrfs -q
  reflink_case
}

@test "dedupe: --reflink on XFS shares storage, keeps inodes" {
  loop_fs xfs -q -m reflink=1
  reflink_case
}

@test "dedupe: --reflink where the filesystem cannot: an error, nothing lost" {
  loop_fs ext4 -q -F
  mkdir mnt/t
  echo same > mnt/t/a
  cp -p mnt/t/a mnt/t/b
  run "$SLINK" dedupe --reflink mnt/t
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "$output" == *"mnt/t/b: the filesystem cannot share extents"* ]]
  [ "$(ino mnt/t/a)" != "$(ino mnt/t/b)" ]
}

@test "dedupe: -n --reflink plans shared storage, in those words" {
  mkdir t
  echo same > t/a
  cp -p t/a t/b
  run "$SLINK" dedupe -n --reflink t
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"would share t/b"* ]]
  [[ "$output" == *"1 names to share storage, 5 bytes to be saved"* ]]
  [[ "$output" != *link* ]] || false
  run "$SLINK" dedupe -n --reflink --json t
  [[ "$output" == *'"how":"reflink"'* ]]
}

@test "dedupe: never across filesystems" {
  loop_fs ext4 -q -F
  mkdir t
  echo same > t/a
  cp -p t/a mnt/a
  cp -p t/a mnt/b
  run "$SLINK" dedupe t mnt
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(ino mnt/a)" = "$(ino mnt/b)" ]
  [ "$(stat -c %h t/a)" -eq 1 ]
  [ "$(stat -c %d t/a)" != "$(stat -c %d mnt/a)" ]
}

@test "dedupe: the same files and bytes as util-linux hardlink -c (generated trees)" {
  command -v hardlink >/dev/null || skip "hardlink (util-linux) is not installed"
  for seed in 1 2 3; do
    rm -rf orig ours theirs
    python3 "$SLINK_SRC/tests/cli/dedupe_race.py" gen orig --files 1500 --seed "$seed"
    cp -a orig ours
    cp -a orig theirs
    hardlink -c -q theirs > /dev/null
    run "$SLINK" dedupe --ignore-mode --ignore-owner --ignore-time ours
    [ "$status" -eq 0 ]
    [ "$(partition ours)" = "$(partition theirs)" ]
    [ "$(held ours)" = "$(held theirs)" ]
    [ "$(held ours)" -lt "$(held orig)" ]
    no_temp_left ours
  done
}

@test "dedupe: a concurrent writer (1% of files rewritten, size and mtime kept)" {
  command -v python3 >/dev/null || skip "python3 is not installed"
  run python3 "$SLINK_SRC/tests/cli/dedupe_race.py" race "$SLINK"
  echo "$output"
  [ "$status" -eq 0 ]
}
