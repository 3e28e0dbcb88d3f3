#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
# slink convert on a real NTFS volume (mkntfs, lowntfs-3g): the links
# Cygwin and WSL fake on a Windows disk made real Windows symbolic links and
# back, each checked through the mount and, after unmounting, in the image
# by 7-Zip and The Sleuth Kit. The tests run in order on one volume.

XA=system.ntfs_reparse_data
AT=system.ntfs_attrib

le16() { printf '%02x%02x' $(($1 & 255)) $((($1 >> 8) & 255)); }
le32() { le16 $(($1 & 0xFFFF)); le16 $(($1 >> 16)); }
u16hex() { printf '%s' "$1" | iconv -f UTF-8 -t UTF-16LE | od -An -tx1 -v | tr -d ' \n'; }
hex() { od -An -tx1 -v | tr -d ' \n'; }

# What Windows' CreateSymbolicLinkW writes for a relative target, from
# MS-FSCC 2.1.2.4 (print name, then substitute name, flag 1).
rel_symlink_hex() {
  local p; p=$(u16hex "$1"); local n=$((${#p} / 2))
  local body; body=$(le16 $n)$(le16 $n)$(le16 0)$(le16 $n)$(le32 1)$p$p
  echo "$(le32 0xA000000C)$(le16 $((${#body} / 2)))$(le16 0)$body"
}
# A WSL symlink, MS-FSCC 2.1.2.7: version 2, the UTF-8 target.
wsl_hex() {
  local t; t=$(printf '%s' "$1" | hex)
  echo "$(le32 0xA000001D)$(le16 $((4 + ${#t} / 2)))$(le16 0)$(le32 2)$t"
}
# An absolute one (flags 0): print name C:\..., substitute name \??\C:\...
abs_symlink_hex() {
  local p s; p=$(u16hex "$1") s=$(u16hex "\\??\\$1")
  local pl=$((${#p} / 2)) sl=$((${#s} / 2))
  local body; body=$(le16 $pl)$(le16 $sl)$(le16 0)$(le16 $pl)$(le32 0)$p$s
  echo "$(le32 0xA000000C)$(le16 $((${#body} / 2)))$(le16 0)$body"
}
# Cygwin's sys file: "!<symlink>", BOM, UTF-16LE target, NUL.
cygwin_hex() { echo "$(printf '!<symlink>' | hex)fffe$(u16hex "$1")0000"; }

xattr_hex() { getfattr -h -e hex -n "$2" "$1" 2>/dev/null | sed -n "s/^$2=0x//p"; }

setup_file() {
  export IMG="$BATS_FILE_TMPDIR/ntfs.img" MNT="$BATS_FILE_TMPDIR/mnt"
  mkdir -p "$MNT"
  truncate -s 64M "$IMG"
  mkntfs -F -f -q "$IMG" >/dev/null 2>&1
  have_ntfs=0
  if [ "$(id -u)" -eq 0 ] && [ -c /dev/fuse ] && [ -n "$(command -v lowntfs-3g)" ]; then
    lowntfs-3g "$IMG" "$MNT" 2>/dev/null && have_ntfs=1
  fi
  if [ "$have_ntfs" -eq 0 ]; then
    export NTFS_SKIP=1
    return 0
  fi
  export NTFS_SKIP=0
  mkdir -p "$MNT/orig"
  echo hello > "$MNT/orig/file.txt"
}

teardown_file() {
  cd /
  if mountpoint -q "$MNT"; then umount "$MNT"; fi
}

setup() {
  if [ "$(id -u)" -ne 0 ]; then skip "needs root to mount an NTFS image with FUSE"; fi
  if [ ! -c /dev/fuse ]; then skip "no /dev/fuse: FUSE cannot be used here"; fi
  if ! command -v getfattr >/dev/null; then skip "attr (getfattr) is not installed"; fi
  if [ "$NTFS_SKIP" = 1 ]; then skip "lowntfs-3g could not mount the image"; fi
  cd "$MNT" 2>/dev/null || cd /
}

@test "ntfs convert: an Interix file (ln -s on ntfs-3g) is recognised" {
  ln -s orig/file.txt ix
  [ -z "$(xattr_hex ix $XA)" ]            # no reparse point: a file
  run "$SLINK" show ix
  [ "$status" -eq 0 ]
  [[ "$output" == *"kind:      cygwin-symlink"* ]] || false
  [[ "$output" == *"faked"* ]] || false
}

@test "ntfs convert: Interix to a Windows symbolic link, as Windows writes it" {
  run "$SLINK" convert ix
  [ "$status" -eq 0 ]
  [ "$output" = "converted ix: interix to symlink -> orig/file.txt" ]
  [ "$(xattr_hex ix $XA)" = "$(rel_symlink_hex 'orig\file.txt')" ]
  [ "$(cat ix)" = hello ]
}

@test "ntfs convert: to a Cygwin sys file, marked SYSTEM, and back" {
  run "$SLINK" convert --to cygwin ix
  [ "$status" -eq 0 ]
  [ "$(hex < ix)" = "$(cygwin_hex orig/file.txt)" ]
  attr=$(xattr_hex ix $AT)
  # exactly FILE_ATTRIBUTE_SYSTEM, as path.cc's NtSetAttributesFile leaves it
  [ "$attr" = 04000000 ]
  cp ix cyg-keep
  run "$SLINK" convert ix
  [ "$status" -eq 0 ]
  [ "$output" = "converted ix: cygwin-sys to symlink -> orig/file.txt" ]
  [ "$(xattr_hex ix $XA)" = "$(rel_symlink_hex 'orig\file.txt')" ]
  "$SLINK" convert --to cygwin ix
}

@test "ntfs convert: the same bytes without the SYSTEM attribute are no link" {
  cp "$SLINK_SRC/tests/fixtures/cygwin/sys-relative" plain-copy
  setfattr -h -n $AT -v 0x20000000 plain-copy
  run "$SLINK" convert plain-copy
  [ "$status" -eq 1 ]
  [[ "$output" == *"is not a link from another system"* ]] || false
  cp "$SLINK_SRC/tests/fixtures/cygwin/sys-relative" sys-copy
  setfattr -h -n $AT -v 0x04000000 sys-copy
  run "$SLINK" convert sys-copy
  [ "$status" -eq 0 ]
  [ "$(xattr_hex sys-copy $XA)" = "$(rel_symlink_hex '..\lib\libfoo.so.1')" ]
}

@test "ntfs convert: WSL symlinks to Windows' and back, byte for byte" {
  ln -s orig/file.txt w
  run "$SLINK" convert --to wsl w
  [ "$status" -eq 0 ]
  [ "$(xattr_hex w $XA)" = "$(wsl_hex orig/file.txt)" ]
  run "$SLINK" show w
  [[ "$output" == *"kind:      wsl-symlink"* ]] || false
  run "$SLINK" convert --to native w
  [ "$status" -eq 0 ]
  [ "$output" = "converted w: wsl-symlink to symlink -> orig/file.txt" ]
  [ "$(xattr_hex w $XA)" = "$(rel_symlink_hex 'orig\file.txt')" ]
  "$SLINK" convert --to wsl w
  [ "$(xattr_hex w $XA)" = "$(wsl_hex orig/file.txt)" ]
  run find . -name '.slink-*'
  [ -z "$output" ]
}

@test "ntfs convert: a link to a directory becomes a directory symbolic link" {
  ln -s orig dirix
  run "$SLINK" convert dirix
  [ "$status" -eq 0 ]
  [ "$output" = "converted dirix: interix to dir-symlink -> orig" ]
  [ "$(xattr_hex dirix $XA)" = "$(rel_symlink_hex orig)" ]
  attr=$(xattr_hex dirix $AT)
  [ $((0x${attr:0:2} & 0x10)) -eq 16 ]     # FILE_ATTRIBUTE_DIRECTORY
  [ "$(cat dirix/file.txt)" = hello ]
}

@test "ntfs convert: a Windows shortcut to C:\\ becomes the symbolic link Windows follows" {
  fix="$SLINK_SRC/tests/fixtures/lnk"
  mkdir -p data "data/r"$'\303\251'"sum"$'\303\251'
  echo target > data/target.txt
  cp "$fix/win-local.lnk" "$fix/win-dir.lnk" "$fix/win-relative.lnk" .
  # no drive letter mapped yet: refused, nothing touched
  run "$SLINK" convert win-local.lnk
  [ "$status" -eq 1 ]
  [[ "$output" == *"is a Windows shortcut to a drive that maps to no directory here"* ]] || false
  cmp win-local.lnk "$fix/win-local.lnk"
  # ntfs-3g's own map: .NTFS-3G/C: at the volume root leads to it
  mkdir -p .NTFS-3G
  [ -e .NTFS-3G/C: ] || ln -s "$MNT" .NTFS-3G/C:
  run "$SLINK" convert win-local.lnk win-dir.lnk win-relative.lnk
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "converted win-local.lnk: lnk-windows to symlink -> $MNT/data/target.txt" ]
  [ "${lines[1]}" = "converted win-dir.lnk: lnk-windows to dir-symlink -> $MNT/data/r$(printf '\303\251')sum$(printf '\303\251')" ]
  [ "${lines[2]}" = "converted win-relative.lnk: lnk-windows to symlink -> ../docs/readme.txt" ]
  [ "$(xattr_hex win-local.lnk $XA)" = "$(abs_symlink_hex 'C:\data\target.txt')" ]
  [ "$(xattr_hex win-dir.lnk $XA)" = "$(abs_symlink_hex "C:\\data\\r$(printf '\303\251')sum$(printf '\303\251')")" ]
  [ "$(xattr_hex win-relative.lnk $XA)" = "$(rel_symlink_hex '..\docs\readme.txt')" ]
  [ "$(cat win-local.lnk)" = target ]
  run find . -name '.slink-*'
  [ -z "$output" ]
}

@test "ntfs convert: a Git placeholder to a Windows symbolic link and back, git status clean" {
  command -v git >/dev/null || skip "git is not installed"
  git init -q gsrc
  echo x > gsrc/f
  ln -s f gsrc/l
  git -C gsrc add -A
  git -C gsrc -c user.name=t -c user.email=t@example.org commit -qm i
  git clone -q -c core.symlinks=false gsrc gco
  [ ! -L gco/l ]
  run "$SLINK" convert gco/l
  [ "$status" -eq 0 ]
  [ "$output" = "converted gco/l: git-placeholder to symlink -> f" ]
  [ "$(xattr_hex gco/l $XA)" = "$(rel_symlink_hex f)" ]
  # a file form without an attribute of its own is verified where
  # attributes are shown
  run "$SLINK" convert --to placeholder gco/l
  [ "$status" -eq 0 ]
  [ "$(cat gco/l)" = f ]
  [ -z "$(git -C gco status --porcelain)" ]
  rm -rf gsrc gco
}

# Cygwin's winsymlinks:lnk shortcut for TARGET recording WINPATH, from the
# fixtures' own writer (tests/fixtures/cygwin/make.py), not from slink.
cyg_lnk() {
  python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import make
sys.stdout.buffer.write(make.shortcut(sys.argv[2], sys.argv[3]))' \
    "$SLINK_SRC/tests/fixtures/cygwin" "$1" "$2"
}

@test "ntfs convert: --to shortcut writes Cygwin's shortcut marked READONLY alone, and back" {
  # drive C: is this volume (.NTFS-3G/C:, the test above): the shortcut
  # records the absolute Windows path, as Cygwin on Windows does
  [ -e .NTFS-3G/C: ]
  ln -s orig/file.txt sc.lnk
  run "$SLINK" convert --to shortcut sc.lnk
  [ "$status" -eq 0 ]
  [ "$output" = "converted sc.lnk: interix to lnk-cygwin -> orig/file.txt" ]
  cyg_lnk orig/file.txt 'C:\orig\file.txt' | cmp - sc.lnk
  # exactly FILE_ATTRIBUTE_READONLY, as path.cc's NtSetAttributesFile leaves it
  [ "$(xattr_hex sc.lnk $AT)" = 01000000 ]
  run "$SLINK" show sc.lnk
  [[ "$output" == *"kind:      shortcut"* ]] || false
  # the read-only file is replaced, then made again byte for byte
  run "$SLINK" convert sc.lnk
  [ "$status" -eq 0 ]
  [ "$output" = "converted sc.lnk: lnk-cygwin to symlink -> orig/file.txt" ]
  [ "$(xattr_hex sc.lnk $XA)" = "$(rel_symlink_hex 'orig\file.txt')" ]
  "$SLINK" convert --to shortcut sc.lnk
  cyg_lnk orig/file.txt 'C:\orig\file.txt' | cmp - sc.lnk
  [ "$(xattr_hex sc.lnk $AT)" = 01000000 ]
  # without READONLY Cygwin reads no shortcut, nor does slink
  cp sc.lnk plain.lnk
  setfattr -h -n $AT -v 0x20000000 plain.lnk
  run "$SLINK" convert plain.lnk
  [ "$status" -eq 1 ]
  [[ "$output" == *"is not a link from another system"* ]] || false
  rm -f plain.lnk
  # one Cygwin wrote on Windows, to a link and back, byte for byte
  mkdir -p cygwin64/usr/bin cygwin64/usr/share/man
  cp "$SLINK_SRC/tests/fixtures/cygwin/cygwin-shortcut-abs.lnk" cygwin64/usr/bin/man.lnk
  setfattr -h -n $AT -v 0x01000000 cygwin64/usr/bin/man.lnk
  run "$SLINK" convert cygwin64/usr/bin/man.lnk
  [ "$status" -eq 0 ]
  [ "$output" = "converted cygwin64/usr/bin/man.lnk: lnk-cygwin to dir-symlink -> ../share/man" ]
  run "$SLINK" convert --to shortcut cygwin64/usr/bin/man.lnk
  [ "$status" -eq 0 ]
  cmp cygwin64/usr/bin/man.lnk "$SLINK_SRC/tests/fixtures/cygwin/cygwin-shortcut-abs.lnk"
}

@test "ntfs convert: --to interix makes what ntfs-3g's ln -s makes" {
  ln -s orig/file.txt ix-ref
  ln -s orig/file.txt ix2
  "$SLINK" convert ix2
  [ "$(xattr_hex ix2 $XA)" = "$(rel_symlink_hex 'orig\file.txt')" ]
  run "$SLINK" convert --to interix ix2
  [ "$status" -eq 0 ]
  [ "$output" = "converted ix2: symlink to interix -> orig/file.txt" ]
  [ -z "$(xattr_hex ix2 $XA)" ]
  [ "$(readlink ix2)" = orig/file.txt ]
  [ "$(xattr_hex ix2 $AT)" = "$(xattr_hex ix-ref $AT)" ]
  run "$SLINK" show ix2
  [[ "$output" == *"kind:      cygwin-symlink"* ]] || false
  run find . -name '.slink-*'
  [ -z "$output" ]
}

@test "ntfs convert: unmounted, 7-Zip and The Sleuth Kit read what was made" {
  cd /
  umount "$MNT"
  command -v 7zz >/dev/null || skip "7zip (7zz) is not installed"
  command -v icat >/dev/null || skip "sleuthkit (icat, fls, istat) is not installed"
  run 7zz l -slt "$IMG"
  [ "$status" -eq 0 ]
  links=$(echo "$output" | awk '/^Path = /{p=substr($0, 8)} /^Link = ./{print p " " substr($0, 8)}')
  echo "$links"
  grep -Fqx 'sys-copy ..\lib\libfoo.so.1' <<<"$links"
  grep -Fqx 'w WSL: orig/file.txt' <<<"$links"
  grep -Fqx 'dirix orig' <<<"$links"
  grep -Fqx 'win-local.lnk \\?\C:\data\target.txt : C:\data\target.txt' <<<"$links"
  grep -Fqx 'win-relative.lnk ..\docs\readme.txt' <<<"$links"
  # the Cygwin file: a plain file with the System attribute, exact bytes
  attrs=$(echo "$output" | awk '/^Path = /{p=substr($0, 8)} /^Attributes = /{if (p == "ix") print substr($0, 14)}')
  [[ "$attrs" == *S* ]] || false
  inode() { fls -r -p "$IMG" | awk -v n="$1" -F'\t' '$2 == n {split($1, a, " "); sub(/-.*/, "", a[2]); print a[2]}'; }
  i=$(inode ix) s=$(inode sys-copy)
  [ -n "$i" ]
  [ -n "$s" ]
  [ "$(icat "$IMG" "$i-128" | hex)" = "$(cygwin_hex orig/file.txt)" ]
  istat "$IMG" "$i" | grep -q 'Flags: .*System'
  [ "$(icat "$IMG" "$s-192" | hex)" = "$(rel_symlink_hex '..\lib\libfoo.so.1')" ]
  # Cygwin's shortcut: read-only, its exact bytes; the Interix file slink
  # made holds what ntfs-3g's ln -s wrote
  attrs=$(echo "$output" | awk '/^Path = /{p=substr($0, 8)} /^Attributes = /{if (p == "sc.lnk") print substr($0, 14)}')
  [ "$attrs" = R ]
  [ "$(icat "$IMG" "$(inode sc.lnk)" | hex)" = "$(cyg_lnk orig/file.txt 'C:\orig\file.txt' | hex)" ]
  [ -n "$(inode ix2)" ]
  [ "$(icat "$IMG" "$(inode ix2)" | hex)" = "$(icat "$IMG" "$(inode ix-ref)" | hex)" ]
  istat "$IMG" "$(inode ix2)" | grep -q 'Flags: .*System'
}
