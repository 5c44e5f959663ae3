#!/usr/bin/env python3
"""tests/tour/check.py - keep docs/TOUR.md true.

Every fenced block of the tour whose info string is `console tour` is run, in
order, by one bash in a scratch directory, and what each command prints is
compared with the lines under it in the text.  The format of a block:

    $ a command            (a trailing backslash continues it on the next line)
    what it prints         (stdout and stderr together)
    ...                    (any number of lines, including none)

Before comparing, both sides are normalised so that what differs from run to
run does not count: times, pids, namespace inode numbers, MAC addresses,
IPv6 link-local addresses, packet and byte counters, and trailing spaces.

The blocks share one shell, so a `cd` or a variable carries over, as it does
for a reader typing them.  `minirunc` is the tree's binary (MINIRUNC), first
on PATH; the scratch directory is the shell's cwd and $TOUR.

Usage: check.py TOUR.md [SCRATCH_DIR]      Prints TAP, one test a block.
"""
import os
import re
import subprocess
import sys
import tempfile

MARK = "@@tour-command-done@@"


def blocks(text):
    """(line number, [(command, [expected lines])]) for each runnable block."""
    out, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        if lines[i].strip() == "```console tour":
            start, body = i + 1, []
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            out.append((start, commands(body)))
        i += 1
    return out


def commands(body):
    cmds, cur = [], None
    it = iter(body)
    for line in it:
        if line.startswith("$ "):
            cmd = line[2:]
            while cmd.endswith("\\"):
                cmd = cmd[:-1] + "\n" + next(it, "")
            cur = (cmd, [])
            cmds.append(cur)
        elif cur is not None:
            cur[1].append(line)
    return cmds


RULES = [
    (re.compile(r'time="[^"]*"'), 'time="T"'),
    (re.compile(r'"time":"[^"]*"'), '"time":"T"'),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"), "TIME"),
    (re.compile(r"\b(pid|init pid|Pid:)\s*\d+"), r"\1 N"),
    (re.compile(r'"pid": ?\d+'), '"pid": N'),
    (re.compile(r"\[\d{9,}\]"), "[INODE]"),
    (re.compile(r"([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}"), "MAC"),
    (re.compile(r"fe80::[0-9a-f:]+(/64)?"), "LINKLOCAL"),
    (re.compile(r"(packets|errors|dropped|overruns|frame|carrier|collisions|txqueuelen|bytes):\d+"),
     r"\1:N"),
    (re.compile(r"\(\d+(\.\d+)? [KMGT]?i?B\)"), "(SIZE)"),
]


def norm(line):
    for rx, to in RULES:
        line = rx.sub(to, line)
    return line.rstrip()


def matches(want, got):
    """want may hold '...' lines, each standing for any run of lines."""
    want = [norm(w) for w in want]
    got = [norm(g) for g in got]
    memo = {}

    def m(i, j):
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(want):
            r = j == len(got)
        elif want[i] == "...":
            r = any(m(i + 1, k) for k in range(j, len(got) + 1))
        else:
            r = j < len(got) and want[i] == got[j] and m(i + 1, j + 1)
        memo[(i, j)] = r
        return r

    return m(0, 0)


def trim(lines):
    """Blank lines at the end do not count (ifconfig ends with one)."""
    lines = list(lines)
    while lines and lines[-1].strip() == "":
        lines.pop()
    return lines


def run_all(all_blocks, scratch):
    """Run every command of every block in one bash; the outputs, in order."""
    script = ["set +e", "exec 2>&1", 'cd "$TOUR"']
    for _, cmds in all_blocks:
        for cmd, _ in cmds:
            script.append(cmd)
            script.append("echo %s" % MARK)
    env = dict(os.environ, TOUR=scratch)
    mr = os.environ.get("MINIRUNC")
    if mr:
        bindir = os.path.join(scratch, ".bin")
        os.makedirs(bindir, exist_ok=True)
        link = os.path.join(bindir, "minirunc")
        if not os.path.exists(link):
            os.symlink(mr, link)
        env["PATH"] = bindir + ":" + env.get("PATH", "")
    p = subprocess.run(["bash", "--noprofile", "--norc"], input="\n".join(script) + "\n",
                       capture_output=True, text=True, env=env, timeout=600)
    outs = p.stdout.split(MARK + "\n")
    return [o.split("\n")[:-1] if o.endswith("\n") else o.split("\n") for o in outs]


def main():
    text = open(sys.argv[1]).read()
    scratch = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="tour.")
    all_blocks = blocks(text)
    outs = run_all(all_blocks, scratch)
    print("1..%d" % len(all_blocks))
    k, bad = 0, 0
    for n, (line, cmds) in enumerate(all_blocks, 1):
        ok = True
        for cmd, want in cmds:
            got = outs[k] if k < len(outs) else ["(no output: the shell stopped)"]
            got, want = trim(got), trim(want)
            k += 1
            if not matches(want, got):
                ok = False
                print("# TOUR.md:%d: $ %s" % (line, cmd.split("\n")[0]))
                print("#   expected:")
                for w in want:
                    print("#     " + w)
                print("#   got:")
                for g in got:
                    print("#     " + g)
        bad += not ok
        print("%s %d - block at TOUR.md:%d" % ("ok" if ok else "not ok", n, line))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
