#!/bin/sh
# wine-unix-dedupe.sh SLINK.EXE HOLD-OPEN.EXE - slink dedupe as a Windows program: trees
# made on the Linux side (where inode numbers and link counts are easy to
# read back), slink.exe run on them under Wine. Checks the plan (-n), the
# replacement (hard links, no temporary name left), names already linked,
# read-only files, a duplicate another process holds open for writing
# (skipped as busy: Wine enforces share modes between processes), the NTFS limit of 1,023 names with a new keeper when
# one is full, --json, --reflink where the filesystem cannot, and the exit
# codes. Prints TAP.
set -u
. "$(dirname "$0")/wine-lib.sh"
exe=$(wine_abs "$1")
hold=$(wine_abs "$2")
wine_setup dedupe

slink() { wine "$exe" "$@" >out.txt 2>err.txt; echo $? >status.txt; }
status() { [ "$(cat status.txt)" = "$1" ]; }
ino() { stat -c %i "$1"; }
links() { stat -c %h "$1"; }
same() { [ "$(ino "$1")" = "$(ino "$2")" ]; }
no_temp() { [ -z "$(find "$1" -name '.slink-*')" ]; }
# Files with the same bytes and the same modification time.
dupes() { # dupes CONTENT NAME...
  c=$1
  shift
  for f in "$@"; do
    mkdir -p "$(dirname "$f")"
    printf '%s\n' "$c" >"$f"
    touch -d '2024-01-02 03:04:05' "$f"
  done
}

# The plan changes nothing.
dupes alpha t/a t/b t/sub/c
dupes beta t/x t/sub/y
printf 'alpha!\n' >t/odd
touch -d '2024-01-02 03:04:05' t/odd
tree() { find "$1" -printf '%i %n %s %T@ %p\n' | sort | md5sum; }
before=$(tree t)
slink dedupe -n t
status 0 && [ "$(tree t)" = "$before" ]
ok $? "-n: exit 0 and nothing on disk changes"
grep -q '^  would link  t/b$' out.txt && grep -q '^  would link  t/sub/c$' out.txt &&
  grep -q '^  kept        t/a' out.txt
ok $? "-n: the plan names the keeper and what would be linked"
grep -q '2 groups, 3 names to be linked' out.txt
ok $? "-n: the summary counts groups and names"

slink dedupe t
status 0 && same t/a t/b && same t/a t/sub/c && same t/x t/sub/y &&
  [ "$(links t/a)" = 3 ] && ! same t/a t/odd
ok $? "duplicates become hard links of one keeper, exit 0"
[ "$(cat t/a)" = alpha ] && [ "$(cat t/sub/y)" = beta ] && [ "$(cat t/odd)" = 'alpha!' ]
ok $? "every name holds what it held"
no_temp t
ok $? "no temporary name is left"
slink dedupe t
status 0 && grep -q '0 names linked' out.txt
ok $? "a second run finds nothing to do"

# Names already linked inside the tree: one file, however many names.
dupes gamma h/k h/d
ln h/k h/k2
ln h/d h/d2
ln h/d h/d3
slink dedupe h
status 0 && same h/k h/d && same h/k h/d2 && same h/k h/d3 &&
  [ "$(links h/k)" = 5 ] && no_temp h
ok $? "a duplicate with three names: all three become the keeper's"

# Read-only files: merged when both are, left alone beside a writable one.
dupes delta r/ro1 r/ro2 r/rw
chmod a-w r/ro1 r/ro2
slink dedupe r
status 1 && same r/ro1 r/ro2 && ! same r/ro1 r/rw && no_temp r
ok $? "read-only duplicates merge; a writable one is left alone, exit 1"
grep -q 'r/rw: other permissions' out.txt
ok $? "and the report says why"

# A writer in another process holds a duplicate open, sharing write.
dupes eta w/a w/b w/c
wine "$hold" 'w\b' held &
holder=$!
i=0
while [ ! -e held ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
slink dedupe w
rm -f held
wait $holder
status 1 && same w/a w/c && ! same w/a w/b && [ "$(cat w/b)" = eta ]
ok $? "a duplicate another process holds open for writing is left alone, exit 1"
grep -q '^  left alone  w/b: open for writing by another process$' out.txt
ok $? "and reported as open for writing"

# NTFS allows 1,023 names per file: a full keeper makes way for a new one.
dupes epsilon l/k l/x l/y l/z
mkdir l/many
i=1
while [ $i -lt 1022 ]; do
  ln l/k "l/many/$i"
  i=$((i + 1))
done
slink dedupe --json l
status 0 && [ "$(links l/k)" = 1023 ] && same l/y l/z && [ "$(links l/y)" = 2 ]
ok $? "the keeper stops at 1,023 names and the next file keeps the rest"
[ "$(grep -c '"names":' out.txt)" = 2 ] &&
  grep -q '"summary":true,"dry_run":false,"files":4,' out.txt &&
  grep -q '"linked":2,' out.txt
ok $? "--json: one object per keeper and the summary"
no_temp l
ok $? "no temporary name is left at the limit"

# --reflink: Wine (like NTFS) has no block cloning.
dupes zeta f/a f/b
slink dedupe --reflink f
status 1 && grep -q '^slink: dedupe: f/b: the filesystem cannot share extents$' err.txt &&
  ! same f/a f/b && [ "$(cat f/b)" = zeta ]
ok $? "--reflink without block cloning: the reason, exit 1, nothing changed"

slink dedupe --bogus f
status 2
ok $? "a usage error exits 2"
slink dedupe no-such-dir
status 1 && grep -q '^slink: dedupe: no-such-dir: no such file or directory$' err.txt
ok $? "a missing directory: the reason, exit 1"

echo "1..$n"
exit $failed
