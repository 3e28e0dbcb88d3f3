#!/usr/bin/env bats
# make install lays out program, library, header and pkg-config file under
# DESTDIR and PREFIX; a program builds against the installed library.
load helpers

setup() { setup_dir; }
teardown() { teardown_dir; }
# One build for both tests (a build takes minutes on a busy machine).
setup_file() { export B="$BATS_FILE_TMPDIR/build"; }

@test "install: make install honours PREFIX and DESTDIR" {
  run make -s -C "$SLINK_SRC" install BUILD="$B" PREFIX=/opt/slink DESTDIR="$T/root"
  [ "$status" -eq 0 ]
  [ -x "$T/root/opt/slink/bin/slink" ]
  [ -f "$T/root/opt/slink/include/slink.h" ]
  [ -n "$(find "$T/root/opt/slink" -name 'libslink.so.0')" ]
  [ -n "$(find "$T/root/opt/slink" -name 'libslink.a')" ]
  [ -n "$(find "$T/root/opt/slink" -name 'slink.pc')" ]
  # nothing outside DESTDIR's PREFIX
  [ "$(ls "$T/root")" = "opt" ]
  run "$T/root/opt/slink/bin/slink" --version
  [ "$status" -eq 0 ]
  [[ "$output" == "slink "* ]]

  # The shared library exports the API and nothing else: as many names as
  # slink.h declares functions, none of them internal (slink__).
  so=$(find "$T/root/opt/slink" -name 'libslink.so.0')
  exported=$(nm -D --defined-only "$so" | awk '{print $3}' | LC_ALL=C sort)
  declared=$(grep -oE '^[a-z][a-z_ ]*[ *](slink_[a-z_0-9]+)\(' "$SLINK_SRC/include/slink.h" |
    grep -oE 'slink_[a-z_0-9]+' | LC_ALL=C sort -u)
  run grep -c '^slink__' <<<"$exported"
  [ "$output" = 0 ] || { echo "internal names exported: $(grep '^slink__' <<<"$exported" | head -3)"; false; }
  [ "$(wc -l <<<"$exported")" -eq "$(wc -l <<<"$declared")" ] ||
    { echo "exported: $(wc -l <<<"$exported"), declared: $(wc -l <<<"$declared")"; false; }
  [ "$exported" = "$declared" ]

  # A program of someone else's, built with pkg-config.
  pc=$(dirname "$(find "$T/root/opt/slink" -name 'slink.pc')")
  cat > use.c <<'C'
#include <slink.h>
#include <stdio.h>
int main(void) {
  slink_made m;
  int rc = slink_make("l", "t", NULL, &m);
  printf("%d %s %s\n", rc, slink_kind_name(m.kind), m.target);
  slink_made_free(&m);
  return rc != 0;
}
C
  flags=$(PKG_CONFIG_PATH="$pc" PKG_CONFIG_SYSROOT_DIR="$T/root" pkg-config --cflags --libs slink)
  # shellcheck disable=SC2086
  cc -std=c11 -Wall -Werror -o use use.c $flags
  touch t
  run env LD_LIBRARY_PATH="$(dirname "$so")" ./use
  [ "$status" -eq 0 ]
  [ "$output" = "0 symlink t" ]
  [ "$(readlink l)" = t ]
}

@test "install: install-compat adds mklink, linkd and junction, never ln" {
  run make -s -C "$SLINK_SRC" install-compat BUILD="$B" PREFIX=/opt/slink DESTDIR="$T/root"
  [ "$status" -eq 0 ]
  for n in mklink linkd junction; do [ "$(readlink "$T/root/opt/slink/bin/$n")" = slink ]; done
  [ ! -e "$T/root/opt/slink/bin/ln" ]
  [ ! -L "$T/root/opt/slink/bin/ln" ]
  run "$T/root/opt/slink/bin/mklink" /?
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "Creates a symbolic link." ]
}
