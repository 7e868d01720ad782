#!/bin/sh
# cli_identity.sh SIMHOST RESCUE — a device that has the right VID:PID but is not the board
# named (openmv-rescue-sim's "impostor" option: other alt names, other DfuSe memory layouts,
# another chip) is refused by every family before anything is written: exit 2, one line naming
# what differs and "nothing was written", and every memory of the camera byte for byte as it
# was.  The genuine devices pass the same check (their identity is logged).  Speaks TAP.
sim=$1
rescue=$2
name=cli_identity
. "$(dirname "$0")/cli_lib.sh"
le32() { printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"; }
firmware() { # firmware SP RESET SIZE FILE: a vector table that fits the board
	{ le32 "$1"; le32 "$2"; head -c $(($3 - 8)) /dev/urandom; } >"$4"
}
untouched() { # untouched BEFORE AFTER: every memory dump the same
	[ -n "$(ls "$1")" ] || return 1
	for f in "$1"/*.bin; do
		cmp -s "$f" "$2/$(basename "$f")" || return 1
	done
}
refused() { # refused LABEL WORDS CAMERA RESCUE-ARGS...: exit 2, the words, memory untouched
	label=$1 words=$2 camera=$3
	shift 3
	rm -rf "$work/before" "$work/after"
	mkdir -p "$work/before" "$work/after"
	"$sim" --camera "$camera" --dump "$work/before" -- true
	"$sim" --camera "$camera" --dump "$work/after" -- "$rescue" "$@" --yes >"$work/out" 2>&1
	status=$?
	check "$label: exit 2 (got $status)" test $status -eq 2
	check "$label: one line naming what differs" grep -q "$words.*nothing was written" "$work/out"
	check "$label: every memory as it was" untouched "$work/before" "$work/after"
}

firmware 0x00010000 $((0x08040000 + 0x201)) 50001 "$work/h7.bin"
head -c 20000 /dev/urandom >"$work/romfs0.img"
head -c 20000 /dev/urandom >"$work/boot.bin"
firmware 0x20020000 $((0x08040000 + 0x301)) 40001 "$work/ard.bin"
head -c 43308 /dev/urandom >"$work/nano33.bin"
i=0
while [ $i -lt 4 ]; do # four UF2 blocks for 0x10000000.. (family RP2040)
	le32 0x0A324655; le32 0x9E5D5157; le32 0x2000; le32 $((0x10000000 + 256 * i)); le32 256; le32 $i; le32 4
	le32 0xE48BFF56; head -c 256 /dev/urandom; head -c 220 /dev/zero; le32 0x0AB16F30
	i=$((i + 1))
done >"$work/firmware.uf2"

# ---- openmv_dfu: alt names ---------------------------------------------------------------
refused "H7 impostor (alt 2 'Flash')" "alt 2 is named 'Flash', not FIRMWARE: it is not an OpenMV Cam H7 bootloader" \
	OPENMV4:bootloader,impostor flash --board OPENMV4 --firmware "$work/h7.bin" --romfs "$work/romfs0.img"
refused "H7 impostor, erase-fs" "alt 2 is named 'Flash'" OPENMV4:bootloader,impostor erase-fs --board OPENMV4
refused "AE3 impostor, erase-fs" "alt 2 is named 'Flash', not HE" OPENMV_AE3:bootloader,impostor erase-fs --board OPENMV_AE3
refused "N6 impostor, erase-fs" "alt 2 is named 'Flash', not FILESYSTEM" OPENMV_N6:bootloader,impostor erase-fs --board OPENMV_N6
# a running camera is reset into its bootloader first; the impostor is caught there too
refused "H7 impostor reached from its firmware" "alt 2 is named 'Flash'" \
	OPENMV4:firmware,after-leave=bootloader,impostor erase-fs --board OPENMV4

# ---- ST ROM and Arduino DfuSe: the memory layout must hold what is written ----------------
refused "ST ROM impostor (no flash at 0x08000000)" "does not hold 0x08000000" \
	OPENMV4:st-rom,impostor restore-bootloader --board OPENMV4 --file "$work/boot.bin"
# the firmware (alt 0) would fit; the ROMFS (alt 1) would not: nothing is written, not even alt 0
refused "Arduino DfuSe impostor (alt 1 holds no 0x90B00000)" "alt 1 is .* does not hold 0x90B00000" \
	ARDUINO_PORTENTA_H7:arduino-dfu,impostor flash --board ARDUINO_PORTENTA_H7 --firmware "$work/ard.bin" --romfs "$work/romfs0.img"
refused "Arduino DfuSe impostor, erase-fs" "does not hold 0x90000000" \
	ARDUINO_NICLA_VISION:arduino-dfu,impostor erase-fs --board ARDUINO_NICLA_VISION

# ---- SAM-BA: the chip; PICOBOOT: the boot ROM ----------------------------------------------
refused "Nano 33 BLE impostor (another nRF52)" "reports a 'nRF52832-QFAA' chip, not the nRF52840" \
	ARDUINO_NANO_33_BLE_SENSE:samba,impostor flash --board ARDUINO_NANO_33_BLE_SENSE --firmware "$work/nano33.bin"
refused "Nano RP2040 impostor (not an RP2040 boot ROM)" "not an RP2040" \
	ARDUINO_NANO_RP2040_CONNECT:bootsel,impostor flash --board ARDUINO_NANO_RP2040_CONNECT --firmware "$work/firmware.uf2"

# ---- NXP MCU bootloader: get-property 1 must be a 'K' version -----------------------------
refused "RT1062 secure-bootloader impostor" "version is 0x50010000, not K" \
	OPENMV_RT1060:sbl,impostor erase-fs --board OPENMV_RT1060
refused "RT1062 flashloader impostor" "it is not the NXP MCU bootloader of the OpenMV Cam RT1062" \
	OPENMV_RT1060:flashloader,impostor flash --board OPENMV_RT1060 --firmware "$work/h7.bin"

# ---- the AE3's Secure Enclave: the part it reports -------------------------------------------
crc32() { gzip -c | tail -c 8 | head -c 4; }
zeros() { head -c "$1" /dev/zero; }
mkdir -p "$work/ae3"
head -c 5000 /dev/urandom >"$work/ae3/bootloader.bin"
for f in firmware_M55_HP.bin firmware_M55_HE.bin romfs1.img romfs0.img; do head -c 3000 /dev/urandom >"$work/ae3/$f"; done
{ printf 'OEMTOC01\040\000\001\000\040\000\002\000'; zeros 16; zeros 20; printf 'HP_BOOT'; zeros 5; } >"$work/toc.hdr"
{ zeros $((8192 - 16 - 64)); cat "$work/toc.hdr"; crc32 <"$work/toc.hdr"; zeros 12; } >"$work/ae3/firmware_pad.toc"
refused "AE3 Secure Enclave impostor (an E7's part)" "reports part AE722F80F55D5LS, not AE302F80F55D5AE" \
	OPENMV_AE3:se,impostor restore-bootloader --board OPENMV_AE3 --dir "$work/ae3"

# ---- the N6 boot ROM and OpenBootloader: every STM32 ROM is 0483:DF11 ----------------------
mkdir -p "$work/n6"
printf 'P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\tobl.stm32\nP\t0x3\tfsbl-extfl\tBinary\tnone\t0x0\textfl.bin\n' >"$work/n6/FlashLayout.tsv"
printf 'P\t0x4\tfsbl-app\tBinary\tnor0\t0x0\tbootloader.bin\n' >>"$work/n6/FlashLayout.tsv"
head -c 30000 /dev/urandom >"$work/n6/obl.stm32"
head -c 5000 /dev/urandom >"$work/n6/extfl.bin"
head -c 70000 /dev/urandom >"$work/n6/bootloader.bin"
# the realistic impostor: the person chose the N6, an H7 waits in its ST ROM (the same 0483:DF11)
refused "N6 chosen, an H7's ST ROM answers" "has no FSBL alt (its alt 0 is '@Internal Flash.*not the OpenMV Cam N6's boot ROM" \
	OPENMV4:st-rom restore-bootloader --board OPENMV_N6 --file "$work/n6/FlashLayout.tsv"
refused "N6 ROM impostor (an STM32MP's FSBL alt)" "alt 0 is '@FSBL /0x01/1\*1Me', not FSBL /0x34180400: it is not the OpenMV Cam N6's boot ROM" \
	OPENMV_N6:st-rom,impostor restore-bootloader --board OPENMV_N6 --file "$work/n6/FlashLayout.tsv"
refused "N6 OpenBootloader impostor (alt 2 a user partition)" "alt 2 is '@ssbl /0x10/1\*2Me', not phase 0x04: it is not the OpenMV Cam N6's OpenBootloader" \
	OPENMV_N6:openbootloader,impostor restore-bootloader --board OPENMV_N6 --file "$work/n6/FlashLayout.tsv"
"$sim" --camera OPENMV_N6:st-rom -- "$rescue" restore-bootloader --board OPENMV_N6 --file "$work/n6/FlashLayout.tsv" --yes >"$work/out" 2>&1
check "genuine N6 restore exits 0" test $? -eq 0
check "the N6 ROM's identity is logged" grep -q "identity: 5 alts FSBL /0x34180400, RSSE_FW /0xF3, RSSE_BLOB /0xF5, RSSE_PLUGIN /0xF6, virtual /0xF1; transfer size 1024" "$work/out"
check "OpenBootloader's identity is logged" grep -q "identity: 6 alts FlashLayout /0x0, ExtMemLoader /0x3, Partition4 /0x4, virtual /0xF1, OTP /0xF2, Partition5 /0x5; transfer size 1024" "$work/out"

# ---- the genuine devices pass, and say what they are --------------------------------------
"$sim" --camera OPENMV4:bootloader -- "$rescue" erase-fs --board OPENMV4 --yes >"$work/out" 2>&1
check "genuine H7 erase-fs exits 0" test $? -eq 0
check "its identity is logged" grep -q "identity: 4 alts BOOTLOADER, FILESYSTEM, FIRMWARE, ROMFS0; transfer size 4096; bootloader 1.0.2" "$work/out"  # the model's default bl=
"$sim" --camera OPENMV4:st-rom -- "$rescue" restore-bootloader --board OPENMV4 --file "$work/boot.bin" --yes >"$work/out" 2>&1
check "genuine ST ROM restore exits 0" test $? -eq 0
tap_end
