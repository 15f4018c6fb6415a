#!/usr/bin/env python3
"""ttyecho.py COUNT CMD...: median keystroke echo round trip, in ms.

Runs CMD on a new pseudo-terminal (as a person's terminal would), waits
for it to settle, then COUNT times writes one character and times until
the echo of that character comes back.  The command should echo what it
reads (cat in a session with a terminal does, through the line
discipline).  Prints the median and the 90th percentile."""
import os, pty, select, sys, time

count = int(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])

def drain(timeout):
    end = time.monotonic() + timeout
    while True:
        r, _, _ = select.select([fd], [], [], max(0, end - time.monotonic()))
        if not r:
            return
        try:
            os.read(fd, 65536)
        except OSError:
            return

drain(1.5)  # the session starts; prompts and banners go by
times = []
for i in range(count):
    c = b"abcdefghij"[i % 10:i % 10 + 1]
    t = time.monotonic()
    os.write(fd, c)
    got = b""
    while c not in got:
        r, _, _ = select.select([fd], [], [], 5)
        if not r:
            sys.exit("no echo within 5 s")
        got += os.read(fd, 4096)
    times.append((time.monotonic() - t) * 1000)
os.write(fd, b"\x03\x04")
drain(0.3)
try:
    os.kill(pid, 9)
except OSError:
    pass
times.sort()
print("%.3f %.3f" % (times[len(times) // 2], times[int(len(times) * 0.9)]))
