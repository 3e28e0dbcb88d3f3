#!/bin/sh
# clone.sh - `slink clone` and `slink move` against their peers on the
# shared synthetic tree (170,000 files, seed 42), side by side with
# hyperfine: --hard against `cp -al`, --copy against `cp -a`, a
# --link-dest snapshot of an unchanged tree against `rsync -a
# --link-dest`, and a move to another filesystem (every file and
# directory fsynced, read back) against `mv`; the peak memory of every
# run with /usr/bin/time; the load average. Writes its section of
# bench/RESULTS.md (NO_RESULTS=1: only prints it).
#
# Usage: bench/clone.sh SLINK_PROGRAM
#   SLINK_SHARED  where the shared bench/gen_tree.py lives (default: the
#                 "shared" directory beside the repository)
#   BENCH_DIR     where the tree and its copies go (default: a new
#                 directory under $TMPDIR)
#   MOVE_DIR      a directory on another filesystem for the move pair
#                 (default /dev/shm; the pair is left out when it is on
#                 BENCH_DIR's filesystem)
#   FILES         tree size (170000)
#   SRC_TREE      an existing tree of that size to read instead of
#                 generating one (only read: the move moves a copy)
#   RUNS          hyperfine runs per command (3); SLOW_RUNS for the
#                 --copy and move pairs, which take minutes (RUNS)
#   SYSCALLS=1    also count each command's system calls once with
#                 `strace -c -f` (rsync under strace takes minutes)
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
slink=${1:-${SLINK:-}}
if [ -z "$slink" ] || [ ! -x "$slink" ]; then
  echo "usage: bench/clone.sh SLINK_PROGRAM" >&2
  exit 2
fi
slink=$(cd "$(dirname "$slink")" && pwd)/$(basename "$slink")
shared=${SLINK_SHARED:-$repo/../shared}
gen=$shared/bench/gen_tree.py
files=${FILES:-170000}
runs=${RUNS:-3}
slow=${SLOW_RUNS:-$runs}
need="hyperfine python3 rsync"
[ -z "${SYSCALLS:-}" ] || need="$need strace"
for tool in $need; do
  command -v "$tool" >/dev/null || { echo "clone.sh: $tool is needed (deps/debian-packages-bench.txt)" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "clone.sh: /usr/bin/time is needed" >&2; exit 1; }
[ -f "$gen" ] || { echo "clone.sh: no generator at $gen (set SLINK_SHARED)" >&2; exit 1; }

made_work=
if [ -n "${BENCH_DIR:-}" ]; then
  work=$BENCH_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/slink-bench-clone.XXXXXX")
  made_work=1
fi
src=${SRC_TREE:-$work/src-$files}
out=$work/out
mdir=${MOVE_DIR:-/dev/shm}/slink-bench-move.$$
cleanup() {
  rm -rf "$out" "$work/prev" "$work/mv-src" "$mdir"
  [ -z "$made_work" ] || rm -rf "$work"
}
trap cleanup EXIT

if [ ! -d "$src" ]; then
  echo "generating $files files in $src ..." >&2
  python3 "$gen" "$src" --files "$files" --seed 42 >/dev/null
fi
rm -rf "$work/prev" "$out"
"$slink" clone --copy "$src" "$work/prev"

start_load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
prep="rm -rf '$out'"
# Every timed slink run also writes its peak resident memory (KiB) to
# $work/NAME.mem; /usr/bin/time wraps the peers too, so both carry it.
t() { echo "/usr/bin/time -a -o '$work/$1.mem' -f %M"; }
rm -f "$work"/*.mem
hyperfine --runs "$runs" --prepare "$prep" --export-json "$work/hard.json" \
  -n "slink clone --hard" "$(t hard) '$slink' clone '$src' '$out'" \
  -n "cp -al" "$(t peer) cp -al '$src' '$out'" >&2
hyperfine --runs "$runs" --prepare "$prep" --export-json "$work/snap.json" \
  -n "slink clone --link-dest" "$(t snap) '$slink' clone --link-dest '$work/prev' '$src' '$out'" \
  -n "rsync -a --link-dest" "$(t peer) rsync -a --link-dest='$work/prev' '$src/' '$out/'" >&2
hyperfine --runs "$slow" --prepare "$prep" --export-json "$work/copy.json" \
  -n "slink clone --copy" "$(t copy) '$slink' clone --copy '$src' '$out'" \
  -n "cp -a" "$(t peer) cp -a '$src' '$out'" >&2

# The move: a fresh copy of the tree on BENCH_DIR's filesystem before
# each run (not timed), moved into MOVE_DIR.
mkdir -p "$mdir"
move=
if [ "$(stat -c %d "$mdir")" != "$(stat -c %d "$work")" ]; then
  move=1
  mprep="rm -rf '$work/mv-src' '$mdir/t' && cp -a '$src' '$work/mv-src'"
  hyperfine --runs "$slow" --prepare "$mprep" --export-json "$work/move.json" \
    -n "slink move" "$(t move) '$slink' move '$work/mv-src' '$mdir/t'" \
    -n "mv" "$(t peer) mv '$work/mv-src' '$mdir/t'" >&2
fi

# System calls: one counted run of each command (SYSCALLS=1), the total
# and the most frequent, into $work/NAME.sys as "total; call n, ...".
count() {
  name=$1
  shift
  eval "$prep"
  strace -c -f -o "$work/strace.out" "$@" >/dev/null 2>&1 || true
  t=$(awk '$NF == "total" {print $4}' "$work/strace.out")
  top=$(awk '$1 ~ /^[0-9.]+$/ && $NF != "total" {print $4, $NF}' "$work/strace.out" |
    sort -rn | head -4 | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1}')
  echo "$t; $top" >"$work/$name.sys"
}
rm -f "$work"/*.sys
if [ -n "${SYSCALLS:-}" ]; then
  count snap.a "$slink" clone --link-dest "$work/prev" "$src" "$out"
  count snap.b rsync -a --link-dest="$work/prev" "$src/" "$out/"
  if [ -n "$move" ]; then
    for k in a b; do
      rm -rf "$work/mv-src" "$mdir/t" && cp -a "$src" "$work/mv-src"
      if [ $k = a ]; then count move.a "$slink" move "$work/mv-src" "$mdir/t"
      else count move.b mv "$work/mv-src" "$mdir/t"; fi
    done
  fi
  rm -rf "$out"
fi

end_load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)

python3 - "$work" "$files" "$runs" "$slow" "$(stat -f -c %T "$work")" \
  "$(stat -f -c %T "$mdir")" "$start_load" "$end_load" \
  > "$work/section.md" <<'PY'
import json, os, platform, sys, time
work, files, runs, slow, fstype, mfstype, load0, load1 = sys.argv[1:9]
def peak(name):
    p = os.path.join(work, name + ".mem")
    if not os.path.exists(p):
        return "-"
    kib = [int(l) for l in open(p) if l.strip().isdigit()]
    return "%.1f" % (max(kib) / 1024) if kib else "-"
print("<!-- BEGIN clone -->")
print("## Copying and moving trees: `slink clone` and `slink move` against cp, rsync and mv")
print()
print("Generated by `bench/clone.sh` on %s: `gen_tree.py --files %s --seed 42`, hyperfine "
      "%s runs a command (%s for --copy and the move), a fresh output each run, whole-process "
      "wall times; filesystem %s (the move: %s to %s). %d CPUs, kernel %s. Load average "
      "%s at the start, %s at the end: the machine is shared, so the ratios of commands run "
      "side by side are the figures, not the seconds."
      % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), files, runs, slow, fstype,
         fstype, mfstype, os.cpu_count(), platform.release(), load0, load1))
print()
print("| pair | slink median [s] | peer median [s] | ratio (median) | ratio (CPU time) | slink peak RSS [MiB] | goal | met |")
print("|---|---|---|---|---|---|---|---|")
def calls(name):
    p = os.path.join(work, name + ".sys")
    return open(p).read().strip() if os.path.exists(p) else None
pairs = (("hard", "≤ 1.0×", 1.0), ("snap", "≤ 0.2× (5× faster)", 0.2),
         ("copy", "≤ 1.2×", 1.2), ("move", "≤ 1.3×", 1.3))
for f, goal, want in pairs:
    p = os.path.join(work, f + ".json")
    if not os.path.exists(p):
        print("| %s | not run (no second filesystem) | | | | | %s | |" % (f, goal))
        continue
    r = json.load(open(p))["results"]
    a, b = r[0], r[1]
    ratio = a["median"] / b["median"]
    cpu = (a["user"] + a["system"]) / (b["user"] + b["system"])
    mib = peak(f)
    print("| `%s` vs `%s` | %.2f | %.2f | **%.2f×** | %.2f× | %s | %s | %s |"
          % (a["command"], b["command"], a["median"], b["median"], ratio, cpu, mib, goal,
             "yes" if ratio <= want else "**no**"))
counted = [(f, calls(k + ".a"), calls(k + ".b"))
           for k, f in (("snap", "`clone --link-dest` vs `rsync -a --link-dest`"),
                        ("move", "`move` vs `mv`"))]
if any(a for _, a, _ in counted):
    print()
    print("System calls, one run each (`strace -c -f`): total; the most frequent.")
    print()
    print("| pair | slink | peer |")
    print("|---|---|---|")
    for f, a, b in counted:
        if a:
            print("| %s | %s | %s |" % (f, a, b))
print()
print("Peak memory goal: under 50 MiB for each slink command (hard-link groups are the only "
      "per-file state).")
print("<!-- END clone -->")
PY
cat "$work/section.md"
if [ -z "${NO_RESULTS:-}" ]; then
  python3 "$repo/bench/record.py" "$repo/bench/RESULTS.md" "$work/section.md" clone
  echo "figures written to bench/RESULTS.md" >&2
fi
