#!/usr/bin/env bats
# slink scan: every link in a tree with its states, and the exit status.
load helpers

setup() {
  # World-readable, so that the tests run as an unprivileged user can see
  # it too.
  T=$(mktemp -d /tmp/slink-scan.XXXXXX)
  export T
  chmod 755 "$T"
  cd "$T"
  mkdir -p tree/sub tree/real outside
  touch tree/file tree/real/inner outside/far
}

teardown() {
  cd /
  if mountpoint -q "$T/tree/mnt" 2>/dev/null; then umount "$T/tree/mnt"; fi
  chmod -R u+rwx "$T" 2>/dev/null || true
  rm -rf "$T"
}

# The states column of PATH's line in text output.
states_of() {
  printf '%s\n' "$output" | awk -v p="$1" '$1 == p { print $NF }'
}

@test "every state on a crafted tree" {
  make_state_tree
  run "$SLINK" scan tree
  [ "$status" -eq 1 ]
  [ "$(states_of tree/ok)" = "ok,relative" ]
  [ "$(states_of tree/dangling)" = "dangling,relative" ]
  [ "$(states_of tree/self)" = "loop,relative" ]
  [ "$(states_of tree/two-a)" = "loop,relative" ]
  [ "$(states_of tree/two-b)" = "loop,relative" ]
  [ "$(states_of tree/absolute)" = "ok,absolute" ]
  [ "$(states_of tree/messy)" = "ok,relative,messy" ]
  [ "$(states_of tree/lengthy)" = "ok,relative,lengthy" ]
  [ "$(states_of tree/escapes)" = "ok,relative,escapes" ]
  [ "$(states_of tree/above-root)" = "ok,relative,lengthy,escapes" ]
  [ "$(states_of tree/dirlink)" = "ok,relative" ]
  [ "$(states_of tree/through-dirlink)" = "ok,relative" ]
  [ "$(states_of tree/sub/up-through)" = "ok,relative" ]
  # Thirteen links, one line each, nothing else on standard output.
  [ "${#lines[@]}" -eq 13 ]
}

@test "text lines: path, stored target, kind and states, sorted" {
  ln -s file tree/b-link
  ln -s real tree/a-dir
  ln -s nowhere tree/sub/c
  run "$SLINK" scan tree
  [ "$status" -eq 1 ]
  [ "${lines[0]}" = "tree/a-dir -> real  [dir-symlink] ok,relative" ]
  [ "${lines[1]}" = "tree/b-link -> file  [symlink] ok,relative" ]
  [ "${lines[2]}" = "tree/sub/c -> nowhere  [symlink] dangling,relative" ]
  [ "${#lines[@]}" -eq 3 ]
}

@test "exit 0 when no problem is found" {
  ln -s file tree/ok
  ln -s "$T/tree/file" tree/abs
  run "$SLINK" scan tree
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 2 ]
}

@test "exit 0 on a tree without links, and nothing printed" {
  run "$SLINK" scan tree
  [ "$status" -eq 0 ]
  [ -z "$output" ]
}

@test "--state filters, and any listed link is a finding" {
  ln -s file tree/ok
  ln -s missing tree/gone
  ln -s ../outside tree/out
  run "$SLINK" scan --state dangling,escapes tree
  [ "$status" -eq 1 ]
  [ "${lines[0]}" = "tree/gone -> missing  [symlink] dangling,relative" ]
  [ "${lines[1]}" = "tree/out -> ../outside  [dir-symlink] ok,relative,escapes" ]
  [ "${#lines[@]}" -eq 2 ]
  rm tree/gone tree/out
  run "$SLINK" scan --state dangling,escapes tree
  [ "$status" -eq 0 ]
  [ -z "$output" ]
}

@test "--kind filters" {
  ln -s file tree/f
  ln -s real tree/d
  run "$SLINK" scan --kind dir-symlink tree
  [ "$status" -eq 0 ]
  [ "$output" = "tree/d -> real  [dir-symlink] ok,relative" ]
}

@test "an unknown state or kind is a usage error" {
  run "$SLINK" scan --state fine tree
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: scan: unknown state fine" ]
  run "$SLINK" scan --kind shortcuts tree
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: scan: unknown kind shortcuts" ]
  run "$SLINK" scan --kind file tree
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: scan: unknown kind file" ]
  run "$SLINK" scan
  [ "$status" -eq 2 ]
}

@test "--json: one object per link with every field" {
  ln -s ../file tree/sub/up
  run "$SLINK" scan --json tree
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 1 ]
  printf '%s\n' "$output" | python3 -c '
import json, os, sys
o = json.loads(sys.stdin.readline())
t = os.environ["T"]
assert o["path"] == "tree/sub/up", o
assert o["kind"] == "symlink", o
assert o["target"] == "../file", o
assert o["resolved"] == t + "/tree/file", o
assert o["target_kind"] == "file", o
assert o["states"] == ["ok", "relative"], o
st = os.lstat("tree/sub/up")
assert (o["dev"], o["ino"], o["nlink"]) == (st.st_dev, st.st_ino, 1), o
assert o["size"] == 7 and o["mtime"] == int(st.st_mtime), o
'
}

@test "a self loop and a two-link loop end, as loop, in JSON" {
  ln -s self tree/self
  ln -s b tree/a
  ln -s a tree/b
  run timeout 10 "$SLINK" scan --json --state loop tree
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 3 ]
  printf '%s\n' "$output" | python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    assert o["states"] == ["loop", "relative"] and o["resolved"] is None, o
'
}

@test "a loop of directory links is never entered" {
  ln -s .. tree/sub/parent
  ln -s ../sub tree/sub/again
  run timeout 10 "$SLINK" scan tree
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "tree/sub/again -> ../sub  [dir-symlink] ok,relative,lengthy" ]
  [ "${lines[1]}" = "tree/sub/parent -> ..  [dir-symlink] ok,relative" ]
  [ "${#lines[@]}" -eq 2 ]
}

@test "names with a newline and invalid UTF-8: quoted text, exact JSON" {
  ln -s $'tar\nget' tree/$'new\nline'
  ln -s file tree/$'bad\xffname'
  run "$SLINK" scan tree
  [ "$status" -eq 1 ]
  [ "${lines[0]}" = "'tree/bad'\$'\\377''name' -> file  [symlink] ok,relative" ]
  [ "${lines[1]}" = "'tree/new'\$'\\n''line' -> 'tar'\$'\\n''get'  [symlink] dangling,relative" ]
  [ "${#lines[@]}" -eq 2 ]
  run "$SLINK" scan --json tree
  [ "${lines[0]:0:30}" = '{"path":"tree/bad\udcffname","' ]
  [ "${lines[1]:0:50}" = '{"path":"tree/new\nline","kind":"symlink","target"' ]
  printf '%s\n' "$output" | python3 -c '
import json, sys
paths = [json.loads(l)["path"].encode("utf-8", "surrogateescape") for l in sys.stdin]
assert paths == [b"tree/bad\xffname", b"tree/new\nline"], paths
'
}

@test "a directory without read permission is reported; the walk goes on" {
  command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
  mkdir tree/locked tree/zzz
  ln -s ../file tree/locked/hidden
  ln -s missing tree/zzz/after
  chmod 000 tree/locked
  chmod -R a+rX tree/zzz
  run setpriv --reuid=65534 --regid=65534 --clear-groups "$SLINK" scan tree
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: scan: tree/locked: permission denied" ]
  [ "${lines[1]}" = "tree/zzz/after -> missing  [symlink] dangling,relative" ]
  [ "${#lines[@]}" -eq 2 ]
}

@test "a link whose target cannot be searched is denied" {
  command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
  mkdir closed
  touch closed/x
  ln -s ../closed/x tree/try
  chmod 600 closed
  run setpriv --reuid=65534 --regid=65534 --clear-groups "$SLINK" scan tree
  [ "$status" -eq 1 ]
  [ "$output" = "tree/try -> ../closed/x  [symlink] denied,relative,escapes" ]
}

@test "a link across a mount is cross-device" {
  [ "$(id -u)" -eq 0 ] || skip "mounting a tmpfs needs root"
  mkdir tree/mnt
  mount -t tmpfs -o size=1m slink-scan-test tree/mnt ||
    skip "cannot mount a tmpfs here (no privilege in this container)"
  touch tree/mnt/there
  ln -s mnt/there tree/across
  ln -s ../file tree/mnt/back
  run "$SLINK" scan tree
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "tree/across -> mnt/there  [symlink] ok,relative,cross-device" ]
  [ "${lines[1]}" = "tree/mnt/back -> ../file  [symlink] ok,relative,cross-device" ]
  run "$SLINK" scan -x tree
  [ "$output" = "tree/across -> mnt/there  [symlink] ok,relative,cross-device" ]
}

@test "threads, one thread and unordered find the same links" {
  for i in $(seq 1 40); do
    mkdir -p tree/d$i/e
    ln -s ../file tree/d$i/l
    ln -s nowhere tree/d$i/e/m
  done
  run "$SLINK" scan tree
  many="$output"
  [ "${#lines[@]}" -eq 80 ]
  run "$SLINK" scan --one-thread tree
  [ "$output" = "$many" ]
  run "$SLINK" scan --unordered tree
  [ "$(printf '%s\n' "$output" | sort)" = "$(printf '%s\n' "$many" | sort)" ]
}

@test "a link given as DIR is reported itself, not entered" {
  ln -s real tree/dirlink
  run "$SLINK" scan tree/dirlink
  [ "$status" -eq 0 ]
  [ "$output" = "tree/dirlink -> real  [dir-symlink] ok,relative" ]
}

@test "a missing DIR is an error, other operands still scanned" {
  ln -s missing tree/gone
  run "$SLINK" scan nothere tree
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: scan: nothere: no such file or directory" ]
  [ "${lines[1]}" = "tree/gone -> missing  [symlink] dangling,relative" ]
}

@test "scan of . shows names without ./" {
  ln -s file tree/l
  cd tree
  run "$SLINK" scan .
  [ "$output" = "l -> file  [symlink] ok,relative" ]
}

@test "--names lists the links only, targets unread" {
  ln -s file tree/b
  ln -s nowhere tree/sub/a
  run "$SLINK" scan --names tree
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "tree/b" ]
  [ "${lines[1]}" = "tree/sub/a" ]
  [ "${#lines[@]}" -eq 2 ]
  run "$SLINK" scan --names --json tree
  [ "$status" -eq 2 ]
}

@test "show gives the states scan gives (but escapes, which needs a root)" {
  ln -s ../tree/./file tree/odd
  run "$SLINK" scan tree
  [ "$output" = "tree/odd -> ../tree/./file  [symlink] ok,relative,messy,lengthy" ]
  run "$SLINK" show tree/odd
  [ "$status" -eq 0 ]
  printf '%s\n' "$output" | grep -qx '  states:    ok, relative, messy, lengthy'
}

@test "-0: each link's path ended by a NUL, exact bytes, no summary" {
  cd tree
  ln -s file ok
  ln -s missing dangling
  ln -s file "$(printf 'new\nline')"
  run "$SLINK" scan -0 .
  [ "$status" -eq 1 ]
  "$SLINK" scan --null . > ../out || true
  [ "$(tr '\0' '|' < ../out)" = "$(printf 'dangling|new\nline|ok|')" ]
  "$SLINK" scan -0 --state dangling . | xargs -0 rm
  [ ! -L dangling ]
  [ -L ok ]
  "$SLINK" scan -0 --names . > ../out
  [ "$(tr '\0' '|' < ../out)" = "$(printf 'new\nline|ok|')" ]
  run "$SLINK" scan --json -0 .
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: scan: --json and --null exclude each other" ]
}

@test "-q and --quiet: nothing printed, the exit status still tells" {
  cd tree
  ln -s missing dangling
  run "$SLINK" scan -q .
  [ "$status" -eq 1 ]
  [ -z "$output" ]
  run "$SLINK" scan --quiet --json .
  [ "$status" -eq 1 ]
  [ -z "$output" ]
  run "$SLINK" scan -q --names .
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  rm dangling
  ln -s file ok
  run "$SLINK" scan -q .
  [ "$status" -eq 0 ]
  [ -z "$output" ]
}

@test "--color=always: the path by kind, each state by how bad it is" {
  cd tree
  ln -s missing dangling
  ln -s file ok
  ESC=$'\033'
  run "$SLINK" scan --color=always .
  [ "$status" -eq 1 ]
  [ "${lines[0]}" = "${ESC}[01;36mdangling${ESC}[0m -> missing  [symlink] ${ESC}[01;31mdangling${ESC}[0m,relative" ]
  [ "${lines[1]}" = "${ESC}[01;36mok${ESC}[0m -> file  [symlink] ${ESC}[32mok${ESC}[0m,relative" ]
  # never in a pipe, never with --json
  run "$SLINK" scan .
  [[ "$output" != *"$ESC"* ]]
  run "$SLINK" scan --json --color=always .
  [[ "$output" != *"$ESC"* ]]
  NO_COLOR=1 run "$SLINK" scan --color=auto .
  [[ "$output" != *"$ESC"* ]]
}

@test "leftover temporary names are reported, links and files alike, on every walk" {
  mkdir -p left/sub
  ln -s x left/.slink-0123456789abcdef.tmp
  touch left/f
  ln left/f left/sub/.slink-00000000000000ff.tmp
  touch left/.slink-notatemp.tmp
  for how in "" --one-thread --unordered; do
    run "$SLINK" scan $how left
    [ "$status" -eq 1 ]
    [[ "$output" == *"slink: scan: left/.slink-0123456789abcdef.tmp: warning: a leftover temporary name"* ]] || false
    [[ "$output" == *"slink: scan: left/sub/.slink-00000000000000ff.tmp: warning: a leftover temporary name"* ]] || false
    [[ "$output" != *notatemp* ]] || false
  done
}

@test "an empty DIR is a clear error" {
  run "$SLINK" scan ''
  [ "$status" -eq 2 ]
  [ "$output" = "slink: scan: '': empty path" ]
}

@test "a tree deeper than PATH_MAX: every link below is listed, as find lists them" {
  python3 - <<'PY'
import os
os.mkdir("deep")
fd = os.open("deep", os.O_RDONLY)
for _ in range(30):
    os.mkdir("d" * 200, dir_fd=fd)
    nfd = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nfd
for i in range(3):
    os.symlink("nowhere", "l%d" % i, dir_fd=fd)
os.close(os.open("file", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd))
os.symlink("file", "ok", dir_fd=fd)
PY
  want=$(find deep -type l | sort)
  [ "$(printf '%s\n' "$want" | wc -l)" -eq 4 ]
  for how in "" --one-thread --unordered; do
    run "$SLINK" scan --names $how deep
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$output" | sort)" = "$want" ]
    run "$SLINK" scan $how deep
    [ "${#lines[@]}" -eq 4 ]
    [[ "$output" == *"/l2 -> nowhere  [symlink] dangling,relative"* ]] || false
    # A working link below PATH_MAX is classified through handles, not by
    # a path the system would refuse.
    [[ "$output" == *"/ok -> file  [symlink] ok,relative"* ]] || false
  done
  "$SLINK" rm -r deep
}

@test "out of descriptors, the threaded scan goes on with fewer directories open" {
  # 40 directories of 4 links each: the output thread and its helper each
  # hold a directory open while they list it.
  for d in $(seq 1 40); do
    mkdir -p "fd/d$d/sub"
    for l in 1 2 3 4; do ln -s "../nowhere$l" "fd/d$d/sub/l$l"; done
  done
  run "$SLINK" scan --one-thread fd
  want=$output
  # Six descriptors: the standard three, the root, and one directory each
  # for two threads; the helper gives its work back when it finds none.
  for i in $(seq 1 20); do
    run bash -c 'for f in /proc/self/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done 2>/dev/null
                 ulimit -n 6; exec "$SLINK" scan fd'
    [ "$status" -eq 1 ]
    [[ "$output" != *"too many open files"* ]] || false
    [ "$output" = "$want" ]
  done
}
