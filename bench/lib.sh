# lib.sh - what every bench/*.sh starts with, sourced after `set -eu`:
#   bench_init NAME PROGRAM   checks PROGRAM and sets $repo, $slink (an
#                             absolute path), $shared (SLINK_SHARED or the
#                             "shared" directory beside the repository)
#   bench_need TOOL...        stops with the package list's name if a tool
#                             is missing
#   bench_work                sets $work: BENCH_DIR (kept), or a new
#                             directory under $TMPDIR removed at exit, after
#                             bench_cleanup (a function a script may define)
#   bench_tree GEN FILES [ARG...]
#                             makes $work/tree-FILES with ../shared/bench/GEN
#                             (seed 42) unless it is there; prints its path
bench_cleanup() { :; }

bench_init() {
  bench_name=$1
  repo=$(cd "$(dirname "$0")/.." && pwd)
  slink=${2:-${SLINK:-}}
  if [ -z "$slink" ] || [ ! -x "$slink" ]; then
    echo "usage: bench/$bench_name.sh SLINK_PROGRAM" >&2
    exit 2
  fi
  slink=$(cd "$(dirname "$slink")" && pwd)/$(basename "$slink")
  shared=${SLINK_SHARED:-$repo/../shared}
}

bench_need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null ||
      { echo "$bench_name.sh: $tool is needed (deps/debian-packages.txt)" >&2; exit 1; }
  done
}

bench_work() {
  made_work=
  if [ -n "${BENCH_DIR:-}" ]; then
    work=$BENCH_DIR
    mkdir -p "$work"
  else
    work=$(mktemp -d "${TMPDIR:-/tmp}/slink-bench-$bench_name.XXXXXX")
    made_work=1
  fi
  trap 'bench_cleanup; [ -z "$made_work" ] || rm -rf "$work"' EXIT
}

bench_tree() {
  gen=$shared/bench/$1
  n=$2
  shift 2
  [ -f "$gen" ] || { echo "$bench_name.sh: no generator at $gen (set SLINK_SHARED)" >&2; exit 1; }
  t=$work/tree-$n
  if [ ! -d "$t" ]; then
    echo "generating $n files in $t ..." >&2
    python3 "$gen" "$t" --files "$n" --seed 42 "$@" >/dev/null
  fi
  printf '%s\n' "$t"
}
