#!/bin/sh
# cli_usage.sh SIMHOST RESCUE — the command line as a newcomer meets it, against the virtual
# cameras: a bootloader .dfu given as firmware is refused (exit 2) with a true reason and
# nothing written, whatever flag is added; exit 3 only when the person cancels (a timeout or
# a missing device is 1); the wrong --board names the board that is there; help for each
# command; a missing option value, an unknown command, option or board; a failure printed
# once, with what is safe to do next.  Speaks TAP.
sim=$(realpath "$1")
rescue=$(realpath "$2")
name=cli_usage
. "$(dirname "$0")/cli_lib.sh"

dfufile() { # dfufile OUT VID:PID ADDR SIZE: a one-element DfuSe file (UM0391) and OUT.payload
	python3 - "$@" <<'PY'
import os, struct, sys, zlib
out, ids, addr, size = sys.argv[1], sys.argv[2], int(sys.argv[3], 0), int(sys.argv[4], 0)
vid, pid = (int(x, 16) for x in ids.split(':'))
data = os.urandom(size)
open(out + '.payload', 'wb').write(data)
elem = struct.pack('<II', addr, size) + data
target = b'Target' + bytes([0]) + struct.pack('<I', 1) + b'ST...'.ljust(255, b'\0') + struct.pack('<II', len(elem), 1) + elem
body = b'DfuSe' + bytes([1]) + struct.pack('<I', 11 + len(target) + 16) + bytes([1]) + target
body += struct.pack('<HHHH', 0xFFFF, pid, vid, 0x011A) + b'UFD' + bytes([16])
open(out, 'wb').write(body + struct.pack('<I', ~zlib.crc32(body) & 0xFFFFFFFF))
PY
}
run() { # run DUMPDIR SIMARGS... -- RESCUEARGS...: output in $work/out, status in $rc
	_dump=$1
	shift
	mkdir -p "$_dump"
	"$sim" --dump "$_dump" "$@" >"$work/out" 2>&1 </dev/null
	rc=$?
}
has() { grep -q -- "$1" "$work/out"; }
lacks() { ! grep -q -- "$1" "$work/out"; }
lines() { [ "$(grep -c -- "$1" "$work/out")" -eq "$2" ]; }

# ---- 16.1: a bootloader .dfu given as firmware (the H7's bootloader: 60,008 bytes at
#      0x08000000, inside its bootloader region) ----
dfufile "$work/bootloader.dfu" 0483:df11 0x08000000 60008
for extra in "" "--accept-combined"; do
	run "$work/bd$extra" --camera OPENMV4:bootloader -- \
		"$rescue" flash --board OPENMV4 --firmware "$work/bootloader.dfu" --yes $extra
	check "flash with bootloader.dfu as firmware $extra: refused, exit 2" test "$rc" -eq 2
	check "... says it is a bootloader image" has "is a bootloader image"
	check "... names the bootloader region it is for (0x08000000..0x0800EA67)" has "0x08000000..0x0800EA67"
	check "... does not claim it lies beyond the bootloader region" lacks "beyond the bootloader"
	check "... points to restore-bootloader" has "openmv-rescue restore-bootloader --board OPENMV4"
	check "... does not advise --accept-combined" lacks "add --accept-combined"
	check "... and nothing was written to the firmware slot" erased_at "$work/bd$extra/OPENMV4.flash.bin" 0x40000 65536
	check "... nor to the bootloader" erased_at "$work/bd$extra/OPENMV4.flash.bin" 0 65536
done
# the same file renamed .bin still carries the DfuSe prefix: never written raw
cp "$work/bootloader.dfu" "$work/renamed.bin"
run "$work/br" --camera OPENMV4:bootloader -- \
	"$rescue" flash --board OPENMV4 --firmware "$work/renamed.bin" --yes
check "a DfuSe file named .bin given as firmware: refused, exit 2" test "$rc" -eq 2
check "... nothing written" erased_at "$work/br/OPENMV4.flash.bin" 0x40000 65536
# a combined image for a restore: the reason is true and carries no flag; the CLI adds its hint
dfufile "$work/openmv.dfu" 0483:df11 0x08000000 $((0x60000))
"$rescue" restore-bootloader --board OPENMV4 --file "$work/openmv.dfu" --dry-run >"$work/out" 2>&1
check "a combined .dfu for a restore: exit 2" test $? -eq 2
check "... its reason names the bootloader region truly" has "beyond the bootloader region (0x08000000..0x0801FFFF)"
check "... the reason line has no flag in it" sh -c "grep 'beyond the bootloader' '$work/out' | grep -vq -- '--'"
check "... the CLI's own hint names --accept-combined" has "add --accept-combined"

# ---- 16.5: exit 3 only when the person cancels ----
run "$work/t1" --camera OPENMV4P:bootloader -- \
	"$rescue" erase-fs --board OPENMV4 --yes --timeout 2
check "an H7 Plus on the bus and --board OPENMV4: exit 1 (a timeout is a failure), not 3" test "$rc" -eq 1
check "... says an H7 Plus is connected and suggests --board OPENMV4P" \
	has "an OpenMV Cam H7 Plus is connected: did you mean --board OPENMV4P?"
check "... says what it waited for and that nothing was written" has "37C5:9204 did not appear within 2 s; nothing was written"
run "$work/t2" --camera OPENMV4:bootloader -- "$rescue" erase-fs --board OPENMV4
check "no terminal to confirm on, no --yes: exit 2 (bad usage), not 3" test "$rc" -eq 2
check "... and says to add --yes" has "with --yes"
"$rescue" erase-fs --board OPENMV4 --yes --timeout 2 >"$work/out" 2>&1 </dev/null
check "no device at all: exit 1" test $? -eq 1
"$rescue" restore-bootloader --board OPENMV4 --file "$work/bootloader.dfu" --yes --timeout 2 \
	>"$work/out" 2>&1 </dev/null
check "nothing appears at a hardware prompt within --timeout: exit 1 (a timeout), not 3" test $? -eq 1
check "... says what it waited for and that nothing was written after the prompt" \
	has "ST ROM DFU 0483:df11 did not appear within 2 s; nothing was written after the prompt"
"$sim" --camera OPENMV4:off -- sh -c \
	'"$1" erase-fs --board OPENMV4 --yes --timeout 30 & p=$!; sleep 1; kill -INT $p; wait $p' \
	sh "$rescue" >"$work/out" 2>&1 </dev/null
check "stopped by the person (SIGINT) at the prompt: exit 3" test $? -eq 3

# ---- 16.7: failures once, with what is safe to do next ----
run "$work/d1" --camera OPENMV4:bootloader --fault disconnect@block=0 -- \
	"$rescue" erase-fs --board OPENMV4 --yes
check "a disconnect while writing: exit 1" test "$rc" -eq 1
check "... the failure is printed once" lines "disconnected" 1
check "... and says the bootloader is untouched and to run the same command again" \
	has "the bootloader is untouched: plug the camera in again and run the same command"

# ---- 16.6: the session log (--log FILE), the same writer as the wizard's ----
firmware() { # firmware SP RESET SIZE FILE: a firmware image whose vector table fits a board
	python3 -c 'import os, struct, sys; open(sys.argv[4], "wb").write(struct.pack("<II", int(sys.argv[1], 0), int(sys.argv[2], 0)) + os.urandom(int(sys.argv[3]) - 8))' "$@"
}
firmware 0x00010000 $((0x08040000 + 0x201)) 123457 "$work/fw.bin"
head -c 70000 /dev/urandom >"$work/romfs0.img"
( cd "$work" && "$sim" --camera OPENMV4:bootloader -- \
	"$rescue" flash --board OPENMV4 --firmware fw.bin --romfs romfs0.img --yes --log s.log ) >"$work/out" 2>&1
check "flash with --log: exit 0" test $? -eq 0
check "... says where the log is, by its absolute path" has "Log saved to $work/s.log"
check "... the log is mode 0600" test "$(stat -c %a "$work/s.log")" = 600
cp "$work/s.log" "$work/out"
check "log: date, time and zone, and the program's version" \
	grep -Eq "openmv-rescue [0-9.]+ session log, [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} [+-][0-9]{4}" "$work/out"
check "log: the OS and the libusb version" sh -c "grep -q '] system: Linux' '$work/out' && grep -Eq '] libusb 1\.[0-9]+\.[0-9]+' '$work/out'"
check "log: the camera's serial number and the release its bootloader reports" \
	grep -Eq "opened OpenMV DFU bootloader 37C5:9204, serial [0-9A-F]+, device release \(bcdDevice\) [0-9a-f]+\.[0-9a-f]{2}" "$work/out"
for f in fw.bin romfs0.img; do
	sum=$(sha256sum "$work/$f" | cut -d' ' -f1)
	check "log: $f by absolute path, size and SHA-256" \
		has ": $work/$f, $(wc -c <"$work/$f" | tr -d ' ') bytes, SHA-256 $sum"
done
check "log: each step's classic command" has "classic: dfu-util -w -d ,37C5:9204 -a 2"
check "log: true byte counts: what was written ..." has "wrote 123457 bytes to alt 2"
check "log: ... and what was read back" has "read 123457 bytes back from alt 2: equal to the image"
check "log: no byte count from the progress of a read-back" lacks "bytes written"
check "log: the exit status" has "exit status 0"
run "$work/ls" --camera OPENMV4:st-rom -- \
	"$rescue" restore-bootloader --board OPENMV4 --file "$work/bootloader.dfu" --yes --log "$work/r.log"
cp "$work/r.log" "$work/out"
check "log of a 60,008-byte restore: 60008 bytes written, not 120,016" \
	sh -c "grep -q 'wrote 60008 bytes at 0x08000000' '$work/out' && ! grep -q 120016 '$work/out'"
run "$work/lf" --camera OPENMV4:bootloader --fault disconnect@block=0 -- \
	"$rescue" erase-fs --board OPENMV4 --yes --log "$work/f.log"
cp "$work/f.log" "$work/out"
check "log of a failed run: the error in full" has "run ended: writing erase.bin to alt 1 (FILESYSTEM): the camera disconnected"
echo keep >"$work/old.log"
"$rescue" erase-fs --board OPENMV4 --yes --timeout 1 --log "$work/old.log" >"$work/out" 2>&1
check "--log names an existing file: exit 2, nothing run" sh -c "test $? -eq 2 && ! grep -q 'dd if' '$work/out'"
check "... and the file is left as it was" test "$(cat "$work/old.log")" = keep
ln -s "$work/target.log" "$work/link.log"
"$rescue" erase-fs --board OPENMV4 --yes --timeout 1 --log "$work/link.log" >/dev/null 2>&1
check "--log through a symbolic link is refused (exit 2), nothing created" \
	sh -c "test $? -eq 2 && test ! -e '$work/target.log'"

# ---- 16.7: help and usage ----
for cmd in flash erase-fs restore-bootloader init-mram boards; do
	"$rescue" "$cmd" --help >"$work/out" 2>&1
	check "$cmd --help: exit 0" test $? -eq 0
	check "... its usage line" has "^Usage: openmv-rescue $cmd"
	check "... an example" has "^  openmv-rescue $cmd"
	"$rescue" help "$cmd" >"$work/h2" 2>&1
	check "help $cmd prints the same" cmp -s "$work/out" "$work/h2"
done
"$rescue" help flash >"$work/out" 2>&1
check "help flash lists --firmware and --romfs" sh -c "grep -q -- '--firmware FILE' '$work/out' && grep -q -- '--romfs FILE' '$work/out'"
check "... and not the N6-only options" lacks "--n6-nor-addressing"
"$rescue" flash --board OPENMV4 --firmware --dry-run >"$work/out" 2>&1
check "--firmware --dry-run: exit 2" test $? -eq 2
check "... says --firmware needs a file" has "openmv-rescue: --firmware needs a file"
"$rescue" flahs --board OPENMV4 >"$work/out" 2>&1
check "an unknown command: exit 2, suggests the nearest" sh -c "test $? -eq 2 && grep -q 'did you mean flash?' '$work/out'"
"$rescue" erase-fs --board OPENMV4PLUS --dry-run >"$work/out" 2>&1
check "an unknown board suggests the nearest TARGET" sh -c "test $? -eq 2 && grep -q 'did you mean OPENMV4P?' '$work/out'"
"$rescue" erase-fs --bord OPENMV4 >"$work/out" 2>&1
check "an unknown option suggests the nearest" sh -c "test $? -eq 2 && grep -q 'did you mean --board?' '$work/out'"
"$rescue" --help >"$work/out" 2>&1
check "--help lists every command" sh -c "for c in help boards flash erase-fs restore-bootloader init-mram; do grep -q \"^  \$c \" '$work/out' || exit 1; done"
tap_end
