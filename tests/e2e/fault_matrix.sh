#!/bin/sh
# fault_matrix.sh SIMHOST RESCUE BOARDS — every family of bootloader against every fault the
# virtual cameras can inject, through openmv-rescue-sim: each run must end within its timeout
# with exit 1, one line "openmv-rescue: ..." saying what happened, and the protected region
# (the bootloader, or for a bootloader restore the memory beyond it) byte for byte as a run
# without the fault leaves it.  Prints the table and "faults survived: N of M"; M counts every
# cell, and a cell the simulator cannot inject is printed as such and not counted survived.
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
same_range() { # same_range DUMP BASELINE OFFSET LENGTH
	bytes "$3" "$4" "$1" >"$work/a.bin"
	bytes "$3" "$4" "$2" >"$work/b.bin"
	[ -s "$work/a.bin" ] && cmp -s "$work/a.bin" "$work/b.bin"
}

# small images: a few blocks each, so that first, second, middle and last differ
firmware 0x00010000 $((0x08040000 + 0x201)) 20480 "$work/h7.bin"            # 5 blocks of 4096
firmware 0x20020000 $((0x08040000 + 0x301)) 20480 "$work/portenta.bin"
head -c 20000 /dev/urandom >"$work/boot.bin"
head -c 16384 /dev/urandom >"$work/rt.bin"
head -c 20480 /dev/urandom >"$work/nano33.bin"                               # 5 pages of 4096
head -c 16384 /dev/urandom >"$work/rp.bin"                                   # 4 WRITEs of 4096
mkdir -p "$work/n6"
printf '#Opt\tId\tName\tType\tIP\tOffset\tBinary\n' >"$work/n6/FlashLayout.tsv"
printf 'P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\tobl.stm32\n' >>"$work/n6/FlashLayout.tsv"
printf 'P\t0x3\tfsbl-extfl\tBinary\tnone\t0x0\textfl.bin\n' >>"$work/n6/FlashLayout.tsv"
printf 'P\t0x4\tfsbl-app\tBinary\tnor0\t0x0000000\tbootloader.bin' >>"$work/n6/FlashLayout.tsv"
head -c 20000 /dev/urandom >"$work/n6/obl.stm32"
head -c 4000 /dev/urandom >"$work/n6/extfl.bin"
head -c 70000 /dev/urandom >"$work/n6/bootloader.bin"

columns="disc-first disc-second disc-middle disc-last stall timeout error-status garbage replaced serial-vanish"
# FAMILY|CAMERA|DUMP MEMORY|PROTECTED OFFSET|LENGTH|ARGS|the fault per column ("-": cannot inject)
# Block numbers: wBlockNum (openmv_dfu), data chunks from 0 (DfuSe), HID reports (NXP), flash
# copies (SAM-BA), WRITE commands (PICOBOOT: the product sends one WRITE per image, so only
# the first can vanish; bad-ack@6 is the ack of that WRITE), phase answers (N6).
families=$(cat <<ROWS
openmv_dfu|OPENMV4:bootloader|OPENMV4.flash|0|0x20000|flash --board OPENMV4 --firmware $work/h7.bin|disconnect@block=0 disconnect@block=1 disconnect@block=2 disconnect@block=4 stall@8 timeout@8 status=errWRITE@block=2 garbage-status@4 - -
ST ROM|OPENMV4:st-rom|OPENMV4.flash|0x20000|0x20000|restore-bootloader --board OPENMV4 --file $work/boot.bin|disconnect@block=0 disconnect@block=1 disconnect@block=10 disconnect@block=19 stall@8 timeout@8 status=errWRITE@block=4 garbage-status@4 - -
Arduino DfuSe|ARDUINO_PORTENTA_H7:arduino-dfu|ARDUINO_PORTENTA_H7.flash|0|0x40000|flash --board ARDUINO_PORTENTA_H7 --firmware $work/portenta.bin|disconnect@block=0 disconnect@block=1 disconnect@block=2 disconnect@block=4 stall@8 timeout@8 status=errWRITE@block=4 garbage-status@4 - -
NXP SDP+mboot|OPENMV_RT1060:sbl|OPENMV_RT1060.flexspi|0|0x40000|flash --board OPENMV_RT1060 --firmware $work/rt.bin|vanish@report=3 vanish@report=4 vanish@report=10 vanish@report=18 - - status=10000@data=1 short-report@3 - -
Alif ISP|OPENMV_AE3:se|OPENMV_AE3.mram|0x20000|0x20000|restore-bootloader --board OPENMV_AE3 --dir $work|- - - - - - - - - -
SAM-BA|ARDUINO_NANO_33_BLE_SENSE:samba|ARDUINO_NANO_33_BLE_SENSE.flash|0xE0000|0x20000|flash --board ARDUINO_NANO_33_BLE_SENSE --firmware $work/nano33.bin|nano-fault=vanish@1 nano-fault=vanish@2 nano-fault=vanish@3 nano-fault=vanish@5 - - nano-fault=wrong-reply@2 - - nano-fault=vanish@4
PICOBOOT|ARDUINO_NANO_RP2040_CONNECT:bootsel|ARDUINO_NANO_RP2040_CONNECT.flash|0x100000|0x100000|flash --board ARDUINO_NANO_RP2040_CONNECT --firmware $work/rp.bin|nano-fault=vanish@1 - - - - - - nano-fault=bad-ack@6 - -
N6 phase|OPENMV_N6:st-rom|OPENMV_N6.xspi|0x100000|0x100000|restore-bootloader --board OPENMV_N6 --file $work/n6/FlashLayout.tsv --boards $boards|disconnect@phase=1 disconnect@phase=2 disconnect@phase=3 disconnect@phase=4 stall@8 timeout@8 phase=0xFE@3 garbage-phase@3 - -
ROWS
)

# The memories a run without any fault leaves (what the protected region must still hold).
echo "$families" | while IFS='|' read -r fam cam mem off len args faults; do
	mkdir -p "$work/base-${cam%%:*}"
	"$sim" --camera "$cam" --dump "$work/base-${cam%%:*}" -- true >/dev/null 2>&1
done

table="$work/table"
: >"$table"
survived=0
cells=0
# one FAMILY CAMERA MEMORY OFFSET LENGTH COLUMN FAULT ARGS...: one cell; its verdict in $verdict
one() {
	fam=$1 cam=$2 mem=$3 off=$4 len=$5 col=$6 fault=$7
	shift 7
	d="$work/cell"
	rm -rf "$d"
	mkdir -p "$d"
	case $fault in
	nano-fault=*) set -- --camera "$cam,$fault" -- "$rescue" "$@" ;;
	*) set -- --camera "$cam" --fault "$fault" -- "$rescue" "$@" ;;
	esac
	start=$(date +%s)
	timeout 90 "$sim" --dump "$d" "$@" --yes --timeout 15 >"$d/out" 2>"$d/err" </dev/null
	st=$?
	secs=$(($(date +%s) - start))
	line=$(grep '^openmv-rescue: ' "$d/err" | tail -n 1)
	why=""
	[ "$st" -eq 124 ] && why="hung (killed after 90 s)"
	[ -z "$why" ] && [ "$st" -ne 1 ] && why="exit $st, not 1"
	[ -z "$why" ] && [ "$(grep -c '^openmv-rescue: ' "$d/err")" -ne 1 ] && why="not one line on stderr"
	[ -z "$why" ] && ! printf '%s' "$line" | grep -qiE 'disconnect|left|gone|vanish|stall|time|respond|answer|repl|report|status|error|unexpected|fail|lost|refus|wrong|short|acknowledg' &&
		why="the line does not say what happened"
	[ -z "$why" ] && ! same_range "$d/${cam%%:*}.${mem#*.}.bin" "$work/base-${cam%%:*}/${cam%%:*}.${mem#*.}.bin" "$off" "$len" &&
		why="protected region changed"
	if [ -z "$why" ]; then
		verdict="survived (${secs}s)"
		survived=$((survived + 1))
	else
		verdict="FAILED: $why"
	fi
	check "$fam / $col ($fault): ends in ${secs}s, exit 1, one line, protected region untouched" test -z "$why"
	[ -n "$why" ] && sed 's/^/#   /' "$d/err" | tail -n 6
	printf '%-14s %-14s %-34s %s | %s\n' "$fam" "$col" "$fault" "$verdict" "$line" >>"$table"
}

echo "$families" >"$work/families"
while IFS='|' read -r fam cam mem off len args faults; do
	set -- $faults
	for col in $columns; do
		fault=$1
		shift
		cells=$((cells + 1))
		if [ "$fault" = - ]; then
			printf '%-14s %-14s %-34s %s\n' "$fam" "$col" "-" "cannot inject (the simulator has no such fault for this family)" >>"$table"
			continue
		fi
		# shellcheck disable=SC2086
		one "$fam" "$cam" "$mem" "$off" "$len" "$col" "$fault" $args
	done
done <"$work/families"

echo "# fault matrix: FAMILY, FAULT, SPEC, VERDICT | the product's line"
sed 's/^/# /' "$table"
echo "# faults survived: $survived of $cells"
tap_end
