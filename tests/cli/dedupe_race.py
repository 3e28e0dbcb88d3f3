#!/usr/bin/env python3
"""Trees for the dedupe tests, and the concurrent-writer test.

    dedupe_race.py gen ROOT [--files N] [--seed S]
        A tree like bench's gen_dupes.py makes: about 20% exact copies of an
        earlier file, 10% the size of an earlier file with the last byte
        changed, the rest random (log-normal sizes, median about 5 KB).

    dedupe_race.py race SLINK [--files N] [--seed S]
        While `SLINK dedupe` runs on such a tree (every file with the same
        mtime, so that the time check cannot help), another process rewrites
        a random 1% of the files in place with new bytes, keeping size and
        mtime. Afterwards: no file holds content it did not hold before, no
        rewritten file was merged, and every byte written is on disk. The
        writer rewrites a file only when the name still leads to its own
        inode with its own link count, checked on the open descriptor (a
        file already merged would show its new content through every name,
        which is what hard links are, not a loss).
Exit 0 when every check holds."""
import argparse
import hashlib
import os
import random
import subprocess
import sys
import tempfile
import threading
import time


def gen(root, files, seed, big=0):
    rnd = random.Random(seed)
    dirs = []
    for i in range(max(1, files // 20)):
        d = os.path.join(root, "d%03d" % (i // 100), "s%02d" % (i % 100))
        os.makedirs(d, exist_ok=True)
        dirs.append(d)
    originals = []
    for i in range(files):
        p = os.path.join(dirs[i % len(dirs)], "f%06d.bin" % i)
        r = rnd.random()
        if originals and r < 0.20:
            with open(rnd.choice(originals), "rb") as f:
                data = f.read()
        elif originals and r < 0.30:
            with open(rnd.choice(originals), "rb") as f:
                data = bytearray(f.read())
            if data:
                data[-1] ^= 0xFF
            data = bytes(data)
        else:
            size = int(rnd.lognormvariate(8.5, 1.3))
            if i < big:
                size = 4 << 20  # a few large ones: long compares
            data = rnd.randbytes(size)
            originals.append(p)
        with open(p, "wb") as f:
            f.write(data)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def walk(root):
    for d, _, names in os.walk(root):
        for n in names:
            yield os.path.join(d, n)


def race(slink, files, seed):
    work = tempfile.mkdtemp(prefix="slink-race.")
    root = os.path.join(work, "t")
    gen(root, files, seed, big=files // 100)
    paths = sorted(walk(root))
    stamp = 1_600_000_000_000_000_000
    orig, ino, nlink = {}, {}, {}
    for p in paths:
        os.utime(p, ns=(stamp, stamp))
        st = os.stat(p)
        orig[p] = digest(p)
        ino[p] = st.st_ino
        nlink[p] = st.st_nlink
    rnd = random.Random(seed * 7919 + 1)
    chosen = rnd.sample(paths, max(1, len(paths) // 100))

    # How long a run takes, to spread the rewrites over it.
    t0 = time.monotonic()
    subprocess.run([slink, "dedupe", "-n", "-q", root], check=False)
    span = max(0.05, (time.monotonic() - t0) * 2)
    times = sorted(rnd.uniform(0, span) for _ in chosen)

    rewritten, merged_first, orphans = {}, 0, []

    def writer(start):
        nonlocal merged_first
        for p, at in zip(chosen, times):
            delay = start + at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            fd = os.open(p, os.O_WRONLY)
            try:
                st = os.fstat(fd)
                if st.st_nlink == 0:
                    orphans.append(p)  # opened a file just unlinked: a loss
                    continue
                if st.st_ino != ino[p] or st.st_nlink != nlink[p]:
                    merged_first += 1
                    continue
                data = os.urandom(st.st_size)
                os.pwrite(fd, data, 0)
                os.fsync(fd)
                os.utime(fd, ns=(stamp, stamp))
                rewritten[p] = hashlib.sha256(data).hexdigest()
            finally:
                os.close(fd)

    proc = subprocess.Popen([slink, "dedupe", root], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    th = threading.Thread(target=writer, args=(time.monotonic(),))
    th.start()
    out, err = proc.communicate()
    th.join()

    bad = []
    if proc.returncode not in (0, 1):
        bad.append("dedupe exited %d: %s" % (proc.returncode, err.decode()))
    for p in orphans:
        bad.append("%s: the writer opened an inode being unlinked" % p)
    now = sorted(walk(root))
    if now != paths:
        bad.append("names changed: %s" % sorted(set(now) ^ set(paths))[:5])
    merged = 0
    for p in paths:
        if not os.path.exists(p):
            continue
        h = digest(p)
        st = os.stat(p)
        merged += st.st_ino != ino[p]
        if p in rewritten:
            if h != rewritten[p]:
                bad.append("%s: the bytes written are not on disk" % p)
            if st.st_ino != ino[p] or st.st_nlink != nlink[p]:
                bad.append("%s: rewritten, yet merged" % p)
        elif h != orig[p]:
            bad.append("%s: holds content it never held" % p)
    print("files %d, rewritten %d (%d were merged before the writer came), "
          "names merged %d, rewrite window %.2fs" %
          (len(paths), len(rewritten), merged_first, merged, span))
    if merged == 0:
        bad.append("nothing was merged: the test tested nothing")
    for b in bad[:20]:
        print("FAIL", b)
    subprocess.run(["rm", "-rf", work], check=False)
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("root")
    g.add_argument("--files", type=int, default=1000)
    g.add_argument("--seed", type=int, default=42)
    r = sub.add_parser("race")
    r.add_argument("slink")
    r.add_argument("--files", type=int, default=3000)
    r.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    if a.cmd == "gen":
        gen(a.root, a.files, a.seed)
        return 0
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    print("seed", seed)
    return race(a.slink, a.files, seed)


if __name__ == "__main__":
    sys.exit(main())
