/* error.c — see error.h. */
#include "error.h"

#include <stdio.h>
#include <string.h>

void rs_vset(struct rs_error *e, int code, const char *fmt, va_list ap)
{
	if (e) {
		e->code = code;
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	}
}

int rs_wrap(struct rs_error *e, const char *fmt, ...)
{
	if (!e)
		return RS_E_IO;
	char prefix[256], old[sizeof e->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof old);
	snprintf(e->msg, sizeof e->msg, "%.200s: %.300s", prefix, old);
	return e->code ? e->code : RS_E_IO;
}

void rs_clear(struct rs_error *e)
{
	if (e) {
		e->code = RS_OK;
		e->msg[0] = '\0';
	}
}

const char *rs_code_name(int code)
{
	switch (code) {
	case RS_OK: return "ok";
	case RS_E_INPUT: return "bad-input";
	case RS_E_NOT_FOUND: return "not-found";
	case RS_E_ACCESS: return "access-denied";
	case RS_E_IO: return "io-error";
	case RS_E_TIMEOUT: return "timeout";
	case RS_E_PROTOCOL: return "protocol-error";
	case RS_E_DEVICE: return "device-error";
	case RS_E_GONE: return "device-gone";
	case RS_E_VERIFY: return "verify-failed";
	case RS_E_CANCELLED: return "cancelled";
	case RS_E_UNSUPPORTED: return "unsupported";
	case RS_E_NOMEM: return "out-of-memory";
	}
	return "unknown-error";
}

int rs_exit_status(int code)
{
	switch (code) {
	case RS_OK: return 0;
	case RS_E_INPUT: return 2;
	case RS_E_CANCELLED: return 3;
	default: return 1;
	}
}
