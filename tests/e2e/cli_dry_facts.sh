#!/bin/sh
# cli_dry_facts.sh RESCUE BOARDS — what a step needs from boards.ini is in the step, so
# --dry-run shows it: the board database is copied, a value changed, and the dry run must show
# the new value (the AE3 Secure Enclave's baud rates, the MRAM key, the RT1062 loader); a
# malformed erase_fs.flash_end is refused in one line.  Speaks TAP.
rescue=$1
boards=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
check() { # check NAME COMMAND...: one TAP line
	what=$1
	shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; sed 's/^/# /' "$work/out"; fi
}
dry() { # dry BOARDS ARGS...: the dry run against that database into $work/out
	db=$1
	shift
	OPENMV_RESCUE_BOARDS=$db "$rescue" "$@" --dry-run >"$work/out" 2>&1
}
sed -e 's/^restore.baud    = 55000, 921600/restore.baud    = 38400, 460800/' \
    -e 's/^init_mram.key   = 159E7D42961A71EB73A326292B08090E/init_mram.key   = 00112233445566778899AABBCCDDEEFF/' \
    -e 's/^restore.loader  = \(0x[0-9A-Fa-f]*\), sdphost_flash_loader.bin/restore.loader  = \1, other_loader.bin/' \
    "$boards" >"$work/boards.ini"
dry "$boards" restore-bootloader --board OPENMV_AE3
check "the AE3 restore's dry run shows restore.baud" grep -q "serial at 55000 baud, writes at 921600" "$work/out"
dry "$work/boards.ini" restore-bootloader --board OPENMV_AE3
check "a changed restore.baud changes the dry run" grep -q "serial at 38400 baud, writes at 460800" "$work/out"
dry "$boards" init-mram --board OPENMV_AE3
check "the init-mram dry run shows the key" grep -q "key 159E7D42961A71EB73A326292B08090E" "$work/out"
dry "$work/boards.ini" init-mram --board OPENMV_AE3
check "a changed init_mram.key changes the dry run" grep -q "key 00112233445566778899AABBCCDDEEFF" "$work/out"
dry "$work/boards.ini" restore-bootloader --board OPENMV_RT1060
check "the RT1062 dry run names the loader the jump starts" grep -q "jump-address .*(starts other_loader.bin)" "$work/out"
sed 's/^erase_fs.flash_end = 0x20000000/erase_fs.flash_end = lots/' "$boards" >"$work/bad.ini"
dry "$work/bad.ini" erase-fs --board ARDUINO_NANO_RP2040_CONNECT
check "a malformed erase_fs.flash_end is refused in one line naming the line" \
	sh -c "test \$(wc -l <'$work/out') -eq 1 && grep -q 'bad.ini:[0-9]' '$work/out'"
echo "1..$n"
