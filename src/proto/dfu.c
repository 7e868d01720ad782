/* dfu.c — DFU 1.1 class requests, status names, error mapping and the busy wait.
 * See dfu.h; wire facts from reference dfu-dfuse-picoboot-samba.md §1.1–§1.2. */
#include "io/usb_io.h"
#include "dfu.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* bmRequestType: class request to an interface, OUT (0x21) or IN (0xA1) (§1.1). */
#define DFU_OUT (LIBUSB_REQUEST_TYPE_CLASS | LIBUSB_RECIPIENT_INTERFACE | LIBUSB_ENDPOINT_OUT)
#define DFU_IN (LIBUSB_REQUEST_TYPE_CLASS | LIBUSB_RECIPIENT_INTERFACE | LIBUSB_ENDPOINT_IN)

static const char *const state_names[] = {
	"appIDLE", "appDETACH", "dfuIDLE", "dfuDNLOAD-SYNC", "dfuDNBUSY", "dfuDNLOAD-IDLE",
	"dfuMANIFEST-SYNC", "dfuMANIFEST", "dfuMANIFEST-WAIT-RESET", "dfuUPLOAD-IDLE",
	"dfuERROR",
};

static const char *const status_names[] = {
	"OK", "errTARGET", "errFILE", "errWRITE", "errERASE", "errCHECK_ERASED", "errPROG",
	"errVERIFY", "errADDRESS", "errNOTDONE", "errFIRMWARE", "errVENDOR", "errUSBR",
	"errPOR", "errUNKNOWN", "errSTALLEDPKT",
};

static const char *const status_meanings[] = {
	"no error",
	"the file is not for this device",
	"the file fails the device's own checks",
	"the device cannot write that memory",
	"erasing failed",
	"the erase check failed",
	"programming failed",
	"the written data did not verify",
	"address out of range",
	"the device got the end of the download before all data",
	"the firmware is corrupt and cannot be started",
	"vendor-specific error",
	"unexpected USB reset",
	"unexpected power-on reset",
	"unknown error",
	"the device stalled an unexpected request",
};

const char *dfu_state_name(int state)
{
	if (state < 0 || state >= (int)(sizeof state_names / sizeof *state_names))
		return "INVALID";
	return state_names[state];
}

const char *dfu_status_name(int status)
{
	if (status < 0 || status >= (int)(sizeof status_names / sizeof *status_names))
		return "INVALID";
	return status_names[status];
}

const char *dfu_status_meaning(int status)
{
	if (status < 0 || status >= (int)(sizeof status_meanings / sizeof *status_meanings))
		return "a status code DFU does not define";
	return status_meanings[status];
}

int dfu_usb_error(int rc, const char *request, struct rs_error *err)
{
	switch (rc) {
	case LIBUSB_ERROR_NO_DEVICE:
		return rs_fail(err, RS_E_GONE, "the camera disconnected during %s", request);
	case LIBUSB_ERROR_TIMEOUT:
		return rs_fail(err, RS_E_TIMEOUT, "the device did not answer the %s request "
			       "within %d s", request, DFU_USB_TIMEOUT_MS / 1000);
	case LIBUSB_ERROR_PIPE:
		return rs_fail(err, RS_E_PROTOCOL, "the device stalled the %s request", request);
	case LIBUSB_ERROR_ACCESS:
		return rs_fail(err, RS_E_ACCESS, "permission denied for the %s request; install "
			       "the udev rules or run with enough rights", request);
	case LIBUSB_ERROR_NO_MEM:
		return rs_fail(err, RS_E_NOMEM, "out of memory during %s", request);
	default:
		return rs_fail(err, RS_E_IO, "the %s request failed (%s)", request,
			       libusb_error_name(rc));
	}
}

int dfu_status_error(const struct dfu_status *st, struct rs_error *err)
{
	if (st->status == DFU_STATUS_ERR_VENDOR)
		return rs_fail(err, RS_E_DEVICE, "the camera reported errVENDOR (vendor-specific "
			       "error, string %u; on an ST ROM: read protection is active)",
			       st->istring);
	return rs_fail(err, RS_E_DEVICE, "the camera reported %s (%s)",
		       dfu_status_name(st->status), dfu_status_meaning(st->status));
}

int dfu_error_at(struct rs_error *err, int code, const char *fmt, ...)
{
	if (!err)
		return code;
	char tail[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tail, sizeof tail, fmt, ap);
	va_end(ap);
	size_t used = strnlen(err->msg, sizeof err->msg);
	snprintf(err->msg + used, sizeof err->msg - used, " %s", tail);
	err->code = code;
	return code;
}

/* One control transfer; returns bytes moved or a mapped negative code. */
static int ctrl(libusb_device_handle *h, uint8_t type, uint8_t req, uint16_t value,
		uint16_t intf, uint8_t *data, uint16_t len, const char *name,
		struct rs_error *err)
{
	int rc = usb_io_control(h, type, req, value, intf, data, len,
					 DFU_USB_TIMEOUT_MS);
	if (rc < 0)
		return dfu_usb_error(rc, name, err);
	return rc;
}

int dfu_req_detach(libusb_device_handle *h, uint16_t intf, uint16_t timeout_ms,
		   struct rs_error *err)
{
	int rc = ctrl(h, DFU_OUT, DFU_REQ_DETACH, timeout_ms, intf, NULL, 0, "DETACH", err);
	return rc < 0 ? rc : RS_OK;
}

int dfu_req_dnload(libusb_device_handle *h, uint16_t intf, uint16_t block, const uint8_t *data,
		   uint16_t len, struct rs_error *err)
{
	/* libusb only reads OUT data; its prototype is not const-qualified. */
	int rc = ctrl(h, DFU_OUT, DFU_REQ_DNLOAD, block, intf, (uint8_t *)(uintptr_t)data, len,
		      "DNLOAD", err);
	if (rc >= 0 && rc != len)
		return rs_fail(err, RS_E_IO, "the device took only %d of %u bytes of a DNLOAD",
			       rc, len);
	return rc;
}

int dfu_req_upload(libusb_device_handle *h, uint16_t intf, uint16_t block, uint8_t *buf,
		   uint16_t len, struct rs_error *err)
{
	return ctrl(h, DFU_IN, DFU_REQ_UPLOAD, block, intf, buf, len, "UPLOAD", err);
}

int dfu_parse_status(const uint8_t *buf, int len, struct dfu_status *st, struct rs_error *err)
{
	if (len != 6)
		return rs_fail(err, RS_E_PROTOCOL, "garbage status: the device answered "
			       "GETSTATUS with %d bytes instead of 6", len);
	st->status = buf[0];
	st->poll_timeout_ms = (uint32_t)buf[1] | (uint32_t)buf[2] << 8 | (uint32_t)buf[3] << 16;
	st->state = buf[4];
	st->istring = buf[5];
	return RS_OK;
}

int dfu_req_getstatus_stall(libusb_device_handle *h, uint16_t intf, struct dfu_status *st,
			    bool *stalled, struct rs_error *err)
{
	uint8_t buf[6];
	int rc = usb_io_control(h, DFU_IN, DFU_REQ_GETSTATUS, 0, intf, buf, sizeof buf,
					 DFU_USB_TIMEOUT_MS);
	*stalled = rc == LIBUSB_ERROR_PIPE;
	if (rc < 0)
		return dfu_usb_error(rc, "GETSTATUS", err);
	return dfu_parse_status(buf, rc, st, err);
}

int dfu_req_getstatus(libusb_device_handle *h, uint16_t intf, struct dfu_status *st,
		      struct rs_error *err)
{
	bool stalled;
	return dfu_req_getstatus_stall(h, intf, st, &stalled, err);
}

int dfu_req_clrstatus(libusb_device_handle *h, uint16_t intf, struct rs_error *err)
{
	int rc = ctrl(h, DFU_OUT, DFU_REQ_CLRSTATUS, 0, intf, NULL, 0, "CLRSTATUS", err);
	return rc < 0 ? rc : RS_OK;
}

int dfu_req_getstate(libusb_device_handle *h, uint16_t intf, struct rs_error *err)
{
	uint8_t state;
	int rc = ctrl(h, DFU_IN, DFU_REQ_GETSTATE, 0, intf, &state, 1, "GETSTATE", err);
	if (rc < 0)
		return rc;
	if (rc != 1)
		return rs_fail(err, RS_E_PROTOCOL, "the device answered GETSTATE with %d bytes "
			       "instead of 1", rc);
	return state;
}

int dfu_req_abort(libusb_device_handle *h, uint16_t intf, struct rs_error *err)
{
	int rc = ctrl(h, DFU_OUT, DFU_REQ_ABORT, 0, intf, NULL, 0, "ABORT", err);
	return rc < 0 ? rc : RS_OK;
}

uint64_t dfu_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void dfu_sleep_ms(uint32_t ms)
{
	if (ms == 0)
		return; /* even a zero sleep costs the kernel's timer slack (~50 us) per block */
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

int dfu_wait_while_busy(libusb_device_handle *h, uint16_t intf, unsigned busy_mask,
			const struct dfu_status *first, uint32_t deadline_ms,
			struct dfu_status *st, struct rs_error *err)
{
	uint64_t start = dfu_now_ms();
	if (first) {
		*st = *first;
	} else {
		int rc = dfu_req_getstatus(h, intf, st, err);
		if (rc < 0)
			return rc;
	}
	while (st->state < 32 && (busy_mask & (1u << st->state))) {
		uint64_t waited = dfu_now_ms() - start;
		/* Refuse to start a sleep that would end past the deadline: a device asking
		 * for hours (24-bit poll values allow 4.6 h) fails now, not after. */
		if (waited + st->poll_timeout_ms > deadline_ms)
			return rs_fail(err, RS_E_TIMEOUT, "the device stayed busy (%s; it asked "
				       "for %u ms more after %llu ms; the limit is %u ms)",
				       dfu_state_name(st->state), st->poll_timeout_ms,
				       (unsigned long long)waited, deadline_ms);
		dfu_sleep_ms(st->poll_timeout_ms);
		int rc = dfu_req_getstatus(h, intf, st, err);
		if (rc < 0)
			return rc;
	}
	return RS_OK;
}
