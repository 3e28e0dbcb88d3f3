#!/bin/sh
# screenshots.sh BUILD-WIN OUTDIR - the pictures in the README's Windows
# section, taken under Wine and Xvfb (not part of make check): the context
# menu and the Link page as slink-shell.dll builds them, shown by
# shot_shell.exe (Wine's explorer.exe loads no context menu handlers), and
# the three overlay icons. Needs wine, xvfb, xdotool, x11-apps (xwd),
# netpbm and librsvg2-bin.
set -eu
build=$(cd "$1" && pwd)
out=$(mkdir -p "$2" && cd "$2" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
for t in wine xvfb-run xdotool xwd xwdtopnm pnmtopng rsvg-convert; do
  command -v "$t" >/dev/null || { echo "screenshots: $t is missing" >&2; exit 1; }
done
export WINEDEBUG=-all WINEPREFIX="${WINEPREFIX:-${TMPDIR:-/tmp}/slink-wine-$(id -u)}-shot"
dir=$(mktemp -d "${TMPDIR:-/tmp}/slink-shot-XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/Projects"
echo "notes" > "$dir/Projects/notes.txt"
ln "$dir/Projects/notes.txt" "$dir/Projects/notes (copy).txt"

xvfb-run -a -s '-screen 0 800x600x24' sh -s "$build" "$dir" "$out" <<'SH'
set -eu
build=$1 dir=$2 out=$3
win() { wine winepath -w "$1" 2>/dev/null | tr -d '\r'; }
dll=$(win "$build/src/shell/slink-shell.dll")
# Wine's COM reads classes from HKLM only (see test_shell.c).
wine regsvr32 /s "$dll"
for c in B7C97966-048B-42EA-A63D-42F25024D517 73648079-4D2B-4EB3-8832-73200D23C151; do
  wine reg copy "HKCU\\Software\\Classes\\CLSID\\{$c}" "HKLM\\Software\\Classes\\CLSID\\{$c}" /s /f >/dev/null 2>&1
done
file=$(win "$dir/Projects/notes.txt")
shot() { # shot WINDOW-ID PNG
  xwd -silent -id "$1" | xwdtopnm 2>/dev/null | pnmtopng > "$2"
}
# The menu pops up at (40, 40); its third row is Drop As, opened by
# hovering. Each program is ended by timeout, as no one clicks.
timeout 25 wine "$build/tests/shell/shot_shell.exe" "$dll" "$file" menu &
sleep 8
xdotool mousemove 100 95
sleep 2
# The popup menus are the unnamed windows: the menu, then its submenu.
i=0
for id in $(xdotool search --onlyvisible --name '^$' 2>/dev/null | tail -2); do
  i=$((i + 1))
  shot "$id" "$out/menu-$i.png"
done
wait || true
timeout 20 wine "$build/tests/shell/shot_shell.exe" "$dll" "$file" page &
sleep 8
id=$(xdotool search --onlyvisible --name 'notes.txt' 2>/dev/null | head -1)
shot "$id" "$out/link-page.png"
wait || true
wine regsvr32 /s /u "$dll"
wineserver -w
SH
for icon in junction symlink hardlink; do
  rsvg-convert -w 48 -h 48 -o "$out/overlay-$icon.png" "$src/src/shell/icons/$icon.svg"
done
ls "$out"
