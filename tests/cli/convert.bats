#!/usr/bin/env bats
# slink convert and the recognition of faked links: Git placeholders made
# by Debian's git with core.symlinks=false, Cygwin's files as
# winsup/cygwin/path.cc writes them (tests/fixtures/cygwin, made by its
# make.py) and shortcuts written by Windows (tests/fixtures/lnk).
load helpers

FIX="$SLINK_SRC/tests/fixtures"

setup() { setup_dir; }
teardown() { teardown_dir; }

g() { git -c user.name=t -c user.email=t@example.org "$@"; }

# A repository with links of every shape, and a checkout of it made
# without symlink support: each link there is a placeholder file.
make_repo() {
  git init -q src
  mkdir -p src/d/sub
  echo hello > src/d/f
  echo sub > src/d/sub/s
  ln -s d/f src/file-link
  ln -s d src/dir-link
  ln -s ../f src/d/sub/up
  ln -s 'name with spaces' src/spaced
  ln -s nowhere src/dangling
  ln -s ../outside src/escape
  ln -s /etc/hostname src/absolute
  (cd src && g add -A && g commit -qm init)
  git clone -q -c core.symlinks=false src co
  [ "$(git -C co config core.symlinks)" = false ]
}

# co: a clone of top, without symlink support, whose submodule lib holds
# the link lib.h -> lib.c
make_submodule_checkout() {
  git init -q lib
  ln -s lib.c lib/lib.h && echo 'int x;' > lib/lib.c
  (cd lib && g add -A && g commit -qm lib)
  git init -q top
  (cd top && g -c protocol.file.allow=always submodule add -q ../lib lib && g commit -qm top)
  g -c protocol.file.allow=always -c core.symlinks=false clone -q --recurse-submodules top co
}

clean() { # the work tree DIR is clean for plumbing and porcelain alike
  # diff-files first: it trusts the index's stat data and writes nothing,
  # while git status refreshes the index itself
  git -C "$1" diff-files --quiet || { git -C "$1" diff-files; return 1; }
  run git -C "$1" status --porcelain
  [ "$status" -eq 0 ] && [ -z "$output" ] || { echo "git status: $output"; return 1; }
}

no_temp() { # no temporary name left anywhere below .
  run find . -name '.slink-*.tmp'
  [ -z "$output" ] || { echo "left: $output"; return 1; }
}

@test "convert: git placeholders are recognised only with the index's word" {
  make_repo
  cd co
  [ -f file-link ]
  [ ! -L file-link ]
  run "$SLINK" show file-link
  [ "$status" -eq 0 ]
  [[ "$output" == *"kind:      git-placeholder"* ]] || false
  [[ "$output" == *"target:    d/f"* ]] || false
  [[ "$output" == *"faked"* ]] || false
  # the same bytes outside Git's index, or under a 100644 entry: a file
  printf 'd/f' > untracked
  printf 'd/f' > d/sub/s
  for f in untracked d/sub/s d/f; do
    run "$SLINK" show "$f"
    [[ "$output" == *"kind:      file"* ]] || false
  done
}

@test "convert: placeholders become the links a symlink checkout has, git stays clean" {
  make_repo
  git clone -q src real
  cd co
  run "$SLINK" convert -n file-link dir-link d/sub/up spaced dangling
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "would convert file-link: git-placeholder to symlink -> d/f" ]] || false
  [ ! -L file-link ]
  [ ! -L dir-link ]
  run "$SLINK" convert file-link dir-link d/sub/up spaced dangling
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "converted file-link: git-placeholder to symlink -> d/f" ]
  # differential: each link as git itself makes it with symlinks on
  # an absolute target leads outside the work tree too
  run "$SLINK" convert absolute
  [ "$status" -eq 1 ]
  [ ! -L absolute ]
  "$SLINK" convert --allow-escapes absolute
  for l in file-link dir-link d/sub/up spaced dangling absolute; do
    [ -L "$l" ]
    [ "$(readlink "$l")" = "$(readlink "../real/$l")" ]
  done
  [ "$(cat file-link)" = hello ]
  clean .
  cd .. && no_temp
}

@test "convert: --to placeholder gives back Git's exact bytes, git stays clean" {
  make_repo
  cp -a co pristine
  cd co
  "$SLINK" convert file-link dir-link spaced d/sub/up
  run "$SLINK" convert --to placeholder file-link dir-link spaced d/sub/up
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "converted file-link: symlink to git-placeholder -> d/f" ]
  for l in file-link dir-link spaced d/sub/up; do
    [ -f "$l" ]
    [ ! -L "$l" ]
    cmp "$l" "../pristine/$l"
  done
  clean .
  # again: already so, nothing changed
  run "$SLINK" convert --to placeholder file-link
  [ "$status" -eq 0 ]
  [[ "$output" == *"already"* ]] || false
  # a link Git does not keep cannot be made a placeholder
  ln -s d/f mine
  run "$SLINK" convert --to placeholder mine
  [ "$status" -eq 1 ]
  [ "$output" = "slink: convert: mine: is not a symbolic link in Git's index; nothing converted" ]
  [ -L mine ]
}

@test "convert: an edited placeholder is left alone and reported" {
  make_repo
  cd co
  printf 'd/f-edited' > file-link
  run "$SLINK" convert file-link
  [ "$status" -eq 1 ]
  [ "$output" = "slink: convert: file-link: no longer holds what Git recorded for the link; left alone" ]
  [ ! -L file-link ]
  [ "$(cat file-link)" = d/f-edited ]
  run "$SLINK" show file-link
  [[ "$output" == *"warning: no longer holds what Git recorded"* ]] || false
  [[ "$output" == *"kind:      file"* ]] || false
}

@test "convert: a target leaving the work tree needs --allow-escapes" {
  make_repo
  cd co
  run "$SLINK" convert escape
  [ "$status" -eq 1 ]
  [[ "$output" == *"escape: the target leads outside the repository or tree; give --allow-escapes" ]] || false
  [ ! -L escape ]
  run "$SLINK" convert --allow-escapes escape
  [ "$status" -eq 0 ]
  [ "$(readlink escape)" = ../outside ]
  clean .
}

@test "convert: -R converts a whole checkout, never inside .git" {
  make_repo
  cd co
  mkdir .git/trap && cp "$FIX/cygwin/sys-relative" .git/trap/sys
  before=$(find .git -type f | LC_ALL=C sort | grep -v '^.git/index$' | xargs sha1sum)
  run "$SLINK" convert -R .
  [ "$status" -eq 1 ]   # the escaping one is refused
  [[ "$output" == *"convert: escape: the target leads outside"* ]] || false
  [[ "$output" == *"convert: absolute: the target leads outside"* ]] || false
  [ "$(find . -path ./.git -prune -o -type l -print | wc -l)" -eq 5 ]
  [[ "$output" != *"already"* ]] || false
  [ ! -L escape ]
  [ -f d/f ]
  [ ! -L d/f ]
  [ "$before" = "$(find .git -type f | LC_ALL=C sort | grep -v '^.git/index$' | xargs sha1sum)" ]
  clean .
  no_temp
}

@test "convert: --json, one change object per link" {
  make_repo
  cd co
  run "$SLINK" convert --json -n file-link dir-link
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = '{"path":"file-link","from":"git-placeholder","to":"symlink","target":"d/f","changed":true,"dry_run":true}' ]
  [ "${#lines[@]}" -eq 2 ]
  "$SLINK" convert --json file-link dir-link > ../out.json
  python3 "$SLINK_SRC/tests/json/validate.py" "$SLINK_SRC/docs/json.schema.json" conversion < ../out.json
  grep -q '"dry_run":false' ../out.json
}

@test "convert: linked worktrees and submodules convert in their own index" {
  make_repo
  git -C co worktree add -q ../wt 2>/dev/null
  [ -f wt/file-link ]
  [ ! -L wt/file-link ]
  run "$SLINK" convert wt/file-link co/dir-link
  [ "$status" -eq 0 ]
  [ -L wt/file-link ]
  [ -L co/dir-link ]
  clean wt
  clean co
}

@test "convert: Cygwin's sys, 8-bit and Interix files become symbolic links" {
  cp "$FIX"/cygwin/sys-* "$FIX"/cygwin/interix .
  run "$SLINK" convert sys-relative sys-unicode sys-absolute sys-8bit interix
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "converted sys-relative: cygwin-sys to symlink -> ../lib/libfoo.so.1" ]
  [ "${lines[3]}" = "converted sys-8bit: cygwin-8bit to symlink -> old/target" ]
  [ "${lines[4]}" = "converted interix: interix to symlink -> /bin/sh" ]
  [ "$(readlink sys-relative)" = ../lib/libfoo.so.1 ]
  [ "$(readlink sys-unicode)" = "$(printf 'r\303\251sum\303\251/\346\227\245\346\234\254')" ]
  [ "$(readlink sys-absolute)" = /usr/share/doc ]
  [ "$(readlink interix)" = /bin/sh ]
  no_temp
}

@test "convert: --to cygwin writes what Cygwin writes, byte for byte" {
  for f in sys-relative sys-unicode sys-absolute; do
    cp "$FIX/cygwin/$f" "$f"
    "$SLINK" convert "$f"
    [ -L "$f" ]
    run "$SLINK" convert --to cygwin "$f"
    [ "$status" -eq 0 ]
    [ ! -L "$f" ]
    cmp "$f" "$FIX/cygwin/$f"
  done
  # an 8-bit or Interix file is brought to today's form
  cp "$FIX/cygwin/sys-8bit" old
  "$SLINK" convert --to cygwin old
  printf '!<symlink>\377\376o\0l\0d\0/\0t\0a\0r\0g\0e\0t\0\0\0' | cmp - old
}

@test "convert: --to shortcut writes Cygwin's winsymlinks:lnk shortcut, byte for byte, and back" {
  for f in cygwin-shortcut cygwin-shortcut-long cygwin-shortcut-unicode; do
    cp "$FIX/cygwin/$f.lnk" "$f.lnk"
    # shortcut -> native -> shortcut
    "$SLINK" convert "$f.lnk"
    [ -L "$f.lnk" ]
    target=$(readlink "$f.lnk")
    run "$SLINK" convert --to shortcut "$f.lnk"
    [ "$status" -eq 0 ]
    [ "$output" = "converted $f.lnk: symlink to lnk-cygwin -> $target" ]
    [ ! -L "$f.lnk" ]
    cmp "$f.lnk" "$FIX/cygwin/$f.lnk"
    # native -> shortcut -> native
    run "$SLINK" convert "$f.lnk"
    [ "$status" -eq 0 ]
    [ "$output" = "converted $f.lnk: lnk-cygwin to symlink -> $target" ]
    [ "$(readlink "$f.lnk")" = "$target" ]
  done
  run "$SLINK" show cygwin-shortcut-long.lnk
  [[ "$output" == *"kind:      symlink"* ]] || false
  no_temp
}

@test "convert: a shortcut's name must end in .lnk; the link is left as it was" {
  ln -s ../share/man man
  run "$SLINK" convert --to shortcut man
  [ "$status" -eq 1 ]
  [ "$output" = "slink: convert: man: a shortcut's name must end in .lnk (no other is read as one); nothing converted" ]
  [ "$(readlink man)" = ../share/man ]
  ln -s ../share/man MAN.LNK
  run "$SLINK" convert --to shortcut MAN.LNK
  [ "$status" -eq 0 ]
  cmp MAN.LNK "$FIX/cygwin/cygwin-shortcut.lnk"
  # in a tree, links of other names are passed over without a word
  mkdir t && ln -s ../x t/a.lnk && ln -s ../x t/b
  run "$SLINK" convert -R --to shortcut t
  [ "$status" -eq 0 ]
  [ "$output" = "converted t/a.lnk: symlink to lnk-cygwin -> ../x" ]
  [ "$(readlink t/b)" = ../x ]
  no_temp
}

@test "convert: --to interix writes the Interix file, byte for byte, and back" {
  cp "$FIX/cygwin/interix" ix
  "$SLINK" convert ix
  [ "$(readlink ix)" = /bin/sh ]
  run "$SLINK" convert --to interix ix
  [ "$status" -eq 0 ]
  [ "$output" = "converted ix: symlink to interix -> /bin/sh" ]
  cmp ix "$FIX/cygwin/interix"
  run "$SLINK" convert --to interix ix
  [ "$output" = "ix is a interix already -> /bin/sh" ]
  # every form to every other and back to the first, the bytes unchanged
  cp "$FIX/cygwin/sys-unicode" u
  "$SLINK" convert --to interix u
  "$SLINK" convert --to cygwin u
  cmp u "$FIX/cygwin/sys-unicode"
  "$SLINK" convert --to interix u
  "$SLINK" convert u
  "$SLINK" convert --to interix u
  printf 'IntxLNK\001' | cat - <(printf 'r\303\251sum\303\251/\346\227\245\346\234\254' | iconv -f UTF-8 -t UTF-16LE) | cmp - u
  no_temp
}

@test "convert: a broken Cygwin file is an error naming it, nothing touched" {
  cp "$FIX"/cygwin/bad-* .
  before=$(snapshot)
  run "$SLINK" convert bad-unterminated bad-surrogate bad-empty
  [ "$status" -eq 1 ]
  [ "${lines[0]}" = "slink: convert: bad-unterminated: the link file's target is not terminated" ]
  [ "${lines[1]}" = "slink: convert: bad-surrogate: holds an unpaired UTF-16 surrogate" ]
  [ "${lines[2]}" = "slink: convert: bad-empty: the link file holds no target" ]
  [ "$before" = "$(snapshot)" ]
  cmp bad-unterminated "$FIX/cygwin/bad-unterminated"
}

@test "convert: the magic alone after its file is cut short is no link" {
  printf '!<symlink>' > cut
  printf 'IntxLNK' > short
  printf 'just text\n' > plain
  run "$SLINK" convert cut short plain
  [ "$status" -eq 1 ]
  [ "${lines[1]}" = "slink: convert: short: is not a link from another system; nothing converted" ]
  [ "${lines[2]}" = "slink: convert: plain: is not a link from another system; nothing converted" ]
  [ -f cut ]
  [ -f short ]
  [ -f plain ]
}

@test "convert: Cygwin's shortcut becomes a link; Windows' are shown and converted where their path maps" {
  cp "$FIX"/cygwin/cygwin-shortcut.lnk "$FIX"/lnk/*.lnk .
  run "$SLINK" convert cygwin-shortcut.lnk
  [ "$status" -eq 0 ]
  [ "$output" = "converted cygwin-shortcut.lnk: lnk-cygwin to symlink -> ../share/man" ]
  [ "$(readlink cygwin-shortcut.lnk)" = ../share/man ]
  run "$SLINK" show NeroInfoTool.lnk
  [[ "$output" == *"kind:      shortcut"* ]] || false
  [[ "$output" == *"target:    'C:\\Program Files (x86)\\Nero\\Nero 9\\Nero InfoTool\\InfoTool.exe'"* ]] || false
  run "$SLINK" show example.lnk
  [[ "$output" == *"target:    '.\\migwiz\\migwiz.exe'"* ]] || false
  # C:\ maps to no directory here (no ntfs-3g volume with .NTFS-3G/C:)
  run "$SLINK" convert NeroInfoTool.lnk
  [ "$status" -eq 1 ]
  [ "$output" = "slink: convert: NeroInfoTool.lnk: is a Windows shortcut to a drive that maps to no directory here (on an ntfs-3g volume .NTFS-3G/X: at its root maps drive X:); left alone" ]
  [ -f NeroInfoTool.lnk ]
  cmp NeroInfoTool.lnk "$FIX/lnk/NeroInfoTool.lnk"
  run "$SLINK" convert unpaired_surrogate.lnk
  [ "$status" -eq 1 ]
  [ "$output" = "slink: convert: unpaired_surrogate.lnk: holds an unpaired UTF-16 surrogate" ]
  # the same bytes under another name are no shortcut (Windows wants .lnk)
  cp NeroInfoTool.lnk nero.bin
  run "$SLINK" show nero.bin
  [[ "$output" == *"kind:      file"* ]] || false
}

@test "convert: a shortcut's 8-bit names: decoded from the code page it records, else shown as bytes of an unknown one" {
  cp "$FIX"/lnk/xp-remote-file.lnk "$FIX"/lnk/win-cp1252.lnk "$FIX"/lnk/win-cp932.lnk "$FIX"/lnk/win-ansi.lnk .
  # written by Windows XP: a share's names in 8 bits, no code page recorded
  run --separate-stderr "$SLINK" show xp-remote-file.lnk
  [ "$status" -eq 0 ]
  [ "$stderr" = "slink: show: xp-remote-file.lnk: warning: the shortcut's 8-bit names are in a code page it does not record; bytes above 0x7F shown escaped" ]
  [[ "$output" == *"target:    '\\\\ALS-FICHIERS3\\QUALIT'\$'\\311''\\Archives\\M'\$'\\351''thodologie WAS\\"* ]] || false
  # a ConsoleFEDataBlock's code page decodes them
  run --separate-stderr "$SLINK" show win-cp1252.lnk
  [ -z "$stderr" ]
  [[ "$output" == *"target:    '\\\\server\\données\\café.txt'"* ]] || false
  run --separate-stderr "$SLINK" show win-cp932.lnk
  [ -z "$stderr" ]
  [[ "$output" == *"target:    'C:\\日本\\a.txt'"* ]] || false
  run --separate-stderr "$SLINK" scan --faked .
  [[ "$stderr" == *"slink: scan: win-ansi.lnk: warning: the shortcut's 8-bit names are in a code page"* ]] || false
  [[ "$stderr" == *"slink: scan: xp-remote-file.lnk: warning: the shortcut's 8-bit names"* ]] || false
  [[ "$stderr" != *"win-cp1252"* ]] || false
  # no link is made from names of an unknown code page
  run "$SLINK" convert win-ansi.lnk
  [ "$status" -eq 1 ]
  [ "$output" = "slink: convert: win-ansi.lnk: is a Windows shortcut whose 8-bit names are in a code page it does not record; left alone" ]
  cmp win-ansi.lnk "$FIX/lnk/win-ansi.lnk"
}

@test "convert: a shortcut to a shell object or URL is not a link" {
  # MS-SHLLINK header with only HasLinkTargetIDList: one shell item, the
  # Control Panel's CLSID (21EC2020-3AEA-1069-A2DD-08002B30309D).
  {
    printf 'L\0\0\0\001\024\002\0\0\0\0\0\300\0\0\0\0\0\0F'
    printf '\001\0\0\0'; head -c 52 /dev/zero    # flags; the rest of 0x4C
    printf '\026\0'                               # IDListSize 22
    printf '\024\0\037\0'                         # item: size 20, root folder
    printf '\040\040\354\041\352\072\151\020\242\335\010\000\053\060\060\235'
    printf '\0\0'                                  # TerminalID
    printf '\0\0\0\0'                              # no extra data
  } > panel.lnk
  [ "$(head -c 4 panel.lnk | od -An -tx1 | tr -d ' ')" = 4c000000 ]
  run "$SLINK" convert panel.lnk
  [ "$status" -eq 1 ]
  [ "$output" = "slink: convert: panel.lnk: is a shortcut to Control Panel, not to a file; not a link" ]
  [ -f panel.lnk ]
  # an ID list of nothing known is still no link, said generally
  printf '\001' | dd of=panel.lnk bs=1 seek=$((0x4C + 2 + 4)) conv=notrunc 2>/dev/null
  run "$SLINK" convert panel.lnk
  [ "$status" -eq 1 ]
  [ "$output" = "slink: convert: panel.lnk: is a shortcut to a shell folder, not to a file; not a link" ]
}

@test "convert: --to wsl where the filesystem has no reparse points is refused cleanly" {
  ln -s target l
  run "$SLINK" convert --to wsl l
  [ "$status" -eq 1 ]
  [ "$output" = "slink: convert: l: operation not supported on this filesystem" ]
  [ "$(readlink l)" = target ]
  no_temp
}

@test "convert: usage errors" {
  run "$SLINK" convert
  [ "$status" -eq 2 ]
  run "$SLINK" convert --to banana x
  [ "$status" -eq 2 ]
  [[ "$output" == *"--to takes native, symlink, junction, wsl, cygwin, shortcut, interix or placeholder"* ]] || false
  run "$SLINK" convert missing
  [ "$status" -eq 1 ]
  [ "$output" = "slink: convert: missing: no such file or directory" ]
}

@test "convert: scan --faked lists faked links with their states; plain scan does not" {
  make_repo
  cp "$FIX/cygwin/sys-relative" "$FIX/cygwin/bad-unterminated" co/
  run "$SLINK" scan co
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  run --separate-stderr "$SLINK" scan --faked co
  [ "$status" -eq 1 ]
  [[ "$output" == *"co/file-link -> d/f  [git-placeholder] ok,relative,faked"* ]] || false
  [[ "$output" == *"co/escape -> ../outside  [git-placeholder] dangling,relative,escapes,faked"* ]] || false
  [[ "$output" == *"co/sys-relative -> ../lib/libfoo.so.1  [cygwin-symlink]"* ]] || false
  [[ "$output" != *"d/f ->"* ]] || false
  [[ "$stderr" == *"co/bad-unterminated: warning: the link file's target is not terminated"* ]] || false
  run --separate-stderr "$SLINK" scan --faked --state faked --json co
  [ "${#lines[@]}" -eq 8 ]
  printf '%s\n' "${lines[@]}" > out.json
  python3 "$SLINK_SRC/tests/json/validate.py" "$SLINK_SRC/docs/json.schema.json" entry < out.json
}

@test "convert: a submodule's placeholders convert in the submodule's index" {
  make_submodule_checkout
  [ -f co/lib/lib.h ]
  [ ! -L co/lib/lib.h ]
  run "$SLINK" show co/lib/lib.h
  [[ "$output" == *"kind:      git-placeholder"* ]] || false
  run "$SLINK" convert co/lib/lib.h
  [ "$status" -eq 0 ]
  [ "$(readlink co/lib/lib.h)" = lib.c ]
  clean co/lib
  clean co
}

@test "convert: --to junction where there are no junctions makes an absolute link" {
  cp "$FIX/cygwin/sys-relative" j
  run "$SLINK" convert --to junction j
  [ "$status" -eq 0 ]
  [ "$(readlink j)" = "$(cd .. && pwd -P)/lib/libfoo.so.1" ]
}

@test "convert: differential against git on generated trees, both ways" {
  for seed in 1 2 3; do
    rm -rf src co real back
    git init -q src
    python3 - src "$seed" <<'PY'
import os, random, sys
root, rnd = sys.argv[1], random.Random(int(sys.argv[2]))
names = ["a", "b c", "r\u00e9sum\u00e9", "x.y", "-dash", "\u65e5\u672c", "$HOME", "q'uote"]
dirs = [""]
for i in range(12):
    d = os.path.join(rnd.choice(dirs), rnd.choice(names) + str(i))
    os.makedirs(os.path.join(root, d), exist_ok=True)
    dirs.append(d)
for i in range(60):
    d = rnd.choice(dirs)
    with open(os.path.join(root, d, "f%d" % i), "w") as f:
        f.write("%d\n" % i)
for i in range(120):
    d = rnd.choice(dirs)
    depth = d.count("/") + (1 if d else 0)
    t = rnd.choice([
        lambda: "f%d" % rnd.randrange(60),
        lambda: "../" * rnd.randint(0, depth) + rnd.choice(dirs[1:]) ,
        lambda: "./" + rnd.choice(names) + "/../f1",
        lambda: "missing/" + rnd.choice(names),
        lambda: "a//b/./c/",
    ])()
    os.symlink(t or ".", os.path.join(root, d, "l%d" % i))
PY
    (cd src && g add -A && g commit -qm gen)
    git clone -q -c core.symlinks=false src co
    git clone -q src real
    git clone -q -c core.symlinks=false src back
    "$SLINK" convert -R -q --allow-escapes co
    tree() { (cd "$1" && find . -path ./.git -prune -o -printf '%p %y %l\n' | LC_ALL=C sort); }
    [ "$(tree co)" = "$(tree real)" ] || { diff <(tree co) <(tree real) | head; return 1; }
    clean co
    "$SLINK" convert -R -q --to placeholder co
    [ "$(tree co)" = "$(tree back)" ]
    diff -r -q --exclude=.git co back
    clean co
  done
}

@test "convert: scan --kind takes the faked kinds and implies --faked" {
  make_repo
  cp "$FIX/cygwin/sys-relative" "$FIX/cygwin/cygwin-shortcut.lnk" co/
  ln -s d/f co/real-link
  run --separate-stderr "$SLINK" scan --kind git-placeholder co
  [ "$status" -eq 1 ]    # the escaping and dangling placeholders
  [ "${#lines[@]}" -eq 7 ]
  [[ "$output" == *"co/file-link -> d/f  [git-placeholder] ok,relative,faked"* ]] || false
  [[ "$output" != *"cygwin"* ]] || false
  [[ "$output" != *"real-link"* ]] || false
  run "$SLINK" scan --kind cygwin-symlink co
  [ "$output" = "co/sys-relative -> ../lib/libfoo.so.1  [cygwin-symlink] dangling,relative,escapes,faked" ]
  run "$SLINK" scan --kind shortcut,symlink co
  [ "${#lines[@]}" -eq 2 ]
  [ "${lines[0]}" = "co/cygwin-shortcut.lnk -> ../share/man  [shortcut] dangling,relative,escapes,faked" ]
  [ "${lines[1]}" = "co/real-link -> d/f  [symlink] ok,relative" ]
  run "$SLINK" scan --kind symlink co
  [ "$output" = "co/real-link -> d/f  [symlink] ok,relative" ]
  run "$SLINK" scan --kind git-placeholders co
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "slink: scan: unknown kind git-placeholders" ]
}

# Both ways on PATHS of the checkout TOP, git clean after each.
round_trip() {
  local top=$1; shift
  (cd "$top" && "$SLINK" convert "$@")
  for l in "$@"; do [ -L "$top/$l" ]; done
  clean "$top"
  (cd "$top" && "$SLINK" convert --to placeholder "$@")
  for l in "$@"; do [ -f "$top/$l" ] && [ ! -L "$top/$l" ]; done
  clean "$top"
}

@test "convert: a split index (core.splitIndex, sharedindex file) is read and stays split" {
  make_repo
  git -C co config core.splitIndex true
  git -C co update-index --split-index
  ls co/.git/sharedindex.*
  run "$SLINK" show co/file-link
  [[ "$output" == *"kind:      git-placeholder"* ]] || false
  round_trip co file-link dir-link d/sub/up
  ls co/.git/sharedindex.*
  [ "$(git -C co config core.splitIndex)" = true ]
}

@test "convert: a sparse index converts inside the cone and stays sparse" {
  make_repo
  mkdir src/e && ln -s ../d/f src/e/l
  (cd src && g add -A && g commit -qm e)
  rm -rf co && git clone -q -c core.symlinks=false src co
  git -C co sparse-checkout set --cone d
  git -C co config index.sparse true
  git -C co sparse-checkout reapply
  # e/ is one sparse directory entry, its link not checked out
  git -C co ls-files --sparse | grep -qx e/
  [ ! -e co/e ]
  round_trip co d/sub/up file-link
  # the index is still sparse after the conversions
  git -C co ls-files --sparse -s | grep -q '^040000 '
}

@test "convert: a placeholder marked skip-worktree is refused, naming it and why" {
  make_repo
  git -C co update-index --skip-worktree file-link
  run "$SLINK" convert co/file-link
  [ "$status" -eq 1 ]
  [ "$output" = "slink: convert: co/file-link: is marked skip-worktree in Git's index (outside a sparse checkout): Git does not keep this file; left alone" ]
  [ -f co/file-link ]
  [ ! -L co/file-link ]
  run --separate-stderr "$SLINK" show co/file-link
  [[ "$stderr" == *"skip-worktree"* ]] || false
}

@test "convert: a submodule's and a linked worktree's placeholders go both ways" {
  make_submodule_checkout
  # what a checkout without symlink support records in each repository
  git -C co config core.symlinks false
  git -C co/lib config core.symlinks false
  round_trip co/lib lib.h
  clean co
  git -C co/lib worktree add -q ../../wt 2>/dev/null
  round_trip wt lib.h
  clean co/lib
}

@test "convert: shortcuts written by Windows: files and folders by path, shell objects and URLs named and left alone" {
  cp "$FIX"/lnk/xp-*.lnk "$FIX"/lnk/win7-*.lnk "$FIX"/lnk/win10-*.lnk "$FIX"/lnk/ws2012-*.lnk .
  before=$(snapshot)
  run "$SLINK" show xp-local-file.lnk win7-local-dir.lnk ws2012-idlist-file.lnk
  [ "$status" -eq 0 ]
  [[ "$output" == *"target:    'C:\WINDOWS\desktop.ini'"* ]] || false
  [[ "$output" == *"target:    'C:\Users\Administrator'"* ]] || false
  # no LinkInfo: the path its ID list spells from This PC
  [[ "$output" == *"target:    'C:\WINDOWS\system32\WindowsPowerShell\v1.0\powershell.exe'"* ]] || false
  [ "$(grep -c 'kind:      shortcut' <<<"$output")" -eq 3 ]
  run "$SLINK" show xp-remote-file.lnk
  [[ "$output" == *"kind:      shortcut"* ]] || false
  [[ "$output" == *"target:    '\\\\ALS-FICHIERS3\\QUALIT"* ]] || false
  run "$SLINK" convert win7-control-panel.lnk xp-internet.lnk win10-documents.lnk xp-remote-file.lnk xp-local-file.lnk
  [ "$status" -eq 1 ]
  [ "${lines[0]}" = "slink: convert: win7-control-panel.lnk: is a shortcut to Control Panel, not to a file; not a link" ]
  [ "${lines[1]}" = "slink: convert: xp-internet.lnk: is a shortcut to a URL, not to a file; not a link" ]
  [ "${lines[2]}" = "slink: convert: win10-documents.lnk: is a shortcut to a shell folder, not to a file; not a link" ]
  # a share, its names in an unknown code page: the names are refused first
  [ "${lines[3]}" = "slink: convert: xp-remote-file.lnk: is a Windows shortcut whose 8-bit names are in a code page it does not record; left alone" ]
  [[ "${lines[4]}" == "slink: convert: xp-local-file.lnk: is a Windows shortcut to a drive that maps to no directory here"* ]] || false
  run "$SLINK" show win7-control-panel.lnk
  [ "$status" -eq 0 ]
  [[ "$output" == *"is a shortcut to Control Panel, not to a file; not a link"* ]] || false
  [[ "$output" == *"kind:      file"* ]] || false
  [ "$before" = "$(snapshot)" ]
  for f in *.lnk; do cmp "$f" "$FIX/lnk/$f"; done
}

@test "convert: a Windows shortcut by relative path becomes a relative link; drives and shares are refused clearly" {
  cp "$FIX"/lnk/win-*.lnk "$FIX/lnk/example.lnk" .
  run "$SLINK" show win-relative.lnk
  [[ "$output" == *"kind:      shortcut"* ]] || false
  [[ "$output" == *"target:    '..\\docs\\readme.txt'"* ]] || false
  run "$SLINK" convert -n win-relative.lnk
  [ "$output" = "would convert win-relative.lnk: lnk-windows to symlink -> ../docs/readme.txt" ]
  [ -f win-relative.lnk ]
  run "$SLINK" convert win-relative.lnk example.lnk
  [ "$status" -eq 0 ]
  [ "$(readlink win-relative.lnk)" = ../docs/readme.txt ]
  [ "$(readlink example.lnk)" = ./migwiz/migwiz.exe ]
  run "$SLINK" convert win-local.lnk win-dir.lnk win-unc.lnk
  [ "$status" -eq 1 ]
  [ "${lines[0]}" = "slink: convert: win-local.lnk: is a Windows shortcut to a drive that maps to no directory here (on an ntfs-3g volume .NTFS-3G/X: at its root maps drive X:); left alone" ]
  [[ "${lines[1]}" == "slink: convert: win-dir.lnk: is a Windows shortcut to a drive"* ]] || false
  [ "${lines[2]}" = "slink: convert: win-unc.lnk: is a Windows shortcut to a network share or a drive-relative path, which no link here can name; left alone" ]
  for f in win-local win-dir win-unc; do cmp "$f.lnk" "$FIX/lnk/$f.lnk"; done
  no_temp
}
