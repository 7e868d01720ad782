/* main.c — openmv-rescue: no arguments start the wizard, otherwise the command line. */
#include "cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
