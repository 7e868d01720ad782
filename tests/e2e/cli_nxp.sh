#!/bin/sh
# cli_nxp.sh SIMHOST RESCUE — the three RT1062 actions from the command line against the
# virtual camera (openmv-rescue-sim), memories compared byte for byte from the dump; and
# one fault, which must end with a single line and exit status 1.
sim=$1
rescue=$2
name=cli_nxp
. "$(dirname "$0")/cli_lib.sh"

# inputs: firmware, ROMFS, SBL, and a flashloader that starts with an IVT (reference §4)
head -c 150001 /dev/urandom >"$work/firmware.bin"
head -c 40000 /dev/urandom >"$work/romfs0.img"
head -c 30000 /dev/urandom >"$work/blhost_flash_loader.bin"
{ printf '\321\000\040\101'; head -c 9996 /dev/urandom; } >"$work/sdphost_flash_loader.bin"

# flash: firmware and ROMFS through the secure bootloader
mkdir "$work/d1"
"$sim" --camera OPENMV_RT1060:sbl --dump "$work/d1" -- "$rescue" flash --board OPENMV_RT1060 \
	--firmware "$work/firmware.bin" --romfs "$work/romfs0.img" --yes >"$work/out1" 2>&1
check "flash from the CLI exits 0" test $? -eq 0
check "flash: firmware.bin at 0x60040000" same_at "$work/d1/OPENMV_RT1060.flexspi.bin" $((0x40000)) "$work/firmware.bin"
check "flash: romfs0.img at 0x60800000" same_at "$work/d1/OPENMV_RT1060.flexspi.bin" $((0x800000)) "$work/romfs0.img"
check "flash: the summary says every write was verified" grep -q "every write verified" "$work/out1"

# erase-fs: the FAT disk's first 4 KiB erased (seed 000), the next sector kept
mkdir "$work/d2"
head -c 8192 /dev/urandom >"$work/fat.bin"
"$sim" --camera OPENMV_RT1060:sbl --load 0x60400000="$work/fat.bin" --dump "$work/d2" -- \
	"$rescue" erase-fs --board OPENMV_RT1060 --yes >"$work/out2" 2>&1
check "erase-fs from the CLI exits 0" test $? -eq 0
head -c 4096 /dev/zero | tr '\000' '\377' >"$work/ff.bin"
check "erase-fs: 0x60400000..0x60400FFF reads 0xFF" same_at "$work/d2/OPENMV_RT1060.flexspi.bin" $((0x400000)) "$work/ff.bin"
bytes 4096 4096 "$work/fat.bin" >"$work/fat2.bin"
check "erase-fs: 0x60401000 kept" same_at "$work/d2/OPENMV_RT1060.flexspi.bin" $((0x401000)) "$work/fat2.bin"

# restore-bootloader: ROM, flashloader, FCB, SBL, firmware, eFuse
mkdir "$work/d3"
"$sim" --camera OPENMV_RT1060:sdp --dump "$work/d3" -- "$rescue" restore-bootloader --board OPENMV_RT1060 \
	--dir "$work" --yes --allow-irreversible >"$work/out3" 2>&1
check "restore-bootloader from the CLI exits 0" test $? -eq 0
check "restore: the flashloader at 0x20001C00" same_at "$work/d3/OPENMV_RT1060.dtcm.bin" $((0x1C00)) "$work/sdphost_flash_loader.bin"
check "restore: the SBL at 0x60001000" same_at "$work/d3/OPENMV_RT1060.flexspi.bin" $((0x1000)) "$work/blhost_flash_loader.bin"
check "restore: the firmware at 0x60040000" same_at "$work/d3/OPENMV_RT1060.flexspi.bin" $((0x40000)) "$work/firmware.bin"
printf '\020\000\000\000' >"$work/fuse.bin"
check "restore: eFuse 6 holds 0x00000010" same_at "$work/d3/OPENMV_RT1060.fuses.bin" 24 "$work/fuse.bin"

# --yes without --allow-irreversible: refused at the eFuse, nothing burned
mkdir "$work/d4"
"$sim" --camera OPENMV_RT1060:sdp --dump "$work/d4" -- "$rescue" restore-bootloader --board OPENMV_RT1060 \
	--dir "$work" --yes >"$work/out4" 2>&1
check "restore with --yes alone exits 2 at the eFuse step" test $? -eq 2
printf '\000\000\000\000' >"$work/nofuse.bin"
check "restore with --yes alone: eFuse 6 untouched" same_at "$work/d4/OPENMV_RT1060.fuses.bin" 24 "$work/nofuse.bin"

# a fault: the camera vanishes in the middle of write-memory
"$sim" --camera OPENMV_RT1060:sbl --fault vanish@report=8 -- "$rescue" flash --board OPENMV_RT1060 \
	--firmware "$work/firmware.bin" --yes >"$work/out5" 2>"$work/err5"
check "a vanishing camera: exit status 1" test $? -eq 1
check "a vanishing camera: one line of openmv-rescue's error" test "$(grep -c '^openmv-rescue:' "$work/err5")" -eq 1
check "a vanishing camera: it says what happened and what to do" \
	grep -q "disconnected.*run the same action again" "$work/err5"
if [ $failed -ne 0 ]; then
	for f in "$work"/out* "$work"/err*; do sed "s|^|# $(basename "$f"): |" "$f"; done
fi
# verify restore-bootloader writes nothing: no FCB programmed (its option word is left out),
# no eFuse, the blank flash still blank; it differs, so it exits 1
mkdir "$work/d4"
"$sim" --camera OPENMV_RT1060:sdp --dump "$work/d4" -- "$rescue" verify restore-bootloader \
	--board OPENMV_RT1060 --dir "$work" >"$work/out4" 2>&1
check "verify restore-bootloader on a blank camera exits 1 (differs)" test $? -eq 1
python3 -c "import sys; d=open(sys.argv[1],'rb').read(); sys.exit(0 if d and d.count(255)==len(d) else 1)" \
	"$work/d4/OPENMV_RT1060.flexspi.bin"
check "verify restore-bootloader: the flash is still blank (no FCB, no SBL written)" test $? -eq 0
python3 -c "import sys; d=open(sys.argv[1],'rb').read(); sys.exit(0 if d.count(0)==len(d) else 1)" \
	"$work/d4/OPENMV_RT1060.fuses.bin"
check "verify restore-bootloader: no eFuse programmed" test $? -eq 0
tap_end
