#!/usr/bin/env python3
"""gen_tree.py ROOT --files N --seed S: a deterministic tree of every kind
of entry the link tools meet, for the tests that need a generated tree
when the shared benchmark generator is not beside the repository.

Under ROOT (new or empty): about N/20 nested directories (depth 6 at
most); N regular files of 0 to 8,192 bytes (some empty, a fifth copies of
earlier ones); N/50 extra hard links inside the tree, some beside the
first name; N/200 files that also have a name outside the tree (in
ROOT.outside, beside it: hard links leaving); N/10 symbolic links:
relative and absolute (ROOT spelled as given) to files and directories,
to an ancestor, dangling relative and absolute, chains, two-link loops,
self loops, and outer ones, absolute and relative, to ROOT.outside. About
1% of the names hold a newline, a tab, a leading space or bytes that are
not UTF-8. The same arguments make the same tree. Writes a summary to
ROOT.stats.json, as the shared one does.
"""
import argparse
import json
import os
import random

ODD = [b"new\nline", b"tab\there", b"bad\xff\xfe", b"lat\xe9n", b" lead"]


def name(rng, stem):
    """STEM, or now and then STEM with an odd part."""
    s = stem.encode()
    return s + b"-" + rng.choice(ODD) if rng.random() < 0.01 else s


def default():
    """The generator a test uses: the shared benchmark one beside the
    repository (or at $SLINK_SHARED), whose trees bench/'s figures are of,
    if it is there; else this one, so that the test never skips."""
    here = os.path.dirname(os.path.abspath(__file__))
    shared = os.environ.get("SLINK_SHARED") or os.path.join(
        here, "..", "..", "shared")
    g = os.path.join(shared, "bench", "gen_tree.py")
    return g if os.path.exists(g) else os.path.abspath(__file__)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    root = os.fsencode(os.path.abspath(a.root))
    os.makedirs(root, exist_ok=True)
    if os.listdir(root):
        raise SystemExit("ROOT not empty: %s" % a.root)
    n = max(1, a.files)

    dirs, depth = [b""], [0]   # relative to ROOT; ROOT is b""
    for i in range(max(1, n // 20)):
        p = rng.randrange(len(dirs))
        while depth[p] >= 6:
            p = rng.randrange(len(dirs))
        rel = os.path.join(dirs[p], name(rng, "d%04d" % i)) if dirs[p] \
            else name(rng, "d%04d" % i)
        os.mkdir(os.path.join(root, rel))
        dirs.append(rel)
        depth.append(depth[p] + 1)

    def place(stem):
        d = dirs[rng.randrange(len(dirs))]
        return os.path.join(d, name(rng, stem)) if d else name(rng, stem)

    files, bodies = [], []
    for i in range(n):
        if bodies and rng.random() < 0.2:
            body = bodies[rng.randrange(len(bodies))]
        elif rng.random() < 0.02:
            body = b""
        else:
            size = rng.randint(1, 8192)
            body = (b"%08d" % i + rng.randbytes(size))[:size]
        bodies.append(body)
        rel = place("f%06d" % i)
        with open(os.path.join(root, rel), "wb") as f:
            f.write(body)
        files.append(rel)

    hard = 0
    for i in range(n // 50):
        t = files[rng.randrange(n)]
        # Now and then a name beside the first one.
        rel = os.path.join(os.path.dirname(t), b"h%05d" % i) \
            if rng.random() < 0.2 else place("h%05d" % i)
        os.link(os.path.join(root, t), os.path.join(root, rel))
        hard += 1
    out = root + b".outside"
    leaving = n // 200
    if leaving:
        os.makedirs(out, exist_ok=True)
    for i in range(leaving):
        os.link(os.path.join(root, files[rng.randrange(n)]),
                os.path.join(out, b"o%05d" % i))

    def rel_to(target, at):
        return os.path.relpath(os.path.join(root, target) if target else root,
                               os.path.join(root, os.path.dirname(at)))

    kinds = {}
    links = []
    for i in range(n // 10):
        at = place("l%05d" % i)
        k = rng.choice(["rel_file"] * 4 + ["abs_file"] * 2 + [
            "rel_dir", "abs_dir", "ancestor", "dangling_rel", "dangling_abs",
            "chain", "loop2", "self", "outer_abs", "outer_rel"])
        if k == "rel_file":
            t = rel_to(files[rng.randrange(n)], at)
        elif k == "abs_file":
            t = os.path.join(root, files[rng.randrange(n)])
        elif k == "rel_dir":
            t = rel_to(dirs[rng.randrange(len(dirs))], at)
        elif k == "abs_dir":
            d = dirs[rng.randrange(len(dirs))]
            t = os.path.join(root, d) if d else root
        elif k == "ancestor":
            t = rel_to(b"", at)
        elif k == "dangling_rel":
            t = b"missing%05d/x" % i
        elif k == "dangling_abs":
            t = os.path.join(root, b"gone%05d" % i)
        elif k == "chain" and links:
            t = rel_to(links[rng.randrange(len(links))], at)
        elif k in ("outer_abs", "outer_rel") and leaving:
            # Out of the tree, to a file's name beside it.
            t = os.path.join(out, b"o%05d" % rng.randrange(leaving))
            if k == "outer_rel":
                t = os.path.relpath(t, os.path.join(root, os.path.dirname(at)))
        elif k == "loop2":
            other = place("m%05d" % i)
            os.symlink(rel_to(at, other), os.path.join(root, other))
            t = rel_to(other, at)
        else:
            k, t = "self", os.path.basename(at)
        os.symlink(t, os.path.join(root, at))
        links.append(at)
        kinds[k] = kinds.get(k, 0) + 1

    stats = {"root": a.root, "seed": a.seed, "files": n, "dirs": len(dirs),
             "hardlinks_extra": hard, "hardlinks_leaving": leaving,
             "symlink_kinds": kinds}
    with open(root + b".stats.json", "w") as f:
        f.write(json.dumps(stats, indent=1, sort_keys=True) + "\n")
    print(json.dumps(stats, sort_keys=True))


if __name__ == "__main__":
    main()
