#!/usr/bin/env python3
"""size_check.py SOURCE-ROOT — the product's size rules (project standards): no file in src/
or screens/ over 600 lines, no function over 80 lines.  TAP: one check a rule, each
violation named as file:line.

A function, in this code's style (K&R with the opening brace of a function alone at the
start of a line): it starts at the line of its name, the first line of a run at column 0
that is not a comment, preprocessor line, or declaration ending in ';', and whose next
column-0 line is "{"; it ends at the next "}" at column 0.  Its length counts from its name
to its closing brace, both included.  Lines continued by a backslash (macros) are not
functions."""
import os
import sys

MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80
FOLDERS = ("src", "screens")


def sources(root):
    for folder in FOLDERS:
        for base, dirs, files in os.walk(os.path.join(root, folder)):
            dirs.sort()
            for name in sorted(files):
                if name.endswith((".c", ".h")):
                    yield os.path.join(base, name)


def functions(lines):
    """(name line, length) of every function body in lines (1-based name line)."""
    head = None  # the first line of the declaration before a "{"
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("{") and head is not None:
            end = i + 1
            while end < len(lines) and not lines[end].startswith("}"):
                end += 1
            yield head + 1, end - head + 1
            head = None
            i = end + 1
            continue
        starts_decl = (line[:1].isalpha() or line[:1] == "_") and not line.rstrip().endswith((";", "\\"))
        if starts_decl and head is None:
            head = i
        elif not line[:1].isspace() and not starts_decl:
            head = None  # a blank line, comment, directive or complete declaration
        if line.strip() == "" or line.rstrip().endswith(";") and not line[:1].isspace():
            head = None
        i += 1


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    long_files, long_functions, nfiles, nfuncs = [], [], 0, 0
    for path in sources(root):
        rel = os.path.relpath(path, root)
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        nfiles += 1
        if len(lines) > MAX_FILE_LINES:
            long_files.append("%s: %d lines" % (rel, len(lines)))
        if path.endswith(".c"):
            for at, n in functions(lines):
                nfuncs += 1
                if n > MAX_FUNCTION_LINES:
                    long_functions.append("%s:%d: %d lines" % (rel, at, n))
    print("1..3")
    print("%s 1 - sources found (%d files, %d functions)" % ("ok" if nfiles and nfuncs else "not ok", nfiles, nfuncs))
    for n, (what, bad, limit) in enumerate(((("files"), long_files, MAX_FILE_LINES),
                                            (("functions"), long_functions, MAX_FUNCTION_LINES)), start=2):
        print("%s %d - no %s over %d lines%s" % ("not ok" if bad else "ok", n, what[:-1] if False else what,
                                                 limit, "" if not bad else " (%d over)" % len(bad)))
        for b in bad:
            print("#   " + b)
    return 1 if long_files or long_functions else 0


if __name__ == "__main__":
    sys.exit(main())
