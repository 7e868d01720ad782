#!/usr/bin/env python3
"""record_split.py RECORDING — where a run's time went, from the timestamps of its --record
recording (src/io/io_record.c: each exchange line has "us", the time inside that transfer,
and "t_us", the time its line was written since the recording began).

Prints two figures in seconds, separated by a space:
  inside   the time inside the USB transfers (the device's and the bus's time, and the
           virtual bus's own cost of carrying them);
  between  the time from the end of one transfer to the start of the next: the product's own
           work, an upper bound, since it includes writing the recording itself."""
import json
import sys

inside = between = 0
last_t = None
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        o = json.loads(line)
        if o.get("bus") != "usb" or "us" not in o or "t_us" not in o:
            continue
        inside += o["us"]
        if last_t is not None:
            between += max(0, o["t_us"] - o["us"] - last_t)
        last_t = o["t_us"]
print(f"{inside / 1e6:.2f} {between / 1e6:.2f}")
