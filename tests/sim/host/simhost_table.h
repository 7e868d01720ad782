/* simhost_table.h — openmv-rescue-sim's --help and man page, from one table. */
#ifndef SIMHOST_TABLE_H
#define SIMHOST_TABLE_H

#include <stdio.h>

void sim_usage(FILE *out);
void sim_man(FILE *out);

#endif
