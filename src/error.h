/* error.h — the one error type every layer uses.
 *
 * A function that can fail returns a negative RS_E_* code (or NULL) and fills a
 * struct rs_error with one sentence a person can act on, e.g. "the camera
 * disconnected at block 312 of 900; re-run the same action — the bootloader is
 * untouched".  Nothing below main() prints or exits: the caller decides what to show.
 */
#ifndef RESCUE_ERROR_H
#define RESCUE_ERROR_H

#include <stdarg.h>

enum rs_code {
	RS_OK = 0,
	RS_E_INPUT = -1,       /* bad input: file, option, boards.ini (exit 2, nothing touched) */
	RS_E_NOT_FOUND = -2,   /* a device or file that should be there is not */
	RS_E_ACCESS = -3,      /* permission denied (udev rules missing) */
	RS_E_IO = -4,          /* a transfer failed */
	RS_E_TIMEOUT = -5,     /* the device did not answer in time */
	RS_E_PROTOCOL = -6,    /* the device answered something the protocol does not allow */
	RS_E_DEVICE = -7,      /* the device reported an error status */
	RS_E_GONE = -8,        /* the device disconnected */
	RS_E_VERIFY = -9,      /* read-back differs from what was written */
	RS_E_CANCELLED = -10,  /* the user stopped it */
	RS_E_UNSUPPORTED = -11,/* not available for this board or not built in */
	RS_E_NOMEM = -12,
};

struct rs_error {
	int code;
	char msg[512];
};

/* Record code and a formatted message (fmt, ap) in e, which may be NULL. */
void rs_vset(struct rs_error *e, int code, const char *fmt, va_list ap);

/* Record code and a formatted message in e (which may be NULL); return code.  Inline, so
 * that the static analyzers (tests/lint) see in every file that the result is code. */
static inline __attribute__((format(printf, 3, 4))) int rs_fail(struct rs_error *e, int code,
                                                              const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rs_vset(e, code, fmt, ap);
	va_end(ap);
	return code;
}
#ifdef __clang_analyzer__
/* clang's analyzer does not follow variadic functions: show it the result directly. */
#define rs_fail(e, code, ...) ((rs_fail)((e), (code), __VA_ARGS__), (code))
#endif

/* Like rs_fail, but keeps an existing message and prefixes it: "context: old message". */
int rs_wrap(struct rs_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reset e to "no error". */
void rs_clear(struct rs_error *e);

/* A short stable name for a code ("timeout", "device-gone", ...), for logs. */
const char *rs_code_name(int code);

/* The process exit status for a code: 0 done, 1 failed, 2 bad input, 3 cancelled. */
int rs_exit_status(int code);

#endif
