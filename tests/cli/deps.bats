#!/usr/bin/env bats
# tools/deps.sh: what make demo and make check run first.
load helpers

setup() { setup_dir; }
teardown() { teardown_dir; }

@test "deps: nothing to do when every package is installed" {
  echo coreutils > list.txt
  run sh "$SLINK_SRC/tools/deps.sh" "$T/list.txt"
  [ "$status" -eq 0 ]
  [ -z "$output" ]
}

@test "deps: as another user, missing packages are named with the exact apt-get line" {
  nobody_slink
  printf 'coreutils\nslink-no-such-package\n' > list.txt
  cp "$SLINK_SRC/tools/deps.sh" "$T/deps.sh"
  chmod 644 list.txt deps.sh
  run as_nobody sh "$T/deps.sh" "$T/list.txt"
  [ "$status" -eq 1 ]
  [ "${lines[0]}" = "deps: missing Debian packages; as root, run:" ]
  [ "${lines[1]}" = "  apt-get update && apt-get install -y slink-no-such-package" ]
}

@test "deps: the project's list names what the build and tests need" {
  for p in meson ninja-build libcmocka-dev bats gcc-mingw-w64-x86-64 wine64 ntfs-3g; do
    grep -qx "$p" "$SLINK_SRC/deps/debian-packages.txt"
  done
}
