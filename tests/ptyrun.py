#!/usr/bin/env python3
# tests/ptyrun.py INPUT CMD...: run CMD with a fresh pty as its controlling
# terminal (as a person at a terminal would), type INPUT after half a second,
# and print what came back (Python repr, one line) and "status N".
# Used by tests/integration/terminal.bats; bounded to 10 seconds.
import os, pty, sys, time, select
inp = sys.argv[1].encode().decode('unicode_escape').encode()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
time.sleep(0.5)
os.write(fd, inp)
out = b''
deadline = time.time() + 10
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            d = os.read(fd, 4096)
        except OSError:
            break
        if not d: break
        out += d
    else:
        p, st = os.waitpid(pid, os.WNOHANG)
        if p: break
else:
    os.kill(pid, 9)
try:
    p, st = os.waitpid(pid, 0)
except ChildProcessError:
    pass
print(repr(out))
print("status", os.waitstatus_to_exitcode(st))
