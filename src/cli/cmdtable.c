/* cmdtable.c — see cmdtable.h: lookups, nearest names, and the --help texts. */
#include "cmdtable.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

const struct ct_command *ct_find_command(const struct ct_program *p, const char *name)
{
	for (int i = 0; i < p->ncommands; i++)
		if (!strcmp(p->commands[i].name, name))
			return &p->commands[i];
	return NULL;
}

const struct ct_option *ct_find_option(const struct ct_program *p, const char *arg,
                                       const char **inline_value)
{
	*inline_value = NULL;
	if (arg[0] == '-' && arg[1] && arg[1] != '-' && !arg[2]) {
		for (int i = 0; i < p->noptions; i++)
			if (p->options[i].short_name == arg[1])
				return &p->options[i];
		return NULL;
	}
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	for (int i = 0; i < p->noptions; i++) {
		const struct ct_option *o = &p->options[i];
		if (strlen(o->name) == len && !strncmp(o->name, arg, len)) {
			if (eq && !o->arg)
				return NULL; /* a flag takes no value */
			if (eq)
				*inline_value = eq + 1;
			return o;
		}
	}
	return NULL;
}

static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *s = list; *s;) {
		size_t len = strcspn(s, " ");
		if (len == n && !strncmp(s, word, n))
			return 1;
		s += len;
		s += strspn(s, " ");
	}
	return 0;
}

int ct_option_applies(const struct ct_option *o, const struct ct_command *c)
{
	if (!o->commands)
		return 1;
	if (!o->commands[0])
		return c == NULL; /* "": only without a command */
	return c && has_word(o->commands, c->name);
}

/* Levenshtein distance, case ignored; names here are short (< 64 letters). */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 1 << 20;
	int row[64];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j];
			int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			int best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *ct_nearest(const char *s, const char *const *names, int n)
{
	const char *best = NULL;
	int best_d = 1 << 20;
	for (int i = 0; i < n; i++) {
		int d = distance(s, names[i]);
		size_t len = strlen(names[i]);
		/* a prefix counts as near too: "restore" for "restore-bootloader" */
		if (strlen(s) >= 3 && !strncasecmp(s, names[i], strlen(s)))
			d = 1;
		if (d < best_d && (size_t)d * 3 <= len + 1) {
			best = names[i];
			best_d = d;
		}
	}
	return best;
}

const char *ct_nearest_command(const struct ct_program *p, const char *s)
{
	const char *names[64];
	int n = 0;
	for (int i = 0; i < p->ncommands && n < 64; i++)
		names[n++] = p->commands[i].name;
	return ct_nearest(s, names, n);
}

const char *ct_nearest_option(const struct ct_program *p, const char *s)
{
	const char *names[64];
	int n = 0;
	for (int i = 0; i < p->noptions && n < 64; i++)
		names[n++] = p->options[i].name;
	return ct_nearest(s, names, n);
}

/* An option's left column: "  -y, --yes" or "  --firmware FILE". */
static void option_left(const struct ct_option *o, char *buf, size_t n)
{
	char sh[8] = "";
	if (o->short_name)
		snprintf(sh, sizeof sh, "-%c, ", o->short_name);
	snprintf(buf, n, "  %s%s%s%s", sh, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* Text wrapped to width 79 starting at column col (the first line continues at col). */
static void wrapped(FILE *out, const char *text, int col)
{
	int at = col;
	for (const char *s = text; *s;) {
		s += strspn(s, " ");
		size_t len = strcspn(s, " ");
		if (!len)
			break;
		if (at > col && at + 1 + (int)len > 79) {
			fprintf(out, "\n%*s", col, "");
			at = col;
		} else if (at > col) {
			fputc(' ', out);
			at++;
		}
		fprintf(out, "%.*s", (int)len, s);
		at += (int)len;
		s += len;
	}
	fputc('\n', out);
}

static void print_option(FILE *out, const struct ct_option *o)
{
	char left[80];
	option_left(o, left, sizeof left);
	fputs(left, out);
	int col = 24;
	if ((int)strlen(left) >= col - 1)
		fprintf(out, "\n%*s", col, "");
	else
		fprintf(out, "%*s", col - (int)strlen(left), "");
	wrapped(out, o->help, col);
}

void ct_print_usage(FILE *out, const struct ct_program *p)
{
	fprintf(out, "%s — %s\n\nUsage:\n", p->name, p->tagline);
	for (const char *s = p->synopsis; *s;) {
		size_t len = strcspn(s, "\n");
		fprintf(out, "  %s %.*s\n", p->name, (int)len, s);
		s += len + (s[len] == '\n');
	}
	if (p->ncommands) {
		fprintf(out, "\nCommands:\n");
		for (int i = 0; i < p->ncommands; i++) {
			const struct ct_command *c = &p->commands[i];
			fprintf(out, "  %-20s", c->name);
			wrapped(out, c->summary, 22);
		}
	}
	fprintf(out, "\nOptions:\n");
	for (int i = 0; i < p->noptions; i++)
		print_option(out, &p->options[i]);
	if (p->ncommands)
		fprintf(out, "\n'%s help COMMAND' shows a command's options and an example.\n", p->name);
	if (p->exit_status) {
		fprintf(out, "\n");
		wrapped(out, p->exit_status, 0);
	}
}

void ct_print_command_help(FILE *out, const struct ct_program *p, const struct ct_command *c)
{
	fprintf(out, "Usage: %s %s%s%s\n\n", p->name, c->name, c->args[0] ? " " : "", c->args);
	wrapped(out, c->summary, 0);
	if (c->details) {
		fputc('\n', out);
		wrapped(out, c->details, 0);
	}
	int any = 0;
	for (int i = 0; i < p->noptions; i++) {
		const struct ct_option *o = &p->options[i];
		if (!o->commands || !ct_option_applies(o, c))
			continue; /* the program-wide options are in --help */
		if (!any++)
			fprintf(out, "\nOptions:\n");
		print_option(out, o);
	}
	if (c->example)
		fprintf(out, "\nExample:\n  %s\n", c->example);
}
