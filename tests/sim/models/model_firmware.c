/* The running firmware's USB identity: a CDC ACM device with the runtime VID:PID
 * (seed 002 §10.7.5).  Only the USB side lives here: the serial port and the
 * debug protocol come from tests/sim/tty through camera_set_serial_hooks(). */
#include <stdlib.h>

#include "camera_priv.h"

/* CDC class requests (SET_LINE_CODING, SET_CONTROL_LINE_STATE, ...) are accepted;
 * the tty library sees the line settings through its own tty emulation. */
static int fw_control(void *model, struct usbsim_dev *dev, const struct usbsim_ctrl *rq, unsigned *delay_us)
{
	(void)model;
	(void)dev;
	(void)delay_us;
	if ((rq->bmRequestType & 0x60) != 0x20)
		return USBSIM_STALL;
	if (rq->bmRequestType & 0x80) { /* GET_LINE_CODING: 115200 8N1 */
		static const uint8_t lc[7] = {0x00, 0xC2, 0x01, 0x00, 0, 0, 8};
		int n = rq->wLength < 7 ? rq->wLength : 7;
		for (int i = 0; i < n; i++)
			rq->data[i] = lc[i];
		return n;
	}
	return 0;
}

static int fw_data_out(void *model, struct usbsim_dev *dev, uint8_t ep, const uint8_t *data, size_t len)
{
	(void)model;
	(void)dev;
	(void)ep;
	(void)data;
	return (int)len; /* swallowed: the serial side is the tty library's */
}

static const struct usbsim_model_ops fw_ops = {.control = fw_control, .data_out = fw_data_out};

struct usbsim_dev *model_firmware_plug(struct camera *cam)
{
	const struct camera_type *t = cam->type;
	struct usbsim_identity id = {.speed_mbps = 12};
	struct usbdesc d;
	/* CDC header, call management, ACM, union functional descriptors (CDC 1.2 §5.2.3) */
	static const uint8_t cdc_func[] = {5, 0x24, 0x00, 0x10, 0x01, 5, 0x24, 0x01, 0x00, 0x01,
					   4, 0x24, 0x02, 0x02, 5, 0x24, 0x06, 0x00, 0x01};
	static const uint8_t iad[] = {8, 0x0B, 0, 2, 0x02, 0x02, 0x01, 0};

	usbdesc_device(id.device_desc, 0xEF, camera_runtime_vid(cam), camera_runtime_pid(cam), 0x0100 /* A6 */);
	id.device_desc[5] = 0x02; /* IAD: class EF/02/01 */
	id.device_desc[6] = 0x01;
	usbdesc_config_begin(&d, 2);
	usbdesc_raw(&d, iad, sizeof iad);
	usbdesc_interface(&d, 0, 0, 1, 0x02, 0x02, 0x01, 0);
	usbdesc_raw(&d, cdc_func, sizeof cdc_func);
	usbdesc_endpoint(&d, 0x83, 0x03, 8, 16);
	usbdesc_interface(&d, 1, 0, 2, 0x0A, 0x00, 0x00, 0);
	usbdesc_endpoint(&d, 0x01, 0x02, 64, 0);
	usbdesc_endpoint(&d, 0x81, 0x02, 64, 0);
	usbdesc_config_end(&d);
	id.config_desc = d.buf;
	id.config_len = d.len;
	id.strings[1] = t->rt_vid == 0x2341 ? "Arduino" : "OpenMV";
	id.strings[2] = t->display;
	id.strings[3] = cam->serial;
	id.kernel_driver[0] = "cdc_acm";
	id.kernel_driver[1] = "cdc_acm";
	return usbsim_plug(cam->sim, cam->port, &id, &fw_ops, camera_keep(cam, calloc(1, 1)));
}
