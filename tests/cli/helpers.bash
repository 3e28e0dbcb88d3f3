bats_require_minimum_version 1.5.0

# Shared set-up for the command-line tests. $SLINK is the program under
# test; every test works in a fresh directory that others may enter (some
# tests run the program as an unprivileged user).

setup_dir() {
  T=$(mktemp -d "${TMPDIR:-/tmp}/slink-cli.XXXXXX")
  chmod 755 "$T"
  cd "$T" || return 1
}

teardown_dir() {
  cd / || return 1
  [ -n "${T:-}" ] || return 0
  while IFS= read -r m; do umount "$m" 2>/dev/null; done \
    < <(awk -v t="$T" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r)
  chmod -R u+rwx "$T" 2>/dev/null
  rm -rf "$T"
}

# The acceptance layout: original/text.txt.
make_original() {
  mkdir original
  echo "hello" > original/text.txt
}

# Everything below the current directory: name, type, link target, names.
snapshot() {
  find . -printf '%p|%y|%l|%n|%s\n' | LC_ALL=C sort
}

need_root() {
  [ "$(id -u)" -eq 0 ] || skip "needs root (runs as $(id -un))"
}

# A copy of the program an unprivileged user can run, wherever the build is.
nobody_slink() {
  need_root
  command -v setpriv >/dev/null || skip "setpriv is not installed"
  NB="$T/.bin"
  mkdir -p "$NB"
  cp "$SLINK" "$NB/slink"
  chmod 755 "$NB" "$NB/slink"
}

as_nobody() {
  setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
}

# The scan tests' tree, made in $T: tree/{file, sub/, real/inner},
# outside/far, and in tree a link of every state scan and show report.
make_state_tree() {
  mkdir -p "$T/tree/sub" "$T/tree/real" "$T/outside"
  touch "$T/tree/file" "$T/tree/real/inner" "$T/outside/far"
  (
    cd "$T/tree" || exit 1
    ln -s file ok
    ln -s missing dangling
    ln -s self self
    ln -s two-b two-a
    ln -s two-a two-b
    ln -s "$T/tree/file" absolute
    ln -s ./file messy
    ln -s ../tree/file lengthy
    ln -s ../outside escapes
    ln -s ../../../../../../../../.. above-root
    ln -s real dirlink
    ln -s dirlink/inner through-dirlink
    ln -s ../dirlink/inner sub/up-through
  )
}
