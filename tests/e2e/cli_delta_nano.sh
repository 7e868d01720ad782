#!/bin/sh
# cli_delta_nano.sh SIMHOST RESCUE — delta mode and verify on the Nano boards, whose host
# drives the erase: the Nano RP2040 Connect (PICOBOOT: the flash read back, only the 4 KiB
# sectors that differ erased and written) and the Nano 33 BLE Sense (SAM-BA: one CRC-16 per
# 4 KiB page, only the pages that differ written).  A unit counts as unchanged only if it
# holds what a full write leaves, the zero padding after the image's end included; memories
# compared from --dump after each run; --full writes everything; verify flash compares and
# writes nothing.  Speaks TAP.
sim=$1
rescue=$2
name=cli_delta_nano
probe=ARDUINO_NANO_RP2040_CONNECT
. "$(dirname "$0")/cli_lib.sh"
has() { grep -q -- "$1" "$work/out"; }
# padded FILE SIZE OUT: FILE followed by zeros up to SIZE bytes (what a full write leaves)
padded() {
	{ cat "$1"; head -c $(($2 - $(wc -c <"$1"))) /dev/zero; } >"$3"
}
zero_at() { # zero_at DUMP OFFSET LENGTH: all 0x00
	bytes "$2" "$3" "$1" | tr -d '\000' | cmp -s - /dev/null
}
nano() { # nano CAMERA DUMPDIR LOAD ARGS...: run against the board whose flash holds LOAD
	_c=$1 _d=$2 _l=$3
	shift 3
	mkdir -p "$_d"
	"$sim" --camera "$_c" --dump "$_d" --load "$_l" -- "$rescue" "$@" >"$work/out" 2>&1
}

# ---- Nano RP2040 Connect: flash at 0x10000000, 4 KiB sectors --------------------------------
RP=ARDUINO_NANO_RP2040_CONNECT
head -c 10000 /dev/urandom >"$work/rp.bin" # 3 sectors, the last one 1808 bytes of image
padded "$work/rp.bin" 12288 "$work/rp.full"
nano $RP "$work/rp1" 0x10000000="$work/rp.full" flash --board $RP --firmware "$work/rp.bin" --yes
check "RP2040 re-flash of the same image exits 0" test $? -eq 0
check "... all 3 sectors already held it: nothing written" \
	has "3 of 3 sectors already held the image: writing 0 of 10000 bytes"
check "... saying how it compares" has "reading the flash back first, to erase and write only the 4 KiB sectors that differ"
check "... the flash as after a full write" same_at "$work/rp1/$RP.flash.bin" 0 "$work/rp.full"
check "... and still verified" has "every write verified"

flip "$work/rp.full" $((4096 + 77)) "$work/rp.old" # sector 1 differs by one byte
nano $RP "$work/rp2" 0x10000000="$work/rp.old" flash --board $RP --firmware "$work/rp.bin" --yes
check "RP2040 with one changed byte: exits 0" test $? -eq 0
check "... only its sector written" has "2 of 3 sectors already held the image: writing 4096 of 10000 bytes"
check "... the flash byte for byte as after a full write" same_at "$work/rp2/$RP.flash.bin" 0 "$work/rp.full"

# stale 0xFF after the image's end: a full write leaves zeros there, so that sector is rewritten
nano $RP "$work/rp3" 0x10000000="$work/rp.bin" flash --board $RP --firmware "$work/rp.bin" --yes
check "RP2040 image over an erased tail: its last sector is rewritten" \
	has "2 of 3 sectors already held the image: writing 1808 of 10000 bytes"
check "... and reads zero after the image, as after a full write" zero_at "$work/rp3/$RP.flash.bin" 10000 2288

nano $RP "$work/rp4" 0x10000000="$work/rp.full" flash --board $RP --firmware "$work/rp.bin" --yes --full
check "RP2040 --full: exits 0" test $? -eq 0
check "... saying why every sector is written" has "--full: erasing and writing every sector the image touches"
check "... and no delta line" sh -c "! grep -q 'already held the image' '$work/out'"

nano $RP "$work/rp5" 0x10000000="$work/rp.full" verify flash --board $RP --firmware "$work/rp.bin"
check "RP2040 verify of an equal board exits 0" test $? -eq 0
check "... saying the image is equal" has "rp.bin: equal to the flash, all 10000 bytes"
check "... and that nothing was written" has "^Verified: the camera holds the 1 image; nothing was written"
nano $RP "$work/rp6" 0x10000000="$work/rp.old" verify flash --board $RP --firmware "$work/rp.bin"
check "RP2040 verify of a board that differs exits 1" test $? -eq 1
check "... naming the first differing address and the sectors that differ" \
	has "rp.bin: differs from the flash first at 0x1000104d; 1 of 3 sectors differ"
check "... and the flash is untouched" same_at "$work/rp6/$RP.flash.bin" 0 "$work/rp.old"

# ---- Nano 33 BLE Sense: wire offset 0x16000 is physical 0x26000, 4 KiB pages ----------------
N33=ARDUINO_NANO_33_BLE_SENSE
head -c 43308 /dev/urandom >"$work/n33.bin" # 11 pages, the last one 2348 bytes of image
padded "$work/n33.bin" 45056 "$work/n33.full"
nano $N33 "$work/n1" 0x26000="$work/n33.full" flash --board $N33 --firmware "$work/n33.bin" --yes
check "Nano 33 re-flash of the same image exits 0" test $? -eq 0
check "... all 11 pages already held it: nothing written" \
	has "11 of 11 pages already held the image: writing 0 of 43308 bytes"
check "... saying how it compares" has "asking the bootloader for each page's CRC-16 first"
check "... the flash as after a full write" same_at "$work/n1/$N33.flash.bin" 0x26000 "$work/n33.full"

flip "$work/n33.full" $((5 * 4096 + 77)) "$work/n33.old" # page 5 differs by one byte
nano $N33 "$work/n2" 0x26000="$work/n33.old" flash --board $N33 --firmware "$work/n33.bin" --yes
check "Nano 33 with one changed byte: exits 0" test $? -eq 0
check "... only its page written" has "10 of 11 pages already held the image: writing 4096 of 43308 bytes"
check "... the flash byte for byte as after a full write" same_at "$work/n2/$N33.flash.bin" 0x26000 "$work/n33.full"

nano $N33 "$work/n3" 0x26000="$work/n33.bin" flash --board $N33 --firmware "$work/n33.bin" --yes
check "Nano 33 image over an erased tail: its last page is rewritten" \
	has "10 of 11 pages already held the image: writing 2348 of 43308 bytes"
check "... and reads zero after the image, as bossac leaves it" zero_at "$work/n3/$N33.flash.bin" $((0x26000 + 43308)) 1748

nano $N33 "$work/n4" 0x26000="$work/n33.full" flash --board $N33 --firmware "$work/n33.bin" --yes --full
check "Nano 33 --full: every page written" has "11 pages written at offset 0x16000 and verified"
check "... saying why" has "--full: writing every page of the image"

nano $N33 "$work/n5" 0x26000="$work/n33.full" verify flash --board $N33 --firmware "$work/n33.bin"
check "Nano 33 verify of an equal board exits 0" test $? -eq 0
check "... saying the image is equal" has "n33.bin: equal to the flash at 0x00026000, all 43308 bytes"
nano $N33 "$work/n6" 0x26000="$work/n33.old" verify flash --board $N33 --firmware "$work/n33.bin"
check "Nano 33 verify of a board that differs exits 1" test $? -eq 1
check "... naming the first differing address (found by halving CRC-16s) and the pages that differ" \
	has "n33.bin: differs from the flash first at 0x0002b04d; 1 of 11 pages differ"
check "... and the flash is untouched" same_at "$work/n6/$N33.flash.bin" 0x26000 "$work/n33.old"
check "... and nothing was copied to flash" sh -c "! grep -q 'pages written' '$work/out'"

"$rescue" flash --board $RP --firmware "$work/rp.bin" --dry-run >"$work/out" 2>&1
check "RP2040 dry run says what delta mode will do" has "The flash is first read back: only the 4 KiB sectors that differ"
"$rescue" flash --board $N33 --firmware "$work/n33.bin" --dry-run >"$work/out" 2>&1
check "Nano 33 dry run says what delta mode will do" has "checked with the bootloader's CRC-16: only the 4 KiB"
"$rescue" verify flash --board $N33 --firmware "$work/n33.bin" --full >"$work/out" 2>&1
check "verify --full is bad usage on a Nano too (exit 2)" test $? -eq 2

tap_end
