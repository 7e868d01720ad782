/* Minimal TAP (Test Anything Protocol) output for the sim and xval test programs. */
#ifndef SIM_TAP_H
#define SIM_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int tap_n, tap_failed;

static inline void tap_plan(int n)
{
	printf("1..%d\n", n);
	fflush(stdout);
}

/* One test point; the detail (printf-style) is printed only on failure. */
static inline bool tap_ok(bool ok, const char *name, const char *fmt, ...)
{
	tap_n++;
	if (ok) {
		printf("ok %d - %s\n", tap_n, name);
	} else {
		va_list ap;
		tap_failed++;
		printf("not ok %d - %s # ", tap_n, name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	fflush(stdout);
	return ok;
}

static inline void tap_skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	fflush(stdout);
}

static inline int tap_exit(void)
{
	return tap_failed ? 1 : 0;
}

#endif
