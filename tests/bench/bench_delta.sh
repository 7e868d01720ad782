#!/bin/sh
# bench_delta.sh SIMHOST RESCUE — delta mode against a full write, with the simulator's
# realistic timing (sector erase and program times; bus time as the simulator charges it).
# The AE3's four-image flash (HP 1.5 MiB, HE 1 MiB and ROMFS1 1 MiB in MRAM, ROMFS0 in OSPI,
# BENCH_ROMFS_MIB MiB, default 4) when (a) nothing changed, (b) only firmware_M55_HP.bin
# changed, (c) everything changed: openmv-rescue (delta, then a full read-back verify) against
# dfu-util's four commands (full writes, no read-back), and openmv-rescue --full; then the H7's
# firmware + ROMFS with the ROMFS unchanged, and the RT1062's firmware with its first half
# unchanged (against --full: no blhost here).  Prints wall times and ratios; asserts nothing.
# Run with: sh tests/bootstrap.sh bench
sim=$(realpath "$1")
rescue=$(realpath "$2")
dfu_util=$(command -v dfu-util) || { echo "dfu-util is not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-delta.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99
mib=${BENCH_ROMFS_MIB:-4}

rand() { head -c "$2" /dev/urandom >"$1"; }
rand hp.bin $((1536 * 1024)); rand he.bin $((1024 * 1024)); rand r1.img $((1024 * 1024))
rand r0.img $((mib * 1024 * 1024)); rand hp2.bin $((1536 * 1024))
for f in hp.bin he.bin r1.img r0.img; do rand "old-$f" "$(wc -c <"$f")"; done

# secs CMD...: wall seconds of CMD (a shell command line), which must succeed
secs() {
	_t0=$(date +%s.%N)
	# dfu-util's exit status after its closing USB reset is not a measure; its "Done!" is
	if ! sh -c "$1" >out.txt 2>&1 && ! tail -n 3 out.txt | grep -q '^Done!'; then
		tail -n 5 out.txt >&2
		echo "FAILED"
		return 1
	fi
	echo "$(date +%s.%N) - $_t0" | bc | xargs printf '%.2f'
}
# ae3 LOADPREFIX CMD: CMD against a virtual AE3 whose four partitions hold LOADPREFIX* images
# (one command: a chain of several goes in sh -c, so that all of it runs under the simulator)
ae3() {
	echo "'$sim' --timing realistic --camera OPENMV_AE3:bootloader --load alt1=$1hp.bin \
--load alt2=$1he.bin --load alt3=$1r1.img --load alt6=$1r0.img -- $2"
}
ours="'$rescue' flash --board OPENMV_AE3 --image firmware_M55_HE.bin=he.bin --image romfs1.img=r1.img --image romfs0.img=r0.img --yes"
theirs="$dfu_util -w -d ,37C5:96E3 -a 2 -D he.bin && $dfu_util -w -d ,37C5:96E3 -a 3 -D r1.img && $dfu_util -w -d ,37C5:96E3 -a 6 --reset -D r0.img"
# the camera starts as the images (a, b) or as other bytes (c); HP is hp.bin, or hp2.bin in (b)
row() { # row LABEL LOADPREFIX HPFILE
	o=$(secs "$(ae3 "$2" "$ours --image firmware_M55_HP.bin=$3")") || exit 1
	f=$(secs "$(ae3 "$2" "$ours --full --image firmware_M55_HP.bin=$3")") || exit 1
	t=$(secs "$(ae3 "$2" "sh -c \"$dfu_util -w -d ,37C5:96E3 -a 1 -D $3 && $theirs\"")") || exit 1
	printf '%-28s %8s s %8s s %8s s   dfu-util/ours %5sx   full/ours %5sx\n' "$1" "$o" "$f" "$t" \
		"$(echo "scale=2; $t / $o" | bc)" "$(echo "scale=2; $f / $o" | bc)"
}
echo "== AE3 four-image flash, ROMFS0 $mib MiB, realistic timing"
printf '%-28s %10s %10s %10s\n' "" "ours" "ours --full" "dfu-util"
row "(a) nothing changed" "" hp.bin
row "(b) only HP changed" "" hp2.bin
row "(c) everything changed" "old-" hp.bin
echo "   ours reads each image back before writing (delta) and what it wrote after; dfu-util reads nothing back"

echo "== H7 firmware + ROMFS, the ROMFS unchanged, realistic timing"
fw=$work/fw.bin
python3 -c "import os,struct,sys; sys.stdout.buffer.write(struct.pack('<II',0x20010000,0x08040201)+os.urandom(1536*1024-8))" >"$fw"
rand old-fw.bin $((1536 * 1024)); rand romfs.img $((100 * 1024))
h7="'$sim' --timing realistic --camera OPENMV4:bootloader --load alt2=old-fw.bin --load alt3=romfs.img --"
o=$(secs "$h7 '$rescue' flash --board OPENMV4 --firmware fw.bin --romfs romfs.img --yes") || exit 1
t=$(secs "$h7 sh -c '$dfu_util -w -d ,37C5:9204 -a 2 -D fw.bin && $dfu_util -w -d ,37C5:9204 -a 3 --reset -D romfs.img'") || exit 1
echo "ours $o s, dfu-util $t s, dfu-util/ours $(echo "scale=2; $t / $o" | bc)x"
echo "   the H7's ROMFS partition is one 128 KiB sector, the one block 0 opens: it is always"
echo "   rewritten, so only the firmware's unchanged sectors are saved here"
echo "   a changed sector costs a 64-byte probe after a changed one, else up to its first differing 4 KiB block"

echo "== RT1062 (blhost) firmware, its first half unchanged, realistic timing"
rand rtfw.bin $((1024 * 1024))
{ head -c $((512 * 1024)) rtfw.bin; head -c $((512 * 1024)) /dev/urandom; } >old-rtfw.bin
rt="'$sim' --timing realistic --camera OPENMV_RT1060:sbl --load 0x60040000=old-rtfw.bin --"
o=$(secs "$rt '$rescue' flash --board OPENMV_RT1060 --firmware rtfw.bin --yes") || exit 1
f=$(secs "$rt '$rescue' flash --board OPENMV_RT1060 --firmware rtfw.bin --yes --full") || exit 1
echo "ours $o s, ours --full $f s, full/ours $(echo "scale=2; $f / $o" | bc)x"
echo "   no peer: NXP's blhost is not installed here (it is not packaged for Debian)"
echo "== Alif SE (AE3 restore-bootloader) and the N6 restore: written in full, no delta mode (the SE"
echo "   reads MRAM 16 bytes a command: read back after the write; the N6 ROM reads nothing back:"
echo "   verify reads the bootloader back through itself)"
