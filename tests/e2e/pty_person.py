"""pty_person.py LOG [WAIT-TEXT ACTION]... -- COMMAND...: a person at a terminal.

Runs COMMAND on a pseudo-terminal (so openmv-rescue asks and waits as it does for a person),
copies everything it prints to LOG, and, in order, waits for each WAIT-TEXT to appear after
the previous one, then acts: 'y' types y and Enter, 'enter' presses Enter, 'usr1' is the
person's hands (SIGUSR1 to openmv-rescue-sim, which started this script). Exits with
COMMAND's status; 124 when it has not ended after 90 s."""
import os
import pty
import select
import signal
import sys
import time

args = sys.argv[1:]
log = open(args.pop(0), 'wb')
cut = args.index('--')
steps = list(zip(args[:cut:2], args[1:cut:2]))
pid, fd = pty.fork()
if pid == 0:
    os.execvp(args[cut + 1], args[cut + 1:])
out, seen_to = b'', 0
deadline = time.time() + 90
while time.time() < deadline:
    if select.select([fd], [], [], 0.05)[0]:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b''
        if not data:
            break
        out += data
        log.write(data)
        log.flush()
    if steps:
        at = out.find(steps[0][0].encode(), seen_to)
        if at >= 0:
            seen_to = at + len(steps[0][0])
            action = steps.pop(0)[1]
            time.sleep(0.3)  # a person reads before acting
            if action == 'usr1':
                os.kill(os.getppid(), signal.SIGUSR1)
            else:
                os.write(fd, b'y\n' if action == 'y' else b'\n')
else:
    os.kill(pid, signal.SIGTERM)
    os.waitpid(pid, 0)
    sys.exit(124)
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
