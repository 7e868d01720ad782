/* serialside_fw.c — the running firmware's serial port: a CDC ACM tty below the firmware's
 * USB identity (tests/sim/model_firmware.c), played by the OpenMV model (debug protocol v2,
 * v1, 1200-baud touch; reference alif-isp-openmv-ide-n6.md §2.4) or, on the Arduino boards,
 * by the Arduino model (the touch; reference dfu-dfuse-picoboot-samba.md §3.1).  When the
 * model reboots, the camera re-enumerates as its bootloader (camera_reboot_to_bootloader). */
#include "serialside_priv.h"

#include "model_arduino.h"
#include "model_openmv.h"

#include <string.h>

/* On the model's port thread: the worker acts, so that no port thread waits for the bus.
 * A plain reset ("v1-reset", "v2-reset") goes through the bootloader's power-up window. */
static void reboot_requested(void *ctx, const char *reason)
{
	struct side_cam *c = ctx;
	bool plain = strstr(reason, "-reset") != NULL;
	side_post(c, plain ? JOB_RESET : JOB_REBOOT_TO_BOOTLOADER, c->fw_dev, 0);
}

/* The debug channel of the firmware version the camera was given (fw=, model_openmv.h).
 * TinyUSB carries it on the RT1062 and the AE3 (the audit of openmv/openmv v4.4.0..v4.8.1);
 * the STM32 boards use ST's stack. */
static void fw_channel(const struct side_cam *c, struct omv_fw_config *cfg)
{
	const struct camera_type *t = camera_type_of(c->cam);
	bool tinyusb = t->nxp || t->ext_boot == CAM_EXT_ALIF_SE;
	unsigned touch = tinyusb ? OMV_RESET_TOUCH : 0; /* tud_cdc_line_coding_cb: 1200 baud */
	switch (camera_firmware(c->cam)) {
	case CAMERA_FW_ANY:
		return;
	case CAMERA_FW_4_4:
		cfg->rx = tinyusb ? OMV_V1_RX_TINYUSB_FATAL : OMV_V1_RX_STMUSB;
		cfg->reset_methods = OMV_RESET_V1 | touch;
		break;
	case CAMERA_FW_4_8_0:
	case CAMERA_FW_4_8_1:
		cfg->rx = tinyusb ? OMV_V1_RX_TINYUSB : OMV_V1_RX_STMUSB;
		cfg->reset_methods = OMV_RESET_V1 | touch;
		break;
	case CAMERA_FW_V2:
		cfg->reset_methods = OMV_RESET_V2 | touch; /* the touch on v2 firmware: [I] */
		break;
	}
	if (c->o.reset) /* reset= narrows what the version offers */
		cfg->reset_methods &= c->o.reset;
	if (!cfg->reset_methods)
		cfg->reset_methods = OMV_RESET_V1; /* never 0 (= all); the mask is v1 anyway then */
}

void side_fw_enter(struct side_cam *c, struct usbsim_dev *dev)
{
	const struct camera_type *t = camera_type_of(c->cam);
	struct ttysim_config port = {
		.driver = TTYSIM_CDC_ACM, .index = -1, .vid = camera_runtime_vid(c->cam), .pid = camera_runtime_pid(c->cam),
		.product = t->display, .serial = camera_serial(c->cam),
		.usb_parent = usbsim_syspath(dev), .ifnum = SIDE_CDC_TTY_IFNUM,
	};
	struct tty_model_hooks hooks = {.request_reboot_to_bootloader = reboot_requested, .ctx = c};
	c->fw_dev = dev;
	if (t->rt_vid == ARDUINO_VID && camera_is_sketch(c->cam)) {
		/* an Arduino sketch honours the touch only: any reset= without it ignores resets */
		bool ignore = c->o.ignore_reset || (c->o.reset && !(c->o.reset & OMV_RESET_TOUCH));
		struct arduino_fw_config cfg = {.port = port, .fault = ignore ? TTY_FAULT_IGNORE_RESET : TTY_FAULT_NONE,
		                                .hooks = hooks};
		c->ard = arduino_fw_add(c->side->tb, &cfg);
	} else {
		/* OpenMV firmware, also on the Arduino boards: the debug protocol and the touch */
		struct omv_fw_config cfg = {.port = port, .reset_methods = c->o.reset,
		                            .fault = c->o.ignore_reset ? TTY_FAULT_IGNORE_RESET : TTY_FAULT_NONE,
		                            .hooks = hooks};
		if (t->rt_vid == ARDUINO_VID) {
			cfg.port.manufacturer = "Arduino";
			if (t->ext_boot != CAM_EXT_SAMBA && t->ext_boot != CAM_EXT_BOOTSEL)
				cfg.rx = OMV_V1_RX_STMUSB; /* Portenta, Giga, Nicla: STM32 */
		}
		fw_channel(c, &cfg);
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
