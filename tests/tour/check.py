#!/usr/bin/env python3
"""tests/tour/check.py - keep docs/TOUR.md true.

Every fenced block of the tour whose info string is `console tour` is run, in
order, by one bash in a scratch directory, and what each command prints is
compared with the lines under it in the text.  The format of a block:

    $ a command            (a trailing backslash continues it on the next line)
    what it prints         (stdout and stderr together)
    ...                    (any number of lines, including none)

Before comparing, both sides are normalised so that what differs from run to
run does not count: times, pids (also in /proc/PID paths), namespace inode
numbers, MAC addresses, IPv6 link-local addresses and their DAD state, packet
and byte counters, the cgroup layout word of --debug's "placed in its cgroup"
line (v1, v2 or hybrid, by host), the scratch directory's path (shown as
$TOUR), and trailing spaces.

The blocks share one shell, so a `cd`, a variable or `$?` carries over, as
it does for a reader typing them.  `minirunc` is the tree's binary (MINIRUNC), first
on PATH; the scratch directory is the shell's cwd and $TOUR; $TREE is the
minirunc source tree (default: the one holding this script), where the tour
copies config.json.example from.  The script is run from a file with stdin
/dev/null, so a container with `terminal: false` cannot read the commands
that follow.

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
    (re.compile(r"/proc/\d+/"), "/proc/N/"),
    (re.compile(r"\binit \d+ placed in its cgroup \((v1|v2|hybrid)\)"),
     "init N placed in its cgroup (v1|v2|hybrid)"),
    (re.compile(r" tentative\b"), ""),
]


def add_path_rule(scratch):
    """The scratch directory (and its real path) reads as $TOUR."""
    for path in sorted({scratch, os.path.realpath(scratch)}, key=len, reverse=True):
        RULES.insert(0, (re.compile(re.escape(path.rstrip("/"))), "$TOUR"))


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
            # The mark must not hide the command's status from the next one.
            script.append("__tour_st=$?; echo %s; (exit $__tour_st)" % MARK)
    tree = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, TOUR=scratch)
    env.setdefault("TREE", tree)
    mr = os.environ.get("MINIRUNC")
    if mr:
        bindir = os.path.join(scratch, ".bin")
        os.makedirs(bindir, exist_ok=True)
        link = os.path.join(bindir, "minirunc")
        if not os.path.exists(link):
            os.symlink(mr, link)
        env["PATH"] = bindir + ":" + env.get("PATH", "")
    path = os.path.join(scratch, ".tour.sh")
    with open(path, "w") as f:
        f.write("\n".join(script) + "\n")
    p = subprocess.run(["bash", "--noprofile", "--norc", path], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                       timeout=600)
    outs = p.stdout.split(MARK + "\n")
    return [o.split("\n")[:-1] if o.endswith("\n") else o.split("\n") for o in outs]


def main():
    text = open(sys.argv[1]).read()
    scratch = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="tour.")
    add_path_rule(scratch)
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
