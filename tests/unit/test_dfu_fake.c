/* test_dfu_fake.c — see test_dfu_fake.h.  Device rules cite reference
 * dfu-dfuse-picoboot-samba.md §1.3 unless noted. */
#include "test_dfu_fake.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dfu.h"

const char *fake_strings[8];

static void logf_(struct fake_dev *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = sizeof f->log - f->log_len;
	int n = vsnprintf(f->log + f->log_len, room, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < room)
		f->log_len += (size_t)n;
}

static void init_common(struct fake_dev *f, size_t size, uint8_t fill)
{
	memset(f, 0, sizeof *f);
	f->size = size;
	f->mem = malloc(size);
	memset(f->mem, fill, size);
	f->state = DFU_STATE_IDLE;
	f->fail_block = f->gone_block = f->stall_block = -1;
	f->alt = -1;
}

void fake_init_plain(struct fake_dev *f, uint16_t xfer, size_t size, uint8_t fill)
{
	init_common(f, size, fill);
	f->vid = 0x37C5;
	f->pid = 0x9204;
	f->xfer = xfer;
	f->manifestation_tolerant = true;
	f->manifest_polls = 1;
}

void fake_init_dfuse(struct fake_dev *f, const char *layout, uint16_t xfer, uint16_t bcd_device,
		     uint8_t fill)
{
	struct dfuse_layout l;
	dfuse_layout_parse(layout, &l, NULL);
	uint32_t base = l.seg[0].start;
	size_t size = (size_t)l.seg[l.n_segments - 1].end - base + 1;
	init_common(f, size, fill);
	f->layout = l;
	f->base = base;
	f->dfuse = true;
	f->vid = 0x0483;
	f->pid = 0xDF11;
	f->bcd_device = bcd_device;
	f->xfer = xfer;
	f->busy_replies = 1; /* ST: one DNBUSY, then DNLOAD-IDLE (§1.3) */
	f->pointer = 0x08000000; /* AN2662 default (§1.5) */
}

void fake_free(struct fake_dev *f)
{
	free(f->mem);
	f->mem = NULL;
}

libusb_device_handle *fake_handle(struct fake_dev *f)
{
	return (libusb_device_handle *)(void *)f;
}

uint8_t *fake_mem(struct fake_dev *f, uint32_t address)
{
	if (address < f->base || address - f->base >= f->size)
		return NULL;
	return f->mem + (address - f->base);
}

bool fake_logged(const struct fake_dev *f, const char *needle)
{
	return strstr(f->log, needle) != NULL;
}

static void to_error(struct fake_dev *f, uint8_t status)
{
	f->state = DFU_STATE_ERROR;
	f->status = status;
}

/* Store data at address, ANDing like flash so a missing erase shows. */
static bool program(struct fake_dev *f, uint32_t address, const uint8_t *data, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t *m = fake_mem(f, address + (uint32_t)i);
		if (!m)
			return false;
		if (*m != 0xFF)
			f->writes_to_unerased++;
		*m &= data[i];
	}
	return true;
}

static void erase_page(struct fake_dev *f, uint32_t address)
{
	uint32_t start, size;
	if (!dfuse_layout_page(&f->layout, address, &start, &size))
		return;
	memset(fake_mem(f, start), 0xFF, size);
}

/* Run the pending DfuSe command or data block (ST runs it after the DNBUSY reply). */
static void run_dfuse_pending(struct fake_dev *f)
{
	const uint8_t *p = f->pend;
	if (f->pend_block == 0) {
		uint32_t a = (uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 |
			     (uint32_t)p[4] << 24;
		if (p[0] == 0x21 && f->pend_len == 5) {
			f->pointer = a;
		} else if (p[0] == 0x41 && f->pend_len == 5) {
			if (!fake_mem(f, a))
				return to_error(f, DFU_STATUS_ERR_TARGET);
			erase_page(f, a);
		} else if (p[0] == 0x41 && f->pend_len == 1) {
			memset(f->mem, 0xFF, f->size);
		} else {
			return to_error(f, DFU_STATUS_ERR_STALLEDPKT);
		}
		return;
	}
	uint32_t a = f->pointer + (uint32_t)(f->pend_block - 2) * f->xfer; /* §1.5 */
	if (!program(f, a, p, f->pend_len))
		to_error(f, DFU_STATUS_ERR_TARGET);
}

static void run_plain_pending(struct fake_dev *f)
{
	/* openmv_dfu: partition start + block * 4096; past the limit → errADDRESS (§2.2). */
	uint64_t off = (uint64_t)f->pend_block * f->xfer;
	if ((int)f->pend_block == f->fail_block)
		return to_error(f, f->fail_status);
	if (off + f->pend_len > f->size)
		return to_error(f, DFU_STATUS_ERR_ADDRESS);
	memcpy(f->mem + off, f->pend, f->pend_len);
}

static bool pending_is_bank2_erase(const struct fake_dev *f)
{
	if (f->pend_block != 0 || f->pend_len != 5 || f->pend[0] != 0x41)
		return false;
	uint32_t a = (uint32_t)f->pend[1] | (uint32_t)f->pend[2] << 8 |
		     (uint32_t)f->pend[3] << 16 | (uint32_t)f->pend[4] << 24;
	return a >= 0x08100000;
}

static int reply_status(struct fake_dev *f, uint8_t *data, uint16_t len, uint8_t status,
			uint32_t poll, uint8_t state)
{
	uint8_t r[6] = { status, (uint8_t)poll, (uint8_t)(poll >> 8), (uint8_t)(poll >> 16),
			 state, 0 };
	int n = f->garbage_len ? f->garbage_len : 6;
	if (n > len)
		n = len;
	memcpy(data, r, (size_t)n);
	return n;
}

static int getstatus(struct fake_dev *f, uint8_t *data, uint16_t len)
{
	f->n_getstatus++;
	logf_(f, "GS ");
	if (f->leave_pending) {
		f->leave_pending = false;
		f->gone = true; /* the ST ROM resets after this reply (§1.3) */
		return reply_status(f, data, len, 0, 1, DFU_STATE_MANIFEST);
	}
	if (f->state == DFU_STATE_MANIFEST_SYNC) {
		if (f->manifest_polls > 0) {
			f->manifest_polls--;
			return reply_status(f, data, len, 0, 1, DFU_STATE_MANIFEST);
		}
		f->state = f->manifestation_tolerant ? DFU_STATE_IDLE : DFU_STATE_MANIFEST_WAIT_RESET;
		return reply_status(f, data, len, 0, 0, f->state);
	}
	if (f->state != DFU_STATE_DNLOAD_SYNC || !f->pending)
		return reply_status(f, data, len, f->status, 0, f->state);

	bool command = f->dfuse && f->pend_block == 0;
	if (command && f->stall_getstatus > 0 && f->busy_left < f->busy_replies) {
		f->stall_getstatus--;
		return LIBUSB_ERROR_PIPE; /* STM32L4: stalls while erasing (§1.6) */
	}
	bool stuck = f->h7_bank2_stuck && pending_is_bank2_erase(f);
	if (stuck && f->busy_left == f->busy_replies)
		erase_page(f, (uint32_t)f->pend[1] | (uint32_t)f->pend[2] << 8 |
			   (uint32_t)f->pend[3] << 16 | (uint32_t)f->pend[4] << 24);
	if (stuck)
		return reply_status(f, data, len, 0, f->stuck_poll_ms, DFU_STATE_DNBUSY);
	if ((f->forever_busy && !command) || f->busy_left > 0) {
		if (f->busy_left > 0)
			f->busy_left--;
		if (!(command && f->commands_instant))
			return reply_status(f, data, len, 0, f->busy_poll_ms, DFU_STATE_DNBUSY);
	}
	f->pending = false;
	if (f->dfuse)
		run_dfuse_pending(f);
	else
		run_plain_pending(f);
	if (f->state != DFU_STATE_ERROR)
		f->state = DFU_STATE_DNLOAD_IDLE;
	return reply_status(f, data, len, f->status, 0, f->state);
}

static int dnload(struct fake_dev *f, uint16_t block, const uint8_t *data, uint16_t len)
{
	f->n_dnload++;
	if (f->dfuse && block == 0 && len >= 1) {
		uint32_t a = len == 5 ? ((uint32_t)data[1] | (uint32_t)data[2] << 8 |
					 (uint32_t)data[3] << 16 | (uint32_t)data[4] << 24) : 0;
		if (data[0] == 0x21) {
			f->n_set_address++;
			logf_(f, "SET:%08X ", a);
		} else if (data[0] == 0x41 && len == 5) {
			f->n_erase++;
			logf_(f, "ERASE:%08X ", a);
		} else {
			logf_(f, "CMD%02X:%u ", data[0], len);
		}
	} else {
		logf_(f, "DN%u:%u ", block, len);
	}
	if ((int)block == f->gone_block) {
		f->gone = true;
		return LIBUSB_ERROR_NO_DEVICE;
	}
	if ((int)block == f->stall_block || (f->dfuse && block == 1))
		goto stall;
	if (f->state != DFU_STATE_IDLE && f->state != DFU_STATE_DNLOAD_IDLE)
		goto stall;
	if (len == 0) {
		if (f->dfuse) /* ST: leave (§1.3) */
			f->leave_pending = true;
		f->state = DFU_STATE_MANIFEST_SYNC;
		return 0;
	}
	if (len > sizeof f->pend)
		goto stall;
	memcpy(f->pend, data, len);
	f->pend_len = len;
	f->pend_block = block;
	f->pending = true;
	f->busy_left = f->busy_replies;
	f->state = DFU_STATE_DNLOAD_SYNC;
	return len;
stall:
	to_error(f, DFU_STATUS_ERR_STALLEDPKT);
	return LIBUSB_ERROR_PIPE;
}

static int upload(struct fake_dev *f, uint16_t block, uint8_t *data, uint16_t len)
{
	f->n_upload++;
	logf_(f, "UP%u:%u ", block, len);
	if (f->state != DFU_STATE_IDLE && f->state != DFU_STATE_UPLOAD_IDLE) {
		to_error(f, DFU_STATUS_ERR_STALLEDPKT);
		return LIBUSB_ERROR_PIPE;
	}
	uint64_t start = f->dfuse ? (uint64_t)f->pointer - f->base + (uint64_t)(block - 2) * f->xfer
				  : (uint64_t)block * f->xfer;
	size_t n = start >= f->size ? 0 : f->size - (size_t)start;
	if (n > len)
		n = len;
	if (n)
		memcpy(data, f->mem + start, n);
	f->state = n < len ? DFU_STATE_IDLE : DFU_STATE_UPLOAD_IDLE;
	return (int)n;
}

static int clrstatus(struct fake_dev *f)
{
	f->n_clrstatus++;
	logf_(f, "CLR ");
	if (f->h7_clrstatus_ignored)
		return 0;
	if (f->state == DFU_STATE_ERROR) {
		f->state = DFU_STATE_IDLE;
		f->status = DFU_STATUS_OK;
	} else {
		/* ST: CLRSTATUS outside dfuERROR → dfuERROR/errUNKNOWN (§1.3). */
		f->pending = false;
		to_error(f, DFU_STATUS_ERR_UNKNOWN);
	}
	return 0;
}

static int abort_(struct fake_dev *f)
{
	f->n_abort++;
	logf_(f, "ABORT ");
	switch (f->state) {
	case DFU_STATE_IDLE: case DFU_STATE_DNLOAD_SYNC: case DFU_STATE_DNLOAD_IDLE:
	case DFU_STATE_MANIFEST_SYNC: case DFU_STATE_UPLOAD_IDLE:
		f->state = DFU_STATE_IDLE;
		f->status = DFU_STATUS_OK;
		f->pending = false;
		break;
	default:
		break; /* ignored elsewhere, even in dfuERROR (§1.3) */
	}
	return 0;
}

int __wrap_libusb_control_transfer(libusb_device_handle *h, uint8_t type, uint8_t req,
				   uint16_t value, uint16_t index, unsigned char *data,
				   uint16_t len, unsigned int timeout);
int __wrap_libusb_control_transfer(libusb_device_handle *h, uint8_t type, uint8_t req,
				   uint16_t value, uint16_t index, unsigned char *data,
				   uint16_t len, unsigned int timeout)
{
	(void)index;
	(void)timeout;
	struct fake_dev *f = (struct fake_dev *)(void *)h;
	if (f->gone)
		return LIBUSB_ERROR_NO_DEVICE;
	bool in = type & 0x80;
	switch (req) {
	case DFU_REQ_DETACH:
		f->n_detach++;
		logf_(f, "DETACH ");
		if (f->vanish_on_detach)
			f->gone = true;
		return 0;
	case DFU_REQ_DNLOAD: return in ? LIBUSB_ERROR_PIPE : dnload(f, value, data, len);
	case DFU_REQ_UPLOAD: return upload(f, value, data, len);
	case DFU_REQ_GETSTATUS: return getstatus(f, data, len);
	case DFU_REQ_CLRSTATUS: return clrstatus(f);
	case DFU_REQ_GETSTATE:
		logf_(f, "GSTATE ");
		data[0] = f->state;
		return 1;
	case DFU_REQ_ABORT: return abort_(f);
	}
	return LIBUSB_ERROR_PIPE;
}

int __wrap_libusb_set_interface_alt_setting(libusb_device_handle *h, int intf, int alt);
int __wrap_libusb_set_interface_alt_setting(libusb_device_handle *h, int intf, int alt)
{
	(void)intf;
	struct fake_dev *f = (struct fake_dev *)(void *)h;
	if (f->gone)
		return LIBUSB_ERROR_NO_DEVICE;
	f->alt = alt;
	logf_(f, "ALT%d ", alt);
	return 0;
}

int __wrap_libusb_reset_device(libusb_device_handle *h);
int __wrap_libusb_reset_device(libusb_device_handle *h)
{
	struct fake_dev *f = (struct fake_dev *)(void *)h;
	f->n_reset++;
	logf_(f, "RESET ");
	if (f->gone)
		return LIBUSB_ERROR_NO_DEVICE;
	f->gone = true; /* re-enumerates as the firmware */
	return f->reset_rc;
}

libusb_device *__wrap_libusb_get_device(libusb_device_handle *h);
libusb_device *__wrap_libusb_get_device(libusb_device_handle *h)
{
	return (libusb_device *)(void *)h;
}

int __wrap_libusb_get_device_descriptor(libusb_device *d, struct libusb_device_descriptor *dd);
int __wrap_libusb_get_device_descriptor(libusb_device *d, struct libusb_device_descriptor *dd)
{
	struct fake_dev *f = (struct fake_dev *)(void *)d;
	memset(dd, 0, sizeof *dd);
	dd->idVendor = f->vid;
	dd->idProduct = f->pid;
	dd->bcdDevice = f->bcd_device;
	return 0;
}

int __wrap_libusb_get_string_descriptor_ascii(libusb_device_handle *h, uint8_t index,
					      unsigned char *data, int length);
int __wrap_libusb_get_string_descriptor_ascii(libusb_device_handle *h, uint8_t index,
					      unsigned char *data, int length)
{
	struct fake_dev *f = (struct fake_dev *)(void *)h;
	if (f->gone)
		return LIBUSB_ERROR_NO_DEVICE;
	if (index >= 8 || !fake_strings[index])
		return LIBUSB_ERROR_PIPE;
	snprintf((char *)data, (size_t)length, "%s", fake_strings[index]);
	return (int)strlen((char *)data);
}
