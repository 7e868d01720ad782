#!/bin/sh
# run_fuzzer.sh FUZZER CORPUS-DIR ARTIFACT-DIR [SEED-FILE...] — the one way every fuzz target
# runs (suite 'fuzz', sh tests/bootstrap.sh fuzz): FUZZER runs for $FUZZ_SECONDS (default 60)
# from a fresh working corpus seeded with the checked-in CORPUS-DIR (tests/fuzz/corpus/NAME/)
# and any further seed files, and reports one TAP result with the executions, the rate and
# the edges covered.  A crashing input is kept in ARTIFACT-DIR for the person to replay
# (FUZZER FILE).  Inputs are limited to 8 KiB; each may take at most 10 s.
fuzzer=$1 seeds=$2 artifacts=$3
shift 3
name=$(basename "$fuzzer")
secs=${FUZZ_SECONDS:-60}
work=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
[ -d "$seeds" ] && cp "$seeds"/* "$work/corpus/" 2>/dev/null
for f in "$@"; do cp "$f" "$work/corpus/"; done
mkdir -p "$artifacts"
"$fuzzer" -max_total_time="$secs" -max_len=8192 -timeout=10 -print_final_stats=1 \
	-artifact_prefix="$artifacts/$name-" "$work/corpus" >"$work/log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -1)
edges=$(grep -o 'cov: [0-9]*' "$work/log" | tail -1 | sed 's/cov: //')
echo "1..1"
if [ "$rc" -eq 0 ]; then
	echo "ok 1 - $name: ${runs:-?} executions in $secs s (${rate:-?}/s), ${edges:-?} edges covered, no finding"
else
	echo "not ok 1 - $name found a problem (exit $rc); the input is in $artifacts"
	tail -n 40 "$work/log" | sed 's/^/# /'
fi
exit "$rc"
