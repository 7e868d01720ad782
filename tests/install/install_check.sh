#!/bin/sh
# install_check.sh MESON BUILD_DIR UDEVDIR SIM — "meson install --destdir" into a folder of its
# own, checked file by file: the program, its data, the udev rules where udev reads them (a rule
# for every VID:PID of boards.ini), the simulator (SIM = yes when the build installs it), man
# pages and bash completion when the build makes them; nothing of the build files or tests.
# Then the installed program runs from there: boards, and an erase-fs against the installed
# simulator.  TAP.
set -u
meson=$1 build=$2 udevdir=$3 want_sim=$4
src=$(cd "$(dirname "$0")/../.." && pwd)
dest=$(mktemp -d "${TMPDIR:-/tmp}/install-check.XXXXXX") || exit 99
trap 'rm -rf "$dest"' EXIT
root=$dest/root
n=0
failed=0
check() { # check NAME COMMAND...
	_name=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $_name"
	else
		echo "not ok $n - $_name"
		failed=1
		[ -f "$dest/out" ] && tail -n 8 "$dest/out" | sed 's/^/# /'
	fi
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

"$meson" install -C "$build" --no-rebuild --destdir "$root" >"$dest/out" 2>&1
check "meson install --destdir succeeds" test $? -eq 0

# The install plan (build file -> installed path), one path per line.
"$meson" introspect --installed "$build" >"$dest/plan.json"
python3 -c 'import json,sys; [print(p) for p in json.load(open(sys.argv[1])).values()]' \
	"$dest/plan.json" | sort >"$dest/plan"
find "$root" -type f | sed "s|^$root||" | sort >"$dest/files"
installed() { grep -q "$1" "$dest/plan"; } # installed PATTERN: the plan holds such a path
path_of() { grep -m1 "$1" "$dest/plan"; }
check "every file of the install plan is installed ($(wc -l <"$dest/plan") files)" \
	sh -c "missing=0; while read -r f; do [ -e '$root'\"\$f\" ] || { echo \"# missing \$f\"; missing=1; }; done <'$dest/plan'; exit \$missing"
check "nothing is installed beyond the plan" cmp -s "$dest/plan" "$dest/files"
check "no build file, test or source is installed" \
	sh -c "! grep -E 'meson\.build\$|meson_options\.txt\$|\.[ch]\$|\.sh\$|/tests/' '$dest/files'"

bin=$(path_of '/bin/openmv-rescue$')
check "the program is installed in bindir ($bin)" test -x "$root$bin"
data=$(dirname "$(path_of '/openmv-rescue/boards.ini$')")
check "boards.ini is installed as it is in the source ($data)" cmp -s "$root$data/boards.ini" "$src/boards.ini"
prompts_ok=1
for p in "$src"/assets/prompts/*.txt "$src"/assets/prompts/prompts.ini; do
	cmp -s "$p" "$root$data/assets/prompts/$(basename "$p")" || { echo "# $(basename "$p") differs or is missing"; prompts_ok=0; }
done
check "every hardware prompt text and prompts.ini (titles, meanings) is installed beside it" test $prompts_ok -eq 1

# ---- the udev rules ----
rules=$root$udevdir/rules.d/60-openmv-rescue.rules
check "60-openmv-rescue.rules is in udev's rules directory ($udevdir/rules.d)" test -f "$rules"
case $udevdir in
/lib/udev | /usr/lib/udev) check "that directory is one udev reads packaged rules from" true ;;
*) skip "that directory is one udev reads packaged rules from" "udevdir was set to $udevdir" ;;
esac
# every VID:PID of every usb.MODE key of boards.ini, lower-case
sed -n 's/^usb\.[a-z_]*[[:space:]]*=\([^;]*\).*/\1/p' "$src/boards.ini" | tr ',' '\n' |
	tr -d ' \t' | tr 'A-F' 'a-f' | grep : | sort -u >"$dest/ids"
all_ok=1
while IFS=: read -r vid pid; do
	grep -q "^SUBSYSTEM==\"usb\", .*ATTR{idVendor}==\"$vid\", ATTR{idProduct}==\"$pid\".*TAG+=\"uaccess\"" "$rules" ||
		{ echo "# no rule for $vid:$pid"; all_ok=0; }
done <"$dest/ids"
check "a uaccess rule for each of the $(wc -l <"$dest/ids") VID:PIDs of boards.ini" test $all_ok -eq 1
check "no line sets a GROUP beside the uaccess tag" sh -c "! grep 'uaccess' '$rules' | grep -q GROUP="
check "the NXP HID devices' hidraw nodes (1fc9:0135, 15a2:0073)" sh -c \
	"grep -q 'KERNEL==\"hidraw\*\".*\"1fc9\".*\"0135\".*uaccess' '$rules' && grep -q 'KERNEL==\"hidraw\*\".*\"15a2\".*\"0073\".*uaccess' '$rules'"
check "ModemManager leaves the AE3's FTDI and CH340 bridges and a camera's port alone" sh -c \
	"for id in '\"0403\", ATTRS{idProduct}==\"6015\"' '\"1a86\", ATTRS{idProduct}==\"55d3\"' '\"37c5\", ATTRS{idProduct}==\"1204\"'; do
	   grep -q \"^SUBSYSTEM==\\\"tty\\\", ATTRS{idVendor}==\$id, ENV{ID_MM_DEVICE_IGNORE}=\\\"1\\\", TAG+=\\\"uaccess\\\"\" '$rules' || exit 1; done"
if installed '61-openmv-rescue-group.rules$'; then
	check "the headless rules give the group, and no uaccess" sh -c \
		"grep -q 'GROUP=' '$root$udevdir/rules.d/61-openmv-rescue-group.rules' && ! grep -q 'TAG+=\"uaccess\"' '$root$udevdir/rules.d/61-openmv-rescue-group.rules'"
else
	skip "the headless rules" "not asked for (meson option udev_group)"
fi

# ---- simulator, man pages, completion ----
sim=$(dirname "$bin")/openmv-rescue-sim
if [ "$want_sim" = yes ]; then
	check "openmv-rescue-sim is installed beside the program" test -x "$root$sim"
else
	skip "openmv-rescue-sim is installed beside the program" "this build does not install it"
fi
if installed '/man1/'; then
	check "man pages openmv-rescue(1) and openmv-rescue-sim(1) are in man1" sh -c \
		"grep -q '/man/man1/openmv-rescue\.1' '$dest/files' && { [ '$want_sim' != yes ] || grep -q '/man/man1/openmv-rescue-sim\.1' '$dest/files'; }"
else
	skip "man pages in man1" "this build makes no man pages"
fi
if installed 'completions/'; then
	check "bash completion is in bash-completion's completions directory" grep -q 'bash-completion/completions/openmv-rescue$' "$dest/files"
else
	skip "bash completion" "this build makes no completion file"
fi

# ---- the installed program runs from there, on its installed data ----
unset OPENMV_RESCUE_BOARDS
"$root$bin" boards >"$dest/out" 2>&1
check "the installed program runs 'boards'" test $? -eq 0
targets_ok=1
for t in $(sed -n 's/^\[\([A-Z0-9_]*\)\]/\1/p' "$src/boards.ini"); do
	grep -q "^| $t |" "$dest/out" || grep -qw "$t" "$dest/out" || { echo "# $t missing"; targets_ok=0; }
done
check "it lists every board of boards.ini" test $targets_ok -eq 1
"$root$bin" udev-install --dry-run >"$dest/out" 2>&1
used=$(sed -n 's/.* from \(.*\))$/\1/p' "$dest/out" | head -n 1)
check "it reads the installed boards.ini (not the build tree's)" \
	test "$(readlink -f "$used")" = "$(readlink -f "$root$data/boards.ini")"
"$root$bin" udev-rules >"$dest/rules.now" 2>"$dest/out"
check "its udev-rules prints what was installed" cmp -s "$dest/rules.now" "$rules"

if [ "$want_sim" = yes ]; then
	mkdir -p "$dest/dump"
	head -c 8192 /dev/urandom >"$dest/fs.img"
	head -c 4096 /dev/zero >"$dest/zeros"
	# umockdev's sockets live in its testbed under $TMPDIR: a deep build directory would pass
	# the 108-byte limit of a socket path, so the testbed goes to the system's temporary folder
	HOME=$dest env -u TMPDIR "$root$sim" --camera OPENMV4:bootloader --load "alt1=$dest/fs.img" --dump "$dest/dump" -- \
		"$root$bin" erase-fs --board OPENMV4 --yes >"$dest/out" 2>&1
	check "practice: the installed program erases a virtual H7's filesystem through the installed simulator" test $? -eq 0
	check "practice: 4 KiB of zeros at the filesystem (flash 0x20000)" sh -c \
		"dd if='$dest/dump/OPENMV4.flash.bin' bs=4096 skip=32 count=1 status=none | cmp -s - '$dest/zeros'"
else
	skip "practice erase-fs against the installed simulator" "this build does not install it"
fi

# ---- the options, by the install plan of a build configured with them (nothing is built) ----
"$meson" setup "$dest/conf" "$src" -Dinstall_simulator=disabled -Dudev_group=plugdev \
	-Dudevdir=/opt/udev >"$dest/out" 2>&1 &&
	"$meson" introspect --installed "$dest/conf" >"$dest/conf.json" 2>>"$dest/out"
check "a build configured with the options has an install plan" test $? -eq 0
python3 -c 'import json,sys; [print(p) for p in json.load(open(sys.argv[1])).values()]' \
	"$dest/conf.json" >"$dest/conf.plan" 2>/dev/null
check "-Dinstall_simulator=disabled: openmv-rescue-sim is not installed" sh -c \
	"grep -q '/bin/openmv-rescue$' '$dest/conf.plan' && ! grep -q 'openmv-rescue-sim' '$dest/conf.plan'"
check "-Dudevdir=/opt/udev: the rules go to /opt/udev/rules.d" grep -qx /opt/udev/rules.d/60-openmv-rescue.rules "$dest/conf.plan"
check "-Dudev_group=plugdev: 61-openmv-rescue-group.rules is installed too" \
	grep -qx /opt/udev/rules.d/61-openmv-rescue-group.rules "$dest/conf.plan"

echo "1..$n"
exit $failed
