/* reset_running.c — see reset_running.h. */
#include "reset_running.h"

#include <stdio.h>

#include "omv_reset.h"
#include "serialdev.h"

#define V2_PROBE_MS 300 /* the SYNC's ACK comes at once from v2 firmware */

/* What the running camera shows of its firmware, by the USB ID it enumerates with. */
enum running_kind {
	RUNNING_NONE,
	RUNNING_V1_OLD,  /* usb.firmware_legacy: firmware 4.8.0 or older, v1 only; 4.4 .. 4.7 die on a v2 byte */
	RUNNING_CURRENT, /* the board's own ID: firmware 4.8.1 (v1) or protocol v2 */
	RUNNING_SKETCH,  /* an Arduino sketch: only the 1200-baud touch */
};

/* The running camera keeps the serial number it has in its bootloader (its chip's unique
 * ID; inferred for the real firmware), so --serial picks its port too. */
static bool find_ids(const struct usb_ids *ids, const char *serial, char *port, size_t n)
{
	struct rs_error quiet = {0};
	return ids->n && !serialdev_find_serial(ids, serial, 0, NULL, NULL, port, n, &quiet);
}

/* Look once for the running camera's port; the kind says how it may be spoken to. */
static enum running_kind find_running(const struct run_ctx *rc, enum usb_mode target, char *port, size_t n)
{
	const struct board *b = rc->plan->board;
	const char *sn = rc->opts ? rc->opts->serial : NULL;
	if (target != USB_ARDUINO_DFU && find_ids(&b->usb[USB_FIRMWARE_LEGACY], sn, port, n))
		return RUNNING_V1_OLD;
	if (find_ids(&b->usb[USB_FIRMWARE], sn, port, n))
		return RUNNING_CURRENT;
	if (target == USB_ARDUINO_DFU && find_ids(&b->usb[USB_ARDUINO_SKETCH], sn, port, n))
		return RUNNING_SKETCH;
	return RUNNING_NONE;
}

int reset_running_touch(struct run_ctx *rc, enum usb_mode target, struct rs_error *err)
{
	char port[128];
	if (find_running(rc, target, port, sizeof port) == RUNNING_NONE)
		return RS_E_NOT_FOUND;
	run_log(rc, RUN_LOG_INFO, "asking the board on %s to enter its bootloader (1200-baud touch)", port);
	return serialdev_touch_1200(port, err);
}

/* Speak to the firmware in the one way its USB ID says is safe (omv_reset.h). */
static int send_reset(struct run_ctx *rc, struct sp_port *p, enum running_kind kind, bool to_bootloader,
                      struct rs_error *err)
{
	if (kind == RUNNING_V1_OLD) {
		/* the ID it was found by: boards.ini usb.firmware_legacy */
		run_log(rc, RUN_LOG_INFO, "firmware 4.8.0 or older (%s): debug protocol v1 only",
		        rc->plan->board->usb[USB_FIRMWARE_LEGACY].id[0].text);
		return omv_reset_v1(p, to_bootloader, err);
	}
	struct rs_error quiet = {0};
	if (!omv_probe_v2(p, V2_PROBE_MS, &quiet))
		return omv_reset_v2(p, to_bootloader, err);
	if (quiet.code != RS_E_TIMEOUT) {
		*err = quiet;
		return quiet.code;
	}
	run_log(rc, RUN_LOG_INFO, "the camera does not speak debug protocol v2; using v1");
	return omv_reset_v1(p, to_bootloader, err);
}

int reset_running_camera(struct run_ctx *rc, enum usb_mode target, struct rs_error *err)
{
	char port[128];
	enum running_kind kind = find_running(rc, target, port, sizeof port);
	if (kind == RUNNING_NONE)
		return RS_E_NOT_FOUND;
	if (kind == RUNNING_SKETCH)
		return reset_running_touch(rc, target, err);
	/* The openmv_dfu bootloader is reached by a plain reset and caught in its power-up
	 * window, as OpenMV IDE does for v1 firmware and for bootloaders before 1.0.2: entered
	 * by the reset magic word such a bootloader ignores DETACH and may stay in DFU after
	 * the last write (openmv/qt-creator openmvplugindfubootloader.cpp sysReset(false),
	 * protocol/omv_camera.cpp OMVCamera::boot(); openmv/openmv commit 3a1e8dab7).  Which
	 * bootloader version a camera has is only seen once it is in DFU, so every openmv_dfu
	 * camera gets the plain reset.  The Arduino DfuSe and the NXP bootloaders are entered
	 * on request (the IDE's openmvpluginarduinodfubootloader.cpp: sysReset(true)). */
	bool to_bootloader = target != USB_BOOTLOADER;
	struct sp_port *p;
	int r = serialdev_open(port, OMV_DEBUG_BAUD, &p, err);
	if (r)
		return r;
	r = send_reset(rc, p, kind, to_bootloader, err);
	serialdev_close(p);
	if (!r && to_bootloader)
		run_log(rc, RUN_LOG_INFO, "asked the camera on %s to reboot into its bootloader", port);
	else if (!r)
		run_log(rc, RUN_LOG_INFO, "asked the camera on %s to restart; its bootloader is caught "
		        "as it starts", port);
	return r;
}
