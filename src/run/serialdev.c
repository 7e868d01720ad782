/* serialdev.c — see serialdev.h. */
#include "io/serial_io.h"
#include "serialdev.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "udev_rules.h"

static int sp_err(struct rs_error *err, enum sp_return r, const char *doing, const char *name)
{
	if (r == SP_ERR_FAIL) {
		char *m = sp_last_error_message();
		int code = strstr(m ? m : "", "ermission") ? RS_E_ACCESS : RS_E_IO;
		if (code == RS_E_ACCESS) {
			char fix[400];
			udev_fix_command(fix, sizeof fix);
			rs_fail(err, code, "no permission to use %s (%s it: %s): install the udev rules with: %s",
			        name, doing, m ? m : "failed", fix);
		} else {
			rs_fail(err, code, "%s %s: %s", doing, name, m ? m : "failed");
		}
		sp_free_error_message(m);
		return code;
	}
	return rs_fail(err, RS_E_IO, "%s %s failed (%d)", doing, name, (int)r);
}

static bool port_matches(struct sp_port *p, const struct usb_ids *ids, const char *usb_serial)
{
	int vid, pid;
	if (sp_get_port_transport(p) != SP_TRANSPORT_USB || sp_get_port_usb_vid_pid(p, &vid, &pid) != SP_OK)
		return false;
	if (usb_serial) {
		const char *sn = sp_get_port_usb_serial(p);
		if (!sn || strcmp(sn, usb_serial))
			return false;
	}
	for (int i = 0; i < ids->n; i++)
		if (ids->id[i].vid == vid && ids->id[i].pid == pid)
			return true;
	return false;
}

int serialdev_find_wait(const struct usb_ids *ids, int timeout_ms, usbdev_stop_fn stop,
                        void *stop_ctx, char *name, size_t n, struct rs_error *err)
{
	return serialdev_find_serial(ids, NULL, timeout_ms, stop, stop_ctx, name, n, err);
}

int serialdev_find_serial(const struct usb_ids *ids, const char *usb_serial, int timeout_ms,
                          usbdev_stop_fn stop, void *stop_ctx, char *name, size_t n,
                          struct rs_error *err)
{
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct sp_port **list;
		if (serial_io_list_ports(&list) == SP_OK) {
			bool found = false;
			for (int i = 0; list[i] && !found; i++)
				if (port_matches(list[i], ids, usb_serial)) {
					snprintf(name, n, "%s", sp_get_port_name(list[i]));
					found = true;
				}
			sp_free_port_list(list);
			if (found)
				return 0;
		}
		if (stop && stop(stop_ctx))
			return rs_fail(err, RS_E_CANCELLED, "stopped while waiting for the serial port");
		clock_gettime(CLOCK_MONOTONIC, &now);
		long ms = (now.tv_sec - start.tv_sec) * 1000L + (now.tv_nsec - start.tv_nsec) / 1000000L;
		if (ms >= timeout_ms)
			return rs_fail(err, RS_E_TIMEOUT, "no serial port of %s%s appeared within %d s",
			               ids->id[0].text, ids->n > 1 ? " (or its other IDs)" : "", timeout_ms / 1000);
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

int serialdev_open(const char *name, int baud, struct sp_port **out, struct rs_error *err)
{
	struct sp_port *p;
	enum sp_return r = sp_get_port_by_name(name, &p);
	if (r != SP_OK)
		return sp_err(err, r, "finding", name);
	if ((r = serial_io_open(p, SP_MODE_READ_WRITE)) != SP_OK) {
		sp_free_port(p);
		return sp_err(err, r, "opening", name);
	}
	if ((r = serial_io_set_baudrate(p, baud)) != SP_OK || (r = serial_io_set_bits(p, 8)) != SP_OK ||
	    (r = serial_io_set_parity(p, SP_PARITY_NONE)) != SP_OK || (r = serial_io_set_stopbits(p, 1)) != SP_OK ||
	    (r = serial_io_set_flowcontrol(p, SP_FLOWCONTROL_NONE)) != SP_OK ||
	    (r = serial_io_set_dtr(p, SP_DTR_ON)) != SP_OK || (r = serial_io_set_rts(p, SP_RTS_ON)) != SP_OK) {
		int code = sp_err(err, r, "configuring", name);
		serial_io_close(p);
		sp_free_port(p);
		return code;
	}
	*out = p;
	return 0;
}

int serialdev_touch_1200(const char *name, struct rs_error *err)
{
	struct sp_port *p;
	enum sp_return r = sp_get_port_by_name(name, &p);
	if (r != SP_OK)
		return sp_err(err, r, "finding", name);
	if ((r = serial_io_open(p, SP_MODE_READ_WRITE)) != SP_OK) {
		sp_free_port(p);
		return sp_err(err, r, "opening", name);
	}
	/* Firmware may reset as soon as the line coding is 1200 bps (TinyUSB-based OpenMV ports:
	 * reference alif-isp-openmv-ide-n6.md §2.4), so the port can vanish under the calls that
	 * follow: that is the touch having worked, not a failure. */
	r = serial_io_set_baudrate(p, 1200);
	int why = sp_last_error_code();
	bool vanished = r != SP_OK && (why == EIO || why == ENODEV || why == ENXIO);
	if (r == SP_OK)
		serial_io_set_dtr(p, SP_DTR_OFF);
	int code = r == SP_OK || vanished ? 0 : sp_err(err, r, "setting 1200 baud on", name);
	serial_io_close(p);
	sp_free_port(p);
	return code;
}

void serialdev_close(struct sp_port *p)
{
	if (p) {
		serial_io_close(p);
		sp_free_port(p);
	}
}
