#!/bin/sh
# dedupe.sh - `slink dedupe` against jdupes, util-linux hardlink and rdfind
# on the shared duplicate tree (gen_dupes.py --files 170000 --seed 42:
# 2.2 GB, 35,933 duplicates): finding (-n) with a warm cache and a cold
# one (caches dropped before each run, root only), the linking run on a
# fresh copy each time, peak memory from /usr/bin/time, and the files and
# bytes reclaimed compared with hardlink -c's (from the linking runs'
# copies). The figures go into this benchmark's own section of
# bench/RESULTS.md; the notes below its "notes" line there are kept.
#
# Usage: bench/dedupe.sh SLINK_PROGRAM
#   SLINK_SHARED  where the shared bench/gen_dupes.py lives (default: the
#                 "shared" directory beside the repository)
#   BENCH_DIR     where the trees go (default: a new directory under
#                 $TMPDIR, removed afterwards)
#   FILES, RUNS   tree size (170000) and warm finding runs per command (5)
#   COLD_RUNS     cold-cache finding runs per command (2; root only, 0: none)
#   LINK_RUNS     linking runs per command (1; each on a fresh synced copy)
#   NO_RESULTS=1  print the figures but leave bench/RESULTS.md alone
# The defaults take about 8 minutes on a quiet 2-core machine with the tree
# already made (the tree: 1-2 minutes more); RUNS=3 COLD_RUNS=1 about 5.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
slink=${1:-${SLINK:-}}
if [ -z "$slink" ] || [ ! -x "$slink" ]; then
  echo "usage: bench/dedupe.sh SLINK_PROGRAM" >&2
  exit 2
fi
slink=$(cd "$(dirname "$slink")" && pwd)/$(basename "$slink")
shared=${SLINK_SHARED:-$repo/../shared}
gen=$shared/bench/gen_dupes.py
files=${FILES:-170000}
runs=${RUNS:-5}
cold_runs=${COLD_RUNS:-2}
link_runs=${LINK_RUNS:-1}
[ "$(id -u)" -eq 0 ] || cold_runs=0 # dropping caches needs root
for tool in hyperfine python3 jdupes rdfind hardlink /usr/bin/time; do
  command -v "$tool" >/dev/null ||
    { echo "dedupe.sh: $tool is needed (deps/debian-packages.txt)" >&2; exit 1; }
done
[ -f "$gen" ] || { echo "dedupe.sh: no generator at $gen (set SLINK_SHARED)" >&2; exit 1; }

made_work=
if [ -n "${BENCH_DIR:-}" ]; then
  work=$BENCH_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/slink-bench-dedupe.XXXXXX")
  made_work=1
fi
cleanup() { [ -z "$made_work" ] || rm -rf "$work"; }
trap cleanup EXIT
tree=$work/tree-$files
if [ ! -d "$tree" ]; then
  echo "generating $files files in $tree ..." >&2
  python3 "$gen" "$tree" --files "$files" --seed 42 > "$work/gen.json"
fi
copy=$work/copy

# hardlink -c compares contents only; slink's equivalent ignores mode,
# owner and times (the tree's files have distinct mtimes).
slink_opts="--ignore-mode --ignore-owner --ignore-time"
find_cmd() {
  case $1 in
  slink) echo "'$slink' dedupe -n -q $slink_opts '$2'" ;;
  jdupes) echo "jdupes -r -q '$2'" ;;
  hardlink) echo "hardlink -n -c -q '$2'" ;;
  rdfind) echo "rdfind -dryrun true -outputname '$work/rdfind.txt' '$2'" ;;
  esac
}
link_cmd() {
  case $1 in
  slink) echo "'$slink' dedupe -q $slink_opts '$2'" ;;
  jdupes) echo "jdupes -r -q -L '$2'" ;;
  hardlink) echo "hardlink -c -q '$2'" ;;
  rdfind) echo "rdfind -makehardlinks true -outputname '$work/rdfind.txt' '$2'" ;;
  esac
}
tools="slink jdupes hardlink rdfind"

load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
set --
for t in $tools; do set -- "$@" -n "$t" "$(find_cmd $t "$tree") > /dev/null"; done
find "$tree" > /dev/null
find "$tree" -type f -exec cat {} + > /dev/null
hyperfine -i --warmup 1 --runs "$runs" --export-json "$work/find-warm.json" "$@" >&2

if [ "$cold_runs" -gt 0 ]; then
  hyperfine -i --runs "$cold_runs" --prepare 'sync; echo 3 > /proc/sys/vm/drop_caches' \
    --export-json "$work/find-cold.json" "$@" >&2
  find "$tree" -type f -exec cat {} + > /dev/null # warm again
fi

for t in $tools; do
  /usr/bin/time -f "%M" -o "$work/mem-$t.txt" sh -c "$(find_cmd $t "$tree") > /dev/null" || true
done

# The same files and bytes reclaimed as hardlink -c: the groups of names
# that share an inode afterwards, and the bytes each tree then holds.
part() {
  (cd "$1" && find . -type f -printf '%i %p\n') | sort | awk '
    $1 != i { if (g) print g; g = $2; i = $1; next } { g = g " " $2 }
    END { if (g) print g }' | sort
}
held() { find "$1" -type f -printf '%i %s\n' | sort -u | awk '{s += $2} END {print s + 0}'; }
held "$tree" > "$work/held-orig.txt"

# Linking, each run on a fresh copy whose 2 GB of dirty pages are written
# back (sync) and read into the cache before the run, for every tool
# alike; timed with /usr/bin/time (wall, user, sys). The copy a run leaves
# gives what it reclaimed.
for i in $(seq "$link_runs"); do
  for t in $tools; do
    rm -rf "$copy" && cp -a "$tree" "$copy" && sync
    find "$copy" -type f -exec cat {} + > /dev/null
    /usr/bin/time -f "%e %U %S" -o "$work/link-$t-$i.txt" \
      sh -c "$(link_cmd $t "$copy") > /dev/null" || true
    echo "link $t run $i: $(cat "$work/link-$t-$i.txt")" >&2
    if [ "$i" -eq 1 ] && { [ "$t" = slink ] || [ "$t" = hardlink ]; }; then
      part "$copy" > "$work/part-$t.txt"
      held "$copy" > "$work/held-$t.txt"
    fi
  done
done
rm -rf "$copy"
if cmp -s "$work/part-slink.txt" "$work/part-hardlink.txt" &&
   cmp -s "$work/held-slink.txt" "$work/held-hardlink.txt"; then
  same="yes: the same groups of names and the same bytes held afterwards"
else
  same="NO: the groups or the bytes differ"
fi

load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
fstype=$(stat -f -c %T "$tree")
python3 - "$work" "$files" "$runs" "$cold_runs" "$link_runs" "$load_start" "$load" "$cpu" "$fstype" "$same" "$repo/bench/RESULTS.md" > "$work/section.md" <<'EOF'
import json, os, platform, sys, time
work, files, runs, cold_runs, link_runs, load_start, load, cpu_name, fstype, same, results = sys.argv[1:12]
cold_runs = int(cold_runs)

def load_json(name):
    p = os.path.join(work, name)
    if not os.path.exists(p):
        return None
    return {r["command"]: r for r in json.load(open(p))["results"]}

warm, cold = load_json("find-warm.json"), load_json("find-cold.json")

def link_results():
    """The linking runs as hyperfine would give them: median, mean, sd
    of the wall time, mean user and system time."""
    import statistics
    res = {}
    for t in ["slink", "jdupes", "hardlink", "rdfind"]:
        rows = []
        i = 1
        while os.path.exists(os.path.join(work, "link-%s-%d.txt" % (t, i))):
            f = open(os.path.join(work, "link-%s-%d.txt" % (t, i))).read().split()
            rows.append([float(x) for x in f[-3:]])
            i += 1
        if not rows:
            return None
        w = [r[0] for r in rows]
        res[t] = {"median": statistics.median(w), "mean": statistics.mean(w),
                  "stddev": statistics.stdev(w) if len(w) > 1 else 0,
                  "user": statistics.mean(r[1] for r in rows),
                  "system": statistics.mean(r[2] for r in rows)}
    return res
link = link_results()
gen = json.load(open(os.path.join(work, "gen.json"))) if os.path.exists(os.path.join(work, "gen.json")) else {}

def mem(t):
    try:
        return int(open(os.path.join(work, "mem-%s.txt" % t)).read().split()[-1]) / 1024
    except Exception:
        return float("nan")

held = {k: int(open(os.path.join(work, "held-%s.txt" % k)).read()) for k in ("orig", "slink", "hardlink")}
tools = ["slink", "jdupes", "hardlink", "rdfind"]
label = {"slink": "`slink dedupe`", "jdupes": "`jdupes -r` / `-L`",
         "hardlink": "`hardlink -c`", "rdfind": "`rdfind`"}
print("<!-- BEGIN dedupe -->")
print("## Deduplicating: `slink dedupe` against jdupes, hardlink and rdfind")
print()
print("Generated by `bench/dedupe.sh` on %s: `gen_dupes.py --files %s --seed 42` (%s), "
      "side by side in one run, hyperfine %s runs warm, %s cold (caches dropped before each), "
      "linking %s (each on a fresh synced copy, /usr/bin/time). "
      "Machine: %s, %d CPUs, kernel %s, filesystem %s. "
      "Load average at the start: %s, when done: %s. Whole-process times."
      % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), files,
         ", ".join("%s %s" % (k, v) for k, v in gen.items()), runs, cold_runs or "no", link_runs, cpu_name or "?",
         os.cpu_count(), platform.release(), fstype, load_start, load))
print()
def cpu(res, t):
    return res[t].get("user", 0) + res[t].get("system", 0) if res else float("nan")

print("Median wall time [s] (mean ± sd in brackets), and user+sys CPU time [s], the figure a "
      "loaded machine disturbs least.")
print()
print("| tool | find, warm | find CPU | find, cold | link, warm | link CPU | peak RSS finding [MiB] |")
print("|---|---|---|---|---|---|---|")
nan = float("nan")
for t in tools:
    w = "%.2f (%.2f ± %.2f)" % (warm[t]["median"], warm[t]["mean"], warm[t]["stddev"] or 0) if warm else "-"
    c = "%.2f (CPU %.2f)" % (cold[t]["median"], cpu(cold, t)) if cold else "- (not run: root only)"
    l = "%.2f (%.2f ± %.2f)" % (link[t]["median"], link[t]["mean"], link[t]["stddev"] or 0) if link else "-"
    lc = "%.2f" % cpu(link, t) if link else "-"
    print("| %s | %s | %.2f | %s | %s | %s | %.1f |" % (label[t], w, cpu(warm, t), c, l, lc, mem(t)))
print()
rows = [("finding vs `jdupes -r`", warm, "jdupes", 3), ("finding vs `hardlink -n -c`", warm, "hardlink", 4),
        ("finding vs `rdfind -dryrun true`", warm, "rdfind", 5),
        ("linking vs `jdupes -L`", link, "jdupes", None),
        ("linking vs `hardlink -c`", link, "hardlink", 1), ("linking vs `rdfind -makehardlinks`", link, "rdfind", 1)]
print("| target | wall ratio (medians) | CPU ratio | wanted | met (wall) |")
print("|---|---|---|---|---|")
for what, res, peer, want in rows:
    if not res:
        continue
    r = res[peer]["median"] / res["slink"]["median"]
    rc = cpu(res, peer) / cpu(res, "slink")
    print("| %s | %.2f× | %.2f× | %s | %s |" % (what, r, rc, "> %s×" % want if want else "(no goal)",
                                              ("yes" if r >= want else "**no**") if want else "-"))
if cold:
    fastest = min(cold[t]["median"] for t in tools if t != "slink")
    r = fastest / cold["slink"]["median"]
    fastest_cpu = min(cpu(cold, t) for t in tools if t != "slink")
    print("| finding, cold cache, vs the fastest peer | %.2f× | %.2f× | ≥ 1× | %s |"
          % (r, fastest_cpu / cpu(cold, "slink"), "yes" if r >= 1 else "**no**"))
print("| peak memory vs jdupes | %.1f vs %.1f MiB | | below | %s |"
      % (mem("slink"), mem("jdupes"), "yes" if mem("slink") < mem("jdupes") else "no"))
print()
print("Reclaimed: slink leaves %d bytes held, hardlink -c %d (of %d); same as hardlink -c: %s."
      % (held["slink"], held["hardlink"], held["orig"], same))
# What was written by hand below the notes line stays.
notes = "<!-- notes (kept by bench/dedupe.sh) -->"
old = open(results).read() if os.path.exists(results) else ""
old = old.split("<!-- BEGIN dedupe -->", 1)[-1].split("<!-- END dedupe -->", 1)[0]
print()
print(notes)
if notes in old:
    print(old.split(notes, 1)[1].strip("\n"))
print("<!-- END dedupe -->")
EOF
cat "$work/section.md"

if [ -z "${NO_RESULTS:-}" ]; then
  python3 "$repo/bench/record.py" "$repo/bench/RESULTS.md" "$work/section.md" dedupe
  echo "figures written to bench/RESULTS.md" >&2
fi
