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
  for i in $(seq 1 300); do ln -s "t$i" "tree/l$i"; done
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
  ! grep -qa 'links, ' json
  on_tty quiet "$SLINK scan -q tree" || true
  ! grep -qa 'links, ' quiet
}

@test "progress: after the default second only" {
  script -qec "$SLINK scan tree > /dev/null" /dev/null > quick 2>&1 < /dev/null || true
  ! grep -qa 'links, ' quick
}
