/* serialside_fw.c — the running firmware's serial port: a CDC ACM tty below the firmware's
 * USB identity (tests/sim/model_firmware.c), played by the OpenMV model (debug protocol v2,
 * v1, 1200-baud touch; reference alif-isp-openmv-ide-n6.md §2.4) or, on the Arduino boards,
 * by the Arduino model (the touch; reference dfu-dfuse-picoboot-samba.md §3.1).  When the
 * model reboots, the camera re-enumerates as its bootloader (camera_reboot_to_bootloader). */
#include "serialside_priv.h"

#include "model_arduino.h"
#include "model_openmv.h"

/* On the model's port thread: the worker acts, so that no port thread waits for the bus. */
static void reboot_requested(void *ctx, const char *reason)
{
	struct side_cam *c = ctx;
	(void)reason;
	side_post(c, JOB_REBOOT_TO_BOOTLOADER, c->fw_dev, 0);
}

void side_fw_enter(struct side_cam *c, struct usbsim_dev *dev)
{
	const struct camera_type *t = camera_type_of(c->cam);
	struct ttysim_config port = {
		.driver = TTYSIM_CDC_ACM, .index = -1, .vid = t->rt_vid, .pid = camera_runtime_pid(c->cam),
		.product = t->display, .serial = camera_serial(c->cam),
		.usb_parent = usbsim_syspath(dev), .ifnum = SIDE_CDC_TTY_IFNUM,
	};
	struct tty_model_hooks hooks = {.request_reboot_to_bootloader = reboot_requested, .ctx = c};
	c->fw_dev = dev;
	if (t->rt_vid == ARDUINO_VID) {
		/* Arduino boards honour the touch only: any reset= without it ignores resets */
		bool ignore = c->o.ignore_reset || (c->o.reset && !(c->o.reset & OMV_RESET_TOUCH));
		struct arduino_fw_config cfg = {.port = port, .fault = ignore ? TTY_FAULT_IGNORE_RESET : TTY_FAULT_NONE,
		                                .hooks = hooks};
		c->ard = arduino_fw_add(c->side->tb, &cfg);
	} else {
		struct omv_fw_config cfg = {.port = port, .reset_methods = c->o.reset,
		                            .fault = c->o.ignore_reset ? TTY_FAULT_IGNORE_RESET : TTY_FAULT_NONE,
		                            .hooks = hooks};
		c->omv = omv_fw_add(c->side->tb, &cfg);
	}
}

void side_fw_leave(struct side_cam *c)
{
	omv_fw_free(c->omv); /* the tty goes first: it hangs below the USB identity */
	arduino_fw_free(c->ard);
	c->omv = NULL;
	c->ard = NULL;
	c->fw_dev = NULL;
}
