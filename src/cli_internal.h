/* cli_internal.h — shared between the CLI's files (cli.c, cli_boards.c, cli_run.c). */
#ifndef RESCUE_CLI_INTERNAL_H
#define RESCUE_CLI_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>

#include "boarddb.h"
#include "plan.h"

struct cli_args {
	const char *command, *operand;
	const char *board, *boards_file, *serial;
	struct plan_files files;
	bool help, version, dry_run, yes, allow_irreversible, no_verify, practice;
	bool use_cubeprogrammer;
	bool json, watch;       /* list, info: --json; list: --watch */
	int n6_nor_addressing;
	int timeout_s;          /* --timeout; 0: the defaults */
};

/* openmv-rescue boards */
int cli_boards_table(const struct boarddb *db);

/* openmv-rescue boards TARGET */
int cli_board_facts(const struct boarddb *db, const char *target);

/* Print a plan: numbered steps, then the classic commands. */
void cli_print_plan(FILE *out, const struct plan *p);

/* openmv-rescue ACTION --board TARGET ... */
int cli_action(const struct cli_args *a, const struct board *b, enum action action);

/* openmv-rescue udev-rules | udev-install [options] (cli_udev.c): argv[1] is the command. */
int cli_udev_main(int argc, char **argv);

#endif
