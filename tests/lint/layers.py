#!/usr/bin/env python3
"""layers.py SOURCE_ROOT — every quoted #include of src/ and screens/ goes down the layer order.

The back end is layered (README "How the code is organised", src/meson.build):
    io < proto < board < plan < run < family < cli,  screens/ beside cli
A file may include headers of its own layer and of the layers below it.  src/error.h is seen
by every layer; src/main.c picks the front end and may include anything; screens/ may include
one header of the command line, src/cli/cli_args.h (the parsed options both front ends share).
The build gives each layer's library only the include directories below it, so a wrong
"boarddb.h" does not compile; this check also catches the "board/boarddb.h" form, which the
shared src/ directory would let through.  --self-test plants a wrong include in a copy and
expects it to be found.  Speaks TAP.
"""
import os
import re
import shutil
import sys
import tempfile

ORDER = ["io", "proto", "board", "plan", "run", "family", "cli"]
RANK = {name: i for i, name in enumerate(ORDER)}
RANK["screens"] = RANK["cli"]          # the other front end, beside the command line
EVERYWHERE = {"src/error.h"}           # seen by every layer
SCREENS_MAY = {"src/cli/cli_args.h"}   # the one header of cli/ the wizard shares
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(rel):
    """The layer of a file given relative to the source root, or None (main.c, error.*)."""
    parts = rel.split("/")
    if parts[0] == "screens":
        return "screens"
    if parts[0] == "src" and len(parts) > 2 and parts[1] in RANK:
        return parts[1]
    return None


def headers(root):
    """Every header of src/ and screens/, by its path relative to the root."""
    found = []
    for top in ("src", "screens"):
        for d, _, names in os.walk(os.path.join(root, top)):
            found += [os.path.relpath(os.path.join(d, n), root) for n in names if n.endswith(".h")]
    return found


def resolve(inc, including, all_headers):
    """The header an #include "inc" in file `including` names: beside it, then by its
    path's end anywhere in src/ or screens/ (the include directories).  None: a system or
    generated header."""
    beside = os.path.normpath(os.path.join(os.path.dirname(including), inc))
    if beside in all_headers:
        return beside
    ends = [h for h in all_headers if h == inc or h.endswith("/" + inc)]
    return ends[0] if len(ends) == 1 else (sorted(ends)[0] if ends else None)


def violations(root):
    all_headers = set(headers(root))
    bad = []
    checked = 0
    for top in ("src", "screens"):
        for d, _, names in os.walk(os.path.join(root, top)):
            for n in sorted(names):
                if not n.endswith((".c", ".h")):
                    continue
                rel = os.path.relpath(os.path.join(d, n), root)
                mine = layer_of(rel)
                if mine is None:
                    continue
                with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
                    for lineno, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = resolve(m.group(1), rel, all_headers)
                        if target is None or target in EVERYWHERE:
                            continue
                        checked += 1
                        theirs = layer_of(target)
                        if theirs is None:
                            bad.append(f"{rel}:{lineno}: includes {target}, which is no layer's")
                        elif mine == "screens" and theirs == "cli" and target not in SCREENS_MAY:
                            bad.append(f"{rel}:{lineno}: screens/ includes {target}; of cli/ only "
                                       "cli_args.h is shared")
                        elif mine == "cli" and theirs == "screens":
                            bad.append(f"{rel}:{lineno}: the command line includes the wizard's {target}")
                        elif RANK[theirs] > RANK[mine]:
                            bad.append(f"{rel}:{lineno}: layer {mine} includes {target} of the higher "
                                       f"layer {theirs}")
    return checked, bad


def self_test(root):
    """A copy with a protocol module including the board database must be refused."""
    tmp = tempfile.mkdtemp(prefix="layers.")
    try:
        for top in ("src", "screens"):
            shutil.copytree(os.path.join(root, top), os.path.join(tmp, top))
        victim = os.path.join(tmp, "src", "proto", "crc16.c")
        with open(victim, "a", encoding="utf-8") as f:
            f.write('\n#include "board/boarddb.h"\n')
        _, bad = violations(tmp)
        return any("src/proto/crc16.c" in b and "higher layer board" in b for b in bad)
    finally:
        shutil.rmtree(tmp)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    checked, bad = violations(root)
    print("1..3")
    print(f"{'ok' if checked > 100 else 'not ok'} 1 - {checked} includes of src/ and screens/ checked")
    print(f"{'ok' if not bad else 'not ok'} 2 - every #include goes down the layer order "
          f"({' < '.join(ORDER)}, screens beside cli)")
    for b in bad:
        print(f"# {b}")
    print(f"{'ok' if self_test(root) else 'not ok'} 3 - a protocol module that includes "
          "board/boarddb.h is found (self-test on a copy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
