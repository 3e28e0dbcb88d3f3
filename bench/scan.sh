#!/bin/sh
# scan.sh - `slink scan` against find, fd and symlinks on the shared
# synthetic tree (170,000 files, about 17,000 symbolic links of every sort,
# seed 42): hyperfine with a warm cache, peak memory from /usr/bin/time,
# system calls from `strace -c -f`. The figures go into this benchmark's
# own section of bench/RESULTS.md.
#
# Usage: bench/scan.sh SLINK_PROGRAM
#   SLINK_SHARED  where the shared bench/gen_tree.py lives (default: the
#                 "shared" directory beside the repository)
#   BENCH_DIR     where the tree goes (default: a new directory under
#                 $TMPDIR, removed afterwards); give one to keep the tree
#                 between runs
#   FILES, RUNS   tree size (170000) and hyperfine runs per command (10)
#   NO_RESULTS=1  print the figures but leave bench/RESULTS.md alone
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
slink=${1:-${SLINK:-}}
if [ -z "$slink" ] || [ ! -x "$slink" ]; then
  echo "usage: bench/scan.sh SLINK_PROGRAM" >&2
  exit 2
fi
slink=$(cd "$(dirname "$slink")" && pwd)/$(basename "$slink")
shared=${SLINK_SHARED:-$repo/../shared}
gen=$shared/bench/gen_tree.py
files=${FILES:-170000}
runs=${RUNS:-10}
for tool in hyperfine strace python3 fdfind symlinks /usr/bin/time; do
  command -v "$tool" >/dev/null ||
    { echo "scan.sh: $tool is needed (deps/debian-packages.txt)" >&2; exit 1; }
done
[ -f "$gen" ] || { echo "scan.sh: no generator at $gen (set SLINK_SHARED)" >&2; exit 1; }

made_work=
if [ -n "${BENCH_DIR:-}" ]; then
  work=$BENCH_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/slink-bench-scan.XXXXXX")
  made_work=1
fi
cleanup() { [ -z "$made_work" ] || rm -rf "$work"; }
trap cleanup EXIT
tree=$work/tree-$files
if [ ! -d "$tree" ]; then
  echo "generating $files files in $tree ..." >&2
  python3 "$gen" "$tree" --files "$files" --seed 42 >/dev/null
fi

# The commands, by name. Each writes to /dev/null; find's complaints about
# looping links go there too. Exit codes are not compared (scan exits 1
# because the tree holds dangling links; so does find -xtype l).
names="list:slink-names list:slink-names-1t list:find-type-l list:fdfind \
class:slink-scan class:slink-scan-1t class:find-xtype-l class:symlinks-r"
cmd_of() {
  case $1 in
  slink-names) echo "'$slink' scan --names '$tree'" ;;
  slink-names-1t) echo "'$slink' scan --names --one-thread '$tree'" ;;
  find-type-l) echo "find '$tree' -type l" ;;
  fdfind) echo "fdfind -H -I -t l . '$tree'" ;;
  slink-scan) echo "'$slink' scan '$tree'" ;;
  slink-scan-1t) echo "'$slink' scan --one-thread '$tree'" ;;
  find-xtype-l) echo "find '$tree' -xtype l 2>/dev/null" ;;
  symlinks-r) echo "symlinks -r '$tree'" ;;
  esac
}

set --
for nc in $names; do
  n=${nc#*:}
  set -- "$@" -n "$n" "$(cmd_of "$n")"
done
# Warm the cache, then time.
find "$tree" >/dev/null 2>&1 || true
hyperfine -i --warmup 3 --runs "$runs" --export-json "$work/hyperfine.json" "$@" >&2

# Peak memory and system calls, once each.
for nc in $names; do
  n=${nc#*:}
  /usr/bin/time -f "%M" -o "$work/mem-$n.txt" sh -c "$(cmd_of "$n") >/dev/null" || true
  strace -c -f -o "$work/strace-$n.txt" sh -c "$(cmd_of "$n") >/dev/null" || true
done

# Does a link-following walk ever end on this tree? slink never follows.
if timeout 30 fdfind -L -H -I -t l . "$tree" >/dev/null 2>&1; then
  fd_loop="finished within 30 s"
else
  fd_loop="did not finish within 30 s (stopped)"
fi

fstype=$(stat -f -c %T "$tree")
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
python3 - "$work" "$tree.stats.json" "$fstype" "$files" "$runs" "$load" \
  "$cpu" "$fd_loop" "$names" > "$work/section.md" <<'EOF'
import json, os, platform, re, sys, time
work, stats_path, fstype, files, runs, load, cpu, fd_loop, names = sys.argv[1:10]
res = {r["command"]: r for r in json.load(open(os.path.join(work, "hyperfine.json")))["results"]}
stats = json.load(open(stats_path))

def syscalls(n):
    total, top = 0, []
    for line in open(os.path.join(work, "strace-%s.txt" % n)):
        f = line.split()
        if len(f) >= 5 and f[-1] == "total":
            total = int(f[3])
        elif len(f) >= 5 and re.match(r"^[0-9.]+$", f[0]) and f[-1] != "syscall":
            top.append((int(f[3]), f[-1]))
    top.sort(reverse=True)
    return total, top

def mem(n):
    try:
        return int(open(os.path.join(work, "mem-%s.txt" % n)).read().split()[-1]) / 1024
    except Exception:
        return float("nan")

label = {
    "slink-names": "`slink scan --names` (2 threads)",
    "slink-names-1t": "`slink scan --names --one-thread`",
    "find-type-l": "`find ROOT -type l`",
    "fdfind": "`fdfind -H -I -t l`",
    "slink-scan": "`slink scan` (2 threads, every state)",
    "slink-scan-1t": "`slink scan --one-thread`",
    "find-xtype-l": "`find ROOT -xtype l`",
    "symlinks-r": "`symlinks -r`",
}
print("<!-- BEGIN scan -->")
print("## Finding links: `slink scan` against find, fd and symlinks")
print()
print("Generated by `bench/scan.sh` on %s: %s files, %s directories, %s symbolic links"
      " (`gen_tree.py --files %s --seed 42`), warm cache, hyperfine %s runs after 3 warm-ups."
      " Machine: %s, %d CPUs, kernel %s, filesystem %s. Load average when done: %s."
      % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), stats["files"],
         stats["dirs_incl_root"], stats.get("symlinks", "?"), files, runs, cpu or "?",
         os.cpu_count(), platform.release(), fstype, load))
print()
print("| command | mean [s] | σ [s] | min [s] | user+sys [s] | peak RSS [MiB] | system calls | most frequent |")
print("|---|---|---|---|---|---|---|---|")
for nc in names.split():
    n = nc.split(":")[1]
    r = res[n]
    total, top = syscalls(n)
    print("| %s | %.3f | %.3f | %.3f | %.3f | %.1f | %d | %s |"
          % (label[n], r["mean"], r["stddev"] or 0, r["min"], r["user"] + r["system"],
             mem(n), total, ", ".join("%s %d" % (c, k) for k, c in top[:4])))
print()

def ratio(a, b, key="mean"):
    return res[b][key] / res[a][key]

def cpu(n):
    return res[n]["user"] + res[n]["system"]

rows = [
    ("listing every link vs `find -type l`", "slink-names", "find-type-l", 2),
    ("full classification vs `find -xtype l`", "slink-scan", "find-xtype-l", 5),
    ("full classification vs `symlinks -r`", "slink-scan", "symlinks-r", 4),
]
print("| target | ratio (mean) | ratio (min) | ratio (CPU time) | one thread (mean) | target | met (mean) |")
print("|---|---|---|---|---|---|---|")
for what, a, b, want in rows:
    one = a + "-1t"
    r = ratio(a, b)
    print("| %s | %.2f× | %.2f× | %.2f× | %.2f× | ≥ %d× | %s |"
          % (what, r, ratio(a, b, "min"), cpu(b) / cpu(a), ratio(one, b), want,
             "yes" if r >= want else "no"))
print()
print("Peak memory of `slink scan`: %.1f MiB (target: under 50 MiB). "
      "A link-following walk (`fdfind -L`) %s; slink never follows a link."
      % (mem("slink-scan"), fd_loop))
print("<!-- END scan -->")
EOF
cat "$work/section.md"

if [ -z "${NO_RESULTS:-}" ]; then
  python3 "$repo/bench/record.py" "$repo/bench/RESULTS.md" "$work/section.md" scan
  echo "figures written to bench/RESULTS.md" >&2
fi
