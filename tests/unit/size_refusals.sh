#!/bin/sh
# size_refusals.sh BINARY — a file refused for its size is told in exact bytes with thousands
# separators, so that the two sizes visibly differ: a file 4 KiB over a 1,703,936-byte place
# must not read "1.6 MiB but its place holds 1.6 MiB".  No device is needed: inputs are
# checked before anything is opened.
bin=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/size_refusals.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
n=0
refused() { # refused NAME PATTERN COMMAND...: exit status 2 and PATTERN in the message
	_name=$1 _pat=$2
	shift 2
	n=$((n + 1))
	"$@" >"$work/out" 2>&1
	_rc=$?
	if [ "$_rc" -eq 2 ] && grep -q -- "$_pat" "$work/out"; then
		echo "ok $n - $_name"
	else
		echo "not ok $n - $_name (exit $_rc)"
		sed 's/^/# /' "$work/out"
	fi
}
size() { head -c "$(($2))" /dev/zero >"$work/$1"; echo "$work/$1"; }

refused "H7: 4 KiB over the firmware place (0x1A0000) shows both exact sizes" \
	"is 1,708,032 bytes but its place on the OpenMV Cam H7 holds 1,703,936" \
	"$bin" flash --board OPENMV4 --firmware "$(size fw.bin 0x1A1000)"
refused "Nano 33 BLE Sense: one byte over shows 696,321 and 696,320" \
	"is 696,321 bytes but the application area of the Arduino Nano 33 BLE Sense holds 696,320" \
	"$bin" flash --board ARDUINO_NANO_33_BLE_SENSE --firmware "$(size n33.bin 0xAA001)"
refused "AE3: a TOC smaller than its place shows 4,096 and 8,192" \
	"it is 4,096 bytes, but it must fill its place exactly (8,192 bytes)" \
	"$bin" restore-bootloader --board OPENMV_AE3 --image bootloader.bin="$(size bl.bin 100)" \
	--image firmware_pad.toc="$(size pad.toc 4096)"
refused "AE3: a TOC 1 KiB over its place shows 9,216 and 8,192" \
	"is 9,216 bytes but its place on the OpenMV AE3 holds 8,192" \
	"$bin" restore-bootloader --board OPENMV_AE3 --image bootloader.bin="$(size bl.bin 100)" \
	--image firmware_pad.toc="$(size big.toc 9216)"
echo "1..$n"
