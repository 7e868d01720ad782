#!/bin/sh
# cli_nano.sh SIMHOST RESCUE — the Arduino Nano boards from the command line against
# openmv-rescue-sim: the Nano 33 BLE Sense's SAM-BA bootloader on a ttyACM (2341:005a) and the
# Nano RP2040 Connect's BOOTSEL device with PICOBOOT (2E8A:0003), each also reached from its
# running OpenMV firmware (2341:015a, 2341:015e) by the 1200-baud touch (seed 002 §10.7.8;
# reference dfu-dfuse-picoboot-samba.md §2, §3).  The protocols themselves are tested in
# process (tests/e2e/test_nano_*.c); this is about the simulator reaching them.  Flash compared from
# --dump.  Speaks TAP.
sim=$1
rescue=$2
name=cli_nano
probe=ARDUINO_NANO_33_BLE_SENSE
diag_lines=15
. "$(dirname "$0")/cli_lib.sh"
has() { grep -q "$1" "$2"; }
same_range() { # same_range A B OFFSET LENGTH: two dumps agree there
	bytes "$3" "$4" "$1" >"$work/a"
	bytes "$3" "$4" "$2" | cmp -s - "$work/a"
}
erased() { erased_at "$@"; } # erased DUMP OFFSET LENGTH (cli_lib.sh)
le32() { printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"; }
run() { # run OUT DUMPDIR CAMERA RESCUE-ARGS...
	out=$1 dump=$2 camera=$3
	shift 3
	mkdir -p "$dump"
	"$sim" --camera "$camera" --dump "$dump" -- "$rescue" "$@" >"$out" 2>&1
	status=$?
	echo "(exit status $status)" >>"$out"
	return $status
}

# ---- Nano 33 BLE Sense: bossac --offset=0x16000, the application at 0x26000 ----------------
NANO33=ARDUINO_NANO_33_BLE_SENSE
mkdir -p "$work/factory"
"$sim" --camera $NANO33 --dump "$work/factory" -- true
head -c 43308 /dev/urandom >"$work/nano33.bin" # 10 pages and a part of one
# the SAM-BA wire offset 0x16000 is physical 0x26000: offsets count from 0x10000 [inferred, §3.2]
for mode in samba firmware; do
	run "$work/out" "$work/n33-$mode" "$NANO33:$mode" flash --board $NANO33 --firmware "$work/nano33.bin" --yes
	check "Nano 33 BLE ($mode): flash exits 0" test $? -eq 0
	check "Nano 33 BLE ($mode): every write verified" has "every write verified" "$work/out"
	d="$work/n33-$mode/$NANO33.flash.bin"
	check "Nano 33 BLE ($mode): firmware.bin at physical 0x26000 [inferred mapping]" same_at "$d" 0x26000 "$work/nano33.bin"
	check "Nano 33 BLE ($mode): the rest of its last page zero, then erased up to the bootloader" \
		sh -c "dd if='$d' bs=1 skip=$((0x26000 + 43308)) count=$((45056 - 43308)) status=none | tr -d '\\000' | cmp -s - /dev/null"
	check "Nano 33 BLE ($mode): erased from the image's end up to the bootloader at 0xE0000" \
		erased "$d" $((0x26000 + 45056)) $((0xE0000 - 0x26000 - 45056))
	check "Nano 33 BLE ($mode): below 0x26000 as the factory left it" same_range "$d" "$work/factory/$NANO33.flash.bin" 0 0x26000
	check "Nano 33 BLE ($mode): the bootloader at 0xE0000 as the factory left it" \
		same_range "$d" "$work/factory/$NANO33.flash.bin" 0xE0000 0x20000
done
check "Nano 33 BLE (firmware): the running board was reset by the 1200-baud touch" has "(1200-baud touch)" "$work/out"

# ---- Nano RP2040 Connect: PICOBOOT at 0x10000000 --------------------------------------------
RP=ARDUINO_NANO_RP2040_CONNECT
# a UF2 of 40 blocks of 256 bytes for 0x10000000.. (family RP2040, §2.8)
head -c 10240 /dev/urandom >"$work/rp.payload"
i=0
while [ $i -lt 40 ]; do
	le32 0x0A324655; le32 0x9E5D5157; le32 0x2000; le32 $((0x10000000 + 256 * i)); le32 256; le32 $i; le32 40
	le32 0xE48BFF56
	bytes $((256 * i)) 256 "$work/rp.payload"
	head -c 220 /dev/zero
	le32 0x0AB16F30
	i=$((i + 1))
done >"$work/firmware.uf2"
for mode in bootsel firmware; do
	run "$work/out" "$work/rp-$mode" "$RP:$mode" flash --board $RP --firmware "$work/firmware.uf2" --yes
	check "Nano RP2040 ($mode): flash of firmware.uf2 exits 0" test $? -eq 0
	check "Nano RP2040 ($mode): every write verified" has "every write verified" "$work/out"
	check "Nano RP2040 ($mode): the UF2's payload at 0x10000000" same_at "$work/rp-$mode/$RP.flash.bin" 0 "$work/rp.payload"
done
check "Nano RP2040 (firmware): the running board was reset into BOOTSEL by the 1200-baud touch" has "(1200-baud touch)" "$work/out"

head -c 5000 /dev/urandom >"$work/rp.bin"
run "$work/out" "$work/rp-bin" "$RP" flash --board $RP --firmware "$work/rp.bin" --yes
check "Nano RP2040: a plain firmware.bin flashes (exit 0)" test $? -eq 0
check "Nano RP2040: firmware.bin at 0x10000000" same_at "$work/rp-bin/$RP.flash.bin" 0 "$work/rp.bin"
check "Nano RP2040: the rest of its 4 KiB sector zero, as picotool pads it" \
	sh -c "dd if='$work/rp-bin/$RP.flash.bin' bs=1 skip=5000 count=$((4096 * 2 - 5000)) status=none | tr -d '\\000' | cmp -s - /dev/null"

head -c 4096 /dev/urandom >"$work/fs.img"
head -c 4096 /dev/zero >"$work/zeros"
mkdir -p "$work/rp-fs"
"$sim" --camera $RP:firmware --load 0x10200000="$work/fs.img" --dump "$work/rp-fs" -- \
	"$rescue" erase-fs --board $RP --yes >"$work/out" 2>&1
check "Nano RP2040 (running): erase-fs exits 0" test $? -eq 0
check "Nano RP2040: 4 KiB of zeros at 0x10200000 (its filesystem)" same_at "$work/rp-fs/$RP.flash.bin" 0x200000 "$work/zeros"

tap_end
