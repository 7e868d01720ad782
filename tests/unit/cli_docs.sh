#!/bin/sh
# cli_docs.sh RESCUE MAN1... COMPLETION BOARDS_INI — the man pages and the bash completion the
# build writes from the table behind --help: they render without a warning, the man page
# names every option --help names, and the completion offers the commands, the options of
# the command being typed, the TARGETs of boards.ini and file names.  Speaks TAP.
rescue=$1 man_rescue=$2 man_sim=$3 completion=$4 boards=$5
n=0
failed=0
check() { # check NAME COMMAND...
	_name=$1
	shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $_name"; else echo "not ok $n - $_name"; failed=1; fi
}
work=$(mktemp -d "${TMPDIR:-/tmp}/cli_docs.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT

# ---- the man pages ----
for page in "$man_rescue" $man_sim; do
	[ -f "$page" ] || continue
	base=$(basename "$page")
	if command -v groff >/dev/null; then
		groff -ww -man -Tutf8 -P-cbou "$page" >"$work/out" 2>"$work/err"
		check "$base: groff -ww renders it" test $? -eq 0
		check "$base: ... without a warning" test ! -s "$work/err"
		sed 's/^/# /' "$work/err"
		check "$base: ... with NAME, SYNOPSIS, DESCRIPTION and OPTIONS" \
			sh -c "grep -q '^NAME' '$work/out' && grep -q '^SYNOPSIS' '$work/out' && grep -q '^DESCRIPTION' '$work/out' && grep -q '^OPTIONS' '$work/out'"
	else
		echo "ok $((n = n + 1)) - $base: groff -ww # SKIP groff is not installed"
	fi
	if command -v man >/dev/null; then
		MANPAGER=cat MANWIDTH=80 man --warnings -l "$page" >/dev/null 2>"$work/err"
		check "$base: man --warnings -l renders it without a warning" test ! -s "$work/err"
		sed 's/^/# /' "$work/err"
	fi
done
# every option of --help is in the man page
"$rescue" --help | sed -n 's/^  \(-., \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p' >"$work/opts"
check "--help names options" test -s "$work/opts"
groff -man -Tascii "$man_rescue" 2>/dev/null | sed 's/.\x08//g' >"$work/man.txt"
missing=""
while read -r o; do grep -q -- "$o" "$work/man.txt" || missing="$missing $o"; done <"$work/opts"
check "the man page names every option of --help${missing:+ (missing:$missing)}" test -z "$missing"
check "the man page has each command's example" grep -q "openmv-rescue restore-bootloader --board OPENMV4" "$work/man.txt"

# ---- the bash completion, driven as bash would: COMP_WORDS, COMP_CWORD, the function ----
complete_words() { # complete_words WORD... : the completions of the last word
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _openmv_rescue
	         printf "%s\n" "${COMPREPLY[@]}" | sort' sh "$completion" "$@"
}
check "completion: the script loads in bash and registers itself" \
	bash -c '. "$1" && complete -p openmv-rescue | grep -q _openmv_rescue' sh "$completion"
check "completion: 'fl' gives flash" test "$(complete_words openmv-rescue fl)" = "flash"
check "completion: 'restore' gives restore-bootloader" \
	test "$(complete_words openmv-rescue restore)" = "restore-bootloader"
check "completion: 'flash --fi' gives --file and --firmware" \
	test "$(complete_words openmv-rescue flash --fi | tr '\n' ' ')" = "--file --firmware "
check "completion: erase-fs does not offer --romfs" \
	test -z "$(complete_words openmv-rescue erase-fs --ro)"
sed -n 's/^\[\([A-Za-z0-9_]*\)\].*/\1/p' "$boards" | sort >"$work/targets"
complete_words openmv-rescue flash --board "" >"$work/got"
check "completion: --board offers every TARGET of boards.ini" cmp -s "$work/targets" "$work/got"
check "completion: --board OPENMV4 gives OPENMV4 and OPENMV4P" \
	test "$(complete_words openmv-rescue flash --board OPENMV4 | tr '\n' ' ')" = "OPENMV4 OPENMV4P "
check "completion: boards ARD gives the Arduino TARGETs" \
	test "$(complete_words openmv-rescue boards ARDUINO_N | tr '\n' ' ')" = "ARDUINO_NANO_33_BLE_SENSE ARDUINO_NANO_RP2040_CONNECT ARDUINO_NICLA_VISION "
check "completion: help re gives replay and restore-bootloader" \
	test "$(complete_words openmv-rescue help re | tr '\n' ' ')" = "replay restore-bootloader "
mkdir "$work/imgs" && touch "$work/imgs/firmware.bin" "$work/imgs/romfs0.img"
check "completion: --firmware completes file names" \
	test "$(complete_words openmv-rescue flash --board OPENMV4 --firmware "$work/imgs/fi")" = "$work/imgs/firmware.bin"
check "completion: --dir completes folders only" \
	test "$(complete_words openmv-rescue flash --dir "$work/im")" = "$work/imgs"
check "completion: --n6-nor-addressing offers its two words" \
	test "$(complete_words openmv-rescue restore-bootloader --n6-nor-addressing "" | tr '\n' ' ')" = "layout set-phase "
echo "1..$n"
exit $failed
