/* nano_testlib.h — shared by the Nano sim and xval tests: test files in a private temporary
 * directory, and running a program (openmv-rescue, bossac) as a child that sees the virtual
 * devices (umockdev preload; UMOCKDEV_DIR is inherited). */
#ifndef NANO_TESTLIB_H
#define NANO_TESTLIB_H

#include <stddef.h>
#include <stdint.h>

struct child_result {
	int exit_code;          /* 128 + N when signal N ended it, -1 when it could not run */
	char *out, *err;        /* captured stdout and stderr (g_free) */
};

/* Make the temporary directory (under $TMPDIR); returns its path. */
const char *nano_tmpdir(void);
/* Remove it and everything in it. */
void nano_tmpdir_remove(void);
/* Write len pseudo-random bytes (seeded) to a file in the directory; returns its path
 * (g_free) and, when data is not NULL, the bytes in *data (free). */
char *nano_write_file(const char *name, size_t len, uint32_t seed, uint8_t **data);

/* Run argv (NULL-terminated) with the umockdev preload; waits for it to end. */
void nano_run(char **argv, struct child_result *r);
void nano_result_free(struct child_result *r);

#endif
