/* test_cmdtable.c — the table behind --help, the man pages and the completion
 * (src/cli/cmdtable.c): option lookup (long, short, --opt=value), nearest names, which options a
 * command takes, and roff escaping in the man page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/tap.h"
#include "cmdtable.h"

static int run_nothing(void *ctx)
{
	(void)ctx;
	return 0;
}

static const struct ct_command cmds[] = {
	{"flash", "--board TARGET", "write the firmware", NULL, "prog flash --board X", CT_NONE, run_nothing, 1},
	{"restore-bootloader", "", "restore \u2014 carefully", NULL, NULL, CT_NONE, run_nothing, 2},
};
static const struct ct_option opts[] = {
	{"--board", 0, "TARGET", CT_TARGET, NULL, "a board", "the board", "flash restore-bootloader", 1},
	{"--romfs", 0, "FILE", CT_FILE, NULL, "a file", "the ROMFS", "flash", 2},
	{"--yes", 'y', NULL, CT_NONE, NULL, NULL, "do not ask", NULL, 3},
	{"--practice", 0, NULL, CT_NONE, NULL, NULL, ".starts a line\\with a backslash", "", 4},
};
static const struct ct_program prog = {
	.name = "prog", .tagline = "a test", .synopsis = "ACTION", .description = "One.\n\nTwo.",
	.commands = cmds, .ncommands = 2, .options = opts, .noptions = 4,
};

int main(void)
{
	const char *v = NULL;
	ok(ct_find_option(&prog, "--board", &v) == &opts[0] && !v, "a long option is found");
	ok(ct_find_option(&prog, "--board=OPENMV4", &v) == &opts[0] && v && !strcmp(v, "OPENMV4"),
	   "--opt=value gives the value");
	ok(ct_find_option(&prog, "--yes=1", &v) == NULL, "a flag takes no =value");
	ok(ct_find_option(&prog, "-y", &v) == &opts[2], "a short option is found");
	ok(ct_find_option(&prog, "--boar", &v) == NULL, "no prefix matching of options");
	ok(ct_find_command(&prog, "flash") == &cmds[0] && !ct_find_command(&prog, "fla"), "commands by exact name");

	const char *near = ct_nearest_command(&prog, "flsah");
	ok(near && !strcmp(near, "flash"), "a transposition finds the nearest command (%s)", near ? near : "none");
	near = ct_nearest_command(&prog, "restore");
	ok(near && !strcmp(near, "restore-bootloader"), "a prefix finds the nearest command");
	ok(ct_nearest_command(&prog, "zzzzzz") == NULL, "nothing near: no suggestion");
	near = ct_nearest_option(&prog, "--bord");
	ok(near && !strcmp(near, "--board"), "the nearest option");
	const char *targets[] = {"OPENMV4", "OPENMV4P", "OPENMV_N6"};
	near = ct_nearest("openmv4pp", targets, 3);
	ok(near && !strcmp(near, "OPENMV4P"), "the nearest TARGET, case ignored");

	ok(ct_option_applies(&opts[1], &cmds[0]) && !ct_option_applies(&opts[1], &cmds[1]),
	   "an option applies only to the commands it names");
	ok(ct_option_applies(&opts[2], &cmds[1]) && ct_option_applies(&opts[2], NULL),
	   "an option without a list applies everywhere");
	ok(ct_option_applies(&opts[3], NULL) && !ct_option_applies(&opts[3], &cmds[0]),
	   "an empty list: only without a command");

	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ct_print_man(f, &prog, "1.0", "2026-01-01");
	fclose(f);
	ok(strstr(text, ".TH PROG 1 2026-01-01 \"prog 1.0\"") != NULL, "the man page's title line");
	ok(strstr(text, "\\fB\\-\\-romfs\\fR \\fIFILE\\fR") != NULL, "options are bold, with \\- for each dash");
	ok(strstr(text, "\\&.starts a line\\ewith a backslash") != NULL,
	   "a line starting with '.' is guarded and a backslash is written \\e");
	ok(strstr(text, "restore \\(em carefully") != NULL, "an em dash becomes \\(em");
	ok(strstr(text, "\n.PP\nOne.\n.PP\nTwo.\n") != NULL, "paragraphs become .PP");
	free(text);

	f = open_memstream(&text, &len);
	ct_print_command_help(f, &prog, &cmds[0]);
	fclose(f);
	ok(strstr(text, "Usage: prog flash --board TARGET") && strstr(text, "--romfs FILE") &&
	   !strstr(text, "--yes") && strstr(text, "Example:\n  prog flash --board X"),
	   "a command's help: usage, its own options only, the example");
	free(text);
	return tap_done();
}
