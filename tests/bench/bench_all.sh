#!/bin/sh
# bench_all.sh SIMHOST RESCUE — "flash --all" on N = 1, 2, 4 and 8 virtual H7s (OPENMV4) at
# once, the same 1.6 MiB firmware to each, with the simulator's realistic timing (the H7's
# sector erase and program times, cameras on ports of their own).  Prints, in one run, the
# wall time of each N, wall(N)/wall(1) (target at most 1.3 for 8) and openmv-rescue's peak
# resident set size from GNU time -v (target under 16 MiB for 8).  Figures, not a timed test.
# Run with: sh tests/bootstrap.sh bench
sim=$(realpath "$1")
rescue=$(realpath "$2")
[ -x /usr/bin/time ] || { echo "/usr/bin/time is not installed (Debian package time)"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/bench_all.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99

# 1.6 MiB (1677722 bytes) of firmware for the H7: its stack pointer in the H7's RAM and its
# reset vector in alt 2 from 0x08040000 (the checks of src/plan/images_dfu.c), the rest random
printf '\000\000\001\000\001\002\004\010' >fw.bin
head -c $((1677722 - 8)) /dev/urandom >>fw.bin

# seconds "h:mm:ss" or "m:ss.cc" (GNU time's elapsed wall clock)
seconds() {
	echo "$1" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }'
}

echo "== flash --all: N virtual H7s, the same 1.6 MiB firmware each, realistic timing"
printf '%3s  %8s  %14s  %13s  %s\n' N "wall s" "wall(N)/wall(1)" "peak RSS MiB" "cameras done"
wall1=""
for n in 1 2 4 8; do
	cams=""
	i=0
	while [ $i -lt $n ]; do cams="$cams --camera OPENMV4:bootloader"; i=$((i + 1)); done
	# shellcheck disable=SC2086
	"$sim" --timing "${TIMING:-realistic}" $cams -- /usr/bin/time -v "$rescue" flash --board OPENMV4 \
		--firmware fw.bin --all --yes >out.txt 2>err.txt
	done_line=$(grep -E '^[0-9]+ of [0-9]+ cameras? done' out.txt)
	if [ "$done_line" != "$n of $n camera$([ $n = 1 ] || echo s) done." ]; then
		cat out.txt err.txt >&2
		echo "flash --all on $n cameras did not finish on every camera"
		exit 1
	fi
	wall=$(seconds "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' err.txt)")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' err.txt)
	[ -n "$wall1" ] || wall1=$wall
	printf '%3d  %8s  %14s  %13s  %s\n' "$n" "$wall" "$(echo "scale=2; $wall / $wall1" | bc)" \
		"$(echo "scale=1; $rss / 1024" | bc)" "$done_line"
	[ $n = 8 ] && { wall8=$wall; rss8=$rss; }
done
echo "ratio wall(8)/wall(1): $(echo "scale=2; $wall8 / $wall1" | bc) (target <= 1.3)"
echo "peak RSS with 8 cameras: $(echo "scale=1; $rss8 / 1024" | bc) MiB (target < 16 MiB)"
