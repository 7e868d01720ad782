#!/bin/sh
# cli_prompt_wait.sh SIMHOST RESCUE — the hardware prompts of a person at a terminal: the
# prompt that closes an ST ROM restore ("remove the jumper and reconnect") waits until the
# camera is seen without the ROM, and Enter while the awaited device is not there says what
# the prompt still waits for.  The person is pty_person.py; the hands are SIGUSR1
# (hands=signal).  Without a terminal the closing prompt is left for after the run.
sim=$1
rescue=$2
name=cli_prompt_wait
. "$(dirname "$0")/cli_lib.sh"
person="$(dirname "$0")/pty_person.py"
head -c 20000 /dev/urandom >"$work/boot.bin"
restore="restore-bootloader --board OPENMV4 --file $work/boot.bin"

# the camera is in the ST ROM; once the jumper is off (SIGUSR1) it powers up in its bootloader
"$sim" --camera OPENMV4:st-rom,hands=signal,after-leave=power-up -- python3 "$person" "$work/out" \
	"[y/N]" y "Remove the jumper and reconnect" enter "Still waiting for" usr1 -- "$rescue" $restore
rc=$?
after=$(sed -n '/Remove the jumper and reconnect/,$p' "$work/out")
check "restore with the jumper removed by hand exits 0 (exit $rc)" test "$rc" -eq 0
check "the closing prompt waits for the camera without the ST ROM" \
	grep -q "Waiting for the camera to start without the ST ROM DFU" "$work/out"
check "... saying the camera is still in the ST ROM" sh -c 'printf "%s\n" "$1" | grep -q "Seen instead: ST ROM DFU 0483:df11"' - "$after"
check "Enter while it is still in the ROM says what the prompt waits for" \
	sh -c 'printf "%s\n" "$1" | grep -q "Still waiting for the camera to start without the ST ROM DFU: not seen yet"' - "$after"
check "... and the camera seen in its bootloader ends the prompt" \
	sh -c 'printf "%s\n" "$1" | sed -n "/Still waiting/,\$p" | grep -q "\.\.\. found\."' - "$after"

# nothing on the bus at the first prompt: Enter says what it waits for; the hands bring up
# the ST ROM; at the closing prompt the camera stays in the ROM and Enter twice goes on
"$sim" --camera OPENMV4:off,hands=signal,after-leave=st-rom -- python3 "$person" "$work/out" \
	"[y/N]" y "Waiting for ST ROM DFU" enter "Still waiting for" usr1 \
	"Remove the jumper and reconnect" enter "Press Enter again" enter -- "$rescue" $restore
rc=$?
first=$(sed -n '1,/Write /p' "$work/out")
check "with nothing attached, Enter says the prompt still waits for the ST ROM" \
	sh -c 'printf "%s\n" "$1" | grep -q "Still waiting for ST ROM DFU 0483:df11: not seen yet"' - "$first"
check "... and the ST ROM brought up by hand is found" sh -c 'printf "%s\n" "$1" | grep -q "\.\.\. found\."' - "$first"
check "a camera left in the ROM: Enter twice goes on, and the restore is done (exit $rc)" \
	sh -c '[ "$1" -eq 0 ] && grep -q "all 3 steps done" "$2"' - "$rc" "$work/out"

# no terminal (--yes in a script): the closing prompt is for after the run, nothing waits
"$sim" --camera OPENMV4:st-rom -- timeout 60 "$rescue" $restore --yes >"$work/out" 2>&1
rc=$?
check "without a terminal the closing prompt does not wait (exit $rc)" \
	sh -c '[ "$1" -eq 0 ] && grep -q "(do this once the run has finished)" "$2"' - "$rc" "$work/out"
tap_end
