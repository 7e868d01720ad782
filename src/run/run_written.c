/* run_written.c — the result's line on what was written and what delta mode left alone. */
#include "run_written.h"

#include <inttypes.h>
#include <stdio.h>

void run_human_size(uint64_t v, char *buf, size_t n)
{
	if (v >= 1024 * 1024)
		snprintf(buf, n, "%.1f MiB", (double)v / (1024.0 * 1024.0));
	else if (v >= 1024)
		snprintf(buf, n, "%.1f KiB", (double)v / 1024.0);
	else
		snprintf(buf, n, "%" PRIu64 " byte%s", v, v == 1 ? "" : "s");
}

bool run_written_text(const struct run_result *res, bool full, char *buf, size_t n)
{
	char wrote[32], alone[32];
	buf[0] = '\0';
	if (!res->bytes_written && !res->bytes_left_alone)
		return false;
	run_human_size(res->bytes_written, wrote, sizeof wrote);
	run_human_size(res->bytes_left_alone, alone, sizeof alone);
	if (!res->bytes_written)
		snprintf(buf, n, "Wrote nothing: the camera already held all %s of the images.", alone);
	else if (res->bytes_left_alone)
		snprintf(buf, n, "Wrote %s; %s the camera already held %s left alone.", wrote, alone,
		         res->bytes_left_alone == 1 ? "was" : "were");
	else if (full)
		snprintf(buf, n, "Wrote %s (--full: every unit rewritten).", wrote);
	else
		snprintf(buf, n, "Wrote %s (none of it was on the camera already).", wrote);
	return true;
}
