#!/bin/sh
# cli_ae3_real_package.sh SIMHOST RESCUE SOURCE-ROOT — the AE3's bootloader restore with Alif's
# real system package (SP-AE302F80F55D5AE-rev-b4.bin, 270368 bytes, with its .sign files and the
# offset file), taken from the Security Toolkit in SOURCE-ROOT/../shared/oracles (SKIP when
# absent), against openmv-rescue-sim's AE3 in mode se under the default hands=auto: as an update
# from SERAM (authenticated, the SE's verification wait) on a production and on a DEV part (the
# -dev files), and as a ROM recovery from SEROM.  A real package starts with "ALIFTOC1": the virtual person must not take those bytes
# for the hard-maintenance handshake.  The whole MRAM is compared from --dump.  Speaks TAP.
sim=$1 rescue=$2 root=$3
alif=$root/../shared/oracles/alif-security-toolkit/alif
sp=SP-AE302F80F55D5AE-rev-b4 off=offset-58-rev-b4
if [ ! -f "$alif/$sp.bin" ] || [ ! -f "$alif/$sp.bin.sign" ]; then
	echo "1..0 # SKIP Alif's system package not found (../shared/oracles/alif-security-toolkit/alif)"
	exit 77
fi
if ! python3 -c '' 2>/dev/null; then
	echo "1..0 # SKIP python3 is needed to compare the MRAM"
	exit 77
fi
name=cli_ae3_pkg
probe=OPENMV_AE3:se
diag='$work/$last.txt'
diag_lines=12
. "$(dirname "$0")/cli_lib.sh"
last=none
# mram NAME FILE@OFFSET...: the model's fill (0xA5), from SERAM the word that points at the
# system package (§1.8), these files at these MRAM offsets, and nothing else
mram() {
	dump=$work/$1/OPENMV_AE3.mram.bin serom=$2
	shift 2
	python3 - "$dump" "$serom" "$@" <<'PY'
import sys
dump = open(sys.argv[1], "rb").read()
want = bytearray(b"\xa5" * 0x600000)
if sys.argv[2] != "serom":
    want[-4:] = (0x580000).to_bytes(4, "little")
for spec in sys.argv[3:]:
    path, at = spec.rsplit("@", 1)
    data = open(path, "rb").read()
    want[int(at, 0):int(at, 0) + len(data)] = data
for i in range(len(want)):
    if dump[i] != want[i]:
        print("# MRAM differs first at offset 0x%06X: 0x%02X, expected 0x%02X" % (i, dump[i], want[i]))
        sys.exit(1)
PY
}

# the inputs: bootloader.bin (a multiple of 16) and a firmware_pad.toc our restore accepts:
# zeros, an OEMTOC01 header with one 32-byte entry, the tail with the header's CRC-32 (§1.10)
mkdir "$work/package"
head -c 5008 /dev/urandom >"$work/bootloader.bin"
{ printf 'OEMTOC01\040\000\001\000\040\000\002\000'; head -c 36 /dev/zero; printf 'HP_BOOT'; head -c 5 /dev/zero; } >"$work/toc.hdr"
{ head -c $((8192 - 16 - 64)) /dev/zero; cat "$work/toc.hdr"; gzip -c <"$work/toc.hdr" | tail -c 8 | head -c 4; head -c 12 /dev/zero; } \
	>"$work/firmware_pad.toc"
for f in "$sp.bin" "$sp.bin.sign" "$off.bin" "$off.bin.sign" \
	"$sp-dev.bin" "$sp-dev.bin.sign" "$off-dev.bin" "$off-dev.bin.sign"; do ln -s "$(cd "$alif" && pwd)/$f" "$work/package/$f"; done
# the OpenMV IDE keeps a version.json beside the package; the toolkit's is v1.110.0
printf '{"version_major": 1, "version_minor": 110, "version_patch": 0}\n' >"$work/package/version.json"
run() { # run NAME CAMERA-OPTIONS
	last=$1
	mkdir -p "$work/$1"
	HOME="$work" "$sim" --camera "OPENMV_AE3:se$2" --dump "$work/$1" -- "$rescue" restore-bootloader \
		--board OPENMV_AE3 --image bootloader.bin="$work/bootloader.bin" \
		--image firmware_pad.toc="$work/firmware_pad.toc" --image system-package="$work/package" \
		--yes --timeout 60 >"$work/$1.txt" 2>&1
}
images="$work/bootloader.bin@0 $work/firmware_pad.toc@0x57E000"

run update ""
check "real package, SE v1.104.0: restore-bootloader updates it and exits 0" test $? -eq 0
check "real package: the update was written with its signatures" \
	grep -q "Updating the Secure Enclave firmware v1.104.0 to the system package v1.110.0" "$work/update.txt"
check "real package: MRAM holds SP at 0x80580000, the offset file at 0x805FFFF0 and both images" \
	mram update seram "$alif/$sp.bin@0x580000" "$alif/$off.bin@0x5FFFF0" $images

run dev ",se-keys=dev"
check "real package, a part with a DEV key hash (se-keys=dev): exits 0" test $? -eq 0
check "real package, DEV part: MRAM holds the -dev package and offset file, and both images" \
	mram dev seram "$alif/$sp-dev.bin@0x580000" "$alif/$off-dev.bin@0x5FFFF0" $images

run serom ",se=serom"
check "real package, SEROM: ROM recovery, then the bootloader; exits 0" test $? -eq 0
check "real package, SEROM: MRAM holds the package, the offset file and both images" \
	mram serom serom "$alif/$sp.bin@0x580000" "$alif/$off.bin@0x5FFFF0" $images

tap_end
