#!/bin/sh
# record_replay.sh SIMHOST RESCUE DATA — round trips: for each bootloader family, openmv-rescue
# records a session against the virtual camera (--record --record-payloads), then runs the same
# command against openmv-rescue-sim --replay of that recording, with no model behind it: it must
# end the same way and make the same exchanges (every request, every payload's SHA-256, so the
# same memory writes).  A recording with one request changed must be reported at that exchange.
# The recordings checked in under DATA/recordings must still replay (the format stays readable).
# Speaks TAP.
abs() { (cd "$(dirname "$1")" && echo "$(pwd)/$(basename "$1")"); }
sim=$(abs "$1")
rescue=$(abs "$2")
data=$(abs "$3")
name=record_replay
. "$(dirname "$0")/cli_lib.sh"
tool=$(abs "$(dirname "$0")/recording_tool.py")

le32() { printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"; }
firmware() { # firmware SP RESET SIZE FILE: an image whose vector table fits the board
	{ le32 "$1"; le32 "$2"; head -c $(($3 - 8)) /dev/urandom; } >"$4"
}
done_line() { grep '^Done: ' "$1"; }

# round_trip FAMILY CAMERA RESCUE-ARGS...: record, replay, compare
round_trip() {
	fam=$1 camera=$2
	shift 2
	rec="$work/$fam.rec" rep="$work/$fam.rep"
	"$sim" --camera "$camera" -- "$rescue" "$@" --record "$rec" --record-payloads >"$work/$fam.live" 2>&1
	live=$?
	check "$fam: the live session exits 0" test $live -eq 0
	check "$fam: the recording starts with its versioned header" \
		test "$(python3 "$tool" header "$rec" format) $(python3 "$tool" header "$rec" version)" = "openmv-rescue-recording 1"
	diag="$work/$fam.replay"
	"$sim" --replay "$rec" -- "$rescue" "$@" --record "$rep" --record-payloads >"$work/$fam.replay" 2>&1
	check "$fam: the replayed session exits as the live one did ($live)" test $? -eq $live
	check "$fam: it ends with the same Done: line" test "$(done_line "$work/$fam.replay")" = "$(done_line "$work/$fam.live")"
	check "$fam: ... which is there" test -n "$(done_line "$work/$fam.replay")"
	check "$fam: the replay answered every request" grep -q "^openmv-rescue-sim: replay: [0-9]* exchanges answered as recorded$" "$work/$fam.replay"
	python3 "$tool" wire "$rec" >"$work/$fam.wire1"
	python3 "$tool" wire "$rep" >"$work/$fam.wire2"
	check "$fam: the same exchanges, payloads and answers ($(wc -l <"$work/$fam.wire1") of them)" \
		cmp -s "$work/$fam.wire1" "$work/$fam.wire2"
	check "$fam: there were exchanges at all" test -s "$work/$fam.wire1"
	diag=
}

cd "$work" || exit 99
firmware 0x00010000 $((0x08040000 + 0x201)) 123457 h7.bin
head -c 70000 /dev/urandom >romfs0.img
head -c 20000 /dev/urandom >boot.bin
firmware 0x20020000 $((0x08040000 + 0x301)) 90001 ard.bin
head -c 150001 /dev/urandom >rt.bin
head -c 5000 /dev/urandom >rp.bin
printf '#Opt\tId\tName\tType\tIP\tOffset\tBinary\n' >FlashLayout.tsv
printf 'P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\tOpenBootloader_STM32N6570-DK-trusted.stm32\n' >>FlashLayout.tsv
printf 'P\t0x3\tfsbl-extfl\tBinary\tnone\t0x0\tMX66UW1G45G_STM32N6570-DK-OBL.bin\n' >>FlashLayout.tsv
printf 'P\t0x4\tfsbl-app\tBinary\tnor0\t0x0000000\tbootloader.bin' >>FlashLayout.tsv
head -c 70000 /dev/urandom >OpenBootloader_STM32N6570-DK-trusted.stm32
head -c 9000 /dev/urandom >MX66UW1G45G_STM32N6570-DK-OBL.bin
head -c 200000 /dev/urandom >bootloader.bin
head -c 43308 /dev/urandom >nano33.bin
# the AE3's images as cli_ae3_se.sh makes them: a TOC of 8192 bytes with the OEMTOC01 header and
# its CRC-32 (the gzip trailer), and the four MRAM/OSPI images
zeros() { head -c "$1" /dev/zero; }
mkdir images
head -c 5000 /dev/urandom >images/bootloader.bin
{ printf 'OEMTOC01\040\000\001\000\040\000\002\000'; zeros 16; zeros 20; printf 'HP_BOOT'; zeros 5; } >toc.hdr
{ zeros $((8192 - 16 - 64)); cat toc.hdr; gzip -c <toc.hdr | tail -c 8 | head -c 4; zeros 12; } >images/firmware_pad.toc
head -c 200001 /dev/urandom >images/firmware_M55_HP.bin
head -c 100003 /dev/urandom >images/firmware_M55_HE.bin
head -c 50000 /dev/urandom >images/romfs1.img
cp romfs0.img images/
HOME=$work # the AE3's system package is looked for in the usual places, none here
export HOME

# the targets of cli_dfu.sh, cli_nxp.sh, cli_nano.sh, cli_ae3_se.sh and n6_restore_e2e.sh
round_trip openmv_dfu OPENMV4:bootloader flash --board OPENMV4 --firmware h7.bin --romfs romfs0.img --yes
sum=$(sha256sum h7.bin | cut -d' ' -f1)
check "openmv_dfu: the recording names the firmware by size and SHA-256, not its bytes" \
	grep -q "\"kind\":\"input\",\"slot\":\"firmware.bin\",\"file\":\"h7.bin\",\"size\":123457,\"sha256\":\"$sum\"" "$work/openmv_dfu.rec"
"$rescue" replay "$work/openmv_dfu.rec" --explain >inputs.out 2>&1
check "... and --explain shows it" grep -q "input  firmware.bin h7.bin, 123457 bytes, SHA-256 $sum" inputs.out
round_trip st_rom OPENMV4:st-rom restore-bootloader --board OPENMV4 --file boot.bin --yes
round_trip arduino_dfuse ARDUINO_PORTENTA_H7:arduino-dfu flash --board ARDUINO_PORTENTA_H7 --firmware ard.bin --yes
round_trip nxp_rt1062 OPENMV_RT1060:sbl flash --board OPENMV_RT1060 --firmware rt.bin --yes
round_trip picoboot ARDUINO_NANO_RP2040_CONNECT:bootsel flash --board ARDUINO_NANO_RP2040_CONNECT --firmware rp.bin --yes
round_trip n6 OPENMV_N6:st-rom restore-bootloader --board OPENMV_N6 --file FlashLayout.tsv --yes
round_trip samba ARDUINO_NANO_33_BLE_SENSE:samba flash --board ARDUINO_NANO_33_BLE_SENSE --firmware nano33.bin --yes
round_trip alif_se OPENMV_AE3:se restore-bootloader --board OPENMV_AE3 --dir images --yes --timeout 30

# ---- a divergence: one request of the recording changed -------------------------------------
at=$(python3 "$tool" tamper openmv_dfu.rec tampered.rec)
"$sim" --replay tampered.rec -- "$rescue" flash --board OPENMV4 --firmware h7.bin --romfs romfs0.img \
	--yes >tampered.out 2>&1
status=$?
diag="$work/tampered.out"
check "a changed recording: the replay exits non-zero" test $status -ne 0
check "... with one line naming exchange $at and what the recording has" \
	grep -q "^openmv-rescue-sim: replay diverged at exchange $at: the recording has control OUT" tampered.out
check "... and what the host sent instead" grep -q "; the host sent control OUT" tampered.out
check "... nothing answered past it: the product fails" sh -c "! grep -q '^Done: ' tampered.out"
diag=

# ---- the product's own request order changed on purpose (a test-only option) ----------------
OPENMV_RESCUE_TEST_EXTRA_GETSTATE=1 "$sim" --replay openmv_dfu.rec -- "$rescue" flash --board OPENMV4 \
	--firmware h7.bin --romfs romfs0.img --yes >reorder.out 2>&1
status=$?
diag="$work/reorder.out"
check "the product sends one request more (a GETSTATE): the replay exits non-zero" test $status -ne 0
check "... naming the exchange that diverges and the host's GETSTATE" \
	grep -q "^openmv-rescue-sim: replay diverged at exchange [0-9]*: the recording has .*; the host sent control IN bmRequestType 0xa1 bRequest 0x05 wValue 0x0000 wIndex 0 wLength 1$" reorder.out
check "... and the product does not finish" sh -c "! grep -q '^Done: ' reorder.out"
diag=

# ---- polls: the host may poll fewer (or more) times than when recorded ----------------------
python3 "$tool" repoll openmv_dfu.rec repoll.rec
"$sim" --replay repoll.rec -- "$rescue" flash --board OPENMV4 --firmware h7.bin --romfs romfs0.img \
	--yes >repoll.out 2>&1
status=$?
diag="$work/repoll.out"
check "a status poll recorded once more than the host asks: the replay still succeeds (exit $status)" \
	test $status -eq 0
check "... with no divergence reported" grep -q "exchanges answered as recorded" repoll.out
diag=

# ---- the recording's file: new, never through a link, mode 0600 -----------------------------
echo keep >exists.jsonl
"$sim" --camera OPENMV4:bootloader -- "$rescue" erase-fs --board OPENMV4 --yes --record exists.jsonl \
	>exists.out 2>&1
status=$?
diag="$work/exists.out"
check "--record onto an existing file: exit 2 (got $status)" test $status -eq 2
check "... one line saying a recording is never written over" \
	grep -q "^openmv-rescue: the recording exists.jsonl cannot be created (File exists): a recording is never written over" exists.out
check "... the file kept as it was" test "$(cat exists.jsonl)" = keep
check "... and nothing run" sh -c "! grep -q '^\[1/' '$work/exists.out'"
ln -s exists.jsonl link.jsonl
"$sim" --camera OPENMV4:bootloader -- "$rescue" erase-fs --board OPENMV4 --yes --record link.jsonl \
	>link.out 2>&1
check "--record through a symbolic link: refused (exit $?)" grep -q "cannot be created" link.out
check "a recording is mode 0600" test "$(stat -c %a openmv_dfu.rec)" = 600
diag=

# ---- a recording without payloads cannot stand in for a camera, and says so ----------------
"$sim" --camera OPENMV4:bootloader -- "$rescue" erase-fs --board OPENMV4 --yes --record short.rec >/dev/null 2>&1
"$sim" --replay short.rec -- "$rescue" erase-fs --board OPENMV4 --yes >short.out 2>&1
status=$?
check "a recording without payloads: the replay exits non-zero" test $status -ne 0
check "... saying to record with --record-payloads" grep -q "record with --record-payloads" short.out

# ---- support's view: replay --explain and --check-board, with no simulator --------------------
"$rescue" replay openmv_dfu.rec --explain >explain.out 2>&1
check "replay --explain exits 0" test $? -eq 0
diag="$work/explain.out"
check "... one line per step" test "$(grep -c '^ *[0-9.]* s  step [0-9]/3: ' explain.out)" -eq 3
check "... the DFU downloads grouped on lines of their own" grep -q "DFU DNLOAD" explain.out
check "... and how it ended" grep -q "the command ended with exit status 0" explain.out
"$sim" --camera OPENMV4:bootloader --fault stall@3 -- "$rescue" erase-fs --board OPENMV4 --yes \
	--record stalled.rec >/dev/null 2>&1
"$rescue" replay stalled.rec --explain >explain2.out 2>&1
diag="$work/explain2.out"
check "a failed session: --explain marks the stalled request" grep -q "<- FAILED: LIBUSB_ERROR_PIPE" explain2.out
check "... and says where it failed" grep -q "^Where it failed: exchange [0-9]*, control, LIBUSB_ERROR_PIPE" explain2.out
"$rescue" replay openmv_dfu.rec --check-board >check.out 2>&1
check "--check-board: the model's H7 matches boards.ini (exit $?)" grep -q "^OPENMV4: 0 differences from boards.ini" check.out
"$sim" --camera OPENMV4:bootloader,impostor -- "$rescue" erase-fs --board OPENMV4 --yes \
	--record impostor.rec >/dev/null 2>&1
"$rescue" replay impostor.rec --check-board >check2.out 2>&1
status=$?
diag="$work/check2.out"
check "--check-board: an impostor's recording differs (exit 1)" test $status -eq 1
check "... naming the difference" grep -q "^differs: this device's alt 2 is named 'Flash', not FIRMWARE" check2.out
for fam in st_rom arduino_dfuse; do
	"$rescue" replay "$fam.rec" --check-board >check-$fam.out 2>&1
	check "--check-board: the $fam recording's layouts hold every recorded write (exit $?)" \
		grep -q "^matches: its [0-9]* alts' memory layouts hold every write the recorded" check-$fam.out
done
"$sim" --camera OPENMV4:st-rom,impostor -- "$rescue" restore-bootloader --board OPENMV4 --file boot.bin \
	--yes --record rom-impostor.rec >/dev/null 2>&1
"$rescue" replay rom-impostor.rec --check-board >check3.out 2>&1
status=$?
diag="$work/check3.out"
check "--check-board: an ST ROM of another chip differs (exit 1)" test $status -eq 1
check "... naming its layout and the recorded bootloader's range (from the input's recorded size)" \
	grep -q "^differs: this device's alt 0 is '@Internal Flash  /0x00200000/04\*016Kg', which does not hold 0x08000000-0x08004E1F" check3.out
"$rescue" replay "$sim" --explain >notrec.out 2>&1
check "replay of a file that is not a recording: exit 2" test $? -eq 2
diag=

# ---- the recordings checked in still replay (format compatibility) ---------------------------
for f in "$data"/recordings/*.jsonl; do
	args=$(python3 "$tool" header "$f" arguments | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)))')
	base=$(basename "$f" .jsonl)
	# shellcheck disable=SC2086 # the recorded options, word by word (no spaces in them)
	"$sim" --replay "$f" -- "$rescue" $(echo "$args" | sed 's/--record [^ ]*//; s/--record-payloads//') \
		>"$base.out" 2>&1
	status=$?
	diag="$work/$base.out"
	check "checked-in $base replays (exit $status)" test $status -eq 0
	check "checked-in $base: every request answered as recorded" \
		grep -q "^openmv-rescue-sim: replay: [0-9]* exchanges answered as recorded$" "$base.out"
	diag=
done
tap_end
