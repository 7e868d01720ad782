#!/bin/sh
# udev_permission.sh SIM RESCUE — a person without the udev rules: the program runs as an
# unprivileged user against a virtual camera whose device node only root may open (as on a
# machine without the rules).  The failure names the node and the command that fixes it; that
# command, run as shown, writes the rules and reloads udev (a stand-in udevadm records it).
# Needs root (to drop to an unprivileged user) and setpriv.  TAP.
sim=$1 rescue=$2
name=udev-permission
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
	echo "1..0 # SKIP needs root and setpriv to run the program as an unprivileged user"
	exit 77
fi
. "$(dirname "$0")/../e2e/cli_lib.sh"
# The unprivileged user may not be able to reach the build tree (a clone in root's home): the
# program runs from a copy, with boards.ini and the prompt texts (assets/, which the board
# database reads with it) beside it, in a folder of the system's temporary folder that
# everyone can read.
pub=$(env -u TMPDIR mktemp -d) || exit 99
trap 'rm -rf "$work" "$pub"' EXIT
chmod 755 "$pub"
boards_ini=${OPENMV_RESCUE_BOARDS:-$(dirname "$0")/../../boards.ini}
cp "$rescue" "$pub/openmv-rescue" && cp "$boards_ini" "$pub/boards.ini" &&
	cp -R "$(dirname "$boards_ini")/assets" "$pub/assets" && chmod -R a+rX "$pub/assets" || exit 99
unset OPENMV_RESCUE_BOARDS
rescue_abs=$pub/openmv-rescue

# Run as nobody inside the simulator.  The simulator's testbed is root's (0700): open it so the
# unprivileged program sees the bus, keep the device nodes root's 0644 (usbfs needs O_RDWR) and
# let it reach the simulator's sockets, as udev's own node would be reachable but not writable.
cat >"$work/as_nobody.sh" <<'SH'
chmod 1777 "$UMOCKDEV_DIR"
find "$UMOCKDEV_DIR/ioctl" -type s -exec chmod 666 {} +
cd /
exec setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/ "$@"
SH
as_nobody() { # as_nobody CAMERA RESCUE-ARGS...: output in $work/out, status in $status
	_cam=$1
	shift
	"$sim" --camera "$_cam" -- sh "$work/as_nobody.sh" "$rescue_abs" "$@" >"$work/out" 2>&1
	status=$?
}

as_nobody OPENMV4:bootloader erase-fs --board OPENMV4 --yes
check "no permission on the bootloader's node: a failure (exit 1), not a cancel" test "$status" -eq 1
check "the message names the device node it could not open" \
	grep -q 'no permission to open /dev/bus/usb/[0-9][0-9][0-9]/[0-9][0-9][0-9] (USB 37c5:9204)' "$work/out"
fix=$(sed -n 's/^openmv-rescue: .*install the udev rules with: //p' "$work/out" | tail -n 1)
check "the fix is 'sudo <this program's absolute path> udev-install'" test "$fix" = "sudo $rescue_abs udev-install"

as_nobody OPENMV4:firmware erase-fs --board OPENMV4 --yes
check "no permission on a running camera's serial port: exit 1" test "$status" -eq 1
check "the message names the serial port and the same fix" \
	grep -q "no permission to use /dev/ttyACM[0-9].*install the udev rules with: sudo $rescue_abs udev-install" "$work/out"

# The command as shown.  We are root already, so "sudo" is dropped (it would also reset PATH,
# which holds the stand-in udevadm).
cmd=${fix#sudo }
mkdir -p "$work/bin" "$work/rules.d"
cat >"$work/bin/udevadm" <<SH
#!/bin/sh
echo "\$*" >>"$work/udevadm.log"
SH
chmod +x "$work/bin/udevadm"
$cmd --dry-run >"$work/out" 2>&1
check "the fix with --dry-run exits 0" test $? -eq 0
check "--dry-run says it would write /etc/udev/rules.d/60-openmv-rescue.rules" \
	grep -q '^would write /etc/udev/rules.d/60-openmv-rescue.rules' "$work/out"
check "--dry-run says it would reload udev and trigger the devices" \
	sh -c "grep -q '^would run udevadm control --reload' '$work/out' && grep -q '^would run udevadm trigger' '$work/out'"
check "--dry-run runs nothing" test ! -e "$work/udevadm.log"
PATH="$work/bin:$PATH" $cmd --rules-dir "$work/rules.d" >"$work/out" 2>&1
check "the fix exits 0" test $? -eq 0
"$rescue_abs" udev-rules >"$work/expected.rules"
check "it wrote the generated rules" cmp -s "$work/rules.d/60-openmv-rescue.rules" "$work/expected.rules"
check "with a uaccess rule for the camera it could not open" \
	grep -q 'ATTR{idVendor}=="37c5", ATTR{idProduct}=="9204", TAG+="uaccess"' "$work/rules.d/60-openmv-rescue.rules"
check "it reloaded udev, then triggered the usb, tty and hidraw devices" \
	sh -c "head -n 1 '$work/udevadm.log' | grep -qx 'control --reload' &&
	       sed -n 2p '$work/udevadm.log' | grep -q '^trigger --action=change --subsystem-match=usb --subsystem-match=tty --subsystem-match=hidraw'"
PATH="$work/bin:$PATH" $cmd --rules-dir "$work/rules.d" --group plugdev >"$work/out" 2>&1
check "--group plugdev adds the headless rules with the group" \
	grep -q 'MODE="0660", GROUP="plugdev"' "$work/rules.d/61-openmv-rescue-group.rules"

# Without sudo, as a person would first try it: one line that says to use sudo, nothing written.
mkdir -p "$pub/root-only"
setpriv --reuid=65534 --regid=65534 --clear-groups env PATH="$work/bin:$PATH" \
	"$rescue_abs" udev-install --rules-dir "$pub/root-only" >"$work/out" 2>&1
status=$?
check "without root: exit 1 and 'run it as root: sudo ... udev-install'" \
	sh -c "[ $status -eq 1 ] && grep -q 'Permission denied; run it as root: sudo $rescue_abs udev-install' '$work/out'"
check "without root: nothing written" test -z "$(ls -A "$pub/root-only")"
tap_end
