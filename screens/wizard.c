/* wizard.c — placeholder until the wizard lands: says so and points at the command line. */
#include "wizard.h"

#include <stdio.h>

int wizard_main(const struct boarddb *db, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "openmv-rescue: the interactive wizard is not built yet (%d boards known); "
	                "use the command line: openmv-rescue --help\n", db->n);
	return 1;
}
