#!/bin/sh
# cli_reset.sh SIMHOST RESCUE — resetting a running camera into its bootloader as the real
# firmware versions allow, and leaving the bootloader as the real bootloader versions do
# (openmv/openmv v4.4.0 .. v4.8.1 common/tinyusb_debug.c, commit 3a1e8dab7; OpenMV IDE's
# openmvplugindfubootloader.cpp, openmvpluginarduinodfubootloader.cpp; tests/sim/README.md
# for fw= and bl=).  Memories compared from --dump.  TAP.
sim=$1
rescue=$2
name=cli_reset
. "$(dirname "$0")/cli_lib.sh"

le32() { printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"; }
firmware() { # firmware SP RESET SIZE FILE: an image whose vector table fits the board
	{ le32 "$1"; le32 "$2"; head -c $(($3 - 8)) /dev/urandom; } >"$4"
}
run() { # run OUT DUMPDIR SIMARGS... -- RESCUEARGS...
	_out=$1 _dump=$2
	shift 2
	mkdir -p "$_dump"
	"$sim" --dump "$_dump" "$@" >"$_out" 2>&1
	_status=$?
	echo "(exit status $_status)" >>"$_out"
	return $_status
}
# run_replug OUT DUMPDIR SIMARGS... -- RESCUEARGS...: the same, and when the replug prompt
# shows, the person unplugs the camera and plugs it in again (SIGUSR1 to the simulator)
run_replug() {
	_out=$1 _dump=$2
	shift 2
	mkdir -p "$_dump"
	"$sim" --dump "$_dump" "$@" >"$_out" 2>&1 &
	_pid=$!
	_i=0
	while [ $_i -lt 600 ] && kill -0 $_pid 2>/dev/null; do
		if grep -q ">>> Unplug the camera" "$_out"; then
			kill -USR1 $_pid
			break
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
	wait $_pid
	_status=$?
	echo "(exit status $_status)" >>"$_out"
	return $_status
}
has() { grep -q "$1" "$2"; }
lacks() { ! grep -q "$1" "$2"; }

firmware 0x20020000 0x60040201 40000 "$work/rt.bin"
firmware 0x20020000 0x08040201 70001 "$work/h7.bin"
head -c 30000 /dev/urandom >"$work/romfs0.img"
head -c 4096 /dev/urandom >"$work/fs.img"
head -c 4096 /dev/zero >"$work/zeros"

# ---- firmware versions: never a frame a version dies on ----------------------------------
# TinyUSB 4.4 .. 4.7 (RT1062): any v2 byte is fatal; it enumerates as 1209:ABD1, so v1 only.
run "$work/out" "$work/rt45" --camera OPENMV_RT1060:firmware,fw=4.5.0 -- \
	"$rescue" flash --board OPENMV_RT1060 --firmware "$work/rt.bin" --romfs "$work/romfs0.img" --yes --timeout 5
check "RT1062 firmware 4.5.0: flash exits 0 (the v2 SYNC would crash it)" test $? -eq 0
check "RT1062 firmware 4.5.0: spoken to in v1 only" has "1209:ABD1): debug protocol v1 only" "$work/out"
check "RT1062 firmware 4.5.0: firmware.bin at 0x60040000" same_at "$work/rt45/OPENMV_RT1060.flexspi.bin" 0x40000 "$work/rt.bin"

# TinyUSB 4.8.1: the padded probe keeps the v1 frame in step (a bare SYNC put it 4 bytes off).
run "$work/out" "$work/rt481" --camera OPENMV_RT1060:firmware,fw=4.8.1 -- \
	"$rescue" flash --board OPENMV_RT1060 --firmware "$work/rt.bin" --romfs "$work/romfs0.img" --yes --timeout 5
check "RT1062 firmware 4.8.1: flash exits 0" test $? -eq 0
check "RT1062 firmware 4.8.1: no v2 answer, so v1" has "does not speak debug protocol v2; using v1" "$work/out"
check "RT1062 firmware 4.8.1: romfs0.img at 0x60800000" same_at "$work/rt481/OPENMV_RT1060.flexspi.bin" 0x800000 "$work/romfs0.img"

run "$work/out" "$work/h745" --camera OPENMV4:firmware,fw=4.5.0 --load alt1="$work/fs.img" -- \
	"$rescue" erase-fs --board OPENMV4 --yes --timeout 5
check "H7 firmware 4.5.0: erase-fs exits 0" test $? -eq 0
check "H7 firmware 4.5.0: v1 only, a plain reset caught at power-up" \
	has "asked the camera on /dev/ttyACM0 to restart; its bootloader is caught" "$work/out"
check "H7 firmware 4.5.0: the filesystem's first 4 KiB are zeros" same_at "$work/h745/OPENMV4.flash.bin" 0x20000 "$work/zeros"

run "$work/out" "$work/h7v2" --camera OPENMV4:firmware,fw=v2 --load alt1="$work/fs.img" -- \
	"$rescue" erase-fs --board OPENMV4 --yes --timeout 5
check "H7 protocol-v2 firmware: erase-fs exits 0" test $? -eq 0
check "H7 protocol-v2 firmware: v2 answered (no v1)" lacks "using v1\|v1 only" "$work/out"
check "H7 protocol-v2 firmware: filesystem erased" same_at "$work/h7v2/OPENMV4.flash.bin" 0x20000 "$work/zeros"

# An AE3 on 4.4 .. 4.7 (TinyUSB): boards.ini gives it no 1209:ABD1, so nothing is sent to a
# firmware that may die of it; the replug prompt comes at once and the window is caught.
run_replug "$work/out" "$work/ae347" --camera OPENMV_AE3:firmware,fw=4.7.0 -- \
	"$rescue" erase-fs --board OPENMV_AE3 --yes --timeout 5
check "AE3 firmware 4.7.0: erase-fs exits 0 after the person's replug" test $? -eq 0
check "AE3 firmware 4.7.0: nothing was sent to its serial port" lacks "asked the camera\|1200-baud" "$work/out"
check "AE3 firmware 4.7.0: straight to the replug prompt" has ">>> Unplug the camera and plug it back in" "$work/out"

# ---- bootloader versions: leaving DFU after the last write --------------------------------
# Entered on request (mode bootloader: the magic word), 1.0.1 ignores DETACH and stays.
run "$work/out" "$work/bl101" --camera OPENMV4:bootloader,bl=1.0.1 -- \
	"$rescue" flash --board OPENMV4 --firmware "$work/h7.bin" --yes
check "forced bootloader 1.0.1: the flash itself succeeds" test $? -eq 0
check "forced bootloader 1.0.1: the camera stayed in DFU, and the person is told to replug" \
	has "stayed in its bootloader (version 1.0.1).*unplug it and plug it back in" "$work/out"
check "forced bootloader 1.0.1: ... also in the summary" has "Done: .*stayed in its bootloader: unplug it" "$work/out"

run "$work/out" "$work/bl102" --camera OPENMV4:bootloader -- \
	"$rescue" flash --board OPENMV4 --firmware "$work/h7.bin" --yes
check "forced bootloader 1.0.2: flash exits 0" test $? -eq 0
check "forced bootloader 1.0.2: it left DFU on DETACH (no replug asked)" lacks "stayed in its bootloader" "$work/out"

# One that leaves and comes straight back (a new power-up window) did leave: not "stayed".
run "$work/out" "$work/back" --camera OPENMV4:bootloader,after-leave=power-up -- \
	"$rescue" flash --board OPENMV4 --firmware "$work/h7.bin" --yes
check "bootloader that leaves and re-enumerates: flash exits 0" test $? -eq 0
check "bootloader that leaves and re-enumerates: not taken for one that stayed" lacks "stayed in its bootloader" "$work/out"

# From running firmware with a 1.0.1 bootloader: a plain reset, the power-up window, and the
# bootloader leaves for the new firmware after the write (OpenMV IDE's way).
# (the command waits 1.5 s after the flash so that the firmware's return shows in the trace)
mkdir -p "$work/run101"
"$sim" --trace --dump "$work/run101" --camera OPENMV4:firmware,fw=4.8.1,bl=1.0.1 -- sh -c \
	'"$0" flash --board OPENMV4 --firmware "$1" --yes; s=$?; sleep 1.5; exit $s' \
	"$rescue" "$work/h7.bin" >"$work/out" 2>"$work/trace"
check "firmware 4.8.1 over bootloader 1.0.1: flash exits 0" test $? -eq 0
check "firmware 4.8.1 over bootloader 1.0.1: the bootloader left by itself" lacks "stayed in its bootloader" "$work/out"
check "firmware 4.8.1 over bootloader 1.0.1: the camera came back as firmware after the write" \
	test "$(grep -c 'plugged .* 37c5:1204' "$work/trace")" -ge 2

# ---- Arduino boards running OpenMV firmware: the debug protocol first, the touch after ----
firmware 0x20020000 0x08040201 50003 "$work/ard.bin"
run "$work/out" "$work/port" --camera ARDUINO_PORTENTA_H7:firmware -- \
	"$rescue" flash --board ARDUINO_PORTENTA_H7 --firmware "$work/ard.bin" --romfs "$work/romfs0.img" --yes
check "Portenta with OpenMV firmware: flash exits 0" test $? -eq 0
check "Portenta with OpenMV firmware: reset by the debug protocol, no touch" \
	has "asked the camera on /dev/ttyACM0 to reboot into its bootloader" "$work/out"
check "Portenta with OpenMV firmware: ... the touch was not needed" lacks "1200-baud" "$work/out"
run "$work/out" "$work/porttouch" --camera ARDUINO_PORTENTA_H7:firmware,reset=touch -- \
	"$rescue" flash --board ARDUINO_PORTENTA_H7 --firmware "$work/ard.bin" --romfs "$work/romfs0.img" --yes --timeout 2
check "Portenta firmware deaf to the debug protocol: the touch is the fallback" test $? -eq 0
check "Portenta firmware deaf to the debug protocol: ... logged" has "trying the 1200-baud touch" "$work/out"
check "Portenta: the firmware image at 0x08040000" same_at "$work/porttouch/ARDUINO_PORTENTA_H7.flash.bin" 0x40000 "$work/ard.bin"

# ---- firmware that ignores the reset: the replug prompt in the same run ------------------
run_replug "$work/out" "$work/deaf" --camera OPENMV4:firmware,reset=none --load alt1="$work/fs.img" -- \
	"$rescue" erase-fs --board OPENMV4 --yes --timeout 2
check "deaf firmware: erase-fs exits 0 after the person's replug" test $? -eq 0
check "deaf firmware: the replug prompt was shown" has ">>> Unplug the camera and plug it back in" "$work/out"
check "deaf firmware: no 'run the same action again'" lacks "run the same action again" "$work/out"
check "deaf firmware: the filesystem erased in the same run" same_at "$work/deaf/OPENMV4.flash.bin" 0x20000 "$work/zeros"

tap_end
