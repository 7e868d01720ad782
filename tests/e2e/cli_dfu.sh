#!/bin/sh
# cli_dfu.sh SIMHOST RESCUE — every DFU board and action from the command line against the
# virtual cameras (openmv-rescue-sim), memories compared byte for byte from --dump; wrong
# inputs refused before anything is written; injected faults end with one line, a non-zero
# exit, no hang, and the bootloader region untouched.  Speaks TAP.
sim=$1
rescue=$2
name=cli_dfu
. "$(dirname "$0")/cli_lib.sh"
one_line_error() { # the last line on stderr names the problem, exit status as expected
	[ "$(grep -c '^openmv-rescue: ' "$1")" -ge 1 ]
}
run() { # run OUT DUMPDIR SIMARGS... -- RESCUEARGS...
	out=$1 dump=$2
	shift 2
	mkdir -p "$dump"
	"$sim" --dump "$dump" "$@" >"$out" 2>&1
}

head -c 70000 /dev/urandom >"$work/romfs0.img"
head -c 20000 /dev/urandom >"$work/boot.bin"
head -c 8192 /dev/urandom >"$work/fs.img"

# ---- openmv_dfu cameras: flash firmware + ROMFS, erase-fs (seed 002 §10.7.5, seed 000) ----
# TARGET SP ENTRY FW-DUMP FW-OFFSET ROMFS-DUMP ROMFS-OFFSET ERASE-DUMP ERASE-OFFSET ERASE-ALT
while read -r target sp entry fwdump fwoff rdump roff edump eoff ealt; do
	firmware "$sp" $((entry + 0x201)) 123457 "$work/fw-$target.bin"
	run "$work/out" "$work/f-$target" --camera "$target:bootloader" -- \
		"$rescue" flash --board "$target" --firmware "$work/fw-$target.bin" --romfs "$work/romfs0.img" --yes
	check "$target flash exits 0" test $? -eq 0
	check "$target flash: firmware.bin in place" same_at "$work/f-$target/$target.$fwdump.bin" "$fwoff" "$work/fw-$target.bin"
	check "$target flash: romfs0.img in place" same_at "$work/f-$target/$target.$rdump.bin" "$roff" "$work/romfs0.img"
	check "$target flash: every write verified" grep -q "every write verified" "$work/out"
	run "$work/out" "$work/e-$target" --camera "$target:bootloader" --load "alt$ealt=$work/fs.img" -- \
		"$rescue" erase-fs --board "$target" --yes
	check "$target erase-fs exits 0" test $? -eq 0
	head -c 4096 /dev/zero >"$work/zeros"
	check "$target erase-fs: 4 KiB of zeros at the filesystem" same_at "$work/e-$target/$target.$edump.bin" "$eoff" "$work/zeros"
done <<'EOF'
OPENMV2 0x10010000 0x08010000 flash 0x10000 flash 0xE0000 flash 0x8000 1
OPENMV3 0x00004000 0x08020000 flash 0x20000 flash 0x1C0000 flash 0x8000 1
OPENMV4 0x00010000 0x08040000 flash 0x40000 flash 0x1E0000 flash 0x20000 1
OPENMV4P 0x00010000 0x08040000 flash 0x40000 qspi 0x1800000 qspi 0x0 3
OPENMVPT 0x00010000 0x08040000 flash 0x40000 qspi 0x1800000 qspi 0x0 3
OPENMV_N6 0x34100000 0x70080000 xspi 0x80000 xspi 0x800000 xspi 0x400000 2
EOF

# ---- the AE3: four images, erase, the MRAM key (seed 001, seed 002 §10.7.6) -----------
head -c 200001 /dev/urandom >"$work/firmware_M55_HP.bin"
head -c 100003 /dev/urandom >"$work/firmware_M55_HE.bin"
head -c 50000 /dev/urandom >"$work/romfs1.img"
cp "$work/romfs0.img" "$work/ae3-romfs0.img"
run "$work/out" "$work/ae3" --camera OPENMV_AE3:bootloader -- \
	"$rescue" flash --board OPENMV_AE3 --image firmware_M55_HP.bin="$work/firmware_M55_HP.bin" \
	--image firmware_M55_HE.bin="$work/firmware_M55_HE.bin" --image romfs1.img="$work/romfs1.img" \
	--image romfs0.img="$work/ae3-romfs0.img" --yes
check "AE3 four-image flash exits 0" test $? -eq 0
check "AE3: HP firmware at 0x80020000" same_at "$work/ae3/OPENMV_AE3.mram.bin" $((0x20000)) "$work/firmware_M55_HP.bin"
check "AE3: HE firmware at 0x80320000" same_at "$work/ae3/OPENMV_AE3.mram.bin" $((0x320000)) "$work/firmware_M55_HE.bin"
check "AE3: romfs1 at 0x8047E000" same_at "$work/ae3/OPENMV_AE3.mram.bin" $((0x47E000)) "$work/romfs1.img"
check "AE3: romfs0 at OSPI 8 MiB" same_at "$work/ae3/OPENMV_AE3.ospi.bin" $((0x800000)) "$work/ae3-romfs0.img"
check "AE3: the bootloader (alt 0) untouched" erased_at "$work/ae3/OPENMV_AE3.mram.bin" 0 $((0x20000))
run "$work/out" "$work/ae3k" --camera OPENMV_AE3:bootloader -- "$rescue" init-mram --board OPENMV_AE3 --yes
check "AE3 init-mram exits 0 (the model accepted our 16-byte key)" test $? -eq 0
# --dir finds the four images by their default names
run "$work/out" "$work/ae3d" --camera OPENMV_AE3:bootloader -- \
	"$rescue" flash --board OPENMV_AE3 --dir "$work" --yes
check "AE3 flash with --dir finds the images by name" same_at "$work/ae3d/OPENMV_AE3.mram.bin" $((0x320000)) "$work/firmware_M55_HE.bin"

# ---- the ST ROM: bootloader restore (seed 003) ------------------------------------------
run "$work/out" "$work/st" --camera OPENMV4:st-rom -- \
	"$rescue" restore-bootloader --board OPENMV4 --file "$work/boot.bin" --yes
check "ST ROM restore exits 0" test $? -eq 0
check "ST ROM: bootloader.bin at 0x08000000" same_at "$work/st/OPENMV4.flash.bin" 0 "$work/boot.bin"
check "ST ROM: the filesystem sector untouched" erased_at "$work/st/OPENMV4.flash.bin" $((0x20000)) 4096
# dfufile OUT VIDPID ADDR SIZE: a DfuSe file (UM0391) with one element of SIZE random bytes
dfufile() {
	python3 - "$@" <<'PY'
import os, struct, sys, zlib
out, vidpid, addr, size = sys.argv[1], sys.argv[2], int(sys.argv[3], 0), int(sys.argv[4], 0)
vid, pid = (int(x, 16) for x in vidpid.split(':'))
data = os.urandom(size)
open(out + '.payload', 'wb').write(data)
elem = struct.pack('<II', addr, size) + data
target = b'Target' + bytes([0]) + struct.pack('<I', 1) + b'ST...'.ljust(255, b'\0') + struct.pack('<II', len(elem), 1) + elem
body = b'DfuSe' + bytes([1]) + struct.pack('<I', 11 + len(target) + 16) + bytes([1]) + target
body += struct.pack('<HHHH', 0xFFFF, pid, vid, 0x011A) + b'UFD' + bytes([16])
open(out, 'wb').write(body + struct.pack('<I', ~zlib.crc32(body) & 0xFFFFFFFF))
PY
}
dfufile "$work/bootloader.dfu" 0483:df11 0x08000000 30000
run "$work/out" "$work/st1" --camera OPENMV4:st-rom -- \
	"$rescue" restore-bootloader --board OPENMV4 --file "$work/bootloader.dfu" --yes
check "ST ROM restore from bootloader.dfu exits 0" test $? -eq 0
check "ST ROM: bootloader.dfu's element at 0x08000000" same_at "$work/st1/OPENMV4.flash.bin" 0 "$work/bootloader.dfu.payload"
# verify from a .dfu file: its elements compared by read-back (DfuSe UPLOAD), nothing written
run "$work/out" "$work/st1v" --camera OPENMV4:st-rom --load 0x08000000="$work/bootloader.dfu.payload" -- \
	"$rescue" verify restore-bootloader --board OPENMV4 --file "$work/bootloader.dfu" --yes
check "verify restore-bootloader from bootloader.dfu, the camera holds it: exit 0" test $? -eq 0
check "... its element compared at 0x08000000, the file counted as one image" \
	sh -c "grep -q 'bootloader.dfu: equal to the memory at 0x08000000, all 30000 bytes' '$work/out' && \
	grep -q 'Verified: the camera holds the 1 image; nothing was written' '$work/out'"
run "$work/out" "$work/st1w" --camera OPENMV4:st-rom -- \
	"$rescue" verify restore-bootloader --board OPENMV4 --file "$work/bootloader.dfu" --yes
check "verify from bootloader.dfu on an erased camera: exit 1, the first differing address named" \
	sh -c "test $? -eq 1 && grep -q 'bootloader.dfu: differs from the memory at 0x08000000 first at 0x08000000' '$work/out'"
check "... and nothing was written (the flash still erased)" erased_at "$work/st1w/OPENMV4.flash.bin" 0 32768
dfufile "$work/openmv.dfu" 0483:df11 0x08000000 $((0x120000))
run "$work/out" "$work/st2" --camera OPENMV4:st-rom -- \
	"$rescue" restore-bootloader --board OPENMV4 --file "$work/openmv.dfu" --yes
check "a combined .dfu is refused without --accept-combined (exit 2)" test $? -eq 2
check "... saying it also erases the filesystem" grep -q "also erases the filesystem" "$work/out"
check "... and nothing was written" erased_at "$work/st2/OPENMV4.flash.bin" 0 4096
# accepted, on an STM32H7 revision V ROM: its bank-2 erase stall is recovered (seed 004)
run "$work/out" "$work/st4" --camera OPENMV4:st-rom --fault h7-rev-v -- \
	timeout 120 "$rescue" restore-bootloader --board OPENMV4 --file "$work/openmv.dfu" --accept-combined --yes
check "H7 rev V: the combined image is written with --accept-combined (exit 0)" test $? -eq 0
check "H7 rev V: the bank-2 erase stall was recognised and recovered" grep -q "revision V" "$work/out"
check "H7 rev V: bank 2 (0x08100000..) holds the image" same_at "$work/st4/OPENMV4.flash.bin" 0 "$work/openmv.dfu.payload"
check "H7 rev V: the write was verified" grep -q "every write verified" "$work/out"
dfufile "$work/other.dfu" 2341:035b 0x08000000 4096
run "$work/out" "$work/st5" --camera OPENMV4:st-rom -- \
	"$rescue" restore-bootloader --board OPENMV4 --file "$work/other.dfu" --yes
check "a .dfu made for another device (2341:035b) is refused (exit 2)" test $? -eq 2
check "... naming the device it was made for" grep -q "made for USB device 2341:035B" "$work/out"
head -c 300000 /dev/urandom >"$work/big-boot.bin"
run "$work/out" "$work/st3" --camera OPENMV4:st-rom -- \
	"$rescue" restore-bootloader --board OPENMV4 --file "$work/big-boot.bin" --yes
check "a bootloader.bin larger than the bootloader region is refused (exit 2)" test $? -eq 2
check "... with one line naming the file" one_line_error "$work/out"

# ---- Arduino DfuSe: firmware + ROMFS + Wi-Fi blob, erase (seed 002 §10.7.8, seed 000) ----
firmware 0x20020000 $((0x08040000 + 0x301)) 90001 "$work/ard-fw.bin"
head -c 5000 /dev/urandom >"$work/wifi.bin"
run "$work/out" "$work/ard" --camera ARDUINO_PORTENTA_H7:arduino-dfu -- \
	"$rescue" flash --board ARDUINO_PORTENTA_H7 --firmware "$work/ard-fw.bin" --romfs "$work/romfs0.img" \
	--image cyw4343_7_45_98_102.bin="$work/wifi.bin" --yes
check "Portenta flash exits 0" test $? -eq 0
check "Portenta: firmware at 0x08040000" same_at "$work/ard/ARDUINO_PORTENTA_H7.flash.bin" $((0x40000)) "$work/ard-fw.bin"
check "Portenta: ROMFS at 0x90B00000" same_at "$work/ard/ARDUINO_PORTENTA_H7.qspi.bin" $((0xB00000)) "$work/romfs0.img"
check "Portenta: Wi-Fi blob at 0x90F00000" same_at "$work/ard/ARDUINO_PORTENTA_H7.qspi.bin" $((0xF00000)) "$work/wifi.bin"
check "Portenta: the Arduino bootloader region untouched" erased_at "$work/ard/ARDUINO_PORTENTA_H7.flash.bin" 0 $((0x20000))
run "$work/out" "$work/arde" --camera ARDUINO_NICLA_VISION:arduino-dfu --load 0x08020000="$work/romfs0.img" \
	--load 0x90000000="$work/romfs0.img" -- "$rescue" erase-fs --board ARDUINO_NICLA_VISION --yes
check "Nicla erase-fs exits 0" test $? -eq 0
check "Nicla erase-fs: zeros at 0x08020000" same_at "$work/arde/ARDUINO_NICLA_VISION.flash.bin" $((0x20000)) "$work/zeros"
check "Nicla erase-fs: zeros at 0x90000000" same_at "$work/arde/ARDUINO_NICLA_VISION.qspi.bin" 0 "$work/zeros"

# ---- wrong inputs: refused before anything is written ------------------------------------
firmware 0x00004000 $((0x08020000 + 0x201)) 50000 "$work/fw-m7.bin"
run "$work/out" "$work/w1" --camera OPENMV4:bootloader -- \
	"$rescue" flash --board OPENMV4 --firmware "$work/fw-m7.bin" --yes
check "an OPENMV3 firmware.bin is refused for OPENMV4 (exit 2)" test $? -eq 2
check "... the line says it was not built for this camera" grep -q "was not built for the OpenMV Cam H7" "$work/out"
check "... and the firmware partition is untouched" erased_at "$work/w1/OPENMV4.flash.bin" $((0x40000)) 4096
: >"$work/empty.bin"
run "$work/out" "$work/w2" --camera OPENMV4:bootloader -- \
	"$rescue" flash --board OPENMV4 --firmware "$work/empty.bin" --yes
check "an empty firmware file is refused (exit 2)" test $? -eq 2
head -c $((0x20001)) /dev/urandom >"$work/romfs-big.img"
run "$work/out" "$work/w3" --camera OPENMV4:bootloader -- \
	"$rescue" flash --board OPENMV4 --romfs "$work/romfs-big.img" --yes
check "a ROMFS larger than its partition is refused (exit 2)" test $? -eq 2

# ---- faults: one clear line, non-zero exit, no hang, bootloader untouched -----------------
for fault in "disconnect@block=5" "status=errWRITE@block=3" "stall@12" "garbage-status@9" "timeout@14"; do
	run "$work/out" "$work/x" --camera OPENMV4:bootloader --fault "$fault" -- \
		timeout 60 "$rescue" flash --board OPENMV4 --firmware "$work/fw-OPENMV4.bin" --yes
	st=$?
	check "fault $fault: exit 1 (not a hang: $st)" test $st -eq 1
	check "fault $fault: a one-line reason" one_line_error "$work/out"
	check "fault $fault: the bootloader region untouched" erased_at "$work/x/OPENMV4.flash.bin" 0 $((0x20000))
	rm -rf "$work/x"
done

# ---- two cameras of one kind: the person chooses (--serial), nothing is guessed ----------
run "$work/out" "$work/two" --camera OPENMV4:bootloader,serial=AAA111 --camera OPENMV4:bootloader,serial=BBB222 -- \
	"$rescue" erase-fs --board OPENMV4 --yes
check "two matching cameras and no --serial: exit 2" test $? -eq 2
check "... naming both serial numbers to choose from" grep -q "serial numbers: .*AAA111" "$work/out"
run "$work/out" "$work/two2" --camera OPENMV4:bootloader,serial=AAA111 --camera OPENMV4:bootloader,serial=BBB222 \
	--load OPENMV4:alt1="$work/fs.img" --load OPENMV4-2:alt1="$work/fs.img" -- \
	"$rescue" erase-fs --board OPENMV4 --yes --serial BBB222
check "--serial BBB222 erases that camera" same_at "$work/two2/OPENMV4-2.flash.bin" $((0x20000)) "$work/zeros"
check "... and leaves the other one alone" same_at "$work/two2/OPENMV4.flash.bin" $((0x20000)) "$work/fs.img"

tap_end
