#!/usr/bin/env python3
"""tests/tour/names.py - the tour's file and function names are real.

Two places of docs/TOUR.md name minirunc's code, and both are checked
against the tree:

  - each stop's heading, `### N. what: `func` → `func` (file.c, file.c)`:
    every file in its brackets must exist, and every function in backticks
    must be defined in one of the heading's files;
  - the netlink table (its header has `built by`): every function in the
    columns "built by", "sent by" and "called from" must be defined in some
    .c file of the tree.

A definition is a line that starts at column 0 (kernel style: the return
type on the line before, or on the same line), holds `name(` and does not end
in `;` (a prototype).

Usage: names.py TOUR.md [TREE]      Prints what is wrong; exit 1 if anything.
"""
import glob
import os
import re
import sys

IDENT = re.compile(r"`([A-Za-z_][A-Za-z0-9_]*)`")


def defined(name, text):
    rx = re.compile(r"^(?:[A-Za-z_][^\n]*?[\s*])?%s\([^\n]*$" % re.escape(name), re.M)
    return any(not m.group(0).rstrip().endswith(";") for m in rx.finditer(text))


def read(tree, f):
    try:
        return open(os.path.join(tree, f)).read()
    except OSError:
        return None


def check_headings(lines, tree, bad):
    n = 0
    for i, line in enumerate(lines, 1):
        m = re.match(r"### \d+\. (.*\(([^()]*)\))\s*$", line)
        if not m:
            continue
        files = re.findall(r"[\w./-]+\.[ch]\b", " ".join(re.findall(r"\(([^()]*)\)", m.group(1))))
        texts = {f: read(tree, f) for f in files}
        for f, t in texts.items():
            if t is None:
                bad.append("TOUR.md:%d: no file %s in the tree" % (i, f))
        for name in IDENT.findall(m.group(1)):
            n += 1
            if not any(t and defined(name, t) for t in texts.values()):
                bad.append("TOUR.md:%d: %s is not defined in %s" % (i, name, ", ".join(files)))
    return n


def check_table(lines, tree, bad):
    alltext = "\n".join(open(f).read() for f in glob.glob(os.path.join(tree, "*.c")))
    cols, n = None, 0
    for i, line in enumerate(lines, 1):
        if not line.startswith("|"):
            cols = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if "built by" in cells:
            cols = [cells.index(h) for h in ("built by", "sent by", "called from")]
            continue
        if cols is None:
            continue
        for k in cols:
            if k >= len(cells):
                continue
            for name in IDENT.findall(cells[k]):
                n += 1
                if not defined(name, alltext):
                    bad.append("TOUR.md:%d: %s is not defined in any .c file" % (i, name))
    return n


def main():
    path = sys.argv[1]
    tree = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    lines = open(path).read().split("\n")
    bad = []
    n = check_headings(lines, tree, bad) + check_table(lines, tree, bad)
    for b in bad:
        print(b)
    print("%d names checked, %d wrong" % (n, len(bad)))
    sys.exit(1 if bad or n == 0 else 0)


if __name__ == "__main__":
    main()
