#!/bin/sh
# cli_running.sh SIMHOST RESCUE — cameras that run their firmware, from the command line:
# openmv-rescue finds the running camera's serial port (the tty below its USB identity that
# openmv-rescue-sim adds, tests/sim/host/serialside), resets it (debug protocol v2, else v1, then
# the 1200-baud touch; an Arduino sketch the touch), and the action runs on the bootloader that
# appears, with no replug.  Memories compared from --dump.  Firmware that ignores every reset
# gets the replug prompt; with nobody to replug, one line within --timeout.  TAP.
# Firmware and bootloader versions: cli_reset.sh.
sim=$1
rescue=$2
name=cli_running
probe=OPENMV4:firmware
diag_lines=15
. "$(dirname "$0")/cli_lib.sh"
le32() { printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"; }
firmware() { # firmware SP RESET SIZE FILE: an image whose vector table fits the board
	{ le32 "$1"; le32 "$2"; head -c $(($3 - 8)) /dev/urandom; } >"$4"
}
run() { # run OUT DUMPDIR SIMARGS... -- RESCUEARGS...
	out=$1 dump=$2
	shift 2
	mkdir -p "$dump"
	"$sim" --dump "$dump" "$@" >"$out" 2>&1
	status=$?
	echo "(exit status $status)" >>"$out"
	return $status
}
has() { grep -q "$1" "$2"; }
lacks() { ! grep -q "$1" "$2"; }
one_error_line() { [ "$(grep -c '^openmv-rescue: ' "$1")" -eq 1 ]; }

firmware 0x20020000 0x08040201 70001 "$work/h7.bin"
head -c 30000 /dev/urandom >"$work/romfs0.img"
head -c 4096 /dev/urandom >"$work/fs.img"
head -c 4096 /dev/zero >"$work/zeros"

# ---- a running H7: debug protocol v2 first (reference alif-isp-openmv-ide-n6.md §2.4) ----
run "$work/out" "$work/h7e" --camera OPENMV4:firmware --load alt1="$work/fs.img" -- \
	"$rescue" erase-fs --board OPENMV4 --yes
check "running H7: erase-fs exits 0 without a replug" test $? -eq 0
check "running H7: reset over its serial port, its bootloader caught as it starts" \
	has "asked the camera on /dev/ttyACM0 to restart; its bootloader is caught" "$work/out"
check "running H7: v2 was enough (no v1 fallback, no touch)" lacks "using v1\|1200-baud" "$work/out"
check "running H7: the filesystem's first 4 KiB are zeros" same_at "$work/h7e/OPENMV4.flash.bin" 0x20000 "$work/zeros"
check "running H7: the prompt to replug never showed" lacks ">>>" "$work/out"

run "$work/out" "$work/h7f" --camera OPENMV4:firmware -- \
	"$rescue" flash --board OPENMV4 --firmware "$work/h7.bin" --romfs "$work/romfs0.img" --yes
check "running H7: flash exits 0" test $? -eq 0
check "running H7: firmware.bin at 0x08040000" same_at "$work/h7f/OPENMV4.flash.bin" 0x40000 "$work/h7.bin"
check "running H7: romfs0.img at 0x081E0000" same_at "$work/h7f/OPENMV4.flash.bin" 0x1E0000 "$work/romfs0.img"
check "running H7: every write verified" has "every write verified" "$work/out"

# ---- firmware that speaks only one protocol ------------------------------------------------
run "$work/out" "$work/v1" --camera OPENMV4:firmware,reset=v1 --load alt1="$work/fs.img" -- \
	"$rescue" erase-fs --board OPENMV4 --yes
check "v1-only firmware: erase-fs exits 0" test $? -eq 0
check "v1-only firmware: v2 got no answer, v1 was sent" has "does not speak debug protocol v2; using v1" "$work/out"
check "v1-only firmware: filesystem erased" same_at "$work/v1/OPENMV4.flash.bin" 0x20000 "$work/zeros"

run "$work/out" "$work/v2" --camera OPENMV4P:firmware,reset=v2 -- \
	"$rescue" erase-fs --board OPENMV4P --yes
check "v2-only firmware (H7 Plus): erase-fs exits 0" test $? -eq 0
check "v2-only firmware: no v1 fallback" lacks "using v1" "$work/out"
check "v2-only firmware: the SPI filesystem's first 4 KiB are zeros" same_at "$work/v2/OPENMV4P.qspi.bin" 0 "$work/zeros"

run "$work/out" "$work/tch" --camera OPENMV4:firmware,reset=touch -- \
	"$rescue" erase-fs --board OPENMV4 --yes --timeout 2
check "touch-only firmware: erase-fs exits 0 after v2, v1 and then the touch" test $? -eq 0
check "touch-only firmware: the 1200-baud touch was the last resort" has "trying the 1200-baud touch" "$work/out"

# ---- Arduino boards: OpenMV firmware by the debug protocol, a sketch by the 1200-baud touch,
#      into the DfuSe bootloader (seed 002 §10.7.8; the IDE's openmvpluginarduinodfubootloader.cpp) ----
firmware 0x20020000 0x08040201 50003 "$work/ard.bin"
for spec in ARDUINO_PORTENTA_H7:firmware ARDUINO_GIGA:firmware ARDUINO_NICLA_VISION:firmware,sketch; do
	target=${spec%%:*}
	run "$work/out" "$work/$target" --camera "$spec" -- \
		"$rescue" flash --board "$target" --firmware "$work/ard.bin" --romfs "$work/romfs0.img" --yes
	check "$spec: flash exits 0" test $? -eq 0
	case $spec in
	*sketch) check "$spec: entered the bootloader by the 1200-baud touch" has "(1200-baud touch)" "$work/out" ;;
	*) check "$spec: entered the bootloader by the debug protocol" has "to reboot into its bootloader" "$work/out" ;;
	esac
	check "$spec: firmware.bin at 0x08040000" same_at "$work/$target/$target.flash.bin" 0x40000 "$work/ard.bin"
	check "$spec: romfs0.img at 0x90B00000" same_at "$work/$target/$target.qspi.bin" 0xB00000 "$work/romfs0.img"
done

# ---- a running RT1062: into its secure bootloader 15A2:0073 (seed 002 §10.7.7) -------------
firmware 0x20020000 0x60040201 40000 "$work/rt.bin"
run "$work/out" "$work/rt" --camera OPENMV_RT1060:firmware -- \
	"$rescue" flash --board OPENMV_RT1060 --firmware "$work/rt.bin" --romfs "$work/romfs0.img" --yes
check "running RT1062: flash exits 0" test $? -eq 0
check "running RT1062: its secure bootloader answered after the reset" has "bootloader 15A2:0073 answered" "$work/out"
check "running RT1062: firmware.bin at 0x60040000" same_at "$work/rt/OPENMV_RT1060.flexspi.bin" 0x40000 "$work/rt.bin"
check "running RT1062: romfs0.img at 0x60800000" same_at "$work/rt/OPENMV_RT1060.flexspi.bin" 0x800000 "$work/romfs0.img"

# ---- firmware that ignores every reset: the replug prompt; nobody replugs: one line -------
start=$(date +%s)
run "$work/out" "$work/deaf" --camera OPENMV4:firmware,reset=none --load alt1="$work/fs.img" -- \
	"$rescue" erase-fs --board OPENMV4 --yes --timeout 2
status=$?
took=$(($(date +%s) - start))
check "deaf firmware: a failure exit" test $status -ne 0
check "deaf firmware: one error line" one_error_line "$work/out"
check "deaf firmware: it said it did not restart, then asked for the replug" \
	has "did not restart into its bootloader" "$work/out"
check "deaf firmware: ... the replug prompt" has ">>> Unplug the camera and plug it back in" "$work/out"
check "deaf firmware: ended within the timeout (three 2 s waits; took ${took} s)" test "$took" -le 12
check "deaf firmware: nothing was written" same_at "$work/deaf/OPENMV4.flash.bin" 0x20000 "$work/fs.img"

run "$work/out" "$work/deafard" --camera ARDUINO_PORTENTA_H7:firmware,reset=none -- \
	"$rescue" flash --board ARDUINO_PORTENTA_H7 --firmware "$work/ard.bin" --romfs "$work/romfs0.img" --yes --timeout 2
status=$?
check "deaf Arduino firmware: a failure exit" test $status -ne 0
check "deaf Arduino firmware: the replug prompt names the bootloader it waits for" \
	has "Waiting for Arduino DFU bootloader 2341:035b" "$work/out"

tap_end
