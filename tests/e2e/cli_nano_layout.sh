#!/bin/sh
# cli_nano_layout.sh SIMHOST RESCUE — the Nano 33 BLE Sense takes OpenMV firmware at offset
# 0x16000 (physical 0x26000) only with the flash layout that Arduino's
# Nano33_updateBLandSoftDevice sketch installs: Nordic's MBR at 0, the S140 SoftDevice from
# 0x1000 to 0x26000 and the updated bootloader at 0xE0000 (arduino/ArduinoCore-mbed
# libraries/Nano33BLE_System/examples/Nano33_updateBLandSoftDevice).  A board that left the
# factory (stock bootloader at 0, no SoftDevice) answers the same version string and USB ID,
# and the image would be "written and verified" and never start.  openmv-rescue must look
# first, through the bootloader's checksums, and refuse with exit 2 and nothing written.
# The simulator's layout=stock|updated option (tests/sim/README.md).  Speaks TAP.
sim=$1
rescue=$2
NANO33=ARDUINO_NANO_33_BLE_SENSE
name=cli_nano_layout
. "$(dirname "$0")/cli_lib.sh"
has() { grep -q "$1" "$2"; }
run() { # run DUMPDIR CAMERA RESCUE-ARGS...  ($load: an extra --load for the simulator)
	dump=$1 camera=$2
	shift 2
	mkdir -p "$dump"
	"$sim" --camera "$camera" ${load:+--load "$load"} --dump "$dump" -- "$rescue" "$@" >"$work/out" 2>"$work/err"
	status=$?
	cat "$work/err" >>"$work/out"
	echo "(exit status $status)" >>"$work/out"
	return $status
}
head -c 43308 /dev/urandom >"$work/fw.bin"

# ---- a board as it left the factory: the stock bootloader at 0, no SoftDevice --------------
mkdir -p "$work/stock-factory"
"$sim" --camera $NANO33,layout=stock --dump "$work/stock-factory" -- true
for mode in samba firmware; do
	run "$work/stock-$mode" "$NANO33:$mode,layout=stock" flash --board $NANO33 --firmware "$work/fw.bin" --yes
	check "stock layout ($mode): flash refuses with exit 2" test $? -eq 2
	check "stock layout ($mode): the last line says the layout is missing, nothing was written, and names Arduino's updater sketch" \
		sh -c "tail -n 1 '$work/err' | grep 'stock layout' | grep 'nothing was written' | grep -q Nano33_updateBLandSoftDevice"
	check "stock layout ($mode): not a byte of the flash changed" \
		cmp -s "$work/stock-$mode/$NANO33.flash.bin" "$work/stock-factory/$NANO33.flash.bin"
	check "stock layout ($mode): no 'verified' claim" sh -c "! grep -q 'verified' '$work/out'"
done

# ---- the updated layout with a standard sketch uploaded at 0x10000 over the SoftDevice -----
# The updated bootloader starts an image at 0x10000 before one at 0x26000 (its boot code):
# a vector table there (initial stack pointer in RAM) means the firmware would never start.
printf '\000\000\004\040\001\001\001\000' >"$work/sketch.bin" # SP 0x20040000, reset 0x10101
mkdir -p "$work/sk-factory"
"$sim" --camera $NANO33 --load 0x10000="$work/sketch.bin" --dump "$work/sk-factory" -- true
load=0x10000="$work/sketch.bin" run "$work/sk" "$NANO33" flash --board $NANO33 --firmware "$work/fw.bin" --yes
check "a sketch over the SoftDevice: flash refuses with exit 2" test $? -eq 2
check "a sketch over the SoftDevice: the line names 0x10000 and Arduino's updater sketch" \
	sh -c "grep 'Nano33_updateBLandSoftDevice' '$work/out' | grep -q 0x10000"
check "a sketch over the SoftDevice: not a byte of the flash changed" \
	cmp -s "$work/sk/$NANO33.flash.bin" "$work/sk-factory/$NANO33.flash.bin"

# ---- the updated layout: written as before -------------------------------------------------
run "$work/upd" "$NANO33,layout=updated" flash --board $NANO33 --firmware "$work/fw.bin" --yes
check "updated layout: flash exits 0 and every write is verified" sh -c "test $? -eq 0 && grep -q 'every write verified' '$work/out'"
check "updated layout: the log says the layout was checked" has "SoftDevice" "$work/out"

# ---- what the check needs, for support staff ----------------------------------------------
"$rescue" boards $NANO33 >"$work/out" 2>&1
check "boards $NANO33 lists the layout the flash needs and the sketch that installs it" \
	sh -c "grep 'needs word 0x51B1E5DB at 0x3004, a vector table at 0xE0000, none at 0x10000' '$work/out' | grep -q Nano33_updateBLandSoftDevice"

tap_end
