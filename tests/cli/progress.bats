#!/usr/bin/env bats
# The progress line of long work: on standard error when it is a terminal
# (script(1) gives the program one), never in a pipe, under --json or
# --quiet, and gone from the screen when the work is done.
# SLINK_PROGRESS_DELAY=0 shows it at once instead of after a second.
load helpers

setup() {
  setup_dir
  command -v script >/dev/null || skip "script (util-linux) is not installed"
  mkdir -p tree
  # 300 links in one process: a loop of ln(1) costs seconds per test
  if command -v python3 >/dev/null; then
    python3 -c 'import os
for i in range(1, 301): os.symlink("t%d" % i, "tree/l%d" % i)'
  else
    for i in $(seq 1 300); do ln -s "t$i" "tree/l$i"; done
  fi
}
teardown() { teardown_dir; }

# Run the words on a terminal; the bytes it showed go to $1.
on_tty() {
  local log=$1; shift
  SLINK_PROGRESS_DELAY=0 script -qec "$*" /dev/null > "$log" 2>&1 < /dev/null
}

@test "progress: scan shows a line on a terminal and clears it" {
  on_tty shown "$SLINK scan --one-thread tree > /dev/null" || true
  grep -qa $'\r\033\[Kscan: [0-9]* links, tree/l' shown
  # the last thing written is the line's erasure
  [ "$(tail -c 4 shown | od -An -c | tr -d ' ')" = '\r033[K' ]
}

@test "progress: nothing in a pipe, under --json or with --quiet" {
  SLINK_PROGRESS_DELAY=0 "$SLINK" scan tree > out 2> err || true
  [ ! -s err ]
  on_tty json "$SLINK scan --json tree > /dev/null" || true
  run ! grep -qa 'links, ' json
  on_tty quiet "$SLINK scan -q tree" || true
  run ! grep -qa 'links, ' quiet
}

@test "progress: after the default second only" {
  script -qec "$SLINK scan tree > /dev/null" /dev/null > quick 2>&1 < /dev/null || true
  run ! grep -qa 'links, ' quick
}

@test "progress: scan -0 shows none; the NUL output is untouched" {
  on_tty null "$SLINK scan -0 tree > out" || true
  run ! grep -qa 'links, ' null
  [ "$(tr -cd '\0' < out | wc -c)" -eq 300 ]
}

@test "progress: rm -r counts what it removed, and clears the line" {
  on_tty shown "$SLINK rm -r tree" || true
  grep -qa $'\r\033\[Krm: [0-9]* removed, tree' shown
  [ "$(tail -c 4 shown | od -An -c | tr -d ' ')" = '\r033[K' ]
  [ ! -e tree ]
}

@test "progress: rm -r -v prints every line whole, the progress cleared before" {
  on_tty shown "$SLINK rm -r -v tree" || true
  # the terminal ends lines with CR LF; erasures start with CR too
  grep -qa $'\r\033\[Krm: [0-9]* removed, tree' shown
  [ "$(sed 's/\x1b\[K//g' shown | tr '\r' '\n' | grep -ac '^removed symlink tree/l[0-9]*$')" -eq 300 ]
  # a progress line is always erased before a line of output follows it
  run ! grep -qa $'removed, tree/l[0-9]*removed' shown
}

@test "progress: nothing with rm -r --json, -0 or -q" {
  cp -a tree t2; cp -a tree t3
  on_tty json "$SLINK rm -r --json tree > /dev/null" || true
  run ! grep -qa ' removed, ' json
  on_tty null "$SLINK rm -r -0 t2 > /dev/null" || true
  run ! grep -qa ' removed, ' null
  on_tty quiet "$SLINK rm -r -q t3" || true
  run ! grep -qa ' removed, ' quiet
  [ ! -e tree ]
  [ ! -e t2 ]
  [ ! -e t3 ]
}

@test "progress: hardlinks counts entries, fix counts links" {
  echo x > f
  ln f tree/f2
  on_tty shown "$SLINK hardlinks --in tree f > /dev/null" || true
  grep -qa $'\r\033\[Khardlinks: [0-9]* entries, tree' shown
  on_tty shown "$SLINK fix -n --shorten tree > /dev/null" || true
  grep -qa $'\r\033\[Kfix: [0-9]* links, tree/l' shown
  [ "$(tail -c 4 shown | od -An -c | tr -d ' ')" = '\r033[K' ]
}
