#!/usr/bin/env python3
"""record.py RESULTS SECTION NAME -- put the benchmark section NAME (the
file SECTION, which holds its own <!-- BEGIN NAME --> and END lines) into
RESULTS in place of the old one, or append it."""
import os, sys

path, section_file, name = sys.argv[1:4]
section = open(section_file).read().rstrip("\n") + "\n"
text = open(path).read() if os.path.exists(path) else "# Benchmark results\n"
begin, end = "<!-- BEGIN %s -->" % name, "<!-- END %s -->" % name
if begin in text and end in text:
    head, rest = text.split(begin, 1)
    text = head + section.rstrip("\n") + rest.split(end, 1)[1]
else:
    text = text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text)
