/* cli.h — the command line: parses arguments once for both front ends, answers what needs
 * no front end, and runs a command. */
#ifndef RESCUE_CLI_H
#define RESCUE_CLI_H

#include "boarddb.h"
#include "cli_args.h"

#define CLI_GO_ON (-1) /* cli_prepare: a front end runs next */

/* Parse argv into a, answer what needs no front end (--version, --help, help, udev-rules,
 * udev-install, the build's man page and completion) and load the board database into db.
 * Returns the process exit status (0, 1, 2 or 3), or CLI_GO_ON when a front end is to run:
 * the command a->command, or the wizard when there is none. */
int cli_prepare(int argc, char **argv, struct cli_args *a, struct boarddb *db);

/* Run the command a->command (cli_prepare found it); returns the exit status. */
int cli_run_command(const struct cli_args *a, const struct boarddb *db);

#endif
