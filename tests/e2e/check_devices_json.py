#!/usr/bin/env python3
"""check_devices_json.py KIND FILE EXPECT... — reads the JSON of `openmv-rescue list --json`
(KIND list) or `info --json` (KIND info) with Python's json module and checks it field by field
against what the simulator was told (EXPECT: FIELD=VALUE, with the device's index for list,
e.g. 0.usb_id=37C5:9204; VALUE 'null', 'true', 'false' or text; FIELD may be a.b.c).  Speaks TAP,
one line per field."""
import json
import sys


def get(obj, path):
    for part in path.split('.'):
        if isinstance(obj, list):
            obj = obj[int(part)]
        else:
            obj = obj[part]
    return obj


def main():
    kind, path, expects = sys.argv[1], sys.argv[2], sys.argv[3:]
    n = 0
    failed = 0
    try:
        with open(path, encoding='utf-8') as f:
            doc = json.load(f)
        n += 1
        print(f"ok {n} - {kind} --json is valid JSON")
    except (OSError, ValueError) as e:
        print(f"not ok 1 - {kind} --json is valid JSON ({e})")
        print("1..1")
        return 1
    if kind == 'list':
        doc = sorted(doc, key=lambda d: d['bus_path'])
    for e in expects:
        field, want = e.split('=', 1)
        n += 1
        try:
            got = get(doc, field)
        except (KeyError, IndexError, TypeError):
            got = '<missing>'
        text = {None: 'null', True: 'true', False: 'false'}.get(got, got) if not isinstance(got, (int, str)) or isinstance(got, bool) else got
        if want.startswith('~'):
            good = isinstance(text, str) and want[1:] in text
        else:
            good = str(text) == want
        print(f"{'ok' if good else 'not ok'} {n} - {kind}: {field} is {want} (got {text!r})")
        failed += not good
    print(f"1..{n}")
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
