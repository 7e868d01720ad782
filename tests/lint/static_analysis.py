#!/usr/bin/env python3
"""static_analysis.py BUILD-DIR [ANALYZER...] — the product's sources (src/ and screens/, as
compile_commands.json of BUILD-DIR compiles them) under clang's static analyzer
(clang --analyze) and GCC's (-fanalyzer).  One TAP result per analyzer: ok when it reports
nothing.  Every finding is printed with its place; a finding that is a false positive is
explained and suppressed where it stands in the code, never here."""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

build = sys.argv[1]
wanted = sys.argv[2:] or ["clang", "gcc"]


def product_sources():
    seen = {}
    for e in json.load(open(os.path.join(build, "compile_commands.json"))):
        path = os.path.normpath(os.path.join(e["directory"], e["file"]))
        rel = os.path.relpath(path, os.path.join(build, ".."))
        if (rel.startswith("src/") or rel.startswith("screens/")) and path not in seen:
            seen[path] = (e["directory"], shlex.split(e["command"]))
    return seen


def keep_flags(args):
    """The flags that change what the code means: includes, defines, the language."""
    out = []
    for a in args[1:]:
        if a.startswith(("-I", "-D", "-U", "-std=", "-include")):
            out.append(a)
    return out


ANALYZERS = {
    # core, unix, deadcode, security checkers (clang's defaults), text output with the path
    # (-Wno-unused-value: error.h shows the analyzer rs_fail's result as a comma expression)
    "clang": lambda flags, src: ["clang", "--analyze", "-Xclang", "-analyzer-output=text",
                                 "-Wno-unused-value", "-o", "/dev/null"] + flags + [src],
    "gcc": lambda flags, src: ["gcc", "-fanalyzer", "-c", "-o", "/dev/null"] + flags + [src],
}
FINDING = {
    "clang": re.compile(r"^(\S+:\d+:\d+): warning: (.*)$"),
    "gcc": re.compile(r"^(\S+:\d+:\d+): warning: (.*\[-Wanalyzer-[^\]]+\])$"),
}


def run(analyzer, item):
    path, (directory, args) = item
    cmd = ANALYZERS[analyzer](keep_flags(args), path)
    p = subprocess.run(cmd, cwd=directory, capture_output=True, text=True)
    found = []
    for line in (p.stdout + p.stderr).splitlines():
        m = FINDING[analyzer].match(line)
        if m:
            found.append(f"{os.path.relpath(os.path.join(directory, m.group(1)))}: {m.group(2)}")
    if p.returncode and not found:
        found.append(f"{path}: the analyzer failed: {(p.stderr.strip().splitlines() or ['?'])[-1]}")
    return found


sources = product_sources()
n = 0
failed = False
for analyzer in wanted:
    n += 1
    if not shutil.which(analyzer):
        print(f"ok {n} - {analyzer} # SKIP {analyzer} is not installed")
        continue
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda it: run(analyzer, it), sorted(sources.items())))
    findings = sorted({f for r in results for f in r})
    if findings:
        failed = True
        print(f"not ok {n} - {analyzer}: {len(findings)} findings in {len(sources)} files")
        for f in findings:
            print(f"# {f}")
    else:
        print(f"ok {n} - {analyzer}: no finding in {len(sources)} files")
print(f"1..{n}")
sys.exit(1 if failed else 0)
