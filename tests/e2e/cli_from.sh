#!/bin/sh
# cli_from.sh SIMHOST RESCUE — --from: the board's images picked by name from an OpenMV
# release zip (firmware_<tag>.zip with one folder per TARGET, firmware_<TARGET>.zip with its
# files at the root: openmv/openmv tools/ci.sh), from an OpenMV IDE folder
# (share/qtcreator/firmware/<TARGET>: openmv/qt-creator), flashed into the virtual H7 and AE3
# and compared byte for byte; a zip without the board, a hostile zip (../, a symlink, an
# oversized entry) and a picked image of the wrong board refused, exit 2, nothing written.
# The zips are made with python3's zipfile.  Speaks TAP.
sim=$1
rescue=$2
name=cli_from
. "$(dirname "$0")/cli_lib.sh"
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 is not installed"; exit 77; }
run() { # run OUT DUMPDIR SIMARGS... -- RESCUEARGS...
	out=$1 dump=$2
	shift 2
	mkdir -p "$dump" "$work/tmp"
	TMPDIR="$work/tmp" "$sim" --dump "$dump" "$@" >"$out" 2>&1
}
# mkzip ZIP NAME=FILE...: a zip whose entry NAME holds FILE (NAME=@link:TARGET: a symlink)
mkzip() {
	python3 - "$@" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for arg in sys.argv[2:]:
        name, src = arg.split("=", 1)
        if src.startswith("@link:"):
            info = zipfile.ZipInfo(name)
            info.create_system = 3                 # Unix: the mode is in external_attr
            info.external_attr = (0o120777) << 16  # S_IFLNK
            z.writestr(info, src[6:])
        elif src.startswith("@zeros:"):
            z.writestr(name, bytes(int(src[7:])))
        else:
            z.write(src, name)
PY
}
# an OpenMV Cam H7 firmware image: stack in its RAM, reset vector into the image (cli_dfu.sh)
le32() { printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"; }
{ le32 0x00010000; le32 $((0x08040000 + 0x201)); head -c 123449 /dev/urandom; } >"$work/firmware.bin"
{ le32 0x10010000; le32 $((0x08010000 + 0x201)); head -c 5000 /dev/urandom; } >"$work/fw-m4.bin"
head -c 70000 /dev/urandom >"$work/romfs0.img"
head -c 20000 /dev/urandom >"$work/bootloader.bin"
no_tmp_left() { [ -z "$(ls -A "$work/tmp")" ]; }
fw_at() { same_at "$1/OPENMV4.flash.bin" $((0x40000)) "$work/firmware.bin" && same_at "$1/OPENMV4.flash.bin" $((0x1E0000)) "$work/romfs0.img"; }
untouched() { erased_at "$1/OPENMV4.flash.bin" $((0x40000)) 8192; }

# ---- a stable release: firmware_<tag>.zip, one folder per TARGET ------------------------
mkzip "$work/firmware_v9.9.9.zip" OPENMV4/firmware.bin="$work/firmware.bin" \
	OPENMV4/romfs0.img="$work/romfs0.img" OPENMV4/bootloader.bin="$work/bootloader.bin" \
	OPENMV2/firmware.bin="$work/fw-m4.bin" CYW4343/README=@zeros:10
run "$work/out" "$work/stable" --camera OPENMV4:bootloader -- \
	"$rescue" flash --board OPENMV4 --from "$work/firmware_v9.9.9.zip" --yes
check "flash --from firmware_v9.9.9.zip exits 0" test $? -eq 0
check "stable zip: firmware.bin and romfs0.img from OPENMV4/ in the H7's flash" fw_at "$work/stable"
check "stable zip: every pick shown with its verdict" grep -Eq "firmware.bin +123457 bytes  ok" "$work/out"
check "stable zip: the source named" grep -q "Images from the zip firmware_v9.9.9.zip (its folder OPENMV4)" "$work/out"
check "stable zip: the private folder removed afterwards" no_tmp_left

# ---- a development release: firmware_<TARGET>.zip, its files at the root ----------------
mkzip "$work/firmware_OPENMV4.zip" firmware.bin="$work/firmware.bin" romfs0.img="$work/romfs0.img"
run "$work/out" "$work/dev" --camera OPENMV4:bootloader -- \
	"$rescue" flash --board OPENMV4 --from "$work/firmware_OPENMV4.zip" --yes
check "flash --from firmware_OPENMV4.zip exits 0" test $? -eq 0
check "per-board zip: both images in the H7's flash" fw_at "$work/dev"

# ---- the AE3's four images from a release zip -------------------------------------------
head -c 200001 /dev/urandom >"$work/hp.bin"
head -c 100003 /dev/urandom >"$work/he.bin"
head -c 50000 /dev/urandom >"$work/romfs1.img"
mkzip "$work/firmware_v9.9.8.zip" OPENMV_AE3/firmware_M55_HP.bin="$work/hp.bin" \
	OPENMV_AE3/firmware_M55_HE.bin="$work/he.bin" OPENMV_AE3/romfs0.img="$work/romfs0.img" \
	OPENMV_AE3/romfs1.img="$work/romfs1.img" OPENMV4/firmware.bin="$work/firmware.bin"
run "$work/out" "$work/ae3" --camera OPENMV_AE3:bootloader -- \
	"$rescue" flash --board OPENMV_AE3 --from "$work/firmware_v9.9.8.zip" --yes
check "AE3 flash --from a release zip exits 0" test $? -eq 0
check "AE3 zip: HP firmware at 0x80020000" same_at "$work/ae3/OPENMV_AE3.mram.bin" $((0x20000)) "$work/hp.bin"
check "AE3 zip: HE firmware at 0x80320000" same_at "$work/ae3/OPENMV_AE3.mram.bin" $((0x320000)) "$work/he.bin"
check "AE3 zip: romfs1 at 0x8047E000" same_at "$work/ae3/OPENMV_AE3.mram.bin" $((0x47E000)) "$work/romfs1.img"
check "AE3 zip: romfs0 at OSPI 8 MiB" same_at "$work/ae3/OPENMV_AE3.ospi.bin" $((0x800000)) "$work/romfs0.img"

# ---- an OpenMV IDE folder: share/qtcreator/firmware/<TARGET>/, and 'ide' finds it -------
ide=$work/home/openmvide/share/qtcreator/firmware
mkdir -p "$ide/OPENMV4" "$ide/OPENMV2"
cp "$work/firmware.bin" "$work/romfs0.img" "$ide/OPENMV4/"
run "$work/out" "$work/ide" --camera OPENMV4:bootloader -- \
	"$rescue" flash --board OPENMV4 --from "$work/home/openmvide" --yes
check "flash --from an IDE folder exits 0" test $? -eq 0
check "IDE folder: both images in the H7's flash" fw_at "$work/ide"
HOME=$work/home run "$work/out" "$work/ide2" --camera OPENMV4:bootloader -- \
	"$rescue" flash --board OPENMV4 --from ide --yes
check "flash --from ide finds ~/openmvide [I] and exits 0" test $? -eq 0
check "--from ide: the installation it used is named" grep -q "OpenMV IDE, $ide/OPENMV4" "$work/out"
check "--from ide: both images in the H7's flash" fw_at "$work/ide2"
HOME=$work/nohome run "$work/out" "$work/ide3" --camera OPENMV4:bootloader -- \
	"$rescue" flash --board OPENMV4 --from ide --yes
check "--from ide with no IDE installed: exit 2, the places looked in named" \
	sh -c "test $? -eq 2 && grep -q 'no OpenMV IDE found (looked in ~/openmvide' '$work/out'"

# ---- refusals: nothing written, exit 2 ----------------------------------------------------
mkzip "$work/other.zip" OPENMV2/firmware.bin="$work/fw-m4.bin" OPENMV3/firmware.bin="$work/fw-m4.bin"
run "$work/out" "$work/other" --camera OPENMV4:bootloader -- \
	"$rescue" flash --board OPENMV4 --from "$work/other.zip" --yes
st=$?
check "a zip without OPENMV4: exit 2" test $st -eq 2
check "a zip without OPENMV4 names the boards it has" grep -q "no folder for OPENMV4; it has: OPENMV2, OPENMV3" "$work/out"
check "a zip without OPENMV4: nothing written" untouched "$work/other"
# hostile zips: each refused whole; nothing lands outside (or inside) the private folder
mkdir -p "$work/z/in"
mkzip "$work/z/in/dotdot.zip" OPENMV4/firmware.bin="$work/firmware.bin" ../../evil.bin="$work/firmware.bin"
mkzip "$work/z/in/link.zip" OPENMV4/firmware.bin=@link:/etc/passwd OPENMV4/romfs0.img="$work/romfs0.img"
mkzip "$work/z/in/big.zip" OPENMV4/firmware.bin="$work/firmware.bin" OPENMV4/romfs0.img=@zeros:$((65 * 1024 * 1024))
for z in dotdot:"points outside its folder" link:"is a symbolic link" big:"more than any camera holds"; do
	zname=${z%%:*} why=${z#*:}
	run "$work/out" "$work/h-$zname" --camera OPENMV4:bootloader -- \
		"$rescue" flash --board OPENMV4 --from "$work/z/in/$zname.zip" --yes
	st=$?
	check "hostile zip ($zname): exit 2" test $st -eq 2
	check "hostile zip ($zname): the reason named" grep -q "$why" "$work/out"
	check "hostile zip ($zname): nothing written to the camera" untouched "$work/h-$zname"
	check "hostile zip ($zname): no file left in the temporary folder" no_tmp_left
done
check "hostile zip (dotdot): no evil.bin written outside" sh -c "! find '$work' -name evil.bin | grep -q ."
# the existing image checks apply to picks unchanged: an OPENMV2 image in OPENMV4/
mkzip "$work/wrong.zip" OPENMV4/firmware.bin="$work/fw-m4.bin" OPENMV4/romfs0.img="$work/romfs0.img"
run "$work/out" "$work/wrong" --camera OPENMV4:bootloader -- \
	"$rescue" flash --board OPENMV4 --from "$work/wrong.zip" --yes
st=$?
check "a picked firmware.bin of another board: exit 2" test $st -eq 2
check "the pick is shown refused before anything starts" grep -Eq "firmware.bin +5008 bytes  refused" "$work/out"
check "the image check's own line follows" grep -q "was not built for the OpenMV Cam H7" "$work/out"
check "a refused pick: nothing written" untouched "$work/wrong"
check "--from and --dir together refused" sh -c "'$rescue' flash --board OPENMV4 --from '$work/wrong.zip' --dir '$work' --dry-run >'$work/out' 2>&1; test \$? -eq 2"
tap_end
