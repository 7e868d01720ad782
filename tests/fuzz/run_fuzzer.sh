#!/bin/sh
# run_fuzzer.sh FUZZER CORPUS-SEED... — runs a libFuzzer target for $FUZZ_SECONDS (default
# 60) from a fresh corpus seeded with the given files, and reports the executions per second.
fuzzer=$1
shift
corpus=$(mktemp -d "${TMPDIR:-/tmp}/corpus.XXXXXX") || exit 99
trap 'rm -rf "$corpus"' EXIT
for f in "$@"; do cp "$f" "$corpus/"; done
log=$corpus.log
"$fuzzer" -max_total_time="${FUZZ_SECONDS:-60}" -max_len=8192 -timeout=10 "$corpus" >"$log" 2>&1
status=$?
tail -n 3 "$log" | sed 's/^/# /'
grep -o 'exec/s: [0-9]*' "$log" | tail -1 | sed 's/^/# /'
rm -f "$log"
if [ $status -eq 0 ]; then echo "ok 1 - $(basename "$fuzzer") ran without a crash"; else echo "not ok 1 - $(basename "$fuzzer") found a crash"; fi
echo "1..1"
exit $status
