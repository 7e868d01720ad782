#!/bin/sh
# test_hardening.sh BINARY BUILD-DIR — the program is built hardened as Debian builds its
# packages: PIE, full RELRO (a GNU_RELRO segment and BIND_NOW), the stack protector, stack-
# clash protection on every product source, and _FORTIFY_SOURCE's checked functions in an
# optimised build without sanitizers (AddressSanitizer replaces them; then it is skipped).
bin=$1 build=$2
n=0
check() { # check DESCRIPTION COMMAND...
	n=$((n + 1))
	if "$@" >/dev/null 2>&1; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fi
}
if ! command -v readelf >/dev/null; then
	echo "1..0 # SKIP readelf (binutils) is not installed"
	exit 0
fi
hdr=$(readelf -h "$bin") dyn=$(readelf -d "$bin") seg=$(readelf -lW "$bin") syms=$(readelf --dyn-syms -W "$bin")
desc="PIE: the ELF type is DYN"; check sh -c 'printf "%s\n" "$0" | grep -q "Type: *DYN"' "$hdr"
desc="RELRO: a GNU_RELRO segment"; check sh -c 'printf "%s\n" "$0" | grep -q GNU_RELRO' "$seg"
desc="full RELRO: BIND_NOW"; check sh -c 'printf "%s\n" "$0" | grep -Eq "BIND_NOW|FLAGS_1.*NOW"' "$dyn"
desc="stack protector: __stack_chk_fail is imported"; check sh -c 'printf "%s\n" "$0" | grep -q __stack_chk_fail' "$syms"
db="$build/compile_commands.json"
desc="stack-clash protection on every product source"
check python3 - "$db" <<'PY'
import json, sys
cmds = [c for c in json.load(open(sys.argv[1]))
        if "/src/" in c["file"] or "/screens/" in c["file"]]
sys.exit(0 if cmds and all("-fstack-clash-protection" in c["command"] for c in cmds) else 1)
PY
n=$((n + 1))
if grep -q -- '-fsanitize=' "$db" || ! grep -q -- '-O[12s3]' "$db"; then
	echo "ok $n - _FORTIFY_SOURCE # SKIP not applied in a sanitized or unoptimised build"
elif printf '%s\n' "$syms" | grep -q '__[a-z]*_chk'; then
	echo "ok $n - _FORTIFY_SOURCE: checked functions (__*_chk) are imported"
else
	echo "not ok $n - _FORTIFY_SOURCE: no __*_chk function is imported"
fi
echo "1..$n"
