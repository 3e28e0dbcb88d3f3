#!/usr/bin/env bats
# The personalities on an NTFS volume (mkntfs image, mounted with
# lowntfs-3g): there mklink /J, linkd and junction make real junctions,
# and show them as Windows tools do.
bats_require_minimum_version 1.5.0

setup_file() {
  export IMG="$BATS_FILE_TMPDIR/ntfs.img" MNT="$BATS_FILE_TMPDIR/mnt"
  mkdir -p "$MNT"
  export NTFS_SKIP=1
  if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/fuse ] || ! command -v mkntfs >/dev/null ||
     [ -z "$(command -v lowntfs-3g)" ]; then
    return 0
  fi
  truncate -s 32M "$IMG"
  mkntfs -F -f -q "$IMG" >/dev/null 2>&1 || return 0
  lowntfs-3g "$IMG" "$MNT" 2>/dev/null || return 0
  export NTFS_SKIP=0
  # Absolute targets are written with drive C: (see slink make --drive).
  mkdir -p "$MNT/.NTFS-3G"
  ln -s "$MNT" "$MNT/.NTFS-3G/C:"
}

teardown_file() {
  cd /
  if mountpoint -q "$MNT"; then umount "$MNT"; fi
}

setup() {
  [ "$NTFS_SKIP" = 0 ] ||
    skip "needs root, /dev/fuse, mkntfs and lowntfs-3g to mount an NTFS image"
  P="$BATS_TEST_TMPDIR/bin"
  mkdir -p "$P"
  for n in mklink linkd junction; do ln -sf "$SLINK" "$P/$n"; done
  W="$MNT/t$BATS_TEST_NUMBER"
  mkdir "$W"
  cd "$W"
  mkdir original
  echo hello > original/text.txt
}

teardown() { cd /; }

@test "ntfs personas: mklink /J makes a real junction; junction shows it" {
  run --separate-stderr "$P/mklink" /J symlinked original
  [ "$status" -eq 0 ]
  [ "$output" = "Junction created for symlinked <<===>> original" ]
  run "$SLINK" show --json symlinked
  [[ $output == *'"kind":"junction"'* ]]
  [ "$(cat symlinked/text.txt)" = hello ]
  run --separate-stderr "$P/junction" -nobanner symlinked
  [ "$output" = "$W/symlinked: JUNCTION
   Print Name     : C:\\t$BATS_TEST_NUMBER\\original
   Substitute Name: C:\\t$BATS_TEST_NUMBER\\original" ]
  run "$SLINK" rm symlinked
  [ "$status" -eq 0 ]
  [ ! -e symlinked ]
  [ "$(cat original/text.txt)" = hello ]
}

@test "ntfs personas: linkd makes, shows and deletes a junction" {
  run --separate-stderr "$P/linkd" symlinked original
  [ "$status" -eq 0 ]
  [ "$output" = "Link created at: symlinked" ]
  run --separate-stderr "$P/linkd" symlinked
  [ "$output" = "Source  symlinked is linked to
C:\\t$BATS_TEST_NUMBER\\original" ]
  run "$SLINK" ls
  echo "$output" | grep -E '<JUNCTION> +symlinked '
  [ "$(cat symlinked/text.txt)" = hello ]
  run --separate-stderr "$P/linkd" symlinked /D
  [ "$output" = "The delete operation succeeded." ]
  [ ! -e symlinked ]
  [ "$(cat original/text.txt)" = hello ]
}

@test "ntfs personas: junction makes one, -s lists junctions and Windows symbolic links, -d deletes" {
  run --separate-stderr "$P/junction" -nobanner symlinked original
  [ "$status" -eq 0 ]
  [ "$output" = "Created: $W/symlinked
Targetted at: $W/original" ]
  "$P/mklink" fsl original/text.txt >/dev/null
  run --separate-stderr "$P/junction" -nobanner -s .
  [ "$output" = "$W/fsl: SYMBOLIC LINK
   Print Name     : original\\text.txt
   Substitute Name: original\\text.txt

$W/symlinked: JUNCTION
   Print Name     : C:\\t$BATS_TEST_NUMBER\\original
   Substitute Name: C:\\t$BATS_TEST_NUMBER\\original" ]
  run --separate-stderr "$P/junction" -nobanner -d symlinked
  [ "$output" = "Deleted symlinked." ]
  [ ! -e symlinked ]
  [ "$(cat original/text.txt)" = hello ]
}

@test "ntfs personas: junction names a third-party reparse point by its tag" {
  command -v setfattr >/dev/null || skip "setfattr is not installed"
  mkdir odd
  # tag 0x8000ABCD, 4 bytes of data
  setfattr -h -n system.ntfs_reparse_data -v 0xCDAB00800400000001020304 odd
  run --separate-stderr "$P/junction" -nobanner odd
  [ "$status" -eq 0 ]
  [ "$output" = "$W/odd: THIRD-PARTY REPARSE POINT
   Tag         : 0x8000ABCD" ]
  run --separate-stderr "$P/junction" -nobanner -s .
  [ "${lines[0]}" = "$W/odd: THIRD-PARTY REPARSE POINT" ]
}

@test "ntfs personas: a junction to a volume is a MOUNT POINT, an empty print name left out" {
  command -v setfattr >/dev/null || skip "setfattr is not installed"
  mkdir mp
  # a mount point as Windows writes one: \??\Volume{...}\, no print name
  setfattr -h -n system.ntfs_reparse_data -v 0x030000a06e00000000006200640000005c003f003f005c0056006f006c0075006d0065007b00300031003200330034003500360037002d0038003900610062002d0063006400650066002d0030003100320033002d003400350036003700380039006100620063006400650066007d005c0000000000 mp
  run --separate-stderr "$P/junction" -nobanner mp
  [ "$status" -eq 0 ]
  [ "$output" = "$W/mp: MOUNT POINT
   Substitute Name: Volume{01234567-89ab-cdef-0123-456789abcdef}\\" ]
}

# Every failure compat.md documents for mklink, linkd and junction, with
# its exit status, on the NTFS volume.
@test "ntfs personas: the documented failures, their messages and exit codes" {
  m() { run --separate-stderr "$P/mklink" "$@"; }
  m only
  [ "$status" -eq 1 ]
  [ "$stderr" = "The syntax of the command is incorrect." ]
  m /X l original
  [ "$status" -eq 1 ]
  [ "$stderr" = 'Invalid switch - "X".' ]
  m original original/text.txt
  [ "$status" -eq 1 ]
  [ "$stderr" = "Cannot create a file when that file already exists." ]
  m /J j nothing
  [ "$status" -eq 1 ]
  [ "$stderr" = "The system cannot find the file specified." ]
  m /H h nothing
  [ "$status" -eq 1 ]
  [ "$stderr" = "The system cannot find the file specified." ]
  m nodir/l original
  [ "$status" -eq 1 ]
  [ "$stderr" = "The system cannot find the path specified." ]
  m /H h original
  [ "$status" -eq 1 ]
  [ "$stderr" = "Access is denied." ]
  m "$(printf 'x%.0s' $(seq 300))" original
  [ "$status" -eq 1 ]
  [ "$stderr" = "The filename or extension is too long." ]
  [ "$(ls)" = original ]

  run "$P/linkd" nothing
  [ "$status" -eq 1 ]
  [ "$output" = "The system cannot find the file specified." ]
  run "$P/linkd" original
  [ "$status" -eq 0 ]
  [ "$output" = "original  is not linked to another directory." ]
  run "$P/linkd" original /D
  [ "$status" -eq 1 ]
  [ "$output" = "The delete operation failed." ]
  run "$P/linkd" original original/text.txt
  [ "$status" -eq 1 ]
  [ "$output" = "Cannot create a file when that file already exists." ]

  j() { run --separate-stderr "$P/junction" -nobanner "$@"; }
  j jn nothing
  [ "$status" -eq 255 ]
  [ "$stderr" = "Error creating jn: The system cannot find the file specified." ]
  j -d original
  [ "$status" -eq 255 ]
  [ "$stderr" = "original is not a reparse point." ]
  j -d nothing
  [ "$status" -eq 255 ]
  [ "$stderr" = "Error deleting nothing: The system cannot find the file specified." ]
  j nothing
  [ "$output" = "No matching files were found." ]
  j original
  [ "$output" = "No reparse points found." ]
  [ "$(ls)" = original ]
  [ "$(cat original/text.txt)" = hello ]
}
