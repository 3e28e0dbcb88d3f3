#!/bin/sh
# dedupe.sh - `slink dedupe` against jdupes, util-linux hardlink and rdfind
# on the shared duplicate tree (gen_dupes.py --files 170000 --seed 42:
# 2.2 GB, 35,933 duplicates): finding (-n) with a warm cache and a cold
# one (caches dropped before each run, root only), the linking run on a
# fresh copy each time, peak memory from /usr/bin/time, and the files and
# bytes reclaimed compared with hardlink -c's. The figures go into this
# benchmark's own section of bench/RESULTS.md.
#
# Usage: bench/dedupe.sh SLINK_PROGRAM
#   SLINK_SHARED  where the shared bench/gen_dupes.py lives (default: the
#                 "shared" directory beside the repository)
#   BENCH_DIR     where the trees go (default: a new directory under
#                 $TMPDIR, removed afterwards)
#   FILES, RUNS   tree size (170000) and hyperfine runs per command (5)
#   LINK_RUNS     linking runs per command (3; each on a fresh copy)
#   NO_RESULTS=1  print the figures but leave bench/RESULTS.md alone
#   COLD=0        skip the cold-cache runs; SAME=0 skip the comparison of
#                 what was reclaimed with hardlink -c's (two more copies)
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
link_runs=${LINK_RUNS:-3}
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

if [ "$(id -u)" -eq 0 ] && [ "${COLD:-1}" != 0 ]; then
  hyperfine -i --runs 3 --prepare 'sync; echo 3 > /proc/sys/vm/drop_caches' \
    --export-json "$work/find-cold.json" "$@" >&2
fi

set --
for t in $tools; do
  set -- "$@" -n "$t" "$(link_cmd $t "$copy") > /dev/null"
done
# sync: the copy's 2 GB of dirty pages are written back before the run,
# not during whichever command happens to follow the copy.
hyperfine -i --runs "$link_runs" --prepare "rm -rf '$copy' && cp -a '$tree' '$copy' && sync && find '$copy' -type f -exec cat {} + > /dev/null" \
  --export-json "$work/link.json" "$@" >&2

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
if [ "${SAME:-1}" != 0 ]; then
rm -rf "$copy"; cp -a "$tree" "$copy"
sh -c "$(link_cmd slink "$copy")" > /dev/null || true
part "$copy" > "$work/part-slink.txt"; held "$copy" > "$work/held-slink.txt"
rm -rf "$copy"; cp -a "$tree" "$copy"
sh -c "$(link_cmd hardlink "$copy")" > /dev/null || true
part "$copy" > "$work/part-hardlink.txt"; held "$copy" > "$work/held-hardlink.txt"
held "$tree" > "$work/held-orig.txt"
rm -rf "$copy"
if cmp -s "$work/part-slink.txt" "$work/part-hardlink.txt" &&
   cmp -s "$work/held-slink.txt" "$work/held-hardlink.txt"; then
  same="yes: the same groups of names and the same bytes held afterwards"
else
  same="NO: the groups or the bytes differ"
fi
else
  held "$tree" > "$work/held-orig.txt"
  cp "$work/held-orig.txt" "$work/held-slink.txt"
  cp "$work/held-orig.txt" "$work/held-hardlink.txt"
  same="not checked in this run (SAME=0)"
fi

load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
fstype=$(stat -f -c %T "$tree")
python3 - "$work" "$files" "$runs" "$link_runs" "$load_start" "$load" "$cpu" "$fstype" "$same" > "$work/section.md" <<'EOF'
import json, os, platform, sys, time
work, files, runs, link_runs, load_start, load, cpu_name, fstype, same = sys.argv[1:10]

def load_json(name):
    p = os.path.join(work, name)
    if not os.path.exists(p):
        return None
    return {r["command"]: r for r in json.load(open(p))["results"]}

warm, cold, link = load_json("find-warm.json"), load_json("find-cold.json"), load_json("link.json")
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
      "side by side in one run, hyperfine %s runs (linking %s, each on a fresh synced copy). "
      "Machine: %s, %d CPUs, kernel %s, filesystem %s. "
      "Load average at the start: %s, when done: %s. Whole-process times."
      % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), files,
         ", ".join("%s %s" % (k, v) for k, v in gen.items()), runs, link_runs, cpu_name or "?",
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
    c = "%.2f" % cold[t]["median"] if cold else "-"
    l = "%.2f (%.2f ± %.2f)" % (link[t]["median"], link[t]["mean"], link[t]["stddev"] or 0) if link else "-"
    print("| %s | %s | %.2f | %s | %s | %.2f | %.1f |" % (label[t], w, cpu(warm, t), c, l, cpu(link, t), mem(t)))
print()
rows = [("finding vs `jdupes -r`", warm, "jdupes", 3), ("finding vs `hardlink -n -c`", warm, "hardlink", 4),
        ("finding vs `rdfind -dryrun true`", warm, "rdfind", 5),
        ("linking vs `jdupes -L`", link, "jdupes", None),
        ("linking vs `hardlink -c`", link, "hardlink", 1), ("linking vs `rdfind -makehardlinks`", link, "rdfind", 1)]
print("| target | wall ratio (medians) | CPU ratio | wanted | met (wall) |")
print("|---|---|---|---|---|")
for what, res, peer, want in rows:
    r = res[peer]["median"] / res["slink"]["median"]
    rc = cpu(res, peer) / cpu(res, "slink")
    print("| %s | %.2f× | %.2f× | %s | %s |" % (what, r, rc, "> %s×" % want if want else "(no goal)",
                                              ("yes" if r >= want else "**no**") if want else "-"))
if cold:
    fastest = min(cold[t]["median"] for t in tools if t != "slink")
    r = fastest / cold["slink"]["median"]
    print("| finding, cold cache, vs the fastest peer | %.2f× | ≥ 1× | %s |" % (r, "yes" if r >= 1 else "no"))
print("| peak memory vs jdupes | %.1f vs %.1f MiB | | below | %s |"
      % (mem("slink"), mem("jdupes"), "yes" if mem("slink") < mem("jdupes") else "no"))
print()
if same.startswith("not checked"):
    print("Reclaimed: %s." % same)
else:
    print("Reclaimed: slink leaves %d bytes held, hardlink -c %d (of %d); same as hardlink -c: %s."
          % (held["slink"], held["hardlink"], held["orig"], same))
print("<!-- END dedupe -->")
EOF
cat "$work/section.md"

if [ -z "${NO_RESULTS:-}" ]; then
  python3 "$repo/bench/record.py" "$repo/bench/RESULTS.md" "$work/section.md" dedupe
  echo "figures written to bench/RESULTS.md" >&2
fi
