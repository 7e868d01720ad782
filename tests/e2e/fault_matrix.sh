#!/bin/sh
# fault_matrix.sh SIMHOST RESCUE BOARDS — every family of bootloader against every fault the
# virtual cameras can inject, through openmv-rescue-sim: each run must end within its timeout
# with exit 1, one line "openmv-rescue: ..." saying what happened, and the protected region
# (the bootloader, or for a bootloader restore the memory beyond it) byte for byte as a run
# without the fault leaves it.  Prints the table and "faults survived: N of M"; M counts every
# cell, and a cell the simulator cannot inject is printed as such and not counted survived.
# Cells run FAULT_MATRIX_JOBS (4) at a time, each with a simulator of its own.
# Speaks TAP: one line per injectable cell.
sim=$1
rescue=$2
boards=$3
name=fault_matrix
. "$(dirname "$0")/cli_lib.sh"
le32() { printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"; }
firmware() { # firmware SP RESET SIZE FILE: a firmware image whose vector table fits a board
	{ le32 "$1"; le32 "$2"; head -c $(($3 - 8)) /dev/urandom; } >"$4"
}
same_range() { # same_range DUMP BASELINE OFFSET LENGTH (scratch files beside DUMP)
	_at=$(dirname "$1")
	bytes "$3" "$4" "$1" >"$_at/a.bin"
	bytes "$3" "$4" "$2" >"$_at/b.bin"
	[ -s "$_at/a.bin" ] && cmp -s "$_at/a.bin" "$_at/b.bin"
}

# small images: a few blocks each, so that first, second, middle and last differ
firmware 0x00010000 $((0x08040000 + 0x201)) 20480 "$work/h7.bin"            # 5 blocks of 4096
firmware 0x20020000 $((0x08040000 + 0x301)) 20480 "$work/portenta.bin"
head -c 20000 /dev/urandom >"$work/boot.bin"
head -c 16384 /dev/urandom >"$work/rt.bin"
head -c 20480 /dev/urandom >"$work/nano33.bin"                               # 5 pages of 4096
head -c 65536 /dev/urandom >"$work/rp.bin"                                   # one WRITE, 4 URBs of 16 KiB
mkdir -p "$work/n6"
printf '#Opt\tId\tName\tType\tIP\tOffset\tBinary\n' >"$work/n6/FlashLayout.tsv"
printf 'P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\tobl.stm32\n' >>"$work/n6/FlashLayout.tsv"
printf 'P\t0x3\tfsbl-extfl\tBinary\tnone\t0x0\textfl.bin\n' >>"$work/n6/FlashLayout.tsv"
printf 'P\t0x4\tfsbl-app\tBinary\tnor0\t0x0000000\tbootloader.bin' >>"$work/n6/FlashLayout.tsv"
head -c 20000 /dev/urandom >"$work/n6/obl.stm32"
head -c 4000 /dev/urandom >"$work/n6/extfl.bin"
head -c 70000 /dev/urandom >"$work/n6/bootloader.bin"
# the AE3's images (as cli_ae3_se.sh makes them): bootloader.bin (5000 bytes: 21 DOWNLOAD_DATA
# of 240 bytes once padded to 16) and firmware_pad.toc (8192: 35 more), so data chunk 1, 2,
# 28 and 56 are the first, second, middle and last the SE receives
mkdir -p "$work/ae3"
head -c 5000 /dev/urandom >"$work/ae3/bootloader.bin"
zeros() { head -c "$1" /dev/zero; }
{ printf 'OEMTOC01\040\000\001\000\040\000\002\000'; zeros 16; zeros 20; printf 'HP_BOOT'; zeros 5; } >"$work/toc.hdr"
{ zeros $((8192 - 16 - 64)); cat "$work/toc.hdr"; gzip -c <"$work/toc.hdr" | tail -c 8 | head -c 4; zeros 12; } >"$work/ae3/firmware_pad.toc"
head -c 200001 /dev/urandom >"$work/ae3/firmware_M55_HP.bin"
head -c 100003 /dev/urandom >"$work/ae3/firmware_M55_HE.bin"
head -c 50000 /dev/urandom >"$work/ae3/romfs1.img"
head -c 70000 /dev/urandom >"$work/ae3/romfs0.img"

columns="disc-first disc-second disc-middle disc-last stall timeout error-status garbage replaced serial-vanish"
# FAMILY|CAMERA|DUMP MEMORY|PROTECTED OFFSET|LENGTH|ARGS|the fault per column ("-": cannot inject)
# Block numbers: wBlockNum (openmv_dfu), data chunks from 0 (DfuSe), HID reports (NXP), data
# chunks from 1 (Alif ISP: DOWNLOAD_DATA), flash copies (SAM-BA), phase answers (N6).  PICOBOOT:
# the product sends one WRITE per image (64 KiB: libusb's 4 URBs of 16 KiB), so vanish@1 is at
# that WRITE command and vanish-byte@N where byte N of its data arrives (in URB 2, 3 and 4);
# command 23 is the WRITE (stall, timeout, error-status, bad-ack strike it): after EXCLUSIVE_ACCESS,
# the two ROM READs, and delta mode's EXIT_XIP and its 16 probe READs (each sector's first 64
# bytes: every one differs), the EXIT_XIP and the ERASE.
# replaced: the device leaves at that point and, a moment later, another one (the same
# bootloader with another serial number; the AE3: another FTDI bridge with an E7's SE behind
# it) enumerates on the same port.
# A cell that cannot be injected gives its reason after "-:" (no spaces: "_" for one).
families=$(cat <<ROWS
openmv_dfu|OPENMV4:bootloader|OPENMV4.flash|0|0x20000|flash --board OPENMV4 --firmware $work/h7.bin|disconnect@block=0 disconnect@block=1 disconnect@block=2 disconnect@block=4 stall@8 timeout@8 status=errWRITE@block=2 garbage-status@4 replaced@block=2 -:no_serial_port:_a_DFU_bootloader_is_USB_only
ST ROM|OPENMV4:st-rom|OPENMV4.flash|0x20000|0x20000|restore-bootloader --board OPENMV4 --file $work/boot.bin|disconnect@block=0 disconnect@block=1 disconnect@block=10 disconnect@block=19 stall@8 timeout@8 status=errWRITE@block=4 garbage-status@4 replaced@block=10 -:no_serial_port:_a_DFU_bootloader_is_USB_only
Arduino DfuSe|ARDUINO_PORTENTA_H7:arduino-dfu|ARDUINO_PORTENTA_H7.flash|0|0x40000|flash --board ARDUINO_PORTENTA_H7 --firmware $work/portenta.bin|disconnect@block=0 disconnect@block=1 disconnect@block=2 disconnect@block=4 stall@8 timeout@8 status=errWRITE@block=4 garbage-status@4 replaced@block=2 -:no_serial_port:_a_DFU_bootloader_is_USB_only
NXP SDP+mboot|OPENMV_RT1060:sbl|OPENMV_RT1060.flexspi|0|0x40000|flash --board OPENMV_RT1060 --firmware $work/rt.bin|vanish@report=3 vanish@report=4 vanish@report=10 vanish@report=18 stall@10 timeout@10 status=10000@data=1 short-report@3 replaced@report=10 -:no_serial_port:_HID_only
Alif ISP|OPENMV_AE3:se|OPENMV_AE3.mram|0x20000|0x20000|restore-bootloader --board OPENMV_AE3 --dir $work/ae3|se-fault=vanish@1 se-fault=vanish@2 se-fault=vanish@28 se-fault=vanish@56 -:a_UART_has_no_STALL se-fault=silent@10 se-fault=nak@10 se-fault=garbage@10 se-fault=replaced@28 se-fault=tty-gone@28
SAM-BA|ARDUINO_NANO_33_BLE_SENSE:samba|ARDUINO_NANO_33_BLE_SENSE.flash|0xE0000|0x20000|flash --board ARDUINO_NANO_33_BLE_SENSE --firmware $work/nano33.bin|nano-fault=vanish@1 nano-fault=vanish@2 nano-fault=vanish@3 nano-fault=vanish@5 -:a_CDC_ACM_tty_has_no_STALL_the_host_sees nano-fault=timeout@3 nano-fault=wrong-reply@2 nano-fault=garbage@2 nano-fault=replaced@3 nano-fault=vanish@4
PICOBOOT|ARDUINO_NANO_RP2040_CONNECT:bootsel|ARDUINO_NANO_RP2040_CONNECT.flash|0x100000|0x100000|flash --board ARDUINO_NANO_RP2040_CONNECT --firmware $work/rp.bin|nano-fault=vanish@1 nano-fault=vanish-byte@16385 nano-fault=vanish-byte@32769 nano-fault=vanish-byte@49153 nano-fault=stall@23 nano-fault=timeout@23 nano-fault=error-status@23 nano-fault=bad-ack@23 nano-fault=replaced@32769 -:no_serial_port:_USB_only
N6 phase|OPENMV_N6:st-rom|OPENMV_N6.xspi|0x100000|0x100000|restore-bootloader --board OPENMV_N6 --file $work/n6/FlashLayout.tsv --boards $boards|disconnect@phase=1 disconnect@phase=2 disconnect@phase=3 disconnect@phase=4 stall@8 timeout@8 phase=0xFE@3 garbage-phase@3 replaced@phase=3 -:no_serial_port:_a_DFU_bootloader_is_USB_only
ROWS
)

# The memories a run without any fault leaves (what the protected region must still hold).
echo "$families" | {
	while IFS='|' read -r fam cam mem off len args faults; do
		mkdir -p "$work/base-${cam%%:*}"
		"$sim" --camera "$cam" --dump "$work/base-${cam%%:*}" -- true >/dev/null 2>&1 &
	done
	wait
}

table="$work/table"
: >"$table"
survived=0
cells=0
# one DIR FAMILY CAMERA MEMORY OFFSET LENGTH FAULT ARGS...: run one cell in DIR; leaves there
# "why" (empty: survived), "secs" and "line" (the product's last "openmv-rescue: " line)
one() {
	d=$1 cam=$3 mem=$4 off=$5 len=$6 fault=$7
	shift 7
	case $fault in
	nano-fault=* | se-fault=*) set -- --camera "$cam,$fault" -- "$rescue" "$@" ;;
	*) set -- --camera "$cam" --fault "$fault" -- "$rescue" "$@" ;;
	esac
	start=$(date +%s)
	timeout 90 "$sim" --dump "$d" "$@" --yes --timeout 15 >"$d/out" 2>"$d/err" </dev/null
	st=$?
	echo $(($(date +%s) - start)) >"$d/secs"
	line=$(grep '^openmv-rescue: ' "$d/err" | tail -n 1)
	printf '%s' "$line" >"$d/line"
	why=""
	[ "$st" -eq 124 ] && why="hung (killed after 90 s)"
	[ -z "$why" ] && [ "$st" -ne 1 ] && why="exit $st, not 1"
	[ -z "$why" ] && [ "$(grep -c '^openmv-rescue: ' "$d/err")" -ne 1 ] && why="not one line on stderr"
	[ -z "$why" ] && ! printf '%s' "$line" | grep -qiE 'disconnect|left|gone|vanish|stall|time|respond|answer|repl|report|status|error|unexpected|fail|lost|refus|wrong|short|acknowledg' &&
		why="the line does not say what happened"
	[ -z "$why" ] && ! same_range "$d/${cam%%:*}.${mem#*.}.bin" "$work/base-${cam%%:*}/${cam%%:*}.${mem#*.}.bin" "$off" "$len" &&
		why="protected region changed"
	printf '%s' "$why" >"$d/why"
}

# Every cell, in table order: "INDEX|FAMILY|CAMERA|MEMORY|OFFSET|LENGTH|COLUMN|FAULT|ARGS".
echo "$families" >"$work/families"
: >"$work/cells"
while IFS='|' read -r fam cam mem off len args faults; do
	set -- $faults
	for col in $columns; do
		cells=$((cells + 1))
		echo "$cells|$fam|$cam|$mem|$off|$len|$col|$1|$args" >>"$work/cells"
		shift
	done
done <"$work/families"

# Run them FAULT_MATRIX_JOBS at a time (each cell is a simulator of its own; most of a cell
# is waiting): a new one starts as soon as one ends.
jobs=${FAULT_MATRIX_JOBS:-4}
started=0
while IFS='|' read -r i fam cam mem off len col fault args; do
	case $fault in -*) continue ;; esac
	while [ $((started - $(find "$work" -name done | wc -l))) -ge "$jobs" ]; do
		sleep 0.2
	done
	mkdir -p "$work/cell-$i"
	# shellcheck disable=SC2086
	{ one "$work/cell-$i" "$fam" "$cam" "$mem" "$off" "$len" "$fault" $args; : >"$work/cell-$i/done"; } </dev/null &
	started=$((started + 1))
done <"$work/cells"
wait

while IFS='|' read -r i fam cam mem off len col fault args; do
	case $fault in
	-*)
		why=$(printf '%s' "${fault#-:}" | tr _ ' ')
		[ "$fault" = - ] && why="the simulator has no such fault for this family"
		printf '%-14s %-14s %-34s %s\n' "$fam" "$col" "-" "cannot inject ($why)" >>"$table"
		continue
		;;
	esac
	d="$work/cell-$i"
	why=$(cat "$d/why" 2>/dev/null || echo "did not run")
	secs=$(cat "$d/secs" 2>/dev/null)
	line=$(cat "$d/line" 2>/dev/null)
	if [ -z "$why" ]; then
		verdict="survived (${secs}s)"
		survived=$((survived + 1))
	else
		verdict="FAILED: $why"
	fi
	check "$fam / $col ($fault): ends in ${secs}s, exit 1, one line, protected region untouched" test -z "$why"
	[ -n "$why" ] && sed 's/^/#   /' "$d/err" | tail -n 6
	printf '%-14s %-14s %-34s %s | %s\n' "$fam" "$col" "$fault" "$verdict" "$line" >>"$table"
done <"$work/cells"

echo "# fault matrix: FAMILY, FAULT, SPEC, VERDICT | the product's line"
sed 's/^/# /' "$table"
echo "# faults survived: $survived of $cells"
tap_end
