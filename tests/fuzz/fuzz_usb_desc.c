/* fuzz_usb_desc.c — libFuzzer target for what a USB device says about itself: the
 * configuration, its interfaces and alternate settings, the DFU functional descriptor
 * among their extra bytes (src/proto/dfu_desc.c), the alt names with their DfuSe memory
 * layouts (dfuse_mem.c) and N6 phase ids (stm32prog.c), and the interface searches of the
 * PICOBOOT and phase-protocol modules.  The device is made of the input (fuzz_device.h). */
#include <stdlib.h>

#include "fuzz_config.h"
#include "fuzz_device.h"
#include "proto/dfu.h"
#include "proto/dfuse_mem.h"
#include "proto/picoboot.h"
#include "proto/stm32prog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static libusb_device_handle *const fake_handle = (libusb_device_handle *)&fake_handle;

static void descriptors(void)
{
	struct rs_error err;
	struct libusb_config_descriptor *cfg = fuzz_config_build();
	if (!cfg)
		return;
	uint8_t intf = cfg->interface[0].num_altsetting ?
		       cfg->interface[0].altsetting[0].bInterfaceNumber : 0;
	struct dfu_func_desc fd;
	dfu_find_func_desc(cfg, intf, &fd, &err);
	static struct dfu_alt alts[16];
	size_t n = 0;
	if (dfu_list_alts(fake_handle, cfg, intf, alts, 16, &n, &err) == RS_OK) {
		for (size_t i = 0; i < n && i < 16; i++) {
			static struct dfuse_layout l;
			if (dfuse_layout_parse(alts[i].name, &l, &err) == RS_OK) {
				uint32_t start, page;
				dfuse_layout_find(&l, 0x08000000);
				dfuse_layout_page(&l, 0x08040000, &start, &page);
				dfuse_layout_range_is(&l, 0x08000000, 0x20000, DFUSE_MEM_WRITABLE);
			}
			stm32prog_alt_id(alts[i].name);
		}
	}
	fuzz_config_free(cfg);
}

static void interface_searches(uint8_t which)
{
	struct rs_error err;
	if (which & 1) {
		int intf;
		uint8_t out, in;
		picoboot_find_interface(fake_handle, &intf, &out, &in, &err);
	} else {
		uint16_t intf;
		static struct stm32prog_dev d;
		if (stm32prog_dfu_interface(fake_handle, &intf, &err) == RS_OK)
			stm32prog_open(&d, fake_handle, intf, &err);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fuzz_device_begin(data + 1, size - 1);
	if (data[0] & 0x80)
		interface_searches(data[0]);
	else
		descriptors();
	fuzz_device_end();
	return 0;
}
