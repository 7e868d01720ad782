/* cli_info_nxp.c — what `openmv-rescue info` reads from the NXP MCU bootloader (the RT1062's
 * secure bootloader or RAM flashloader): its get-property values (reference nxp-sdp-mboot.md
 * §2.9).  get-property only reads; asking the version at once is also what keeps the secure
 * bootloader from booting the firmware. */
#include <jansson.h>
#include <libusb.h>
#include <stdio.h>

#include "io/usb_io.h"
#include "cli_list.h"
#include "exec_nxp_internal.h"
#include "hidio.h"
#include "identity.h"
#include "mboot.h"

static const struct { uint32_t tag; const char *name; } props[] = {
	{0x01, "current_version"}, {0x0B, "max_packet_size"}, {0x0E, "ram_start_address"},
	{0x0F, "ram_size"}, {0x10, "system_device_id"}, {0x11, "security_state"},
	{0x12, "unique_device_id"}, {0x18, "target_version"},
};

void cli_info_mboot(libusb_device_handle *h, const struct devinfo *d, json_t *o)
{
	int intf;
	struct rs_error e = {0};
	struct mboot_dev m;
	if (hidio_find_interface(h, &intf, &e))
		return;
	usb_io_set_auto_detach(h, 1); /* usbhid holds it; reattached on release */
	if (usb_io_claim(h, intf) || mboot_open(&m, h, intf, &e))
		return;
	json_t *p = json_object();
	uint32_t version = 0;
	for (size_t i = 0; i < sizeof props / sizeof props[0]; i++) {
		uint32_t v[4];
		int n = 0;
		if (mboot_get_property(&m, props[i].tag, 0, v, 4, &n, &e) || n < 1)
			continue; /* not every bootloader knows every property (status 10300) */
		if (props[i].tag == 0x01 || props[i].tag == 0x18) {
			char text[24];
			nxp_version_text(v[0], text, sizeof text);
			json_object_set_new(p, props[i].name, json_string(text));
			if (props[i].tag == 0x01)
				version = v[0];
		} else if (n > 1) {
			json_t *a = json_array();
			for (int k = 0; k < n; k++)
				json_array_append_new(a, json_sprintf("0x%08X", (unsigned)v[k]));
			json_object_set_new(p, props[i].name, a);
		} else {
			json_object_set_new(p, props[i].name, json_sprintf("0x%08X", (unsigned)v[0]));
		}
	}
	json_object_set_new(o, "mboot_properties", p);
	char why[300];
	if (d->board) {
		bool same = !identity_check_mboot(d->board, version, why, sizeof why);
		json_object_set_new(o, "identity", json_pack("{s:b, s:s}", "ok", same, "found", same ? "matches boards.ini" : why));
	}
	usb_io_release(h, intf);
}
