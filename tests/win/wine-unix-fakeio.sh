#!/bin/sh
# wine-unix-fakeio.sh TEST-WIN-FAKEIO.EXE - the calls slink convert reads
# and makes files with, run through Wine on entries made on the Linux
# side (a symlink, a FIFO), then checked from Linux: the symlink's target
# is never written. Prints TAP.
set -u
. "$(dirname "$0")/wine-lib.sh"
exe=$(wine_abs "$1")
wine_setup fakeio
echo secret > target.txt
echo data > plain
ln -s target.txt file-link
mkfifo fifo
# A FIFO that blocked would hold the test until meson's timeout.
out=$(wine "$exe" --unix-entries "Z:$(echo "$dir" | tr / '\\')")
status=$?
n=$(printf '%s\n' "$out" | grep -c '^\(not \)\{0,1\}ok ')
printf '%s\n' "$out" | grep -v '^1\.\.'
n=$((n + 1))
if [ -L file-link ] && [ "$(cat target.txt)" = secret ]; then
  echo "ok $n - the symlink and its target are as they were"
else
  echo "not ok $n - the symlink and its target are as they were"
  status=1
fi
echo "1..$n"
exit $status
