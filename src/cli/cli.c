/* cli.c — the command line: parses arguments by the table of cli_table.c (once, for both
 * front ends), loads the board database, and runs a command; main.c starts the wizard when
 * there is none. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boarddb.h"
#include "cli_internal.h"
#include "cli_list.h"
#include "stm32prog.h"

static int add_file(struct cli_args *a, const char *name, const char *path)
{
	if (a->files.ngiven == PLAN_MAX_IMAGES) {
		fprintf(stderr, "openmv-rescue: too many files (at most %d)\n", PLAN_MAX_IMAGES);
		return -1;
	}
	struct plan_file *f = &a->files.given[a->files.ngiven++];
	snprintf(f->name, sizeof f->name, "%s", name);
	f->path = path;
	return 0;
}

static int take_image(struct cli_args *a, const char *v)
{
	const char *eq = strchr(v, '=');
	if (!eq || eq == v || !eq[1] || (size_t)(eq - v) >= sizeof a->files.given[0].name) {
		fprintf(stderr, "openmv-rescue: --image takes NAME=FILE, e.g. --image romfs1.img=build/romfs1.img\n");
		return -1;
	}
	char name[40];
	snprintf(name, sizeof name, "%.*s", (int)(eq - v), v);
	return add_file(a, name, eq + 1);
}

static int take_timeout(struct cli_args *a, const char *v)
{
	char *end;
	long t = strtol(v, &end, 10);
	if (*end || t < 1 || t > 3600) {
		fprintf(stderr, "openmv-rescue: --timeout takes whole seconds, 1 to 3600\n");
		return -1;
	}
	a->timeout_s = (int)t;
	return 0;
}

static int take_serial(struct cli_args *a, const char *v)
{
	if (a->nserials == CLI_MAX_SERIALS) {
		fprintf(stderr, "openmv-rescue: --serial at most %d times\n", CLI_MAX_SERIALS);
		return -1;
	}
	a->serials[a->nserials++] = v;
	if (!a->serial)
		a->serial = v;
	return 0;
}

/* Store one option's value (v NULL for a flag). */
static int apply_option(struct cli_args *a, const struct ct_option *o, const char *v)
{
	switch ((enum cli_option_id)o->id) {
	case OPT_HELP: a->help = true; break;
	case OPT_VERSION: a->version = true; break;
	case OPT_DRY_RUN: a->dry_run = true; break;
	case OPT_YES: a->yes = true; break;
	case OPT_ALLOW_IRREVERSIBLE: a->allow_irreversible = true; break;
	case OPT_NO_VERIFY: a->no_verify = true; break;
	case OPT_FULL: a->full = true; break;
	case OPT_USE_CUBEPROGRAMMER: a->use_cubeprogrammer = true; break;
	case OPT_PRACTICE: a->practice = true; break; /* the wizard under the simulator */
	case OPT_ACCEPT_COMBINED: a->files.accept_combined = true; break;
	case OPT_ERASE_FS: a->files.erase_fs = true; break; /* flash only: checked in cli_cmd_action */
	case OPT_JSON: a->json = true; break;
	case OPT_WATCH: a->watch = true; break;
	case OPT_GROUP: case OPT_RULES_DIR: break; /* read by cli_udev.c from argv */
	case OPT_BOARD: a->board = v; break;
	case OPT_BOARDS: a->boards_file = v; break;
	case OPT_DIR: a->files.dir = v; break;
	case OPT_FROM: a->from = v; break;
	case OPT_N6_LOADERS: a->n6_loaders = v; break;
	case OPT_RELEASE: a->release = v; break;
	case OPT_TO: a->to_dir = v; break;
	case OPT_MIRROR: a->mirror = v; break;
	case OPT_NO_DIGEST: a->no_digest = true; break;
	case OPT_SERIAL: return take_serial(a, v);
	case OPT_ALL: a->all = true; break;
	case OPT_LOG: a->log_file = v; break;
	case OPT_RECORD: a->record_file = v; break;
	case OPT_RECORD_PAYLOADS: a->record_payloads = true; break;
	case OPT_REPLAY_EXPLAIN: a->explain = true; break;
	case OPT_CHECK_BOARD: a->check_board = true; break;
	case OPT_FIRMWARE: return add_file(a, "firmware", v);
	case OPT_ROMFS: return add_file(a, "romfs", v);
	case OPT_FILE: return add_file(a, "file", v);
	case OPT_IMAGE: return take_image(a, v);
	case OPT_TIMEOUT: return take_timeout(a, v);
	case OPT_N6_NOR_ADDRESSING:
		a->n6_nor_addressing = stm32prog_nor_addressing_from_name(v);
		if (a->n6_nor_addressing < 0) {
			fprintf(stderr, "openmv-rescue: --n6-nor-addressing takes layout or set-phase\n");
			return -1;
		}
		break;
	}
	return 0;
}

static void unknown_option(const char *s)
{
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)strcspn(s, "="), s);
	const char *near = ct_nearest_option(&cli_program, name);
	fprintf(stderr, "openmv-rescue: unknown option %s%s%s%s (see openmv-rescue --help)\n", name,
	        near ? "; did you mean " : "", near ? near : "", near ? "?" : "");
}

int cli_parse(int argc, char **argv, struct cli_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *v = NULL;
		if (s[0] != '-' || !s[1]) {
			if (!a->command)
				a->command = s;
			else if (!a->operand)
				a->operand = s;
			else {
				fprintf(stderr, "openmv-rescue: unexpected argument %s\n", s);
				return -1;
			}
			continue;
		}
		const struct ct_option *o = ct_find_option(&cli_program, s, &v);
		if (!o) {
			unknown_option(s);
			return -1;
		}
		if (o->arg && !v) {
			/* a value that looks like an option is a forgotten value: "--firmware --dry-run" */
			if (i + 1 >= argc || !argv[i + 1][0] || (argv[i + 1][0] == '-' && argv[i + 1][1])) {
				fprintf(stderr, "openmv-rescue: %s needs %s\n", o->name, o->needs);
				return -1;
			}
			v = argv[++i];
		}
		if (o->arg && !v[0]) {
			fprintf(stderr, "openmv-rescue: %s needs %s\n", o->name, o->needs);
			return -1;
		}
		if (apply_option(a, o, v))
			return -1;
	}
	return 0;
}

static int load_db(const struct cli_args *a, struct boarddb *db)
{
	char path[512];
	struct rs_error err = {0};
	if (a->boards_file)
		snprintf(path, sizeof path, "%s", a->boards_file);
	else if (boarddb_default_path(path, sizeof path, &err)) {
		fprintf(stderr, "openmv-rescue: %s\n", err.msg);
		return -1;
	}
	if (boarddb_load(db, path, &err)) {
		fprintf(stderr, "openmv-rescue: %s\n", err.msg);
		return -1;
	}
	return 0;
}

void cli_unknown_board(const struct boarddb *db, const char *what, const char *target)
{
	const char *names[BOARD_MAX];
	for (int i = 0; i < db->n && i < BOARD_MAX; i++)
		names[i] = db->boards[i].target;
	const char *near = ct_nearest(target, names, db->n < BOARD_MAX ? db->n : BOARD_MAX);
	fprintf(stderr, "openmv-rescue: %s '%s'", what, target);
	fprintf(stderr, near ? "; did you mean %s? The boards are:" : "%s. The boards are:", near ? near : "");
	for (int i = 0; i < db->n; i++)
		fprintf(stderr, "%s %s", i ? "," : "", db->boards[i].target);
	fprintf(stderr, "\n");
}

int cli_cmd_help(void *ctx)
{
	const struct cli_ctx *c = ctx;
	const char *name = c->args->operand;
	if (!name) {
		ct_print_usage(stdout, &cli_program);
		return 0;
	}
	const struct ct_command *cmd = ct_find_command(&cli_program, name);
	if (!cmd) {
		const char *near = ct_nearest_command(&cli_program, name);
		fprintf(stderr, "openmv-rescue: no command '%s'%s%s%s (see openmv-rescue --help)\n", name,
		        near ? "; did you mean " : "", near ? near : "", near ? "?" : "");
		return 2;
	}
	ct_print_command_help(stdout, &cli_program, cmd);
	return 0;
}

int cli_cmd_boards(void *ctx)
{
	const struct cli_ctx *c = ctx;
	return c->args->operand ? cli_board_facts(c->db, c->args->operand) : cli_boards_table(c->db);
}

int cli_cmd_action(void *ctx)
{
	const struct cli_ctx *c = ctx;
	const struct cli_args *a = c->args;
	if (a->operand) {
		fprintf(stderr, "openmv-rescue: unexpected argument %s (see openmv-rescue help %s)\n",
		        a->operand, c->command->name);
		return 2;
	}
	if (!a->board) {
		fprintf(stderr, "openmv-rescue: %s needs --board TARGET (see openmv-rescue boards)\n",
		        c->command->name);
		return 2;
	}
	if (a->files.erase_fs && c->command->id != ACTION_FLASH) {
		fprintf(stderr, "openmv-rescue: --erase-fs goes with flash (to erase only the filesystem, "
		        "run erase-fs)\n");
		return 2;
	}
	if (a->nserials > 1 && !a->all) {
		fprintf(stderr, "openmv-rescue: --serial more than once picks several cameras: add --all\n");
		return 2;
	}
	if (a->watch && !a->all) {
		fprintf(stderr, "openmv-rescue: --watch goes with --all (keep recovering cameras as they "
		        "are plugged in)\n");
		return 2;
	}
	const struct board *b = boarddb_find(c->db, a->board);
	if (!b) {
		cli_unknown_board(c->db, "unknown board", a->board);
		return 2;
	}
	return cli_action(a, c->db, b, (enum action)c->command->id);
}

/* verify ACTION --board TARGET [images]: the action's plan, run with every write replaced by
 * a read-back comparison (exec_dfu_compare, dfuse_delta_compare, blhost_compare, the PICOBOOT
 * and SAM-BA executors' compare).  A plan with a step that has no comparison is refused
 * before anything runs, with the reason (plan/verify_steps.c). */
int cli_cmd_verify(void *ctx)
{
	const struct cli_ctx *c = ctx;
	const struct cli_args *a = c->args;
	int action = a->operand ? action_from_name(a->operand) : -1;
	if (action != ACTION_FLASH && action != ACTION_RESTORE) {
		fprintf(stderr, "openmv-rescue: verify compares what an action would write: openmv-rescue "
		        "verify flash|restore-bootloader --board TARGET [images]\n");
		return 2;
	}
	if (a->files.erase_fs || a->full || a->no_verify) {
		fprintf(stderr, "openmv-rescue: verify writes nothing: --erase-fs, --full and "
		        "--no-verify do not go with it\n");
		return 2;
	}
	if (!a->board) {
		fprintf(stderr, "openmv-rescue: verify needs --board TARGET (see openmv-rescue boards)\n");
		return 2;
	}
	const struct board *b = boarddb_find(c->db, a->board);
	if (!b) {
		cli_unknown_board(c->db, "unknown board", a->board);
		return 2;
	}
	const struct board_action *ba = &b->actions[action];
	if (ba->method == METHOD_NONE) {
		fprintf(stderr, "openmv-rescue: verify reads back cameras flashed by openmv-rescue; the %s "
		        "has no %s (%s)\n", b->name, action_name((enum action)action),
		        ba->why[0] ? ba->why : "not supported");
		return 2;
	}
	struct cli_args v = *a;
	v.verify_only = true;
	v.files.verify = true;
	v.yes = true; /* nothing is written: no confirmation */
	return cli_action(&v, c->db, b, (enum action)action);
}

int cli_cmd_list(void *ctx)
{
	const struct cli_ctx *c = ctx;
	return cli_list(c->db, c->args->json, c->args->watch, c->args->timeout_s);
}

int cli_cmd_info(void *ctx)
{
	const struct cli_ctx *c = ctx;
	return cli_info(c->db, c->args->serial, c->args->json);
}

int cli_cmd_udev(void *ctx)
{
	const struct cli_ctx *c = ctx;
	return cli_udev_main(c->args->argc, c->args->argv); /* its own options: cli_udev.c */
}

/* Build-time outputs (meson runs these): the man page and the bash completion script. */
static int print_man(void)
{
	/* SOURCE_DATE_EPOCH (reproducible-builds.org) fixes the date of a packaged build */
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm tm;
	char date[16];
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%Y-%m-%d", &tm);
	ct_print_man(stdout, &cli_program, RESCUE_VERSION, date);
	return 0;
}

static int print_completion(const struct boarddb *db)
{
	char targets[2048];
	size_t off = 0;
	targets[0] = '\0';
	for (int i = 0; i < db->n && off < sizeof targets; i++)
		off += (size_t)snprintf(targets + off, sizeof targets - off, "%s%s", i ? " " : "",
		                        db->boards[i].target);
	ct_print_bash_completion(stdout, &cli_program, targets);
	return 0;
}

int cli_prepare(int argc, char **argv, struct cli_args *a, struct boarddb *db)
{
	memset(a, 0, sizeof *a);
	const char *build = argc >= 2 && (!strcmp(argv[argc - 1], "--print-man") ||
	                                  !strcmp(argv[argc - 1], "--print-bash-completion"))
	                    ? argv[--argc] : NULL;
	if (cli_parse(argc, argv, a))
		return 2;
	a->argc = argc;
	a->argv = argv;
	for (int i = 0, off = 0; i < argc && off < (int)sizeof a->command_line; i++)
		off += snprintf(a->command_line + off, sizeof a->command_line - (size_t)off, "%s%s",
		                i ? " " : "", argv[i]);
	if (build && !strcmp(build, "--print-man"))
		return print_man();
	if (a->version) {
		printf("openmv-rescue %s\n", RESCUE_VERSION);
		return 0;
	}
	const struct ct_command *cmd = a->command ? ct_find_command(&cli_program, a->command) : NULL;
	if (a->command && !cmd) {
		const char *near = ct_nearest_command(&cli_program, a->command);
		fprintf(stderr, "openmv-rescue: unknown command '%s'%s%s%s (see openmv-rescue --help)\n",
		        a->command, near ? "; did you mean " : "", near ? near : "", near ? "?" : "");
		return 2;
	}
	if (a->help) {
		if (cmd && strcmp(cmd->name, "help"))
			ct_print_command_help(stdout, &cli_program, cmd);
		else
			ct_print_usage(stdout, &cli_program);
		return 0;
	}
	struct cli_ctx ctx = {.args = a, .db = db, .command = cmd};
	if (cmd && cmd->run == cli_cmd_udev)
		return cli_cmd_udev(&ctx); /* loads the board database it is told to */
	if (cmd && cmd->run == cli_cmd_help)
		return cli_cmd_help(&ctx); /* needs no board database */
	if (load_db(a, db))
		return 2;
	if (build)
		return print_completion(db);
	return CLI_GO_ON;
}

int cli_run_command(const struct cli_args *a, const struct boarddb *db)
{
	const struct ct_command *cmd = ct_find_command(&cli_program, a->command);
	if (a->practice) {
		fprintf(stderr, "openmv-rescue: --practice is for the wizard (no command)\n");
		return 2;
	}
	struct cli_ctx ctx = {.args = a, .db = db, .command = cmd};
	return cmd->run(&ctx);
}
