#!/bin/sh
# cli_download.sh SIMHOST RESCUE SERVER — openmv-rescue download against a local stand-in for
# GitHub's releases API (release_server.py on 127.0.0.1): the release zip fetched, its SHA-256
# checked, kept in the XDG cache (mode 0600, no temporary file left), reused by a second run
# without fetching it again, and with the server gone; --to; the printed flash command
# flashing the virtual H7 from it.  Each fault is one clear line, a non-zero exit, nothing
# kept and nothing written to a camera: a wrong digest, no digest (unless --no-digest), a
# truncated download, a server that stops mid-transfer, a 404, a board without an asset, no
# network, a plain http:// mirror elsewhere, Ctrl-C mid-transfer.  Speaks TAP.
sim=$1
rescue=$2
server=$3
name=cli_download
. "$(dirname "$0")/cli_lib.sh"
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 is not installed"; exit 77; }
export XDG_CACHE_HOME="$work/cache"
unset OPENMV_RESCUE_MIRROR

# the fixture release: an OpenMV Cam H7 image (stack in its RAM, reset vector into the image,
# as cli_from.sh makes it) and a ROMFS, in firmware_v9.9.9.zip with one folder per TARGET
le32() { printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"; }
{ le32 0x00010000; le32 $((0x08040000 + 0x201)); head -c 200000 /dev/urandom; } >"$work/firmware.bin"
head -c 70000 /dev/urandom >"$work/romfs0.img"
mkdir -p "$work/rel" "$work/dev"
python3 - "$work" <<'PY'
import sys, zipfile
w = sys.argv[1]
with zipfile.ZipFile(w + "/rel/firmware_v9.9.9.zip", "w", zipfile.ZIP_STORED) as z:
    z.write(w + "/firmware.bin", "OPENMV4/firmware.bin")
    z.write(w + "/romfs0.img", "OPENMV4/romfs0.img")
    z.writestr("OPENMV2/firmware.bin", b"\0" * 1000)
with zipfile.ZipFile(w + "/dev/firmware_OPENMV2.zip", "w") as z:
    z.writestr("firmware.bin", b"\0" * 1000)
PY
zip=$work/rel/firmware_v9.9.9.zip

srv_pid=
start_server() { # start_server MODE TAG ASSET...: the server in the background; $port
	rm -f "$work/port"
	_mode=$1 _tag=$2
	shift 2
	python3 "$server" --port-file "$work/port" --log "$work/requests" --mode "$_mode" --tag "$_tag" \
		"$@" 2>"$work/server.err" &
	srv_pid=$!
	for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
	port=$(cat "$work/port")
}
stop_server() { [ -n "$srv_pid" ] && kill "$srv_pid" && wait "$srv_pid" 2>/dev/null; srv_pid=; }
trap 'stop_server; rm -rf "$work"' EXIT
dl() { # dl ARGS...: download from the local server; output in $work/out, status in $st
	"$rescue" download --mirror "http://127.0.0.1:$port" "$@" >"$work/out" 2>&1
	st=$?
}
cache=$work/cache/openmv-rescue
nothing_kept() { # no zip and no temporary file under the cache
	[ -z "$(find "$work/cache" -type f ! -name '*.json' 2>/dev/null)" ]
}
fresh_cache() { rm -rf "$work/cache"; }

asset_gets() { grep -c "^GET /storage/" "$work/requests" 2>/dev/null; }
untouched() { erased_at "$1/OPENMV4.flash.bin" $((0x40000)) 8192; }

# ---- a good release: fetched, checked, kept ------------------------------------------------
start_server good v9.9.9 "$zip"
dl --board OPENMV4
check "download --board OPENMV4 (latest) exits 0" test $st -eq 0
check "the zip is kept in the XDG cache, byte for byte" cmp -s "$cache/v9.9.9/firmware_v9.9.9.zip" "$zip"
check "the kept zip is private (mode 0600)" test "$(stat -c %a "$cache/v9.9.9/firmware_v9.9.9.zip")" = 600
check "no temporary file left beside it" sh -c "! ls -A '$cache/v9.9.9' | grep -q part"
size=$(wc -c <"$zip")
check "progress on stderr: bytes of the total" grep -q "received $size of $size bytes (100%)" "$work/out"
check "the release's SHA-256 is named and matched" sh -c "grep -q \"SHA-256 $(sha256sum "$zip" | cut -c1-64)\" '$work/out' && grep -q 'its SHA-256 matches' '$work/out'"
check "the board's images in it are named" grep -q "It holds the OpenMV Cam H7's images: firmware.bin, romfs0.img" "$work/out"
check "the flash command that uses it is printed" grep -qx "Next: openmv-rescue flash --board OPENMV4 --from $cache/v9.9.9/firmware_v9.9.9.zip" "$work/out"
check "the asset was fetched through GitHub's kind of redirect" grep -q "^GET /openmv/openmv/releases/download/v9.9.9/firmware_v9.9.9.zip" "$work/requests"

# ---- the second run: the kept zip, checked again, not fetched again ------------------------
before=$(asset_gets)
dl --board OPENMV4 --release v9.9.9
check "a second run (--release v9.9.9) exits 0" test $st -eq 0
check "... uses the kept zip, its SHA-256 checked again" grep -q "Already downloaded: .*(its SHA-256 checked again: it matches)" "$work/out"
check "... without fetching the asset again" test "$(asset_gets)" -eq "$before"
dl --board OPENMV4 --release v9.9.9 --to "$work/here"
check "--to a missing folder: exit 1, the folder named" sh -c "test $st -eq 1 && grep -q 'cannot create a file in $work/here' '$work/out'"
mkdir -p "$work/here"
dl --board OPENMV4 --release v9.9.9 --to "$work/here"
check "--to DIR: the zip copied there" cmp -s "$work/here/firmware_v9.9.9.zip" "$zip"
check "--to DIR: the flash command names the copy" grep -qx "Next: openmv-rescue flash --board OPENMV4 --from $work/here/firmware_v9.9.9.zip" "$work/out"
# a kept zip that changed is not trusted: fetched again
printf 'x' >>"$cache/v9.9.9/firmware_v9.9.9.zip"
dl --board OPENMV4
check "a kept zip that no longer matches is fetched again" sh -c "test $st -eq 0 && cmp -s '$cache/v9.9.9/firmware_v9.9.9.zip' '$zip' && grep -q '^Downloaded:' '$work/out'"
closed_port=$port
stop_server

# ---- with the server gone: the kept answer and the kept zip --------------------------------
port=$closed_port
dl --board OPENMV4
check "offline (server stopped): exit 0 from the cache" test $st -eq 0
check "offline: says it used what the server said last time" grep -q "No connection to http://127.0.0.1:$port: using what it said about release v9.9.9" "$work/out"
check "offline: the kept zip, its SHA-256 checked again" grep -q "Already downloaded: $cache/v9.9.9/firmware_v9.9.9.zip (its SHA-256 checked again" "$work/out"

# ---- the flash from the downloaded zip, against the virtual H7 -----------------------------
cmdline=$(sed -n 's/^Next: openmv-rescue //p' "$work/out")
mkdir -p "$work/dump"
# shellcheck disable=SC2086 # the printed command's words, as a person would paste them
"$sim" --dump "$work/dump" --camera OPENMV4:bootloader -- "$rescue" $cmdline --yes >"$work/out" 2>&1
check "the printed flash command flashes the virtual H7 (exit 0)" test $? -eq 0
check "... firmware.bin from the downloaded zip at 0x08040000" same_at "$work/dump/OPENMV4.flash.bin" $((0x40000)) "$work/firmware.bin"
check "... romfs0.img from it at 0x081E0000" same_at "$work/dump/OPENMV4.flash.bin" $((0x1E0000)) "$work/romfs0.img"

# ---- no network at all: a closed port, nothing kept ----------------------------------------
fresh_cache
dl --board OPENMV4
check "no network: exit 1" test $st -eq 1
check "no network: one line, could not connect, suggests --from" sh -c "test \$(wc -l <'$work/out') -eq 1 && grep -q 'could not connect to 127.0.0.1 .*use --from FILE' '$work/out'"

# ---- faults: each one line, a non-zero exit, nothing kept, nothing written -----------------
fault() { # fault MODE STATUS TEXT [ARGS...]: the download under the simulator
	_mode=$1 _want=$2 _text=$3
	shift 3
	fresh_cache
	start_server "$_mode" v9.9.9 "$zip"
	rm -rf "$work/fd"
	mkdir -p "$work/fd"
	"$sim" --dump "$work/fd" --camera OPENMV4:bootloader -- \
		"$rescue" download --mirror "http://127.0.0.1:$port" --board OPENMV4 "$@" >"$work/out" 2>&1
	_st=$?
	stop_server
	check "$_mode: exit $_want" test $_st -eq "$_want"
	check "$_mode: the reason named" grep -q "$_text" "$work/out"
	check "$_mode: one line on stderr" test "$(grep -c '^openmv-rescue:' "$work/out")" -eq 1
	check "$_mode: nothing kept in the cache" nothing_kept
	check "$_mode: nothing written to the camera" untouched "$work/fd"
}
fault wrong-digest 1 "firmware_v9.9.9.zip: its SHA-256 is [0-9a-f]*, but release v9.9.9 says [0-9a-f]*: not the file the release published; nothing kept"
fault no-digest 2 "release v9.9.9 reports no SHA-256 for firmware_v9.9.9.zip.*--no-digest"
fault truncated 1 "firmware_v9.9.9.zip: the server stopped sending after $((size - 1000)) of $size bytes"
fault stop-mid-transfer 1 "firmware_v9.9.9.zip: the server stopped sending after $((size / 2)) of $size bytes"
fault 404 1 "127.0.0.1 has no release latest of openmv/openmv (HTTP 404)"
fault good 1 "has no release v0.0.1 of openmv/openmv (HTTP 404)" --release v0.0.1

# Ctrl-C during the transfer (the server pauses halfway): exit 3, no temporary file left
fresh_cache
start_server stop-mid-transfer v9.9.9 "$zip"
"$rescue" download --mirror "http://127.0.0.1:$port" --board OPENMV4 >"$work/out" 2>&1 &
dl_pid=$!
for _ in $(seq 100); do grep -q "(50%)" "$work/out" && break; sleep 0.05; done
kill -INT $dl_pid
wait $dl_pid
st=$?
stop_server
check "Ctrl-C mid-transfer: exit 3, said so" sh -c "test $st -eq 3 && grep -q 'was stopped; nothing kept' '$work/out'"
check "Ctrl-C mid-transfer: no temporary file left in the cache" nothing_kept

# --no-digest takes it, and says it is unchecked
fresh_cache
start_server no-digest v9.9.9 "$zip"
dl --board OPENMV4 --no-digest
check "no-digest with --no-digest: exit 0" test $st -eq 0
check "... and says it is unchecked" grep -q "not checked: no digest reported" "$work/out"
stop_server

# the development release: one zip per board; a board without one names those there are
fresh_cache
start_server good development "$work/dev/firmware_OPENMV2.zip"
dl --board OPENMV4 --release development
check "development release without this board's zip: exit 1" test $st -eq 1
check "... the assets there are named" grep -q "release development has no firmware_OPENMV4.zip for OPENMV4; it has: firmware_OPENMV2.zip" "$work/out"
dl --release development
check "development release without --board: exit 2, asks for it" sh -c "test $st -eq 2 && grep -q -- '--board TARGET' '$work/out'"
stop_server

# plain http:// is for this machine only; a bad board is refused before any connection
"$rescue" download --mirror http://releases.example.invalid --board OPENMV4 >"$work/out" 2>&1
st=$?
check "an http:// mirror elsewhere: exit 2, https:// asked for" sh -c "test $st -eq 2 && grep -q 'is not an https:// address' '$work/out'"
"$rescue" download --mirror "http://127.0.0.1:$closed_port" --board OPENMV9 >"$work/out" 2>&1
check "an unknown board: exit 2" test $? -eq 2
OPENMV_RESCUE_MIRROR="http://127.0.0.1:$closed_port" "$rescue" download --board OPENMV4 >"$work/out" 2>&1
check "OPENMV_RESCUE_MIRROR is the mirror when --mirror is not given" grep -q "could not connect to 127.0.0.1" "$work/out"
tap_end
