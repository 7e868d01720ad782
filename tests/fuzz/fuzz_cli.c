/* fuzz_cli.c — libFuzzer target for the command line parser (src/cli/cli.c cli_parse, driven by
 * the table of src/cli/cli_table.c): any arguments a person or a script may pass, split from
 * the input at NUL bytes.  The parser must never read outside an argument, and whatever it
 * accepts must be a coherent set of values. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool quiet;
	if (!quiet) { /* the parser's refusals go to stderr; libFuzzer keeps its own copy of it */
		FILE *null = fopen("/dev/null", "w");
		if (null)
			stderr = null;
		quiet = true;
	}
	char *copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	char *argv[MAX_ARGS + 2] = {"openmv-rescue"};
	int argc = 1;
	for (char *p = copy; p <= copy + size && argc <= MAX_ARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	static struct cli_args a;
	memset(&a, 0, sizeof a);
	if (cli_parse(argc, argv, &a) == 0) {
		/* what it took must point into the arguments it was given */
		if (a.files.ngiven > PLAN_MAX_IMAGES || a.timeout_s < 0 || a.timeout_s > 3600)
			abort();
		for (int i = 0; i < a.files.ngiven; i++)
			if (!a.files.given[i].path || a.files.given[i].path < copy ||
			    a.files.given[i].path > copy + size)
				abort();
	}
	free(copy);
	return 0;
}
