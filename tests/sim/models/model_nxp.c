/* The NXP models' HID identity (see model_nxp.h). */
#include <string.h>

#include "model_nxp.h"

/* Report descriptor in the layout the reference gives for the ROM (§1.1): vendor page
 * 0xFF00, usage 1, one application collection, per report "ID, usage 1..1, logical
 * 0..255, size, count, Input/Output (Data,Var,Abs)". */
static size_t report_descriptor(uint8_t *d, const struct nxp_report *r, int n)
{
	size_t k = 0;
	const uint8_t head[] = {0x06, 0x00, 0xFF, 0x09, 0x01, 0xA1, 0x01};
	memcpy(d, head, sizeof head);
	k = sizeof head;
	for (int i = 0; i < n; i++) {
		const uint8_t item[] = {0x85, r[i].id, 0x19, 0x01, 0x29, 0x01, 0x15, 0x00, 0x26, 0xFF, 0x00};
		memcpy(d + k, item, sizeof item);
		k += sizeof item;
		unsigned size = 8, count = r[i].bytes;
		if (count > 255 && count % 16 == 0 && count / 16 <= 255) /* §1.1: 1024 bytes as 128 bits x 64 */
			size = 128, count /= 16;
		d[k++] = 0x75;
		d[k++] = (uint8_t)size;
		if (count > 255) {
			d[k++] = 0x96;
			d[k++] = (uint8_t)count;
			d[k++] = (uint8_t)(count >> 8);
		} else {
			d[k++] = 0x95;
			d[k++] = (uint8_t)count;
		}
		d[k++] = r[i].input ? 0x81 : 0x91;
		d[k++] = 0x02;
	}
	d[k++] = 0xC0;
	return k;
}

struct usbsim_dev *nxp_hid_plug(struct camera *cam, uint16_t vid, uint16_t pid, const char *manufacturer,
				const char *product, const struct nxp_report *reports, int n, bool with_out,
				const struct usbsim_model_ops *ops, void *model)
{
	struct usbsim_identity id = {.speed_mbps = 480};
	struct usbdesc d;
	uint8_t rd[256];
	size_t rd_len = report_descriptor(rd, reports, n);
	/* HID class descriptor: bcdHID 1.11, one report descriptor of rd_len bytes */
	const uint8_t hid[9] = {9, 0x21, 0x11, 0x01, 0, 1, 0x22, (uint8_t)rd_len, (uint8_t)(rd_len >> 8)};

	usbdesc_device(id.device_desc, 0, vid, pid, 0x0001);
	usbdesc_config_begin(&d, 1);
	usbdesc_interface(&d, 0, 0, with_out ? 2 : 1, 0x03, 0x00, 0x00, 0);
	usbdesc_raw(&d, hid, sizeof hid);
	/* the ROM: one interrupt IN endpoint of 64 bytes (§1.1); the flashloader also has an
	 * interrupt OUT endpoint (§2.1) */
	usbdesc_endpoint(&d, NXP_EP_IN, 0x03, with_out ? 1024 : 64, 1);
	if (with_out)
		usbdesc_endpoint(&d, NXP_EP_OUT, 0x03, 1024, 1);
	usbdesc_config_end(&d);
	id.config_desc = d.buf;
	id.config_len = d.len;
	id.strings[1] = manufacturer;
	id.strings[2] = product;
	id.strings[3] = cam->serial;
	id.kernel_driver[0] = "usbhid";
	id.hid_report_desc = rd;
	id.hid_report_len = rd_len;
	return usbsim_plug(cam->sim, cam->port, &id, ops, model);
}

bool nxp_is_set_report(const struct usbsim_ctrl *rq)
{
	/* HID 1.11 §7.2.2: class request to the interface, SET_REPORT, report type Output */
	return rq->bmRequestType == 0x21 && rq->bRequest == 0x09 && (rq->wValue >> 8) == 0x02;
}
