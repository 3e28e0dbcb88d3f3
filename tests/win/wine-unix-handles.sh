#!/bin/sh
# wine-unix-handles.sh TEST-WIN-HANDLE.EXE - Linux symlinks made on the
# Linux side, then the handle calls run on them through Wine (which opens
# a Linux symlink's target even when asked not to follow): the program
# prints TAP.
set -u
. "$(dirname "$0")/wine-lib.sh"
exe=$(wine_abs "$1")
wine_setup handles
mkdir target-dir empty-dir
echo inside > target-dir/inside.txt
echo data > target.txt
ln -s target.txt file-link
ln -s target-dir dir-link
ln -s empty-dir empty-link
wine "$exe" --unix-links "Z:$(echo "$dir" | tr / '\\')"
