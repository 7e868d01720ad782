#!/bin/sh
# xval_alif_toolkit.sh SIMHOST SOURCE-ROOT — Alif's Security Toolkit, unmodified, as the
# judge of the AE3's Secure Enclave model (tests/sim/models/model_alif_se).  The toolkit is found in
# SOURCE-ROOT/../shared/oracles/alif-security-toolkit or as maintenance.py on PATH; it needs
# Debian's python3-serial for /usr/bin/python3.  It writes its configuration into its own
# folder, so it runs from a copy in a temporary folder (alif/ linked, not copied).
# Every case is judged by the MRAM that openmv-rescue-sim dumps (--dump), never by the
# toolkit's exit status alone: updateSystemPackage exits 0 after a failed burn.  Speaks TAP.
sim=$1 root=$2
for v in sim root; do # the tools run from their own folder
	eval "case \$$v in /*) ;; *) $v=\$(pwd)/\$$v ;; esac"
done
python=/usr/bin/python3
toolkit=$root/../shared/oracles/alif-security-toolkit
if [ ! -f "$toolkit/maintenance.py" ] && command -v maintenance.py >/dev/null 2>&1; then
	toolkit=$(dirname "$(command -v maintenance.py)")
fi
if [ ! -f "$toolkit/maintenance.py" ]; then
	echo "1..0 # SKIP Alif's Security Toolkit not found (../shared/oracles/alif-security-toolkit or maintenance.py on PATH)"
	exit 77
fi
if ! "$python" -c 'import serial' 2>/dev/null; then
	echo "1..0 # SKIP the Security Toolkit needs python3-serial for $python (apt-get install python3-serial)"
	exit 77
fi
if ! why=$("$sim" --camera OPENMV_AE3:se -- true 2>&1); then
	echo "1..0 # SKIP $why"
	exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/xval_alif.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
tk=$work/toolkit
mkdir "$tk"
for f in "$toolkit"/*; do
	case ${f##*/} in
	alif) ln -s "$(cd "$f" && pwd)" "$tk/alif" ;;
	*) cp -R "$f" "$tk/" ;;
	esac
done
alif=$tk/alif
sp=SP-AE302F80F55D5AE-rev-b4 off=offset-58-rev-b4
port="--port /dev/ttyUSB0 --cfg-part AE302F80F55D5AE --cfg-rev B4"
n=0 failed=0 last=none
check() { # check NAME COMMAND...
	name=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		failed=1
		[ -f "$work/$last.txt" ] && tail -n 12 "$work/$last.txt" | sed 's/^/# /'
	fi
}
has() { grep -q -- "$1" "$work/$2.txt"; }
# toolkit NAME CAMERA-OPTIONS STDIN TOOL ARGS...: run one tool under the simulator; its output,
# without colours and carriage returns, in NAME.txt, the MRAM in NAME/OPENMV_AE3.mram.bin
toolkit() {
	last=$1 opts=$2 input=$3 tool=$4
	shift 4
	mkdir -p "$work/$last"
	printf "$input" | (cd "$tk" && timeout 300 "$sim" --camera "OPENMV_AE3:se$opts" --dump "$work/$last" -- \
		"$python" "$tool" $port "$@") 2>&1 | tr '\r\000' '\n ' | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' >"$work/$last.txt"
}
# mram NAME [FILE@OFFSET|ZEROS:LEN@OFFSET]...: the dump is the model's fill (0xA5) and, unless
# the case ran from ROM (se=serom), the word that points at the system package (§1.8), with
# these files (or zeros) at these MRAM offsets, and nothing else
mram() {
	dump=$work/$1/OPENMV_AE3.mram.bin
	shift
	"$python" - "$dump" "$@" <<'PY'
import sys
dump = open(sys.argv[1], "rb").read()
want = bytearray(b"\xa5" * 0x600000)
import os
serom = "serom" in os.path.basename(os.path.dirname(sys.argv[1]))  # the case ran from ROM
if not serom:
    want[-4:] = (0x580000).to_bytes(4, "little")
for spec in sys.argv[2:]:
    what, at = spec.rsplit("@", 1)
    data = bytes(int(what[6:])) if what.startswith("ZEROS:") else open(what, "rb").read()
    want[int(at, 0):int(at, 0) + len(data)] = data
for i in range(len(want)):
    if dump[i] != want[i]:
        print("# MRAM differs first at offset 0x%06X: 0x%02X, expected 0x%02X" % (i, dump[i], want[i]))
        sys.exit(1)
PY
}

# ---- the queries: nothing written ---------------------------------------------------------
toolkit getbanner "" "" maintenance.py -opt getbanner
check "maintenance.py -opt getbanner reads the SE's banner" has "SES B4 v1.104.0" getbanner
check "getbanner: MRAM untouched" mram getbanner
toolkit devenquiry "" "" maintenance.py -opt devenquiry
check "maintenance.py -opt devenquiry: SERAM, maintenance mode off" has "SERAM Error =  0x0.*Maintenance Mode = Disabled" devenquiry
check "devenquiry: MRAM untouched" mram devenquiry
toolkit getrevision "" "" maintenance.py -opt getrevision
check "maintenance.py -opt getrevision: part AE302F80F55D5AE, life cycle DM" \
	sh -c "grep -q 'ALIF_PN.*AE302F80F55D5AE' '$work/getrevision.txt' && grep -q 'LCS.*(DM)' '$work/getrevision.txt'"
check "getrevision: MRAM untouched" mram getrevision
# MRAM_READ as the toolkit sends and decodes it (isp/isp_core.py isp_read_mram): the last line
# of MRAM holds the model's fill and the word that points at the system package (§1.8)
toolkit getmram "" "" maintenance.py -opt getmramdata 0x5FFFF0
check "maintenance.py -opt getmramdata 0x5FFFF0: the line's four words as the SE model holds them" \
	has "\\[0x5ffff0\\] 0xa5a5a5a5 0xa5a5a5a5 0xa5a5a5a5 0x00580000" getmram
check "getmramdata: MRAM untouched" mram getmram

# ---- maintenance modes through the menu (Device Control: 1 hard, 2 soft; Device
# Information: 4 enquiry): the simulated person presses the button for the bare "ALIF" ------
toolkit hard "" '1\n1\n2\n\n2\n4\n\n\n' maintenance.py
check "hard maintenance, soft maintenance and an enquiry in one run: maintenance mode on" \
	has "SERAM Error =  0x0.*Maintenance Mode = Enabled" hard
check "hard then soft maintenance: MRAM untouched" mram hard
toolkit soft "" '1\n2\n\n2\n4\n\n\n' maintenance.py
check "soft maintenance from the menu: the SE restarts into maintenance mode" has "Maintenance Mode = Enabled" soft
check "soft maintenance: MRAM untouched" mram soft
toolkit erase "" '3\n2\n\n\n' maintenance.py
check "Fast Erase Application Mram: the 16 bytes below the Alif area are erased" mram erase ZEROS:16@0x57FFF0

# ---- writes ------------------------------------------------------------------------------
toolkit update "" "" updateSystemPackage.py
check "updateSystemPackage (authenticated, 270368 bytes): SP at 0x80580000, offset file at 0x805FFFF0" \
	mram update "$alif/$sp.bin@0x580000" "$alif/$off.bin@0x5FFFF0"
toolkit update-dev ",se-keys=dev" "" updateSystemPackage.py
check "updateSystemPackage on a part with a DEV key hash (se-keys=dev): the -dev package" \
	mram update-dev "$alif/$sp-dev.bin@0x580000" "$alif/$off-dev.bin@0x5FFFF0"
head -c 5008 /dev/urandom >"$tk/bootloader.bin"
# firmware_pad.toc as our restore checks it: zeros, an OEMTOC01 header with one 32-byte entry,
# the tail with the header's CRC-32 (the gzip trailer's), 8192 bytes (as tests/e2e/cli_ae3_se.sh)
{ printf 'OEMTOC01\040\000\001\000\040\000\002\000'; head -c 36 /dev/zero; printf 'HP_BOOT'; head -c 5 /dev/zero; } >"$work/toc.hdr"
{ head -c $((8192 - 16 - 64)) /dev/zero; cat "$work/toc.hdr"; gzip -c <"$work/toc.hdr" | tail -c 8 | head -c 4; head -c 12 /dev/zero; } \
	>"$tk/firmware_pad.toc"
toolkit write "" "" app-write-mram.py -i "bootloader.bin 0x80000000 firmware_pad.toc 0x8057E000"
check "app-write-mram -i \"bootloader.bin 0x80000000 firmware_pad.toc 0x8057E000\" (seed 003)" \
	mram write "$tk/bootloader.bin@0" "$tk/firmware_pad.toc@0x57E000"
toolkit serom ",se=serom" '1\n1\n\n\n' maintenance.py
check "ROM recovery (ROM: MRAM Recovery) from SEROM: SP and offset file written with MRAM_WRITE" \
	mram serom "$alif/$sp.bin@0x580000" "$alif/$off.bin@0x5FFFF0"
check "ROM recovery: the toolkit finished it" has "Recovery process finished" serom

# ---- a burn that never reaches DOWNLOAD_DONE: the tool is killed during the data ----------
head -c 480000 /dev/urandom >"$tk/big.bin"
cat >"$tk/killed.sh" <<EOF
$python -u app-write-mram.py $port -i "big.bin 0x80000000" >killed.log 2>&1 &
pid=\$!
until grep -q "Download Image" killed.log 2>/dev/null; do sleep 0.1; kill -0 \$pid 2>/dev/null || exit 1; done
sleep 0.5
kill -9 \$pid
EOF
last=killed
mkdir -p "$work/killed"
(cd "$tk" && timeout 120 "$sim" --camera OPENMV_AE3:se --dump "$work/killed" -- sh killed.sh) >"$work/killed.txt" 2>&1
partial() { # what MRAM holds of big.bin: a prefix of whole 240-byte chunks, the fill after it
	"$python" - "$work/killed/OPENMV_AE3.mram.bin" "$tk/big.bin" <<'PY'
import sys
dump, img = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
k = 0
while k < len(img) and dump[k] == img[k]:
    k += 1
k -= k % 240
print("# %d of %d bytes were acknowledged before the tool was killed" % (k, len(img)))
sys.exit(0 if 240 <= k < len(img) and dump[k + 240:len(img)] == b"\xa5" * (len(img) - k - 240) else 1)
PY
}
check "a burn killed before DOWNLOAD_DONE: --dump holds the acknowledged lines, the rest untouched" partial

echo "1..$n"
exit $failed
