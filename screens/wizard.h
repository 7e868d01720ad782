/* wizard.h — entry point of the interactive wizard. */
#ifndef RESCUE_WIZARD_H
#define RESCUE_WIZARD_H

/* Run the wizard on the controlling terminal; returns the process exit status. */
int wizard_main(int argc, char **argv);

#endif
