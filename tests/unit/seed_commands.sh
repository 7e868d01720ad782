#!/bin/sh
# Every command line of the seeds is reproduced by a dry run (tests/data/seed_commands.txt),
# compared after normalising whitespace only.  Speaks TAP.
# usage: seed_commands.sh OPENMV-RESCUE SEED-COMMANDS-FILE
prog=$1 data=$2
case $prog in /*) ;; *) prog=$(pwd)/$prog ;; esac
work=$(mktemp -d "${TMPDIR:-/tmp}/seedcmd.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
n=0 failed=0
norm() { tr -s ' \t' '  ' | sed 's/^ //; s/ $//'; }
while IFS= read -r line; do
	case $line in ''|'#'*) continue ;; esac
	args=${line%% | *}
	want=$(printf '%s\n' "${line#* | }" | norm)
	n=$((n + 1))
	# the dry run lists missing files and exits 2; the plan is printed either way
	out=$(cd "$work" && eval "\"$prog\" $args --dry-run" 2>/dev/null | sed 's/^  *//' | norm)
	if printf '%s\n' "$out" | grep -qxF -- "$want"; then
		echo "ok $n - $args: $want"
	else
		echo "not ok $n - $args: $want"
		printf '%s\n' "$out" | sed 's/^/# got: /'
		failed=$((failed + 1))
	fi
done < "$data"
echo "1..$n"
[ "$failed" -eq 0 ]
