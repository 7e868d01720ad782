/* plain_words.c — the back-end's messages are shared with the command line and some name its
 * options ("give it with --firmware"); a wizard user has no command line to type them on.
 * Every message the wizard shows passes through wiz_plain_words(): a known phrase becomes the
 * wizard's own words, and any other bracketed clause that names an option is left out, so no
 * screen tells a person to pass a flag. */
#include <stdio.h>
#include <string.h>

#include "wiz.h"

static const struct {
	const char *cli, *wizard;
} phrases[] = {
	{" (give it with --file, --firmware, --romfs, --image or --dir)", " (pick it on the files screen)"},
	{"Run with --dry-run to see the equivalent commands.", "Press c on the confirm screen to see the equivalent commands."},
	{"(give --firmware to do it in the same run)", "(give the firmware on the files screen to do it in the same run)"},
	{"or name its folder with --image system-package=DIR.", "or from the folder you pick for system-package."},
	{"(name a package folder with --image system-package=DIR to update it)", "(pick a package folder for system-package to update it)"},
	{": after replugging with the BOOT jumper you can also try --use-cubeprogrammer", ""},
	{", or add --accept-combined", ""},
	{"; give it with --boards FILE", ""},
};

static void replace(char *s, size_t n, const char *from, const char *to)
{
	char *at = strstr(s, from);
	if (!at)
		return;
	char rest[2048];
	snprintf(rest, sizeof rest, "%s", at + strlen(from));
	*at = '\0';
	size_t used = strlen(s);
	snprintf(s + used, n - used, "%s%s", to, rest);
}

/* Leave out "(... --flag ...)" clauses the table does not know. */
static void drop_flag_clauses(char *s)
{
	for (char *open = strchr(s, '('); open; open = strchr(open + 1, '(')) {
		char *close = strchr(open, ')');
		if (!close)
			return;
		char *flag = strstr(open, " --");
		if (!flag || flag > close)
			flag = !strncmp(open + 1, "--", 2) ? open : NULL;
		if (!flag)
			continue;
		char *from = open > s && open[-1] == ' ' ? open - 1 : open;
		memmove(from, close + 1, strlen(close + 1) + 1);
		open = from > s ? from - 1 : from;
		if (!*open)
			return;
	}
}

void wiz_plain_words(char *s, size_t n)
{
	for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
		replace(s, n, phrases[i].cli, phrases[i].wizard);
	drop_flag_clauses(s);
}
