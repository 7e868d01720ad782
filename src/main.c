/* main.c — openmv-rescue: the arguments are parsed once (cli.c); with no command the wizard
 * runs on them, otherwise the command line. */
#include "cli.h"
#include "wizard.h"

int main(int argc, char **argv)
{
	static struct cli_args args;
	static struct boarddb db;
	int status = cli_prepare(argc, argv, &args, &db);
	if (status != CLI_GO_ON)
		return status;
	return args.command ? cli_run_command(&args, &db) : wizard_main(&db, &args);
}
