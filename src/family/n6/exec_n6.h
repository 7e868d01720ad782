/* exec_n6.h — the OpenMV Cam N6 bootloader restore: run a FlashLayout.tsv over the N6
 * boot ROM's DFU and the OpenBootloader it loads (src/proto/stm32prog.h), or, when asked
 * (--use-cubeprogrammer), through ST's STM32_Programmer_CLI found on PATH. */
#ifndef RESCUE_EXEC_N6_H
#define RESCUE_EXEC_N6_H

#include <stddef.h>

#include "runner.h"
#include "step_exec.h"

/* STEP_STM32PROG_LAYOUT. */
/* exec_stm32prog_layout: step_exec.h */

/* The full path of STM32_Programmer_CLI found on PATH into buf; false if it is not there. */
bool n6_find_cubeprogrammer(char *buf, size_t n);

/* The percentage in one line of STM32_Programmer_CLI output: lines starting with '[' that
 * hold "NN%" (what OpenMV IDE reads, reference alif-isp-openmv-ide-n6.md §2.3); -1 for any
 * other line. */
int n6_cubeprogrammer_percent(const char *line);

#endif
