#!/usr/bin/env bats
# slink show: what a path is, in words and in JSON.
load helpers

setup() { setup_dir; make_original; }
teardown() { teardown_dir; }

json_field() { # json_field FIELD  (reads one object from stdin)
  python3 -c 'import json,sys; v=json.loads(sys.stdin.read())[sys.argv[1]]; print(json.dumps(v))' "$1"
}

@test "show: a directory symlink in words" {
  ln -s original l
  run "$SLINK" show l
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "l" ]
  [ "${lines[1]}" = "  kind:      dir-symlink" ]
  [ "${lines[2]}" = "  target:    original" ]
  [ "${lines[3]}" = "  resolved:  $T/original (dir)" ]
  [ "${lines[4]}" = "  states:    ok, relative" ]
  [ "${lines[5]}" = "  names:     1" ]
  [ "${lines[7]}" = "  inode:     $(stat -c %i l)" ]
}

@test "show: a trailing slash shows the link, not its target" {
  ln -s original l
  run "$SLINK" show l/
  [ "$status" -eq 0 ]
  [ "${lines[1]}" = "  kind:      dir-symlink" ]
}

@test "show: dangling and looping links" {
  ln -s nowhere d
  ln -s b a
  ln -s a b
  run "$SLINK" show d a
  [ "$status" -eq 0 ]
  echo "$output" | grep -qx "  states:    dangling, relative"
  echo "$output" | grep -qx "  states:    loop, relative"
  echo "$output" | grep -qx "  resolved:  $T/nowhere (none)"
}

@test "show: a link whose target cannot be reached is denied" {
  nobody_slink
  mkdir -m 700 private
  echo secret > private/f
  ln -s "$T/private/f" l
  run as_nobody "$NB/slink" show --json l
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | json_field states)" = '["denied", "absolute"]' ]
}

@test "show: --json has every field, one line per path" {
  ln -s original l
  ln original/text.txt h
  run "$SLINK" show --json l h original
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 3 ]
  [ "$(echo "${lines[0]}" | json_field kind)" = '"dir-symlink"' ]
  [ "$(echo "${lines[0]}" | json_field target)" = '"original"' ]
  [ "$(echo "${lines[0]}" | json_field resolved)" = "\"$T/original\"" ]
  [ "$(echo "${lines[0]}" | json_field ino)" = "$(stat -c %i l)" ]
  [ "$(echo "${lines[0]}" | json_field dev)" = "$(stat -c %d l)" ]
  [ "$(echo "${lines[1]}" | json_field kind)" = '"file"' ]
  [ "$(echo "${lines[1]}" | json_field nlink)" = 2 ]
  [ "$(echo "${lines[1]}" | json_field target)" = "null" ]
  [ "$(echo "${lines[2]}" | json_field kind)" = '"dir"' ]
}

@test "show: the stored target keeps its exact bytes in JSON" {
  ln -s $'bad\xffname\nx' l
  run "$SLINK" show --json l
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 1 ]
  got=$(echo "$output" | python3 -c '
import json, sys
t = json.loads(sys.stdin.read())["target"]
sys.stdout.buffer.write(t.encode("utf-8", "surrogateescape"))' | od -An -tx1 | tr -d ' \n')
  [ "$got" = "$(printf 'bad\xffname\nx' | od -An -tx1 | tr -d ' \n')" ]
}

@test "show: a missing path is an error; the others are still shown" {
  run --separate-stderr "$SLINK" show missing original
  [ "$status" -eq 1 ]
  [ "$stderr" = "slink: show: missing: no such file or directory" ]
  [ "${lines[0]}" = "original" ]
}

@test "show: no operand is a usage error" {
  run "$SLINK" show
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: show: expected at least one PATH" ]
}

@test "show: a chain of 46 links is too-long where the kernel stops, a cycle is a loop" {
  touch file
  for i in $(seq 1 46); do
    if [ "$i" -eq 46 ]; then ln -s file c46; else ln -s "c$((i + 1))" "c$i"; fi
  done
  ln -s ring-b ring-a
  ln -s ring-a ring-b
  for i in $(seq 1 46); do
    run "$SLINK" show "c$i"
    [ "$status" -eq 0 ]
    # The kernel follows at most 40 links in one lookup: slink agrees.
    if stat -L "c$i" >/dev/null 2>&1; then want="ok, relative"; else want="relative, too-long"; fi
    got=$(printf '%s\n' "$output" | grep '^  states:')
    [ "$got" = "  states:    $want" ] || { echo "c$i: $got (kernel: $want)"; false; }
  done
  run "$SLINK" show c6
  [ "${lines[3]}" = "  states:    relative, too-long" ]
  run "$SLINK" show c7
  [ "${lines[4]}" = "  states:    ok, relative" ]
  run "$SLINK" show --json c1
  [[ "$output" == *'"states":["relative","too-long"]'* ]] || false
  run "$SLINK" show ring-a
  [ "${lines[3]}" = "  states:    loop, relative" ]
  run "$SLINK" scan .
  printf '%s\n' "$output" | grep -qx 'c1 -> c2  \[symlink\] relative,too-long'
  printf '%s\n' "$output" | grep -qx 'c7 -> c8  \[symlink\] ok,relative'
  printf '%s\n' "$output" | grep -qx 'ring-a -> ring-b  \[symlink\] loop,relative'
}

# The trees of the scan tests, every link shown and scanned: one engine
# gives the same states (scan alone can say "escapes": it has a root).
@test "show and scan give every link of the scan test trees the same states" {
  make_state_tree
  cd tree
  ln -s ../tree/./file odd
  ln -s file/x not-a-dir
  ln -s grow/x grow
  ln -s ../sub/../file sub/dotdot
  ln -s /dev/null devnull
  ln -s / root
  touch real/f46
  for i in $(seq 1 45); do ln -s "ch$((i + 1))" "real/ch$i"; done
  ln -s f46 real/ch46
  mkdir -p "$T/tree/mnt"
  if mount -t tmpfs none "$T/tree/mnt" 2>/dev/null; then
    touch mnt/x
    ln -s ../mnt/x sub/cross
  fi
  cd "$T"
  run "$SLINK" scan --json tree
  [ "${#lines[@]}" -gt 60 ]
  printf '%s\n' "${lines[@]}" > scan.jsonl
  python3 - "$SLINK" <<'PY'
import json, subprocess, sys
slink = sys.argv[1]
bad = 0
n = 0
for line in open("scan.jsonl"):
    o = json.loads(line)
    if "path" not in o or "states" not in o:
        continue
    n += 1
    s = json.loads(subprocess.run([slink, "show", "--json", o["path"]],
                                  capture_output=True, text=True).stdout)
    want = [x for x in o["states"] if x != "escapes"]
    for f in ("kind", "target_kind", "resolved"):
        if o.get(f) != s.get(f):
            print(o["path"], f, o.get(f), "!=", s.get(f)); bad += 1
    if s["states"] != want:
        print(o["path"], "scan:", want, "show:", s["states"]); bad += 1
print(n, "links compared")
sys.exit(1 if bad or n < 60 else 0)
PY
}
