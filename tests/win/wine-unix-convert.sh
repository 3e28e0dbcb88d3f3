#!/bin/sh
# wine-unix-convert.sh SLINK.EXE SRC - slink convert's file forms through
# Wine, where the directory has a drive (Z:\...): the shortcut records the
# target's absolute Windows path as Cygwin's path_conv gives it, byte for
# byte what tests/fixtures/cygwin/make.py lays out from path.cc; the
# attributes are Windows' own (READONLY for the shortcut, SYSTEM for the
# sys file); each form to the others and back. Prints TAP.
set -u
. "$(dirname "$0")/wine-lib.sh"
exe=$(wine_abs "$1")
fix=$(wine_abs "$2")/tests/fixtures/cygwin
wine_setup convert
mkdir -p usr/bin
cd usr/bin || exit 1

slink() { wine "$exe" "$@" >out.txt 2>err.txt; echo $? >status.txt; }
status() { [ "$(cat status.txt)" = "$1" ]; }
attrs() { wine attrib "$1" 2>/dev/null | cut -c1-10 | tr -d ' \r'; }
# Cygwin's shortcut for TARGET recording WINPATH, from the fixtures' writer.
cyg_lnk() {
  python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import make
sys.stdout.buffer.write(make.shortcut(sys.argv[2], sys.argv[3]))' \
    "$fix" "$1" "$2"
}

cp "$fix/sys-relative" vi.lnk
wine attrib +s vi.lnk >/dev/null 2>&1
slink convert --to shortcut vi.lnk
status 0 && [ "$(cat out.txt)" = "converted vi.lnk: cygwin-sys to lnk-cygwin -> ../lib/libfoo.so.1" ]
ok $? "a sys file marked SYSTEM becomes Cygwin's shortcut"
win=$(printf 'Z:%s' "$(cd .. && pwd)/lib/libfoo.so.1" | tr / '\\')
cyg_lnk ../lib/libfoo.so.1 "$win" | cmp -s - vi.lnk
ok $? "byte for byte what path.cc writes, with the absolute Windows path"
case $(attrs vi.lnk) in *R*) r=0 ;; *) r=1 ;; esac
ok $r "marked read-only"
slink convert --to cygwin vi.lnk
status 0 && cmp -s vi.lnk "$fix/sys-relative"
ok $? "the read-only shortcut replaced by the sys file, its bytes as before"
case $(attrs vi.lnk) in *S*) r=0 ;; *) r=1 ;; esac
ok $r "marked SYSTEM"
slink convert --to interix vi.lnk
status 0 && [ "$(head -c 8 vi.lnk)" = "$(printf 'IntxLNK\001')" ]
ok $? "to an Interix file"
slink convert --to shortcut vi.lnk
status 0 && cyg_lnk ../lib/libfoo.so.1 "$win" | cmp -s - vi.lnk
ok $? "and back to the same shortcut"
slink convert --to shortcut vi.lnk
status 0 && grep -q "already" out.txt
ok $? "a shortcut asked to be one is left as it is"
ls -a | grep -q '^\.slink-'
[ $? -ne 0 ]
ok $? "no temporary name left"

echo "1..$n"
exit $failed
