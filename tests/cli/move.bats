#!/usr/bin/env bats
# slink move: a tree moved, to another filesystem too, a link left behind;
# killed at every step, resume and rollback both keep every file once.
bats_require_minimum_version 1.5.0

load helpers

setup() {
  setup_dir
  mkdir -p src/a/b src/empty
  printf 'one\n' > src/a/f
  ln src/a/f src/a/b/g
  ln -s ../f src/a/b/rel
  ln -s "$T/src/a/f" src/abs
  printf 'x' > "src/new
line"
  head -c 300000 /dev/urandom > src/a/big
  chmod 555 src/a/b
}

teardown() {
  # Processes a test started to hold files open.
  for p in ${HOLDERS:-}; do kill "$p" 2>/dev/null || true; done
  teardown_dir
}

# A second filesystem at $T/m (tmpfs of SIZE).
other_fs() {
  need_root
  mkdir -p m
  mount -t tmpfs -o "size=${1:-16m}" tmpfs m 2>/dev/null || skip "cannot mount tmpfs"
}

# Every entry below $1: path, type, bytes' sha256 or link target (links
# into the tree as ROOT/...), and hard-link group; one line each.
manifest() {
  python3 - "$1" "$T/src" "${2:-}" <<'EOF'
import hashlib, os, sys
root, src, dest = sys.argv[1], sys.argv[2], sys.argv[3]
first = {}
for d, dirs, files in os.walk(root):
    dirs.sort()
    for n in sorted(dirs + files):
        p = os.path.join(d, n)
        rel = os.path.relpath(p, root)
        st = os.lstat(p)
        if os.path.islink(p):
            t = os.readlink(p)
            for r in (src, dest):
                if r and (t == r or t.startswith(r + "/")):
                    t = "ROOT" + t[len(r):]
            print(repr(rel), "l", t)
        elif os.path.isdir(p):
            print(repr(rel), "d", oct(st.st_mode))
        else:
            h = hashlib.sha256(open(p, "rb").read()).hexdigest()
            g = first.setdefault(st.st_ino, rel)
            print(repr(rel), "f", oct(st.st_mode), h, repr(g))
EOF
}

# No temporary name of slink's left anywhere here.
no_leftovers() {
  [ -z "$(find "$T" -name '.slink-*.tmp' -o -name '*.slink-move' -o -name '*.slink-move.tmp' | head -1)" ]
}

@test "one filesystem: a rename, then a symbolic link at SRC" {
  before=$(manifest src)
  run "$SLINK" move src dst
  [ "$status" -eq 0 ]
  [ -L src ]
  [ "$(readlink src)" = "$T/dst" ]
  [ "$(manifest src/ | sed 's/ROOT/X/')" = "$(manifest dst | sed 's/ROOT/X/')" ]
  [ "$before" = "$(manifest "$T/dst" "$T/dst")" ]
  # The inner absolute link names the moved tree, not the way back.
  [ "$(readlink dst/abs)" = "$T/dst/a/f" ]
  no_leftovers
}

@test "crash, one filesystem: SIGKILL at every step, then --resume or --rollback" {
  [ -n "${MOVE_DRIVER:-}" ] || skip "no move-driver (built with the test hooks)"
  chmod 755 src/a/b
  for way in resume rollback; do
    for step in journal rename relink link done; do
      rm -rf src dst .dst.slink-move
      setup_tree_again
      before=$(manifest "$T/src")
      SLINK_KILL_AT=$step "$MOVE_DRIVER" move src dst 2>/dev/null || true
      if [ -e .dst.slink-move ]; then
        run "$SLINK" move "--$way" dst
        [ "$status" -eq 0 ] || { echo "$way after $step: $output"; return 1; }
      fi
      if [ -L src ]; then
        [ "$before" = "$(manifest "$T/dst" "$T/dst")" ] || { echo "DEST differs: $way after $step"; return 1; }
        [ "$(readlink dst/abs)" = "$T/dst/a/f" ] || { echo "abs not rewritten: $way after $step"; return 1; }
      else
        [ "$before" = "$(manifest "$T/src")" ] || { echo "SRC differs: $way after $step"; return 1; }
        [ ! -e dst ] || { echo "SRC differs: $way after $step"; return 1; }
        [ "$(readlink src/abs)" = "$T/src/a/f" ] || { echo "abs not back: $way after $step"; return 1; }
      fi
      no_leftovers || { echo "leftovers: $way after $step"; return 1; }
    done
  done
}

@test "--leave none leaves nothing; --leave junction a link where there are no junctions" {
  run "$SLINK" move --leave none src dst
  [ "$status" -eq 0 ]
  [ ! -e src ]
  [ ! -L src ]
  mkdir s2
  run "$SLINK" move --leave junction s2 d2
  [ "$status" -eq 0 ]
  [ "$(readlink s2)" = "$T/d2" ]
}

@test "across filesystems: copied, verified, old tree gone, link at SRC" {
  other_fs
  before=$(manifest src)
  run "$SLINK" move --json src m/dst
  [ "$status" -eq 0 ]
  [[ "$output" == *'"ok":true'* ]] || false
  [ "$(readlink src)" = "$T/m/dst" ]
  [ "$before" = "$(manifest "$T/m/dst" "$T/m/dst")" ]
  # The inner absolute link points into the moved tree.
  [ "$(readlink m/dst/abs)" = "$T/m/dst/a/f" ]
  [ "$(stat -c %h m/dst/a/f)" -eq 2 ]
  no_leftovers
}

@test "-n: the steps, nothing changed, the counts of the real move that follows" {
  other_fs
  ln -s "$T/elsewhere" src/outer
  for dest in dst m/dst; do
    before=$(find "$T" -printf '%p %y %i %n %s %T@ %l\n' | LC_ALL=C sort)
    run "$SLINK" move -n src "$dest"
    [ "$status" -eq 0 ]
    [ "$before" = "$(find "$T" -printf '%p %y %i %n %s %T@ %l\n' | LC_ALL=C sort)" ]
    planned=$("$SLINK" move -n --json src "$dest")
    done_=$("$SLINK" move --json src "$dest")
    [ "${planned/\"dry_run\":true/X}" = "${done_/\"dry_run\":false/X}" ]
    # Back for the next round.
    rm src
    mv "$dest" src
  done
}

@test "-n: the steps of a move across filesystems, and the copy's plan" {
  other_fs
  run "$SLINK" move -n src m/dst
  [ "$status" -eq 0 ]
  [[ "$output" == *"would copy to $T/m/dst, flush it and read it back:"* ]] || false
  [[ "$output" == *"would copy $T/src/a/big"* ]] || false
  [[ "$output" == *"would rewrite $T/src/abs -> $T/m/dst/a/f"* ]] || false
  [[ "$output" == *"would rename SRC aside to $T/.slink-"*".tmp"* ]] || false
  [[ "$output" == *"would leave a symbolic link at SRC to $T/m/dst"* ]] || false
  [[ "$output" == *"would remove the old tree $T/.slink-"* ]] || false
  run "$SLINK" move -n src dst
  [ "$status" -eq 0 ]
  [[ "$output" == *"would rename to $T/dst"* ]] || false
  [ -d src ]
  [ ! -e dst ]
  no_leftovers
}

@test "-n: refused as the real move refuses" {
  mkdir dst
  run "$SLINK" move -n src dst
  [ "$status" -eq 1 ]
  [[ "$output" == "slink: move: dst: already exists" ]] || false
  run "$SLINK" move -n src src/a/inner
  [ "$status" -eq 1 ]
  [ ! -e src/a/inner ]
}

@test "refused: a file of SRC open in another process, named with its pid" {
  other_fs
  before=$(manifest src)
  sleep 600 < src/a/big > /dev/null 2>&1 3>&- &
  holder=$!
  HOLDERS=$holder
  run "$SLINK" move src m/dst
  [ "$status" -eq 1 ]
  [[ "$output" == "slink: move: src/a/big: open by another process (pid $holder)" ]] || false
  [ "$before" = "$(manifest src)" ]
  [ ! -e m/dst ]
  no_leftovers
  # -n judges the same.
  run "$SLINK" move -n src m/dst
  [ "$status" -eq 1 ]
  [[ "$output" == *"src/a/big: open by another process (pid $holder)"* ]] || false
  # --force-open moves all the same.
  run "$SLINK" move --force-open src m/dst
  kill "$holder"
  [ "$status" -eq 0 ]
  [ "$(readlink src)" = "$T/m/dst" ]
  [ "$before" = "$(manifest "$T/m/dst" "$T/m/dst")" ]
}

@test "a file open for writing or being run is found too; once closed the move goes on" {
  other_fs
  cp /bin/sleep src/a/runme
  src/a/runme 600 > /dev/null 2>&1 3>&- &
  runner=$!
  HOLDERS=$runner
  # Until it has executed runme the child is a copy of the shell.
  for _ in $(seq 1 200); do
    if [ /proc/$runner/exe -ef src/a/runme ]; then break; fi
    sleep 0.05
  done
  [ /proc/$runner/exe -ef src/a/runme ] || false
  run "$SLINK" move src m/dst
  [ "$status" -eq 1 ]
  [[ "$output" == *"src/a/runme: open by another process"* ]] || false
  kill "$runner"
  wait "$runner" || true
  exec 7>>src/a/big
  run "$SLINK" move src m/dst
  exec 7>&-
  [ "$status" -eq 1 ]
  [[ "$output" == *"src/a/big: open by another process"* ]] || false
  run "$SLINK" move src m/dst
  [ "$status" -eq 0 ]
}

@test "--json: the summary names every count, for move as for clone" {
  other_fs
  run "$SLINK" move --json src m/dst
  [ "$status" -eq 0 ]
  python3 - "$output" <<'EOF2'
import json, sys
j = json.loads(sys.argv[1])
for k in ("files_linked", "files_copied", "bytes_copied", "links_rewritten",
          "links_kept", "links_dropped", "unrolled", "limit_copies", "errors",
          "dry_run", "ok"):
    assert k in j, (k, j)
assert j["files_copied"] == 3, j     # f (and g, its group), big, new-line
assert j["group_links"] == 1, j
assert j["links_rewritten"] == 1, j
assert j["bytes_copied"] == 300005, j
EOF2
}

@test "progress across filesystems: files and bytes of SRC's total, a rate and the time left" {
  command -v script >/dev/null || skip "script (util-linux) is not installed"
  other_fs
  SLINK_PROGRESS_DELAY=0 script -qec "$SLINK move src m/dst > /dev/null" /dev/null > shown 2>&1 < /dev/null || true
  [ -L src ]
  grep -qaE 'move: [0-9]+ entries, [0-9]+ of 4 files, [0-9.]+ [KMGT]?i?B of 293.0 KiB, [0-9.]+ [KMGT]?i?B/s(, [0-9]+:[0-9]{2} left)?, ' shown
}

@test "refused: DEST inside SRC, nothing made" {
  run "$SLINK" move src src/a/inner
  [ "$status" -eq 1 ]
  [[ "$output" == "slink: move: src/a/inner: "*inside* ]] || false
  [ -d src ]
  [ ! -L src ]
  [ ! -e src/a/inner ]
  no_leftovers
}

@test "refused: DEST exists, SRC missing, SRC a link" {
  mkdir dst
  run "$SLINK" move src dst
  [ "$status" -eq 1 ]
  [[ "$output" == "slink: move: dst: already exists" ]] || false
  run "$SLINK" move nothere d2
  [ "$status" -eq 1 ]
  [[ "$output" == "slink: move: nothere: "* ]] || false
  ln -s src lnk
  run "$SLINK" move lnk d3
  [ "$status" -eq 1 ]
  [ ! -e d3 ]
  [ -L lnk ]
  no_leftovers
}

@test "refused: SRC a mount point, or holding one" {
  other_fs
  mkdir m/t
  run "$SLINK" move m d
  [ "$status" -eq 1 ]
  [[ "$output" == "slink: move: m: "* ]] || false
  mkdir -p holder
  mkdir holder/mnt
  mount -t tmpfs tmpfs holder/mnt
  run "$SLINK" move holder d2
  [ "$status" -eq 1 ]
  [[ "$output" == "slink: move: holder: "*"filesystem"* ]] || false
  [ -d holder/mnt ]
  [ ! -e d2 ]
}

@test "refused: too little free space on DEST, SRC untouched" {
  other_fs 1m
  head -c 3000000 /dev/zero > src/large
  before=$(manifest src)
  run "$SLINK" move src m/dst
  [ "$status" -eq 1 ]
  [[ "$output" == "slink: move: m/dst: no space left on device" ]] || false
  [ "$before" = "$(manifest src)" ]
  [ ! -e m/dst ]
  no_leftovers
}

@test "DEST fills up during the copy: the move stops, SRC untouched, the copy undone" {
  need_root
  mkdir -p m
  # Few inodes: the bytes fit (the free-space check passes), the names do not.
  mount -t tmpfs -o size=16m,nr_inodes=40 tmpfs m 2>/dev/null || skip "cannot mount tmpfs"
  for i in $(seq 1 80); do echo "$i" > "src/empty/n$i"; done
  before=$(manifest src)
  run "$SLINK" move src m/dst
  [ "$status" -eq 1 ]
  [[ "$output" == *"no space left on device"* ]] || false
  [ "$before" = "$(manifest src)" ]
  [ -d src ]
  [ ! -L src ]
  [ ! -e m/dst ]
  no_leftovers
}

@test "a half-done move is said so and refused until --resume or --rollback" {
  [ -n "${MOVE_DRIVER:-}" ] || skip "no move-driver (built with the test hooks)"
  other_fs
  SLINK_KILL_AT=aside run "$MOVE_DRIVER" move src m/dst
  [ "$status" -ne 0 ]
  run "$SLINK" move src m/dst
  [ "$status" -eq 1 ]
  [[ "$output" == *"half-done move"*"--resume or --rollback"* ]] || false
  run "$SLINK" move --rollback m/dst
  [ "$status" -eq 0 ]
  run "$SLINK" move --resume m/dst
  [ "$status" -eq 1 ]
  [[ "$output" == *"no interrupted move"* ]] || false
}

# The crash test: SIGKILL at the start of every step, and at acts inside
# the copy and the removal; then --resume (and, in a fresh run,
# --rollback) must end with every file present once with its bytes.
crash_once() {   # KILLVAR VALUE WAY(resume|rollback)
  rm -rf src m/dst
  find m -mindepth 1 -delete
  setup_tree_again
  before=$(manifest "$T/src")
  env "$1=$2" "$MOVE_DRIVER" move src m/dst 2>/dev/null || true
  if [ ! -e m/.dst.slink-move ]; then
    # Killed before the journal was written (nothing was done), or not
    # killed at all (the move was done): nothing to resume.
    run "$SLINK" move "--$3" m/dst
    [ "$status" -eq 1 ] && [[ "$output" == *"no interrupted move"* ]] || return 1
    if [ -L src ]; then
      [ "$before" = "$(manifest "$T/m/dst" "$T/m/dst")" ] || { echo "DEST differs after $1=$2"; return 1; }
    else
      [ "$before" = "$(manifest "$T/src")" ] && [ ! -e m/dst ] || { echo "SRC differs after $1=$2"; return 1; }
    fi
  elif [ "$3" = resume ]; then
    run "$SLINK" move --resume m/dst
    [ "$status" -eq 0 ] || { echo "resume after $1=$2: $output"; return 1; }
    [ "$(readlink src)" = "$T/m/dst" ] || { echo "no link after $1=$2"; return 1; }
    [ "$before" = "$(manifest "$T/m/dst" "$T/m/dst")" ] || { echo "DEST differs after $1=$2"; return 1; }
    [ "$before" = "$(manifest "$T/src/" "$T/m/dst")" ] || { echo "SRC does not resolve after $1=$2"; return 1; }
  else
    run "$SLINK" move --rollback m/dst
    if [ "$status" -ne 0 ]; then
      # Once the old tree's removal began, only going on keeps every file.
      [[ "$output" == *"only --resume"* ]] || { echo "rollback after $1=$2: $output"; return 1; }
      run "$SLINK" move --resume m/dst
      [ "$status" -eq 0 ] || { echo "resume after refused rollback $1=$2: $output"; return 1; }
      [ "$before" = "$(manifest "$T/m/dst" "$T/m/dst")" ] || { echo "DEST differs after $1=$2"; return 1; }
    else
      [ -d src ] && [ ! -L src ] || { echo "SRC not back after $1=$2"; return 1; }
      [ "$before" = "$(manifest "$T/src")" ] || { echo "SRC differs after $1=$2"; return 1; }
      [ ! -e m/dst ] || { echo "DEST left after $1=$2"; return 1; }
    fi
  fi
  no_leftovers || { echo "leftovers after $1=$2: $(find "$T" -name '.slink-*')"; return 1; }
}

setup_tree_again() {
  mkdir -p src/a/b src/empty
  printf 'one\n' > src/a/f
  ln src/a/f src/a/b/g
  ln -s ../f src/a/b/rel
  ln -s "$T/src/a/f" src/abs
  printf 'x' > "src/new
line"
  head -c 300000 /dev/zero | tr '\0' 'z' > src/a/big
  for i in 1 2 3 4 5 6; do mkdir -p "src/d$i"; echo "$i" > "src/d$i/f$i"; done
}

@test "crash: SIGKILL at every step, then --resume" {
  [ -n "${MOVE_DRIVER:-}" ] || skip "no move-driver (built with the test hooks)"
  other_fs
  chmod 755 src/a/b
  for step in journal copy copied aside link remove removing done; do
    crash_once SLINK_KILL_AT "$step" resume
  done
}

@test "crash: SIGKILL at every step, then --rollback" {
  [ -n "${MOVE_DRIVER:-}" ] || skip "no move-driver (built with the test hooks)"
  other_fs
  chmod 755 src/a/b
  for step in journal copy copied aside link remove removing done; do
    crash_once SLINK_KILL_AT "$step" rollback
  done
}

@test "crash: SIGKILL inside the copy and the removal, then --resume or --rollback" {
  [ -n "${MOVE_DRIVER:-}" ] || skip "no move-driver (built with the test hooks)"
  other_fs
  chmod 755 src/a/b
  for n in 1 2 3 5 8 11 14 17 20 23 26; do
    crash_once SLINK_KILL_ACTS "$n" resume
    crash_once SLINK_KILL_ACTS "$n" rollback
  done
}

@test "crash: SIGKILL at random acts while moving a generated tree, then --resume or --rollback" {
  [ -n "${MOVE_DRIVER:-}" ] || skip "no move-driver (built with the test hooks)"
  gen=${SLINK_SHARED:-$SLINK_SRC/../shared}/bench/gen_tree.py
  [ -f "$gen" ] || skip "no gen_tree.py (set SLINK_SHARED)"
  other_fs 64m
  python3 "$gen" --files 400 --seed 5 "$T/g" >/dev/null
  # Relative links only: gen_tree's absolute ones name the generated
  # root, which this test copies from.
  find g -type l -lname '/*' -delete
  chmod 755 src/a/b
  seed=${MOVE_SEED:-$RANDOM}
  echo "# MOVE_SEED=$seed" >&3
  RANDOM=$seed
  for i in 1 2 3 4 5 6; do
    n=$((RANDOM % 900 + 1))
    for way in resume rollback; do
      rm -rf src; find m -mindepth 1 -delete
      cp -a g src
      before=$(manifest "$T/src")
      SLINK_KILL_ACTS=$n "$MOVE_DRIVER" move src m/dst 2>/dev/null || true
      if [ -e m/.dst.slink-move ]; then
        run "$SLINK" move "--$way" m/dst
        if [ "$status" -ne 0 ]; then
          [[ "$output" == *"only --resume"* ]] || { echo "$way after act $n: $output"; return 1; }
          run "$SLINK" move --resume m/dst
          [ "$status" -eq 0 ] || { echo "resume after act $n: $output"; return 1; }
        fi
      fi
      if [ -L src ]; then
        [ "$before" = "$(manifest "$T/m/dst" "$T/m/dst")" ] || { echo "DEST differs: $way after act $n"; return 1; }
      else
        [ "$before" = "$(manifest "$T/src")" ] || { echo "SRC differs: $way after act $n"; return 1; }
        [ ! -e m/dst ] || { echo "DEST left: $way after act $n"; return 1; }
      fi
      no_leftovers || { echo "leftovers: $way after act $n"; return 1; }
    done
  done
}

# The free-space check counts file sizes; a tmpfs gives each small file a
# whole page, so these fit by the sizes and not on the disk.
fill_up_tree() {
  rm -rf src
  mkdir -p src/d
  for i in $(seq 1 150); do head -c 1000 /dev/zero | tr '\0' x > "src/d/f$i"; done
  before=$(manifest src)
}

@test "DEST runs out of bytes during the copy: the move stops, SRC untouched, the copy undone" {
  other_fs 400k
  fill_up_tree
  run "$SLINK" move src m/dst
  [ "$status" -eq 1 ]
  # Stopped at the first file that did not fit, not one error per file.
  [ "${#lines[@]}" -eq 1 ]
  [[ "$output" == *"no space left on device"* ]] || false
  [ "$before" = "$(manifest src)" ]
  [ ! -L src ]
  [ ! -e m/dst ]
  no_leftovers
}

@test "DEST fills up in a resumed copy: resume stops, --rollback cleans up, SRC untouched" {
  [ -n "${MOVE_DRIVER:-}" ] || skip "no move-driver (built with the test hooks)"
  other_fs 400k
  fill_up_tree
  SLINK_KILL_AT=copy run "$MOVE_DRIVER" move src m/dst
  [ "$status" -ne 0 ]
  [ -e m/.dst.slink-move ]
  run "$SLINK" move --resume m/dst
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ "$output" == *"no space left on device"* ]] || false
  [ "$before" = "$(manifest src)" ]
  [ -e m/.dst.slink-move ]
  run "$SLINK" move --rollback m/dst
  [ "$status" -eq 0 ]
  [ "$before" = "$(manifest src)" ]
  [ ! -L src ]
  [ ! -e m/dst ]
  [ -z "$(ls -A m)" ]
  no_leftovers
}

@test "killed between writing the journal and renaming it: no temporary name left" {
  [ -n "${MOVE_DRIVER:-}" ] || skip "no move-driver (built with the test hooks)"
  other_fs
  before=$(manifest src)
  # The first write: nothing done yet, nothing to resume, nothing left.
  SLINK_KILL_AT=journal-temp run "$MOVE_DRIVER" move src m/dst
  [ "$status" -eq 137 ]
  [ -n "$(ls -A m)" ]
  run "$SLINK" move --resume m/dst
  [ "$status" -eq 1 ]
  [[ "$output" == *"no interrupted move"* ]] || false
  [ -z "$(ls -A m)" ]
  [ "$before" = "$(manifest src)" ]
  # The second (the copy recorded): resumed, nothing left.
  SLINK_KILL_AT='journal-temp#2' run "$MOVE_DRIVER" move src m/dst
  [ "$status" -eq 137 ]
  run "$SLINK" move --resume m/dst
  [ "$status" -eq 0 ]
  [ "$(readlink src)" = "$T/m/dst" ]
  [ "$(ls -A m)" = dst ]
  no_leftovers
}
