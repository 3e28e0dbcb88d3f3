#!/bin/sh
# convert.sh - `slink convert -R` on a checkout of 1,500 symbolic links
# made by git with core.symlinks=false, against git itself writing the same
# links (`git checkout-index -u -f` with core.symlinks=true, which also
# refreshes the index). Each run starts from a fresh copy of the checkout;
# `git diff-files` and `git status` must be clean after every slink run.
# The goal: under a second, and no slower than git's own checkout.
#
# Usage: bench/convert.sh SLINK_PROGRAM [SLINK_WITHOUT_LIBGIT2]
#   the second program, when given, is a build with -Dlibgit2=disabled
#   (git's plumbing as a subprocess), timed side by side
#   LINKS, RUNS   links in the repository (1500), hyperfine runs (10)
#   NO_RESULTS=1  print the figures but leave bench/RESULTS.md alone
#
# A fresh copy is made for each run and the last one is renamed away, not
# removed: on an ext4 without a journal, making an inode skips every inode
# freed in the last minute (ext4's recently_deleted()), so removing the
# previous copy right before a run would time the filesystem's allocator,
# for slink and git alike.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
slink=${1:-${SLINK:-}}
if [ -z "$slink" ] || [ ! -x "$slink" ]; then
  echo "usage: bench/convert.sh SLINK_PROGRAM" >&2
  exit 2
fi
slink=$(cd "$(dirname "$slink")" && pwd)/$(basename "$slink")
plain=${2:-}
[ -z "$plain" ] || plain=$(cd "$(dirname "$plain")" && pwd)/$(basename "$plain")
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
mkdir "$work/old"
fresh() {
  if [ -e "$work/co" ]; then mv "$work/co" "$(mktemp -d "$work/old/XXXXXX")"; fi
  cp -a "$work/pristine" "$work/co" && git -C "$work/co" update-index -q --refresh
}
fresh
"$slink" convert -R -q "$work/co"
check
if [ -n "$plain" ]; then
  fresh
  "$plain" convert -R -q "$work/co"
  check
fi
fresh
( cd "$work/co" && git ls-files -s | awk '$1 == 120000 {print $4}' |
  git -c core.symlinks=true checkout-index -u -f --stdin )
check

cd "$work"
prep="sh -c 'mv $work/co \$(mktemp -d $work/old/XXXXXX) && cp -a $work/pristine $work/co && git -C $work/co update-index -q --refresh'"
set -- -n "slink convert -R" "$slink convert -R -q $work/co" \
  -n "git checkout-index" \
  "sh -c 'cd $work/co && git ls-files -s | awk \"\\\$1 == 120000 {print \\\$4}\" | git -c core.symlinks=true checkout-index -u -f --stdin'"
[ -z "$plain" ] || set -- "$@" -n "slink convert -R (git plumbing)" "$plain convert -R -q $work/co"
hyperfine -N -w 2 -r "$runs" --export-json "$work/h.json" --prepare "$prep" "$@"

fs=$(findmnt -n -o FSTYPE -T "$work" 2>/dev/null || stat -f -c %T "$work")
python3 - "$work/h.json" "$links" "$fs" > "$work/section.md" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
s, g = r["slink convert -R"], r["git checkout-index"]
p = r.get("slink convert -R (git plumbing)")
print("<!-- BEGIN convert -->")
print(f"## slink convert: {sys.argv[2]} Git placeholders (bench/convert.sh)\n")
print("Whole-process times, hyperfine, each run on a fresh copy of a checkout made")
print("with core.symlinks=false, on " + sys.argv[3] + "; `git diff-files` and")
print("`git status` clean after every run. The machine is shared: the medians")
print("and the side-by-side ratios are the figures, not the seconds.\n")
print("| command | median [s] | mean [s] | σ [s] | min [s] | user+sys [s] |")
print("|---|---|---|---|---|---|")
rows = [("`slink convert -R` (libgit2)", s),
        ("`git checkout-index -u -f` (core.symlinks=true)", g)]
if p:
    rows.append(("`slink convert -R` (-Dlibgit2=disabled: git plumbing)", p))
for name, x in rows:
    print(f"| {name} | {x['median']:.3f} | {x['mean']:.3f} | {x['stddev']:.3f} "
          f"| {x['min']:.3f} | {x['user'] + x['system']:.3f} |")
print(f"\nTarget: under 1 s — {'met' if s['median'] < 1 else 'NOT met'} "
      f"(median {s['median']:.3f} s); git's checkout of the links / slink: "
      f"{g['median'] / s['median']:.2f}× (above 1: slink is faster)" +
      (f"; the git-plumbing build / the libgit2 one: "
       f"{p['median'] / s['median']:.2f}×." if p else "."))
print("<!-- END convert -->")
PY
cat "$work/section.md"
if [ -z "${NO_RESULTS:-}" ]; then
  python3 "$repo/bench/record.py" "$repo/bench/RESULTS.md" "$work/section.md" convert
  echo "figures written to bench/RESULTS.md" >&2
fi
