#!/bin/sh
# cli_all.sh SIMHOST RESCUE — "ACTION --board TARGET --all": several virtual H7s flashed at
# once, each in its own run.  Eight cameras with the fifth unplugged mid-write: the other
# seven hold the image byte for byte, the fifth is reported with why, exit 1; --serial picks
# two of three (the third untouched); cameras in different modes; one --log section per
# camera; no camera of the board: one line, exit 1; --watch takes a camera plugged in later.
# Speaks TAP.
sim=$1
rescue=$2
name=cli_all
. "$(dirname "$0")/cli_lib.sh"
# firmware SIZE FILE: an H7 firmware image (stack pointer in its RAM, reset vector in alt 2's
# flash from 0x08040000: the checks of images_dfu.c), the rest random
firmware() {
	printf '\000\000\001\000\001\002\004\010' >"$2"
	head -c $(($1 - 8)) /dev/urandom >>"$2"
}
fw_at=0x40000 # alt 2 (FIRMWARE) at 0x08040000 of the flash the dump starts at 0x08000000
firmware 600000 "$work/fw.bin"
fw_size=$(wc -c <"$work/fw.bin")

# ---- eight cameras, the fifth unplugged after 300000 bytes of its download -------------
cams=""
for i in 1 2 3 4 5 6 7 8; do cams="$cams --camera OPENMV4:bootloader,serial=H7CAM$i"; done
mkdir -p "$work/d8"
# shellcheck disable=SC2086
"$sim" --dump "$work/d8" $cams --fault OPENMV4-5:unplug@byte=300000 -- \
	"$rescue" flash --board OPENMV4 --firmware "$work/fw.bin" --all --yes --log "$work/log8" \
	>"$work/out" 2>"$work/err"
check "eight cameras, one unplugged: exit 1" test $? -eq 1
for i in 1 2 3 4 6 7 8; do
	label=OPENMV4-$i
	[ "$i" = 1 ] && label=OPENMV4
	check "camera $i holds the image byte for byte" same_at "$work/d8/$label.flash.bin" $fw_at "$work/fw.bin"
	check "camera $i: ok and verified in the table" grep -Eq "^H7CAM$i +ok +yes " "$work/out"
done
check "camera 5 does not hold the whole image" sh -c "! bytes $fw_at $fw_size '$work/d8/OPENMV4-5.flash.bin' | cmp -s - '$work/fw.bin'"
check "camera 5: FAILED in the table, and why (it disconnected)" grep -Eq "^H7CAM5 +FAILED .*disconnected" "$work/out"
check "the table has a row for every camera" test "$(grep -c '^H7CAM' "$work/out")" -eq 8
check "the table ends with 7 of 8 done" grep -q "^7 of 8 cameras done" "$work/out"
check "a live line per camera on stderr (no terminal: plain lines)" \
	sh -c "for i in 1 2 3 4 5 6 7 8; do grep -q \"^H7CAM\$i \" '$work/err' || exit 1; done"
check "no escape sequences on stderr when it is not a terminal" sh -c "! grep -q \"$(printf '\033')\" '$work/err'"
check "the log has one section per camera" test "$(grep -c -- '---- camera H7CAM' "$work/log8")" -eq 8
check "... each with that camera's own lines" \
	sh -c "sed -n '/---- camera H7CAM3/,/---- camera/p' '$work/log8' | grep -q 'serial H7CAM3' && \
	       ! sed -n '/---- camera H7CAM3/,/---- camera/p' '$work/log8' | grep -q 'serial H7CAM4'"

# ---- --serial picks two of three --------------------------------------------------------
mkdir -p "$work/d3"
"$sim" --dump "$work/d3" --camera OPENMV4:bootloader,serial=PICK1 --camera OPENMV4:bootloader,serial=PICK2 \
	--camera OPENMV4:bootloader,serial=PICK3 -- "$rescue" flash --board OPENMV4 --firmware "$work/fw.bin" \
	--all --serial PICK1 --serial PICK3 --yes >"$work/out" 2>"$work/err"
check "--serial twice with --all: exit 0" test $? -eq 0
check "... camera PICK1 flashed" same_at "$work/d3/OPENMV4.flash.bin" $fw_at "$work/fw.bin"
check "... camera PICK3 flashed" same_at "$work/d3/OPENMV4-3.flash.bin" $fw_at "$work/fw.bin"
check "... camera PICK2 untouched" erased_at "$work/d3/OPENMV4-2.flash.bin" $fw_at "$fw_size"
check "... two rows, none for PICK2" sh -c "test \$(grep -c '^PICK' '$work/out') -eq 2 && ! grep -q '^PICK2' '$work/out'"

# ---- a --serial that is not connected: its row says so, exit 1 -------------------------
"$sim" --camera OPENMV4:bootloader,serial=HERE1 -- "$rescue" flash --board OPENMV4 --firmware "$work/fw.bin" \
	--all --serial HERE1 --serial GONE9 --yes >"$work/out" 2>"$work/err"
check "a --serial not connected: exit 1" test $? -eq 1
check "... HERE1 ok, GONE9 missing" sh -c "grep -Eq '^HERE1 +ok' '$work/out' && grep -Eq '^GONE9 +missing' '$work/out'"

# ---- cameras in different modes: running firmware and bootloader -----------------------
mkdir -p "$work/dm"
"$sim" --dump "$work/dm" --camera OPENMV4:firmware,serial=RUN1 --camera OPENMV4:bootloader,serial=BOOT2 -- \
	"$rescue" flash --board OPENMV4 --firmware "$work/fw.bin" --all --yes >"$work/out" 2>"$work/err"
check "a running camera and a bootloader together: exit 0" test $? -eq 0
check "... the running one reset and flashed" same_at "$work/dm/OPENMV4.flash.bin" $fw_at "$work/fw.bin"
check "... the bootloader one flashed" same_at "$work/dm/OPENMV4-2.flash.bin" $fw_at "$work/fw.bin"

# ---- no camera of the board: one clear line, exit 1, nothing touched --------------------
"$sim" --camera OPENMV2:bootloader -- "$rescue" flash --board OPENMV4 --firmware "$work/fw.bin" --all --yes \
	>"$work/out" 2>"$work/err"
check "--all with no camera of the board: exit 1" test $? -eq 1
check "... one line saying none is connected" \
	sh -c "test \$(wc -l <'$work/err') -eq 1 && grep -q '^openmv-rescue: no OpenMV Cam H7 is connected' '$work/err'"

# ---- usage: --serial twice needs --all, --watch on an action needs --all ----------------
"$rescue" flash --board OPENMV4 --firmware "$work/fw.bin" --serial A --serial B --yes >"$work/out" 2>&1
check "--serial twice without --all: exit 2" test $? -eq 2
check "... and says to add --all" grep -q -- "add --all" "$work/out"
"$rescue" flash --board OPENMV4 --firmware "$work/fw.bin" --watch --yes >"$work/out" 2>&1
check "--watch on an action without --all: exit 2" test $? -eq 2

# ---- --watch: a camera plugged in later is recovered as it arrives, until Ctrl-C --------
mkdir -p "$work/dw"
"$sim" --dump "$work/dw" --camera OPENMV4:bootloader,serial=FIRST --camera OPENMV4:off,after-leave=bootloader,serial=LATER \
	-- "$rescue" flash --board OPENMV4 --firmware "$work/fw.bin" --all --watch --yes >"$work/out" 2>"$work/err" &
simpid=$!
wait_for() { # wait_for PATTERN FILE: up to 60 s
	_t=0
	while ! grep -q "$1" "$2" 2>/dev/null && [ $_t -lt 600 ]; do sleep 0.1; _t=$((_t + 1)); done
	grep -q "$1" "$2"
}
check "--watch: the first camera done" wait_for "^FIRST .*ok" "$work/err"
check "... the later camera is not taken before it is plugged in" sh -c "! grep -q '^LATER' '$work/err'"
kill -USR1 $simpid # the person plugs the second camera in
check "... the camera plugged in later is taken and done" wait_for "^LATER .*ok" "$work/err"
kill -INT $simpid
wait $simpid
check "... Ctrl-C ends the watch: exit 0, both cameras ok" \
	sh -c "test $? -eq 0 && grep -Eq '^FIRST +ok +yes' '$work/out' && grep -Eq '^LATER +ok +yes' '$work/out'"
check "... the later camera holds the image" same_at "$work/dw/OPENMV4-2.flash.bin" $fw_at "$work/fw.bin"
tap_end
