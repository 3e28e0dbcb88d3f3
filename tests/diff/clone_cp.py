#!/usr/bin/env python3
"""slink clone --hard and --copy against the source and against cp -a, on
a generated tree (gen_tree.py) given xattrs, read-only files and
directories and odd times.

Both clones are compared with SRC entry by entry: the same entries, types,
modes, owners, nanosecond times of files and directories, xattrs and bytes;
every inner link (one whose target names a place in SRC) recreated: an
absolute one rewritten to the same place in DEST, a relative one unchanged,
so it resolves inside DEST; every outer link kept; every hard-link group
inside SRC one group in DEST (with --copy of new files, with --hard the
source's own). Then each clone against `cp -a SRC` entry by entry: the same,
but for the inner absolute links cp -a leaves pointing into SRC.

Needs root for owners and a fast filesystem: as root the tree lives on an
ext4 image in a tmpfs, else in a temporary directory.
"""
import argparse
import hashlib
import os
import random
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import gen_tree  # noqa: E402  (tests/gen_tree.py)


def sh(*cmd, check=True):
    return subprocess.run(cmd, check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)



def xattrs(p):
    try:
        names = os.listxattr(p, follow_symlinks=False)
    except OSError:
        return ()
    return tuple(sorted((n, os.getxattr(p, n, follow_symlinks=False))
                        for n in names))


def describe(root, prefix):
    """path -> attributes, and path -> (dev, ino) of the files. Absolute
    link targets at or below PREFIX are written ROOT/..."""
    ents, inodes = {}, {}
    pb = os.fsencode(prefix)
    broot = os.fsencode(root)
    for d, dirs, files in os.walk(broot):
        for n in dirs + files:
            p = os.path.join(d, n)
            rel = os.path.relpath(p, broot)
            st = os.lstat(p)
            base = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode),
                    st.st_uid, st.st_gid)
            if stat.S_ISLNK(st.st_mode):
                t = os.readlink(p)
                if t == pb or t.startswith(pb + b"/"):
                    t = b"ROOT" + t[len(pb):]
                ents[rel] = base + (t,)
            elif stat.S_ISDIR(st.st_mode):
                ents[rel] = base + (st.st_mtime_ns, xattrs(p))
            else:
                with open(p, "rb") as f:
                    h = hashlib.sha256(f.read()).hexdigest()
                ents[rel] = base + (st.st_size, st.st_mtime_ns, xattrs(p), h)
                inodes[rel] = (st.st_dev, st.st_ino)
    return ents, inodes


def groups(inodes):
    by = {}
    for rel, key in inodes.items():
        by.setdefault(key, []).append(rel)
    return sorted(sorted(g) for g in by.values() if len(g) > 1)


def inner(src, rel, target):
    """Whether the link REL (relative to SRC) names a place inside SRC."""
    t = os.fsdecode(target)
    base = os.path.dirname(os.path.join(src, os.fsdecode(rel)))
    full = os.path.normpath(t if os.path.isabs(t) else os.path.join(base, t))
    return full == src or full.startswith(src + "/")


def decorate(root, seed):
    """xattrs on some entries, read-only files and directories, odd times."""
    rng = random.Random(seed)
    paths = []
    for d, dirs, files in os.walk(root):
        paths += [os.path.join(d, n) for n in dirs + files]
    paths.sort()
    for p in paths:
        if os.path.islink(p):
            continue
        r = rng.random()
        if r < 0.03:
            os.setxattr(p, "user.slink-test", os.urandom(rng.randrange(1, 64)))
        if r < 0.01 and os.path.isfile(p):
            os.chmod(p, 0o400)
        elif 0.01 <= r < 0.02 and os.path.isfile(p):
            os.utime(p, ns=(1, rng.randrange(1, 2**40) * 1000 + 123))
    dirs = [p for p in paths if os.path.isdir(p) and not os.path.islink(p)]
    for p in dirs[::37]:
        os.setxattr(p, "user.slink-dir", b"d")
    # Directories last, deepest first: their times survive their children.
    for i, p in enumerate(sorted(dirs, key=len, reverse=True)):
        if i % 29 == 0:
            os.chmod(p, 0o555)
        os.utime(p, ns=(7, (i + 1) * 10**9 + 456))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slink", required=True)
    ap.add_argument("--gen", default=gen_tree.default(),
                    help="the tree generator (default: the shared benchmark "
                         "one if there, else tests/gen_tree.py)")
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    if not os.path.exists(a.gen):
        print("no tree generator %s" % a.gen)
        return 1
    work = tempfile.mkdtemp(prefix="slink-clonecp-")
    mounts = []
    if os.geteuid() == 0:
        mb = a.files * 40 // 1024 + 64
        ram = os.path.join(work, "ram")
        fs = os.path.join(work, "fs")
        os.mkdir(ram)
        os.mkdir(fs)
        if sh("mount", "-t", "tmpfs", "-o", "size=%dm" % (mb + 16), "tmpfs",
              ram, check=False).returncode == 0:
            mounts.append(ram)
            img = os.path.join(ram, "img")
            with open(img, "wb") as f:
                f.truncate(mb << 20)
            sh("mkfs.ext4", "-q", "-F", "-N", str(a.files * 8 + 1000), img)
            if sh("mount", "-o", "loop", img, fs, check=False).returncode == 0:
                mounts.append(fs)
                work = fs
    fails = []
    try:
        fails = compare_all(a, work)
    finally:
        os.chdir("/")
        for m in reversed(mounts):
            sh("umount", m, check=False)
        shutil.rmtree(os.path.dirname(mounts[0]) if mounts else work,
                      ignore_errors=True)
    for f in fails[:20]:
        print("FAIL " + f)
    print("clone against SRC and cp -a: %d failures" % len(fails))
    return 1 if fails else 0


def compare_all(a, work):
    src = os.path.join(work, "src")
    sh(sys.executable, a.gen, src, "--files", str(a.files), "--seed",
       str(a.seed))
    os.unlink(src + ".stats.json")
    decorate(src, a.seed)
    want, sino = describe(src, src)
    sgroups = groups(sino)
    links = {r: e[4] for r, e in want.items() if stat.S_ISLNK(e[0])}
    inner_links = {r for r, t in links.items() if inner(src, r, t)}
    ref = os.path.join(work, "cp")
    sh("cp", "-a", src, ref)
    cpents, _ = describe(ref, src)
    fails = []
    print("%d entries, %d hard-link groups, %d links of which %d inner" %
          (len(want), len(sgroups), len(links), len(inner_links)))
    for mode in ("hard", "copy"):
        dest = os.path.join(work, mode)
        p = sh(a.slink, "clone", "--" + mode, src, dest, check=False)
        if p.returncode != 0:
            fails.append("clone --%s: exit %d: %s" % (mode, p.returncode,
                                                      p.stderr[-2000:]))
            continue
        got, dino = describe(dest, dest)
        for rel in sorted(set(want) | set(got)):
            w, g = want.get(rel), got.get(rel)
            if w != g:
                fails.append("--%s %r: %r, SRC has %r" % (mode, rel, g, w))
            c = cpents.get(rel)
            if g != c and not (rel in inner_links and c and
                               os.path.isabs(os.fsdecode(c[4]))):
                fails.append("--%s %r: %r, cp -a made %r" % (mode, rel, g, c))
        for rel in inner_links:
            t = os.path.realpath(os.path.join(dest, os.fsdecode(rel)))
            d = os.path.realpath(dest)
            # One that resolves inside SRC (a chain may lead out through
            # an outer link) resolves inside DEST.
            s_ = os.path.realpath(os.path.join(src, os.fsdecode(rel)))
            if (s_ == src or s_.startswith(src + "/")) and \
                    not (t == d or t.startswith(d + "/")):
                fails.append("--%s %r: inner link resolves to %s" %
                             (mode, rel, t))
        if groups(dino) != sgroups:
            fails.append("--%s: hard-link groups differ" % mode)
        shared = sum(1 for r in dino if dino[r] == sino.get(r))
        if mode == "hard" and shared != len(sino):
            fails.append("--hard: %d of %d files are SRC's" % (shared, len(sino)))
        if mode == "copy" and shared:
            fails.append("--copy: %d files are SRC's own" % shared)
        print("--%s: %d entries compared, %d inner links, %d groups" %
              (mode, len(got), len(inner_links), len(groups(dino))))
    return fails


if __name__ == "__main__":
    sys.exit(main())
