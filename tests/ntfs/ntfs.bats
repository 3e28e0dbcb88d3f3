#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
# Real junctions and Windows symbolic links on an NTFS volume: an image made
# by mkntfs, mounted with lowntfs-3g, links made by slink, then checked
# three ways: through the mount (readlink, reading through), in the image
# by 7-Zip and The Sleuth Kit after unmounting (exact bytes), and after a
# remount. The tests run in order and share the one volume.

XA=system.ntfs_reparse_data

# Little-endian fields and UTF-8 text as UTF-16LE, in hex.
le16() { printf '%02x%02x' $(($1 & 255)) $((($1 >> 8) & 255)); }
le32() { le16 $(($1 & 0xFFFF)); le16 $(($1 >> 16)); }
u16hex() { printf '%s' "$1" | iconv -f UTF-8 -t UTF-16LE | od -An -tx1 -v | tr -d ' \n'; }

# The REPARSE_DATA_BUFFER Windows itself writes, as hex, built here from the
# MS-FSCC layout (independent of slink's codec): a junction has substitute
# then print name, each with a NUL; a symlink print then substitute name.
expect_hex() {
  local s p sl pl body tag
  s=$(u16hex "$2") p=$(u16hex "$3")
  sl=$((${#s} / 2)) pl=$((${#p} / 2))
  if [ "$1" = junction ]; then
    tag=0xA0000003
    body=$(le16 0)$(le16 $sl)$(le16 $((sl + 2)))$(le16 $pl)${s}0000${p}0000
  else
    tag=0xA000000C
    body=$(le16 $pl)$(le16 $sl)$(le16 0)$(le16 $pl)$(le32 $([ "$1" = relative ] && echo 1 || echo 0))$p$s
  fi
  echo "$(le32 $tag)$(le16 $((${#body} / 2)))$(le16 0)$body"
}

xattr_hex() { getfattr -h -e hex -n "$XA" "$1" 2>/dev/null | sed -n "s/^$XA=0x//p"; }

# Every name on the volume with its type and size: "nothing changed".
snapshot() { (cd "$MNT" && find . -printf '%p %y %s %l\n' | sort); }

mount_volume() { lowntfs-3g "$IMG" "$MNT"; }
unmount_volume() { cd /; umount "$MNT"; }

setup_file() {
  export IMG="$BATS_FILE_TMPDIR/ntfs.img" MNT="$BATS_FILE_TMPDIR/mnt"
  mkdir -p "$MNT"
  truncate -s 64M "$IMG"
  mkntfs -F -f -q "$IMG" >/dev/null 2>&1
  have_ntfs=0
  if [ "$(id -u)" -eq 0 ] && [ -c /dev/fuse ] && [ -n "$(command -v lowntfs-3g)" ]; then
    mount_volume 2>/dev/null && have_ntfs=1
  fi
  if [ "$have_ntfs" -eq 0 ]; then
    export NTFS_SKIP=1
    return 0
  fi
  export NTFS_SKIP=0
  mkdir -p "$MNT/orig/sub" "$MNT/top"
  echo hello > "$MNT/orig/file.txt"
  echo sub > "$MNT/orig/sub/s.txt"
}

teardown_file() {
  cd /
  if mountpoint -q "$MNT"; then umount "$MNT"; fi
}

setup() {
  if [ "$(id -u)" -ne 0 ]; then skip "needs root to mount an NTFS image with FUSE"; fi
  if [ ! -c /dev/fuse ]; then skip "no /dev/fuse: FUSE cannot be used here"; fi
  if ! command -v mkntfs >/dev/null || ! command -v lowntfs-3g >/dev/null; then
    skip "ntfs-3g (mkntfs, lowntfs-3g) is not installed"
  fi
  if ! command -v getfattr >/dev/null || ! command -v setfattr >/dev/null; then
    skip "attr (getfattr, setfattr) is not installed"
  fi
  if [ "$NTFS_SKIP" = 1 ]; then skip "lowntfs-3g could not mount the image"; fi
  cd "$MNT" 2>/dev/null || cd /
}

@test "ntfs: make -j makes a real junction, byte for byte as Windows does" {
  run "$SLINK" make -j --drive C: junc orig
  [ "$status" -eq 0 ]
  [ "$output" = "made junction junc -> $MNT/orig" ]
  [ "$(xattr_hex junc)" = "$(expect_hex junction '\??\C:\orig' 'C:\orig')" ]
  [ "$(readlink junc)" = "$MNT/orig" ]
  [ "$(cat junc/file.txt)" = "hello" ]
}

@test "ntfs: make -s with a relative target makes a relative dir symlink" {
  run "$SLINK" make -s sym_rel_dir orig/sub
  [ "$status" -eq 0 ]
  [ "$output" = "made dir-symlink sym_rel_dir -> orig/sub" ]
  [ "$(xattr_hex sym_rel_dir)" = "$(expect_hex relative 'orig\sub' 'orig\sub')" ]
  [ "$(readlink sym_rel_dir)" = "orig/sub" ]
  [ "$(cat sym_rel_dir/s.txt)" = "sub" ]
  # a directory symlink is an NTFS directory (attribute 0x10), a file one not
  [ "$(stat -c %F sym_rel_dir)" = "symbolic link" ]
}

@test "ntfs: make -s ../x from a subdirectory is a relative file symlink" {
  run "$SLINK" make -s top/sym_up ../orig/file.txt
  [ "$status" -eq 0 ]
  [ "$(xattr_hex top/sym_up)" = "$(expect_hex relative '..\orig\file.txt' '..\orig\file.txt')" ]
  [ "$(readlink top/sym_up)" = "../orig/file.txt" ]
  [ "$(cat top/sym_up)" = "hello" ]
}

@test "ntfs: the drive letter comes from .NTFS-3G/X: when --drive is not given" {
  mkdir -p .NTFS-3G
  ln -s "$MNT" .NTFS-3G/C:
  run "$SLINK" make -s sym_abs_file "$MNT/orig/file.txt"
  [ "$status" -eq 0 ]
  [ "$(xattr_hex sym_abs_file)" = "$(expect_hex absolute '\??\C:\orig\file.txt' 'C:\orig\file.txt')" ]
  [ "$(cat sym_abs_file)" = "hello" ]
  run "$SLINK" make -s sym_abs_dir "$MNT/orig"
  [ "$status" -eq 0 ]
  [ "$output" = "made dir-symlink sym_abs_dir -> $MNT/orig" ]
  [ "$(xattr_hex sym_abs_dir)" = "$(expect_hex absolute '\??\C:\orig' 'C:\orig')" ]
  [ "$(cat sym_abs_dir/file.txt)" = "hello" ]
  # --drive wins over the entry, in either case
  run "$SLINK" make -j --drive d: junc_d orig/sub
  [ "$status" -eq 0 ]
  [ "$(xattr_hex junc_d)" = "$(expect_hex junction '\??\D:\orig\sub' 'D:\orig\sub')" ]
}

@test "ntfs: a target on another drive, mapped by .NTFS-3G/D:, is written as D:" {
  mkdir -p "$BATS_FILE_TMPDIR/drive_d/ext"
  echo external > "$BATS_FILE_TMPDIR/drive_d/ext/e.txt"
  ln -s "$BATS_FILE_TMPDIR/drive_d" .NTFS-3G/D:
  run "$SLINK" make -j jext "$BATS_FILE_TMPDIR/drive_d/ext"
  [ "$status" -eq 0 ]
  [ "$(xattr_hex jext)" = "$(expect_hex junction '\??\D:\ext' 'D:\ext')" ]
  [ "$(cat jext/e.txt)" = "external" ]
  run "$SLINK" show --json jext
  [[ $output == *'"kind":"junction"'*'"resolved":"'"$BATS_FILE_TMPDIR"'/drive_d/ext"'* ]]
  run "$SLINK" rm jext
  [ "$status" -eq 0 ]
  [ ! -L jext ]
  [ "$(cat "$BATS_FILE_TMPDIR/drive_d/ext/e.txt")" = "external" ]
  rm .NTFS-3G/D:
}

@test "ntfs: a junction whose target is gone is still a junction, dangling" {
  mkdir orig/gone
  run "$SLINK" make -j --drive C: jgone orig/gone
  [ "$status" -eq 0 ]
  rmdir orig/gone
  run "$SLINK" show --json jgone
  [ "$status" -eq 0 ]
  [[ $output == *'"kind":"junction"'*'"states":["dangling","absolute"]'*'"print_name":"C:\\orig\\gone"'* ]]
  # a dangling symlink: ntfs-3g cannot translate it, slink still reads it
  run --separate-stderr "$SLINK" make -s dsym gone/x
  [ "$status" -eq 0 ]
  [ "$(xattr_hex dsym)" = "$(expect_hex relative 'gone\x' 'gone\x')" ]
  run "$SLINK" show --json dsym
  [[ $output == *'"kind":"symlink","target":"gone/x"'*'"states":["dangling","relative"]'* ]]
  run "$SLINK" rm jgone dsym
  [ "$status" -eq 0 ]
  [ ! -L jgone ]
  [ ! -L dsym ]
}

@test "ntfs: names beyond ASCII are written as UTF-16, 16 KiB is the limit" {
  mkdir "orig/café 😀"
  run "$SLINK" make -j --drive C: junc_u "orig/café 😀"
  [ "$status" -eq 0 ]
  [ "$(xattr_hex junc_u)" = "$(expect_hex junction '\??\C:\orig\café 😀' 'C:\orig\café 😀')" ]
  [ "$(readlink junc_u)" = "$MNT/.NTFS-3G/C:/orig/café 😀" ]
  run "$SLINK" make -s sym_u "café 😀"
  [ "$status" -eq 0 ]
  [ "$(xattr_hex sym_u)" = "$(expect_hex relative 'café 😀' 'café 😀')" ]
  "$SLINK" rm junc_u sym_u
  before=$(snapshot)
  run --separate-stderr "$SLINK" make -s long "$(printf 'a/%.0s' {1..2050})"
  [ "$status" -eq 1 ]
  [[ $stderr == *": the reparse data would exceed 16 KiB" ]]
  run --separate-stderr "$SLINK" make -s badutf8 $'x\xff'
  [ "$status" -eq 1 ]
  [[ $stderr == *": is not valid UTF-8" ]]
  [ "$before" = "$(snapshot)" ]
}

@test "ntfs: show reports kind, tag, substitute and print names" {
  run "$SLINK" show --json junc sym_rel_dir sym_abs_file sym_abs_dir
  [ "$status" -eq 0 ]
  [[ ${lines[0]} == *'"kind":"junction"'*'"tag":"0xA0000003","substitute_name":"\\??\\C:\\orig","print_name":"C:\\orig"'* ]]
  [[ ${lines[1]} == *'"kind":"dir-symlink","target":"orig/sub"'*'"tag":"0xA000000C","substitute_name":"orig\\sub","print_name":"orig\\sub"'* ]]
  [[ ${lines[2]} == *'"kind":"symlink"'*'"substitute_name":"\\??\\C:\\orig\\file.txt","print_name":"C:\\orig\\file.txt"'* ]]
  [[ ${lines[3]} == *'"kind":"dir-symlink"'*'"states":["ok","absolute"]'* ]]
}

@test "ntfs: ls shows the kinds; Interix and WSL symlinks are recognised" {
  ln -s orig/file.txt interix        # ntfs-3g writes an Interix file for ln -s
  touch wsl
  t=$(printf orig/file.txt | od -An -tx1 -v | tr -d ' \n')
  setfattr -h -n "$XA" -v "0x$(le32 0xA000001D)$(le16 $((4 + ${#t} / 2)))$(le16 0)$(le32 2)$t" wsl
  run "$SLINK" show --json interix wsl
  [ "$status" -eq 0 ]
  [[ ${lines[0]} == *'"kind":"cygwin-symlink","target":"orig/file.txt"'* ]]
  [[ ${lines[0]} != *'"tag"'* ]]
  [[ ${lines[1]} == *'"kind":"wsl-symlink","target":"orig/file.txt"'*'"tag":"0xA000001D"'* ]]
  run "$SLINK" ls --json .
  [ "$status" -eq 0 ]
  [[ $output == *'"path":"./junc","kind":"junction"'* || $output == *'"path":"junc","kind":"junction"'* ]]
  [[ $output == *'wsl","kind":"wsl-symlink"'* ]]
}

@test "ntfs: unmounted, 7-Zip reads the links from the image" {
  unmount_volume
  command -v 7zz >/dev/null || skip "7zip (7zz) is not installed"
  run 7zz l -slt "$IMG"
  [ "$status" -eq 0 ]
  links=$(echo "$output" | awk '/^Path = /{p=substr($0, 8)} /^Link = ./{print p " " substr($0, 8)}')
  echo "$links"
  grep -Fqx 'junc Junction: \\?\C:\orig : C:\orig' <<<"$links"
  grep -Fqx 'sym_rel_dir orig\sub' <<<"$links"
  grep -Fqx 'top/sym_up ..\orig\file.txt' <<<"$links"
  grep -Fqx 'sym_abs_file \\?\C:\orig\file.txt : C:\orig\file.txt' <<<"$links"
  grep -Fqx 'sym_abs_dir \\?\C:\orig : C:\orig' <<<"$links"
  grep -Fqx 'junc_d Junction: \\?\D:\orig\sub : D:\orig\sub' <<<"$links"
  grep -Fqx 'wsl WSL: orig/file.txt' <<<"$links"
}

@test "ntfs: unmounted, icat dumps exactly the bytes of \$REPARSE_POINT" {
  command -v icat >/dev/null || skip "sleuthkit (icat, fls) is not installed"
  inode() { fls -r -p "$IMG" | awk -v n="$1" -F'\t' '$2 == n {split($1, a, " "); sub(/-.*/, "", a[2]); print a[2]}'; }
  j=$(inode junc) r=$(inode sym_rel_dir)
  [ -n "$j" ]
  [ -n "$r" ]
  [ "$(icat "$IMG" "$j-192" | od -An -tx1 -v | tr -d " \n")" = "$(expect_hex junction '\??\C:\orig' 'C:\orig')" ]
  [ "$(icat "$IMG" "$r-192" | od -An -tx1 -v | tr -d " \n")" = "$(expect_hex relative 'orig\sub' 'orig\sub')" ]
}

@test "ntfs: remounted, every link reads back the same" {
  mountpoint -q "$MNT" || mount_volume
  cd "$MNT"
  [ "$(readlink sym_rel_dir)" = "orig/sub" ]
  [ "$(readlink top/sym_up)" = "../orig/file.txt" ]
  [ "$(cat junc/file.txt sym_abs_file sym_rel_dir/s.txt)" = "$(printf 'hello\nhello\nsub')" ]
  [ "$(xattr_hex junc)" = "$(expect_hex junction '\??\C:\orig' 'C:\orig')" ]
  run "$SLINK" show --json junc sym_abs_dir
  [ "$status" -eq 0 ]
  [[ ${lines[0]} == *'"kind":"junction"'* ]]
  [[ ${lines[1]} == *'"kind":"dir-symlink"'* ]]
}

@test "ntfs: make -f replaces a junction with a new one" {
  run "$SLINK" make -j -f --drive C: junc_d orig
  [ "$status" -eq 0 ]
  [ "$(xattr_hex junc_d)" = "$(expect_hex junction '\??\C:\orig' 'C:\orig')" ]
  [ "$(cat junc_d/file.txt)" = "hello" ]
  [ "$(cat orig/sub/s.txt)" = "sub" ]
}

@test "ntfs: rm removes the links and leaves every target intact" {
  run "$SLINK" rm junc junc_d sym_rel_dir sym_abs_dir sym_abs_file top/sym_up wsl interix
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  for l in junc junc_d sym_rel_dir sym_abs_dir sym_abs_file top/sym_up wsl interix; do
    [ ! -e "$l" ]
    [ ! -L "$l" ]
  done
  [ "$(cat orig/file.txt orig/sub/s.txt)" = "$(printf 'hello\nsub')" ]
}

@test "ntfs: bad input is refused and nothing on the volume changes" {
  mkdir full && touch full/keep
  before=$(snapshot)
  run --separate-stderr "$SLINK" make -j --drive C: jfile orig/file.txt
  [ "$status" -eq 1 ]
  [ "$stderr" = "slink: make: orig/file.txt: the target is not a directory" ]
  run --separate-stderr "$SLINK" make -j --drive C: jmissing nowhere
  [ "$status" -eq 1 ]
  [ "$stderr" = "slink: make: nowhere: the target does not exist" ]
  run "$SLINK" make -j --drive C: full orig
  [ "$status" -eq 1 ]
  run "$SLINK" make -j --drive C: orig/file.txt orig/sub
  [ "$status" -eq 1 ]
  run "$SLINK" make -s --drive C: outside /
  [ "$status" -eq 1 ]
  run "$SLINK" make -j --drive 'C:x' jbad orig
  [ "$status" -eq 2 ]
  [ "$before" = "$(snapshot)" ]
  [ -f full/keep ]
  # without --drive and without .NTFS-3G/C:, the error explains both
  rm .NTFS-3G/C:
  before=$(snapshot)
  run --separate-stderr "$SLINK" make -j nodrive orig
  [ "$status" -eq 1 ]
  [ "$stderr" = "slink: make: nodrive: the drive letter of this NTFS volume is not known: give --drive X: or make .NTFS-3G/X: at the volume root point to its mount point" ]
  run "$SLINK" make -s nodrive "$MNT/orig"
  [ "$status" -eq 1 ]
  [ "$before" = "$(snapshot)" ]
  # a relative symlink needs no drive letter
  run "$SLINK" make -s rel orig
  [ "$status" -eq 0 ]
  [ "$(readlink rel)" = "orig" ]
}

# Issue 17: a folder holding a volume by its GUID (what mountvol makes on
# Windows) is another filesystem: a move of the tree holding it is refused
# before anything changes, as a mount is on Linux.
@test "ntfs: move refuses a tree holding a volume mounted in a folder" {
  mkdir -p mvsrc/vol
  echo kept > mvsrc/f
  setfattr -h -n "$XA" -v "0x$(expect_hex junction '\??\Volume{0b5a3c3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b}\' '')" mvsrc/vol
  run "$SLINK" show --json mvsrc/vol
  [[ $output == *'"kind":"junction"'* ]] || false
  before=$(snapshot)
  run --separate-stderr "$SLINK" move --leave none mvsrc mvmoved
  [ "$status" -eq 1 ]
  [[ $stderr == *"mvsrc: is on another filesystem"* ]] || false
  [ "$before" = "$(snapshot)" ]
  setfattr -h -x "$XA" mvsrc/vol
  rm -r mvsrc
}

# ntfs-3g has no RENAME_NOREPLACE (FUSE answers EINVAL): a move on one
# volume, and its rename aside, still never replace a name, and leave no
# journal behind.
@test "ntfs: move on one volume renames the tree and leaves a link to it" {
  mkdir -p mv1/sub .NTFS-3G
  [ -L .NTFS-3G/C: ] || ln -s "$MNT" .NTFS-3G/C:
  echo one > mv1/sub/f
  run --separate-stderr "$SLINK" move mv1 mv1moved
  [ "$status" -eq 0 ] || { echo "$stderr"; false; }
  [ "$(cat mv1moved/sub/f)" = one ]
  [ "$(cat mv1/sub/f)" = one ]
  run "$SLINK" show --json mv1
  [[ $output == *'"kind":"dir-symlink"'* ]] || false
  [[ $output == *'"resolved":"'"$MNT"'/mv1moved"'* ]] || false
  [ -z "$(find . -maxdepth 1 -name '.*slink*' -print)" ]
  mkdir -p mv2 mv2taken
  echo keep > mv2taken/k
  run --separate-stderr "$SLINK" move --leave none mv2 mv2taken
  [ "$status" -ne 0 ]
  [ "$(cat mv2taken/k)" = keep ]
  [ -d mv2 ]
  "$SLINK" rm mv1
  rm -r mv1moved mv2 mv2taken
}

# Issue 17, -x: a folder holding a volume by its GUID is left behind. On
# one volume the rename takes the folder (a reparse point) along; to
# another filesystem DEST gets an empty folder in its place, and the
# folder, never removed (that would unmount the volume), stays with the
# folders leading to it in SRC.slink-mounts.
VOLUME='\??\Volume{0b5a3c3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b}\'
@test "ntfs: move -x on one volume takes a folder holding a volume along" {
  mkdir -p mvx/a/vol
  echo kept > mvx/f
  setfattr -h -n "$XA" -v "0x$(expect_hex junction "$VOLUME" '')" mvx/a/vol
  want=$(xattr_hex mvx/a/vol)
  run --separate-stderr "$SLINK" move -x mvx mvxmoved
  [ "$status" -eq 0 ] || { echo "$stderr"; false; }
  [[ $stderr == *"$MNT/mvx/a/vol: warning: a mount: moved along with its directory: $MNT/mvxmoved/a/vol"* ]] || false
  [ "$(xattr_hex mvxmoved/a/vol)" = "$want" ]
  [ "$(cat mvxmoved/f)" = kept ]
  "$SLINK" rm mvx
  setfattr -h -x "$XA" mvxmoved/a/vol
  rm -r mvxmoved
}

@test "ntfs: move -x to another filesystem leaves the volume's folder in SRC.slink-mounts" {
  mkdir -p mvy/a/vol mvy/b "$BATS_FILE_TMPDIR/other"
  mountpoint -q "$BATS_FILE_TMPDIR/other" || mount -t tmpfs tmpfs "$BATS_FILE_TMPDIR/other"
  echo kept > mvy/b/f
  setfattr -h -n "$XA" -v "0x$(expect_hex junction "$VOLUME" '')" mvy/a/vol
  want=$(xattr_hex mvy/a/vol)
  dest="$BATS_FILE_TMPDIR/other/dst"
  run "$SLINK" move -x --leave none --json mvy "$dest"
  umount "$BATS_FILE_TMPDIR/other" 2>/dev/null || true
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  [[ $output == *'"mounts":[{"path":"'"$MNT"'/mvy/a/vol","at":"'"$MNT"'/mvy.slink-mounts/a/vol"}],"left":"'"$MNT"'/mvy.slink-mounts",'* ]] || false
  [ ! -e mvy ]
  [ ! -L mvy ]
  # The folder with the volume: still there, still the same reparse point.
  [ "$(xattr_hex mvy.slink-mounts/a/vol)" = "$want" ]
  [ "$(cd mvy.slink-mounts && find . | sort | tr '\n' ' ')" = ". ./a ./a/vol " ]
  setfattr -h -x "$XA" mvy.slink-mounts/a/vol
  rm -r mvy.slink-mounts
}

@test "ntfs: move -x, a copy: an empty folder where the volume was" {
  mkdir -p mvz/a/vol "$BATS_FILE_TMPDIR/other"
  mountpoint -q "$BATS_FILE_TMPDIR/other" || mount -t tmpfs tmpfs "$BATS_FILE_TMPDIR/other"
  setfattr -h -n "$XA" -v "0x$(expect_hex junction "$VOLUME" '')" mvz/a/vol
  dest="$BATS_FILE_TMPDIR/other/dst"
  run "$SLINK" move -x --leave none mvz "$dest"
  [ "$status" -eq 0 ] || { umount "$BATS_FILE_TMPDIR/other"; echo "$output"; false; }
  ok=0
  if [ -d "$dest/a/vol" ] && [ ! -L "$dest/a/vol" ] && [ -z "$(ls -A "$dest/a/vol")" ]; then ok=1; fi
  umount "$BATS_FILE_TMPDIR/other"
  setfattr -h -x "$XA" mvz.slink-mounts/a/vol
  rm -r mvz.slink-mounts
  [ "$ok" -eq 1 ]
}

# Issue 17: a move whose link could not name DEST (the volume's drive
# letter unknown; DEST where Windows does not reach it from here) is
# refused before the rename, not after it.
@test "ntfs: move refuses before changing anything when the link cannot name DEST" {
  mkdir -p mv3/sub "$BATS_FILE_TMPDIR/other"
  echo three > mv3/sub/f
  rm -f .NTFS-3G/C:
  before=$(snapshot)
  run --separate-stderr "$SLINK" move mv3 mv3moved
  [ "$status" -eq 1 ]
  [[ $stderr == "slink: move: mv3: the link to leave here cannot name DEST: the drive letter of this NTFS volume is not known"* ]] || false
  [ "$before" = "$(snapshot)" ]
  run --separate-stderr "$SLINK" move --leave junction mv3 mv3moved
  [ "$status" -eq 1 ]
  [ "$before" = "$(snapshot)" ]
  ln -s "$MNT" .NTFS-3G/C:
  mount -t tmpfs tmpfs "$BATS_FILE_TMPDIR/other"
  before=$(snapshot)
  run --separate-stderr "$SLINK" move mv3 "$BATS_FILE_TMPDIR/other/dst"
  ls_other=$(ls -A "$BATS_FILE_TMPDIR/other")
  umount "$BATS_FILE_TMPDIR/other"
  [ "$status" -eq 1 ]
  [[ $stderr == "slink: move: mv3: the link to leave here cannot name DEST: Windows does not reach it"* ]] || false
  [ "$before" = "$(snapshot)" ]
  [ -z "$ls_other" ]
  # With a drive letter the same move goes through.
  run "$SLINK" move mv3 mv3moved
  [ "$status" -eq 0 ]
  [ "$(cat mv3/sub/f)" = three ]
  "$SLINK" rm mv3
  rm -r mv3moved
}
