#!/usr/bin/env python3
"""Bats assertions that can never fail. bash's `set -e`, which makes a
failing command fail a bats test, ignores a negated command (`! grep x f`)
and every command of an && list but the last (`[ -e a ] && [ -e b ]`
passes when a is missing). Inside a @test this rejects both; write
`run ! grep x f`, `[[ ... ]] || false`, or one assertion a line. A file
that uses `run !` must ask for bats 1.5 (helpers.bash does).
Usage: lint-bats.py FILE|DIR... (TAP: one line per file; a directory
stands for every .bats file below it)."""
import os
import re
import sys

HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1")
CONDITION = re.compile(r"^(if|elif|while|until)\b")
NEGATED = re.compile(r"(^|&&|\|\||;|\{|\bthen|\bdo|\belse)\s*!\s")
TEST_AND = re.compile(r"^\[\[?\s.*\]\]?\s*&&")


def logical_lines(lines):
    """The body lines of each @test, continuations joined, heredocs and
    comments left out: (line number, text)."""
    in_test = False
    heredoc = None
    pending, start = "", 0
    for no, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        if heredoc is not None:
            if line.strip() == heredoc:
                heredoc = None
            continue
        if not in_test:
            in_test = line.startswith("@test ")
            continue
        if line.startswith("}"):
            in_test = False
            continue
        m = HEREDOC.search(line)
        if m:
            heredoc = m.group(2)
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if not pending:
            start = no
        pending += " " + stripped
        if re.search(r"(\\|&&|\|\||\|)$", stripped):
            pending = pending.rstrip("\\")
            continue
        yield start, pending.strip()
        pending = ""


def problems(path):
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    text = "".join(lines)
    # `run !` needs bats 1.5, which says so only when asked for it.
    if re.search(r"^\s*run !", text, re.M) and not re.search(
            r"^(bats_require_minimum_version|load helpers)\b", text, re.M):
        yield 1, "uses `run !` without bats_require_minimum_version 1.5.0"
    for no, text in logical_lines(lines):
        if CONDITION.match(text):
            continue
        if NEGATED.search(text):
            yield no, "a negated command never fails the test: " + text
        elif TEST_AND.match(text):
            yield no, "the first test of an && list never fails the test: " + text


def main(args):
    paths = []
    for a in args:
        if os.path.isdir(a):
            for top, _, names in sorted(os.walk(a)):
                paths += [os.path.join(top, n) for n in sorted(names)
                          if n.endswith(".bats")]
        else:
            paths.append(a)
    print("1..%d" % len(paths))
    bad = 0
    for i, p in enumerate(paths, 1):
        found = list(problems(p))
        if found:
            bad += 1
            print("not ok %d %s" % (i, p))
            for no, why in found:
                print("# %s:%d: %s" % (p, no, why))
        else:
            print("ok %d %s" % (i, p))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
