# cli_lib.sh — shared by the command-line end-to-end tests (cli_*.sh): TAP checks, a work
# folder removed on exit, and reading the simulator's --dump files.  Source it after
# setting sim (openmv-rescue-sim) and name (the test's name, for the work folder); probe (a
# --camera the test needs, default OPENMV4:bootloader), diag (the file whose tail a failed
# check shows, expanded at the failure, default $work/out) and diag_lines (default 8) are
# optional.

# Skip the whole test (TAP plan 1..0, exit 77) when the virtual bus cannot start.
if ! why=$("$sim" --camera "${probe:-OPENMV4:bootloader}" -- true 2>&1); then
	echo "1..0 # SKIP $why"
	exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
n=0
failed=0

check() { # check NAME COMMAND...: one TAP line for whether COMMAND succeeds
	_name=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $_name"
	else
		echo "not ok $n - $_name"
		failed=1
		# the last command's output, when the test keeps it in $work/out (or in $diag)
		eval "_out=\"${diag:-\$work/out}\""
		[ -f "$_out" ] && tail -n "${diag_lines:-8}" "$_out" | sed 's/^/# /'
	fi
	return 0
}
tap_end() { # the TAP plan and the exit status
	echo "1..$n"
	exit $failed
}
bytes() { # bytes OFFSET LENGTH FILE: the bytes of FILE at OFFSET (numbers may be hex)
	dd if="$3" bs=4096 iflag=skip_bytes,count_bytes skip=$(($1)) count=$(($2)) status=none
}
same_at() { # same_at DUMP OFFSET FILE: DUMP holds FILE at OFFSET
	_size=$(wc -c <"$3")
	bytes "$2" "$_size" "$1" | cmp -s - "$3"
}
erased_at() { # erased_at DUMP OFFSET LENGTH: all 0xFF (never written)
	bytes "$2" "$3" "$1" | tr -d '\377' | cmp -s - /dev/null
}
# firmware SP RESET SIZE FILE: a firmware image whose vector table fits a board
firmware() {
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))" >"$4"
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($2 & 255)) $(($2 >> 8 & 255)) $(($2 >> 16 & 255)) $(($2 >> 24 & 255)))" >>"$4"
	head -c $(($3 - 8)) /dev/urandom >>"$4"
}
# flip FILE OFFSET OUT: a copy of FILE with the byte at OFFSET inverted
flip() {
	cp "$1" "$3"
	_b=$(bytes "$2" 1 "$1" | od -An -tu1 | tr -d ' ')
	printf "$(printf '\\%03o' $((255 - _b)))" | dd of="$3" bs=1 seek=$(($2)) conv=notrunc status=none
}
