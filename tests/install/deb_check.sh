#!/bin/sh
# deb_check.sh DIR — the Debian packages that "sh tests/bootstrap.sh deb" built in DIR (beside
# the source copy DIR/openmv-rescue): their files (dpkg-deb -c), unpacked into a throw-away
# root (dpkg-deb -x) and run from there, and lintian with no errors.  TAP, then the line
# "N passed, N failed".
set -u
dir=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/deb-check.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
n=0
passed=0
failed=0
check() { # check NAME COMMAND...
	_name=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $_name"
		passed=$((passed + 1))
	else
		echo "not ok $n - $_name"
		failed=$((failed + 1))
		[ -f "$work/out" ] && tail -n 8 "$work/out" | sed 's/^/# /'
	fi
}
skip() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1 # SKIP $2"; }

main=$(ls "$dir"/openmv-rescue_*.deb 2>/dev/null | head -n 1)
sim=$(ls "$dir"/openmv-rescue-sim_*.deb 2>/dev/null | head -n 1)
check "openmv-rescue_*.deb was built" test -f "$main"
check "openmv-rescue-sim_*.deb was built" test -f "$sim"
dpkg-deb -c "$main" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/main.files"
dpkg-deb -c "$sim" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/sim.files"
has() { grep -qx "$2" "$work/$1.files"; } # has main|sim PATH
udevdir=$(pkg-config --variable=udevdir udev 2>/dev/null || echo /usr/lib/udev)
check "openmv-rescue holds /usr/bin/openmv-rescue" has main /usr/bin/openmv-rescue
check "openmv-rescue holds boards.ini and the prompt texts" sh -c \
	"grep -qx /usr/share/openmv-rescue/boards.ini '$work/main.files' &&
	 [ \$(grep -c '^/usr/share/openmv-rescue/assets/prompts/.*\.txt$' '$work/main.files') -eq $(ls "$src"/assets/prompts/*.txt | wc -l) ]"
check "openmv-rescue holds the udev rules in $udevdir/rules.d" has main "$udevdir/rules.d/60-openmv-rescue.rules"
check "openmv-rescue holds its copyright file" has main /usr/share/doc/openmv-rescue/copyright
check "no build file or test is packaged" sh -c "! cat '$work/main.files' '$work/sim.files' | grep -E 'meson\.build$|\.[ch]$|/tests/'"
check "openmv-rescue-sim holds /usr/bin/openmv-rescue-sim" has sim /usr/bin/openmv-rescue-sim
check "the simulator is not in openmv-rescue" sh -c "! grep -q openmv-rescue-sim '$work/main.files'"
check "openmv-rescue-sim depends on umockdev's preload library" sh -c "dpkg-deb -f '$sim' Depends | grep -q libumockdev"

# Every file the meson build installs is in one of the packages (man pages and completion too,
# when the build makes them; they are compressed by dh_installman's rules).
build=$(ls -d "$dir"/openmv-rescue/obj-* 2>/dev/null | head -n 1)
if [ -n "$build" ] && meson introspect --installed "$build" >"$work/plan.json" 2>/dev/null; then
	python3 -c 'import json,sys; [print(p) for p in json.load(open(sys.argv[1])).values()]' \
		"$work/plan.json" >"$work/plan"
	lost=0
	while read -r f; do
		grep -qx -e "$f" -e "$f.gz" "$work/main.files" "$work/sim.files" || { echo "# not packaged: $f"; lost=1; }
	done <"$work/plan"
	check "every file meson installs is packaged ($(wc -l <"$work/plan") files)" test $lost -eq 0
	if grep -q /man1/ "$work/plan"; then
		check "man pages are packaged in man1" grep -q '^/usr/share/man/man1/openmv-rescue\.1\.gz$' "$work/main.files"
	else
		skip "man pages are packaged in man1" "the build makes no man pages"
	fi
	if grep -q /completions/ "$work/plan"; then
		check "bash completion is packaged" grep -q '^/usr/share/bash-completion/completions/openmv-rescue$' "$work/main.files"
	else
		skip "bash completion is packaged" "the build makes no completion file"
	fi
else
	skip "every file meson installs is packaged" "no meson build directory beside the source copy"
fi

# Unpacked into a throw-away root, the program runs on its packaged data and simulator.
root=$work/root
dpkg-deb -x "$main" "$root" && dpkg-deb -x "$sim" "$root"
check "both packages unpack" test -x "$root/usr/bin/openmv-rescue" -a -x "$root/usr/bin/openmv-rescue-sim"
unset OPENMV_RESCUE_BOARDS
"$root/usr/bin/openmv-rescue" boards >"$work/out" 2>&1
check "the packaged program runs 'boards'" sh -c "[ $? -eq 0 ] && grep -q OPENMV_AE3 '$work/out'"
"$root/usr/bin/openmv-rescue" udev-rules >"$work/rules" 2>"$work/out"
check "its udev-rules prints the packaged rules" cmp -s "$work/rules" "$root$udevdir/rules.d/60-openmv-rescue.rules"
head -c 8192 /dev/urandom >"$work/fs.img"
head -c 4096 /dev/zero >"$work/zeros"
mkdir -p "$work/dump"
# (the testbed's sockets go to the system's temporary folder: a socket path has at most 108 bytes)
HOME=$work env -u TMPDIR "$root/usr/bin/openmv-rescue-sim" --camera OPENMV4:bootloader --load "alt1=$work/fs.img" \
	--dump "$work/dump" -- "$root/usr/bin/openmv-rescue" erase-fs --board OPENMV4 --yes >"$work/out" 2>&1
check "practice: the packaged program erases a virtual H7's filesystem via the packaged simulator" sh -c \
	"[ $? -eq 0 ] && dd if='$work/dump/OPENMV4.flash.bin' bs=4096 skip=32 count=1 status=none | cmp -s - '$work/zeros'"

# lintian: no errors (warnings and notes are listed, not failed).
if command -v lintian >/dev/null; then
	lintian --tag-display-limit 0 "$main" "$sim" >"$work/lintian" 2>&1
	sed 's/^/# /' "$work/lintian"
	cp "$work/lintian" "$work/out"
	check "lintian reports no errors" sh -c "! grep -q '^E: ' '$work/lintian'"
else
	skip "lintian reports no errors" "lintian is not installed"
fi
echo "1..$n"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
