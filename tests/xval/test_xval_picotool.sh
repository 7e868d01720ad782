#!/bin/sh
# test_xval_picotool.sh SIMHOST RESCUE [PICOTOOL] — the picotool that OpenMV ships
# (../shared/oracles/bin/picotool, or picotool on PATH) against the RP2040 BOOTSEL model of
# openmv-rescue-sim (tests/sim/models/rp2040_model.h), as the seed flashes the Nano RP2040
# Connect (seed 002 §10.7.8: picotool load -x firmware.uf2), and `picotool info -a` and
# `picotool reboot`.  The flash picotool leaves must equal, byte for byte over all 16 MiB,
# what `openmv-rescue flash --board ARDUINO_NANO_RP2040_CONNECT` leaves.  The UF2 files are
# made here (microsoft/uf2 block layout) with a binary-info block naming the program, which
# `picotool info -a` must find in the model's flash.  Speaks TAP.
sim=$1
rescue=$2
picotool=$3
RP=ARDUINO_NANO_RP2040_CONNECT
if [ -z "$picotool" ]; then
	echo "1..0 # SKIP picotool (../shared/oracles/bin/picotool, or picotool on PATH) is not there"
	exit 77
fi
if ! command -v python3 >/dev/null; then
	echo "1..0 # SKIP python3 (to make the UF2 files) is not there"
	exit 77
fi
name=xval_picotool
. "$(dirname "$0")/../e2e/cli_lib.sh"
has() { grep -q "$1" "$2"; }

# make_uf2 PAYLOAD-BYTES NAME: $work/NAME.uf2 and its payload $work/NAME.bin (random bytes, a
# vector table at 0x100 after boot2, and a binary-info header and program name, the layout
# picotool searches: raspberrypi/picotool main.cpp, pico-sdk binary_info/defs.h)
make_uf2() {
	python3 - "$1" "$work/$2" <<'PY'
import os, struct, sys
size, base = int(sys.argv[1]), sys.argv[2]
p = bytearray(os.urandom(size))
def put(off, data): p[off:off + len(data)] = data
put(0x100, struct.pack('<2I', 0x20042000, 0x100001F7))
put(0x110, struct.pack('<5I', 0x7188EBF2, 0x10000200, 0x10000204, 0x10000230, 0xE71AA390))
put(0x200, struct.pack('<I', 0x10000210))
put(0x210, struct.pack('<HHII', 6, 0x5052, 0x02031C86, 0x10000220))  # ID_AND_STRING, 'RP', PROGRAM_NAME
put(0x220, b'xval-picotool\0\0\0')
put(0x230, struct.pack('<I', 0))
n = (len(p) + 255) // 256
open(base + '.bin', 'wb').write(p)
with open(base + '.uf2', 'wb') as f:
    for i in range(n):
        data = bytes(p[256 * i:256 * i + 256]).ljust(256, b'\0')
        head = struct.pack('<8I', 0x0A324655, 0x9E5D5157, 0x2000, 0x10000000 + 256 * i, 256, i, n, 0xE48BFF56)
        f.write((head + data).ljust(508, b'\0') + struct.pack('<I', 0x0AB16F30))
PY
}

for size in 8192 10340 300000; do # whole sectors; a part of a sector; many sectors
	make_uf2 $size fw$size
	mkdir -p "$work/pt$size" "$work/us$size"
	"$sim" --camera $RP:bootsel --dump "$work/pt$size" -- \
		sh -c "'$picotool' load -x '$work/fw$size.uf2'; echo \"load exit \$?\"; sleep 1; '$picotool' info" \
		>"$work/out" 2>&1
	check "$size bytes: picotool load -x exits 0" has "^load exit 0" "$work/out"
	check "$size bytes: -x rebooted the board: no BOOTSEL device is left" has "No accessible RP2040 devices" "$work/out"
	"$sim" --camera $RP:bootsel --dump "$work/us$size" -- \
		"$rescue" flash --board $RP --firmware "$work/fw$size.uf2" --yes >"$work/out" 2>&1
	check "$size bytes: openmv-rescue flash exits 0" test $? -eq 0
	check "$size bytes: the 16 MiB flash is identical byte for byte" \
		cmp "$work/pt$size/$RP.flash.bin" "$work/us$size/$RP.flash.bin"
	check "$size bytes: and holds the payload at 0x10000000" \
		sh -c "head -c $size '$work/us$size/$RP.flash.bin' | cmp -s - '$work/fw$size.bin'"
done

# picotool info -a reads what openmv-rescue wrote: the program name from its binary info
"$sim" --camera $RP:bootsel --load 0x10000000="$work/us10340/$RP.flash.bin" -- "$picotool" info -a >"$work/out" 2>&1
check "picotool info -a exits 0" test $? -eq 0
check "picotool info -a finds the program name in the flash openmv-rescue wrote" has "name: *xval-picotool" "$work/out"
check "picotool info -a reads ROM version 3 (B2)" has "ROM version: *3" "$work/out"

# picotool reboot: the board leaves BOOTSEL (then no device is there for a second command)
"$sim" --camera $RP:bootsel -- sh -c "'$picotool' reboot; sleep 1; '$picotool' info" >"$work/out" 2>&1
check "picotool reboot: the device was rebooted" has "The device was rebooted" "$work/out"
check "picotool reboot: afterwards no BOOTSEL device is there" has "No accessible RP2040 devices" "$work/out"

tap_end
