/* cli_internal.h — shared between the CLI's files (cli.c, cli_table.c, cli_boards.c,
 * cli_run.c). */
#ifndef RESCUE_CLI_INTERNAL_H
#define RESCUE_CLI_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>

#include "boarddb.h"
#include "cli_args.h"
#include "cmdtable.h"
#include "plan.h"

/* The options of cli_table.c, by number. */
enum cli_option_id {
	OPT_BOARD, OPT_FIRMWARE, OPT_ROMFS, OPT_FILE, OPT_IMAGE, OPT_DIR, OPT_DRY_RUN, OPT_YES,
	OPT_ALLOW_IRREVERSIBLE, OPT_ACCEPT_COMBINED, OPT_NO_VERIFY, OPT_FULL, OPT_SERIAL, OPT_TIMEOUT, OPT_LOG,
	OPT_USE_CUBEPROGRAMMER, OPT_N6_NOR_ADDRESSING, OPT_BOARDS, OPT_PRACTICE, OPT_HELP,
	OPT_VERSION, OPT_ERASE_FS, OPT_JSON, OPT_WATCH, OPT_GROUP, OPT_RULES_DIR, OPT_FROM,
	OPT_N6_LOADERS, OPT_RELEASE, OPT_TO, OPT_MIRROR, OPT_NO_DIGEST, OPT_ALL,
	OPT_RECORD, OPT_RECORD_PAYLOADS, OPT_REPLAY_EXPLAIN, OPT_CHECK_BOARD,
};


/* What a command's handler gets (struct ct_command.run's ctx). */
struct cli_ctx {
	const struct cli_args *args;
	const struct boarddb *db;
	const struct ct_command *command;
};

extern const struct ct_program cli_program;

/* The handlers of cli_table.c's commands; each returns the exit status. */
int cli_cmd_help(void *ctx);
int cli_cmd_boards(void *ctx);
int cli_cmd_action(void *ctx);
int cli_cmd_verify(void *ctx);
int cli_cmd_list(void *ctx);
int cli_cmd_info(void *ctx);
int cli_cmd_replay(void *ctx); /* cli_replay.c */
int cli_cmd_udev(void *ctx);
int cli_cmd_download(void *ctx); /* cli_download.c */

/* openmv-rescue boards */
int cli_boards_table(const struct boarddb *db);

/* openmv-rescue boards TARGET */
int cli_board_facts(const struct boarddb *db, const char *target);

/* Print a plan: numbered steps, then the classic commands. */
void cli_print_plan(FILE *out, const struct plan *p);
/* Print note i of p, with the option that does what it says can be done ("(--firmware FILE)"). */
void cli_print_note(FILE *out, const char *prefix, const struct plan *p, int i);

/* openmv-rescue ACTION --board TARGET ... */
int cli_action(const struct cli_args *a, const struct boarddb *db, const struct board *b,
               enum action action);

/* ACTION --all (cli_all.c): run the checked plan p on every connected camera of its board
 * (those of --serial, when given), one thread each; with --watch also on every one plugged
 * in later, until Ctrl-C.  Returns the exit status: 0 only when every camera succeeded. */
int cli_all_run(const struct cli_args *a, const struct boarddb *db, const struct plan *p);

/* --log FILE (cli_log.c): create FILE new before anything runs (-1: refused, said why),
 * the log while the command runs (NULL without --log), and write it when it ends. */
struct session_log;
int cli_log_open(const char *file, const char *command_line);
struct session_log *cli_log(void);
void cli_log_close(int status);
/* --record FILE (cli_record.c): start the recording of an action's exchanges (-1 after one
 * line on stderr, nothing touched); end it with the exit status, saying where it is. */
int cli_record_open(const struct cli_args *a, const struct board *b, enum action action);
void cli_record_close(int status);
/* A step's start, as a note in the recording (for replay --explain). */
void cli_record_step(int number, int total, const char *what);

/* "unknown board 'X'": the nearest TARGET and the whole list, on stderr. */
void cli_unknown_board(const struct boarddb *db, const char *what, const char *target);

/* openmv-rescue udev-rules | udev-install [options] (cli_udev.c): argv[1] is the command. */
int cli_udev_main(int argc, char **argv);

#endif
