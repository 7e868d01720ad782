#!/bin/sh
# bootstrap_run.sh SOURCE_ROOT MESON — 'sh tests/bootstrap.sh run' installs only what the
# program needs to run (the simulator's libraries for practice mode; no peer tools, no
# terminal emulator), and its build (-Dtests=false) builds the program and the simulator and
# no test program.  Speaks TAP.
src=$1 meson=$2
n=0
failed=0
check() { # check NAME COMMAND...
	_name=$1
	shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $_name"; else echo "not ok $n - $_name"; failed=1; fi
}
has_pkg() { echo " $1 " | grep -q " $2 "; }
run_pkgs=$(sh "$src/tests/bootstrap.sh" packages run)
test_pkgs=$(sh "$src/tests/bootstrap.sh" packages test)
for p in dfu-util bossa-cli libvterm-dev python3 umockdev; do
	check "run does not install the test-only $p" sh -c "! echo ' $run_pkgs ' | grep -q ' $p '"
	check "test installs $p" has_pkg "$test_pkgs" "$p"
done
for p in libusb-1.0-0-dev libserialport-dev libiniparser-dev libncurses-dev nettle-dev libumockdev-dev; do
	check "run installs $p" has_pkg "$run_pkgs" "$p"
done
check "the run build is set up with -Dtests=false" grep -q 'setup build -Dtests=false' "$src/tests/bootstrap.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/bootstrap_run.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
if "$meson" setup "$work/b" "$src" -Dtests=false >"$work/log" 2>&1; then
	"$meson" introspect --targets "$work/b" | python3 -c '
import json, sys
for t in json.load(sys.stdin):
    if t["build_by_default"] and t["type"] == "executable":
        print(t["name"])' | sort >"$work/exes"
	sed 's/^/# built: /' "$work/exes"
	check "-Dtests=false builds the program" grep -qx openmv-rescue "$work/exes"
	check "-Dtests=false builds no test program (only openmv-rescue and openmv-rescue-sim)" \
		sh -c "! grep -vx -e openmv-rescue -e openmv-rescue-sim '$work/exes'"
	if "$meson" introspect --dependencies "$work/b" | grep -q '"umockdev-1.0"'; then
		check "-Dtests=false still builds the simulator for practice mode" grep -qx openmv-rescue-sim "$work/exes"
	fi
else
	check "meson setup -Dtests=false" false
	sed 's/^/# /' "$work/log" | tail -n 20
fi
echo "1..$n"
exit $failed
