#!/bin/sh
# soak_cli.sh SIMHOST RESCUE — one openmv-rescue-sim hosting one camera, SOAK_RUNS flashes of
# a small image against it in a row (default 60; SOAK_RUNS=200 for the full soak).  The peak RSS (VmHWM) and the open file
# descriptors (the most seen) of each openmv-rescue process are sampled until it ends, and the simulator's
# at the same moments; the figures of the 10th and of the last run are printed, and the last
# may not exceed the 10th by more than a small tolerance (a leak grows with the runs).
# Speaks TAP.
sim=$1
rescue=$2
name=soak_cli
# 200 runs take about 5 minutes under realistic timing (the camera's reboot between runs is
# what makes each run wait at its first step, where it is sampled): the default suite runs
# 60, SOAK_RUNS=200 the full count.
runs=${SOAK_RUNS:-60}
. "$(dirname "$0")/cli_lib.sh"
le32() { printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"; }
{ le32 0x00010000; le32 $((0x08040000 + 0x201)); head -c 8184 /dev/urandom; } >"$work/fw.bin"

# The loop runs inside the simulator (its parent): each flash in the background, sampled
# every 20 ms while it lives; "RUN STATUS HWM_KB FDS SIM_HWM_KB SIM_FDS" per run.
cat >"$work/loop.sh" <<'LOOP'
rescue=$1 fw=$2 runs=$3 simpid=$PPID
kb() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$2/status" 2>/dev/null; }
i=1
while [ $i -le "$runs" ]; do
	"$rescue" flash --board OPENMV4 --firmware "$fw" --yes --timeout 20 >"$fw.log" 2>&1 </dev/null &
	pid=$!
	hwm=0 fds=0
	# from the 2nd run on the camera is still rebooting from the last one (after-leave=
	# bootloader): the run waits at its first step, and is sampled there
	if [ $i -gt 1 ]; then
		until grep -q "Waiting for" "$fw.log" || ! kill -0 $pid 2>/dev/null; do sleep 0.01; done
		h=$(kb VmHWM $pid)
		[ -n "$h" ] && hwm=$h && fds=$(ls /proc/$pid/fd 2>/dev/null | wc -l)
	fi
	while kill -0 $pid 2>/dev/null; do
		h=$(kb VmHWM $pid)
		f=$(ls /proc/$pid/fd 2>/dev/null | wc -l)
		[ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm=$h
		[ "$f" -gt "$fds" ] && fds=$f
		sleep 0.02
	done
	wait $pid
	st=$?
	[ $st -ne 0 ] && sed "s/^/run $i: /" "$fw.log" >>"$fw.failures"
	echo "$i $st $hwm $fds $(kb VmHWM $simpid) $(ls /proc/$simpid/fd | wc -l)"
	i=$((i + 1))
done
LOOP
start=$(date +%s)
# ASan's quarantine keeps freed memory (up to 256 MB) and would read as growth: off for this
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0" "$sim" --timing realistic --camera OPENMV4:bootloader,after-leave=bootloader -- sh "$work/loop.sh" "$rescue" "$work/fw.bin" "$runs" >"$work/runs" 2>"$work/out"
secs=$(($(date +%s) - start))
ok_runs=$(awk '$2 == 0' "$work/runs" | wc -l)
check "$runs flashes in one simulator ($secs s): every one exits 0 ($ok_runs did)" test "$ok_runs" -eq "$runs"
[ -f "$work/fw.bin.failures" ] && head -n 20 "$work/fw.bin.failures" | sed 's/^/# /'
tenth=$(sed -n '10p' "$work/runs")
last=$(sed -n "${runs}p" "$work/runs")
echo "# run 10:    openmv-rescue VmHWM $(echo "$tenth" | cut -d' ' -f3) kB, $(echo "$tenth" | cut -d' ' -f4) fds; simulator VmHWM $(echo "$tenth" | cut -d' ' -f5) kB, $(echo "$tenth" | cut -d' ' -f6) fds"
echo "# run $runs:   openmv-rescue VmHWM $(echo "$last" | cut -d' ' -f3) kB, $(echo "$last" | cut -d' ' -f4) fds; simulator VmHWM $(echo "$last" | cut -d' ' -f5) kB, $(echo "$last" | cut -d' ' -f6) fds"
# no_growth WHAT FIELD TOLERANCE: the last run's figure at most TOLERANCE above the 10th's
no_growth() {
	a=$(echo "$tenth" | cut -d' ' -f"$2")
	b=$(echo "$last" | cut -d' ' -f"$2")
	check "$1 does not grow from run 10 to run $runs ($a -> $b, tolerance $3)" \
		test -n "$a" -a -n "$b" -a "$a" -gt 0 -a "$b" -le $((a + $3))
}
no_growth "openmv-rescue peak RSS (kB)" 3 2048
# Each flash is a process of its own, sampled every 20 ms: the most fds seen in one run depends
# on whether a sample met a short-lived one (the log file, a hotplug pipe), so the fds are
# compared as the most over ten runs, runs 6-15 against the last ten, without tolerance.
most() { sed -n "$1,$2p" "$work/runs" | awk -v f="$3" '$f > m { m = $f } END { print m + 0 }'; }
a=$(most 6 15 4)
b=$(most $((runs - 9)) "$runs" 4)
check "openmv-rescue open fds do not grow: the most over runs 6-15 and over the last ten ($a -> $b)" \
	test "$a" -gt 0 -a "$b" -le "$a"
no_growth "simulator peak RSS (kB)" 5 8192
no_growth "simulator open fds" 6 2
tap_end
