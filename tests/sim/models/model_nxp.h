/* What the two NXP models share: the HID identity and the NXP fault hooks.
 * Facts: reference nxp-sdp-mboot.md (§1.1 ROM reports, §2.1 flashloader reports). */
#ifndef MODEL_NXP_H
#define MODEL_NXP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "camera_priv.h"

#define NXP_EP_IN 0x81
#define NXP_EP_OUT 0x01

/* One HID report declaration: ID, payload bytes, input or output. */
struct nxp_report {
	uint8_t id;
	uint16_t bytes;
	bool input;
};

/* Plug a HID device (one interface, a bound "usbhid" driver, interrupt IN, and interrupt OUT
 * when with_out) whose report descriptor declares reports[]. */
struct usbsim_dev *nxp_hid_plug(struct camera *cam, uint16_t vid, uint16_t pid, const char *manufacturer,
				const char *product, const struct nxp_report *reports, int n, bool with_out,
				const struct usbsim_model_ops *ops, void *model);

/* Is this control request a HID SET_REPORT (output)?  Then the report is rq->data. */
bool nxp_is_set_report(const struct usbsim_ctrl *rq);

#endif
