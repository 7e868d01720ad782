/* cmdtable.h — one table describes a program's commands and options; from it come --help,
 * "help COMMAND", the man page (roff) and the bash completion script, so they never drift
 * apart.  (tmux describes each command once, in one struct, the same way.)
 *
 * No board, no protocol, no I/O beyond the FILE given: openmv-rescue and openmv-rescue-sim
 * both use it. */
#ifndef RESCUE_CMDTABLE_H
#define RESCUE_CMDTABLE_H

#include <stdio.h>

/* What an option's value is, for messages ("--firmware needs a file") and completion. */
enum ct_value {
	CT_NONE,        /* a flag */
	CT_FILE,        /* a file name: completes file names */
	CT_DIR,         /* a folder: completes folder names */
	CT_TARGET,      /* a board TARGET: completes the TARGETs of boards.ini */
	CT_WORD,        /* one of the words in ct_option.words */
	CT_TEXT,        /* anything else (a number, a serial number, NAME=FILE) */
};

struct ct_option {
	const char *name;       /* "--firmware" */
	char short_name;        /* 'y' for -y, or 0 */
	const char *arg;        /* "FILE", shown in help; NULL for a flag */
	enum ct_value value;
	const char *words;      /* CT_WORD: the choices, space-separated */
	const char *needs;      /* what a missing value is called: "a file", "whole seconds" */
	const char *help;       /* one or more sentences */
	const char *commands;   /* space-separated commands it applies to; NULL: every command;
	                         * "": only without a command */
	int id;                 /* the program's own number for it */
};

struct ct_command {
	const char *name;       /* "flash" */
	const char *args;       /* "--board TARGET [--firmware FILE] [options]" */
	const char *summary;    /* one line */
	const char *details;    /* a paragraph, or NULL */
	const char *example;    /* a whole command line */
	enum ct_value operand;  /* a bare word after the command: CT_TARGET, CT_FILE, CT_WORD (a
	                         * command name, as for "help COMMAND") or CT_NONE (nothing) */
	int (*run)(void *ctx);  /* the program's handler, or NULL */
	int id;                 /* the program's own number for it */
};

struct ct_program {
	const char *name;           /* "openmv-rescue" */
	const char *tagline;        /* for NAME in the man page */
	const char *synopsis;       /* lines of "name ARGS", separated by '\n' */
	const char *description;    /* paragraphs separated by "\n\n" */
	const struct ct_command *commands;
	int ncommands;
	const struct ct_option *options;
	int noptions;
	const char *exit_status;    /* paragraph */
	const char *environment;    /* "NAME\ttext\n" lines, or NULL */
	const char *files;          /* "PATH\ttext\n" lines, or NULL */
	const char *see_also;       /* "dfu-util(1), ..." or NULL */
};

const struct ct_command *ct_find_command(const struct ct_program *p, const char *name);

/* The option named by arg ("--firmware", "-y"; "--firmware=x" matches with the text after
 * '=' in *inline_value, else NULL). */
const struct ct_option *ct_find_option(const struct ct_program *p, const char *arg,
                                       const char **inline_value);

/* Does option o apply to command c (c NULL: the program without a command)? */
int ct_option_applies(const struct ct_option *o, const struct ct_command *c);

/* The nearest of the given names to s (at most a third of its letters differ, case ignored),
 * or NULL. */
const char *ct_nearest(const char *s, const char *const *names, int n);

/* The nearest command name to s, or NULL. */
const char *ct_nearest_command(const struct ct_program *p, const char *s);

/* The nearest option name to s, or NULL. */
const char *ct_nearest_option(const struct ct_program *p, const char *s);

/* --help: every command and option. */
void ct_print_usage(FILE *out, const struct ct_program *p);

/* help COMMAND, COMMAND --help: its usage, details, options and example. */
void ct_print_command_help(FILE *out, const struct ct_program *p, const struct ct_command *c);

/* The man page in roff (man(7)); date as "YYYY-MM-DD", version the program's. */
void ct_print_man(FILE *out, const struct ct_program *p, const char *version, const char *date);

/* A bash completion script for the program; targets: board TARGETs, space-separated. */
void ct_print_bash_completion(FILE *out, const struct ct_program *p, const char *targets);

#endif
