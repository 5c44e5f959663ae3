#!/usr/bin/python3
"""
agent.py - a seccomp notify agent for seccomp.bats (runc's
seccomp-notify.bats uses one the same way).

Listens on SOCKET; the runtime connects and sends the container process
state JSON with the listener fd (SCM_RIGHTS), as runc's
sendContainerProcessState does.  The JSON goes to STATE_FILE; then every
notification is answered with EHOSTDOWN, so the container sees a result
that only the agent can have produced.

Usage: agent.py SOCKET STATE_FILE
"""
import array
import errno
import fcntl
import os
import socket
import struct
import sys

NOTIF_RECV = 0xC0502100  # SECCOMP_IOCTL_NOTIF_RECV: _IOWR('!', 0, struct seccomp_notif)
NOTIF_SEND = 0xC0182101  # SECCOMP_IOCTL_NOTIF_SEND: _IOWR('!', 1, struct seccomp_notif_resp)


def main():
    path, state_file = sys.argv[1:3]
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    conn, _ = srv.accept()
    fds = array.array("i")
    msg, anc, _, _ = conn.recvmsg(65536, socket.CMSG_SPACE(fds.itemsize))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[:fds.itemsize])
    with open(state_file, "w") as f:
        f.write(msg.decode())
    conn.close()
    listener = fds[0]
    while True:
        req = bytearray(80)
        try:
            fcntl.ioctl(listener, NOTIF_RECV, req, True)
        except OSError as e:
            if e.errno == errno.EINTR:
                continue
            return 0  # the filter's last user is gone
        notif_id = struct.unpack_from("<Q", req, 0)[0]
        resp = struct.pack("<QqiI", notif_id, 0, -errno.EHOSTDOWN, 0)
        try:
            fcntl.ioctl(listener, NOTIF_SEND, bytearray(resp), True)
        except OSError:
            pass


if __name__ == "__main__":
    sys.exit(main())
