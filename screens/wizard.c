/* wizard.c — placeholder until the wizard lands: says so and points at the CLI. */
#include "wizard.h"

#include <stdio.h>

int wizard_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "openmv-rescue: the interactive wizard is not built yet; "
	                "use the command line (openmv-rescue --help).\n");
	return 1;
}
