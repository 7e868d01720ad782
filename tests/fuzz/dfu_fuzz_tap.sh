#!/bin/sh
# dfu_fuzz_tap.sh FUZZER SECONDS ARTIFACT_DIR SEED... — run a libFuzzer target for SECONDS
# with the given seed files and report the result as one TAP test, with the number of
# executions and executions per second.  A crash input is kept in ARTIFACT_DIR.
fuzzer=$1 secs=$2 artifacts=$3
shift 3
seeds=$(printf '%s,' "$@")
name=$(basename "$fuzzer")
out=$("$fuzzer" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$artifacts/" \
	-seed_inputs="${seeds%,}" 2>&1)
rc=$?
runs=$(printf '%s\n' "$out" | sed -n 's/^stat::number_of_executed_units: *//p')
rate=$(printf '%s\n' "$out" | sed -n 's/^stat::average_exec_per_sec: *//p')
echo "1..1"
if [ "$rc" -eq 0 ]; then
	echo "ok 1 - $name: ${runs:-?} executions in ${secs} s (${rate:-?}/s), no finding"
else
	echo "not ok 1 - $name exited with $rc"
	printf '%s\n' "$out" | tail -n 40 | sed 's/^/# /'
fi
[ "$rc" -eq 0 ]
