#!/bin/sh
# cli_window.sh SIMHOST RESCUE — the openmv_dfu bootloader stays only about 1.5 s after it
# appears unless a DFU request arrives (reference alif-isp-openmv-ide-n6.md §2.2).  Measured
# from the simulator's trace (millisecond timestamps of the plug and of every request): the
# time from the bootloader's appearance to openmv-rescue's first DFU request must stay under
# 100 ms when the tool is already waiting, and inside the 1.5 s window when the tool
# starts with the camera (that includes its own start-up).
sim=$1
rescue=$2
name=cli_window
. "$(dirname "$0")/cli_lib.sh"
# latency TRACE VIDPID: ms from the plug of VIDPID to the first DFU class request to it
latency() {
	awk -v id="$2" '
		/plugged/ && $0 ~ id { split($2, t, "]"); plug = t[1]; match($0, /devnum [0-9]+/); dev = substr($0, RSTART, RLENGTH) }
		plug != "" && index($0, dev " ctrl ") && / ctrl (21|a1) / { split($2, t, "]"); print t[1] - plug; exit }
	' "$1"
}
python3 - "$work" <<'PY'
import os, struct, sys, zlib
w = sys.argv[1]
# a firmware.bin whose vector table fits the OpenMV Cam H7 (boards.ini check.stack/entry)
open(w + '/firmware.bin', 'wb').write(struct.pack('<II', 0x00010000, 0x08040201) + os.urandom(60000))
data = os.urandom(30000)
elem = struct.pack('<II', 0x08000000, len(data)) + data
t = b'Target' + bytes([0]) + struct.pack('<I', 1) + b'ST...'.ljust(255, b'\0') + struct.pack('<II', len(elem), 1) + elem
body = b'DfuSe' + bytes([1]) + struct.pack('<I', 11 + len(t) + 16) + bytes([1]) + t
body += struct.pack('<HHHH', 0xFFFF, 0xDF11, 0x0483, 0x011A) + b'UFD' + bytes([16])
open(w + '/bootloader.dfu', 'wb').write(body + struct.pack('<I', ~zlib.crc32(body) & 0xFFFFFFFF))
PY

# 1. The camera powers up as the tool starts: its bootloader's window is caught.
"$sim" --trace --camera OPENMV4:power-up -- "$rescue" flash --board OPENMV4 \
	--firmware "$work/firmware.bin" --yes >"$work/out1" 2>"$work/trace1"
check "power-up: the flash completes inside the bootloader's window" test $? -eq 0
ms=$(latency "$work/trace1" 37c5:9204)
echo "# appearance to first DFU request, tool started with the camera: ${ms:-?} ms"
# This case counts the program's own start-up (under ASan, beside other tests); what the real
# bootloader demands is the first request inside its 1.5 s window, so the bound is the window itself.
# The catch itself (case 2, the tool already waiting) keeps the 100 ms bound.
check "power-up: first DFU request ${ms:-?} ms after the bootloader appeared (< 1500 ms, the window)" test "${ms:-9999}" -lt 1500

# 2. The tool is already waiting: the ST ROM writes bootloader.dfu and leaves, the camera
#    restarts into its bootloader's power-up window, and the firmware flash goes on.
"$sim" --trace --camera OPENMV4:st-rom,after-leave=power-up -- "$rescue" restore-bootloader \
	--board OPENMV4 --file "$work/bootloader.dfu" --firmware "$work/firmware.bin" --yes \
	>"$work/out2" 2>"$work/trace2"
check "restore then flash: both complete" test $? -eq 0
ms=$(latency "$work/trace2" 37c5:9204)
echo "# appearance to first DFU request, tool already waiting: ${ms:-?} ms"
check "waiting: first DFU request ${ms:-?} ms after the bootloader appeared (< 100 ms)" test "${ms:-999}" -lt 100
check "restore then flash: every write verified" grep -q "every write verified" "$work/out2"

tap_end
