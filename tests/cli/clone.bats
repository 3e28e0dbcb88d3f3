#!/usr/bin/env bats
# slink clone: a tree reproduced with its links, inner ones kept inner.
bats_require_minimum_version 1.5.0

load helpers

setup() {
  setup_dir
  mkdir -p src/a/b src/empty
  printf 'one\n' > src/a/f
  ln src/a/f src/a/b/g                 # a hard-link group inside SRC
  printf 'outside\n' > lonely
  ln lonely src/a/shared               # a file with a name outside SRC
  ln -s ../f src/a/b/rel               # inner, relative
  ln -s "$T/src/a/f" src/abs           # inner, absolute
  ln -s "$T/lonely" src/outer          # outer, absolute
  ln -s ../../lonely src/a/outer-rel   # outer, relative
  ln -s missing src/dangling           # inner by its text, dangling
  ln -s . src/loop                     # a loop
  mkfifo src/fifo
  printf 'x' > "src/new
line"
  printf 'y' > "src/bad$(printf '\377')name"
  touch -d '2001-02-03 04:05:06.123456789' src/a/f src/a
  chmod 640 src/a/f
  chmod 555 src/a/b
}

teardown() { teardown_dir; }

inode() { stat -c %i "$1"; }

@test "--hard: files are hard links to SRC's, directories new" {
  run "$SLINK" clone src dst
  [ "$status" -eq 0 ]
  [ "$(inode dst/a/f)" = "$(inode src/a/f)" ]
  [ "$(inode dst/a/b/g)" = "$(inode src/a/f)" ]
  [ "$(inode dst/a)" != "$(inode src/a)" ]
  [ -d dst/empty ]
  [ "$(cat "dst/new
line")" = x ]
}

@test "--copy: contents copied, hard-link groups kept as groups" {
  run "$SLINK" clone --copy src dst
  [ "$status" -eq 0 ]
  [ "$(inode dst/a/f)" != "$(inode src/a/f)" ]
  [ "$(inode dst/a/f)" = "$(inode dst/a/b/g)" ]
  [ "$(stat -c %h dst/a/f)" -eq 2 ]
  # The name outside SRC does not pull the copy into its group.
  [ "$(stat -c %h dst/a/shared)" -eq 1 ]
  cmp src/a/f dst/a/f
  echo changed > src/a/f
  [ "$(cat dst/a/f)" = one ]
}

@test "modes and nanosecond times of files and directories are reproduced" {
  "$SLINK" clone --copy src dst
  [ "$(stat -c '%a %y' dst/a/f)" = "$(stat -c '%a %y' src/a/f)" ]
  [ "$(stat -c '%a %y' dst/a)" = "$(stat -c '%a %y' src/a)" ]
  [ "$(stat -c '%a %y' dst/a/b)" = "$(stat -c '%a %y' src/a/b)" ]
  [[ "$(stat -c %y dst/a/f)" == *.123456789* ]] || false
}

@test "extended attributes are copied" {
  setfattr -n user.colour -v blue src/a/f 2>/dev/null || skip "no user xattrs here"
  setfattr -n user.dir -v yes src/a
  "$SLINK" clone --copy src dst
  [ "$(getfattr --only-values -n user.colour dst/a/f)" = blue ]
  [ "$(getfattr --only-values -n user.dir dst/a)" = yes ]
}

@test "owners are reproduced as root" {
  need_root
  chown 1234:5678 src/a/f src/abs
  chown -h 1234:5678 src/abs
  "$SLINK" clone --copy src dst
  [ "$(stat -c %u:%g dst/a/f)" = 1234:5678 ]
  [ "$(stat -c %u:%g dst/abs)" = 1234:5678 ]
}

@test "inner links point into DEST: relative as they are, absolute rewritten" {
  run "$SLINK" clone src dst
  [ "$status" -eq 0 ]
  [ "$(readlink dst/a/b/rel)" = ../f ]
  [ "$(readlink dst/abs)" = "$T/dst/a/f" ]
  [ "$(readlink dst/dangling)" = missing ]
  [ "$(readlink dst/loop)" = . ]
}

@test "outer links are kept by default and left out with --outer drop" {
  "$SLINK" clone src keep
  [ "$(readlink keep/outer)" = "$T/lonely" ]
  [ "$(readlink keep/a/outer-rel)" = ../../lonely ]
  run "$SLINK" clone --outer drop -v src drop
  [ "$status" -eq 0 ]
  [ ! -L drop/outer ]
  [ ! -L drop/a/outer-rel ]
  [ -L drop/abs ]
  [[ "$output" == *"drop/outer"*"left out"* || "$output" == *"src/outer"*"left out"* ]] || false
}

# --outer unroll: outer targets outside SRC, each copied once.
make_outer() {
  mkdir -p outside/d/sub
  echo deep > outside/d/sub/s
  echo top > outside/d/t
  ln outside/d/t outside/d/t2          # a group inside the target
  ln -s "$T/outside/d" src/door        # an outer directory
  ln -s ../outside/d src/door2         # the same target again
}

@test "--outer unroll: an outer directory and file become copies, each target copied once" {
  make_outer
  run "$SLINK" clone --copy --outer unroll --json src dst
  [ "$status" -eq 0 ]
  [ -d dst/door ]
  [ ! -L dst/door ]
  [ "$(cat dst/door/sub/s)" = deep ]
  [ "$(inode dst/door/sub/s)" != "$(inode outside/d/sub/s)" ]
  [ "$(inode dst/door/t)" = "$(inode dst/door/t2)" ]
  # The second link to the same directory: a relative link to the copy.
  [ "$(readlink dst/door2)" = door ]
  # Both outer links to lonely: one copy, the second name a hard link to it.
  [ -f dst/outer ]
  [ ! -L dst/outer ]
  [ "$(cat dst/outer)" = outside ]
  [ "$(inode dst/outer)" = "$(inode dst/a/outer-rel)" ]
  [ "$(inode dst/outer)" != "$(inode lonely)" ]
  [ "$(stat -c '%a %y' dst/door)" = "$(stat -c '%a %y' outside/d)" ]
  [[ "$output" == *'"unrolled":2,'* ]] || false
  [[ "$output" == *'"unrolled_again":2,'* ]] || false
  [[ "$output" == *'"errors":0,'* ]] || false
}

@test "--outer unroll --hard: the copy's files are hard links to the target's" {
  make_outer
  run "$SLINK" clone --outer unroll src dst
  [ "$status" -eq 0 ]
  [ "$(inode dst/door/sub/s)" = "$(inode outside/d/sub/s)" ]
  [ "$(inode dst/outer)" = "$(inode lonely)" ]
  [ "$(inode dst/door)" != "$(inode outside/d)" ]
}

@test "--outer unroll --hard: a target on another filesystem is copied" {
  need_root
  mkdir other
  mount -t tmpfs tmpfs other 2>/dev/null || skip "cannot mount tmpfs"
  mkdir other/d
  echo far > other/d/f
  echo far-file > other/g
  ln -s "$T/other/d" src/far
  ln -s "$T/other/g" src/far-file
  run "$SLINK" clone --outer unroll --json src dst
  [ "$status" -eq 0 ]
  [ "$(cat dst/far/f)" = far ]
  [ "$(cat dst/far-file)" = far-file ]
  [ "$(stat -c %d dst/far/f)" != "$(stat -c %d other/d/f)" ]
  [[ "$output" == *'"errors":0,'* ]] || false
  [[ "$output" == *'"unrolled":3,'* ]] || false   # and lonely, by outer-rel
}

@test "--outer unroll: loops and dangling links are kept as links, with a note" {
  mkdir -p outside/A outside/B
  echo a > outside/A/fa
  echo b > outside/B/fb
  ln -s "$T/outside/B" outside/A/toB   # a cycle between outer targets
  ln -s "$T/outside/A" outside/B/toA
  ln -s ../A outside/B/toA-rel
  mkdir outside/A/sub
  ln -s ../../A/sub outside/A/sub/up   # back to a directory being copied
  ln -s "$T/outside/A" src/cycle
  ln -s "$T" src/holder                # holds SRC, and so the link
  ln -s /nonexistent/x src/gone
  ln -s "$T/outside/C" src/a/door      # a target leading back into SRC
  mkdir outside/C
  ln -s ../../src/a outside/C/back
  run "$SLINK" clone --copy --outer unroll -v src dst
  [ "$status" -eq 0 ]
  [ "$(cat dst/cycle/fa)" = a ]
  [ "$(cat dst/cycle/toB/fb)" = b ]
  # A link back to a target being copied points to its copy: the cycle
  # is reproduced inside DEST.
  [ "$(readlink dst/cycle/toB/toA)" = "$T/dst/cycle" ]
  [ "$(readlink dst/cycle/toB/toA-rel)" = ../../cycle ]
  [ "$(readlink dst/cycle/sub/up)" = ../../A/sub ]
  [ "$(readlink dst/holder)" = "$T" ]
  [ "$(readlink dst/gone)" = /nonexistent/x ]
  [[ "$output" == *"src/holder: warning: "*loop* ]] || false
  [[ "$output" == *"src/cycle/sub/up: warning: "*loop* ]] || false
  [ "$(readlink dst/a/door/back)" = ../../src/a ]
  [[ "$output" == *"src/a/door/back: warning: "*loop* ]] || false
  [[ "$output" == *"src/gone: warning: points to nothing"* ]] || false
}

@test "--outer unroll: inner links of SRC and of the target stay inner in the copy" {
  make_outer
  ln -s sub/s outside/d/rel-in           # relative, inside the target
  ln -s "$T/outside/d/t" outside/d/abs-in # absolute, inside the target
  ln -s "$T/src/a/f" outside/d/to-src     # absolute, into SRC
  "$SLINK" clone --copy --outer unroll src dst
  [ "$(readlink dst/door/rel-in)" = sub/s ]
  [ "$(readlink dst/door/abs-in)" = "$T/dst/door/t" ]
  [ "$(readlink dst/door/to-src)" = "$T/dst/a/f" ]
}

@test "differential: clone --copy --outer unroll against cp -rL of outer links" {
  gen=${SLINK_SHARED:-$SLINK_SRC/../shared}/bench/gen_tree.py
  [ -f "$gen" ] || skip "no gen_tree.py (set SLINK_SHARED)"
  python3 "$gen" --files 300 --seed 4 "$T/g" >/dev/null
  # gen_tree's own links would be followed by cp -L: only files and dirs.
  find g -type l -delete
  mkdir u
  for d in $(find g -mindepth 1 -maxdepth 1 -type d | head -3); do
    ln -s "$T/$d" "u/$(basename "$d")"
  done
  ln -s "$T/$(find g -type f | head -1)" u/one-file
  cp -rL u ref
  "$SLINK" clone --copy --outer unroll u sl
  diff -r ref sl
  [ -z "$(find sl -type l)" ]
}

@test "-n: the plan, nothing made, the counts of the real run that follows" {
  make_outer
  truncate -s 8M src/sparse     # a copy's bytes leave its hole out
  printf 'end' >> src/sparse
  for mode in "" "--copy" "--outer drop" "--outer unroll" "--copy --outer unroll"; do
    before=$(find "$T" -printf '%p %y %i %n %s %T@ %l\n' | LC_ALL=C sort)
    # shellcheck disable=SC2086
    run "$SLINK" clone -n $mode src dst
    [ "$status" -eq 0 ]
    [ "$before" = "$(find "$T" -printf '%p %y %i %n %s %T@ %l\n' | LC_ALL=C sort)" ]
    [ ! -e dst ]
    # shellcheck disable=SC2086
    planned=$("$SLINK" clone -n --json $mode src dst)
    # shellcheck disable=SC2086
    done_=$("$SLINK" clone --json $mode src dst)
    [ "${planned/\"dry_run\":true/X}" = "${done_/\"dry_run\":false/X}" ]
    rm -rf dst
  done
}

@test "-n --link-dest: the counts of the snapshot that follows" {
  "$SLINK" clone --copy src s1
  echo two > src/a/f
  printf 'two\n' > s1/a/shared
  touch -r src/a/shared s1/a/shared
  for opt in "" "--checksum"; do
    # shellcheck disable=SC2086
    planned=$("$SLINK" clone -n --json --link-dest s1 $opt src s2)
    [ ! -e s2 ]
    # shellcheck disable=SC2086
    done_=$("$SLINK" clone --json --link-dest s1 $opt src s2)
    [ "${planned/\"dry_run\":true/X}" = "${done_/\"dry_run\":false/X}" ]
    [[ "$done_" == *'"files_prev":'[1-9]* ]] || false
    rm -rf s2
  done
}

@test "-n: each decision as a line" {
  make_outer
  run "$SLINK" clone -n --outer unroll src dst
  [ "$status" -eq 0 ]
  [[ "$output" == *"would make directory src/a"* ]] || false
  [[ "$output" == *"would hard-link src/a/f"* ]] || false
  [[ "$output" == *"would rewrite src/abs -> $T/dst/a/f"* ]] || false
  [[ "$output" == *"would keep inner link src/a/b/rel"* ]] || false
  [[ "$output" == *"would unroll src/door"* ]] || false
  [[ "$output" == *"would link to the copy made before src/door2 -> door"* ]] || false
  [[ "$output" == *"would make FIFO src/fifo"* ]] || false
  [[ "$output" == *"would make: "*" 2 unrolled"* ]] || false
  run "$SLINK" clone -n --outer drop src dst
  [[ "$output" == *"would drop outer link src/outer"* ]] || false
  [ ! -e dst ]
}

@test "-n: refused as the real run refuses (DEST exists, DEST inside SRC)" {
  mkdir dst
  run "$SLINK" clone -n src dst
  [ "$status" -eq 1 ]
  [[ "$output" == "slink: clone: dst: already exists" ]] || false
  run "$SLINK" clone -n --json src src/inner
  [ "$status" -eq 1 ]
  [[ "$output" == *'"errors":1,'* ]] || false
  [ ! -e src/inner ]
}

@test "a FIFO is made again, a socket left out with a note" {
  python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' src/sock
  run "$SLINK" clone src dst
  [ "$status" -eq 0 ]
  [ -p dst/fifo ]
  [ ! -e dst/sock ]
  [[ "$output" == *"src/sock"*"socket"* ]] || false
}

@test "--json: the counts of what was done" {
  run "$SLINK" clone --copy --json src dst
  [ "$status" -eq 0 ]
  python3 - "$output" <<'EOF'
import json, sys
j = json.loads(sys.argv[1])
assert j["ok"] is True, j
assert j["files_copied"] == 4, j
assert j["group_links"] == 1, j
assert j["links_rewritten"] == 1, j
assert j["links_inner"] == 3, j   # rel, dangling, loop
assert j["links_kept"] == 2, j
assert j["special_made"] == 1, j
EOF
}

@test "DEST that exists is refused, and nothing in it touched" {
  mkdir dst
  touch dst/keep
  run "$SLINK" clone src dst
  [ "$status" -eq 1 ]
  [[ "$output" == "slink: clone: dst: already exists" ]] || false
  [ "$(ls dst)" = keep ]
}

@test "SRC missing or not a directory: an error naming it" {
  run "$SLINK" clone nothere dst
  [ "$status" -eq 1 ]
  [[ "$output" == "slink: clone: nothere: "* ]] || false
  [ ! -e dst ]
  run "$SLINK" clone lonely dst
  [ "$status" -eq 1 ]
  [ ! -e dst ]
}

@test "DEST inside SRC is not entered: no endless copy" {
  run "$SLINK" clone src src/inner
  [ "$status" -eq 1 ]
  [ -d src/inner/a ]
  [ ! -e src/inner/inner ]
}

@test "a link to a directory outside SRC is never followed" {
  mkdir -p outside/deep
  echo secret > outside/deep/s
  ln -s "$T/outside" src/door
  "$SLINK" clone --copy src dst
  [ -L dst/door ]
  [ "$(readlink dst/door)" = "$T/outside" ]
  [ "$(find dst -name s | wc -l)" -eq 0 ]
}

@test "read-only files and directories are cloned and stay read-only" {
  chmod 444 src/a/f
  "$SLINK" clone --copy src dst
  [ "$(stat -c %a dst/a/f)" = 444 ]
  [ "$(stat -c %a dst/a/b)" = 555 ]
}

@test "--copy keeps a sparse file sparse" {
  truncate -s 64M src/sparse
  printf 'end' >> src/sparse
  "$SLINK" clone --copy src dst
  cmp src/sparse dst/sparse
  [ "$(stat -c %b dst/sparse)" -lt 1024 ]
}

@test "--reflink: shared extents, or a clear error where the filesystem cannot" {
  run "$SLINK" clone --reflink src dst
  if [ "$status" -eq 0 ]; then
    cmp src/a/f dst/a/f
    [ "$(inode dst/a/f)" != "$(inode src/a/f)" ]
  else
    [ "$status" -eq 1 ]
    [[ "$output" == *"src/a/f: operation not supported"* ]] || false
  fi
}

# A snapshot series: unchanged files are links to the snapshot before.
@test "--link-dest: unchanged files linked to PREV's copy, changed ones copied" {
  "$SLINK" clone --copy src s1
  echo two > src/a/f      # changed (mtime and size)
  run "$SLINK" clone --link-dest s1 --json src s2
  [ "$status" -eq 0 ]
  [ "$(inode s2/a/shared)" = "$(inode s1/a/shared)" ]
  [ "$(inode s2/a/f)" != "$(inode s1/a/f)" ]
  [ "$(cat s2/a/f)" = two ]
  [ "$(cat s1/a/f)" = one ]
  [ "$(inode s2/a/f)" = "$(inode s2/a/b/g)" ]
  [[ "$output" == *'"files_prev":3'* ]] || false
}

@test "--link-dest: unchanged symbolic links are PREV's, changed and rewritten ones new" {
  "$SLINK" clone --copy src s1
  ln -sfn ../../lonely s1/a/outer-rel.new && mv -T s1/a/outer-rel.new s1/a/outer-rel
  touch -h -r src/a/outer-rel s1/a/outer-rel   # same time, same text: unchanged
  ln -sfn other s1/dangling                     # PREV's text differs
  touch -h -r src/dangling s1/dangling
  run "$SLINK" clone --link-dest s1 --json src s2
  [ "$status" -eq 0 ]
  [ "$(inode s2/a/b/rel)" = "$(inode s1/a/b/rel)" ]
  [ "$(inode s2/outer)" = "$(inode s1/outer)" ]
  [ "$(inode s2/a/outer-rel)" = "$(inode s1/a/outer-rel)" ]
  [ "$(inode s2/dangling)" != "$(inode s1/dangling)" ]
  [ "$(readlink s2/dangling)" = missing ]
  [ "$(inode s2/abs)" != "$(inode s1/abs)" ]
  [ "$(readlink s2/abs)" = "$T/s2/a/f" ]
}

@test "--link-dest --checksum: a file with the same look but other bytes is copied" {
  "$SLINK" clone --copy src s1
  printf 'two\n' > s1/a/shared
  touch -r src/a/shared s1/a/shared
  "$SLINK" clone --link-dest s1 --checksum src s2
  [ "$(cat s2/a/shared)" = outside ]
  [ "$(inode s2/a/shared)" != "$(inode s1/a/shared)" ]
}

# The link limit: a file already at it (ext2 allows 32,000 names) on a
# loop-mounted image, cloned beside itself.
@test "the link limit: files at it are copied instead and counted" {
  need_root
  command -v mkfs.ext2 >/dev/null || skip "mkfs.ext2 is not installed"
  truncate -s 64M img
  mkfs.ext2 -q -F img >/dev/null 2>&1 || skip "cannot make an ext2 image"
  mkdir mnt
  mount -o loop img mnt 2>/dev/null || skip "cannot loop-mount here"
  mkdir mnt/src
  echo data > mnt/src/f
  python3 - mnt/src <<'EOF'
import os, sys
d = sys.argv[1]
i = 0
try:
    while True:
        os.link(os.path.join(d, "f"), os.path.join(d, "l%d" % i))
        i += 1
except OSError as e:
    assert e.errno == 31, e   # EMLINK
EOF
  n=$(ls mnt/src | wc -l)
  [ "$n" -gt 1000 ]
  # -n meets the limit where the real run does.
  planned=$("$SLINK" clone -n --json mnt/src mnt/dst)
  [ ! -e mnt/dst ]
  run "$SLINK" clone --json mnt/src mnt/dst
  [ "$status" -eq 0 ]
  [ "${planned/\"dry_run\":true/X}" = "${output/\"dry_run\":false/X}" ]
  [[ "$output" == *'"errors":0'* ]] || false
  [[ "$output" != *'"limit_copies":0,'* ]] || false
  [ "$(ls mnt/dst | wc -l)" -eq "$n" ]
  [ "$(cat mnt/dst/l123)" = data ]
  [ "$(stat -c %i mnt/dst/l123)" != "$(stat -c %i mnt/src/f)" ]
}

# Differential: the same tree shape and link groups as cp -al makes, on a
# generated tree; inner absolute links are the one intended difference.
manifest() {
  python3 - "$1" "$2" <<'EOF'
import os, sys
root, origin = sys.argv[1], sys.argv[2]
first = {}
for d, dirs, files in os.walk(root):
    dirs.sort()
    for n in sorted(dirs + files):
        p = os.path.join(d, n)
        rel = os.path.relpath(p, root)
        st = os.lstat(p)
        if os.path.islink(p):
            t = os.readlink(p)
            if t.startswith("/"):
                t = t.rstrip("/")
                if t == root or t.startswith(root + "/"):
                    t = origin + t[len(root):]
            print(rel, "l", t)
        elif os.path.isdir(p):
            print(rel, "d", oct(st.st_mode))
        else:
            g = first.setdefault(st.st_ino, rel)
            print(rel, "f", oct(st.st_mode), st.st_size, g)
EOF
}

@test "differential: clone --hard against cp -al on a generated tree" {
  gen=${SLINK_SHARED:-$SLINK_SRC/../shared}/bench/gen_tree.py
  [ -f "$gen" ] || skip "no gen_tree.py (set SLINK_SHARED)"
  for seed in 1 2 3; do
    rm -rf g cp sl
    python3 "$gen" --files 600 --seed "$seed" "$T/g" >/dev/null
    cp -al g cp
    "$SLINK" clone g sl
    manifest "$T/cp" "$T/g" > cp.m
    manifest "$T/sl" "$T/g" > sl.m
    diff cp.m sl.m
    # Every absolute link into the tree now points into the copy.
    [ "$(find sl -type l -lname "$T/g/*" | wc -l)" -eq 0 ]
    [ "$(find cp -type l -lname "$T/g/*" | wc -l)" -eq \
      "$(find sl -type l -lname "$T/sl/*" | wc -l)" ]
  done
}

@test "differential: clone --copy keeps every group of a generated tree" {
  gen=${SLINK_SHARED:-$SLINK_SRC/../shared}/bench/gen_tree.py
  [ -f "$gen" ] || skip "no gen_tree.py (set SLINK_SHARED)"
  python3 "$gen" --files 600 --seed 9 "$T/g" >/dev/null
  "$SLINK" clone --copy g sl
  manifest "$T/g" "$T/g" > g.m
  manifest "$T/sl" "$T/g" > sl.m
  diff g.m sl.m
  diff -r --no-dereference g sl >/dev/null || {
    # Only the rewritten absolute links differ.
    diff -r --no-dereference g sl | grep -v '^Symbolic links' && false
  }
  true
}

@test "progress: a line on a terminal, cleared at the end; none in a pipe or with --json" {
  command -v script >/dev/null || skip "script (util-linux) is not installed"
  SLINK_PROGRESS_DELAY=0 script -qec "$SLINK clone src dst > /dev/null" /dev/null > shown 2>&1 < /dev/null || true
  grep -qaE $'\r\033\\[Kclone: [0-9]+ entries, [0-9]+ files, [0-9.]+ [KMGT]?i?B, [0-9.]+ [KMGT]?i?B/s, src/' shown
  [ "$(tail -c 4 shown | od -An -c | tr -d ' ')" = '\r033[K' ]
  SLINK_PROGRESS_DELAY=0 script -qec "$SLINK clone --json src dst2 > /dev/null" /dev/null > json 2>&1 < /dev/null || true
  run ! grep -qa 'entries, ' json
  SLINK_PROGRESS_DELAY=0 "$SLINK" clone src dst3 2> err
  run ! grep -qa entries err
}
