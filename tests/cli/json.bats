#!/usr/bin/env bats
# Every command's --json output, line by line, against docs/json.schema.json
# (tests/json/validate.py; also the jsonschema module where installed).
load helpers

SCHEMA="$SLINK_SRC/docs/json.schema.json"
VALIDATE="$SLINK_SRC/tests/json/validate.py"
# Commands with a JSON fixture below; a command slink --help lists that is
# not here fails the first test until it gets one.
FIXTURES="make show ls rm scan fix hardlinks convert clone move"

setup() {
  setup_dir
  mkdir -p tree/d
  echo hello > tree/f
  ln tree/f tree/f2
  ln -s d tree/l
  ln -s nowhere tree/dangling
  ln -s /etc tree/abs
  # names JSON must carry exactly: a newline and a byte that is not UTF-8
  touch "$(printf 'tree/new\nline')" "$(printf 'tree/bad\377')"
  ln -s "$(printf 'bad\377')" tree/to-bad
}
teardown() { teardown_dir; }

commands() {
  "$SLINK" --help | awk '/^commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}'
}

# Every command takes --json: one that does not fails here, never skips.
needs_json() {
  "$SLINK" "$1" --help | grep -qE -- '--json' ||
    { echo "slink $1 --help does not list --json"; return 1; }
}

valid() { # [DEF]: entry unless given
  run python3 "$VALIDATE" "$SCHEMA" "${1:-entry}" < out.json
  echo "$output"
  [ "$status" -eq 0 ]
}

@test "json: every command takes --json" {
  for c in $(commands); do
    needs_json "$c"
  done
}

@test "json: every command has a fixture here" {
  for c in $(commands); do
    case " $FIXTURES " in *" $c "*) ;; *) echo "no JSON fixture for 'slink $c'"; return 1 ;; esac
  done
}

@test "json: the schema is what the validator expects and catches a bad line" {
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$SCHEMA"
  printf '%s\n' '{"path":"x","kind":"banana","target":null,"resolved":null,"states":[],"nlink":1,"dev":1,"ino":1,"size":0,"mtime":0}' > out.json
  run python3 "$VALIDATE" "$SCHEMA" entry < out.json
  [ "$status" -eq 1 ]
  [[ "$output" == *"'banana' is not one of"* ]]
  # a file with a target, a link without target_kind, an unknown field
  printf '%s\n' '{"path":"x","kind":"file","target":"y","resolved":null,"states":[],"nlink":1,"dev":1,"ino":1,"size":0,"mtime":0}' > out.json
  run python3 "$VALIDATE" "$SCHEMA" entry < out.json
  [ "$status" -eq 1 ]
  printf '%s\n' '{"path":"x","kind":"symlink","target":"y","resolved":null,"states":["ok"],"nlink":1,"dev":1,"ino":1,"size":0,"mtime":0}' > out.json
  run python3 "$VALIDATE" "$SCHEMA" entry < out.json
  [ "$status" -eq 1 ]
  printf '%s\n' '{"path":"x","kind":"dir","target":null,"resolved":null,"states":[],"nlink":1,"dev":1,"ino":1,"size":0,"mtime":0,"colour":1}' > out.json
  run python3 "$VALIDATE" "$SCHEMA" entry < out.json
  [ "$status" -eq 1 ]
  : > out.json
  run python3 "$VALIDATE" "$SCHEMA" entry < out.json
  [ "$status" -eq 1 ]
  printf '%s\n' '{"path":"l","old_target":"/a/b","new_target":"b","dry_run":true}' > out.json
  run python3 "$VALIDATE" "$SCHEMA" change < out.json
  [ "$status" -eq 0 ]
  printf '%s\n' '{"path":"l","old_target":"/a/b","new_target":"b","dry_run":"yes"}' > out.json
  run python3 "$VALIDATE" "$SCHEMA" change < out.json
  [ "$status" -eq 1 ]
}

@test "json: make" {
  needs_json make
  "$SLINK" make --json tree/new-link d > out.json
  [ "$(wc -l < out.json)" -eq 1 ]
  valid
}

@test "json: show, with names no text line could carry" {
  needs_json show
  "$SLINK" show --json tree/* > out.json
  [ "$(wc -l < out.json)" -eq 9 ]
  valid
  # the exact bytes of every name come back
  python3 - <<'PY'
import json, os
got = sorted(json.loads(l)["path"].encode("utf-8", "surrogateescape") for l in open("out.json", "rb"))
want = sorted(b"tree/" + n for n in os.listdir(b"tree"))
assert got == want, (got, want)
PY
}

@test "json: ls" {
  needs_json ls
  "$SLINK" ls --json -a -R tree > out.json
  [ "$(wc -l < out.json)" -ge 9 ]
  valid
}

@test "json: rm" {
  needs_json rm
  # what was removed, as it was read before removal
  "$SLINK" rm --json tree/l tree/dangling > out.json
  [ "$(wc -l < out.json)" -eq 2 ]
  valid
  [ ! -L tree/l ]
  [ -d tree/d ]
  # the link as it was: its target and where it led
  python3 - <<'PY'
import json
lines = [json.loads(l) for l in open("out.json")]
assert [l["path"] for l in lines] == ["tree/l", "tree/dangling"], lines
assert lines[0]["kind"] == "dir-symlink" and lines[0]["target"] == "d", lines[0]
assert lines[0]["states"] == ["ok", "relative"], lines[0]
assert lines[1]["states"][0] == "dangling", lines[1]
PY
  # a refused operand prints no line, only its error
  run --separate-stderr "$SLINK" rm --json tree/d
  [ "$status" -eq 1 ]
  [ -z "$output" ]
}

@test "json: rm -n, one name of a hard-linked file" {
  "$SLINK" rm -n --json tree/f2 > out.json
  [ "$(wc -l < out.json)" -eq 1 ]
  valid
  grep -q '"nlink":2' out.json
  [ -f tree/f2 ]
}

@test "json: rm -r, one removal per entry, children first" {
  "$SLINK" rm -r --json tree/d tree/abs > out.json
  [ "$(wc -l < out.json)" -eq 2 ]
  valid removal
  mkdir -p tree/x/y && ln -s ../f tree/x/y/l
  "$SLINK" rm -r -n --json tree/x > out.json
  valid removal
  [ "$(cat out.json)" = '{"path":"tree/x/y/l","kind":"symlink","dry_run":true}
{"path":"tree/x/y","kind":"dir","dry_run":true}
{"path":"tree/x","kind":"dir","dry_run":true}' ]
  [ -L tree/x/y/l ]
  # an entry is not a removal, and a removal is not an entry
  run python3 "$VALIDATE" "$SCHEMA" entry < out.json
  [ "$status" -eq 1 ]
}

@test "json: scan" {
  needs_json scan
  run "$SLINK" scan --json tree
  [ "$status" -eq 1 ] # a dangling link is a problem
  printf '%s\n' "$output" > out.json
  [ "$(wc -l < out.json)" -eq 4 ]
  valid
}

@test "json: fix" {
  needs_json fix
  "$SLINK" fix --json -n --relative-all tree > out.json || true
  [ "$(wc -l < out.json)" -ge 1 ]
  valid change
}

@test "json: hardlinks" {
  needs_json hardlinks
  "$SLINK" hardlinks --json --in tree tree/f > out.json
  [ "$(wc -l < out.json)" -eq 2 ]
  valid
}

@test "json: clone and move" {
  needs_json clone
  needs_json move
  "$SLINK" clone --copy --json tree snap > out.json
  [ "$(wc -l < out.json)" -eq 1 ]
  valid clone
  "$SLINK" move --json snap moved > out.json
  valid clone
}

@test "json: no colour and no progress line in JSON, even when asked" {
  "$SLINK" show --json --color=always tree/l > out.json
  run ! grep -q $'\033' out.json
  valid
  "$SLINK" ls --json --color=always tree > out.json
  run ! grep -q $'\033' out.json
}

@test "json: convert, one conversion per link" {
  needs_json convert
  cp "$SLINK_SRC/tests/fixtures/cygwin/sys-relative" "$SLINK_SRC/tests/fixtures/cygwin/interix" tree/
  "$SLINK" convert --json tree/sys-relative tree/interix > out.json
  [ "$(wc -l < out.json)" -eq 2 ]
  valid conversion
  # and show names what a faked link stands for, in the entry schema
  "$SLINK" convert --to cygwin --json tree/interix > out.json
  valid conversion
  "$SLINK" show --json tree/interix > out.json
  valid
  grep -q '"kind":"cygwin-symlink","target":"/bin/sh"' out.json
  grep -q '"faked"' out.json
}
