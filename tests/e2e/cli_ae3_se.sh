#!/bin/sh
# cli_ae3_se.sh SIMHOST RESCUE — the OpenMV AE3's bootloader restore from the command line,
# against openmv-rescue-sim's AE3 in mode se: its Secure Enclave (tests/sim/models/model_alif_se)
# on an FTDI /dev/ttyUSB below the bridge's own USB device 0403:6015, the camera's USB quiet.
# openmv-rescue writes bootloader.bin and firmware_pad.toc into MRAM over the SE's serial ISP;
# the virtual person then power-cycles the camera with the hard-maintenance switch off, its
# openmv_dfu bootloader 37C5:96E3 enumerates, and the four images follow in the same run
# (seed 003 "OpenMV AE3", seed 002 §10.7.6; reference alif-isp-openmv-ide-n6.md §1).
# The whole MRAM is compared byte for byte from --dump.  Speaks TAP.
sim=$1
rescue=$2
name=cli_ae3_se
probe=OPENMV_AE3:se
diag='$work/$last.out'
diag_lines=15
. "$(dirname "$0")/cli_lib.sh"
last=none
has() { grep -q "$1" "$2"; }
put() { dd if="$3" of="$1" bs=4096 seek=$(($2)) oflag=seek_bytes conv=notrunc status=none; } # put FILE OFFSET SRC
zeros() { head -c "$1" /dev/zero; }
le32() { printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"; }
crc32() { gzip -c | tail -c 8 | head -c 4; } # the gzip trailer: CRC-32 of the input, little-endian
mram_size=$((0x600000))

# ---- the inputs: a bootloader that is no multiple of 16, a TOC that fills alt 4 ----------
head -c 5000 /dev/urandom >"$work/bootloader.bin"
# firmware_pad.toc: zeros, then the OEMTOC01 header with one 32-byte entry, and the tail with
# the header's CRC-32 (§1.10); 8192 bytes, the size of alt 4
{ printf 'OEMTOC01\040\000\001\000\040\000\002\000'; zeros 16; zeros 20; printf 'HP_BOOT'; zeros 5; } >"$work/toc.hdr"
{ zeros $((8192 - 16 - 64)); cat "$work/toc.hdr"; crc32 <"$work/toc.hdr"; zeros 12; } >"$work/firmware_pad.toc"
head -c 200001 /dev/urandom >"$work/firmware_M55_HP.bin"
head -c 100003 /dev/urandom >"$work/firmware_M55_HE.bin"
head -c 50000 /dev/urandom >"$work/romfs1.img"
head -c 70000 /dev/urandom >"$work/romfs0.img"
mkdir "$work/images"
cp "$work"/*.bin "$work/firmware_pad.toc" "$work"/romfs*.img "$work/images/"

# The MRAM after the run: the SE model's fill (0xA5), the word that points at the system
# package (§1.8), bootloader.bin zero-padded to 16 bytes at 0x80000000, the TOC at 0x8057E000,
# then the three MRAM images of the flash at their alts (seed 002 §10.7.6).
expect_mram() { # expect_mram FILE
	head -c $mram_size /dev/zero | tr '\0' '\245' >"$1"
	le32 0x00580000 >"$work/word"
	put "$1" $((mram_size - 4)) "$work/word"
	{ cat "$work/bootloader.bin"; zeros 8; } >"$work/boot.padded"
	put "$1" 0 "$work/boot.padded"
	put "$1" 0x57E000 "$work/firmware_pad.toc"
	put "$1" 0x20000 "$work/firmware_M55_HP.bin"
	put "$1" 0x320000 "$work/firmware_M55_HE.bin"
	put "$1" 0x47E000 "$work/romfs1.img"
}
romfs0_in_ospi() { # the fourth image: ROMFS0 in the OSPI flash at 0x800000 (alt 6)
	dd if="$1" bs=4096 iflag=skip_bytes,count_bytes skip=$((0x800000)) count=70000 status=none |
		cmp -s - "$work/romfs0.img"
}
run() { # run NAME CAMERA [RESCUE ARGS...]
	name=$1 camera=$2
	last=$name
	shift 2
	mkdir -p "$work/$name"
	HOME="$work" "$sim" --camera "$camera" --dump "$work/$name" -- \
		"$rescue" restore-bootloader --board OPENMV_AE3 --dir "$work/images" --yes --timeout 30 "$@" \
		>"$work/$name.out" 2>&1
	status=$?
	echo "(exit status $status)" >>"$work/$name.out"
	return $status
}

# ---- SERAM answering: soft maintenance, the write, the power cycle, the four images -------
run seram OPENMV_AE3:se
check "SERAM: restore-bootloader exits 0" test $? -eq 0
check "SERAM: all 11 steps done" has "restore-bootloader: all 11 steps done" "$work/seram.out"
check "SERAM: soft maintenance (the SE restarts into it)" has "Putting the Secure Enclave into maintenance mode" "$work/seram.out"
check "SERAM: after the power cycle the openmv_dfu bootloader 37C5:96E3 appeared" has "found OpenMV DFU bootloader 37C5:96E3" "$work/seram.out"
expect_mram "$work/expect.mram"
check "SERAM: MRAM byte-exact: bootloader at 0x80000000, TOC at 0x8057E000, HP, HE, ROMFS1, the rest untouched" \
	cmp -s "$work/seram/OPENMV_AE3.mram.bin" "$work/expect.mram"
check "SERAM: romfs0.img in the OSPI flash at 0x800000" romfs0_in_ospi "$work/seram/OPENMV_AE3.ospi.bin"
check "SERAM: the SE firmware version named" has "Secure Enclave firmware: SES B4 v1.104.0" "$work/seram.out"
check "SERAM: bootloader.bin read back from MRAM (MRAM_READ) and equal" \
	has "bootloader.bin: equal to the MRAM at 0x80000000, all 5008 bytes" "$work/seram.out"
check "SERAM: firmware_pad.toc read back and equal" has "firmware_pad.toc: equal to the MRAM at 0x8057E000" "$work/seram.out"
check "SERAM: the run says every write was verified" has "every write verified" "$work/seram.out"
check "SERAM: HP written whole: its read-back claims no rest found equal before" \
	has "read 200001 bytes back from alt 1: equal to the image$" "$work/seram.out"

# ---- a write the SE acknowledges but MRAM does not hold: the read-back catches it ---------
run flip OPENMV_AE3:se,se-fault=flip@3
check "flipped byte: restore-bootloader fails" test $? -ne 0
check "flipped byte: the read-back names the address (the third 240-byte packet's first byte)" \
	has "reads back other bytes first at 0x800001E0 (1 of 313 16-byte lines differ)" "$work/flip.out"
check "flipped byte: nothing after it runs (no TOC written, no flash)" \
	sh -c "! grep -q 'Writing .*firmware_pad.toc' '$work/flip.out' && ! grep -q 'found OpenMV DFU bootloader' '$work/flip.out'"

# ---- verify restore-bootloader: MRAM_READ compares, nothing is written --------------------
vrun() { # vrun NAME CAMERA [SIM ARGS...]
	name=$1 camera=$2
	last=$name
	shift 2
	mkdir -p "$work/$name"
	HOME="$work" "$sim" --camera "$camera" --dump "$work/$name" "$@" -- \
		"$rescue" verify restore-bootloader --board OPENMV_AE3 --dir "$work/images" --yes --timeout 30 \
		>"$work/$name.out" 2>&1
	status=$?
	echo "(exit status $status)" >>"$work/$name.out"
	return $status
}
vrun vsame OPENMV_AE3:se --load OPENMV_AE3:alt0="$work/boot.padded" --load OPENMV_AE3:alt4="$work/firmware_pad.toc" \
	--load OPENMV_AE3:alt1="$work/firmware_M55_HP.bin" --load OPENMV_AE3:alt2="$work/firmware_M55_HE.bin" \
	--load OPENMV_AE3:alt3="$work/romfs1.img" --load OPENMV_AE3:alt6="$work/romfs0.img"
check "verify, the camera holds every image: exit 0" test $? -eq 0
check "verify: the bootloader compared over MRAM_READ" has "bootloader.bin: equal to the MRAM at 0x80000000" "$work/vsame.out"
check "verify: the TOC compared" has "firmware_pad.toc: equal to the MRAM at 0x8057E000" "$work/vsame.out"
check "verify: all six images equal, nothing written" has "Verified: the camera holds all 6 images; nothing was written" "$work/vsame.out"
check "verify: the system package step is left out" has "is left out: it would write" "$work/vsame.out"
vrun vdiff OPENMV_AE3:se
check "verify, a blank camera: exit 1" test $? -eq 1
check "verify: the bootloader differs from its first line" \
	has "bootloader.bin: differs from the MRAM first at 0x80000000; 313 of 313 16-byte lines differ" "$work/vdiff.out"
head -c $mram_size /dev/zero | tr '\0' '\245' >"$work/blank.mram"
le32 0x00580000 >"$work/word"
put "$work/blank.mram" $((mram_size - 4)) "$work/word"
check "verify: the MRAM is as it was (nothing written)" cmp -s "$work/vdiff/OPENMV_AE3.mram.bin" "$work/blank.mram"

# ---- an SE that answers nothing until the hard-maintenance handshake (seed 003, §1.8) ------
run silent OPENMV_AE3:se,se-silent,se-version=1.110.2
check "silent SE: restore-bootloader exits 0" test $? -eq 0
check "silent SE: the hard-maintenance handshake was sent and answered" \
	has "The Secure Enclave answered the handshake: it is in hard-maintenance mode" "$work/silent.out"
check "silent SE: its version comes from the option (se-version=1.110.2)" has "SES B4 v1.110.2" "$work/silent.out"
check "silent SE: MRAM byte-exact, the four images after it" cmp -s "$work/silent/OPENMV_AE3.mram.bin" "$work/expect.mram"
check "silent SE: romfs0.img in the OSPI flash" romfs0_in_ospi "$work/silent/OPENMV_AE3.ospi.bin"

# ---- ROM recovery (SEROM): the system package is rewritten from ROM first (§1.8) ----------
mkdir "$work/package"
head -c 3000 /dev/urandom >"$work/package/SP-AE302F80F55D5AE-rev-b4.bin"
{ zeros 12; le32 0x00580000; } >"$work/package/offset-58-rev-b4.bin"
run serom OPENMV_AE3:se,se=serom --image system-package="$work/package"
check "SEROM: restore-bootloader exits 0" test $? -eq 0
check "SEROM: the ROM recovery ran" has "ROM recovery mode (SEROM" "$work/serom.out"
put "$work/expect.mram" 0x580000 "$work/package/SP-AE302F80F55D5AE-rev-b4.bin"
zeros 8 >"$work/pad8"
put "$work/expect.mram" $((0x580000 + 3000)) "$work/pad8"
put "$work/expect.mram" 0x5FFFF0 "$work/package/offset-58-rev-b4.bin"
check "SEROM: MRAM byte-exact: package at 0x80580000, offset word at 0x805FFFF0, bootloader, TOC, images" \
	cmp -s "$work/serom/OPENMV_AE3.mram.bin" "$work/expect.mram"

# ---- an SE bridge only an AE3 has ---------------------------------------------------------
"$sim" --camera OPENMV4:se -- true >"$work/bad.out" 2>&1
check "mode se on an H7 is refused by the simulator" has "no Secure Enclave" "$work/bad.out"

tap_end
