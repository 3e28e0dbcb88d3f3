#!/bin/sh
# The Debian packages: build slink, libslink0 and libslink-dev from a copy
# of the source with dpkg-buildpackage -b -us -uc, check them with lintian,
# unpack them into a fresh root and run what they hold. TAP output.
#
# It takes minutes (a full build and lintian), so it runs only when
# SLINK_PKG_TEST=1 (make package-check); otherwise it says it skipped.
# SLINK_SRC is the source tree.
set -u
src=${SLINK_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}

if [ "${SLINK_PKG_TEST:-0}" != 1 ]; then
  echo "1..0 # SKIP the .deb build takes minutes: run with SLINK_PKG_TEST=1 (make package-check)"
  exit 0
fi
for tool in dpkg-buildpackage dh lintian meson scdoc pkg-config cc; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is not installed (deps/debian-packages-pkg.txt lists what this test needs)"
    exit 0
  fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/slink-deb.XXXXXX")
trap 'rm -rf "$T"' EXIT
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1)); failed=1; echo "not ok $n - $1"
  [ -f "$T/log" ] && sed 's/^/# /' "$T/log" | tail -40
}
check() { # DESCRIPTION COMMAND...: ok when the command succeeds
  d=$1; shift
  if "$@" > "$T/log" 2>&1; then ok "$d"; else not_ok "$d"; fi
}

echo "1..8"
version=$(sed -n "s/^ *version : '\([^']*\)'.*/\1/p" "$src/meson.build" | head -1)
arch=$(dpkg --print-architecture)

# A clean copy: no build trees, no git, nothing a previous build left.
mkdir "$T/src"
(cd "$src" && tar --exclude='./build*' --exclude='./obj-*' --exclude=./.git \
   --exclude='./debian/.debhelper' --exclude='./debian/tmp' -cf - .) |
  (cd "$T/src" && tar -xf -)

# The test suites run in make check; here the packaging is under test.
check "dpkg-buildpackage -b -us -uc builds" \
  env -C "$T/src" DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -b -us -uc

for p in slink libslink0 libslink-dev; do
  [ -f "$T/${p}_${version}_${arch}.deb" ] || missing="${missing:-} $p"
done
if [ -z "${missing:-}" ]; then ok "slink, libslink0 and libslink-dev $version"
else echo "# missing:$missing" > "$T/log"; not_ok "slink, libslink0 and libslink-dev $version"; fi

check "lintian finds no error" lintian --fail-on error "$T/slink_${version}_${arch}.changes"

mkdir "$T/root"
for p in slink libslink0 libslink-dev; do
  dpkg -x "$T/${p}_${version}_${arch}.deb" "$T/root" 2>/dev/null
done
out=$("$T/root/usr/bin/slink" --version 2>&1)
if [ "$out" = "slink $version" ]; then ok "the unpacked slink --version says $version"
else echo "# got: $out" > "$T/log"; not_ok "the unpacked slink --version says $version"; fi

check "slink holds its man pages and completions" sh -c '
  for f in "$@"; do [ -e "$0/$f" ] || { echo "no $f"; exit 1; }; done' "$T/root" \
  usr/share/man/man1/slink.1.gz usr/share/man/man1/slink-scan.1.gz \
  usr/share/man/man7/slink-compat.7.gz usr/share/bash-completion/completions/slink \
  usr/share/zsh/vendor-completions/_slink usr/share/fish/vendor_completions.d/slink.fish

lib=$(dpkg-deb -c "$T/libslink0_${version}_${arch}.deb" | grep -c 'libslink\.so\.0')
dev=$(dpkg-deb -c "$T/libslink-dev_${version}_${arch}.deb" |
  grep -cE '/slink\.h$|/libslink\.so( -> .*)?$|/libslink\.a$|/slink\.pc$|/libslink\.3\.gz$')
if [ "$lib" -ge 2 ] && [ "$dev" -eq 5 ]; then ok "the library and the development files are split"
else echo "# libslink0: $lib files, libslink-dev: $dev of 5" > "$T/log"; not_ok "the library and the development files are split"; fi

# Someone else's program, built with pkg-config against the unpacked files.
cat > "$T/use.c" <<'C'
#include <slink.h>
#include <stdio.h>
int main(void) {
  printf("%s %s\n", SLINK_VERSION_STRING, slink_kind_name(SLINK_KIND_JUNCTION));
  return 0;
}
C
pc=$(dirname "$(find "$T/root" -name slink.pc | head -1)")
check "a program builds against libslink-dev with pkg-config" sh -c '
  flags=$(PKG_CONFIG_PATH="$1" PKG_CONFIG_SYSROOT_DIR="$2" pkg-config --cflags --libs slink) &&
  cc -std=c11 -Wall -Werror -o "$3/use" "$3/use.c" $flags' _ "$pc" "$T/root" "$T"
out=$(LD_LIBRARY_PATH="$(dirname "$(find "$T/root" -name 'libslink.so.0' | head -1)")" "$T/use" 2>&1)
if [ "$out" = "$version junction" ]; then ok "it runs with libslink0's library"
else echo "# got: $out" > "$T/log"; not_ok "it runs with libslink0's library"; fi
exit $failed
