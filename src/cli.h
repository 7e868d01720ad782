/* cli.h — the command line: parses arguments and runs a command or the wizard. */
#ifndef RESCUE_CLI_H
#define RESCUE_CLI_H

/* Entry point behind main(); returns the process exit status (0, 1, 2 or 3). */
int cli_main(int argc, char **argv);

#endif
