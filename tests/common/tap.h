/* tap.h — the one TAP producer of the C tests (unit, sim, e2e, xval, tui).
 *
 * Each check prints "ok N - ..." or "not ok N - ..."; the plan "1..N" comes first
 * (tap_plan) or last (tap_done, TAP allows both).  Two ways to write a check:
 *   tap_ok(cond, "fmt", ...) or ok(cond, "fmt", ...)  the whole line from a format
 *   tap_check(cond, "name", "fmt", ...)               a fixed name; the detail (from the
 *                                                     format) only on failure, after " # "
 * Every program skipped whole prints "1..0 # SKIP why": tap_skip_all exits with 77 (meson's
 * SKIP), tap_skip_plan returns (for a caller that exits with 0 or 77 itself). */
#ifndef RESCUE_TAP_H
#define RESCUE_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_count, tap_failed;

__attribute__((format(printf, 2, 3), unused))
static inline bool tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%s %d - ", cond ? "ok" : "not ok", ++tap_count);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
	if (!cond)
		tap_failed++;
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __VA_ARGS__)

__attribute__((unused))
static inline bool tap_check(bool cond, const char *name, const char *fmt, ...)
{
	tap_count++;
	if (cond) {
		printf("ok %d - %s\n", tap_count, name);
	} else {
		va_list ap;
		tap_failed++;
		printf("not ok %d - %s # ", tap_count, name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	fflush(stdout);
	return cond;
}

/* A diagnostic line, shown by meson on failure. */
__attribute__((format(printf, 1, 2), unused))
static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

__attribute__((unused))
static inline void tap_plan(int n)
{
	printf("1..%d\n", n);
	fflush(stdout);
}

/* The exit status: 0 when every check passed. */
__attribute__((unused))
static inline int tap_exit(void)
{
	return tap_failed ? 1 : 0;
}

/* The plan "1..N" after the checks, and the exit status. */
__attribute__((unused))
static inline int tap_done(void)
{
	tap_plan(tap_count);
	return tap_exit();
}

__attribute__((unused))
static inline void tap_skip_plan(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	fflush(stdout);
}

__attribute__((noreturn, unused))
static inline void tap_skip_all(const char *why)
{
	tap_skip_plan(why);
	exit(77);
}

#endif
