/* cli_args.h — the parsed command line: one struct, filled once by cli_parse() (cli.c) from
 * the table of cli_table.c, read by both front ends (the commands of src/cli*.c and the
 * wizard of screens/). */
#ifndef RESCUE_CLI_ARGS_H
#define RESCUE_CLI_ARGS_H

#include <stdbool.h>

#include "plan.h"

#define CLI_MAX_SERIALS 8   /* --serial given several times (with --all): as many as cameras */

struct cli_args {
	int argc;                 /* the arguments as given (udev-rules and udev-install read them) */
	char **argv;
	const char *command, *operand;
	const char *board, *boards_file, *serial, *log_file;
	const char *record_file;  /* --record FILE */
	bool record_payloads;     /* --record-payloads */
	bool explain, check_board; /* replay: --explain, --check-board */
	const char *from;         /* --from: a release zip, a folder, or 'ide' */
	const char *n6_loaders;   /* --n6-loaders: a folder with the N6 layout's ST loaders */
	const char *release, *to_dir, *mirror; /* download: --release, --to, --mirror */
	bool no_digest;           /* download: --no-digest */
	char command_line[1024];  /* the arguments as given, for the log */
	struct plan_files files;
	bool help, version, dry_run, yes, allow_irreversible, no_verify, full, verify_only, practice;
	bool use_cubeprogrammer;
	bool json, watch;       /* list, info: --json; list and ACTION --all: --watch */
	bool all;               /* ACTION --all: every connected camera of the board (cli_all.c) */
	const char *serials[CLI_MAX_SERIALS]; /* every --serial, in order (serial is the first) */
	int nserials;
	int n6_nor_addressing;
	int timeout_s;          /* --timeout; 0: the defaults */
};

/* Parse argv by the table into a (zeroed by the caller); -1 after one line on stderr. */
int cli_parse(int argc, char **argv, struct cli_args *a);

#endif
