#!/usr/bin/env bats
# slink move -x: a SRC that holds mounts. On one filesystem each mount
# moves with its directory (Linux keeps a mount on its directory across a
# rename of an ancestor); across filesystems none is copied, DEST gets an
# empty directory in its place, and what remains of the old tree (the
# directories holding the mounts) is left as SRC.slink-mounts, said so.
# Killed at every step, --resume and --rollback still end well, and
# rollback gives SRC back with its mount mounted where it was.
bats_require_minimum_version 1.5.0

load helpers

setup() {
  need_root
  setup_dir
  make_src
}

teardown() { teardown_dir; }

# SRC with a tmpfs mounted at src/a/mnt (mode 751, an old mtime) that
# holds a file.
make_src() {
  mkdir -p src/a/mnt src/b
  printf 'one\n' > src/a/f
  ln -s "$T/src/a/f" src/abs
  for i in 1 2 3 4; do mkdir -p "src/d$i"; echo "$i" > "src/d$i/f$i"; done
  mount -t tmpfs tmpfs src/a/mnt 2>/dev/null || skip "cannot mount tmpfs"
  echo inside > src/a/mnt/x
  chmod 751 src/a/mnt
  touch -d '2001-02-03 04:05:06' src/a/mnt
}

# A second filesystem at $T/m.
other_fs() {
  mkdir -p m
  mountpoint -q m || mount -t tmpfs -o size=16m tmpfs m || skip "cannot mount tmpfs"
}

# Every entry below $1 (path, type, mode, sha256 or target with $2 as
# ROOT), crossing mounts; $3: a prefix whose entries are left out.
manifest() {
  python3 - "$1" "${2:-}" "${3:-}" <<'EOF'
import hashlib, os, sys
root, base, skip = sys.argv[1], sys.argv[2], sys.argv[3]
for d, dirs, files in os.walk(root):
    dirs.sort()
    for n in sorted(dirs + files):
        p = os.path.join(d, n)
        rel = os.path.relpath(p, root)
        if skip and rel.startswith(skip + "/"):
            continue
        st = os.lstat(p)
        if os.path.islink(p):
            t = os.readlink(p)
            if base and (t == base or t.startswith(base + "/")):
                t = "ROOT" + t[len(base):]
            print(repr(rel), "l", t)
        elif os.path.isdir(p):
            print(repr(rel), "d", oct(st.st_mode), int(st.st_mtime) if rel == skip else "")
        else:
            print(repr(rel), "f", oct(st.st_mode), hashlib.sha256(open(p, "rb").read()).hexdigest())
EOF
}

# Unmount everything below $T but m, and remove what held it.
reset() {
  cd "$T"
  while IFS= read -r p; do umount "$p"; done \
    < <(awk -v t="$T/" 'index($2, t) == 1 && $2 != t "m" { print $2 }' /proc/mounts | sort -r)
  rm -rf src src.slink-mounts dst .dst.slink-move
  [ -d m ] && find m -mindepth 1 -delete
  make_src
}

no_leftovers() {
  [ -z "$(find "$T" -xdev -name '.slink-*.tmp' -o -xdev -name '*.slink-move' -o -xdev -name '*.slink-move.tmp' | head -1)" ]
}

@test "-x, one filesystem: the mount moves with its directory, said per mount and in --json" {
  before=$(manifest src "$T/src")
  run --separate-stderr "$SLINK" move -x src dst
  [ "$status" -eq 0 ]
  [ "$stderr" = "slink: move: $T/src/a/mnt: warning: a mount: moved along with its directory: $T/dst/a/mnt" ]
  # Linux kept the mount attached to its directory across the rename.
  mountpoint -q dst/a/mnt
  [ "$(cat dst/a/mnt/x)" = inside ]
  [ "$(readlink src)" = "$T/dst" ]
  [ "$before" = "$(manifest dst "$T/dst")" ]
  no_leftovers
  "$SLINK" rm src
  run "$SLINK" move -x --json dst src
  [ "$status" -eq 0 ]
  [[ $output == *'"mounts":[{"path":"'"$T"'/dst/a/mnt","at":"'"$T"'/src/a/mnt"}],"left":null,'*'"ok":true}' ]] || false
  mountpoint -q src/a/mnt
}

@test "-x: SRC itself a mount point is still refused; without -x a SRC holding one is refused as before" {
  run --separate-stderr "$SLINK" move -x src/a/mnt elsewhere
  [ "$status" -eq 1 ]
  [ "$stderr" = "slink: move: src/a/mnt: is on another filesystem; left in place" ]
  [ ! -e elsewhere ]
  mountpoint -q src/a/mnt
  run --separate-stderr "$SLINK" move src dst
  [ "$status" -eq 1 ]
  [ "$stderr" = "slink: move: src: is on another filesystem; left in place" ]
  [ -d src ]
  [ ! -L src ]
  [ ! -e dst ]
}

@test "-x across filesystems: the mount is not copied, DEST gets an empty directory like it, the rest is left as SRC.slink-mounts" {
  other_fs
  before=$(manifest src "$T/src" a/mnt)
  inside=$(manifest src/a/mnt)
  run --separate-stderr "$SLINK" move -x src m/dst
  [ "$status" -eq 0 ] || { echo "$stderr"; false; }
  [[ $stderr == *"slink: move: $T/src/a/mnt: warning: a mount: not copied (an empty directory in DEST), left mounted here: $T/src.slink-mounts/a/mnt"* ]] || false
  [[ $stderr == *"slink: move: $T/src: warning: the directories of the old tree that hold its mounts are left here: $T/src.slink-mounts"* ]] || false
  [ "$(readlink src)" = "$T/m/dst" ]
  # DEST: everything but the mount's content; its place an empty
  # directory with the mount's mode and times, as cp -x leaves one.
  [ "$before" = "$(manifest m/dst "$T/m/dst" a/mnt)" ]
  [ -z "$(ls -A m/dst/a/mnt)" ]
  [ "$(stat -c '%a %Y' m/dst/a/mnt)" = "$(stat -c '%a %Y' src.slink-mounts/a/mnt)" ]
  # The old tree: only the way to the mount, which is still mounted.
  [ "$(cd src.slink-mounts && find . -xdev | sort | tr '\n' ' ')" = ". ./a ./a/mnt " ]
  mountpoint -q src.slink-mounts/a/mnt
  [ "$inside" = "$(manifest src.slink-mounts/a/mnt)" ]
  no_leftovers
}

@test "-x --json across filesystems: the mounts and the name of what remains" {
  other_fs
  run "$SLINK" move -x --json src m/dst
  [ "$status" -eq 0 ]
  [[ $output == *'"mounts":[{"path":"'"$T"'/src/a/mnt","at":"'"$T"'/src.slink-mounts/a/mnt"}],"left":"'"$T"'/src.slink-mounts",'*'"ok":true}' ]] || false
}

@test "-x -n: the plan says where each mount goes; nothing changes" {
  other_fs
  before=$(manifest src)
  run "$SLINK" move -x -n src m/dst
  [ "$status" -eq 0 ]
  [[ $output == *"another filesystem is mounted here: not copied, an empty directory in its place"* ]] || false
  [[ $output == *"$T/src.slink-mounts"* ]] || false
  run "$SLINK" move -x -n src dst
  [ "$status" -eq 0 ]
  [[ $output == *"$T/src/a/mnt: warning: a mount: would move along with its directory: $T/dst/a/mnt"* ]] || false
  [ "$before" = "$(manifest src)" ]
  [ ! -e m/dst ]
  [ ! -e dst ]
  [ ! -e src.slink-mounts ]
}

@test "-x: a name SRC.slink-mounts already there is refused before anything changes" {
  other_fs
  mkdir src.slink-mounts
  before=$(manifest src)
  run --separate-stderr "$SLINK" move -x src m/dst
  [ "$status" -eq 1 ]
  [[ $stderr == "slink: move: $T/src.slink-mounts: "* ]] || false
  [ "$before" = "$(manifest src)" ]
  [ ! -e m/dst ]
  [ -z "$(ls -A src.slink-mounts)" ]
  no_leftovers
}

# A mount that comes after the check: the removal never enters it. Killed
# once DEST was made (step "aside"), a tmpfs is mounted inside SRC; without
# -x the resume stops before the removal with every byte of it kept.
@test "a mount that appears after the check is never removed into" {
  [ -n "${MOVE_DRIVER:-}" ] || skip "no move-driver (built with the test hooks)"
  other_fs
  umount src/a/mnt
  SLINK_KILL_AT=aside run "$MOVE_DRIVER" move src m/dst
  mkdir src/late
  mount -t tmpfs tmpfs src/late
  echo keep > src/late/k
  run "$SLINK" move --resume m/dst
  [ "$status" -eq 1 ]
  # SRC's own time shows the new directory first; the mount says so too.
  [[ $output == *"/src: changed while being worked on; nothing removed"* ||
     $output == *"is on another filesystem"* ]] || { echo "$output"; false; }
  [ "$(cat .slink-*/late/k 2>/dev/null || cat src/late/k)" = keep ]
  [ -e m/.dst.slink-move ]
}

# SIGKILL at the start of each step with a mount inside SRC, then --resume
# or --rollback: DEST is SRC without the mount's content, the mount still
# mounted in SRC.slink-mounts (resume), or SRC is back as it was with the
# mount mounted at its place (rollback).
crash_x() {   # KILLVAR VALUE WAY DEST
  reset
  before=$(manifest src "$T/src")
  before_x=$(manifest src "$T/src" a/mnt)
  inside=$(manifest src/a/mnt)
  env "$1=$2" "$MOVE_X_DRIVER" move src "$4" 2>/dev/null || true
  local way=$3 j
  j="$(dirname "$4")/.$(basename "$4").slink-move"
  # Killed after the journal was written (or not at all): something moved.
  if [ "$2" != journal ]; then
    [ -e "$j" ] || [ -L src ] || { echo "nothing was moved with $1=$2"; return 1; }
  fi
  if [ -e "$j" ]; then
    run "$SLINK" move "--$way" "$4"
    if [ "$status" -ne 0 ] && [ "$way" = rollback ]; then
      [[ $output == *"only --resume"* ]] || { echo "rollback after $1=$2: $output"; return 1; }
      way=resume
      run "$SLINK" move --resume "$4"
    fi
    [ "$status" -eq 0 ] || { echo "$way after $1=$2: $output"; return 1; }
  fi
  if [ -L src ]; then
    [ "$(readlink src)" = "$T/$4" ] || { echo "link after $1=$2"; return 1; }
    if [ "$4" = dst ]; then
      [ "$before" = "$(manifest "$4" "$T/$4")" ] || { echo "DEST differs after $1=$2"; return 1; }
      mountpoint -q "$4/a/mnt" || { echo "mount not moved after $1=$2"; return 1; }
    else
      [ "$before_x" = "$(manifest "$4" "$T/$4" a/mnt)" ] || { echo "DEST differs after $1=$2"; return 1; }
      [ -z "$(ls -A "$4/a/mnt")" ] || { echo "mount copied after $1=$2"; return 1; }
      mountpoint -q src.slink-mounts/a/mnt || { echo "mount not left after $1=$2"; return 1; }
      [ "$inside" = "$(manifest src.slink-mounts/a/mnt)" ] || { echo "mount changed after $1=$2"; return 1; }
      [ "$(cd src.slink-mounts && find . -xdev | sort | tr '\n' ' ')" = ". ./a ./a/mnt " ] || { echo "old tree left after $1=$2"; return 1; }
    fi
  else
    [ -d src ] || { echo "SRC gone after $1=$2"; return 1; }
    mountpoint -q src/a/mnt || { echo "mount not back after $1=$2"; return 1; }
    [ "$before" = "$(manifest src "$T/src")" ] || { echo "SRC differs after $1=$2"; return 1; }
    [ ! -e "$4" ] && [ ! -e src.slink-mounts ] || { echo "DEST left after $1=$2"; return 1; }
  fi
  no_leftovers || { echo "leftovers after $1=$2"; return 1; }
}

@test "crash -x, one filesystem: SIGKILL at every step, then --resume or --rollback" {
  [ -n "${MOVE_X_DRIVER:-}" ] || skip "no move-x-driver (built with the test hooks)"
  for way in resume rollback; do
    for step in journal rename relink link done; do
      crash_x SLINK_KILL_AT "$step" "$way" dst
    done
  done
}

@test "crash -x across filesystems: SIGKILL at every step, then --resume or --rollback" {
  [ -n "${MOVE_X_DRIVER:-}" ] || skip "no move-x-driver (built with the test hooks)"
  other_fs
  for way in resume rollback; do
    for step in journal copy copied aside link remove removing done 'journal-temp#3'; do
      crash_x SLINK_KILL_AT "$step" "$way" m/dst
    done
  done
}

@test "crash -x across filesystems: SIGKILL inside the copy and the removal" {
  [ -n "${MOVE_X_DRIVER:-}" ] || skip "no move-x-driver (built with the test hooks)"
  other_fs
  for n in 1 3 5 7 8 10 12; do
    crash_x SLINK_KILL_ACTS "$n" resume m/dst
    crash_x SLINK_KILL_ACTS "$n" rollback m/dst
  done
}

# The swap: killed just before the old tree's removal, the directory that
# leads to the mount is exchanged for a link to a canary tree outside
# (and the real one put elsewhere). The resumed move sees the old tree is
# not what it copied and removes nothing; the canary is never reached and
# the mount stays mounted where it was put. Without the link the resume
# then ends the move.
@test "swap before the removal: a link in place of the way to the mount leads nowhere" {
  [ -n "${MOVE_X_DRIVER:-}" ] || skip "no move-x-driver (built with the test hooks)"
  other_fs
  mkdir -p canary/sub && echo precious > canary/sub/p
  SLINK_KILL_AT=removing run "$MOVE_X_DRIVER" move src m/dst
  [ -d src.slink-mounts/a ]
  mv src.slink-mounts/a elsewhere
  ln -s "$T/canary" src.slink-mounts/a
  run --separate-stderr "$SLINK" move --resume m/dst
  [ "$status" -eq 1 ] || { echo "$output $stderr"; false; }
  [[ $stderr == *"/src/a: changed while being worked on"* ]] || { echo "$stderr"; false; }
  [ "$(cat canary/sub/p)" = precious ]
  [ -L src.slink-mounts/a ]
  mountpoint -q elsewhere/mnt
  [ "$(cat elsewhere/mnt/x)" = inside ]
  rm src.slink-mounts/a
  run "$SLINK" move --resume m/dst
  [ "$status" -eq 0 ] || { echo "$output"; false; }
  [ "$(cat canary/sub/p)" = precious ]
  mountpoint -q elsewhere/mnt
  [ ! -e m/.dst.slink-move ]
}
