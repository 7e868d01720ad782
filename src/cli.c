/* cli.c — the command line: parses arguments, loads the board database, and runs a command
 * (boards, an action, or the wizard when there are no arguments). */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boarddb.h"
#include "cli_internal.h"
#include "cli_list.h"
#include "stm32prog.h"
#include "wizard.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "openmv-rescue — recover a bricked OpenMV camera or an Arduino board running OpenMV firmware\n"
	        "\n"
	        "Usage:\n"
	        "  openmv-rescue                       start the interactive wizard\n"
	        "  openmv-rescue boards                list every supported board\n"
	        "  openmv-rescue boards TARGET         every fact of one board and the plan of each action\n"
	        "  openmv-rescue list [--json] [--watch]  every connected device (--watch: live)\n"
	        "  openmv-rescue info [--serial SN] [--json]  all one device says, changing nothing\n"
	        "  openmv-rescue ACTION --board TARGET [options]\n"
	        "  openmv-rescue udev-rules | udev-install  print or install (as root) the udev rules\n"
	        "\n"
	        "Actions:\n"
	        "  flash               write the firmware (and ROMFS where the board has one)\n"
	        "  erase-fs            wipe the internal filesystem (a bad main.py stops the camera booting)\n"
	        "  restore-bootloader  rewrite a damaged bootloader through the chip's ROM\n"
	        "  init-mram           initialise the Everspin MRAM of special OpenMV AE3 builds\n"
	        "\n"
	        "Options:\n"
	        "  --board TARGET      the board (see 'openmv-rescue boards')\n"
	        "  --firmware FILE     the firmware image\n"
	        "  --romfs FILE        the ROMFS image\n"
	        "  --file FILE         the action's input (bootloader.bin/.dfu, FlashLayout.tsv, ...)\n"
	        "  --image NAME=FILE   any image by its default name, e.g. firmware_M55_HE.bin=build/he.bin\n"
	        "  --dir DIR           find every image by its default name in DIR\n"
	        "  --dry-run           print the plan and the classic commands; touch no device\n"
	        "  --yes               do not ask before overwriting (for scripts)\n"
	        "  --allow-irreversible  with --yes, also allow the RT1062 boot eFuse write\n"
	        "  --erase-fs          flash: also erase the internal filesystem, in the same run\n"
	        "  --accept-combined   restore with openmv.dfu although it also wipes the filesystem\n"
	        "  --no-verify         do not read the device back after writing (faster, unchecked)\n"
	        "  --serial SN         use only the device with this USB serial number\n"
	        "  --timeout SECONDS   how long to wait for a device to appear or restart (default: up to\n"
	        "                      10 s after a reset, 5 minutes at a prompt)\n"
	        "  --use-cubeprogrammer  N6 restore: run STM32_Programmer_CLI (found on PATH) instead\n"
	        "  --n6-nor-addressing layout|set-phase  N6 restore: how OpenBootloader is told where\n"
	        "                      nor0 rows go (default layout; see README, not yet verified)\n"
	        "  --boards FILE       use this board database instead of the installed boards.ini\n"
	        "  --help, --version\n"
	        "\n"
	        "Exit status: 0 done, 1 the operation failed, 2 bad usage or bad input (nothing touched),\n"
	        "3 cancelled by you.\n");
}

static int valid_choices(const struct boarddb *db, char *buf, size_t n)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int i = 0; i < db->n && off < n; i++)
		off += (size_t)snprintf(buf + off, n - off, "%s%s", i ? ", " : "", db->boards[i].target);
	return 0;
}

static int take_value(int argc, char **argv, int *i, const char **out)
{
	if (*i + 1 >= argc || !argv[*i + 1][0]) {
		fprintf(stderr, "openmv-rescue: %s needs a value\n", argv[*i]);
		return -1;
	}
	*out = argv[++*i];
	return 0;
}

static int add_file(struct cli_args *a, const char *name, const char *path)
{
	if (a->files.ngiven == PLAN_MAX_IMAGES) {
		fprintf(stderr, "openmv-rescue: too many files\n");
		return -1;
	}
	struct plan_file *f = &a->files.given[a->files.ngiven++];
	snprintf(f->name, sizeof f->name, "%s", name);
	f->path = path;
	return 0;
}

static int parse(int argc, char **argv, struct cli_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *v;
		if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
			a->help = true;
		} else if (!strcmp(s, "--version")) {
			a->version = true;
		} else if (!strcmp(s, "--dry-run")) {
			a->dry_run = true;
		} else if (!strcmp(s, "--yes") || !strcmp(s, "-y")) {
			a->yes = true;
		} else if (!strcmp(s, "--allow-irreversible")) {
			a->allow_irreversible = true;
		} else if (!strcmp(s, "--no-verify")) {
			a->no_verify = true;
		} else if (!strcmp(s, "--json") || !strcmp(s, "--watch")) {
			*(s[2] == 'j' ? &a->json : &a->watch) = true;
		} else if (!strcmp(s, "--use-cubeprogrammer")) {
			a->use_cubeprogrammer = true;
		} else if (!strcmp(s, "--n6-nor-addressing")) {
			if (take_value(argc, argv, &i, &v))
				return -1;
			a->n6_nor_addressing = stm32prog_nor_addressing_from_name(v);
			if (a->n6_nor_addressing < 0) {
				fprintf(stderr, "openmv-rescue: --n6-nor-addressing takes layout or set-phase\n");
				return -1;
			}
		} else if (!strcmp(s, "--timeout")) {
			if (take_value(argc, argv, &i, &v))
				return -1;
			char *end;
			long t = strtol(v, &end, 10);
			if (*end || t < 1 || t > 3600) {
				fprintf(stderr, "openmv-rescue: --timeout takes whole seconds, 1 to 3600\n");
				return -1;
			}
			a->timeout_s = (int)t;
		} else if (!strcmp(s, "--practice")) {
			a->practice = true; /* the wizard under the simulator: see screens/practice.c */
		} else if (!strcmp(s, "--accept-combined")) {
			a->files.accept_combined = true;
		} else if (!strcmp(s, "--erase-fs")) {
			a->files.erase_fs = true; /* flash only: checked once the action is known */
		} else if (!strcmp(s, "--board") || !strcmp(s, "--boards") || !strcmp(s, "--dir") ||
		           !strcmp(s, "--serial")) {
			if (take_value(argc, argv, &i, &v))
				return -1;
			if (!strcmp(s, "--board")) a->board = v;
			else if (!strcmp(s, "--boards")) a->boards_file = v;
			else if (!strcmp(s, "--dir")) a->files.dir = v;
			else a->serial = v;
		} else if (!strcmp(s, "--firmware") || !strcmp(s, "--romfs") || !strcmp(s, "--file")) {
			if (take_value(argc, argv, &i, &v) || add_file(a, s + 2, v))
				return -1;
		} else if (!strcmp(s, "--image")) {
			if (take_value(argc, argv, &i, &v))
				return -1;
			const char *eq = strchr(v, '=');
			if (!eq || eq == v || !eq[1] || (size_t)(eq - v) >= sizeof a->files.given[0].name) {
				fprintf(stderr, "openmv-rescue: --image takes NAME=FILE, e.g. --image romfs1.img=build/romfs1.img\n");
				return -1;
			}
			char name[40];
			snprintf(name, sizeof name, "%.*s", (int)(eq - v), v);
			if (add_file(a, name, eq + 1))
				return -1;
		} else if (s[0] == '-') {
			fprintf(stderr, "openmv-rescue: unknown option %s (see openmv-rescue --help)\n", s);
			return -1;
		} else if (!a->command) {
			a->command = s;
		} else if (!a->operand) {
			a->operand = s;
		} else {
			fprintf(stderr, "openmv-rescue: unexpected argument %s\n", s);
			return -1;
		}
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

int cli_main(int argc, char **argv)
{
	static struct cli_args a;
	static struct boarddb db;
	memset(&a, 0, sizeof a);
	if (argc > 1 && !strncmp(argv[1], "udev-", 5)) /* the udev rules: cli_udev.c */
		return cli_udev_main(argc, argv);
	if (parse(argc, argv, &a))
		return 2;
	if (a.help) {
		usage(stdout);
		return 0;
	}
	if (a.version) {
		printf("openmv-rescue %s\n", RESCUE_VERSION);
		return 0;
	}
	if (load_db(&a, &db))
		return 2;
	if (!a.command)
		return wizard_main(&db, argc, argv);
	if (a.practice) {
		fprintf(stderr, "openmv-rescue: --practice is for the wizard (no command)\n");
		return 2;
	}
	if (!strcmp(a.command, "list") || !strcmp(a.command, "info"))
		return a.command[0] == 'l' ? cli_list(&db, a.json, a.watch, a.timeout_s) : cli_info(&db, a.serial, a.json);
	if (!strcmp(a.command, "boards"))
		return a.operand ? cli_board_facts(&db, a.operand) : cli_boards_table(&db);
	int action = action_from_name(a.command);
	if (action < 0) {
		fprintf(stderr, "openmv-rescue: unknown command '%s'; choose boards, flash, erase-fs, "
		        "restore-bootloader or init-mram\n", a.command);
		return 2;
	}
	if (a.operand) {
		fprintf(stderr, "openmv-rescue: unexpected argument %s\n", a.operand);
		return 2;
	}
	if (a.files.erase_fs && action != ACTION_FLASH) {
		fprintf(stderr, "openmv-rescue: --erase-fs goes with flash (to erase only the filesystem, "
		        "run erase-fs)\n");
		return 2;
	}
	if (!a.board) {
		char list[800];
		valid_choices(&db, list, sizeof list);
		fprintf(stderr, "openmv-rescue: %s needs --board TARGET, one of: %s\n", a.command, list);
		return 2;
	}
	const struct board *b = boarddb_find(&db, a.board);
	if (!b) {
		char list[800];
		valid_choices(&db, list, sizeof list);
		fprintf(stderr, "openmv-rescue: unknown board '%s'; choose one of: %s\n", a.board, list);
		return 2;
	}
	return cli_action(&a, b, (enum action)action);
}
