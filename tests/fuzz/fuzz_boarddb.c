/* fuzz_boarddb.c — libFuzzer target for the boards.ini loader: any bytes must load or be
 * refused with a one-line error, never crash, leak or read out of bounds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boarddb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[256];
	static struct boarddb db;
	if (!path[0]) {
		snprintf(path, sizeof path, "%s/fuzz-boards-%d.ini", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		         (int)getpid());
	}
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	struct rs_error err = {0};
	if (boarddb_load(&db, path, &err) && (!err.msg[0] || strchr(err.msg, '\n')))
		abort(); /* every refusal is exactly one line */
	unlink(path);
	return 0;
}
