#!/bin/sh
# cli_late_answer.sh SIMHOST RESCUE LATE_ANSWER — a person at a terminal answers openmv-rescue's
# "[y/N]" question 3 s after it appears, longer than the openmv_dfu bootloader's 1.5 s power-up
# window, which only a download or an upload holds (openmv/openmv:boot/src/common/main.c,
# dfu.c).  The run must still succeed: no question may come between catching the bootloader
# and holding it.
sim=$1
rescue=$2
late=$3
name=cli_late_answer
. "$(dirname "$0")/cli_lib.sh"
head -c 8192 /dev/urandom >"$work/fs.img"
head -c 4096 /dev/zero >"$work/zeros"

# 1. The camera is replugged by the person (its power-up window) while the tool waits.
mkdir -p "$work/r"
python3 "$late" 3 "$work/out" "$sim" --dump "$work/r" --camera OPENMV4:off --load alt1="$work/fs.img" -- \
	"$rescue" erase-fs --board OPENMV4
rc=$?
check "replugged, answered 3 s late: erase-fs exits 0 (exit $rc)" test $rc -eq 0
check "... the question was asked" grep -q "Go ahead?" "$work/out"
check "... the filesystem starts with zeros" same_at "$work/r/OPENMV4.flash.bin" $((0x20000)) "$work/zeros"

# 2. The camera powers up as the tool starts, and boots its firmware when the window closes.
mkdir -p "$work/p"
python3 "$late" 3 "$work/out" "$sim" --dump "$work/p" --camera OPENMV4:power-up,after-leave=firmware \
	--load alt1="$work/fs.img" -- "$rescue" erase-fs --board OPENMV4
rc=$?
check "powering up, answered 3 s late: erase-fs exits 0 (exit $rc)" test $rc -eq 0
check "... the filesystem starts with zeros" same_at "$work/p/OPENMV4.flash.bin" $((0x20000)) "$work/zeros"

tap_end
