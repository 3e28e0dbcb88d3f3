#!/usr/bin/env python3
"""The crash test of slink move across filesystems.

A generated tree on an ext4 image is moved to another filesystem (tmpfs,
an xfs or a btrfs image) by move-driver (slink_move() built with the test
hooks) and killed with SIGKILL: at the start of every step the move goes
through (the names its hook passes, learnt from an uncut run), then at
random moments. After each kill the state it left is forked: both images
are unmounted and copied (a tmpfs DEST is copied with cp -a to a second
tmpfs), `slink move --resume DEST` runs on one copy and `slink move
--rollback DEST` on the other, at the same mount points. Each must leave
every entry of the tree present exactly once with its bytes, mode, owner,
time, link target and hard-link group (a SHA-256 manifest before and
after), SRC resolving to the moved tree (or being the tree again after a
rollback), and nothing else: no journal, no temporary name, no second copy.

The fork is exact for an image (the same bytes, so the same filesystem);
cp -a of a tmpfs keeps names, bytes, modes, owners, times, link targets
and hard-link groups but not inode numbers or ctimes, which the journal
(paths and flags) and the steps do not rely on; the way that runs on the
copy alternates. Needs root (mount, loop devices); exits 77 (skipped)
without. The images live on a tmpfs so that a cycle costs the move, not the
disk; SIGKILL tests the process dying, which the backing store does not
change. The tree is made once per run (the pristine image is copied for
each cycle). The manifest is manifest()'s, or crash-manifest's
(tests/crash/manifest.c: the same lines for the cost of the system calls,
checked equal to manifest()'s on the pristine tree). The last line is the
summary: kills, resumes, rollbacks, failures.
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import gen_tree  # noqa: E402  (tests/gen_tree.py)

JOURNAL = ".dest.slink-move"


def sh(*cmd, check=True):
    return subprocess.run(cmd, check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)



def manifest(root, alias):
    """One line per entry below ROOT, in walk order (names sorted); link
    targets at or below ALIAS written as ROOT/..., hard-link groups named
    by their first path. One pass; a file is read with one read of its
    size (and one more to see its end)."""
    out, first = [], {}
    ab = os.fsencode(alias)
    alen = len(ab)
    rd, op, cl = os.read, os.open, os.close
    sha = hashlib.sha256
    flags = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NOATIME", 0)

    def walk(d, rel):
        with os.scandir(d) as it:
            ents = sorted(it, key=lambda e: e.name)
        for e in ents:
            r = rel + b"/" + e.name if rel else e.name
            st = e.stat(follow_symlinks=False)
            m = st.st_mode
            if stat.S_ISLNK(m):
                t = os.readlink(e.path)
                if t == ab or t.startswith(ab + b"/"):
                    t = b"ROOT" + t[alen:]
                out.append("%r l %r" % (r, t))
            elif stat.S_ISDIR(m):
                out.append("%r d %o %d:%d" % (r, m, st.st_uid, st.st_gid))
                walk(e.path, r)
            elif not stat.S_ISREG(m):
                out.append("%r s %o %d:%d" % (r, m, st.st_uid, st.st_gid))
            else:
                h = sha()
                fd = op(e.path, flags)
                try:
                    while True:
                        b = rd(fd, st.st_size + 1 if st.st_size < 1 << 20
                               else 1 << 20)
                        if not b:
                            break
                        h.update(b)
                finally:
                    cl(fd)
                g = first.setdefault((st.st_dev, st.st_ino), r)
                out.append("%r f %o %d:%d %d %d %s %r" % (
                    r, m, st.st_uid, st.st_gid, st.st_size, st.st_mtime_ns,
                    h.hexdigest(), g))

    walk(os.fsencode(root), b"")
    return out


FAST = None   # tests/crash/manifest.c, built: the same lines, faster


def manifest_of(root, alias):
    if not FAST:
        return manifest(root, alias)
    p = sh(FAST, root, alias)
    return p.stdout.decode("ascii").splitlines()


def make_pristine(work, gen, files, seed, size_mb):
    """The ext4 image holding the tree at WORK/srcfs/tree, made once; its
    manifest and the names beside the tree."""
    srcfs = os.path.join(work, "srcfs")
    os.makedirs(srcfs, exist_ok=True)
    img = os.path.join(work, "ram", "pristine.img")
    with open(img, "wb") as f:
        f.truncate(size_mb << 20)
    sh("mkfs.ext4", "-q", "-F", "-N", str(files * 2 + 1000), img)
    sh("mount", "-o", "loop", img, srcfs)
    try:
        tree = os.path.join(srcfs, "tree")
        sh(sys.executable, gen, tree, "--files", str(files), "--seed",
           str(seed))
        if os.path.exists(tree + ".stats.json"):
            os.unlink(tree + ".stats.json")
        expect = manifest(tree, tree)
        if FAST and manifest_of(tree, tree) != expect:
            raise SystemExit("%s writes another manifest than manifest()"
                             % FAST)
        names = sorted(os.listdir(srcfs))
    finally:
        sh("umount", srcfs)
    return img, expect, names


class Rig:
    """SRC on a copy of the pristine ext4 image, DEST on a filesystem of
    KIND; fork() makes the B copies of both, which second() mounts at the
    same places."""

    def __init__(self, work, kind, pristine, expect, src_names, size_mb):
        self.work, self.kind = work, kind
        self.ram = os.path.join(work, "ram")
        self.srcfs = os.path.join(work, "srcfs")
        self.dstfs = os.path.join(work, "dstfs")
        self.dstb = os.path.join(work, "dstfs-b")
        self.src = os.path.join(self.srcfs, "tree")
        self.dest = os.path.join(self.dstfs, "dest")
        self.size_mb = size_mb
        self.pristine, self.expect, self.src_names = pristine, expect, src_names
        for d in (self.srcfs, self.dstfs, self.dstb):
            os.makedirs(d, exist_ok=True)
        self.img = {w: os.path.join(self.ram, "%s-%s.img" % (w, kind))
                    for w in ("src", "srcb", "dst", "dstb", "empty")}
        self.mounted = set()
        if kind != "tmpfs":
            # An empty DEST filesystem, copied for each cycle.
            with open(self.img["empty"], "wb") as f:
                f.truncate(max(2 * size_mb, 320) << 20)
            sh("mkfs." + kind, "-q", "-f", self.img["empty"])
        self.opts = "loop,nouuid" if kind == "xfs" else "loop"

    def mount(self, img, at, opts="loop"):
        sh("mount", "-o", opts, img, at)
        self.mounted.add(at)

    def umount(self, at):
        if at in self.mounted:
            sh("umount", at)
            self.mounted.discard(at)

    def copy(self, a, b):
        sh("cp", "--sparse=always", self.img[a] if a in self.img else a,
           self.img[b])

    def fresh(self):
        """SRC the pristine tree, DEST's filesystem empty and new."""
        for m in (self.srcfs, self.dstfs, self.dstb):
            self.umount(m)
        self.copy(self.pristine, "src")
        self.mount(self.img["src"], self.srcfs)
        if self.kind == "tmpfs":
            sh("mount", "-t", "tmpfs", "-o", "size=%dm" % (2 * self.size_mb),
               "tmpfs", self.dstfs)
            self.mounted.add(self.dstfs)
        else:
            self.copy("empty", "dst")
            self.mount(self.img["dst"], self.dstfs, self.opts)
        self.dst_names = sorted(os.listdir(self.dstfs))

    def fork(self):
        """The state a kill left, twice: A stays mounted, B is kept."""
        self.umount(self.srcfs)
        self.copy("src", "srcb")
        self.mount(self.img["src"], self.srcfs)
        if self.kind == "tmpfs":
            sh("mount", "-t", "tmpfs", "-o", "size=%dm" % (2 * self.size_mb),
               "tmpfs", self.dstb)
            self.mounted.add(self.dstb)
            sh("cp", "-a", self.dstfs + "/.", self.dstb)
        else:
            self.umount(self.dstfs)
            self.copy("dst", "dstb")
            self.mount(self.img["dst"], self.dstfs, self.opts)

    def second(self):
        """B at the places of A."""
        self.umount(self.srcfs)
        self.mount(self.img["srcb"], self.srcfs)
        self.umount(self.dstfs)
        if self.kind == "tmpfs":
            sh("mount", "--move", self.dstb, self.dstfs)
            self.mounted.discard(self.dstb)
            self.mounted.add(self.dstfs)
        else:
            self.mount(self.img["dstb"], self.dstfs, self.opts)

    def close(self):
        for m in (self.dstb, self.dstfs, self.srcfs):
            sh("umount", m, check=False)
        self.mounted.clear()
        for f in self.img.values():
            if os.path.exists(f):
                os.unlink(f)


class Run:
    def __init__(self, a, rig):
        self.a, self.rig = a, rig
        self.kills = self.resumes = self.rollbacks = self.refused = 0
        self.noop = self.failures = self.moments = self.cycles = 0
        self.landed = {}

    def fail(self, what, why):
        self.failures += 1
        print("FAIL %s %s: %s" % (self.rig.kind, what, why), flush=True)

    def drive(self, env, after):
        """Start a move; kill it after AFTER seconds (None: let it run or
        die at its hooked step). Returns the step it was in, or None."""
        r = self.rig
        trace = os.path.join(self.rig.work, "steps")
        if os.path.exists(trace):
            os.unlink(trace)
        e = dict(os.environ, SLINK_TRACE_STEPS=trace, **env)
        p = subprocess.Popen([self.a.driver, "move", r.src, r.dest], env=e,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
        try:
            if after is not None:
                try:
                    p.wait(timeout=after)
                except subprocess.TimeoutExpired:
                    p.send_signal(signal.SIGKILL)
            err = p.communicate()[1]
        except BaseException:
            p.kill()
            p.wait()
            raise
        steps = open(trace).read().split() if os.path.exists(trace) else []
        return p.returncode, steps, err

    def check(self, what):
        r = self.rig
        if os.path.exists(os.path.join(r.dstfs, JOURNAL)):
            return self.fail(what, "journal left")
        if os.path.islink(r.src):
            if os.readlink(r.src) != r.dest or \
                    os.path.realpath(r.src) != r.dest:
                return self.fail(what, "SRC does not resolve to DEST")
            got, names = manifest_of(r.dest, r.dest), ["dest"]
        elif os.path.isdir(r.src):
            if os.path.lexists(r.dest):
                return self.fail(what, "DEST left after the tree came back")
            got, names = manifest_of(r.src, r.src), []
        else:
            return self.fail(what, "SRC is neither the tree nor the link")
        if sorted(os.listdir(r.srcfs)) != r.src_names:
            return self.fail(what, "beside SRC: %r" % os.listdir(r.srcfs))
        if sorted(os.listdir(r.dstfs)) != sorted(r.dst_names + names):
            return self.fail(what, "beside DEST: %r" % os.listdir(r.dstfs))
        if got != r.expect:
            gs, es = set(got), set(r.expect)
            diff = [l for l in got if l not in es][:3] + \
                ["missing " + l for l in r.expect if l not in gs][:3]
            return self.fail(what, "the tree differs (%d entries, %d expected): %s"
                             % (len(got), len(r.expect), diff))
        return None

    def finish(self, what, way, at, journal):
        """Run --WAY on what the kill left and check the outcome."""
        r = self.rig
        p = sh(self.a.slink, "move", "--" + way, r.dest, check=False)
        msg = p.stderr.decode(errors="replace").strip()
        if not journal:
            self.noop += 1
            if p.returncode != 1 or "no interrupted move" not in msg:
                return self.fail(what, "no journal, %s said %r" % (way, msg))
        elif way == "resume":
            self.resumes += 1
            if p.returncode != 0:
                return self.fail(what, "resume after %s: %s" % (at, msg))
        else:
            self.rollbacks += 1
            if p.returncode != 0:
                if "only --resume" not in msg:
                    return self.fail(what, "rollback after %s: %s" % (at, msg))
                # Once the old tree's removal began only going on keeps
                # every file: the refusal is right, and resume must work.
                self.refused += 1
                p = sh(self.a.slink, "move", "--resume", r.dest, check=False)
                if p.returncode != 0:
                    return self.fail(what, "resume after a refused rollback: %r"
                                     % p.stderr)
            elif os.path.islink(r.src):
                return self.fail(what, "rolled back after %s, yet moved" % at)
        if self.check("%s, %s (killed in %s)" % (what, way, at)) is None and \
                self.a.verbose:
            print("ok %s %s, %s (killed in %s)" % (r.kind, what, way, at),
                  flush=True)
        return None

    def cycle(self, what, env, after):
        """One move, killed; resume on one fork of what it left, rollback
        on the other. Returns how long an unkilled move took, or None."""
        r = self.rig
        r.fresh()
        t0 = time.time()
        rc, steps, err = self.drive(env, after)
        took = time.time() - t0
        killed = rc == -signal.SIGKILL
        self.cycles += 1
        at = steps[-1] if steps else "before the journal"
        if not killed and rc != 0:
            self.fail(what, "the move failed unkilled: %r" % err)
            return took
        if killed:
            self.kills += 1
            self.landed[at] = self.landed.get(at, 0) + 1
        journal = os.path.exists(os.path.join(r.dstfs, JOURNAL))
        ways = ("resume", "rollback") if self.cycles % 2 else \
            ("rollback", "resume")
        if journal:
            r.fork()
            self.finish(what, ways[0], at, journal)
            r.second()
            self.finish(what, ways[1], at, journal)
        else:
            # Nothing to finish or undo: both must say so and change
            # nothing (the one check after both shows it).
            p = [sh(self.a.slink, "move", "--" + w, r.dest, check=False)
                 for w in ways]
            self.noop += 2
            for w, q in zip(ways, p):
                msg = q.stderr.decode(errors="replace").strip()
                if q.returncode != 1 or "no interrupted move" not in msg:
                    self.fail(what, "no journal, %s said %r" % (w, msg))
            self.check("%s, no journal (killed in %s)" % (what, at))
        return None if killed else took


def stop(*_):
    raise KeyboardInterrupt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slink", required=True)
    ap.add_argument("--driver", required=True)
    ap.add_argument("--gen", default=gen_tree.default(),
                    help="the tree generator (default: the shared benchmark "
                         "one, $SLINK_SHARED/bench/gen_tree.py, if there, "
                         "else tests/gen_tree.py)")
    ap.add_argument("--files", type=int, default=170000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--kills", type=int, default=200,
                    help="random moments that kill, per target (each: "
                         "resume and rollback on a fork of what it left)")
    ap.add_argument("--kill-seed", type=int, default=1)
    ap.add_argument("--targets", default="tmpfs,xfs")
    ap.add_argument("--no-steps", action="store_true")
    ap.add_argument("--steps-last", action="store_true",
                    help="the random moments first")
    ap.add_argument("--minutes", type=float, default=0,
                    help="draw no new random moment after this long "
                         "(0: no limit); the summary says how many ran")
    ap.add_argument("--work", default=None)
    ap.add_argument("--json", default=None, help="append the summary here")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--manifest", default=None,
                    help="crash-manifest (tests/crash/manifest.c): checked "
                         "against manifest() on the pristine tree, then used")
    a = ap.parse_args()
    global FAST
    FAST = a.manifest
    signal.signal(signal.SIGTERM, stop)
    if os.geteuid() != 0:
        print("SKIP: needs root (mount, loop devices)")
        return 77
    if not os.path.exists(a.gen):
        print("no tree generator %s" % a.gen)
        return 1
    began = time.time()
    work = tempfile.mkdtemp(prefix="slink-crash-", dir=a.work)
    # 8 KiB files at most, 4 KiB on average, and the directories.
    size_mb = max(64, a.files * 12 // 1024 + 64)
    ram = os.path.join(work, "ram")
    os.makedirs(ram)
    # Sparse images: the cap is far above what they hold.
    sh("mount", "-t", "tmpfs", "-o", "size=%dm" % (10 * size_mb + 640),
       "tmpfs", ram)
    total = 0
    rng = random.Random(a.kill_seed)
    try:
        try:
            pristine, expect, src_names = make_pristine(
                work, a.gen, a.files, a.seed, size_mb)
        except subprocess.CalledProcessError as e:
            print("SKIP: %s: %s" % (" ".join(e.cmd), e.stderr))
            return 77
        for kind in a.targets.split(","):
            if kind != "tmpfs" and not shutil.which("mkfs." + kind):
                print("SKIP %s: no mkfs.%s" % (kind, kind))
                continue
            failures, stopped = target(a, rng, work, kind, pristine, expect,
                                       src_names, size_mb, began)
            total += failures
            if stopped:
                break
    finally:
        sh("umount", ram, check=False)
        shutil.rmtree(work, ignore_errors=True)
    print("move crash test: %d failures" % total)
    return 1 if total else 0


def target(a, rng, work, kind, pristine, expect, src_names, size_mb, began):
    t0 = time.time()
    try:
        rig = Rig(work, kind, pristine, expect, src_names, size_mb)
    except subprocess.CalledProcessError as e:
        print("SKIP %s: %s: %s" % (kind, " ".join(e.cmd), e.stderr))
        return 0, False
    run = Run(a, rig)
    stopped = late = False
    steps, length = [], 0.0
    try:
        # An uncut move: its steps, its length.
        rig.fresh()
        t = time.time()
        rc, steps, err = run.drive({}, None)
        length = time.time() - t
        if rc != 0 or run.check("the uncut move") is not None:
            run.fail("the uncut move", "rc %d %r" % (rc, err))
            steps = []
        print("%s: %d entries, steps %s, %.1f s uncut" %
              (kind, len(rig.expect), " ".join(steps), length), flush=True)
        # A step passed more than once (the journal's writes) is
        # killed at each pass: STEP#N.
        seen, points = {}, []
        for s in steps:
            seen[s] = seen.get(s, 0) + 1
            points.append(s if seen[s] == 1 else "%s#%d" % (s, seen[s]))
        plan = [] if a.no_steps else \
            [("at step " + s, {"SLINK_KILL_AT": s}, None) for s in points]

        def at_steps():
            for what, env, after in plan:
                run.cycle(what, env, after)
            print("%s: %d steps killed, %d failures, %.0f s" %
                  (kind, len(plan), run.failures, time.time() - t0),
                  flush=True)

        def at_moments():
            # A moment is drawn from the length of the quickest whole
            # move seen so far, so that nearly every one kills; moments
            # are drawn until KILLS of them killed (3 x KILLS at most).
            nonlocal late
            bound = length
            for i in range(3 * a.kills):
                if run.moments >= a.kills:
                    break
                if a.minutes and time.time() - began > 60 * a.minutes:
                    late = True
                    break
                after = rng.uniform(0, bound)
                kills = run.kills
                took = run.cycle("moment %d at %.3f s" % (i + 1, after),
                                 {}, after)
                if took is not None:
                    bound = min(bound, took)
                run.moments += run.kills > kills
                if run.moments % 10 == 0 and run.kills > kills:
                    print("%s: %d moments killed, %d failures, %.0f s" %
                          (kind, run.moments, run.failures,
                           time.time() - t0), flush=True)

        if a.steps_last:
            at_moments()
            at_steps()
        else:
            at_steps()
            at_moments()
    except KeyboardInterrupt:
        # Stopped (SIGTERM or ^C): the figures so far, said so.
        stopped = True
    finally:
        rig.close()
    summary = {"target": "ext4 to " + kind, "files": a.files,
               "entries": len(rig.expect),
               "steps": len(steps) if not a.no_steps else 0,
               "random_moments": run.moments, "kills": run.kills,
               "stopped_early": stopped or late,
               "resumes": run.resumes, "rollbacks": run.rollbacks,
               "rollbacks_refused_then_resumed": run.refused,
               "nothing_to_do": run.noop, "failures": run.failures,
               "killed_in": run.landed,
               "uncut_seconds": round(length, 1),
               "seconds": round(time.time() - t0)}
    print("%s: %s" % (kind, json.dumps(summary, sort_keys=True)), flush=True)
    if a.json:
        with open(a.json, "a") as f:
            f.write(json.dumps(summary, sort_keys=True) + "\n")
    return run.failures, stopped


if __name__ == "__main__":
    sys.exit(main())
