#!/usr/bin/env python3
"""Successive `slink clone --copy --link-dest PREV` snapshots on a volume
with a link limit: an NTFS image through ntfs-3g (Windows allows a file
1,024 names; ntfs-3g itself would link on past them) or an ext2 image
(32,000). Every snapshot links its unchanged files to the one before and
copies the changed one, so a file's names grow by one per snapshot until
the limit: there the snapshot must copy the file instead, count it in
limit_copies and go on, never fail.

Checked after every snapshot: exit 0, no error, the files linked and the
copies at the limit exactly as predicted from the previous snapshot's link
counts, every file's bytes. At the end, with the volume unmounted, a second
reader (The Sleuth Kit's istat) reads each file's link count in the image:
the names the mount showed, none above the limit.

A hard-link group in SRC (GROUP: three names of one file) gains three
names per snapshot on one file of the snapshots: where the limit falls inside a
group, its members up to the limit are linked, the next one is copied and
counted, and the rest join that copy. After every snapshot each member has
its bytes and at most the limit of names, the snapshot's limit copies are
the files that are new among its members (no member copied silently), and
at most one of the members' files is short of the limit (the group stays
one group as far as the limit allows); the run must split the group at
least once.

--preseed N gives the first snapshot's copy of "keep" N extra names, and
its copy of the group N - 7 (outside the snapshots), so a short run
reaches the limit, inside the group in its fourth snapshot. Needs root;
exits 77 (skipped) without it or without the filesystem's tools.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

LIMIT = {"ntfs": 1024, "ext2": None}   # ext2's: as the driver says (probed)
STEADY = ["keep", "dir/a", "dir/sub/b"]   # never change
CHANGING = "chg"                          # changes in every snapshot
GROUP = ["grp/m1", "grp/sub/m2", "m3"]   # one file's names (3: not a
#                                           divisor of the limit)


def sh(*cmd, check=True):
    return subprocess.run(cmd, check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)


def skip(why):
    print("SKIP: " + why)
    sys.exit(77)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slink", required=True)
    ap.add_argument("--fs", choices=sorted(LIMIT), default="ntfs")
    ap.add_argument("--snapshots", type=int, default=1100)
    ap.add_argument("--preseed", type=int, default=0)
    ap.add_argument("--json", default=None, help="append the summary here")
    a = ap.parse_args()
    limit = LIMIT[a.fs]
    if os.geteuid() != 0:
        skip("needs root to mount an image")
    tools = {"ntfs": ["mkntfs", "lowntfs-3g", "fls", "istat"],
             "ext2": ["mkfs.ext2", "fls", "istat"]}[a.fs]
    for t in tools:
        if not shutil.which(t):
            skip("%s is not installed" % t)
    if a.fs == "ntfs" and not os.path.exists("/dev/fuse"):
        skip("no /dev/fuse")
    work = tempfile.mkdtemp(prefix="slink-linkdest-")
    img, mnt = os.path.join(work, "img"), os.path.join(work, "mnt")
    os.mkdir(mnt)
    with open(img, "wb") as f:
        f.truncate(256 << 20)
    try:
        if a.fs == "ntfs":
            sh("mkntfs", "-F", "-f", "-q", img)
            mount = ("lowntfs-3g", img, mnt)
        else:
            sh("mkfs.ext2", "-q", "-F", "-N", "65536", img)
            mount = ("mount", "-o", "loop", img, mnt)
        if sh(*mount, check=False).returncode != 0:
            skip("cannot mount the %s image" % a.fs)
    except subprocess.CalledProcessError as e:
        skip("%s: %s" % (" ".join(e.cmd), e.stderr))
    failures = []
    summary, names = {}, {}
    try:
        limit = limit or probe_limit(mnt)
        summary = run(a, mnt, limit, failures)
        names = names_by_inode(mnt)
    finally:
        os.chdir("/")
        sh("umount", mnt, check=False)
    if not failures:
        failures += image_check(img, names, limit, summary)
    for f in failures[:20]:
        print("FAIL " + f)
    summary.update(fs=a.fs, limit=limit, failures=len(failures))
    print("link-dest snapshots: " + json.dumps(summary, sort_keys=True))
    if a.json:
        with open(a.json, "a") as f:
            f.write(json.dumps(summary, sort_keys=True) + "\n")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


def probe_limit(mnt):
    """The names a file may have here, linked until EMLINK (ext2 allows
    32,000; the ext4 driver, which often mounts ext2, 65,000)."""
    d = os.path.join(mnt, "probe")
    os.mkdir(d)
    f = os.path.join(d, "f")
    open(f, "w").close()
    n = 1
    try:
        while True:
            os.link(f, os.path.join(d, str(n)))
            n += 1
    except OSError as e:
        if e.errno != 31:   # EMLINK
            raise
    shutil.rmtree(d)
    return n


def run(a, mnt, limit, failures):
    src = os.path.join(mnt, "src")
    os.makedirs(os.path.join(src, "dir", "sub"))
    for n in STEADY:
        with open(os.path.join(src, n), "w") as f:
            f.write("steady " + n + "\n")
    os.makedirs(os.path.join(src, "grp", "sub"))
    with open(os.path.join(src, GROUP[0]), "w") as f:
        f.write("group\n")
    for n in GROUP[1:]:
        os.link(os.path.join(src, GROUP[0]), os.path.join(src, n))
    os.makedirs(os.path.join(mnt, "pad"))
    os.makedirs(os.path.join(mnt, "snaps"))
    prev = None
    total = {"snapshots": 0, "limit_copies": 0, "files_prev": 0,
             "files_copied": 0, "group_splits": 0}
    for k in range(a.snapshots):
        with open(os.path.join(src, CHANGING), "w") as f:
            f.write("version %d\n" % k)
        os.utime(os.path.join(src, CHANGING), ns=(k * 10**9, k * 10**9))
        snap = os.path.join(mnt, "snaps", "%04d" % k)
        cmd = [a.slink, "clone", "--copy", "--json"]
        want_prev = want_limit = 0
        prev_group = set()
        if prev:
            prev_group = {os.lstat(os.path.join(prev, n)).st_ino
                          for n in GROUP}
            cmd += ["--link-dest", prev]
            # Predicted from the names the previous copies have now
            # (PREV's names and the source's own, if hard-linked to it).
            for n in STEADY:
                if os.lstat(os.path.join(prev, n)).st_nlink >= limit:
                    want_limit += 1
                else:
                    want_prev += 1
        p = sh(*cmd, src, snap, check=False)
        out = p.stdout.decode(errors="replace")
        try:
            js = json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            js = {}
        what = "snapshot %d" % k
        if p.returncode != 0 or js.get("errors") != 0 or not js.get("ok"):
            failures.append("%s: exit %d: %s %s" % (what, p.returncode, out,
                                                    p.stderr.decode()))
            break
        # The group's files in this snapshot: the ones not PREV's are
        # the copies its members' limit made.
        gst = {n: os.lstat(os.path.join(snap, n)) for n in GROUP}
        inodes = {st.st_ino: st.st_nlink for st in gst.values()}
        new = len(set(inodes) - prev_group) if prev else 0
        short = sum(1 for nl in inodes.values() if nl < limit)
        if short > 1:
            failures.append("%s: the group is split over %d files short of "
                            "the limit: %s" % (what, short, sorted(
                                (n, st.st_ino, st.st_nlink)
                                for n, st in gst.items())))
        total["group_splits"] += len(inodes) > 1
        for n in GROUP:
            if open(os.path.join(snap, n)).read() != "group\n":
                failures.append("%s: %s has other bytes" % (what, n))
        # Each of PREV's files among them took one link to PREV.
        want_prev += len(set(inodes) & prev_group)
        if js["files_prev"] != want_prev or \
                js["limit_copies"] != want_limit + new:
            failures.append("%s: linked %d and copied %d at the limit, "
                            "expected %d and %d" % (
                                what, js["files_prev"], js["limit_copies"],
                                want_prev, want_limit + new))
        for n in STEADY + GROUP + [CHANGING]:
            p_ = os.path.join(snap, n)
            st = os.lstat(p_)
            want = "version %d\n" % k if n == CHANGING else \
                "group\n" if n in GROUP else "steady " + n + "\n"
            if open(p_).read() != want:
                failures.append("%s: %s has other bytes" % (what, n))
            if st.st_nlink > limit:
                failures.append("%s: %s has %d names" % (what, n, st.st_nlink))
        for key in ("limit_copies", "files_prev", "files_copied"):
            total[key] += js[key]
        total["snapshots"] += 1
        if failures:
            break
        if k == 0:
            for i in range(a.preseed):
                os.link(os.path.join(snap, STEADY[0]),
                        os.path.join(mnt, "pad", "%d" % i))
            for i in range(max(0, a.preseed - 7)):
                os.link(os.path.join(snap, GROUP[0]),
                        os.path.join(mnt, "pad", "g%d" % i))
        prev = snap
    if not failures and total["snapshots"] == a.snapshots and \
            not total["group_splits"] and (a.preseed and a.snapshots >= 4 or a.snapshots > 400):
        failures.append("the limit never fell inside the group")
    return total


def names_by_inode(mnt):
    """Every file's names through the mount (ntfs-3g's view)."""
    names = {}
    for d, _, files in os.walk(mnt):
        for n in files:
            p = os.path.join(d, n)
            names.setdefault(os.lstat(p).st_ino, []).append(
                os.path.relpath(p, mnt))
    return names


def image_check(img, names, limit, summary):
    """The link count in the image, read by The Sleuth Kit's istat after
    unmounting, of every inode behind a steady file: the names the mount
    showed, at most LIMIT."""
    bad, most = [], 0
    steady = [i for i, ns in names.items()
              if any(n.endswith(tuple("/" + s for s in STEADY + GROUP))
                     for n in ns)]
    for ino in steady:
        st = sh("istat", img, str(ino)).stdout.decode(errors="replace")
        m = re.search(r"^(?:Links|num of links):\s*(\d+)", st, re.M)
        links = int(m.group(1)) if m else -1
        most = max(most, links)
        if links != len(names[ino]) or links > limit:
            bad.append("image: inode %s has %d names, link count %d" %
                       (ino, len(names[ino]), links))
    summary.update(image_inodes_checked=len(steady), image_most_links=most)
    if not steady:
        bad.append("image: no snapshot files")
    return bad


if __name__ == "__main__":
    sys.exit(main())
