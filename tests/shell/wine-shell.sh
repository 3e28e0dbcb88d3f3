#!/bin/sh
# wine-shell.sh com TEST-SHELL.EXE SLINK-SHELL.DLL
# wine-shell.sh regsvr32 SLINK-SHELL.DLL
# slink-shell.dll under Wine, in the prefix the other Wine suites use
# (cross/mingw-w64.ini). "com" runs the COM test program with a Linux
# directory symlink for it to see; "regsvr32" registers and unregisters
# with Wine's regsvr32 and reads the registry back with `reg`. Prints TAP.
set -u
if ! command -v wine >/dev/null 2>&1; then
  echo "1..0 # SKIP Wine is not installed"
  exit 0
fi
export WINEDEBUG=-all LC_ALL=C.UTF-8
export WINEPREFIX="${WINEPREFIX:-${TMPDIR:-/tmp}/slink-wine-$(id -u)}"
mode=$1
shift
if [ "$mode" = com ]; then
  # The Link page is a window: Wine needs a display for it, so the COM
  # test runs under Xvfb, in a prefix of its own so that no other suite's
  # Wine processes meet that display, and with every Wine process of that
  # prefix started under it (wineserver -w: none is left from before).
  export WINEPREFIX="$WINEPREFIX-shell"
  if [ -z "${SLINK_SHELL_XVFB:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
    wineserver -w 2>/dev/null
    SLINK_SHELL_XVFB=1 exec xvfb-run -a sh "$0" com "$@" 2>/dev/null
  fi
  [ -n "${SLINK_SHELL_XVFB:-}" ] || export SLINK_SHELL_NO_DISPLAY=1
else
  unset DISPLAY WAYLAND_DISPLAY
fi
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
winpath() { wine winepath -w "$1" 2>/dev/null | tr -d '\r'; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/slink-shell-XXXXXX")
trap 'rm -rf "$dir"' EXIT

if [ "$mode" = com ]; then
  exe=$(abs "$1")
  dll=$(winpath "$(abs "$2")")
  mkdir "$dir/target-dir"
  echo inside > "$dir/target-dir/inside.txt"
  ln -s target-dir "$dir/dir-link"
  wine "$exe" "$dll" "$(winpath "$dir")"
  status=$?
  # Nothing of this prefix outlives the display.
  [ -z "${SLINK_SHELL_XVFB:-}" ] || wineserver -w
  # The symlink's target is never what a test changes.
  [ -L "$dir/dir-link" ] && [ "$(cat "$dir/target-dir/inside.txt")" = inside ] ||
    { echo "not ok - the Linux symlink or its target changed"; status=1; }
  exit $status
fi

dll=$(winpath "$(abs "$1")")
n=0
failed=0
ok() { # ok STATUS NAME
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
q() { wine reg query "$@" >"$dir/out.txt" 2>&1; }
classes='HKCU\Software\Classes'
menu='{B7C97966-048B-42EA-A63D-42F25024D517}'
overlays='HKLM\Software\Microsoft\Windows\CurrentVersion\Explorer\ShellIconOverlayIdentifiers'
clsids='BEC5B416-97A3-4A6C-BA4C-5E52A5CD96FD F8CC312B-E310-40AE-A874-AF77D92521D2
DCAC3B00-AE63-4448-80F3-1727DFFBEA79 B7C97966-048B-42EA-A63D-42F25024D517
37D6C036-65D7-41E7-8A8E-DD2CC2669CDF 73648079-4D2B-4EB3-8832-73200D23C151'

wine reg export "$classes" "$(winpath "$dir")\\before.reg" /y >/dev/null 2>&1
wine regsvr32 /s "$dll"
ok $? "regsvr32 registers (no administrator needed)"
s=0
for c in $clsids; do
  q "$classes\\CLSID\\{$c}\\InprocServer32" && grep -qi 'slink-shell.dll' "$dir/out.txt" &&
    grep -q 'ThreadingModel.*Apartment' "$dir/out.txt" || { s=1; echo "# {$c} missing"; }
done
ok $s "all six classes under HKCU\\Software\\Classes\\CLSID, apartment-threaded"
q "$classes\\*\\shellex\\ContextMenuHandlers\\slink" && grep -q "$menu" "$dir/out.txt" &&
  q "$classes\\Directory\\Background\\shellex\\ContextMenuHandlers\\slink" &&
  q "$classes\\Directory\\shellex\\ContextMenuHandlers\\slink"
ok $? "the context menu on files, folders and folder backgrounds"
q "$classes\\Folder\\shellex\\DragDropHandlers\\slink"
ok $? "the right-drag handler on folders"
q "$classes\\*\\shellex\\PropertySheetHandlers\\slink" &&
  q "$classes\\Directory\\shellex\\PropertySheetHandlers\\slink"
ok $? "the Link page on files and folders"
q "$overlays\\ slink junction"
[ $? -ne 0 ]; ok $? "a per-user registration writes nothing under HKLM"

wine regsvr32 /s /n /i:machine "$dll"
ok $? "regsvr32 /n /i:machine (elevated: Wine's user is) registers the overlays"
s=0
for name in ' slink junction' ' slink symbolic link' ' slink hard link'; do
  q "$overlays\\$name" || s=1
done
ok $s "three overlay identifiers under HKLM"
wine regsvr32 /s /u /n /i:machine "$dll"
ok $? "regsvr32 /u /n /i:machine"
q "$overlays\\ slink junction" || q "$overlays\\ slink hard link"
[ $? -ne 0 ]; ok $? "removes them"
q "HKLM\\Software\\Classes\\CLSID\\{BEC5B416-97A3-4A6C-BA4C-5E52A5CD96FD}"
[ $? -ne 0 ]; ok $? "and their classes"

wine regsvr32 /s /u "$dll"
ok $? "regsvr32 /u"
s=0
for c in $clsids; do
  if q "$classes\\CLSID\\{$c}"; then s=1; echo "# {$c} left"; fi
done
ok $s "no class key left"
q "HKCU\\Software\\slink"
[ $? -ne 0 ]; ok $? "no picked-sources key left"
wine reg export "$classes" "$(winpath "$dir")\\after.reg" /y >/dev/null 2>&1
cmp -s "$dir/before.reg" "$dir/after.reg"
ok $? "HKCU\\Software\\Classes is exactly as before (no empty key left)"
[ -s "$dir/after.reg" ] || echo "# reg export wrote nothing"
echo "1..$n"
exit $failed
