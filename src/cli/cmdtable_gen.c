/* cmdtable_gen.c — see cmdtable.h: the man page and the bash completion script, written from
 * the same table as --help (the build runs the programs to make them). */
#include "cmdtable.h"

#include <ctype.h>
#include <string.h>

/* Text for roff: escape backslashes and hyphens (man-pages(7): "\-" for a minus/option
 * dash), write the non-ASCII letters our texts use as groff's named glyphs (groff_char(7)),
 * and keep a line from starting with a control character. */
static void roff_text(FILE *out, const char *s, int at_line_start)
{
	static const struct { const char *utf8, *glyph; } glyphs[] = {
		{"\u2014", "\\(em"}, {"\u2013", "\\(en"}, {"\u00d7", "\\(mu"}, {"\u2192", "\\(->"},
		{"\u2019", "\\(cq"}, {"\u201c", "\\(lq"}, {"\u201d", "\\(rq"}, {"\u2026", "\\&..."},
	};
	for (; *s; s++) {
		if (at_line_start && (*s == '.' || *s == '\''))
			fputs("\\&", out);
		at_line_start = 0;
		if (*s == '\\') {
			fputs("\\e", out);
		} else if (*s == '-') {
			fputs("\\-", out);
		} else if (*s == '\n') {
			fputc('\n', out);
			at_line_start = 1;
		} else if ((unsigned char)*s >= 0x80) {
			size_t i, n = sizeof glyphs / sizeof glyphs[0];
			for (i = 0; i < n; i++)
				if (!strncmp(s, glyphs[i].utf8, strlen(glyphs[i].utf8)))
					break;
			if (i < n) {
				fputs(glyphs[i].glyph, out);
				s += strlen(glyphs[i].utf8) - 1;
			} else {
				fputc('?', out); /* no letter of ours is outside the list */
			}
		} else {
			fputc(*s, out);
		}
	}
}

static void roff_paragraphs(FILE *out, const char *text)
{
	while (*text) {
		const char *end = strstr(text, "\n\n");
		size_t len = end ? (size_t)(end - text) : strlen(text);
		char para[2048];
		snprintf(para, sizeof para, "%.*s", (int)len, text);
		fputs(".PP\n", out);
		roff_text(out, para, 1);
		fputc('\n', out);
		text += len;
		while (*text == '\n')
			text++;
	}
}

/* "NAME\ttext\n" lines as tagged paragraphs. */
static void roff_tagged_lines(FILE *out, const char *lines, int bold)
{
	for (const char *s = lines; *s;) {
		size_t len = strcspn(s, "\n");
		const char *tab = memchr(s, '\t', len);
		char tag[256], body[1024];
		snprintf(tag, sizeof tag, "%.*s", tab ? (int)(tab - s) : (int)len, s);
		snprintf(body, sizeof body, "%.*s", tab ? (int)(len - (size_t)(tab + 1 - s)) : 0,
		         tab ? tab + 1 : "");
		fprintf(out, ".TP\n%s", bold ? "\\fB" : "\\fI");
		roff_text(out, tag, 0);
		fputs("\\fR\n", out);
		roff_text(out, body, 1);
		fputc('\n', out);
		s += len + (s[len] == '\n');
	}
}

static void roff_option(FILE *out, const struct ct_option *o)
{
	fputs(".TP\n", out);
	if (o->short_name)
		fprintf(out, "\\fB\\-%c\\fR, ", o->short_name);
	fputs("\\fB", out);
	roff_text(out, o->name, 0);
	fputs("\\fR", out);
	if (o->arg) {
		fputs(" \\fI", out);
		roff_text(out, o->arg, 0);
		fputs("\\fR", out);
	}
	fputc('\n', out);
	roff_text(out, o->help, 1);
	fputc('\n', out);
}

static void upper(const char *s, char *buf, size_t n)
{
	size_t i;
	for (i = 0; s[i] && i + 1 < n; i++)
		buf[i] = (char)toupper((unsigned char)s[i]);
	buf[i] = '\0';
}

void ct_print_man(FILE *out, const struct ct_program *p, const char *version, const char *date)
{
	char up[64];
	upper(p->name, up, sizeof up);
	fprintf(out, ".\\\" Generated from the program's table of commands and options; do not edit.\n");
	fprintf(out, ".TH %s 1 %s \"%s %s\" \"User Commands\"\n", up, date, p->name, version);
	fputs(".SH NAME\n", out);
	roff_text(out, p->name, 1);
	fputs(" \\- ", out);
	roff_text(out, p->tagline, 0);
	fputs("\n.SH SYNOPSIS\n", out);
	for (const char *s = p->synopsis; *s;) {
		size_t len = strcspn(s, "\n");
		char line[256];
		snprintf(line, sizeof line, "%.*s", (int)len, s);
		fputs(".br\n\\fB", out);
		roff_text(out, p->name, 0);
		fputs("\\fR ", out);
		roff_text(out, line, 0);
		fputc('\n', out);
		s += len + (s[len] == '\n');
	}
	fputs(".SH DESCRIPTION\n", out);
	roff_paragraphs(out, p->description);
	if (p->ncommands) {
		fputs(".SH COMMANDS\n", out);
		for (int i = 0; i < p->ncommands; i++) {
			const struct ct_command *c = &p->commands[i];
			fputs(".TP\n\\fB", out);
			roff_text(out, c->name, 0);
			fputs("\\fR ", out);
			roff_text(out, c->args, 0);
			fputc('\n', out);
			roff_text(out, c->summary, 1);
			if (c->details) {
				fputs(". ", out);
				roff_text(out, c->details, 0);
			}
			fputc('\n', out);
			if (c->example) {
				fputs(".br\nExample: \\fB", out);
				roff_text(out, c->example, 0);
				fputs("\\fR\n", out);
			}
		}
	}
	fputs(".SH OPTIONS\n", out);
	for (int i = 0; i < p->noptions; i++)
		roff_option(out, &p->options[i]);
	if (p->exit_status) {
		fputs(".SH EXIT STATUS\n", out);
		roff_paragraphs(out, p->exit_status);
	}
	if (p->environment) {
		fputs(".SH ENVIRONMENT\n", out);
		roff_tagged_lines(out, p->environment, 1);
	}
	if (p->files) {
		fputs(".SH FILES\n", out);
		roff_tagged_lines(out, p->files, 0);
	}
	if (p->see_also) {
		fputs(".SH SEE ALSO\n", out);
		roff_text(out, p->see_also, 1);
		fputc('\n', out);
	}
}

/* The words completing an option's value, as a bash command that fills COMPREPLY. */
static const char *value_completion(enum ct_value v)
{
	switch (v) {
	case CT_FILE: return "_%s_files \"$cur\"";
	case CT_DIR: return "_%s_dirs \"$cur\"";
	case CT_TARGET: return "COMPREPLY=($(compgen -W \"$targets\" -- \"$cur\"))";
	default: return NULL;
	}
}

static void bash_value_cases(FILE *out, const struct ct_program *p, const char *fn)
{
	fputs("\tcase $prev in\n", out);
	for (int i = 0; i < p->noptions; i++) {
		const struct ct_option *o = &p->options[i];
		if (!o->arg)
			continue;
		fprintf(out, "\t%s", o->name);
		if (o->short_name)
			fprintf(out, "|-%c", o->short_name);
		fputs(")\n\t\t", out);
		const char *how = value_completion(o->value);
		if (how)
			fprintf(out, how, fn);
		else if (o->value == CT_WORD)
			fprintf(out, "COMPREPLY=($(compgen -W \"%s\" -- \"$cur\"))", o->words);
		else
			fputs("COMPREPLY=()", out);
		fputs("\n\t\treturn;;\n", out);
	}
	fputs("\tesac\n", out);
}

static void bash_options_of(FILE *out, const struct ct_program *p, const struct ct_command *c)
{
	int first = 1;
	for (int i = 0; i < p->noptions; i++)
		if (ct_option_applies(&p->options[i], c)) {
			fprintf(out, "%s%s", first ? "" : " ", p->options[i].name);
			first = 0;
		}
}

void ct_print_bash_completion(FILE *out, const struct ct_program *p, const char *targets)
{
	char fn[64];
	size_t i;
	for (i = 0; p->name[i] && i + 1 < sizeof fn; i++)
		fn[i] = isalnum((unsigned char)p->name[i]) ? p->name[i] : '_';
	fn[i] = '\0';
	fprintf(out, "# bash completion for %s; generated from its table of commands and options.\n", p->name);
	fprintf(out, "_%s_files() { compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$1\")); }\n", fn);
	fprintf(out, "_%s_dirs() { compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$1\")); }\n", fn);
	fprintf(out, "_%s() {\n\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= i\n", fn);
	fprintf(out, "\tlocal targets=\"%s\"\n", targets ? targets : "");
	fputs("\t[ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}\n", out);
	bash_value_cases(out, p, fn);
	/* the command is the first word that is neither an option nor an option's value */
	fputs("\tfor ((i = 1; i < COMP_CWORD; i++)); do\n\t\tcase ${COMP_WORDS[i]} in\n", out);
	int any_valued = 0;
	for (int k = 0; k < p->noptions; k++)
		if (p->options[k].arg)
			fprintf(out, "%s%s", any_valued++ ? "|" : "\t\t", p->options[k].name);
	if (any_valued)
		fputs(") ((i++));;\n", out);
	fputs("\t\t-*) ;;\n\t\t*) cmd=${COMP_WORDS[i]}; break;;\n\t\tesac\n\tdone\n", out);
	fputs("\tlocal opts\n\tcase $cmd in\n", out);
	for (int k = 0; k < p->ncommands; k++) {
		const struct ct_command *c = &p->commands[k];
		fprintf(out, "\t%s) opts=\"", c->name);
		bash_options_of(out, p, c);
		fputs("\";;\n", out);
	}
	fputs("\t*) opts=\"", out);
	bash_options_of(out, p, NULL);
	fputs("\";;\n\tesac\n", out);
	fputs("\tif [[ $cur == -* ]]; then\n\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n", out);
	if (p->ncommands) {
		fputs("\telif [ -z \"$cmd\" ]; then\n\t\tCOMPREPLY=($(compgen -W \"", out);
		for (int k = 0; k < p->ncommands; k++)
			fprintf(out, "%s%s", k ? " " : "", p->commands[k].name);
		fputs("\" -- \"$cur\"))\n", out);
		fputs("\telse\n\t\tcase $cmd in\n", out);
		for (int k = 0; k < p->ncommands; k++) {
			const struct ct_command *c = &p->commands[k];
			if (c->operand == CT_TARGET)
				fprintf(out, "\t\t%s) COMPREPLY=($(compgen -W \"$targets\" -- \"$cur\"));;\n", c->name);
			else if (c->operand == CT_WORD) { /* a command's name: "help flash" */
				fprintf(out, "\t\t%s) COMPREPLY=($(compgen -W \"", c->name);
				for (int j = 0; j < p->ncommands; j++)
					fprintf(out, "%s%s", j ? " " : "", p->commands[j].name);
				fputs("\" -- \"$cur\"));;\n", out);
			}
			else if (c->operand == CT_FILE)
				fprintf(out, "\t\t%s) _%s_files \"$cur\";;\n", c->name, fn);
		}
		fputs("\t\t*) COMPREPLY=();;\n\t\tesac\n", out);
	} else {
		fprintf(out, "\telse\n\t\t_%s_files \"$cur\"\n", fn);
	}
	fprintf(out, "\tfi\n}\ncomplete -F _%s %s\n", fn, p->name);
}
