#!/usr/bin/env python3
"""The crash test of slink move across filesystems.

A generated tree on an ext4 image is moved to another filesystem (tmpfs,
an xfs or a btrfs image) by move-driver (slink_move() built with the test
hooks) and killed with SIGKILL: at the start of every step the move goes
through (the names its hook passes, learnt from an uncut run), then at
random moments. After each kill, `slink move --resume DEST` and, on a
fresh repeat of the same kill, `slink move --rollback DEST` must leave
every entry of the tree present exactly once with its bytes, mode, owner,
time, link target and hard-link group (a SHA-256 manifest before and
after), SRC resolving to the moved tree (or being the tree again after a
rollback), and nothing else: no journal, no temporary name, no second copy.

Needs root (mount, loop devices); exits 77 (skipped) without. The images
live on a tmpfs so that a cycle costs the move, not the disk; SIGKILL
tests the process dying, which the backing store does not change.
The last line is the summary: kills, resumes, rollbacks, failures.
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

JOURNAL = ".dest.slink-move"


def sh(*cmd, check=True):
    return subprocess.run(cmd, check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)


def manifest(root, alias):
    """One line per entry below ROOT, sorted; link targets at or below
    ALIAS written as ROOT/..., hard-link groups named by their first path."""
    out, first = [], {}
    ab = os.fsencode(alias)

    def walk(d, rel):
        with os.scandir(d) as it:
            ents = sorted(it, key=lambda e: e.name)
        for e in ents:
            r = rel + b"/" + e.name if rel else e.name
            st = e.stat(follow_symlinks=False)
            own = "%o %d:%d" % (st.st_mode, st.st_uid, st.st_gid)
            if stat.S_ISLNK(st.st_mode):
                t = os.readlink(e.path)
                if t == ab or t.startswith(ab + b"/"):
                    t = b"ROOT" + t[len(ab):]
                out.append("%r l %r" % (r, t))
            elif stat.S_ISDIR(st.st_mode):
                out.append("%r d %s" % (r, own))
                walk(e.path, r)
            else:
                h = hashlib.sha256()
                with open(e.path, "rb") as f:
                    while True:
                        b = f.read(1 << 20)
                        if not b:
                            break
                        h.update(b)
                g = first.setdefault((st.st_dev, st.st_ino), r)
                out.append("%r f %s %d %d %s %r" % (r, own, st.st_size,
                                                   st.st_mtime_ns,
                                                   h.hexdigest(), g))

    walk(os.fsencode(root), b"")
    return out


class Rig:
    """An ext4 image holding SRC and a filesystem of KIND holding DEST."""

    def __init__(self, work, kind, gen, files, seed, size_mb):
        self.work, self.kind = work, kind
        self.ram = os.path.join(work, "ram")
        self.srcfs = os.path.join(work, "srcfs")
        self.dstfs = os.path.join(work, "dstfs")
        self.src = os.path.join(self.srcfs, "tree")
        self.dest = os.path.join(self.dstfs, "dest")
        self.size_mb = size_mb
        for d in (self.ram, self.srcfs, self.dstfs):
            os.makedirs(d, exist_ok=True)
        sh("mount", "-t", "tmpfs", "-o", "size=%dm" % (4 * size_mb + 64),
           "tmpfs", self.ram)
        self.pristine = os.path.join(self.ram, "pristine.img")
        self.img = os.path.join(self.ram, "src.img")
        with open(self.pristine, "wb") as f:
            f.truncate(size_mb << 20)
        sh("mkfs.ext4", "-q", "-F", "-N", str(files * 2 + 1000), self.pristine)
        sh("mount", "-o", "loop", self.pristine, self.srcfs)
        sh(sys.executable, gen, self.src, "--files", str(files), "--seed",
           str(seed))
        os.unlink(self.src + ".stats.json")
        self.expect = manifest(self.src, self.src)
        self.src_names = sorted(os.listdir(self.srcfs))
        sh("umount", self.srcfs)
        self.src_state = "none"
        self.dst_mounted = False

    def reset(self, src_clean):
        """SRC the pristine tree again (unless it is, checked), DEST's
        filesystem empty and new."""
        if not src_clean:
            if self.src_state == "mounted":
                sh("umount", self.srcfs)
            sh("cp", "--sparse=always", self.pristine, self.img)
            sh("mount", "-o", "loop", self.img, self.srcfs)
            self.src_state = "mounted"
        if self.dst_mounted:
            sh("umount", self.dstfs)
        if self.kind == "tmpfs":
            sh("mount", "-t", "tmpfs", "-o", "size=%dm" % (2 * self.size_mb),
               "tmpfs", self.dstfs)
        else:
            img = os.path.join(self.ram, "dst.img")
            if os.path.exists(img):
                os.unlink(img)
            with open(img, "wb") as f:
                f.truncate(max(2 * self.size_mb, 320) << 20)
            sh("mkfs." + self.kind, "-q", "-f", img)
            sh("mount", "-o", "loop", img, self.dstfs)
        self.dst_mounted = True
        self.dst_names = sorted(os.listdir(self.dstfs))

    def close(self):
        for m in (self.dstfs, self.srcfs, self.ram):
            sh("umount", m, check=False)


class Run:
    def __init__(self, a, rig):
        self.a, self.rig = a, rig
        self.kills = self.resumes = self.rollbacks = self.refused = 0
        self.noop = self.failures = self.moments = 0
        self.landed = {}
        self.src_clean = False

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
            got, names = manifest(r.dest, r.dest), ["dest"]
            self.src_clean = False
        elif os.path.isdir(r.src):
            if os.path.lexists(r.dest):
                return self.fail(what, "DEST left after the tree came back")
            got, names = manifest(r.src, r.src), []
        else:
            return self.fail(what, "SRC is neither the tree nor the link")
        if sorted(os.listdir(r.srcfs)) != r.src_names:
            return self.fail(what, "beside SRC: %r" % os.listdir(r.srcfs))
        if sorted(os.listdir(r.dstfs)) != sorted(r.dst_names + names):
            return self.fail(what, "beside DEST: %r" % os.listdir(r.dstfs))
        if got != r.expect:
            diff = [l for l in got if l not in set(r.expect)][:3] + \
                ["missing " + l for l in r.expect if l not in set(got)][:3]
            return self.fail(what, "the tree differs (%d entries, %d expected): %s"
                             % (len(got), len(r.expect), diff))
        self.src_clean = not os.path.islink(r.src)
        return None

    def cycle(self, what, env, after, way):
        r = self.rig
        r.reset(self.src_clean)
        self.src_clean = False
        t0 = time.time()
        rc, steps, err = self.drive(env, after)
        took = time.time() - t0
        killed = rc == -signal.SIGKILL
        self.kills += killed
        at = steps[-1] if steps else "before the journal"
        if killed:
            self.landed[at] = self.landed.get(at, 0) + 1
        elif rc != 0:
            self.fail(what, "the move failed unkilled: %r" % err)
            return took
        journal = os.path.exists(os.path.join(r.dstfs, JOURNAL))
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
        return None if killed else took


def stop(*_):
    raise KeyboardInterrupt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slink", required=True)
    ap.add_argument("--driver", required=True)
    shared = os.environ.get("SLINK_SHARED") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared")
    ap.add_argument("--gen", default=os.path.join(shared, "bench", "gen_tree.py"),
                    help="gen_tree.py (default: $SLINK_SHARED/bench)")
    ap.add_argument("--files", type=int, default=170000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--kills", type=int, default=200,
                    help="random moments that kill (each: resume, then "
                         "rollback)")
    ap.add_argument("--kill-seed", type=int, default=1)
    ap.add_argument("--targets", default="tmpfs,xfs")
    ap.add_argument("--no-steps", action="store_true")
    ap.add_argument("--steps-last", action="store_true",
                    help="the random moments first")
    ap.add_argument("--work", default=None)
    ap.add_argument("--json", default=None, help="append the summary here")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, stop)
    if os.geteuid() != 0:
        print("SKIP: needs root (mount, loop devices)")
        return 77
    if not os.path.exists(a.gen):
        print("SKIP: no %s (set SLINK_SHARED)" % a.gen)
        return 77
    work = tempfile.mkdtemp(prefix="slink-crash-", dir=a.work)
    # 8 KiB files at most, 4 KiB on average, and the directories.
    size_mb = max(64, a.files * 12 // 1024 + 64)
    total = 0
    rng = random.Random(a.kill_seed)
    for kind in a.targets.split(","):
        if kind != "tmpfs" and not shutil.which("mkfs." + kind):
            print("SKIP %s: no mkfs.%s" % (kind, kind))
            continue
        t0 = time.time()
        try:
            rig = Rig(work, kind, a.gen, a.files, a.seed, size_mb)
        except subprocess.CalledProcessError as e:
            print("SKIP %s: %s: %s" % (kind, " ".join(e.cmd), e.stderr))
            return 77
        run = Run(a, rig)
        stopped = False
        steps, length = [], 0.0
        try:
            # An uncut move: its steps, its length.
            rig.reset(False)
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
                    for way in ("resume", "rollback"):
                        run.cycle(what, env, after, way)

            def at_moments():
                # A moment is drawn from the length of the quickest whole
                # move seen so far, so that nearly every one kills; moments
                # are drawn until KILLS of them killed (3 x KILLS at most).
                bound = length
                for i in range(3 * a.kills):
                    if run.moments >= a.kills:
                        break
                    after = rng.uniform(0, bound)
                    kills = run.kills
                    for way in ("resume", "rollback"):
                        took = run.cycle("moment %d at %.3f s" % (i + 1, after),
                                         {}, after, way)
                        if took is not None:
                            bound = min(bound, took)
                    run.moments += run.kills > kills

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
                   "entries": len(rig.expect), "steps": len(steps) if not a.no_steps else 0,
                   "random_moments": run.moments, "kills": run.kills,
                   "stopped_early": stopped,
                   "resumes": run.resumes, "rollbacks": run.rollbacks,
                   "rollbacks_refused_then_resumed": run.refused,
                   "nothing_to_do": run.noop, "failures": run.failures,
                   "killed_in": run.landed,
                   "uncut_seconds": round(length, 1),
                   "seconds": round(time.time() - t0)}
        print("%s: %s" % (kind, json.dumps(summary, sort_keys=True)),
              flush=True)
        if a.json:
            with open(a.json, "a") as f:
                f.write(json.dumps(summary, sort_keys=True) + "\n")
        total += run.failures
        if stopped:
            break
    shutil.rmtree(work, ignore_errors=True)
    print("move crash test: %d failures" % total)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
