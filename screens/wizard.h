/* wizard.h — entry point of the interactive wizard. */
#ifndef RESCUE_WIZARD_H
#define RESCUE_WIZARD_H

#include "boarddb.h"
#include "cli_args.h"

/* Run the wizard on the controlling terminal with the options cli_parse() read (--practice,
 * and for the run --serial, --timeout, --no-verify); returns the process exit status. */
int wizard_main(const struct boarddb *db, const struct cli_args *args);

#endif
