#!/bin/sh
# run.sh [SECONDS] - build the libFuzzer targets with clang and run each
# for SECONDS (default 60), both at once. New inputs are kept in the build
# directory (FUZZ_BUILD, default build-fuzz); a crash leaves the input there
# as <target>-crash-* and makes the script fail.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
out=${FUZZ_BUILD:-$src/build-fuzz}
cc=${FUZZ_CC:-clang}
targets="decode roundtrip"
mkdir -p "$out"
for t in $targets; do
  "$cc" -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=all -I"$src/include" -I"$src/src" \
    -I"$src/tests/fuzz" "$src/tests/fuzz/fuzz_$t.c" "$src/src/lib/utf16.c" \
    "$src/src/lib/reparse.c" "$src/src/lib/error.c" -o "$out/fuzz-$t"
done
for t in $targets; do
  mkdir -p "$out/corpus-$t"
  "$out/fuzz-$t" -max_total_time="$secs" -max_len=17000 \
    -dict="$src/tests/fuzz/reparse.dict" -print_final_stats=1 \
    -artifact_prefix="$out/$t-" "$out/corpus-$t" \
    "$src/tests/fuzz/corpus/$t" >"$out/fuzz-$t.log" 2>&1 &
  pids="${pids:-} $!"
done
status=0
for p in $pids; do
  wait "$p" || status=1
done
for t in $targets; do
  echo "== $t: $(grep -E '^(Done|stat::number_of_executed_units)' "$out/fuzz-$t.log" | tr '\n' ' ')"
  if ls "$out/$t-"crash-* "$out/$t-"leak-* "$out/$t-"timeout-* >/dev/null 2>&1; then
    echo "   FINDING: $(ls "$out/$t-"crash-* "$out/$t-"leak-* "$out/$t-"timeout-* 2>/dev/null)"
    status=1
  fi
done
exit $status
