/* plain_words.c — the back-end's messages are shared with the command line and some name its
 * options ("give it with --firmware"); a wizard user has no command line to type them on.
 * Every message the wizard shows passes through wiz_plain_words(): a known phrase becomes the
 * wizard's own words, and any other bracketed clause that names an option is left out, so no
 * screen tells a person to pass a flag. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "wiz.h"

static const struct {
	const char *cli, *wizard;
} phrases[] = {
	{" (give it with --file, --firmware, --romfs, --image or --dir)", " (pick it on the files screen)"},
	{"Run with --dry-run to see the equivalent commands.", "Press c on the confirm screen to see the equivalent commands."},
	{"(name a package folder with --image system-package=DIR to update it)", "(pick a package folder for system-package to update it)"},
	{": after replugging with the BOOT jumper you can also try --use-cubeprogrammer", ""},
	{", or add --accept-combined", ""},
	{"; give it with --boards FILE", ""},
	{"If you have the firmware zip already, use --from FILE",
	 "If you have the firmware zip already, pick it with \"Look in a folder or a release zip\""},
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

/* openmv-rescue's own options (src/cli/cli.c); other programs' options, such as udevadm's
 * --reload-rules in a command the person is asked to run, are kept. */
static const char *const own_options[] = {
	"board", "firmware", "romfs", "file", "image", "dir", "dry-run", "yes", "allow-irreversible",
	"accept-combined", "erase-fs", "no-verify", "full", "serial", "timeout", "use-cubeprogrammer",
	"n6-nor-addressing", "boards", "help", "version", "practice", "log", "from",
	"release", "to", "mirror", "no-digest",
};

/* Does s[0, end) name one of our options? */
static bool names_own_option(const char *s, const char *end)
{
	for (const char *at = strstr(s, "--"); at && at < end; at = strstr(at + 2, "--")) {
		if (at > s && at[-1] != ' ' && at[-1] != '(')
			continue;
		for (size_t i = 0; i < sizeof own_options / sizeof own_options[0]; i++) {
			size_t len = strlen(own_options[i]);
			char next = at[2 + len];
			if (!strncmp(at + 2, own_options[i], len) && (next < 'a' || next > 'z') && next != '-')
				return true;
		}
	}
	return false;
}

/* Leave out "(... --option ...)" clauses the table does not know. */
static void drop_flag_clauses(char *s)
{
	for (char *open = strchr(s, '('); open; open = strchr(open + 1, '(')) {
		char *close = strchr(open, ')');
		if (!close)
			return;
		if (!names_own_option(open, close))
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
