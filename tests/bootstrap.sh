#!/bin/sh
# bootstrap.sh — the README's set-up commands: install what is missing, build, then
#   run    start the wizard (the default build in build/)
#   test   run the default test suites under AddressSanitizer + UBSan (build-test/) and end
#          with the line "N passed, N failed"
#   fuzz   run every fuzz target for FUZZ_SECONDS (default 60), FUZZ_JOBS (default 2) at a
#          time, with clang (build-fuzz/)
#   bench  run the benchmarks against the peer tools (build-bench/)
#   deb    build the Debian packages with dpkg-buildpackage -us -uc -b from a copy of the tree
#          (build-deb/), then check them (tests/install/deb_check.sh, lintian)
#   packages run|test   print the Debian packages the run or test set-up installs
# Works on a fresh Debian 12 as root; as another user it names the missing packages.
set -eu
cd "$(dirname "$0")/.."
what=${1:-run}
[ $# -gt 0 ] && shift

# run: what the program needs to build and run, and the simulator's libraries (practice
# mode runs openmv-rescue-sim); test: also the test-only tools (peer tools, terminal emulator)
base="meson ninja-build pkg-config gcc libncurses-dev libusb-1.0-0-dev libserialport-dev libiniparser-dev libjansson-dev nettle-dev libzip-dev libcurl4-openssl-dev"
practice="libumockdev-dev libglib2.0-dev"
sim="$practice umockdev libvterm-dev dfu-util bossa-cli python3 groff-base"
bench="time bc"
fuzz="clang libclang-rt-14-dev"
deb="debhelper dpkg-dev lintian udev"
lint="clang" # the static analyzers of tests/lint (GCC's -fanalyzer comes with gcc)
alif_toolkit="python3-serial" # Alif's Security Toolkit, an oracle of tests/xval (../shared/oracles)

install_missing() {
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "openmv-rescue needs these Debian packages:$missing" >&2
		echo "install them as root: apt-get install$missing" >&2
		exit 2
	fi
	echo "installing:$missing" >&2
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >&2
}

setup() { # setup DIR [meson options...]
	dir=$1
	shift
	if [ -f "$dir/build.ninja" ]; then
		meson setup --reconfigure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi
	meson compile -C "$dir" >&2
}

# The closing line CI reads: count TAP results of every test program in meson's log.
summary() {
	python3 - "$1/meson-logs/testlog.json" <<'PY'
import json, re, sys
passed = failed = skipped = 0
for line in open(sys.argv[1]):
    t = json.loads(line)
    out = t.get("stdout") or ""
    oks = len(re.findall(r"^ok \d+", out, re.M))
    bad = len(re.findall(r"^not ok \d+", out, re.M))
    if t["result"] == "SKIP":
        skipped += 1
    elif t["result"] in ("OK", "EXPECTEDFAIL"):
        passed += max(oks, 1)
    else:
        passed += oks
        failed += max(bad, 1)
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
}

case $what in
run)
	install_missing $base $practice
	setup build -Dtests=false # the program and the simulator, no test programs
	exec build/openmv-rescue "$@"
	;;
packages) # packages run|test: the Debian packages that set-up installs
	case ${1:-run} in
	run) echo $base $practice ;;
	*) echo $base $sim ;;
	esac
	;;
test)
	install_missing $base $sim $alif_toolkit $lint
	setup build-test -Db_sanitize=address,undefined -Dtests=true
	status=0
	meson test -C build-test --suite unit --suite install --suite lint --suite sim --suite xval --suite tui \
		--print-errorlogs "$@" || status=$?
	summary build-test
	exit $status
	;;
fuzz)
	install_missing $base $sim $fuzz
	CC=clang setup build-fuzz -Db_sanitize=address,undefined -Dc_args=-fsanitize=fuzzer-no-link
	status=0
	FUZZ_SECONDS=${FUZZ_SECONDS:-60} meson test -C build-fuzz --suite fuzz --print-errorlogs \
		--timeout-multiplier 0 --num-processes "${FUZZ_JOBS:-2}" "$@" || status=$?
	summary build-fuzz
	exit $status
	;;
bench)
	install_missing $base $sim $bench
	setup build-bench -Dbuildtype=release
	meson test -C build-bench --suite bench --verbose "$@"
	;;
deb)
	install_missing $base $sim $deb
	# dpkg-buildpackage writes the packages beside the source: build a copy in build-deb/
	rm -rf build-deb
	mkdir -p build-deb/openmv-rescue
	tar --exclude='./build*' --exclude=./.git --exclude='./obj-*' -cf - . |
		tar -xf - -C build-deb/openmv-rescue
	(cd build-deb/openmv-rescue && dpkg-buildpackage -us -uc -b) >build-deb/build.log 2>&1 ||
		{ tail -n 40 build-deb/build.log >&2; echo "dpkg-buildpackage failed: build-deb/build.log" >&2; exit 1; }
	exec sh tests/install/deb_check.sh build-deb
	;;
*)
	echo "usage: sh tests/bootstrap.sh run|test|fuzz|bench|deb|packages" >&2
	exit 2
	;;
esac
