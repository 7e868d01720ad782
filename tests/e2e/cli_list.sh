#!/bin/sh
# cli_list.sh SIMHOST RESCUE — `openmv-rescue list --json` and `info --json` parsed by Python's
# json module and checked field by field against the virtual cameras (every family, one with no
# permission), `list` in text, `--watch` seeing a replug, and `info` changing nothing: memories
# compared and the openmv_dfu bootloader still there after its power-up window.  Speaks TAP.
sim=$1
rescue=$2
name=cli_list
. "$(dirname "$0")/cli_lib.sh"
checker="$(dirname "$0")/check_devices_json.py"
if ! command -v python3 >/dev/null; then
	echo "1..0 # SKIP python3 is not installed"
	exit 77
fi
sub() { # sub NAME KIND FILE EXPECT...: the checker's TAP lines folded into ours
	_label=$1
	shift
	python3 "$checker" "$@" >"$work/py" 2>&1
	_st=$?
	grep -E '^not ok' "$work/py" | sed 's/^/# /'
	check "$_label ($(grep -c '^ok' "$work/py") fields)" test $_st -eq 0
}

# Ports are given in order, so bus paths are 1-1, 1-2, ...; serials are set.
"$sim" --camera OPENMV4:bootloader,serial=0033002935325110AAAA0001 \
	--camera ARDUINO_PORTENTA_H7:arduino-dfu,serial=0033002935325110AAAA0002 \
	--camera OPENMV4:st-rom,no-access \
	--camera ARDUINO_NANO_33_BLE_SENSE:samba,serial=0033002935325110AAAA0004 \
	--camera ARDUINO_NANO_RP2040_CONNECT:bootsel,serial=E0C9125B0D9B \
	--camera OPENMV_AE3:firmware,serial=0033002935325110AAAA0006 \
	-- "$rescue" list --json >"$work/list.json" 2>"$work/out"
check "list --json exits 0" test $? -eq 0
sub "list --json matches the six cameras" list "$work/list.json" \
	0.board=OPENMV4 0.name="OpenMV Cam H7" 0.mode=bootloader 0.usb_id=37C5:9204 0.bus_path=1-1 \
	0.serial=0033002935325110AAAA0001 0.bootloader_version=1.0.2 0.may_open=true 0.permission_fix=null \
	1.board=ARDUINO_PORTENTA_H7 1.mode=arduino_dfu 1.usb_id=2341:035B 1.bus_path=1-2 1.bootloader_version=null \
	2.board=null 2.mode=st_rom 2.usb_id=0483:DF11 2.bus_path=1-3 2.boards.3=OPENMV4 2.may_open=false \
	2.serial=null "2.permission_fix=~70-openmv-rescue.rules" \
	3.board=ARDUINO_NANO_33_BLE_SENSE 3.mode=samba 3.usb_id=2341:005A 3.serial=0033002935325110AAAA0004 \
	4.board=ARDUINO_NANO_RP2040_CONNECT 4.mode=bootsel 4.usb_id=2E8A:0003 4.serial=E0C9125B0D9B \
	5.board=OPENMV_AE3 5.mode=firmware 5.usb_id=37C5:16E3 5.bus_path=1-6

"$sim" --camera OPENMV4:st-rom,no-access -- "$rescue" list >"$work/out" 2>&1
check "list: a device we may not open says so" grep -q "0483:DF11.*NO PERMISSION" "$work/out"
check "... with the permission fix" grep -q "to open it: install the udev rules" "$work/out"
"$sim" --camera OPENMV4:st-rom,no-access -- "$rescue" info >"$work/out" 2>&1
check "info on a device we may not open: exit 2 and the fix" sh -c "test $? -eq 2 && grep -q 'no permission.*udev' '$work/out'"

# a DFU device boards.ini does not know: a database without the H7
awk '/^\[/ { skip = ($0 == "[OPENMV4]") } !skip' "${OPENMV_RESCUE_BOARDS:-$(dirname "$0")/../../boards.ini}" >"$work/no-h7.ini"
"$sim" --camera OPENMV4:bootloader -- "$rescue" --boards "$work/no-h7.ini" list --json >"$work/unk.json" 2>"$work/out"
sub "list --json: an unknown DFU device" list "$work/unk.json" 0.board=null "0.name=unknown DFU device" 0.mode=dfu \
	0.usb_id=37C5:9204 0.boards.0='<missing>'
"$sim" --camera OPENMV4:bootloader -- "$rescue" --boards "$work/no-h7.ini" info --json >"$work/unki.json" 2>"$work/out"
sub "info --json: an unknown DFU device's alts by name" info "$work/unki.json" alts.2.name=FIRMWARE alts.2.size='<missing>'

# ---- info --json, one family at a time ------------------------------------------------------
info() { # info OUT CAMERA...
	_out=$1
	shift
	mkdir -p "$work/before" "$work/after"
	rm -f "$work/before/"* "$work/after/"*
	"$sim" --camera "$1" --dump "$work/before" -- true
	"$sim" --camera "$1" --dump "$work/after" -- "$rescue" info --json >"$_out" 2>"$work/out"
}
unchanged() {
	for f in "$work/before"/*.bin; do cmp -s "$f" "$work/after/$(basename "$f")" || return 1; done
}
info "$work/h7.json" OPENMV4:bootloader,serial=0033002935325110AAAA0001
check "info --json (H7 bootloader) exits 0" test $? -eq 0
check "info wrote nothing (H7)" unchanged
sub "info --json: the H7's openmv_dfu bootloader" info "$work/h7.json" \
	board=OPENMV4 usb_id=37C5:9204 bcd_device=0x0102 bootloader_version=1.0.2 product="OpenMV Camera (DFU Mode)" \
	transfer_size=4096 dfu_version=1.10 chip_uid=0033002935325110AAAA0001 \
	alts.0.name=BOOTLOADER alts.0.access=ro alts.1.name=FILESYSTEM alts.2.name=FIRMWARE alts.2.start=134479872 \
	alts.2.size=1703936 alts.3.name=ROMFS0 identity.ok=true held_in_bootloader=true left_bootloader=false
info "$work/imp.json" OPENMV4:bootloader,impostor
sub "info --json: an impostor is named" info "$work/imp.json" identity.ok=false "identity.found=~alt 2 is named 'Flash', not FIRMWARE"
info "$work/st.json" OPENMV4:st-rom
sub "info --json: the H7's ST ROM layout" info "$work/st.json" mode=st_rom product="STM32  BOOTLOADER" \
	"alts.0.name=~@Internal Flash" alts.0.segments.0.start=134217728 alts.0.segments.0.size=2097152 \
	alts.0.segments.0.access=rew
check "info wrote nothing (ST ROM)" unchanged
# the N6 boot ROM and OpenBootloader (0483:DF11, as every STM32 ROM): phase ids, not layouts
info "$work/n6.json" OPENMV_N6:st-rom
sub "info --json: the N6 boot ROM's alts and phase ids" info "$work/n6.json" mode=st_rom phase_protocol="boot ROM" \
	"alts.0.name=@FSBL /0x34180400/01*512Kg" alts.0.phase_id=0x01 alts.0.load_address=0x34180400 \
	alts.1.phase_id=0xF3 alts.2.phase_id=0xF5 alts.3.phase_id=0xF6 alts.4.phase_id=0xF1 transfer_size=1024 \
	identity.ok=true identity.board=OPENMV_N6 left_bootloader=false
check "info wrote nothing (N6 boot ROM)" unchanged
info "$work/obl.json" OPENMV_N6:openbootloader
sub "info --json: the N6's OpenBootloader" info "$work/obl.json" phase_protocol=OpenBootloader alts.0.phase_id=0x00 \
	alts.1.phase_id=0x03 alts.2.phase_id=0x04 alts.3.phase_id=0xF1 alts.4.phase_id=0xF2 alts.5.phase_id=0x05 \
	identity.ok=true
check "info wrote nothing (OpenBootloader)" unchanged
info "$work/n6i.json" OPENMV_N6:st-rom,impostor
sub "info --json: an N6 ROM impostor is named" info "$work/n6i.json" identity.ok=false \
	"identity.found=~alt 0 is '@FSBL /0x01/1*1Me', not FSBL /0x34180400"
info "$work/ard.json" ARDUINO_PORTENTA_H7:arduino-dfu
sub "info --json: the Portenta's DfuSe alts" info "$work/ard.json" mode=arduino_dfu alts.1.segments.0.start=2415919104
info "$work/n33.json" ARDUINO_NANO_33_BLE_SENSE:samba
sub "info --json: SAM-BA version and chip" info "$work/n33.json" \
	"samba_version=Arduino Bootloader (SAM-BA extended) 2.0 [Arduino:IKXYZ]" chip=nRF52840-QIAA identity.ok=true
check "info wrote nothing (SAM-BA)" unchanged
info "$work/rp.json" ARDUINO_NANO_RP2040_CONNECT:bootsel
sub "info --json: the RP2040 boot ROM" info "$work/rp.json" rom_version=3 identity.ok=true product="RP2 Boot"
check "info wrote nothing (PICOBOOT)" unchanged

info "$work/rt.json" OPENMV_RT1060:flashloader
sub "info --json: the RT1062 flashloader's mboot properties" info "$work/rt.json" board=OPENMV_RT1060 \
	mode=flashloader usb_id=15A2:0073 mboot_properties.current_version=K2.8.0 \
	mboot_properties.max_packet_size=0x000003F4 identity.ok=true
check "info wrote nothing (NXP flashloader)" unchanged
info "$work/rti.json" OPENMV_RT1060:sbl,impostor
sub "info --json: an NXP impostor is named" info "$work/rti.json" mboot_properties.current_version=P1.0.0 \
	identity.ok=false "identity.found=~not the NXP MCU bootloader"

info "$work/se.json" OPENMV_AE3:se
sub "info --json: the AE3's Secure Enclave" info "$work/se.json" board=OPENMV_AE3 mode=se_bridge \
	se_boot_stage=SERAM "se_banner=~SES B4 v1.104.0" se_revision=B4 se_part=AE302F80F55D5AE se_life_cycle=DM \
	identity.ok=true left_bootloader=false
check "info wrote nothing (Secure Enclave)" unchanged
info "$work/sei.json" OPENMV_AE3:se,impostor
sub "info --json: an SE impostor is named" info "$work/sei.json" se_part=AE722F80F55D5LS identity.ok=false
info "$work/ses.json" OPENMV_AE3:se,se-silent
sub "info --json: a silent SE says what it needs" info "$work/ses.json" "se_answer=~hard-maintenance switch"

# the power-up window: info holds the bootloader (an UPLOAD), so it is still there 2 s later
"$sim" --camera OPENMV4:power-up -- sh -c "'$rescue' info >/dev/null && sleep 2 && '$rescue' list" >"$work/out" 2>&1
check "info keeps a power-up bootloader in DFU" grep -q "37C5:9204" "$work/out"

# ---- --watch: a replug is seen as it happens --------------------------------------------------
"$sim" --camera OPENMV4:firmware,after-leave=bootloader -- \
	sh -c "'$rescue' list --watch --json --timeout 3 & sleep 1; kill -USR1 \$PPID; wait" >"$work/watch" 2>"$work/out"
check "--watch: the firmware arrives" grep -q '"event":"add".*"usb_id":"37C5:1204"' "$work/watch"
check "--watch: it leaves" grep -q '"event":"remove".*"usb_id":"37C5:1204"' "$work/watch"
check "--watch: the bootloader arrives" grep -q '"event":"add".*"usb_id":"37C5:9204"' "$work/watch"
tap_end
