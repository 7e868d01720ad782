/* reset_running.c — see reset_running.h. */
#include "reset_running.h"

#include <stdio.h>

#include "omv_reset.h"
#include "serialdev.h"

static void running_ids(const struct board *b, enum usb_mode target, struct usb_ids *out)
{
	const struct usb_ids *extra = target == USB_ARDUINO_DFU ? &b->usb[USB_ARDUINO_SKETCH]
	                                                        : &b->usb[USB_FIRMWARE_LEGACY];
	out->n = 0;
	for (int i = 0; i < b->usb[USB_FIRMWARE].n && out->n < BOARD_MAX_IDS; i++)
		out->id[out->n++] = b->usb[USB_FIRMWARE].id[i];
	for (int i = 0; i < extra->n && out->n < BOARD_MAX_IDS; i++)
		out->id[out->n++] = extra->id[i];
}

static int find_port(struct run_ctx *rc, enum usb_mode target, char *port, size_t n)
{
	struct usb_ids ids;
	struct rs_error quiet = {0};
	running_ids(rc->plan->board, target, &ids);
	if (!ids.n || serialdev_find_wait(&ids, 0, NULL, NULL, port, n, &quiet))
		return RS_E_NOT_FOUND;
	return 0;
}

int reset_running_touch(struct run_ctx *rc, enum usb_mode target, struct rs_error *err)
{
	char port[128];
	if (find_port(rc, target, port, sizeof port))
		return RS_E_NOT_FOUND;
	run_log(rc, RUN_LOG_INFO, "asking the board on %s to enter its bootloader (1200-baud touch)", port);
	return serialdev_touch_1200(port, err);
}

int reset_running_camera(struct run_ctx *rc, enum usb_mode target, struct rs_error *err)
{
	if (target == USB_ARDUINO_DFU)
		return reset_running_touch(rc, target, err);
	char port[128];
	if (find_port(rc, target, port, sizeof port))
		return RS_E_NOT_FOUND;
	struct sp_port *p;
	int r = serialdev_open(port, OMV_DEBUG_BAUD, &p, err);
	if (r)
		return r;
	r = omv_reset_v2(p, 300, err);
	if (r) {
		run_log(rc, RUN_LOG_INFO, "the camera does not speak debug protocol v2; trying v1");
		r = omv_reset_v1(p, err);
	}
	serialdev_close(p);
	if (!r)
		run_log(rc, RUN_LOG_INFO, "asked the camera on %s to reboot into its bootloader", port);
	return r;
}
