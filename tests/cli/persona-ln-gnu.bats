#!/usr/bin/env bats
# The same command lines under GNU coreutils' ln and slink's ln, in fresh
# directories: the trees left behind, the exit codes and every message
# must be the same.

load persona-ln-lib

setup() {
  if ! ln --version 2>/dev/null | grep -q 'GNU coreutils'; then
    skip "GNU coreutils ln is not installed"
  fi
  if [[ $BATS_TEST_DESCRIPTION == *"as an unprivileged user"* ]]; then
    [ "$(id -u)" -eq 0 ] || skip "needs root to run both as nobody"
    command -v setpriv >/dev/null || skip "setpriv is not installed"
    LN_WORK=$(mktemp -d "${TMPDIR:-/tmp}/slink-ln.XXXXXX")
    chmod 755 "$LN_WORK"
    LN_AS="setpriv --reuid=65534 --regid=65534 --clear-groups --"
    LN_OWNER=65534:65534
  fi
  ln_setup_bins
  LN_FIXTURE="$BATS_TEST_TMPDIR/fixture"
  mkdir "$LN_FIXTURE"
  (cd "$LN_FIXTURE" && echo a > a && echo b > b && mkdir d e &&
    "$GNU_LN" -s d dl && "$GNU_LN" -s a al && "$GNU_LN" -s . self)
}

# The usual starting point: files a and b, directories d and e, symbolic
# links dl -> d, al -> a and self -> . (made once, copied into each row).
FILES=fixture
fixture() { cp -a "$LN_FIXTURE/." .; }

@test "ln compat: plain forms" {
  compare "$FILES" "a c"
  compare "$FILES" "-s a c"
  compare "$FILES" "-s a"
  compare "$FILES" "-s x/newname"
  compare "$FILES" "-sv x/newname"
  compare "$FILES" "a b c d"
  compare "$FILES" "-v a b d"
  compare "$FILES" "-sv a b d/"
  compare "$FILES" "-sv a b d//"
  compare "$FILES" "-sv a ./"
  compare "$FILES" "-t d a b"
  compare "$FILES" "-vt d a b"
  compare "$FILES" "--target-directory=d -s a"
  compare "$FILES" "-s -- -x y"
  compare "$FILES" "-s a -- -y"
  compare_all
}

@test "ln compat: existing names and -f" {
  compare "$FILES" "a b"
  compare "$FILES" "-s a b"
  compare "$FILES" "-f a b"
  compare "$FILES" "-sf a b"
  compare "$FILES" "-sfv a b"
  compare "$FILES" "a a"
  compare "$FILES" "-s a a"
  compare "$FILES" "-f a a"
  compare "$FILES" "-sf a a"
  compare "$FILES" "-sf a self"
  compare "$FILES" "-f a d"
  compare "$FILES" "-fv a d"
  compare "$FILES" "-Tf a d"
  compare "$FILES" "-T a d"
  compare "$FILES" "-sT a d/"
  compare "$FILES" "-sf b al"
  compare "$FILES" "-sfn b al"
  compare_all
}

@test "ln compat: symbolic links to directories and -n" {
  compare "$FILES" "-s a dl"
  compare "$FILES" "-sn a dl"
  compare "$FILES" "-snf a dl"
  compare "$FILES" "-snfv a dl"
  compare "$FILES" "-sn a dl/"
  compare "$FILES" "-sf a dl"
  compare "$FILES" "-svf a dl"
  compare "$FILES" "--no-dereference -f -s a dl"
  compare_all
}

@test "ln compat: trailing slashes and missing names" {
  compare "$FILES" "a nothere/"
  compare "$FILES" "-s a nothere/"
  compare "$FILES" "a b/"
  compare "$FILES" "-s a b/"
  compare "$FILES" "-sf a b/"
  compare "$FILES" "a/ z"
  compare "$FILES" "-s a/ z"
  compare "$FILES" "nonex z"
  compare "$FILES" "-s nonex z"
  compare "$FILES" "-s a nodir/z"
  compare "$FILES" "a nodir/z"
  compare "$FILES" "a b/z"
  compare "$FILES" "-sf a b/z"
  compare "$FILES" "-f a nodir/z"
  compare "$FILES" "-n a dl"
  compare "$FILES" "-nf a dl"
  compare "$FILES" "-s a b/z"
  compare "$FILES" "a b c"
  compare "$FILES" "a b nonex"
  compare "$FILES" "-t nonex a"
  compare "$FILES" "-t b a"
  compare_all
}

@test "ln compat: empty operands" {
  compare "$FILES" "'' x"
  compare "$FILES" "-s '' x"
  compare "$FILES" "-s a ''"
  compare "$FILES" "a ''"
  compare "$FILES" "-s /"
  compare_all
}

@test "ln compat: hard links to directories and symbolic links" {
  compare "$FILES" "d x"
  compare "$FILES" "dl x"
  compare "$FILES" "-L dl x"
  compare "$FILES" "-P dl x"
  compare "$FILES" "al x"
  compare "$FILES" "-L al x"
  compare "$FILES" "-Lv al x"
  compare "$FILES" "-P al x"
  compare "$FILES" "-L self x"
  compare "$FILES" "--logical al x"
  compare "$FILES" "-L -P al x"
  compare "$FILES" "-P -L al x"
  compare_all
}

@test "ln compat: hard links of one file more than once" {
  compare "$FILES; mkdir x y; echo 1 > x/m; echo 2 > y/m" "x/m y/m e"
  compare "$FILES; mkdir x y; echo 1 > x/m; echo 2 > y/m" "-f x/m y/m e"
  compare "$FILES; mkdir x y; echo 1 > x/m; echo 2 > y/m" "-sf x/m y/m e"
  compare "$FILES; mkdir x y" "-f x/q y/q e"
  compare "$FILES; ln a h" "-f a h"
  compare "$FILES; ln a h" "a h"
  compare "$FILES; ln a d/a" "-f a d"
  compare_all
}

@test "ln compat: dangling and looping links as operands" {
  compare "$FILES; ln -s nowhere dang" "-sf a dang"
  compare "$FILES; ln -s nowhere dang" "-s a dang"
  compare "$FILES; ln -s nowhere dang" "dang h"
  compare "$FILES; ln -s nowhere dang" "-L dang h"
  compare "$FILES; ln -s loop loop" "-L loop h"
  compare "$FILES; ln -s loop loop" "loop h"
  compare "$FILES; ln -s loop loop" "-sf a loop"
  compare "$FILES; ln -s loop loop" "-s a loop/"
  compare "$FILES" "-sf a ''"
  compare "$FILES" "-t d ''"
  compare "$FILES" "'' ''"
  compare "$FILES" "-s a d/../b"
  compare "$FILES" "-sf a d/../b"
  compare "$FILES" "-s ../a d/"
  compare "$FILES" "-sfv ../a d/"
  compare_all
}

teardown() {
  if [ -n "${LN_OWNER:-}" ] && [ -d "${LN_WORK:-}" ]; then
    chmod -R u+rwx "$LN_WORK"
    rm -rf "$LN_WORK"
  fi
}

@test "ln compat: permission denied, as an unprivileged user" {
  RO='fixture; mkdir ro; echo x > ro/b; chmod 555 ro'
  compare "$RO" "-s a ro/x"
  compare "$RO" "a ro/x"
  compare "$RO" "-sf a ro/b"
  compare "$RO" "-f a ro/b"
  compare "$RO" "-sb a ro/b"
  compare "$RO" "-s a ro"
  compare "$RO" "-sv a b ro"
  compare "$RO" "-s a ro/b"
  compare "$RO; mkdir -m 0 closed" "-s a closed/x"
  compare "$RO; mkdir -m 0 closed" "a closed"
  compare "$RO; mkdir -m 0 closed" "-sf a closed/x"
  compare "$RO; mkdir -m 0 closed" "-t closed a"
  compare "$RO; chmod 0 a" "a h"
  compare_all
}

@test "ln compat: relative symbolic links" {
  compare "$FILES" "-sr a d/r"
  compare "$FILES" "-srv a d/r"
  compare "$FILES" "-srv d/../a e/r"
  compare "$FILES" "-srv nonex/a q"
  compare "$FILES; ln -s ../a d/r" "-srv d/r d/r2"
  compare "$FILES" "-srv a dl"
  compare "$FILES" "-r a q"
  compare "$FILES" "--relative -s a e"
  compare_all
}

@test "ln compat: backups" {
  compare "$FILES" "-sbv a b"
  compare "$FILES" "-bv a b"
  compare "$FILES; ln -s x b~" "-sbv a b"
  compare "$FILES" "-s --backup=numbered -v a b"
  compare "$FILES; ln -s x b.~1~; ln -s x b.~7~; ln -s x b.~x~" "-s --backup=numbered -v a b"
  compare "$FILES; ln -s x b.~3~" "-s --backup=existing -v a b"
  compare "$FILES" "-s --backup=existing -v a b"
  compare "$FILES" "-s --backup=nil -v a b"
  compare "$FILES" "-s --backup=t -v a b"
  compare "$FILES" "-s --backup=never -v a b"
  compare "$FILES" "-s --backup=none -v a b"
  compare "$FILES" "-s --backup=off -v a b"
  compare "$FILES" "-s --backup=nu -v a b"
  compare "$FILES" "-s --backup=s -v a b"
  compare "$FILES" "-s --back=simple -v a b"
  compare "$FILES" "-sS .bak -v a b"
  compare "$FILES" "-s --suffix=.old -v a b"
  compare "$FILES" "-sb --suffix=/ -v a b"
  compare "$FILES" "-sbS.x -v a b"
  compare "$FILES" "-sb -v a d"
  compare "$FILES" "-sb -v a nonex"
  compare "$FILES" "-sb -v a a"
  compare "$FILES" "-vb a e"
  compare "$FILES; ln a e/a" "-vb a e"
  compare_all
}

@test "ln compat: backups from the environment" {
  compare "$FILES" "-sbv a b" "" "VERSION_CONTROL=numbered"
  compare "$FILES" "-sbv a b" "" "VERSION_CONTROL=never"
  compare "$FILES" "-sbv --backup=simple a b" "" "VERSION_CONTROL=numbered"
  compare "$FILES" "-sbv a b" "" "VERSION_CONTROL="
  compare "$FILES" "-sbv a b" "" "VERSION_CONTROL=bad"
  compare "$FILES" "-sv a b" "" "VERSION_CONTROL=bad"
  compare "$FILES" "-sbv a b" "" "VERSION_CONTROL=n"
  compare "$FILES" "-sbv --backup=simple a b" "" "SIMPLE_BACKUP_SUFFIX=.x"
  compare "$FILES" "-sbv -S .y --backup=simple a b" "" "SIMPLE_BACKUP_SUFFIX=.x"
  compare "$FILES" "-sbv --backup=simple a b" "" "SIMPLE_BACKUP_SUFFIX=a/b"
  compare_all
}

@test "ln compat: bad backup controls" {
  compare "$FILES" "--backup=foo a b"
  compare "$FILES" "--backup=n a b"
  compare "$FILES" "--backup= a b"
  compare "$FILES" "--backup=foo a b c"
  compare "$FILES" "-r --backup=foo a b"
  compare "$FILES" "--backup=foo -T a"
  compare_all
}

@test "ln compat: -i asks" {
  compare "$FILES" "-si a b" "y
"
  compare "$FILES" "-si a b" "n
"
  compare "$FILES" "-si a b" ""
  compare "$FILES" "-i a b" "yes
"
  compare "$FILES" "-si a c" ""
  compare "$FILES" "-sif a b" ""
  compare "$FILES" "-sfi a b" "Y
"
  compare "$FILES" "-sib a b" "y
"
  compare_all
}

@test "ln compat: usage errors" {
  compare "$FILES" ""
  compare "$FILES" "-s"
  compare "$FILES" "-t"
  compare "$FILES" "-S"
  compare "$FILES" "--suffix"
  compare "$FILES" "--target-directory"
  compare "$FILES" "-x a b"
  compare "$FILES" "--bogus a b"
  compare "$FILES" "--bogus=1 a b"
  compare "$FILES" "--verb=x a b"
  compare "$FILES" "--s a b"
  compare "$FILES" "--no a b"
  compare "$FILES" "--v a b"
  compare "$FILES" "-T a"
  compare "$FILES" "-T a b c"
  compare "$FILES" "-t d -T a"
  compare "$FILES" "-t d -t e a"
  compare "$FILES" "-t nonex --bogus"
  compare "$FILES" "-T -t d"
  compare "$FILES" "-r"
  compare "$FILES" "-r a q"
  compare_all
}

@test "ln compat: long option abbreviations" {
  compare "$FILES" "--sym --verb a q"
  compare "$FILES" "--symbolic --force --verbose a b"
  compare "$FILES" "--sy --no-d --f a dl"
  compare "$FILES" "--symbolic --no-target-directory a d"
  compare "$FILES" "--symbolic --interactive a b" "n
"
  compare_all
}

@test "ln compat: option order and POSIXLY_CORRECT" {
  compare "$FILES" "a q -s"
  compare "$FILES" "a -s q -v"
  compare "$FILES" "a q -s" "" "POSIXLY_CORRECT=1"
  compare "$FILES" "-s a q -v" "" "POSIXLY_CORRECT=1"
  compare "$FILES" "-s -- a q" "" "POSIXLY_CORRECT=1"
  compare_all
}

@test "ln compat: names that need quoting" {
  compare "$FILES" "-sv a \$'q\\nr'"
  compare "$FILES" "-sv a \"it's\""
  compare "$FILES" "-sv a 'm'\\''\$n'"
  compare "$FILES" "-sv a 'é'"
  compare "$FILES" "-sv a \$'\\xff'"
  compare "$FILES" "-sv a \$'\\xff\\xfe'x"
  compare "$FILES" "-sv a \$'\\x1b'"
  compare "$FILES" "-sv a 'sp ace'"
  compare "$FILES" "-sv a '~h'"
  compare "$FILES" "-sv a 'h~'"
  compare "$FILES" "-sv a 'x\$y'"
  compare "$FILES" "-sv a '#h'"
  compare "$FILES" "-sv a 'a#h'"
  compare "$FILES" "-sv a '{'"
  compare "$FILES; mkdir 'sp ace'" "'sp ace' q"
  compare "$FILES; mkdir 'sp ace'" "-sfT a 'sp ace'"
  compare_all
}

@test "ln compat: names that need quoting in the C locale" {
  export LC_ALL=C
  compare "$FILES" "-sv a 'é'"
  compare "$FILES" "--backup=foo a b"
  compare_all
}

# ---- one test per class of difference the differential fuzzer found
# (tests/diff/ln_fuzz.py); each failed before its fix.

@test "ln class: -sfr onto the file its target names refuses, keeps the file" {
  compare "echo d > e" "-sfr e// e"
  compare "echo d > e" "-sfrv e// e"
  compare "echo d > e; mkdir s" "-sfr s/../e e"
  compare_all
  [ "$(cat "$LN_WORK/slink/0/e")" = d ]
}

@test "ln class: same file with --backup, hard links" {
  compare "echo m > m" "--suffix=~ m"
  compare "echo m > m" "--backup=never -L m"
  compare "echo m > m" "-i --backup= m" ""
  compare "echo m > m; ln -s nowhere n" "-b m m"
  compare "echo m > m" "-bv m ./m"
  compare_all
}

@test "ln class: same file with -f and a symbolic link operand" {
  compare "ln -s nowhere f" "--interactiv -f f" "n
"
  compare "ln -s nowhere f" "-f f"
  compare "echo a > a; ln -s a al" "-f al ./al"
  compare "echo a > a; ln -s a al" "-fL al ./al"
  compare_all
}

@test "ln class: -i without -f asks first, hard links of a file to itself" {
  compare "echo a > a" "-i a a" "y
"
  compare "echo a > a" "-i a ./a" "n
"
  compare "echo a > a" "-si a ./a" "n
"
  compare "echo a > a; ln -s a al" "-si al al" "y
"
  compare_all
}

@test "ln class: -r with a dangling or looping chain of links as source" {
  compare "ln -s nowhere dang" "-sr dang x"
  compare "ln -s dang2 dang; ln -s nowhere dang2" "-srv dang x"
  compare "ln -s loop loop" "-srv loop x"
  compare "ln -s l2 l1; ln -s l1 l2; mkdir d" "-srv l1 d/x"
  compare "ln -s l2 l1; ln -s l1 l2; mkdir d" "-srvf l1/x d/x"
  compare "mkdir d; ln -s .. d/up; echo a > a" "-srv d/up/a d/x"
  compare_all
}

@test "ln class: just-created names only where GNU keeps its list" {
  compare "ln -s . tb" "--backup= ./tb tb tb" "y
"
  compare "mkdir d x y; echo 1 > x/m; echo 2 > y/m" "-b x/m y/m d"
  compare "mkdir d x y; echo 1 > x/m; echo 2 > y/m" "-f --backup=t x/m y/m d"
  compare "mkdir d x y; echo 1 > x/m; echo 2 > y/m" "-fv --backup=simple x/m y/m d"
  compare "mkdir d x y; echo 1 > x/m; echo 2 > y/m" "-fv x/m y/m d"
  compare_all
}

@test "ln class: --backup order: checked after the first try, a bare --backup keeps CONTROL" {
  compare "echo a > a" "--backup=bogus a new"
  compare "echo a > a" "-s --backup=bogus a new"
  compare "echo a > a" "-s --backup=n a new"
  compare "echo a > a; echo b > b" "-s --backup=bogus a b"
  compare "echo a > a" "--backup=bogus a" "" "VERSION_CONTROL=x"
  compare "echo a > a" "-b a new" "" "VERSION_CONTROL=bogus"
  compare "echo a > a; echo b > b" "-v --backup=t --backup a b"
  compare "echo a > a; echo b > b" "-v --backup=t -b a b"
  compare "echo a > a; echo b > b" "-v --backup=ex --backup a b" "" "VERSION_CONTROL=o"
  compare "mkdir l; cd l" "--backup=ex -d --backup ." "" "VERSION_CONTROL=o"
  compare_all
}

@test "ln class: -n with -t does not enter a link to a directory" {
  compare "mkdir d; ln -s d dl; echo a > a" "-n -t dl a"
  compare "mkdir d; ln -s d dl; echo a > a" "-sn -t dl a"
  compare "mkdir d; ln -s d dl; echo a > a" "-sn -t dl/ a"
  compare "mkdir d; ln -s d dl; echo a > a" "-sn a dl/"
  compare "mkdir d; ln -s d dl; echo a > a" "-snf a a dl"
  compare_all
}

@test "ln class: trailing slashes on the link name" {
  compare "echo a > a; mkdir d" "-s a x/"
  compare "echo a > a; mkdir d" "-sf a x//"
  compare "echo a > a; echo b > b" "-sf a b/"
  compare "echo a > a; echo b > b" "-sfT a b/"
  compare "echo a > a; ln -s d dl; mkdir d" "-sfn a dl/"
  compare "echo a > a; ln -s nowhere dang" "-sf a dang/"
  compare "echo a > a; ln -s nowhere dang" "-f a dang/"
  compare "echo a > a; mkdir d" "-s a/ d/"
  compare "echo a > a; ln -s a al" "a al/sub//"
  compare "echo a > a; ln -s a al" "-sv a al/sub/"
  compare "echo a > a; ln -s loop loop" "-s a loop/sub/"
  compare "echo a > a; ln -s loop loop" "-f a loop/sub/"
  compare_all
}

@test "ln class: the target directory is looked up once" {
  compare "mkdir d; ln -s . d/s" "-sf x/s y -t d/s"
  compare "mkdir d; ln -s . d/s" "-sfv x/s y d/s"
  compare "mkdir d e; ln -s ../e d/s" "-sfnv x/s y d/s"
  compare_all
}

@test "ln class: backups by rename, a source through the link name" {
  compare "mkdir d; echo f > d/f; ln -s d dl" "-b dl/f dl"
  compare "mkdir d; echo f > d/f; ln -s d dl" "-sbv dl/f dl"
  compare "mkdir d; echo f > d/f; ln -s d dl" "-bfTv dl/f dl"
  compare "mkdir d; echo f > d/f; ln -s d dl" "-L --backup=t dl dl"
  compare_all
}

@test "ln class: a link to a loop of links is made, as GNU makes it" {
  compare "ln -s loop loop" "-s loop x"
  compare "ln -s loop loop" "-sv loop/x x"
  compare "ln -s l2 l1; ln -s l1 l2" "-sf l1 x"
  compare_all
}

@test "ln class: names with a single quote, double-quoted only when GNU does" {
  compare "mkdir \"it's.~1~\"" "\"it's.~1~\" x"
  compare "" "-sv a \"it's~\""
  compare "" "-sv a \"it's?\""
  compare "" "-sv a \"it's@\""
  compare "" "-sv a \"~it's\""
  compare "" "-sv a \"#it's\""
  compare "" "-sv a \"it's#\""
  compare "" "-sv a \"it's*\""
  compare "" "-sv a \"it's=\""
  compare "" "-sv a \"it's]\""
  compare "" "-sv a \$'it\\'s\\tx'"
  compare "" "-sv a \"it's é\""
  compare_all
}

@test "ln class: names GNU writes twice, and colons in unquoted names" {
  # A name with a single quote that ends in an escaped byte: GNU keeps
  # the escape left open by its first pass (a stray '' after the opening
  # quote), and as the second name of a message, the first time, it
  # loses the closing quote.
  IS="\$'it\\'s\\xc3\\xa9'"
  compare "mkdir m" "-s m m \$'m/it\\'s/\\xc3\\xa9'" "" "LC_ALL=C"
  compare "echo x > $IS" "-f $IS ./$IS" "" "LC_ALL=C"
  compare "echo x > $IS" "-f $IS ./$IS" "" "LC_ALL=C.UTF-8"
  compare "echo x > \$'a\\'b\\xff'" "-f \$'a\\'b\\xff' ./\$'a\\'b\\xff'"
  compare "echo x > \$'a\\'b\\t'" "-f \$'a\\'b\\t' ./\$'a\\'b\\t'"
  compare "echo x > \$'\\xff\\'b\\t'" "-f \$'\\xff\\'b\\t' ./\$'\\xff\\'b\\t'"
  compare "echo x > \$'a\\'b\\t'; mkdir d" "-fv \$'a\\'b\\t' \$'a\\'b\\t' d"
  compare "mkdir a:b" "a:b x"
  compare "mkdir a:b x; echo f > f" "-f f x/a:b/.."
  compare_all
}

@test "ln class: protected hard links and backups, as an unprivileged user" {
  # root owns b in a directory the user may write: fs.protected_hardlinks
  # forbids the user a hard link to it, but it can be renamed aside.
  RB='fixture; mkdir w; echo r > w/b|root|chown 0:0 w/b'
  compare "$RB" "-sbv a w/b"
  compare "$RB" "-bv a w/b"
  compare "$RB" "-sf --backup=numbered a w/b"
  compare "$RB" "-v w/b w/c"
  compare_all
}

@test "ln class: a hard link over a name the file has needs a writable directory, as an unprivileged user" {
  RO='mkdir ro; echo a > ro/a; ln ro/a ro/b; ln -s . ro/self; chmod 555 ro'
  compare "$RO" "-f ro/a ro/b"
  compare "$RO" "-fv ro/a ro/b"
  compare "$RO" "-i ro/a ro/b" "y
"
  compare "$RO" "-fi ro/self ro/" "yes
"
  compare "mkdir w; echo a > w/a; ln w/a w/b" "-fv w/a w/b"
  compare "mkdir w; echo a > w/a; ln -s . w/self" "-fi w/self w/" "y
"
  compare_all
}

@test "ln class: -d on a directory fails as the system checks, as an unprivileged user" {
  RO='mkdir d ro; ln -s . ro/b; echo f > ro/f; echo e > e; chmod 555 ro'
  compare "$RO" "-d d ro/x"
  compare "$RO" "-df -b d ro/b"
  compare "$RO" "-d d ro"
  compare "$RO" "-F d e"
  compare "$RO" "-d d nodir/x"
  compare "$RO" "-d d e/x"
  compare "$RO" "-d d x"
  # asked, then the backup refused: one message each, nothing leaked
  compare "$RO" "-fib e ro/f" "y
"
  compare_all
}
