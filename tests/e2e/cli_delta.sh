#!/bin/sh
# cli_delta.sh SIMHOST RESCUE — delta mode and verify on openmv_dfu cameras: a re-flash reads
# each partition back and writes only the erase units that differ (the unit of block 0 always),
# memories compared from --dump after each run; --full writes everything; verify flash compares
# and writes nothing.  Speaks TAP.
sim=$1
rescue=$2
name=cli_delta
. "$(dirname "$0")/cli_lib.sh"
# uploads REC LEN: how many DFU UPLOADs of wLength LEN the recording REC holds, of blocks from 1
# (block 0 of an openmv_dfu bootloader is also read once to hold it in DFU; see exec.c)
uploads() { grep -c "\"type\":161,\"request\":2,\"value\":[1-9][0-9]*,\"index\":[0-9]*,\"length\":$2," "$1"; }
h7() { # h7 DUMPDIR LOADFILE ARGS...: flash the virtual H7 whose alt 2 starts as LOADFILE
	_d=$1 _l=$2
	shift 2
	mkdir -p "$_d"
	"$sim" --dump "$_d" --camera OPENMV4:bootloader --load "alt2=$_l" -- \
		"$rescue" "$@" >"$work/out" 2>&1
}

# ---- the H7: 128 KiB sectors from 0x08000000; FIRMWARE (alt 2) starts at sector 2 ----
firmware 0x20010000 $((0x08040000 + 0x201)) 1703936 "$work/fw.bin" # 13 sectors exactly
h7 "$work/same" "$work/fw.bin" flash --board OPENMV4 --firmware "$work/fw.bin" --yes
check "H7 re-flash of the same firmware exits 0" test $? -eq 0
check "... 12 of 13 sectors already held it: only the first sector is written" \
	grep -q "alt 2: 12 of 13 sectors already held the image: writing 131072 of 1703936 bytes" "$work/out"
check "... the log counts the bytes written" grep -q "wrote 131072 bytes to alt 2" "$work/out"
check "... the firmware is in place" same_at "$work/same/OPENMV4.flash.bin" $((0x40000)) "$work/fw.bin"
check "... what was written is read back after the write" \
	grep -q "read 131072 bytes back from alt 2: equal to the image (the rest was read and found equal before the write)" "$work/out"
check "... and the result counts every write verified" grep -q "every write verified" "$work/out"
check "... and says how much it wrote and left alone" \
	grep -q "^Wrote 128.0 KiB; 1.5 MiB the camera already held were left alone.$" "$work/out"

flip "$work/fw.bin" $((5 * 131072 + 77)) "$work/old.bin" # sector 5 of the image differs
h7 "$work/one" "$work/old.bin" flash --board OPENMV4 --firmware "$work/fw.bin" --yes
check "H7 with one changed byte: exits 0" test $? -eq 0
check "... 11 of 13 sectors left alone, two written (the first and the changed one)" \
	grep -q "alt 2: 11 of 13 sectors already held the image: writing 262144 of 1703936 bytes" "$work/out"
check "... the firmware is in place byte for byte" same_at "$work/one/OPENMV4.flash.bin" $((0x40000)) "$work/fw.bin"

# an image that ends inside a sector: after it, a full write leaves 0xFF; stale bytes there
# make the sector count as changed
firmware 0x20010000 $((0x08040000 + 0x201)) 300000 "$work/short.bin"
cp "$work/short.bin" "$work/stale.bin"
head -c 1000 /dev/zero >>"$work/stale.bin"
h7 "$work/tail" "$work/stale.bin" flash --board OPENMV4 --firmware "$work/short.bin" --yes
check "H7 short image over stale bytes: its last sector is rewritten" \
	grep -q "alt 2: 1 of 3 sectors already held the image: writing 168928 of 300000 bytes" "$work/out"
check "... and reads 0xFF after the image, as after a full write" \
	erased_at "$work/tail/OPENMV4.flash.bin" $((0x40000 + 300000)) 1000

# a firmware new all through: the first sector is written unread; the next 8 are probed (their
# first 64 bytes read alone, which differ), the other 4 written unread; the 4 KiB reads are
# the read-back after the write, 416 blocks (415 from block 1)
head -c 1703936 /dev/urandom >"$work/other.bin"
h7 "$work/new" "$work/other.bin" flash --board OPENMV4 --firmware "$work/fw.bin" --yes --record "$work/new.jsonl"
check "H7 over a different firmware: exits 0, the firmware in place" \
	same_at "$work/new/OPENMV4.flash.bin" $((0x40000)) "$work/fw.bin"
check "... 8 sectors probed with 64-byte reads, no 4 KiB read before the write" \
	sh -c "test \"$(uploads "$work/new.jsonl" 64) $(uploads "$work/new.jsonl" 4096)\" = '8 415'"

h7 "$work/full" "$work/fw.bin" flash --board OPENMV4 --firmware "$work/fw.bin" --yes --full
check "H7 --full: every byte written" grep -q "wrote 1703936 bytes to alt 2" "$work/out"
check "... saying why" grep -q -- "--full: writing all of alt 2" "$work/out"
check "... and the result says all of it was rewritten" \
	grep -q "^Wrote 1.6 MiB (--full: every unit rewritten).$" "$work/out"

# ---- verify: compare, write nothing ----
h7 "$work/v1" "$work/fw.bin" verify flash --board OPENMV4 --firmware "$work/fw.bin"
check "verify of an equal camera exits 0" test $? -eq 0
check "... saying the image is equal" grep -q "fw.bin: equal to alt 2 (FIRMWARE), all 1703936 bytes" "$work/out"
check "... and that nothing was written" grep -q "^Verified: the camera holds the 1 image; nothing was written" "$work/out"
check "... its step says it compares, not writes" \
	grep -q "^\[2/2\] Compare with the camera, writing nothing: .*fw.bin to alt 2 (FIRMWARE)" "$work/out"
h7 "$work/v2" "$work/old.bin" verify flash --board OPENMV4 --firmware "$work/fw.bin"
check "verify of a camera that differs exits 1" test $? -eq 1
check "... naming the first differing address and the sectors that differ" \
	grep -q "fw.bin: differs from alt 2 (FIRMWARE) first at 0x080e004d; 1 of 13 sectors differ" "$work/out"
check "... and the camera is untouched" same_at "$work/v2/OPENMV4.flash.bin" $((0x40000)) "$work/old.bin"
"$rescue" verify flash --board OPENMV1 --firmware "$work/fw.bin" >"$work/out" 2>&1
check "verify on a board no method reads back: exit 2 with the reason" \
	sh -c "test $? -eq 2 && grep -q 'verify reads back cameras flashed by' '$work/out'"
"$rescue" verify flash --board OPENMV4 --firmware "$work/fw.bin" --full >"$work/out" 2>&1
check "verify --full is bad usage (exit 2)" test $? -eq 2
"$rescue" verify erase-fs --board OPENMV4 >"$work/out" 2>&1
check "verify of another action is bad usage (exit 2)" test $? -eq 2

# ---- the AE3: four images, MRAM written in place in 4 KiB blocks, OSPI in 4 KiB sectors ----
for f in hp:200000 he:100000 r1:50000 r0:400000; do
	head -c "${f#*:}" /dev/urandom >"$work/ae3-${f%:*}.bin"
done
ae3() { # ae3 DUMPDIR ARGS...: the AE3 preloaded with the four images
	_d=$1
	shift
	mkdir -p "$_d"
	"$sim" --dump "$_d" --camera OPENMV_AE3:bootloader --load "alt1=$work/ae3-hp.bin" \
		--load "alt2=$work/ae3-he.bin" --load "alt3=$work/ae3-r1.bin" --load "alt6=$work/ae3-r0.bin" -- \
		"$rescue" "$@" >"$work/out" 2>&1
}
ae3args="--board OPENMV_AE3 --image firmware_M55_HP.bin=$work/ae3-hp.bin --image firmware_M55_HE.bin=$work/ae3-he.bin --image romfs1.img=$work/ae3-r1.bin --image romfs0.img=$work/ae3-r0.bin"
ae3 "$work/ae3" flash $ae3args --yes
check "AE3 re-flash of four unchanged images exits 0" test $? -eq 0
check "... each writes only its first 4 KiB block" \
	test "$(grep -c 'already held the image: writing 4096 of' "$work/out")" -eq 4
check "... HP in MRAM in place" same_at "$work/ae3/OPENMV_AE3.mram.bin" $((0x20000)) "$work/ae3-hp.bin"
check "... ROMFS0 in OSPI in place" same_at "$work/ae3/OPENMV_AE3.ospi.bin" $((0x800000)) "$work/ae3-r0.bin"
flip "$work/ae3-hp.bin" 150000 "$work/ae3-hp2.bin"
ae3 "$work/ae3b" flash --board OPENMV_AE3 --image firmware_M55_HP.bin="$work/ae3-hp2.bin" \
	--image firmware_M55_HE.bin="$work/ae3-he.bin" --image romfs1.img="$work/ae3-r1.bin" \
	--image romfs0.img="$work/ae3-r0.bin" --yes
check "AE3 with HP changed: HP writes two blocks" grep -q "alt 1: 47 of 49 blocks already held the image: writing 8192 of 200000 bytes" "$work/out"
check "... and HP is the new image byte for byte" same_at "$work/ae3b/OPENMV_AE3.mram.bin" $((0x20000)) "$work/ae3-hp2.bin"
# ---- verify restore-bootloader: the AE3's SE reads MRAM back (cli_ae3_se.sh); the N6's ROM
# cannot, so its plan reads the bootloader back through itself (n6_restore_e2e.sh)
mkdir -p "$work/se"
for f in bootloader.bin firmware_M55_HP.bin firmware_M55_HE.bin romfs1.img romfs0.img; do
	head -c 5000 /dev/urandom >"$work/se/$f"
done
# firmware_pad.toc: zeros, then the OEMTOC01 header with one entry and its CRC-32 (as in
# cli_ae3_se.sh), 8192 bytes
{ printf 'OEMTOC01\040\000\001\000\040\000\002\000'; head -c 36 /dev/zero; printf 'HP_BOOT'; head -c 5 /dev/zero; } >"$work/toc.hdr"
{ head -c $((8192 - 16 - 64)) /dev/zero; cat "$work/toc.hdr"; gzip -c <"$work/toc.hdr" | tail -c 8 | head -c 4; head -c 12 /dev/zero; } >"$work/se/firmware_pad.toc"
"$rescue" verify restore-bootloader --board OPENMV_AE3 --dir "$work/se" --timeout 2 </dev/null >"$work/out" 2>&1
st=$?
check "verify restore-bootloader on the AE3 with no camera: a non-zero exit" test $st -ne 0
check "... it waited for the Secure Enclave's serial port, and wrote nothing" \
	grep -q "Secure Enclave.*did not appear\|no Secure Enclave" "$work/out"
"$rescue" restore-bootloader --board OPENMV_AE3 --dir "$work/se" --dry-run >"$work/out" 2>&1
check "... and its plan says the SE writes in full, and reads it back" \
	grep -q "written into MRAM in full (no delta mode: the Secure Enclave's ISP reads MRAM back only 16 bytes a command), then read back and compared" "$work/out"
printf '#Opt\tId\tName\tType\tIP\tOffset\tBinary\nP\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\tobl.stm32\nP\t0x3\tfsbl-extfl\tBinary\tnone\t0x0\text.bin\nP\t0x4\tfsbl-app\tBinary\tnor0\t0x0\tbootloader.bin' >"$work/se/FlashLayout.tsv"
head -c 7000 /dev/urandom >"$work/se/obl.stm32"
head -c 900 /dev/urandom >"$work/se/ext.bin"
"$rescue" verify restore-bootloader --board OPENMV_N6 --file "$work/se/FlashLayout.tsv" --dry-run </dev/null >"$work/out" 2>&1
st=$?
check "verify restore-bootloader on the N6 plans no ROM step: it reads the bootloader back through itself" \
	sh -c "test $st -eq 0 && grep -q 'Read alt 0 (BOOTLOADER) back and compare it with the image' '$work/out' && \
	! grep -q 'STM32_Programmer_CLI' '$work/out'"
check "... saying why" grep -q "The restored bootloader is read back through itself (alt 0): the STM32 ROM's phase protocol reads nothing back" "$work/out"
"$rescue" restore-bootloader --board OPENMV_N6 --file "$work/se/FlashLayout.tsv" --dry-run >"$work/out" 2>&1
check "... and its plan says the N6 restore writes in full, and why" \
	grep -q "The bootloader is written in full: the STM32 ROM's rules for reading" "$work/out"
"$rescue" verify restore-bootloader --board ARDUINO_GIGA --firmware "$work/fw.bin" >"$work/out" 2>&1
st=$?
check "verify of an action a board does not have: exit 2 with the board's reason" \
	sh -c "test $st -eq 2 && grep -q 'has no restore-bootloader' '$work/out'"
tap_end
