/* cli.c — placeholder, replaced by the real command line in the foundation work. */
#include "cli.h"
#include "wizard.h"

int cli_main(int argc, char **argv)
{
	return wizard_main(argc, argv);
}
