#!/usr/bin/env python3
"""ln_fuzz.py - differential fuzzer: GNU coreutils ln against slink's ln.

Each scenario (one seed) is a random start tree and a random ln command
line. The tree is made fresh at the same place twice, once for each ln, so
absolute paths, messages and -r targets compare as they are; the exit
status, stdout, stderr (program name normalised) and the tree left behind
(types, link targets, which names share an inode, contents) must be equal,
unless a deliberate difference listed in docs/compat.md explains it (the
KNOWN table below). A failing seed is run again alone and printed as a
shell reproduction.

Safety: every scenario runs inside its own work directory below a fresh
temporary directory; operands are names in the tree, `..` at most once
from a subdirectory, or absolute names inside the tree, and links in the
tree point inside it. Operands are checked before each run and the
scenario is dropped if one could leave the work directory.
"""
import argparse
import itertools
import os
import random
import shutil
import stat
import subprocess
import sys
import tempfile
import time

NOBODY = 65534

# ---- names -------------------------------------------------------------

PLAIN = ["a", "b", "c", "d", "e", "f", "x", "sub", "l", "m"]
ODD = ["x y", "it's", 'q"q', "n\nl", "t\tb",
       b"\xff\xfe".decode("utf-8", "surrogateescape"),
       "*", "-x", "\u00e9", "a~", "$v", " "]


def raw(name):
    """Names are str; bytes that are not UTF-8 are kept as surrogates."""
    return name.encode("utf-8", "surrogateescape")


# ---- the start tree ----------------------------------------------------

class Tree:
    """A start tree as a list of steps, replayable at any root."""

    def __init__(self, rng):
        self.rng = rng
        self.steps = []      # (kind, relpath, arg)
        self.files = []
        self.dirs = [""]     # "" is the top
        self.links = []
        self.names = []      # every relpath made
        self.mode555 = []
        self.rootowned = []

    def fresh(self, where):
        r = self.rng
        for _ in range(20):
            pool = PLAIN if r.random() < 0.75 else ODD
            n = r.choice(pool)
            if r.random() < 0.15:
                n += r.choice(["~", ".~1~", ".~2~", ".bak"])
            p = where + n if not where else where + "/" + n
            if p not in self.names:
                return p
        return None

    def add(self, kind, path, arg=None):
        self.steps.append((kind, path, arg))
        self.names.append(path)

    def rel_to(self, target, link):
        """Relative link text from LINK's directory to TARGET (both relpaths)."""
        ld = os.path.dirname(link)
        return os.path.relpath(target or ".", ld or ".")

    def generate(self):
        r = self.rng
        for _ in range(r.randint(2, 9)):
            kind = r.choice(["file", "file", "file", "dir", "dir", "sym",
                             "sym", "dsym", "dangling", "loop1", "loop2",
                             "chain", "abs", "hard", "fifo", "backup",
                             "selfdir"])
            where = r.choice(self.dirs)
            p = self.fresh(where)
            if p is None:
                continue
            if kind == "file":
                self.add("file", p, r.choice(["", "data\n", p + "\n"]))
                self.files.append(p)
            elif kind == "dir":
                self.add("dir", p)
                self.dirs.append(p)
            elif kind in ("sym", "dsym", "abs") and (self.files or self.dirs):
                pool = self.files if kind != "dsym" else self.dirs
                if not pool:
                    continue
                t = r.choice(pool)
                if kind == "abs":
                    self.add("abslink", p, t)
                else:
                    self.add("link", p, self.rel_to(t, p))
                self.links.append(p)
            elif kind == "dangling":
                self.add("link", p, r.choice(["nowhere", "no/where", "n o",
                                              ""]) or "gone")
                self.links.append(p)
            elif kind == "loop1":
                self.add("link", p, os.path.basename(p))
                self.links.append(p)
            elif kind == "loop2":
                q = self.fresh(where)
                if q is None or q == p:
                    continue
                self.add("link", p, os.path.basename(q))
                self.add("link", q, os.path.basename(p))
                self.links += [p, q]
            elif kind == "chain" and self.files:
                q = self.fresh(where)
                if q is None or q == p:
                    continue
                self.add("link", q, self.rel_to(r.choice(self.files), q))
                self.add("link", p, os.path.basename(q))
                self.links += [p, q]
            elif kind == "hard" and self.files:
                self.add("hard", p, r.choice(self.files))
                self.files.append(p)
            elif kind == "fifo":
                self.add("fifo", p)
            elif kind == "backup" and self.names and r.random() < 0.2:
                q = r.choice(self.names) + "~"   # a backup name taken by
                if q not in self.names:           # a directory
                    self.add("dir", q)
                    self.dirs.append(q)
            elif kind == "backup" and self.names:
                base = r.choice(self.names)
                for suf in r.sample(["~", ".~1~", ".~2~", ".~9~", ".~10~"], 2):
                    q = base + suf
                    if q not in self.names and "/" not in suf:
                        self.add("file", q, "old\n")
                        self.files.append(q)
            elif kind == "selfdir":
                self.add("link", p, ".")
                self.links.append(p)
        for f in self.files:
            if r.random() < 0.15:   # fs.protected_hardlinks applies
                self.rootowned.append(f)
        for d in self.dirs[1:]:
            if r.random() < 0.12:
                self.mode555.append(d)
            if r.random() < 0.2:
                self.rootowned.append(d)

    def make(self, top, owner=None):
        os.mkdir(top)
        for kind, p, arg in self.steps:
            full = os.path.join(raw(top), raw(p))
            if kind == "file":
                with open(full, "wb") as f:
                    f.write(raw(arg))
            elif kind == "dir":
                os.mkdir(full)
            elif kind == "link":
                os.symlink(raw(arg), full)
            elif kind == "abslink":
                os.symlink(os.path.join(raw(top), raw(arg)), full)
            elif kind == "hard":
                os.link(os.path.join(raw(top), raw(arg)), full)
            elif kind == "fifo":
                os.mkfifo(full)
        if owner is not None:
            # The whole work directory (top's parent too) is the user's,
            # except the directories left to root ("trees it cannot write").
            os.lchown(os.path.dirname(top), owner, owner)
            for dirpath, dirnames, filenames in os.walk(raw(top)):
                os.lchown(dirpath, owner, owner)
                for n in dirnames + filenames:
                    os.lchown(os.path.join(dirpath, n), owner, owner)
            for d in self.rootowned:
                os.lchown(os.path.join(raw(top), raw(d)), 0, 0)
        for d in self.mode555:
            os.chmod(os.path.join(raw(top), raw(d)), 0o555)


# ---- the command line --------------------------------------------------

LONGS = ["backup", "directory", "force", "no-dereference",
         "no-target-directory", "interactive", "logical", "physical",
         "relative", "suffix", "target-directory", "symbolic", "verbose"]
SHORT_OF = {"directory": "d", "force": "f", "no-dereference": "n",
            "no-target-directory": "T", "interactive": "i", "logical": "L",
            "physical": "P", "relative": "r", "symbolic": "s",
            "verbose": "v"}
CONTROLS = ["none", "off", "simple", "never", "existing", "nil", "numbered",
            "t", "nu", "ex", "si", "n", "s", "", "bogus", "ne", "o"]
SUFFIXES = ["~", ".bak", "", ".~1~", "x/y", "_"]


def abbrev(rng, name):
    """A prefix of --NAME that may or may not be unique."""
    if rng.random() < 0.6:
        return name
    return name[:rng.randint(1, len(name))]


def gen_args(rng, tree, cwd):
    """A list of str arguments and the stdin text."""
    def operand():
        c = rng.random()
        names = tree.names or ["a"]
        if c < 0.55:
            p = rng.choice(names)
        elif c < 0.7:
            p = tree.fresh(rng.choice(tree.dirs)) or "new"
        elif c < 0.74:
            p = rng.choice(["", ".", "./", "nonexist", "nonexist/x",
                            "L" * 300, "sub/" + "L" * 256, "-", "-x"])
        elif c < 0.84 and tree.links:
            # through a link: into the directory it names, or past a file
            base = rng.choice([os.path.basename(n) for n in names] + PLAIN)
            p = rng.choice(tree.links) + "/" + base
        else:
            p = rng.choice(tree.dirs[1:] or names)
        # the operand as written relative to cwd
        if cwd:
            if p == cwd or p.startswith(cwd + "/"):
                p = p[len(cwd) + 1:] or "."
            else:
                p = "../" + p if p not in ("", ".", "./") else p
        r2 = rng.random()
        if r2 < 0.12:
            p += rng.choice(["/", "//", "/."])
        elif r2 < 0.17 and p and not p.startswith("/"):
            p = "./" + p
        elif r2 < 0.22 and p:
            p = "@ABS@/" + os.path.normpath(os.path.join(cwd, p))
        return p

    opts = []
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4, 5])):
        o = rng.random()
        if o < 0.05:
            opts.append(("long", "backup", rng.choice(CONTROLS)))
        elif o < 0.06:
            opts.append(("bad", rng.choice(["--backup", "--b", "-F"]), None))
        elif o < 0.1:
            opts.append(("short", "b", None))
        elif o < 0.14:
            opts.append(("short", "S", rng.choice(SUFFIXES)))
        elif o < 0.17:
            opts.append(("long", "suffix", rng.choice(SUFFIXES)))
        elif o < 0.23:
            opts.append(("short", "t", operand()))
        elif o < 0.25:
            opts.append(("long", "target-directory", operand()))
        elif o < 0.27:
            opts.append(("bad", rng.choice(["-X", "--bogus", "--no", "--re",
                                            "--force=1", "--backup=",
                                            "-S", "--s", "-", "--help",
                                            "--version", "--he"]), None))
        else:
            name = rng.choice(["symbolic", "symbolic", "symbolic", "force",
                               "force", "no-dereference", "interactive",
                               "relative", "no-target-directory",
                               "logical", "physical", "verbose",
                               "directory"])
            if rng.random() < 0.25:
                opts.append(("long", name, None))
            else:
                opts.append(("short", SHORT_OF[name], None))
    ops = [operand() for _ in range(rng.choice([1, 2, 2, 2, 2, 3, 3, 4]))]
    # render: bundle some short options, place options anywhere
    words = []
    i = 0
    while i < len(opts):
        kind, name, val = opts[i]
        if kind == "short":
            s = "-" + name
            while (val is None and i + 1 < len(opts)
                   and opts[i + 1][0] == "short" and rng.random() < 0.5):
                i += 1
                _, name, val = opts[i]
                s += name
            if val is not None:
                if rng.random() < 0.5:
                    words.append([s + val])
                else:
                    words.append([s, val])
            else:
                words.append([s])
        elif kind == "long":
            n = "--" + abbrev(rng, name)
            if val is None:
                words.append([n])
            elif name == "backup" or rng.random() < 0.5:
                words.append([n + "=" + val])
            else:
                words.append([n, val])
        else:
            words.append([name])
        i += 1
    args = []
    dashdash = rng.random() < 0.1
    for w in words:
        if ops and rng.random() < 0.15 and not dashdash:
            args.append(ops.pop(0))   # a misplaced option follows
        args += w
    if dashdash:
        args.append("--")
    args += ops
    stdin = rng.choice(["", "y\n", "n\n", "y\ny\ny\n", "yes\nno\n", "Y\n",
                        "n\ny\n"])
    return args, stdin


def gen_env(rng):
    env = {"PATH": "/usr/bin:/bin"}
    if rng.random() < 0.15:
        env["LANG"] = rng.choice(["C", "C.UTF-8"])
    else:
        env["LC_ALL"] = rng.choice(["C", "C.UTF-8", "C.UTF-8"])
    if rng.random() < 0.2:
        env["VERSION_CONTROL"] = rng.choice(CONTROLS)
    if rng.random() < 0.2:
        env["SIMPLE_BACKUP_SUFFIX"] = rng.choice(SUFFIXES)
    if rng.random() < 0.1:
        env["POSIXLY_CORRECT"] = "1"
    return env


class Scenario:
    def __init__(self, seed, unpriv):
        rng = random.Random(seed)
        self.seed = seed
        self.tree = Tree(rng)
        self.tree.generate()
        self.unpriv = unpriv
        subdirs = [d for d in self.tree.dirs[1:]
                   if d not in self.tree.mode555]
        self.cwd = rng.choice(subdirs) if subdirs and rng.random() < 0.25 \
            else ""
        self.args, self.stdin = gen_args(rng, self.tree, self.cwd)
        self.env = gen_env(rng)
        if unpriv and rng.random() < 0.2:
            self.tree.rootowned.append("")   # a top it cannot write


# ---- running -----------------------------------------------------------

def escapes(arg, top, cwd):
    """Could this operand name something outside the work directory?"""
    if arg.startswith("/"):
        return not (arg + "/").startswith(top + "/")
    full = os.path.normpath(os.path.join(top, cwd, arg))
    work = os.path.dirname(top)
    return not (full + "/").startswith(work + "/")


def snapshot(work):
    """The tree below WORK: path, type, link target, inode group, content."""
    out = []
    groups = {}
    for dirpath, dirnames, filenames in os.walk(work):
        dirnames.sort()
        for n in sorted(dirnames + filenames):
            p = os.path.join(dirpath, n)
            st = os.lstat(p)
            rel = os.path.relpath(p, work)
            m = st.st_mode
            if stat.S_ISLNK(m):
                t, extra = "l", os.readlink(p)
            elif stat.S_ISDIR(m):
                t, extra = "d", ""
            elif stat.S_ISFIFO(m):
                t, extra = "p", ""
            elif stat.S_ISREG(m):
                t = "f"
                with open(p, "rb") as f:
                    extra = f.read(200)
            else:
                t, extra = "?", ""
            key = (st.st_dev, st.st_ino)
            if t != "d":
                groups.setdefault(key, len(groups) + 1)
            out.append((rel, t, extra, groups.get(key, 0),
                        oct(m & 0o7777), st.st_uid))
    out.sort()
    return out


def run_side(sc, base, binary, name):
    """Make the tree fresh at BASE/w/t, run ln there, return what it did."""
    work = os.path.join(base, "w")
    top = os.path.join(work, "t")
    if os.path.lexists(work):
        subprocess.run(["chmod", "-R", "u+rwx", work], check=False)
        shutil.rmtree(work)
    os.mkdir(work)
    os.chmod(work, 0o755)
    sc.tree.make(top, NOBODY if sc.unpriv else None)
    if sc.unpriv and "" in sc.tree.rootowned:
        os.lchown(top, 0, 0)
    args = [a.replace("@ABS@", top) for a in sc.args]
    for a in args:
        if a.startswith("--target-directory=") or a.startswith("--t"):
            a = a.split("=", 1)[1] if "=" in a else ""
        elif a.startswith("-") and not a.startswith("--") and "t" in a:
            a = a[a.index("t") + 1:]   # -tDIR, -stDIR: the value
        elif a.startswith("-") and a != "-":
            continue
        if a and escapes(a, top, sc.cwd):
            return None
    cmd = [binary] + args
    if sc.unpriv:
        cmd = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY,
               "--clear-groups", "--"] + cmd
    env = dict(sc.env)
    try:
        p = subprocess.run([raw(a) for a in cmd], cwd=os.path.join(raw(top), raw(sc.cwd)),
                           input=sc.stdin.encode(), capture_output=True,
                           env=env, timeout=20)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        rc, out, err = "hang", b"", b""
    prog = binary.encode()
    out = out.replace(prog + b": ", b"ln: ")
    err = err.replace(prog, b"ln")
    return {"rc": rc, "out": out, "err": err, "tree": snapshot(work),
            "top": top}


def first(sc, *names):
    """Is one of the options given (any spelling)?"""
    for a in sc.args:
        if a == "--":
            break
        if a.startswith("--"):
            for n in names:
                if len(n) > 1 and len(a) > 3 and n.startswith(a[2:].split("=")[0]):
                    return True
        elif a.startswith("-") and len(a) > 1:
            for n in names:
                if len(n) == 1 and n in a[1:]:
                    return True
    return False


# Deliberate differences, as docs/compat.md lists them: each a name, the
# words of its entry there (checked at start, so the two lists stay one),
# and a test that the difference between G (GNU) and S (slink) is that one.
def known_help(sc, g, s):
    helpish = any(a.startswith("--he") or a.startswith("--vers")
                  for a in sc.args)
    return (helpish and g["rc"] == s["rc"] and g["err"] == s["err"]
            and g["tree"] == s["tree"])


def known_self_symlink(sc, g, s):
    """GNU -si replaces a file by a link to itself; slink refuses."""
    if b"are the same file" not in s["err"] or s["rc"] != 1:
        return False
    gl = {e[0]: e for e in g["tree"]}
    for e in s["tree"]:
        ge = gl.get(e[0])
        if ge and ge[1] == "l" and e[1] != "l" and \
                os.path.basename(ge[2]) == os.path.basename(e[0]):
            return True
    return False


def known_hard_dir_owner(sc, g, s):
    """-d on a directory the user does not own, into a directory it cannot
    write: GNU meets fs.protected_hardlinks first, slink the permission."""
    if not sc.unpriv or not first(sc, "d", "F", "directory"):
        return False
    if (g["rc"], g["out"], g["tree"]) != (s["rc"], s["out"], s["tree"]):
        return False
    gl, sl = g["err"].split(b"\n"), s["err"].split(b"\n")
    if len(gl) != len(sl):
        return False
    for a, b in zip(gl, sl):
        if a != b and not (a.endswith(b": Operation not permitted") and
                           b.endswith(b": Permission denied") and
                           a[:-len(b"Operation not permitted")] ==
                           b[:-len(b"Permission denied")]):
            return False
    return True


KNOWN = [
    ("self-symlink", "A file is never replaced by a link to itself",
     known_self_symlink),
    ("help-version", "`--help` and `--version` print slink's own text",
     known_help),
    ("hard-dir-owner", "`-d` on a directory someone else owns",
     known_hard_dir_owner),
]


def check_known_documented():
    doc = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                       "..", "docs", "compat.md")
    if not os.path.exists(doc):
        return
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    for name, words, _ in KNOWN:
        if words not in text:
            sys.exit("ln_fuzz: deliberate difference %s is not in "
                     "docs/compat.md (%r)" % (name, words))


def compare(sc, g, s):
    if g["rc"] == "hang" or s["rc"] == "hang":
        return "hang"
    if isinstance(s["rc"], int) and s["rc"] < 0:
        return "crash"
    if (g["rc"], g["out"], g["err"], g["tree"]) == \
            (s["rc"], s["out"], s["err"], s["tree"]):
        return None
    for name, _, test in KNOWN:
        if test(sc, g, s):
            return "known:" + name
    return "diff"


def shell_quote(s):
    if s and all(c.isalnum() or c in "-_./=@%+,:" for c in s):
        return s
    return "$'" + "".join(
        c if (c.isascii() and (c.isalnum() or c in " -_./=@%+,:~*()[]{}#!?"))
        else "".join("\\x%02x" % b for b in raw(c))
        for c in s) + "'"


def reproduce(sc):
    lines = ["# seed %d%s" % (sc.seed, " (as nobody)" if sc.unpriv else ""),
             "T=$(mktemp -d) && mkdir \"$T/t\" && cd \"$T/t\""]
    for kind, p, arg in sc.tree.steps:
        q = shell_quote(p)
        if kind == "file":
            lines.append("printf %%s %s > %s" % (shell_quote(arg), q))
        elif kind == "dir":
            lines.append("mkdir %s" % q)
        elif kind == "link":
            lines.append("ln -s %s %s" % (shell_quote(arg), q))
        elif kind == "abslink":
            lines.append("ln -s \"$T/t/\"%s %s" % (shell_quote(arg), q))
        elif kind == "hard":
            lines.append("ln %s %s" % (shell_quote(arg), q))
        elif kind == "fifo":
            lines.append("mkfifo %s" % q)
    if sc.unpriv:
        lines.append("chown -R %d:%d \"$T\"" % (NOBODY, NOBODY))
        for d in sc.tree.rootowned:
            lines.append("chown 0:0 ./%s" % shell_quote(d))
    for d in sc.tree.mode555:
        lines.append("chmod 555 %s" % shell_quote(d))
    if sc.cwd:
        lines.append("cd %s" % shell_quote(sc.cwd))
    env = " ".join("%s=%s" % (k, shell_quote(v)) for k, v in
                   sorted(sc.env.items()) if k != "PATH")
    args = " ".join(shell_quote(a).replace("@ABS@", "\"$T/t\"")
                    for a in sc.args)
    pre = "setpriv --reuid=%d --regid=%d --clear-groups -- " % (
        NOBODY, NOBODY) if sc.unpriv else ""
    lines.append("printf %%s %s | %s %sln %s; echo \"exit $?\"" % (
        shell_quote(sc.stdin), env, pre, args))
    return "\n".join(lines)


def show(sc, g, s):
    print(reproduce(sc))
    for k in ("rc", "out", "err"):
        if g[k] != s[k]:
            print("  %s: gnu  %r\n  %s: slink %r" % (k, g[k], k, s[k]))
    if g["tree"] != s["tree"]:
        gs, ss = set(g["tree"]), set(s["tree"])
        for e in sorted(gs - ss):
            print("  tree gnu only:   %r" % (e,))
        for e in sorted(ss - gs):
            print("  tree slink only: %r" % (e,))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slink", required=True)
    ap.add_argument("--gnu", default="/usr/bin/ln")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--unpriv", action="store_true",
                    help="run ln as uid 65534 (needs root)")
    ap.add_argument("--one", type=int, help="run this seed alone")
    ap.add_argument("--show", type=int, default=5,
                    help="reproductions to print")
    a = ap.parse_args()
    check_known_documented()
    if a.unpriv and os.geteuid() != 0:
        print("ln_fuzz: --unpriv needs root; skipped")
        return 0
    tmp = tempfile.mkdtemp(prefix="slink-lnfuzz.")
    os.chmod(tmp, 0o755)
    for src in (a.gnu, a.slink):
        if not os.path.isfile(src):
            os.rmdir(tmp)
            sys.exit("ln_fuzz: no program at %s" % src)
    bins = {}
    for side, src in (("gnu", a.gnu), ("slink", a.slink)):
        d = os.path.join(tmp, "bin-" + side)
        os.mkdir(d)
        os.chmod(d, 0o755)
        real = os.path.realpath(src)
        shutil.copy(real, os.path.join(d, "ln"))
        os.chmod(os.path.join(d, "ln"), 0o755)
        # A program linked to the shared libslink finds it beside itself
        # ($ORIGIN): the copy takes the library along.
        here = os.path.dirname(real)
        for lib in os.listdir(here):
            if lib.startswith("libslink.so") and os.path.isfile(os.path.join(here, lib)):
                shutil.copy(os.path.join(here, lib), os.path.join(d, lib))
        bins[side] = os.path.join(d, "ln")
    # --count scenarios that run: a seed whose operands could leave the
    # work directory is dropped and the next one taken.
    seeds = [a.one] if a.one is not None else itertools.count(a.seed)
    counts = {}
    failed = []
    t0 = time.time()
    ran = 0
    try:
        for seed in seeds:
            if a.one is None and ran >= a.count:
                break
            sc = Scenario(seed, a.unpriv)
            g = run_side(sc, tmp, bins["gnu"], "gnu")
            if g is None:
                counts["dropped"] = counts.get("dropped", 0) + 1
                continue
            s = run_side(sc, tmp, bins["slink"], "slink")
            ran += 1
            verdict = compare(sc, g, s)
            if verdict is None:
                counts["same"] = counts.get("same", 0) + 1
                continue
            counts[verdict] = counts.get(verdict, 0) + 1
            if verdict.startswith("known:"):
                continue
            failed.append(seed)
            if len(failed) <= a.show:
                # a failing seed again, alone, from scratch
                sc = Scenario(seed, a.unpriv)
                g = run_side(sc, tmp, bins["gnu"], "gnu")
                s = run_side(sc, tmp, bins["slink"], "slink")
                show(sc, g, s)
    finally:
        subprocess.run(["chmod", "-R", "u+rwx", tmp], check=False)
        shutil.rmtree(tmp, ignore_errors=True)
    dt = time.time() - t0
    print("ln_fuzz: %d scenarios%s from seed %d in %.1f s: %s" % (
        ran, " as uid %d" % NOBODY if a.unpriv else " as root", a.seed, dt,
        ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    if failed:
        print("ln_fuzz: failing seeds: %s" % " ".join(map(str, failed[:50])))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
