#!/usr/bin/python3
"""Drive an interactive command through a real pseudo-terminal, as a technician at a keyboard would.

Usage: /usr/bin/python3 pty_drive.py STEPS.json -- command [args...]
STEPS.json is a list of [regex, reply]: wait until the output since the previous step matches
regex, then type reply and Enter. Prints the whole transcript (what the terminal showed), then a
last line "EXIT <status>". A step that does not match within 90 s ends the run with "TIMEOUT".
"""
import json
import os
import pty
import re
import select
import sys
import time


def main(argv):
    steps = json.load(open(argv[0]))
    cmd = argv[argv.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    seen = b""
    mark = 0

    def read(timeout):
        nonlocal seen
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        seen += data
        return True

    alive = True
    for pattern, reply in steps:
        rx = re.compile(pattern.encode())
        deadline = time.time() + 90
        while not rx.search(seen, mark):
            if not alive or time.time() > deadline:
                sys.stdout.write(seen.decode("utf-8", "replace"))
                sys.stdout.write("\nTIMEOUT waiting for %r\n" % pattern)
                os.kill(pid, 9)
                return 3
            alive = read(0.5)
        mark = rx.search(seen, mark).end()
        os.write(fd, reply.encode() + b"\r")
    while alive:
        alive = read(1.0)
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(seen.decode("utf-8", "replace"))
    sys.stdout.write("\nEXIT %d\n" % os.waitstatus_to_exitcode(status))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
