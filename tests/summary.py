#!/usr/bin/env python3
"""Count every test case of every suite in Meson's testlog.json files.

TAP suites (cmocka, bats, the Wine and NTFS suites) are counted case by
case from their output; other tests count once. Prints the failures, then
the closing line "N passed, N failed[, N skipped]" and exits 1 on any
failure (or when nothing ran)."""
import json
import re
import sys

TAP = re.compile(r"^(not ok|ok)\b\s*\d*\s*-?\s*(.*)$")


def count(path, totals, failures, skips):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            t = json.loads(line)
            name = t["name"]
            out = t.get("stdout") or ""
            cases = 0
            for raw in out.splitlines():
                m = TAP.match(raw)
                if not m:
                    continue
                cases += 1
                ok, rest = m.group(1) == "ok", m.group(2)
                directive = rest.split("#", 1)[1].strip() if "#" in rest else ""
                if directive.upper().startswith("SKIP"):
                    totals["skipped"] += 1
                    skips.append(f"{name}: {rest}")
                elif ok or directive.upper().startswith("TODO"):
                    totals["passed"] += 1
                else:
                    totals["failed"] += 1
                    failures.append(f"{name}: {rest}")
            result = t.get("result")
            if result in ("FAIL", "TIMEOUT", "ERROR", "UNEXPECTEDPASS") and \
                    not any(f.startswith(name + ":") for f in failures):
                totals["failed"] += 1
                failures.append(f"{name}: {result} (exit {t.get('returncode')})")
            elif cases == 0:
                if result == "SKIP":
                    totals["skipped"] += 1
                    skips.append(f"{name}: skipped")
                elif result == "OK":
                    totals["passed"] += 1


def main():
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    failures, skips = [], []
    for p in sys.argv[1:]:
        try:
            count(p, totals, failures, skips)
        except FileNotFoundError:
            totals["failed"] += 1
            failures.append(f"{p}: no test log (the suite did not run)")
    if skips:
        print("skipped:")
        for s in skips:
            print("  " + s)
    if failures:
        print("failed:")
        for f in failures:
            print("  " + f)
    line = f"{totals['passed']} passed, {totals['failed']} failed"
    if totals["skipped"]:
        line += f", {totals['skipped']} skipped"
    print(line)
    return 1 if totals["failed"] or totals["passed"] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
