/* wizard.h — entry point of the interactive wizard. */
#ifndef RESCUE_WIZARD_H
#define RESCUE_WIZARD_H

#include "boarddb.h"

/* Run the wizard on the controlling terminal; returns the process exit status. */
int wizard_main(const struct boarddb *db, int argc, char **argv);

#endif
