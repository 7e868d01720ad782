#!/bin/sh
# make_terminfo.sh OUTDIR STAMP — compile xterm-256color without the `rep` capability into
# OUTDIR, under the same name.  libvterm 0.1.4 scrolls the whole screen when ncurses ends a
# line at the last column with REP and then writes with autowrap off, which moves later
# updates to the wrong rows (reference test-harness-umockdev-libvterm.md §D, finding 2).
set -eu
out=$1
stamp=$2
mkdir -p "$out"
infocmp -x -1 xterm-256color | grep -v 'rep=' | tic -x -o "$out" -
: > "$stamp"
