#!/usr/bin/python3
"""What systemd's NOTIFY_SOCKET end does, for tests: bind a unix datagram socket, print every
notification as one JSON line {"msg", "pid", "ppid"} (the sender's credentials, read while it is
still alive, as systemd does to attribute the message to a unit), and close the file descriptors a
BARRIER=1 message carries, which is how the manager tells `systemd-notify` it has processed
everything before it.

Usage: /usr/bin/python3 notify_socket.py PATH   (prints "LISTENING" once bound; runs until killed)
"""
import array
import json
import os
import socket
import struct
import sys


def ppid_of(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def main(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    print("LISTENING", flush=True)
    while True:
        data, anc, _flags, _addr = s.recvmsg(4096, socket.CMSG_SPACE(16 * 4) + socket.CMSG_SPACE(12))
        pid = None
        fds = []
        for level, kind, payload in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                pid = struct.unpack("iII", payload[:12])[0]
            elif level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                a = array.array("i")
                a.frombytes(payload[: len(payload) - len(payload) % 4])
                fds.extend(a)
        line = {"msg": data.decode("utf-8", "replace"), "pid": pid, "ppid": ppid_of(pid) if pid else None}
        print(json.dumps(line), flush=True)
        for fd in fds:
            os.close(fd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
