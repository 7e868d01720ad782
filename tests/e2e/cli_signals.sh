#!/bin/sh
# cli_signals.sh SIMHOST RESCUE — SIGHUP (an SSH session dropping mid-flash) and SIGTERM sent
# to openmv-rescue while it writes: it stops at the next block boundary, exits 3, says where
# it left its transcript (a new file, mode 0600), and the camera holds whole blocks of the
# image, erased memory after them, and an untouched bootloader.  Speaks TAP.
sim=$1
rescue=$2
name=cli_signals
. "$(dirname "$0")/cli_lib.sh"
le32() { printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"; }
# 1 MiB for the H7's firmware partition: long enough under realistic timing to be interrupted;
# --full, so that the first progress line is the write's, not delta mode's read-back
{ le32 0x00010000; le32 $((0x08040000 + 0x201)); head -c $((1024 * 1024 - 8)) /dev/urandom; } >"$work/fw.bin"
size=$(wc -c <"$work/fw.bin")

for sig in HUP TERM; do
	d="$work/$sig"
	mkdir -p "$d/dump" "$d/tmp"
	TMPDIR="$d/tmp" "$sim" --timing realistic --camera OPENMV4:bootloader --dump "$d/dump" -- \
		sh -c 'echo $$ >"$0/pid"; exec "$@"' "$d" "$rescue" flash --board OPENMV4 --firmware "$work/fw.bin" --yes --full \
		>"$d/out" 2>"$d/err" </dev/null &
	simpid=$!
	# wait until the write is under way (the first progress line), then send the signal
	i=0
	while [ $i -lt 600 ] && ! grep -q '%' "$d/err" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
	sleep 0.5
	kill -$sig "$(cat "$d/pid")"
	wait $simpid
	st=$?
	cp "$d/err" "$work/out"
	check "SIG$sig mid-write: exit 3 (cancelled), got $st" test $st -eq 3
	log=$(sed -n "s/^openmv-rescue: stopped by SIG$sig; what happened is in //p" "$d/err")
	check "SIG$sig: the transcript's path is printed" test -n "$log"
	check "SIG$sig: the transcript exists, in TMPDIR" test -f "$log" -a "${log#"$d/tmp/"}" != "$log"
	check "SIG$sig: the transcript has mode 0600" test "$(stat -c %a "$log" 2>/dev/null)" = 600
	check "SIG$sig: the transcript says the run was stopped" grep -q "stopped by SIG$sig" "$log"
	# where the written image ends: the first byte that differs from fw.bin
	dump="$d/dump/OPENMV4.flash.bin"
	bytes 0x40000 "$size" "$dump" >"$d/written"
	m=$(cmp "$d/written" "$work/fw.bin" 2>/dev/null | sed -n 's/.*byte \([0-9]*\),.*/\1/p')
	m=$((${m:-$((size + 1))} - 1))
	check "SIG$sig: stopped mid-image ($m of $size bytes)" test "$m" -lt "$size" -a "$m" -gt 0
	# (an image byte may equal 0xFF by chance: the block boundary is m rounded down, and from
	# there on everything must read erased — a half-written block would not)
	b=$((m - m % 4096))
	check "SIG$sig: whole 4096-byte blocks written, erased from the block boundary $b on" \
		erased_at "$dump" $((0x40000 + b)) $((size - b))
	check "SIG$sig: the bootloader region untouched" erased_at "$dump" 0 $((0x20000))
done
tap_end
