#!/bin/sh
# wine-unix-links.sh SLINK.EXE - the safety rule that Wine forces, tested
# where it matters. Wine shows a Linux symlink to a directory as a reparse
# point with no readable data, and one to a file as a plain file; its
# DeleteFileW and RemoveDirectoryW on such a symlink delete the TARGET.
# slink must refuse to remove either ("cannot read the link's data") and
# leave both link and target as they were. Prints TAP.
set -u
. "$(dirname "$0")/wine-lib.sh"
exe=$(wine_abs "$1")
wine_setup links
mkdir target-dir tree
echo inside > target-dir/inside.txt
echo data > target.txt
ln -s target.txt file-link
ln -s target-dir dir-link
ln -s ../target-dir tree/escape
echo keep > tree/plain.txt

slink() { wine "$exe" "$@" >out.txt 2>err.txt; echo $? >status.txt; }
status() { [ "$(cat status.txt)" = "$1" ]; }
said() { [ "$(cat err.txt)" = "$1" ]; }

slink rm file-link
status 1; ok $? "rm of a Linux symlink to a file fails"
said "slink: rm: file-link: cannot read the link's data; nothing removed"
ok $? "because its data cannot be read through Wine"
[ -L file-link ] && [ "$(cat target.txt)" = data ]
ok $? "the link and its target file are both intact"

slink rm dir-link
status 1; ok $? "rm of a Linux symlink to a directory fails"
said "slink: rm: dir-link: cannot read the link's data; nothing removed"
ok $? "with the same reason"
[ -L dir-link ] && [ "$(cat target-dir/inside.txt)" = inside ]
ok $? "the link and the directory's contents are intact"

slink rm dir-link/
status 1 && [ -L dir-link ] && [ -f target-dir/inside.txt ]
ok $? "rm 'dir-link/' never reaches the target"

slink rm -r tree
status 1 && grep -q "tree.escape'\?: cannot read the link's data" err.txt
ok $? "rm -r of a tree holding a Linux symlink refuses that entry"
[ -f target-dir/inside.txt ] && [ -L tree/escape ] && [ ! -e tree/plain.txt ]
ok $? "removes the rest, and never what the symlink points to"

slink rm -r dir-link
status 1 && [ -L dir-link ] && [ "$(cat target-dir/inside.txt)" = inside ]
ok $? "rm -r of a Linux symlink to a directory never enters it"

slink make -H -f dir-link target.txt
# Wine shows the Linux symlink as a reparse point whose rename it refuses:
# what matters is that make fails and replaces nothing.
status 1 && grep -q "^slink: make: dir-link: " err.txt
ok $? "make -f does not replace what Wine shows as a directory"
[ -L dir-link ] && [ -f target-dir/inside.txt ] && [ -z "$(ls -A . | grep slink)" ]
ok $? "and leaves no temporary name behind"

slink show dir-link
status 0 && grep -q "kind:      reparse" out.txt
ok $? "show calls an unreadable link a reparse point"

slink show file-link
status 0 && grep -q "kind:      reparse" out.txt
ok $? "show does not mistake a Linux file symlink for a plain file"

echo "1..$n"
exit $failed
