#!/bin/sh
# cli_vanish.sh SIMHOST RESCUE — a camera that vanishes just before SET_INTERFACE (fault
# vanish@claim: libusb already knows it is gone when the alternate setting is selected).
# libusb 1.0.26, Debian 12's, then unlocks a lock it never took and aborts the program in the
# libusb_close that follows (libusb/libusb issue #1199, fixed in 1.0.27).  openmv-rescue must
# end with one line a person can act on and exit 1, writing nothing.
sim=$1
rescue=$2
name=cli_vanish
. "$(dirname "$0")/cli_lib.sh"
run() { # run OUT DUMPDIR SIMARGS... -- RESCUEARGS...
	out=$1 dump=$2
	shift 2
	mkdir -p "$dump"
	"$sim" --dump "$dump" "$@" >"$out" 2>&1
}
head -c 8192 /dev/urandom >"$work/fs.img"
python3 - "$work" <<'PY'
import os, struct, sys
# a firmware.bin whose vector table fits the OpenMV Cam H7 (boards.ini check.stack/entry)
open(sys.argv[1] + '/firmware.bin', 'wb').write(struct.pack('<II', 0x00010000, 0x08040201) + os.urandom(30000))
PY
actionable() { # the last line says what to do, and nothing aborted
	tail -n 1 "$1" | grep -q "plug it in again and run the same action again" &&
		! grep -q "Assertion" "$1"
}

run "$work/out" "$work/e" --camera OPENMV4:bootloader --load alt1="$work/fs.img" --fault vanish@claim=1 -- \
	"$rescue" erase-fs --board OPENMV4 --yes
rc=$?
check "erase-fs, gone before SET_INTERFACE: exit 1, not an abort (exit $rc)" test $rc -eq 1
check "... one line to act on" actionable "$work/out"
check "... the filesystem is untouched" same_at "$work/e/OPENMV4.flash.bin" $((0x20000)) "$work/fs.img"

run "$work/out" "$work/f" --camera OPENMV4:bootloader --fault vanish@claim=1 -- \
	"$rescue" flash --board OPENMV4 --firmware "$work/firmware.bin" --yes
rc=$?
check "flash, gone before SET_INTERFACE: exit 1 (exit $rc)" test $rc -eq 1
check "... one line to act on" actionable "$work/out"
check "... the firmware partition is untouched" erased_at "$work/f/OPENMV4.flash.bin" $((0x40000)) 4096

run "$work/out" "$work/a" --camera ARDUINO_NICLA_VISION:arduino-dfu --fault vanish@claim=1 -- \
	"$rescue" erase-fs --board ARDUINO_NICLA_VISION --yes
rc=$?
check "Arduino DfuSe erase-fs, gone before SET_INTERFACE: exit 1 (exit $rc)" test $rc -eq 1
check "... one line to act on" actionable "$work/out"

tap_end
