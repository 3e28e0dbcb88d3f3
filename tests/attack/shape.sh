#!/bin/sh
# The shape of the system calls of a removal, read with strace: once the
# operand's parent is open, no call may name a path from the root or the
# current directory (an absolute path, AT_FDCWD), and none may chdir. The
# naive control must fail the same check, or the check proves nothing.
# Usage: shape.sh DRIVER   (TAP output)
set -u
driver=$1

if ! command -v strace >/dev/null 2>&1; then
  echo "1..0 # SKIP strace is not installed"
  exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/slink-shape.XXXXXX") || exit 1
trap '[ -n "${SHAPE_KEEP:-}" ] || rm -rf "$work"' EXIT
if ! strace -f -qq -o "$work/probe" true 2>/dev/null; then
  echo "1..0 # SKIP strace cannot trace here (ptrace is not permitted)"
  exit 0
fi

make_tree() {
  mkdir -p "$work/outside" "$work/tree/a/b/c" "$work/tree/d"
  echo keep > "$work/outside/keep"
  echo x > "$work/tree/a/x"
  echo y > "$work/tree/a/b/c/y"
  ln -s "$work/outside" "$work/tree/a/abs-link"
  ln -s ../../outside "$work/tree/d/rel-link"
  mkfifo "$work/tree/d/fifo"
}

# Prints the offending lines; fails when there are any. The calls that
# open the operand's parent (and open "/" for --preserve-root) come
# first and are allowed; everything after them must be descriptor-relative.
check() {
  awk '
    /slink-shape-begin/ { on = 1; next }
    /slink-shape-end/   { on = 0; next }
    !on { next }
    entry && /openat\(AT_FDCWD, "\/", / { next }
    entry && /(^|[^a-z])(open|openat)\(AT_FDCWD, "[^"]*", [^)]*O_DIRECTORY/ {
      entry = 0; next }
    entry && /newfstatat\(AT_FDCWD, "\/", / { next }
    entry && (/AT_FDCWD/ || /\("/) {
      print "before the parent was opened: " $0; bad = 1; next }
    entry { next }
    /AT_FDCWD/ || /\("\// || /, "\// || /chdir\(/ { print; bad = 1 }
    END { exit bad }
  ' entry=1 "$1"
}

echo "1..3"
n=0
for who in slink naive; do
  n=$((n + 1))
  rm -rf "$work/tree" "$work/outside"
  make_tree
  ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o "$work/$who.log" \
    -e trace=%file,%desc,chdir,fchdir "$driver" "$who" "$work/tree" \
    >/dev/null 2>&1
  if [ "$who" = slink ]; then
    if bad=$(check "$work/$who.log"); then
      echo "ok $n - slink: only descriptor-relative calls after the entry"
    else
      echo "not ok $n - slink: a call resolved a path from the top"
      printf '%s\n' "$bad" | sed 's/^/# /'
    fi
  else
    if check "$work/$who.log" >/dev/null; then
      echo "not ok $n - naive control passed the check: it cannot fail"
    else
      echo "ok $n - naive control is caught by the same check"
    fi
  fi
done

# The check must have seen the removal at all.
n=$((n + 1))
if grep -q 'unlinkat([0-9]*, "y", 0)' "$work/slink.log" &&
   [ ! -e "$work/tree" ] && [ -f "$work/outside/keep" ]; then
  echo "ok $n - the traced removal removed the tree, outside intact"
else
  echo "not ok $n - the traced removal did not do its work"
fi
