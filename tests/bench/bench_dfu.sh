#!/bin/sh
# bench_dfu.sh SIMHOST RESCUE — the same image to the same virtual camera by openmv-rescue and
# by Debian's dfu-util, in one run, with the simulator's realistic timing (page erase and
# program times, honest bwPollTimeout).  Prints wall times, their ratio, the number of
# control transfers each made, and openmv-rescue's peak RSS while writing a 24 MiB ROMFS.
# Against the device bound too: what the erases, programs and control transfers take in the
# simulator's timing model (its --device-time: flash timing, and each control transfer's
# bus time at USB full speed, tests/sim/bus/usbsim_bustime.c), the least time any tool can
# take for the same write.
#   OpenMV DFU: 4 MiB to the N6 ROMFS alt (plain DFU 1.1, 4096-byte blocks)
#   ST ROM:     a 1 MiB DfuSe .dfu at 0x08000000 on the H7's system ROM (DfuSe 1.1a)
# Run with: sh tests/bootstrap.sh bench
here=$(dirname "$(realpath "$0")")
sim=$(realpath "$1")
rescue=$(realpath "$2")
dfu_util=$(command -v dfu-util) || { echo "dfu-util is not installed"; exit 77; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is not installed (Debian package time)"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99
runs=${BENCH_RUNS:-1}

head -c $((4 * 1024 * 1024)) /dev/urandom >romfs4.img
head -c $((24 * 1024 * 1024)) /dev/urandom >romfs24.img
# A DfuSe file (UM0391): prefix, one target on alt 0, one 1 MiB element at 0x08000000, the
# suffix for 0483:DF11 with the CRC dfu-util expects (reference §1.8).
python3 - <<'PY'
import os, struct, zlib
data = os.urandom(1024 * 1024)
elem = struct.pack('<II', 0x08000000, len(data)) + data
target = b'Target' + bytes([0]) + struct.pack('<I', 1) + b'ST...'.ljust(255, b'\0') \
    + struct.pack('<II', len(elem), 1) + elem
body = b'DfuSe' + bytes([1]) + struct.pack('<I', 11 + len(target) + 16) + bytes([1]) + target
body += struct.pack('<HHHH', 0xFFFF, 0xDF11, 0x0483, 0x011A) + b'UFD' + bytes([16])
open('openmv.dfu', 'wb').write(body + struct.pack('<I', ~zlib.crc32(body) & 0xFFFFFFFF))
PY

# elapsed CMD...: best wall time in seconds over $runs runs (each in a fresh simulator)
elapsed() {
	best=""
	i=0
	while [ $i -lt "$runs" ]; do
		# the peer's exit status after its closing USB reset is not a measure; a finished
		# transfer is ("Done!" from dfu-util, "Done:" from openmv-rescue)
		"$sim" --timing "${TIMING:-realistic}" --device-time "$@" >out.txt 2>err.txt
		if ! grep -qE '^Done[!:]|^File downloaded successfully|^Download done' out.txt err.txt; then cat out.txt err.txt >&2; return 1; fi
		t=$(grep -E '^TIME:' err.txt | tail -1 | cut -d: -f2)
		sed -n 's/^openmv-rescue-sim: device time: //p' err.txt >device_time.txt
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
		i=$((i + 1))
	done
	echo "$best"
}
# transfers CMD...: DFU class control transfers seen by the simulator (--trace)
transfers() {
	"$sim" --timing realistic --trace "$@" >/dev/null 2>trace.txt
	grep -cE ' ctrl (21|a1) ' trace.txt
}
T="/usr/bin/time -f TIME:%e:%M"
# bound_of FILE: the device time's total of that run, in seconds
bound_of() {
	sed -n 's/.*total \([0-9.]*\) ms.*/\1/p' "$1" | awk '{ printf "%.2f", $1 / 1000 }'
}
# ratio A B: A / B with three decimals
ratio() { echo "scale=3; $1 / $2" | bc; }
# device_bound OURS THEIRS FAST_OURS FAST_THEIRS TARGET: the cheaper of the two runs' device times
# (the work the write needs, whichever tool did the less of it), with its parts, and each
# tool against it.  The simulator's own cost of the transfers (the same run with fast
# timing, which has no device or bus time in it) is inside both tools' times; it is printed
# beside them, and the ratios without it are printed as such, never in place of the others.
device_bound() {
	b1=$(bound_of dt_ours.txt)
	b2=$(bound_of dt_theirs.txt)
	if [ "$(echo "$b1 <= $b2" | bc)" = 1 ]; then bound=$b1; parts=$(cat dt_ours.txt); else bound=$b2; parts=$(cat dt_theirs.txt); fi
	echo "device bound:                 $bound s ($parts)"
	echo "  device time of each run:    openmv-rescue $b1 s, dfu-util $b2 s (they differ by the bytes each run moved)"
	echo "ours/bound:                   $(ratio "$1" "$bound") ($5)"
	echo "dfu-util/bound:               $(ratio "$2" "$bound")"
	echo "  the simulator's own cost (same run, fast timing): openmv-rescue $3 s, dfu-util $4 s, inside the times above"
	echo "  (on a loaded machine the fast run is starved more than the realistic one: an estimate only)"
}
# split_by_record CMD...: one more realistic run of openmv-rescue with --record; from its timestamps the
# time inside its transfers less that run's device time is the virtual bus's own cost (a real
# device has none), and the time between transfers is the product's own work
split_by_record() {
	rm -f rec.jsonl # a recording is never written over
	"$sim" --timing realistic --device-time "$@" --record rec.jsonl >out.txt 2>err.txt || return 1
	set -- $(python3 "$here/record_split.py" rec.jsonl)
	sed -n 's/^openmv-rescue-sim: device time: //p' err.txt >dt_split.txt
	dev=$(bound_of dt_split.txt)
	echo "  from openmv-rescue's --record timestamps (one more run): $1 s inside its transfers, $2 s between"
	if [ "$(echo "$1 >= $dev" | bc)" = 1 ]; then
		echo "    them; of the first, device time $dev s and the virtual bus's own cost $(echo "$1 - $dev" | bc) s;"
		echo "    the second is its own work, writing the recording included"
	else # DfuSe: the device is busy while the host waits out bwPollTimeout, between transfers
		echo "    them (device time $dev s: the device works while the host waits out the bwPollTimeout it"
		echo "    reported, between transfers, so the recording cannot tell the two apart)"
	fi
}

echo "== OpenMV DFU: 4 MiB to OPENMV_N6 alt 3 (ROMFS0), realistic timing, best of $runs"
cam="--camera OPENMV_N6:bootloader"
ours=$(elapsed $cam -- $T "$rescue" flash --board OPENMV_N6 --romfs romfs4.img --yes --no-verify) || exit 1
cp device_time.txt dt_ours.txt
ours_v=$(elapsed $cam -- $T "$rescue" flash --board OPENMV_N6 --romfs romfs4.img --yes) || exit 1
theirs=$(elapsed $cam -- $T "$dfu_util" -w -d ,37C5:9206 -a 3 --reset -D romfs4.img) || exit 1
cp device_time.txt dt_theirs.txt
c_ours=$(transfers $cam -- "$rescue" flash --board OPENMV_N6 --romfs romfs4.img --yes --no-verify)
c_theirs=$(transfers $cam -- "$dfu_util" -w -d ,37C5:9206 -a 3 --reset -D romfs4.img)
echo "openmv-rescue (no read-back): $ours s, $c_ours control transfers"
echo "openmv-rescue (with read-back verify): $ours_v s"
echo "dfu-util 0.11:                $theirs s, $c_theirs control transfers"
echo "ratio openmv-rescue/dfu-util: $(echo "scale=2; $ours / $theirs" | bc) (target <= 1.0); with verify $(echo "scale=2; $ours_v / $theirs" | bc)"
# what the virtual bus itself costs (umockdev's usbfs ioctls to the simulator's thread): the
# same write with fast timing has no device or bus time left in it
fast_ours=$(TIMING=fast elapsed $cam -- $T "$rescue" flash --board OPENMV_N6 --romfs romfs4.img --yes --no-verify) || exit 1
fast_theirs=$(TIMING=fast elapsed $cam -- $T "$dfu_util" -w -d ,37C5:9206 -a 3 --reset -D romfs4.img) || exit 1
device_bound "$ours" "$theirs" "$fast_ours" "$fast_theirs" "target <= 1.05"
split_by_record $cam -- "$rescue" flash --board OPENMV_N6 --romfs romfs4.img --yes --no-verify

echo "== ST ROM DfuSe: a 1 MiB .dfu at 0x08000000 on OPENMV4's system ROM, realistic timing, best of $runs"
cam="--camera OPENMV4:st-rom"
ours=$(elapsed $cam -- $T "$rescue" restore-bootloader --board OPENMV4 --file openmv.dfu --accept-combined --yes --no-verify) || exit 1
cp device_time.txt dt_ours.txt
ours_v=$(elapsed $cam -- $T "$rescue" restore-bootloader --board OPENMV4 --file openmv.dfu --accept-combined --yes) || exit 1
theirs=$(elapsed $cam -- $T "$dfu_util" -w -d ,0483:df11 -a 0 -s :leave -D openmv.dfu) || exit 1
cp device_time.txt dt_theirs.txt
c_ours=$(transfers $cam -- "$rescue" restore-bootloader --board OPENMV4 --file openmv.dfu --accept-combined --yes --no-verify)
c_theirs=$(transfers $cam -- "$dfu_util" -w -d ,0483:df11 -a 0 -s :leave -D openmv.dfu)
echo "openmv-rescue (no read-back): $ours s, $c_ours control transfers"
echo "openmv-rescue (with read-back verify): $ours_v s"
echo "dfu-util 0.11:                $theirs s, $c_theirs control transfers"
echo "ratio openmv-rescue/dfu-util: $(echo "scale=2; $ours / $theirs" | bc) (target <= 0.6); with verify $(echo "scale=2; $ours_v / $theirs" | bc)"
# realistic timing: the eight 128 KiB sector erases take about 8 s of device time for either
# tool; the protocol overhead alone is the same write with fast timing
fast_ours=$(TIMING=fast elapsed $cam -- $T "$rescue" restore-bootloader --board OPENMV4 --file openmv.dfu --accept-combined --yes --no-verify) || exit 1
fast_theirs=$(TIMING=fast elapsed $cam -- $T "$dfu_util" -w -d ,0483:df11 -a 0 -s :leave -D openmv.dfu) || exit 1
device_bound "$ours" "$theirs" "$fast_ours" "$fast_theirs" "target: below dfu-util/bound"
split_by_record $cam -- "$rescue" restore-bootloader --board OPENMV4 --file openmv.dfu --accept-combined --yes --no-verify
echo "fast timing: openmv-rescue $fast_ours s, dfu-util $fast_theirs s, ratio $(echo "scale=2; $fast_ours / $fast_theirs" | bc)"

echo "== Peak memory writing a 24 MiB ROMFS (OPENMV_N6 alt 3, fast timing, with verify)"
"$sim" --camera OPENMV_N6:bootloader -- $T "$rescue" flash --board OPENMV_N6 --romfs romfs24.img --yes >out.txt 2>err.txt
rss=$(grep -E '^TIME:' err.txt | tail -1 | cut -d: -f3)
"$sim" --camera OPENMV_N6:bootloader -- $T "$dfu_util" -w -d ,37C5:9206 -a 3 --reset -D romfs24.img >out.txt 2>err.txt
rss_theirs=$(grep -E '^TIME:' err.txt | tail -1 | cut -d: -f3)
echo "openmv-rescue peak RSS: $rss KiB ($(echo "scale=1; $rss / 1024" | bc) MiB, target < 16 MiB); dfu-util: $rss_theirs KiB"
