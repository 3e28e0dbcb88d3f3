#!/usr/bin/env bats
# slink run as "mklink": cmd.exe's syntax and messages.
load helpers

setup() {
  setup_dir
  make_original
  P="$BATS_TEST_TMPDIR/bin"
  mkdir -p "$P"
  ln -sf "$SLINK" "$P/mklink"
}
teardown() { teardown_dir; }

@test "mklink: acceptance under mklink /J, removal by slink rm" {
  run --separate-stderr "$P/mklink" /J symlinked original
  [ "$status" -eq 0 ]
  [ "$output" = "Junction created for symlinked <<===>> original" ]
  [ -z "$stderr" ]
  # No junctions on this filesystem: the nearest thing, an absolute link.
  [ "$(readlink symlinked)" = "$T/original" ]
  run "$SLINK" ls
  [ "$status" -eq 0 ]
  echo "$output" | grep -E '<SYMLINKD> +symlinked \['"$T"'/original\]$'
  [ "$(cat symlinked/text.txt)" = "hello" ]
  run "$SLINK" rm symlinked
  [ "$status" -eq 0 ]
  [ ! -e symlinked ]
  [ ! -L symlinked ]
  [ "$(cat original/text.txt)" = "hello" ]
}

@test "mklink: a file symbolic link, the name echoed as typed" {
  run --separate-stderr "$P/mklink" l ./original//text.txt
  [ "$status" -eq 0 ]
  [ "$output" = "symbolic link created for l <<===>> ./original//text.txt" ]
  [ "$(readlink l)" = "./original//text.txt" ]
  [ "$(cat l)" = "hello" ]
}

@test "mklink: /D makes a directory link, with the same lower-case message" {
  run --separate-stderr "$P/mklink" /D dl original
  [ "$status" -eq 0 ]
  [ "$output" = "symbolic link created for dl <<===>> original" ]
  [ "$(readlink dl)" = "original" ]
  # /D to a file is made too, as mklink does
  run --separate-stderr "$P/mklink" /D fl original/text.txt
  [ "$status" -eq 0 ]
  [ "$(readlink fl)" = "original/text.txt" ]
}

@test "mklink: /H makes a hard link" {
  run --separate-stderr "$P/mklink" /H h original/text.txt
  [ "$status" -eq 0 ]
  [ "$output" = "Hardlink created for h <<===>> original/text.txt" ]
  [ "$(stat -c %i h)" = "$(stat -c %i original/text.txt)" ]
}

@test "mklink: switches in any case, before or between the names" {
  run --separate-stderr "$P/mklink" j1 /j original
  [ "$status" -eq 0 ]
  [ "$output" = "Junction created for j1 <<===>> original" ]
  run --separate-stderr "$P/mklink" h1 original/text.txt /h
  [ "$status" -eq 0 ]
  [ "$output" = "Hardlink created for h1 <<===>> original/text.txt" ]
  run --separate-stderr "$P/mklink" /d d1 original
  [ "$output" = "symbolic link created for d1 <<===>> original" ]
}

@test "mklink: /? prints cmd's help layout" {
  run --separate-stderr "$P/mklink" /?
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "Creates a symbolic link." ]
  [ "${lines[1]}" = "MKLINK [[/D] | [/H] | [/J]] Link Target" ]
  echo "$output" | grep -E '^        /D      '
  echo "$output" | grep -E '^        /H      '
  echo "$output" | grep -E '^        /J      '
  echo "$output" | grep -E '^        Link    '
  echo "$output" | grep -E '^        Target  '
}

@test "mklink: a missing or extra name is a syntax error" {
  for args in "" "only" "/J only" "a b c" "/D"; do
    # shellcheck disable=SC2086
    run --separate-stderr "$P/mklink" $args
    [ "$status" -eq 1 ]
    [ -z "$output" ]
    [ "$stderr" = "The syntax of the command is incorrect." ]
  done
  [ ! -e only ]
  [ ! -e a ]
}

@test "mklink: an unknown switch" {
  run --separate-stderr "$P/mklink" /X a original
  [ "$status" -eq 1 ]
  [ "$stderr" = 'Invalid switch - "X".' ]
  [ ! -e a ]
  [ ! -L a ]
}

@test "mklink: an existing link name" {
  echo keep > taken
  for sw in "" /D /H /J; do
    # shellcheck disable=SC2086
    run --separate-stderr "$P/mklink" $sw taken original
    [ "$status" -eq 1 ]
    [ -z "$output" ]
    [ "$stderr" = "Cannot create a file when that file already exists." ]
  done
  [ "$(cat taken)" = keep ]
}

@test "mklink: a missing target of a hard link or junction" {
  run --separate-stderr "$P/mklink" /H h nothing
  [ "$status" -eq 1 ]
  [ "$stderr" = "The system cannot find the file specified." ]
  run --separate-stderr "$P/mklink" /J j nothing
  [ "$status" -eq 1 ]
  [ "$stderr" = "The system cannot find the file specified." ]
  [ ! -e h ]
  [ ! -L j ]
}

@test "mklink: a missing directory for the link" {
  run --separate-stderr "$P/mklink" no/where original
  [ "$status" -eq 1 ]
  [ "$stderr" = "The system cannot find the path specified." ]
}

@test "mklink: a hard link across filesystems" {
  dev_here=$(stat -c %d .)
  other=
  for d in /dev/shm /run /tmp "$HOME"; do
    if [ -d "$d" ] && [ -w "$d" ] && [ "$(stat -c %d "$d")" != "$dev_here" ]; then
      other=$d
      break
    fi
  done
  [ -n "$other" ] || skip "no writable directory on another filesystem"
  f=$(mktemp "$other/slink-mklink.XXXXXX")
  run --separate-stderr "$P/mklink" /H h "$f"
  rm -f "$f"
  [ "$status" -eq 1 ]
  [ "$stderr" = "The new link and the existing file must be on the same NTFS volume." ]
  [ ! -e h ]
}

@test "mklink: a hard link to a directory is refused" {
  run --separate-stderr "$P/mklink" /H h original
  [ "$status" -eq 1 ]
  [ "$stderr" = "Access is denied." ]
  [ ! -e h ]
}

@test "mklink: called MKLINK.EXE it is still mklink" {
  ln -sf "$SLINK" "$P/MKLINK.EXE"
  run --separate-stderr "$P/MKLINK.EXE" /J j original
  [ "$status" -eq 0 ]
  [ "$output" = "Junction created for j <<===>> original" ]
}

@test "mklink: a name too long for the system" {
  long=$(printf 'x%.0s' $(seq 300))
  run --separate-stderr "$P/mklink" "$long" original
  [ "$status" -eq 1 ]
  [ "$stderr" = "The filename or extension is too long." ]
  [ -z "$output" ]
  run --separate-stderr "$P/mklink" /H "$long" original/text.txt
  [ "$status" -eq 1 ]
  [ "$stderr" = "The filename or extension is too long." ]
}
