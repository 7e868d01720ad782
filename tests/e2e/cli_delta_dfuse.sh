#!/bin/sh
# cli_delta_dfuse.sh SIMHOST RESCUE — delta mode and verify where the host erases: DfuSe by
# address (the Arduino bootloader of the Portenta, the ST ROM's restore-bootloader) reads the
# pages an image touches back and erases and writes only those that differ; the RT1062's
# blhost steps do the same with 4 KiB sectors.  Memories compared from --dump after each run;
# --full writes everything; verify flash compares and writes nothing.  Speaks TAP.
sim=$1
rescue=$2
name=cli_delta_dfuse
. "$(dirname "$0")/cli_lib.sh"
# uploads REC LEN: how many DFU UPLOADs of wLength LEN the recording REC holds, of blocks from 1
# (block 0 of an openmv_dfu bootloader is also read once to hold it in DFU; see exec.c)
uploads() { grep -c "\"type\":161,\"request\":2,\"value\":[1-9][0-9]*,\"index\":[0-9]*,\"length\":$2," "$1"; }
portenta() { # portenta DUMPDIR LOADFILE ARGS...: the Portenta whose 0x08040000 starts as LOADFILE
	_d=$1 _l=$2
	shift 2
	mkdir -p "$_d"
	"$sim" --dump "$_d" --camera ARDUINO_PORTENTA_H7:arduino-dfu --load "0x08040000=$_l" -- \
		"$rescue" "$@" >"$work/out" 2>&1
}
nodata() { ! grep -q "$1" "$work/out"; }

# ---- Portenta (Arduino DfuSe): 128 KiB pages from 0x08000000; the firmware at page 2 ----
firmware 0x20020000 $((0x08040000 + 0x301)) 300000 "$work/fw.bin" # 3 pages, the last in part
portenta "$work/same" "$work/fw.bin" flash --board ARDUINO_PORTENTA_H7 --firmware "$work/fw.bin" --yes
check "Portenta re-flash of the same firmware exits 0" test $? -eq 0
check "... all 3 pages already held it: nothing erased or written" \
	grep -q "0x08040000: 3 of 3 pages already held the image: writing 0 of 300000 bytes" "$work/out"
check "... the log counts the bytes written" grep -q "wrote 0 bytes at 0x08040000" "$work/out"
check "... the firmware is in place" same_at "$work/same/ARDUINO_PORTENTA_H7.flash.bin" $((0x40000)) "$work/fw.bin"
check "... and still read back in full" grep -q "every write verified" "$work/out"

flip "$work/fw.bin" $((131072 + 77)) "$work/old.bin" # the image's second page differs
portenta "$work/one" "$work/old.bin" flash --board ARDUINO_PORTENTA_H7 --firmware "$work/fw.bin" --yes
check "Portenta with one changed byte: exits 0" test $? -eq 0
check "... only its page is erased and written" \
	grep -q "0x08040000: 2 of 3 pages already held the image: writing 131072 of 300000 bytes" "$work/out"
check "... the firmware is in place byte for byte" \
	same_at "$work/one/ARDUINO_PORTENTA_H7.flash.bin" $((0x40000)) "$work/fw.bin"

cp "$work/fw.bin" "$work/stale.bin" # stale bytes after the image's end: its last page differs
head -c 1000 /dev/zero >>"$work/stale.bin"
portenta "$work/tail" "$work/stale.bin" flash --board ARDUINO_PORTENTA_H7 --firmware "$work/fw.bin" --yes
check "Portenta over stale bytes after the image: its last page is rewritten" \
	grep -q "0x08040000: 2 of 3 pages already held the image: writing 37856 of 300000 bytes" "$work/out"
check "... and reads 0xFF after the image, as after a full write" \
	erased_at "$work/tail/ARDUINO_PORTENTA_H7.flash.bin" $((0x40000 + 300000)) 1000

# a firmware new all through: each of its 3 pages is probed (64 bytes read at its start, ST
# AN3156's block 2), found different and not read further; the 4 KiB reads are the read-back
# after the write (73 blocks and the 992-byte end)
head -c 300000 /dev/urandom >"$work/other.bin"
portenta "$work/new" "$work/other.bin" flash --board ARDUINO_PORTENTA_H7 --firmware "$work/fw.bin" --yes \
	--record "$work/new.jsonl"
check "Portenta over a different firmware: the firmware in place" \
	same_at "$work/new/ARDUINO_PORTENTA_H7.flash.bin" $((0x40000)) "$work/fw.bin"
check "... its 3 pages probed with 64-byte reads, no 4 KiB read before the write" \
	sh -c "test \"$(uploads "$work/new.jsonl" 64) $(uploads "$work/new.jsonl" 4096)\" = '3 73'"

portenta "$work/full" "$work/fw.bin" flash --board ARDUINO_PORTENTA_H7 --firmware "$work/fw.bin" --yes --full
check "Portenta --full: every byte written" grep -q "wrote 300000 bytes at 0x08040000" "$work/out"
check "... saying why" grep -q -- "writing all 300000 bytes at 0x08040000: --full" "$work/out"
portenta "$work/nv" "$work/old.bin" flash --board ARDUINO_PORTENTA_H7 --firmware "$work/fw.bin" --yes --no-verify
check "Portenta --no-verify: written in full (the closed bootloader's erase is not proven)" \
	grep -q "writing all 300000 bytes at 0x08040000: the Arduino bootloader's erase rules" "$work/out"
check "... and the firmware is in place" same_at "$work/nv/ARDUINO_PORTENTA_H7.flash.bin" $((0x40000)) "$work/fw.bin"

portenta "$work/v1" "$work/fw.bin" verify flash --board ARDUINO_PORTENTA_H7 --firmware "$work/fw.bin"
check "Portenta verify of an equal camera exits 0" test $? -eq 0
check "... saying the image is equal" grep -q "fw.bin: equal to the memory at 0x08040000, all 300000 bytes" "$work/out"
check "... and that nothing was written" grep -q "^Verified: the camera holds the 1 image; nothing was written" "$work/out"
portenta "$work/v2" "$work/old.bin" verify flash --board ARDUINO_PORTENTA_H7 --firmware "$work/fw.bin"
check "Portenta verify of a camera that differs exits 1" test $? -eq 1
check "... naming the first differing address and the pages that differ" \
	grep -q "fw.bin: differs from the memory at 0x08040000 first at 0x0806004d; 1 of 3 pages differ" "$work/out"
check "... nothing written" nodata "wrote "
check "... and the camera is untouched" same_at "$work/v2/ARDUINO_PORTENTA_H7.flash.bin" $((0x40000)) "$work/old.bin"

# ---- ST ROM restore-bootloader on the H7: the bootloader region only, pages compared ----
head -c 100000 /dev/urandom >"$work/boot.bin"
flip "$work/boot.bin" 500 "$work/oldboot.bin"
mkdir -p "$work/st"
"$sim" --dump "$work/st" --camera OPENMV4:st-rom --load 0x08000000="$work/oldboot.bin" -- \
	"$rescue" restore-bootloader --board OPENMV4 --file "$work/boot.bin" --yes >"$work/out" 2>&1
check "ST ROM restore over a bootloader one byte off exits 0" test $? -eq 0
check "... its one page is erased and written" \
	grep -q "0x08000000: 0 of 1 pages already held the image: writing 100000 of 100000 bytes" "$work/out"
check "... the bootloader is in place" same_at "$work/st/OPENMV4.flash.bin" 0 "$work/boot.bin"
mkdir -p "$work/st2"
"$sim" --dump "$work/st2" --camera OPENMV4:st-rom --load 0x08000000="$work/boot.bin" -- \
	"$rescue" restore-bootloader --board OPENMV4 --file "$work/boot.bin" --yes >"$work/out" 2>&1
check "ST ROM restore of the same bootloader writes nothing" \
	grep -q "0x08000000: 1 of 1 pages already held the image: writing 0 of 100000 bytes" "$work/out"
check "... and leaves it in place" same_at "$work/st2/OPENMV4.flash.bin" 0 "$work/boot.bin"

# ---- RT1062 (blhost): 4 KiB sectors of the external NOR; the firmware at 0x60040000 ----
head -c 150001 /dev/urandom >"$work/firmware.bin" # 37 sectors, the last in part
rt() { # rt DUMPDIR LOADFILE ARGS...: the RT1062 in its secure bootloader, 0x60040000 = LOADFILE
	_d=$1 _l=$2
	shift 2
	mkdir -p "$_d"
	"$sim" --dump "$_d" --camera OPENMV_RT1060:sbl --load "0x60040000=$_l" -- \
		"$rescue" "$@" >"$work/out" 2>&1
}
rt "$work/r1" "$work/firmware.bin" flash --board OPENMV_RT1060 --firmware "$work/firmware.bin" --yes
check "RT1062 re-flash of the same firmware exits 0" test $? -eq 0
check "... no sector erased or written" \
	grep -q "0x60040000: 37 of 37 sectors already held the image: writing 0 of 150001 bytes" "$work/out"
check "... the firmware is in place" same_at "$work/r1/OPENMV_RT1060.flexspi.bin" $((0x40000)) "$work/firmware.bin"
check "... and read back in full" grep -q "every write verified" "$work/out"
flip "$work/firmware.bin" $((5 * 4096 + 77)) "$work/oldfw.bin"
rt "$work/r2" "$work/oldfw.bin" flash --board OPENMV_RT1060 --firmware "$work/firmware.bin" --yes
check "RT1062 with one changed byte: only its sector" \
	grep -q "0x60040000: 36 of 37 sectors already held the image: writing 4096 of 150001 bytes" "$work/out"
check "... the firmware is in place byte for byte" \
	same_at "$work/r2/OPENMV_RT1060.flexspi.bin" $((0x40000)) "$work/firmware.bin"
rt "$work/r3" "$work/oldfw.bin" flash --board OPENMV_RT1060 --firmware "$work/firmware.bin" --yes --full
check "RT1062 --full: erased and written in full, saying why" \
	grep -q -- "erasing and writing all of 0x60040000: --full" "$work/out"
check "... the firmware is in place" same_at "$work/r3/OPENMV_RT1060.flexspi.bin" $((0x40000)) "$work/firmware.bin"
rt "$work/r4" "$work/firmware.bin" verify flash --board OPENMV_RT1060 --firmware "$work/firmware.bin"
check "RT1062 verify of an equal camera exits 0" test $? -eq 0
check "... saying the image is equal" \
	grep -q "firmware.bin: equal to the flash at 0x60040000, all 150001 bytes" "$work/out"
rt "$work/r5" "$work/oldfw.bin" verify flash --board OPENMV_RT1060 --firmware "$work/firmware.bin"
check "RT1062 verify of a camera that differs exits 1" test $? -eq 1
check "... naming the first differing address and the sectors" \
	grep -q "firmware.bin: differs from the flash at 0x60040000 first at 0x6004504D; 1 of 37 sectors differ" "$work/out"
check "... nothing erased" nodata "erasing "
check "... and the camera is untouched" same_at "$work/r5/OPENMV_RT1060.flexspi.bin" $((0x40000)) "$work/oldfw.bin"
tap_end
