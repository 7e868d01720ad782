#!/usr/bin/env python3
"""recording_tool.py — what the record/replay tests read out of a recording (--record FILE).

  recording_tool.py wire FILE        one line per exchange the host starts (USB control, bulk,
                                     interrupt; serial writes): what was asked, what came back,
                                     the payload's SHA-256; times and numbers left out (serial
                                     reads too: how the bytes are split into reads is the
                                     host's timing)
  recording_tool.py header FILE KEY  one field of the header line
  recording_tool.py tamper IN OUT    OUT: IN with the wValue of its first class or vendor
                                     control OUT request changed; prints that exchange's number
  recording_tool.py repoll IN OUT    OUT: IN with its first class control IN request (a
                                     status poll) recorded twice, as when the camera was
                                     polled once more than the host now polls it
"""
import json
import sys


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(text) for text in f if text.strip()]


def wire(path):
    for o in lines(path)[1:]:
        if o.get("kind") not in ("control", "bulk", "interrupt", "write"):
            continue
        fields = [o.get("bus", "usb"), o["kind"], str(o.get("dir"))]
        fields += [str(o.get(k)) for k in ("type", "request", "value", "index", "ep", "length",
                                            "status", "done")]
        fields.append(o.get("sha256", "-"))
        print(" ".join(fields))


def tamper(src, dst):
    rows = lines(src)
    hit = None
    for o in rows[1:]:
        # a class or vendor OUT request (bmRequestType bit 7 clear, type bits not standard)
        if o.get("kind") == "control" and o["type"] & 0x80 == 0 and o["type"] & 0x60:
            o["value"] ^= 0x5A
            hit = o["n"]
            break
    with open(dst, "w", encoding="utf-8") as f:
        for o in rows:
            f.write(json.dumps(o, separators=(",", ":")) + "\n")
    if hit is None:
        sys.exit("no class or vendor OUT request to change")
    print(hit)


def repoll(src, dst):
    rows = lines(src)
    for i, o in enumerate(rows[1:], start=1):
        if o.get("kind") == "control" and o["type"] & 0x80 and o["type"] & 0x60:
            rows.insert(i + 1, dict(o))
            break
    else:
        sys.exit("no class control IN request to repeat")
    with open(dst, "w", encoding="utf-8") as f:
        for o in rows:
            f.write(json.dumps(o, separators=(",", ":")) + "\n")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "wire":
        wire(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "header":
        value = lines(sys.argv[2])[0].get(sys.argv[3])
        print(value if not isinstance(value, (list, dict)) else json.dumps(value))
    elif len(sys.argv) == 4 and sys.argv[1] == "repoll":
        repoll(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "tamper":
        tamper(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


main()
