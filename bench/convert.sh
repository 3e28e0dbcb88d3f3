#!/bin/sh
# convert.sh - `slink convert -R` on a checkout of 1,500 symbolic links
# made by git with core.symlinks=false, against git itself writing the same
# links (`git checkout-index -u -f` with core.symlinks=true, which also
# refreshes the index). Each run starts from a fresh copy of the checkout;
# `git diff-files` and `git status` must be clean after every slink run.
# The goal: under a second, and no slower than git's own checkout.
#
# Usage: bench/convert.sh SLINK_PROGRAM
#   LINKS, RUNS   links in the repository (1500), hyperfine runs (10)
#   NO_RESULTS=1  print the figures but leave bench/RESULTS.md alone
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
slink=${1:-${SLINK:-}}
if [ -z "$slink" ] || [ ! -x "$slink" ]; then
  echo "usage: bench/convert.sh SLINK_PROGRAM" >&2
  exit 2
fi
slink=$(cd "$(dirname "$slink")" && pwd)/$(basename "$slink")
links=${LINKS:-1500}
runs=${RUNS:-10}
for tool in hyperfine git python3; do
  command -v "$tool" >/dev/null || { echo "convert.sh: $tool is needed" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/slink-bench-convert.XXXXXX")
trap 'rm -rf "$work"' EXIT

# 30 directories of files, each with links to files near and far.
git init -q "$work/src"
python3 - "$work/src" "$links" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for d in range(30):
    os.makedirs(f"{root}/d{d}/sub", exist_ok=True)
    for f in range(20):
        with open(f"{root}/d{d}/f{f}.txt", "w") as fh:
            fh.write(f"{d} {f}\n")
for i in range(n):
    d = i % 30
    target = f"f{i % 20}.txt" if i % 3 else f"../../d{(d + 1) % 30}/f{i % 20}.txt"
    where = f"{root}/d{d}" if i % 3 else f"{root}/d{d}/sub"
    os.symlink(target, f"{where}/link{i}")
PY
git -C "$work/src" add -A
git -C "$work/src" -c user.name=bench -c user.email=bench@example.org commit -qm tree
git clone -q -c core.symlinks=false "$work/src" "$work/pristine"
[ "$(find "$work/pristine" -type l | wc -l)" -eq 0 ]

check() {
  git -C "$work/co" diff-files --quiet
  [ -z "$(git -C "$work/co" status --porcelain)" ]
  [ "$(find "$work/co" -path "$work/co/.git" -prune -o -type l -print | wc -l)" -eq "$links" ]
}
# A copy has new inodes: its index is refreshed first, so that what the
# check finds is what the conversion did.
fresh() {
  rm -rf "$work/co" && cp -a "$work/pristine" "$work/co" &&
    git -C "$work/co" update-index -q --refresh
}
fresh
"$slink" convert -R -q "$work/co"
check
fresh
( cd "$work/co" && git ls-files -s | awk '$1 == 120000 {print $4}' |
  git -c core.symlinks=true checkout-index -u -f --stdin )
check

cd "$work"
hyperfine -N -w 2 -r "$runs" --export-json "$work/h.json" \
  --prepare "sh -c 'rm -rf $work/co && cp -a $work/pristine $work/co && git -C $work/co update-index -q --refresh'" \
  -n "slink convert -R" "$slink convert -R -q $work/co" \
  -n "git checkout-index" \
  "sh -c 'cd $work/co && git ls-files -s | awk \"\\\$1 == 120000 {print \\\$4}\" | git -c core.symlinks=true checkout-index -u -f --stdin'"

fs=$(stat -f -c %T "$work")
python3 - "$work/h.json" "$links" "$fs" > "$work/section.md" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
s, g = r["slink convert -R"], r["git checkout-index"]
print("<!-- BEGIN convert -->")
print(f"## slink convert: {sys.argv[2]} Git placeholders (bench/convert.sh)\n")
print("Whole-process times, hyperfine, each run on a fresh copy of a checkout made")
print("with core.symlinks=false, on " + sys.argv[3] + "; `git diff-files` and")
print("`git status` clean after every run.\n")
print("| command | mean [s] | σ [s] | min [s] |")
print("|---|---|---|---|")
for name, x in (("`slink convert -R`", s), ("`git checkout-index -u -f` (core.symlinks=true)", g)):
    print(f"| {name} | {x['mean']:.3f} | {x['stddev']:.3f} | {x['min']:.3f} |")
print(f"\nTarget: under 1 s — {'met' if s['mean'] < 1 else 'NOT met'} "
      f"({s['mean']:.3f} s); ratio to git's own checkout of the links: "
      f"{g['mean'] / s['mean']:.2f}× (above 1: slink is faster).")
print("<!-- END convert -->")
PY
cat "$work/section.md"
if [ -z "${NO_RESULTS:-}" ]; then
  python3 - "$repo/bench/RESULTS.md" "$work/section.md" <<'PY'
import sys
path, new = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
text = open(path).read()
b, e = "<!-- BEGIN convert -->", "<!-- END convert -->"
if b in text:
    text = text[:text.index(b)] + new + text[text.index(e) + len(e):]
else:
    text = text.rstrip("\n") + "\n\n" + new + "\n"
open(path, "w").write(text)
PY
  echo "figures written to bench/RESULTS.md" >&2
fi
