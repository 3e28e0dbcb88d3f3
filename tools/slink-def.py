#!/usr/bin/env python3
"""The DLL's export list, from the one public header: every function that
include/slink.h declares, and nothing else (the internal slink__ names stay
inside). Usage: slink-def.py slink.h out.def"""
import re
import sys

header, out = sys.argv[1], sys.argv[2]
with open(header, encoding="utf-8") as f:
    text = f.read()
# Comments name functions too ("as slink_read() does"): drop them first,
# and the preprocessor lines, whose macros are no symbols.
text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
text = re.sub(r"^\s*#.*?(?<!\\)$", " ", text, flags=re.M | re.S)
names = sorted(set(re.findall(r"\b(slink_[a-z][a-z0-9_]*)\s*\(", text)))
if not names:
    sys.exit("slink-def.py: no functions found in " + header)
with open(out, "w", encoding="utf-8") as f:
    f.write("EXPORTS\n")
    for n in names:
        f.write("  " + n + "\n")
