#!/bin/sh
# n6_restore_e2e.sh SIMHOST OPENMV-RESCUE BOARDS.INI — end to end: the command a person
# types, against the virtual N6 (its boot ROM, then the OpenBootloader it loads):
#   openmv-rescue restore-bootloader --board OPENMV_N6 --file FlashLayout.tsv --yes
# then the dumped nor0 must hold bootloader.bin, and RAM what the ROM and OpenBootloader
# took.  A bad layout must be refused with exit 2 before the camera is touched.
abs() { (cd "$(dirname "$1")" && echo "$(pwd)/$(basename "$1")"); }
simhost=$(abs "$1")
rescue=$(abs "$2")
boards=$(abs "$3")
work=$(mktemp -d "${TMPDIR:-/tmp}/n6-e2e.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
n=0
fail=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }

cd "$work" || exit 99
# the virtual bus needs umockdev's preload (not active in some sanitizer builds): SKIP then
if ! "$simhost" --camera OPENMV_N6:st-rom -- true > probe.txt 2>&1; then
	echo "1..0 # SKIP $(head -n 1 probe.txt)"
	exit 0 # meson reads a TAP skip plan with status 0 as SKIP
fi
# OpenMV's layout (reference alif-isp-openmv-ide-n6.md §4.1), with random images
printf '#Opt\tId\tName\tType\tIP\tOffset\tBinary\n' > FlashLayout.tsv
printf 'P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\tOpenBootloader_STM32N6570-DK-trusted.stm32\n' >> FlashLayout.tsv
printf 'P\t0x3\tfsbl-extfl\tBinary\tnone\t0x0\tMX66UW1G45G_STM32N6570-DK-OBL.bin\n' >> FlashLayout.tsv
printf 'P\t0x4\tfsbl-app\tBinary\tnor0\t0x0000000\tbootloader.bin' >> FlashLayout.tsv
head -c 70000 /dev/urandom > OpenBootloader_STM32N6570-DK-trusted.stm32
head -c 9000 /dev/urandom > MX66UW1G45G_STM32N6570-DK-OBL.bin
head -c 200000 /dev/urandom > bootloader.bin
mkdir dump

"$simhost" --camera OPENMV_N6:st-rom --dump dump -- \
	"$rescue" restore-bootloader --board OPENMV_N6 --file FlashLayout.tsv --yes --boards "$boards" \
	> out.txt 2>&1
status=$?
sed 's/^/# /' out.txt
ok $status "restore-bootloader --board OPENMV_N6 --file FlashLayout.tsv --yes exits 0 (got $status)"
cmp -s -n 200000 dump/OPENMV_N6.xspi.bin bootloader.bin
ok $? "nor0 from offset 0 holds bootloader.bin"
# the rest of the last 64 KiB sector written is erased, not old data
tail -c +200001 dump/OPENMV_N6.xspi.bin | head -c $((4 * 65536 - 200000)) | od -v -An -tx1 | tr -s ' \n' '\n' | grep -v '^$' | sort -u > rest.txt
[ "$(cat rest.txt)" = "ff" ]
ok $? "the sector after bootloader.bin reads erased (0xFF)"
# RAM: OpenBootloader at the FSBL load address 0x34180400, the loader at 0x34300000 (model_n6.h)
tail -c +$((0x180400 + 1)) dump/OPENMV_N6.axisram.bin | head -c 70000 | cmp -s - OpenBootloader_STM32N6570-DK-trusted.stm32
ok $? "the ROM took OpenBootloader into RAM"
tail -c +$((0x300000 + 1)) dump/OPENMV_N6.axisram.bin | head -c 9000 | cmp -s - MX66UW1G45G_STM32N6570-DK-OBL.bin
ok $? "OpenBootloader took the external-flash loader into RAM"
grep -q "Done: OpenMV Cam N6 restore-bootloader" out.txt
ok $? "the run reports it is done"

# a broken layout: refused before anything runs, the camera untouched
printf 'P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\tOpenBootloader_STM32N6570-DK-trusted.stm32\nP\t0x4\tfsbl-app\tBinary\tnor0\tboot1\tbootloader.bin\n' > Bad.tsv
rm -rf dump && mkdir dump
"$simhost" --camera OPENMV_N6:st-rom --dump dump -- \
	"$rescue" restore-bootloader --board OPENMV_N6 --file Bad.tsv --yes --boards "$boards" > bad.txt 2>&1
status=$?
sed 's/^/# /' bad.txt
[ $status = 2 ] && grep -q "Bad.tsv:2: Offset 'boot1'" bad.txt
ok $? "a bad layout is refused with exit 2 and file:line (got $status)"
od -v -An -tx1 -N 200000 dump/OPENMV_N6.xspi.bin | tr -s ' \n' '\n' | grep -v '^$' | sort -u > blank.txt
[ "$(cat blank.txt)" = "ff" ]
ok $? "nor0 was not touched"

# seed 003, last step: then the normal N6 DFU flash, in the same run.  The camera restarts
# from nor0 into the openmv_dfu bootloader's power-up window (after-leave=power-up).
python3 -c "import os, struct; open('fw.bin', 'wb').write(struct.pack('<II', 0x34100000, 0x70080201) + os.urandom(100000))"
rm -rf dump && mkdir dump
"$simhost" --camera OPENMV_N6:st-rom,after-leave=power-up --dump dump -- \
	"$rescue" restore-bootloader --board OPENMV_N6 --file FlashLayout.tsv --firmware fw.bin --yes \
	--boards "$boards" > both.txt 2>&1
ok $? "restore, then the firmware through the restored bootloader, in one run"
head -c 200000 dump/OPENMV_N6.xspi.bin | cmp -s - bootloader.bin
ok $? "... nor0 holds bootloader.bin"
tail -c +$((0x80000 + 1)) dump/OPENMV_N6.xspi.bin | head -c "$(wc -c < fw.bin)" | cmp -s - fw.bin
ok $? "... and the FIRMWARE partition (alt 1, xSPI 0x80000) holds firmware.bin"

echo "1..$n"
exit $fail
