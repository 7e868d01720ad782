#!/usr/bin/env python3
"""late_answer.py DELAY LOG COMMAND... — run COMMAND (openmv-rescue-sim and its tool) on a
pseudo-terminal, as a person at a terminal would: every "[y/N]" question is answered "y"
DELAY seconds after it appears (a person reading it), and the first "Waiting for" prompt
gets the person's hands (SIGUSR1 to openmv-rescue-sim, which must be COMMAND itself).
Everything the terminal showed goes to LOG; the exit status is COMMAND's (128+N for a
signal N, e.g. 134 for SIGABRT)."""
import os
import pty
import select
import signal
import sys
import time

delay, log_path, argv = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

seen = b""
answered = hands = 0
deadline = time.monotonic() + 120
status = None
while status is None and time.monotonic() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.05)
    if ready:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the terminal closed: the command has ended
            chunk = b""
        seen += chunk
        if not chunk:
            _, status = os.waitpid(pid, 0)
            break
    if seen.count(b"Waiting for") > hands:
        hands = seen.count(b"Waiting for")
        if hands == 1:
            os.kill(pid, signal.SIGUSR1)
    if seen.count(b"[y/N]") > answered:
        answered += 1
        time.sleep(delay)
        os.write(fd, b"y\n")
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
if status is None:
    os.kill(pid, signal.SIGTERM)
    _, status = os.waitpid(pid, 0)
    seen += b"\n[late_answer.py: no end within 120 s]\n"
try:  # what is still buffered on the terminal
    while select.select([fd], [], [], 0.1)[0]:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        seen += chunk
except OSError:
    pass
with open(log_path, "wb") as f:
    f.write(seen)
if os.WIFSIGNALED(status):
    sys.exit(128 + os.WTERMSIG(status))
sys.exit(os.WEXITSTATUS(status))
