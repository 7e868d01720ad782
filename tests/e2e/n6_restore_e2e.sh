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

# OpenMV IDE's layout without ST's two loaders next to it (the IDE's OPENMV_N6 folder has
# only FlashLayout.tsv and bootloader.bin; n6_loaders.c): looked for elsewhere first, and a
# missing one named with where it was looked for, exit 2, before the camera is touched
mkdir -p ide st home
cp FlashLayout.tsv bootloader.bin ide/
cp OpenBootloader_STM32N6570-DK-trusted.stm32 MX66UW1G45G_STM32N6570-DK-OBL.bin st/
rm -rf dump && mkdir dump
HOME=$work/home "$simhost" --camera OPENMV_N6:st-rom --dump dump -- \
	"$rescue" restore-bootloader --board OPENMV_N6 --file ide/FlashLayout.tsv --n6-loaders "$work/none" \
	--yes --boards "$boards" > miss.txt 2>&1
status=$?
sed 's/^/# /' miss.txt
[ $status = 2 ] && grep -q "ide/FlashLayout.tsv:2: OpenBootloader_STM32N6570-DK-trusted.stm32 is not next to the layout nor in $work/none" miss.txt &&
	grep -q "STM32CubeProgrammer and STM32CubeN6" miss.txt && grep -q -- "--n6-loaders DIR" miss.txt
ok $? "a loader missing everywhere: exit 2, the file, where it was looked for and how to get it (got $status)"
od -v -An -tx1 -N 200000 dump/OPENMV_N6.xspi.bin | tr -s ' \n' '\n' | grep -v '^$' | sort -u > blank.txt
loaded() { tail -c +$((0x180400 + 1)) dump/OPENMV_N6.axisram.bin 2>/dev/null | head -c 70000 | cmp -s - OpenBootloader_STM32N6570-DK-trusted.stm32; }
[ "$(cat blank.txt)" = "ff" ] && ! loaded
ok $? "... and nothing was written (nor0 blank, OpenBootloader not loaded)"
rm -rf dump && mkdir dump
HOME=$work/home "$simhost" --camera OPENMV_N6:st-rom --dump dump -- \
	"$rescue" restore-bootloader --board OPENMV_N6 --file ide/FlashLayout.tsv --n6-loaders "$work/st" \
	--yes --boards "$boards" > named.txt 2>&1
status=$?
head -c 200000 dump/OPENMV_N6.xspi.bin | cmp -s - bootloader.bin
ok $(( status + $? )) "--n6-loaders DIR: the loaders found there, nor0 holds bootloader.bin (got $status)"
# ST's default Linux install of STM32CubeProgrammer (n6_loaders.c: bin/, bin/ExternalLoader/ [I])
cube=home/STMicroelectronics/STM32Cube/STM32CubeProgrammer/bin
mkdir -p "$cube/ExternalLoader"
cp OpenBootloader_STM32N6570-DK-trusted.stm32 "$cube/"
cp MX66UW1G45G_STM32N6570-DK-OBL.bin "$cube/ExternalLoader/"
rm -rf dump && mkdir dump
HOME=$work/home "$simhost" --camera OPENMV_N6:st-rom --dump dump -- \
	"$rescue" restore-bootloader --board OPENMV_N6 --file ide/FlashLayout.tsv --yes --boards "$boards" \
	> cube.txt 2>&1
status=$?
head -c 200000 dump/OPENMV_N6.xspi.bin | cmp -s - bootloader.bin
ok $(( status + $? )) "the loaders found in ~/STMicroelectronics/STM32Cube/STM32CubeProgrammer/bin[/ExternalLoader] [I] (got $status)"
tail -c +$((0x300000 + 1)) dump/OPENMV_N6.axisram.bin | head -c 9000 | cmp -s - MX66UW1G45G_STM32N6570-DK-OBL.bin
ok $? "... the external-flash loader from ExternalLoader/ in RAM"

# verify restore-bootloader: the ROM reads nothing back, so the camera is caught in the
# bootloader the restore wrote and its alt 0 (BOOTLOADER) is read back through it
# (openmv/openmv boot/src/common/dfu.c: upload reads any partition)
rm -rf dump && mkdir dump
"$simhost" --camera OPENMV_N6:bootloader --load OPENMV_N6:alt0=bootloader.bin --dump dump -- \
	"$rescue" verify restore-bootloader --board OPENMV_N6 --file FlashLayout.tsv --boards "$boards" > v1.txt 2>&1
status=$?
sed 's/^/# /' v1.txt
[ $status = 0 ] && grep -q "bootloader.bin: equal to alt 0 (BOOTLOADER), all 200000 bytes" v1.txt &&
	grep -q "Verified: the camera holds the 1 image; nothing was written" v1.txt
ok $? "verify restore-bootloader: bootloader.bin read back through the bootloader's alt 0, equal (got $status)"
head -c 200000 /dev/urandom > other-bootloader.bin
rm -rf dump && mkdir dump
"$simhost" --camera OPENMV_N6:bootloader --load OPENMV_N6:alt0=other-bootloader.bin --dump dump -- \
	"$rescue" verify restore-bootloader --board OPENMV_N6 --file FlashLayout.tsv --boards "$boards" > v2.txt 2>&1
status=$?
[ $status = 1 ] && grep -q "bootloader.bin: differs from alt 0 (BOOTLOADER) first at 0x00000000" v2.txt
ok $? "verify on a camera holding another bootloader: exit 1, the first differing address (got $status)"
head -c 200000 dump/OPENMV_N6.xspi.bin | cmp -s - other-bootloader.bin
ok $? "... and nothing was written (nor0 still holds the other bootloader)"

echo "1..$n"
exit $fail
