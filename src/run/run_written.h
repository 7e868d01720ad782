/* run_written.h — how much a run wrote, in one line for the result and the log. */
#ifndef RUN_WRITTEN_H
#define RUN_WRITTEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runner.h"

/* "1.6 MiB", "900.0 KiB", "312 bytes". */
void run_human_size(uint64_t v, char *buf, size_t n);

/* One sentence on the bytes res says were sent and left alone: "Wrote 128.0 KiB; 1.5 MiB the
 * camera already held was left alone." (full: --full was given).  Returns false and leaves
 * buf empty when the run counted no image bytes (erase-only plans, verify). */
bool run_written_text(const struct run_result *res, bool full, char *buf, size_t n);

#endif
