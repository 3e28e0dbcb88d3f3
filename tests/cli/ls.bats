#!/usr/bin/env bats
# slink ls: a dir-like listing where links are never plain folders.
load helpers

setup() { setup_dir; make_original; }
teardown() { teardown_dir; }

row() { # the line of ls output for NAME
  echo "$output" | grep -E "^[0-9]{4}-[0-9]{2}-[0-9]{2}  [0-9]{2}:[0-9]{2}    .* $1( |\$)"
}

@test "ls: every kind has its tag" {
  ln -s original dl
  ln -s original/text.txt fl
  ln -s nowhere dangling
  ln original/text.txt hard
  mkfifo pipe
  run "$SLINK" ls
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = " Directory of ." ]
  row dl | grep -E '<SYMLINKD> +dl \[original\]$'
  row fl | grep -E '<SYMLINK> +fl \[original/text.txt\]$'
  row dangling | grep -E '<SYMLINK> +dangling \[nowhere\]$'
  row original | grep -E '<DIR> +original$'
  row hard | grep -E ' +6 hard \(2 links\)$'
  row pipe | grep -E '<FIFO> +pipe$'
  echo "$output" | grep -E '^ +2 File\(s\) +6 bytes$'
  echo "$output" | grep -E '^ +1 Dir\(s\)$'
  echo "$output" | grep -E '^ +3 Link\(s\)$'
}

@test "ls: sizes are grouped by thousands" {
  head -c 1234567 /dev/zero > big
  run "$SLINK" ls
  row big | grep -E ' 1,234,567 big$'
}

@test "ls: hidden names only with -a" {
  touch .hidden
  run "$SLINK" ls
  [[ "$output" != *hidden* ]] || false
  run "$SLINK" ls -a
  echo "$output" | grep -q '\.hidden'
}

@test "ls: -R lists subdirectories but never enters links" {
  mkdir -p sub/deeper
  ln -s "$T/original" sub/l
  run "$SLINK" ls -R
  [ "$status" -eq 0 ]
  echo "$output" | grep -qx " Directory of sub"
  echo "$output" | grep -qx " Directory of sub/deeper"
  echo "$output" | grep -qx " Directory of original"
  [[ "$output" != *"Directory of sub/l"* ]] || false
  [ "$(echo "$output" | grep -c text.txt)" -eq 1 ]
}

@test "ls: a link to a directory as operand lists the directory" {
  ln -s original l
  run "$SLINK" ls l
  [ "$status" -eq 0 ]
  row text.txt
}

@test "ls: a name with a newline stays on one line, quoted" {
  touch $'new\nline'
  run "$SLINK" ls
  [ "$status" -eq 0 ]
  echo "$output" | grep -F "'new'\$'\\n''line'"
  [ "$(echo "$output" | grep -c '^line')" -eq 0 ]
}

@test "ls: --json is one object per entry with its path" {
  ln -s original l
  run "$SLINK" ls --json
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 2 ]
  echo "$output" | python3 -c '
import json, sys
objs = [json.loads(l) for l in sys.stdin]
assert [o["path"] for o in objs] == ["l", "original"], objs
assert objs[0]["kind"] == "dir-symlink" and objs[0]["target"] == "original"
assert objs[1]["kind"] == "dir"
'
}

@test "ls: a missing directory is an error, exit 1" {
  run "$SLINK" ls missing
  [ "$status" -eq 1 ]
  [ "$output" = "slink: ls: missing: no such file or directory" ]
}

@test "ls: -R groups each directory once, in order, empty ones too" {
  mkdir -p r/a/b r/a/c/e r/d r/.h/x
  touch r/a/c/f
  run "$SLINK" ls -R r
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | grep '^ Directory of')" = " Directory of r
 Directory of r/a
 Directory of r/a/b
 Directory of r/a/c
 Directory of r/a/c/e
 Directory of r/d" ]
  run "$SLINK" ls -R -a r
  [[ "$output" == *" Directory of r/.h/x"* ]] || false
}
