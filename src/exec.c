/* exec.c — the executor table: which function carries out each step kind.
 *
 * Adding a protocol family means adding its exec_<family>.c and its lines here.  Kinds
 * left NULL make the runner stop before doing anything, saying the step is not available.
 */
#include <stdlib.h>
#include <string.h>

#include "exec_basic.h"
#include "exec_n6.h"
#include "runner.h"

static const step_exec_fn table[STEP_KIND_COUNT] = {
	[STEP_PROMPT] = exec_prompt,
	[STEP_MAKE_ZEROS] = exec_make_zeros,
	[STEP_MAKE_KEY] = exec_make_key,
	[STEP_STM32PROG_LAYOUT] = exec_stm32prog_layout,
};

step_exec_fn exec_for(enum step_kind k)
{
	return (unsigned)k < STEP_KIND_COUNT ? table[k] : NULL;
}
