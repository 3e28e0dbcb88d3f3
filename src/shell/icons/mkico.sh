#!/bin/sh
# mkico.sh SVG OUT.ico TMPDIR - one .ico from an SVG source, at the sizes
# Explorer draws overlays in (16 to 256 pixels), with rsvg-convert and
# icotool (Debian: librsvg2-bin, icoutils).
set -eu
svg=$1
out=$2
tmp=$3
name=$(basename "$svg" .svg)
mkdir -p "$tmp"
pngs=""
for size in 16 24 32 48 256; do
  png="$tmp/$name-$size.png"
  rsvg-convert -w "$size" -h "$size" -o "$png" "$svg"
  pngs="$pngs $png"
done
# The 256-pixel image stays PNG-compressed inside the icon, as Windows
# expects; the small ones are plain bitmaps for old readers.
# shellcheck disable=SC2086
icotool -c -o "$out" $(echo $pngs | sed 's# \([^ ]*-256.png\)# -r \1#')
