#!/usr/bin/env bats
# slink rm: links go, what they point to stays.
load helpers

setup() { setup_dir; make_original; }
teardown() { teardown_dir; }

@test "rm: removes a symlink, the target is intact" {
  ln -s original l
  run "$SLINK" rm l
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  [ ! -L l ]
  [ "$(cat original/text.txt)" = hello ]
}

@test "rm: link/ with a trailing slash removes the link, not the contents" {
  ln -s original l
  run "$SLINK" rm l/
  [ "$status" -eq 0 ]
  [ ! -L l ]
  [ "$(cat original/text.txt)" = hello ]
}

@test "rm: a directory is refused" {
  before=$(snapshot)
  run "$SLINK" rm original
  [ "$status" -eq 1 ]
  [ "$output" = "slink: rm: original: is a directory, not a link" ]
  [ "$(snapshot)" = "$before" ]
}

@test "rm: a file with one name is refused" {
  before=$(snapshot)
  run "$SLINK" rm original/text.txt
  [ "$status" -eq 1 ]
  [ "$output" = "slink: rm: original/text.txt: is not a link; nothing removed" ]
  [ "$(snapshot)" = "$before" ]
}

@test "rm: one name of a hard-linked file, with the count left" {
  ln original/text.txt h1
  ln original/text.txt h2
  run "$SLINK" rm h1
  [ "$status" -eq 0 ]
  [ "$output" = "removed h1: one name of a hard-linked file; 2 names remain" ]
  run "$SLINK" rm h2
  [ "$output" = "removed h2: one name of a hard-linked file; 1 name remains" ]
  [ "$(cat original/text.txt)" = hello ]
}

@test "rm: -n removes nothing, -v says what went" {
  ln -s original/text.txt l
  run "$SLINK" rm -n l
  [ "$status" -eq 0 ]
  [ "$output" = "would remove symlink l" ]
  [ -L l ]
  run "$SLINK" rm -v l
  [ "$output" = "removed symlink l" ]
  [ ! -L l ]
}

@test "rm: dangling and looping links are removed too" {
  ln -s nowhere d
  ln -s self self
  run "$SLINK" rm d self
  [ "$status" -eq 0 ]
  [ ! -L d ]
  [ ! -L self ]
}

@test "rm: each operand on its own; the status accumulates" {
  ln -s original l
  run --separate-stderr "$SLINK" rm missing l original
  [ "$status" -eq 1 ]
  [ "${#stderr_lines[@]}" -eq 2 ]
  [ "${stderr_lines[0]}" = "slink: rm: missing: no such file or directory" ]
  [ "${stderr_lines[1]}" = "slink: rm: original: is a directory, not a link" ]
  [ ! -L l ]
}

@test "rm: no operand is a usage error" {
  run "$SLINK" rm
  [ "$status" -eq 2 ]
}

@test "rm: -0 prints each path removed, ended by a NUL; -n -0 lists only" {
  ln -s original a
  ln -s gone "$(printf 'new\nline')"
  "$SLINK" rm -n -0 a "$(printf 'new\nline')" > out
  [ "$(tr '\0' '|' < out)" = "$(printf 'a|new\nline|')" ]
  [ -L a ]
  [ -L "$(printf 'new\nline')" ]
  "$SLINK" rm --null a "$(printf 'new\nline')" > out
  [ "$(tr '\0' '|' < out)" = "$(printf 'a|new\nline|')" ]
  [ ! -L a ]
  [ ! -L "$(printf 'new\nline')" ]
  [ -d original ]
  run "$SLINK" rm --json -0 a
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: rm: --json and --null exclude each other" ]
}

@test "rm: -q prints nothing, errors and status stay" {
  ln -s original a
  touch single
  echo x > f && ln f f2
  run --separate-stderr "$SLINK" rm -q -v a f2 single
  [ "$status" -eq 1 ]
  [ -z "$output" ]
  [[ "$stderr" == *"slink: rm: single:"* ]]
  [ ! -L a ]
  [ ! -e f2 ]
  [ -f single ]
}

# One tree of every kind of entry, made twice: rm -n on one copy must
# answer, entry for entry, as the real rm does on the other.
@test "rm: -n answers as the real run, entry for entry" {
  for t in a b c d; do
    mkdir -p "$t/dir" "$t/ro" "$t/sticky"
    ln -s ../original "$t/link"
    ln -s missing "$t/dangling"
    ln -s loop "$t/loop"
    echo x > "$t/single"
    echo x > "$t/multi" && ln "$t/multi" "$t/multi2"
    ln -s ../../original "$t/ro/link"
    ln -s ../../original "$t/sticky/link"
    chmod 555 "$t/ro"
    chmod 1777 "$t/sticky"
  done
  for e in link dangling loop single multi dir ro/link sticky/link missing dir/; do
    run "$SLINK" rm -n "a/$e"
    dry_status=$status dry_out=${output#*a/}
    run "$SLINK" rm "b/$e"
    [ "$status" -eq "$dry_status" ] || { echo "$e: rm $status, rm -n $dry_status"; false; }
    if [ "$status" -ne 0 ]; then
      [ "${output#*b/}" = "$dry_out" ] || { echo "$e: '$output' vs '$dry_out'"; false; }
    fi
  done
  # Nothing of the dry run's copy went.
  [ -L a/link ]
  [ -L a/ro/link ]
  [ -f a/multi ]
  # As an unprivileged user: the read-only directory and the sticky bit.
  if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    nobody_slink
    for e in ro/link sticky/link; do
      run as_nobody "$NB/slink" rm -n "c/$e"
      dry_status=$status dry_out=${output#*c/}
      run as_nobody "$NB/slink" rm "d/$e"
      [ "$status" -eq "$dry_status" ] || { echo "$e as nobody: rm $status, rm -n $dry_status"; false; }
      [ "$status" -eq 1 ]
      [ "${output#*d/}" = "$dry_out" ] || { echo "$e as nobody: $output vs $dry_out"; false; }
    done
  fi
}
