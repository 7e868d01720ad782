#!/bin/sh
# cli_flash_erase_fs.sh SIMHOST RESCUE — "flash --erase-fs": the firmware written and the
# internal filesystem erased in the same run, as OpenMV IDE's "Erase internal file system"
# checkbox does (seed 002 §10.7.9), on an openmv_dfu camera and an Arduino DfuSe board,
# memories compared from --dump; --dry-run shows the erase's classic command.  Speaks TAP.
sim=$1
rescue=$2
name=cli_flash_erase_fs
. "$(dirname "$0")/cli_lib.sh"
head -c 8192 /dev/urandom >"$work/fs.img"
head -c 4096 /dev/zero >"$work/zeros"

# ---- the H7: alt 1 is the filesystem, alt 2 the firmware (seed 000, seed 002 §10.7.5) ----
firmware 0x00010000 $((0x08040000 + 0x201)) 100003 "$work/fw.bin"
"$rescue" flash --board OPENMV4 --firmware "$work/fw.bin" --erase-fs --dry-run >"$work/out" 2>&1
check "H7 flash --erase-fs --dry-run exits 0" test $? -eq 0
check "... the plan shows the erase's classic command, without --reset" \
	grep -q "^  dfu-util -w -d ,37C5:9204 -a 1 -D erase.bin$" "$work/out"
check "... and --reset only on the firmware, the last transfer" \
	grep -q "^  dfu-util -w -d ,37C5:9204 -a 2 --reset -D $work/fw.bin$" "$work/out"
check "... entering the bootloader once" test "$(grep -c 'Reset the camera into its bootloader' "$work/out")" -eq 2
mkdir -p "$work/h7"
"$sim" --dump "$work/h7" --camera OPENMV4:bootloader --load "alt1=$work/fs.img" -- \
	"$rescue" flash --board OPENMV4 --firmware "$work/fw.bin" --erase-fs --yes >"$work/out" 2>&1
check "H7 flash --erase-fs exits 0" test $? -eq 0
check "H7: the filesystem starts with 4 KiB of zeros" same_at "$work/h7/OPENMV4.flash.bin" $((0x20000)) "$work/zeros"
check "H7: the firmware is in place" same_at "$work/h7/OPENMV4.flash.bin" $((0x40000)) "$work/fw.bin"
check "H7: every write verified" grep -q "every write verified" "$work/out"

# ---- the Portenta: the erase is two DfuSe writes by address (seed 000) ----
firmware 0x24080000 $((0x08040000 + 0x201)) 60001 "$work/ard-fw.bin"
mkdir -p "$work/ard"
"$sim" --dump "$work/ard" --camera ARDUINO_PORTENTA_H7 -- \
	"$rescue" flash --board ARDUINO_PORTENTA_H7 --firmware "$work/ard-fw.bin" --erase-fs --yes >"$work/out" 2>&1
check "Portenta flash --erase-fs exits 0" test $? -eq 0
check "Portenta: zeros at 0x08020000" same_at "$work/ard/ARDUINO_PORTENTA_H7.flash.bin" $((0x20000)) "$work/zeros"
check "Portenta: zeros at 0x90000000" same_at "$work/ard/ARDUINO_PORTENTA_H7.qspi.bin" 0 "$work/zeros"
check "Portenta: the firmware at 0x08040000" same_at "$work/ard/ARDUINO_PORTENTA_H7.flash.bin" $((0x40000)) "$work/ard-fw.bin"

# ---- the Nano RP2040: zeros at 0x10200000 with PICOBOOT, then the firmware, one BOOTSEL ----
firmware 0x20041000 $((0x10000000 + 0x201)) 5008 "$work/rp.bin"
mkdir -p "$work/rp"
"$sim" --dump "$work/rp" --camera ARDUINO_NANO_RP2040_CONNECT -- \
	"$rescue" flash --board ARDUINO_NANO_RP2040_CONNECT --firmware "$work/rp.bin" --erase-fs --yes >"$work/out" 2>&1
check "Nano RP2040 flash --erase-fs exits 0" test $? -eq 0
check "Nano RP2040: zeros at 0x10200000" same_at "$work/rp/ARDUINO_NANO_RP2040_CONNECT.flash.bin" $((0x200000)) "$work/zeros"
check "Nano RP2040: the firmware at 0x10000000" same_at "$work/rp/ARDUINO_NANO_RP2040_CONNECT.flash.bin" 0 "$work/rp.bin"
check "Nano RP2040: BOOTSEL asked for once" test "$(grep -c '^\[[0-9]/[0-9]\] Hold the BOOTSEL button' "$work/out")" -eq 1

# ---- bad usage: nothing touched ----
"$rescue" erase-fs --board OPENMV4 --erase-fs --dry-run >"$work/out" 2>&1
check "--erase-fs with another action is bad usage (exit 2)" test $? -eq 2
check "... saying it goes with flash" grep -q "erase-fs goes with flash" "$work/out"
tap_end
