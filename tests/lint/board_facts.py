#!/usr/bin/env python3
"""board_facts.py SOURCE_ROOT — no board fact of boards.ini is written into the C code.

Board facts live in boards.ini (each with its source) and the prompt texts in assets/prompts;
the C code of src/ and screens/ reads them from there (README "Supported cameras and
actions").  This check reads boards.ini and looks, in the string and number literals of every
.c and .h file of src/ and screens/ (comments are not code: they may name a board to explain
it), for
  - a board's TARGET, its name, or a word of its name or MCU that names only boards
    ("AE3", "H7", "RT1062", "N6", "Nano", "STM32H743", ...),
  - a USB ID of a usb.MODE line, as "VID:PID" text or as a hex literal of the VID or PID,
  - an address of boards.ini (a hex number of five digits or more: partition starts and
    sizes, regions, flash windows; not a round size under 1 MiB such as 0x10000, which every
    block-sized buffer has) written as a hex literal,
  - a baud rate of a restore.baud line.
What must stay in the code is listed in board_facts.allow, one line per file and fact with
the reason:
    PATH | FACT | reason
--self-test plants a board name, a VID:PID and an address in a copy and expects all three
found.  Speaks TAP.
"""
import os
import re
import shutil
import sys
import tempfile

# Words of board names and MCUs that say nothing about one board (the maker, the product
# kind, plain English): a string may say "OpenMV" or "camera" freely.
COMMON = {"OpenMV", "Cam", "Arduino", "Plus", "Pure", "Thermal", "Vision", "Sense", "BLE",
          "Connect", "SDRAM", "dual", "Alif", "Ensemble", "V2", "33", "OPENMV", "ARDUINO",
          "PURE", "THERMAL", "VISION", "SENSE", "CONNECT", "PT", "STM32"}
HEX = re.compile(r"0[xX][0-9A-Fa-f]+")
VIDPID = re.compile(r"\b([0-9A-Fa-f]{4}):([0-9A-Fa-f]{4})\b")


def facts_of(ini_path):
    """The facts to look for: (words, vidpids, hex numbers, decimal numbers)."""
    words, vidpids, hexes, decimals = set(), set(), set(), set()
    with open(ini_path, encoding="utf-8") as f:
        for line in f:
            line = line.split(";", 1)[0].strip()
            if line.startswith("[") and line.endswith("]"):
                target = line[1:-1]
                words.add(target)
                words.update(w for w in target.split("_") if w not in COMMON and len(w) > 1)
                continue
            if "=" not in line:
                continue
            key, value = (s.strip() for s in line.split("=", 1))
            if key in ("name", "mcu"):
                words.update(w for w in re.split(r"[\s()+]+", value)
                             if w and w not in COMMON and len(w) > 1)
                if key == "name":
                    words.add(value)
            if key.startswith("usb."):
                for vid, pid in VIDPID.findall(value):
                    vidpids.add((int(vid, 16), int(pid, 16)))
            for h in HEX.findall(value):
                v = int(h, 16)
                # five hex digits or more, but not a round size everyone uses (64 KiB, 128 KiB...)
                if v >= 0x10000 and not (v < 0x100000 and v & (v - 1) == 0):
                    hexes.add(v)
            if key.endswith(".baud"):
                decimals.update(int(n) for n in re.findall(r"\b\d+\b", value))
    return words, vidpids, hexes, decimals


def literals(text):
    """(line, kind, literal) for every string ('s') and number ('n') literal of C text,
    comments skipped."""
    out, i, line, n = [], 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += text.count("\n", i, end)
            i = end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            if c == '"':
                out.append((line, "s", text[i + 1:j]))
            line += text.count("\n", i, j)
            i = j + 1
        elif c.isdigit() and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r"[0-9A-Za-z_]+", text[i:])
            out.append((line, "n", m.group(0)))
            i += len(m.group(0))
        elif c.isalpha() or c == "_":
            m = re.match(r"[0-9A-Za-z_]+", text[i:])
            i += len(m.group(0))
        else:
            i += 1
    return out


def number(lit):
    """The value of a C integer literal (suffixes u, l dropped), or None."""
    lit = lit.rstrip("uUlL")
    try:
        return int(lit, 16) if lit[:2] in ("0x", "0X") else int(lit, 10)
    except ValueError:
        return None


def found_in(rel, text, facts):
    """(line, fact, what) for every board fact in the literals of one file."""
    words, vidpids, hexes, decimals = facts
    # a hex literal is taken for a USB ID when it is a VID, or a PID of three digits or more
    # (0x0003 is a PID of boards.ini, and every other small number too)
    ids = {v for v, _ in vidpids} | {p for _, p in vidpids if p >= 0x100}
    word_re = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(
        re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![A-Za-z0-9_])")
    hits = []
    for line, kind, lit in literals(text):
        if kind == "s":
            for m in word_re.finditer(lit):
                hits.append((line, m.group(1), "a board's name"))
            for vid, pid in VIDPID.findall(lit):
                if (int(vid, 16), int(pid, 16)) in vidpids:
                    hits.append((line, f"{vid}:{pid}".upper(), "a USB ID of boards.ini"))
            for h in HEX.findall(lit):
                if int(h, 16) in hexes:
                    hits.append((line, f"0x{int(h, 16):X}", "an address or size of boards.ini"))
        else:
            value = number(lit)
            if value is None:
                continue
            is_hex = lit[:2] in ("0x", "0X")
            if is_hex and value in hexes:
                hits.append((line, f"0x{value:X}", "an address or size of boards.ini"))
            elif is_hex and value in ids:
                hits.append((line, f"0x{value:04X}", "a USB VID or PID of boards.ini"))
            elif not is_hex and value in decimals:
                hits.append((line, str(value), "a baud rate of boards.ini"))
    return hits


def allow_list(path):
    """{(path, fact): reason} of board_facts.allow; a line without a reason is an error."""
    allowed, bad = {}, []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|", 2)]
            if len(parts) < 3 or not all(parts):
                bad.append(f"board_facts.allow:{lineno}: PATH | FACT | reason, all three")
                continue
            allowed[(parts[0], parts[1].upper())] = parts[2]
    return allowed, bad


def violations(root, allowed):
    facts = facts_of(os.path.join(root, "boards.ini"))
    bad, used, files = [], set(), 0
    for top in ("src", "screens"):
        for d, _, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if not name.endswith((".c", ".h")):
                    continue
                rel = os.path.relpath(os.path.join(d, name), root)
                files += 1
                with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
                    text = f.read()
                for line, fact, what in found_in(rel, text, facts):
                    if (rel, fact.upper()) in allowed:
                        used.add((rel, fact.upper()))
                        continue
                    bad.append(f"{rel}:{line}: {fact} is {what}: read it from boards.ini "
                               "(or assets/prompts), or allow it in board_facts.allow with the reason")
    return files, bad, used


def self_test(root, allowed):
    """A copy with a board name, a VID:PID and an address planted in one file."""
    tmp = tempfile.mkdtemp(prefix="board_facts.")
    try:
        for top in ("src", "screens"):
            shutil.copytree(os.path.join(root, top), os.path.join(tmp, top))
        shutil.copy(os.path.join(root, "boards.ini"), tmp)
        victim = os.path.join(tmp, "screens", "scr_help.c")
        with open(victim, "a", encoding="utf-8") as f:
            f.write('\n/* a comment may say AE3 */\nstatic const char *planted = "only on the AE3, '
                    'at 37C5:9204";\nstatic const unsigned planted_at = 0x90B00000u;\n')
        _, bad, _ = violations(tmp, allowed)
        mine = [b for b in bad if b.startswith("screens/scr_help.c:")]
        return (any("AE3 is" in b for b in mine) and any("37C5:9204" in b for b in mine)
                and any("0x90B00000" in b for b in mine) and len(mine) == 3)
    finally:
        shutil.rmtree(tmp)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    allowed, bad_allow = allow_list(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                 "board_facts.allow"))
    files, bad, used = violations(root, allowed)
    stale = [f"board_facts.allow: {p} {fact} is no longer in the code: remove the line"
             for (p, fact) in allowed if (p, fact) not in used]
    print("1..4")
    print(f"{'ok' if files > 100 else 'not ok'} 1 - {files} files of src/ and screens/ read")
    print(f"{'ok' if not bad else 'not ok'} 2 - no board fact of boards.ini in their literals "
          f"({len(used)} allowed with a reason)")
    for b in bad:
        print(f"# {b}")
    print(f"{'ok' if not stale and not bad_allow else 'not ok'} 3 - every line of "
          "board_facts.allow has a reason and is still needed")
    for b in bad_allow + stale:
        print(f"# {b}")
    print(f"{'ok' if self_test(root, allowed) else 'not ok'} 4 - a board name, a VID:PID and an "
          "address planted in a copy are found (self-test)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
