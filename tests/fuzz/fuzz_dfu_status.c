/* fuzz_dfu_status.c — libFuzzer target for the DFU and DfuSe state machines driven by
 * whatever the device answers: GETSTATUS and GETSTATE replies (status, poll timeout,
 * state), stalls, short frames, a device that vanishes or stays busy, during prepare,
 * download, manifestation, upload, DfuSe erase/write/upload and leave (src/proto/dfu*.c).
 * Input: byte 0 picks the operation and its size, the rest is the device (fuzz_device.h). */
#include <string.h>

#include "fuzz_device.h"
#include "proto/dfu.h"
#include "proto/dfuse.h"
#include "proto/dfuse_mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static libusb_device_handle *const fake_handle = (libusb_device_handle *)&fake_handle;
static uint8_t image[3 * 4096 + 17];
static uint8_t readback[3 * 4096 + 17];

/* An STM32H7 ROM's internal flash string (reference dfu-dfuse-picoboot-samba.md §1.7). */
static const char h7_layout[] = "@Internal Flash   /0x08000000/16*128Kg";

static void dfuse_ops(uint8_t op, size_t len)
{
	struct rs_error err;
	static struct dfuse_layout l;
	if (dfuse_layout_parse(h7_layout, &l, &err) != RS_OK)
		__builtin_trap(); /* the fixed string must parse: the target is broken otherwise */
	size_t got;
	switch (op % 4) {
	case 0: dfuse_write(fake_handle, 0, &l, 2048, 0x08040000, image, len, 0, NULL, NULL, &err); break;
	case 1: dfuse_upload(fake_handle, 0, 2048, 0x08040000, readback, len, &got, NULL, &err); break;
	case 2: dfuse_leave(fake_handle, 0, 0x08040000, &err); break;
	default: dfuse_mass_erase(fake_handle, 0, 0, &err); break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint8_t op = data[0];
	size_t len = 1 + (size_t)data[1] * 53u % sizeof image;
	memset(image, 0xA5, sizeof image);
	fuzz_device_begin(data + 2, size - 2);
	struct rs_error err;
	struct dfu_status st;
	size_t got;
	switch (op % 6) {
	case 0: dfu_prepare(fake_handle, 0, op >> 4, &err); break;
	case 1: dfu_download(fake_handle, 0, 4096, image, len, op & 0x10, NULL, &err); break;
	case 2: dfu_upload(fake_handle, 0, 4096, readback, len, &got, NULL, &err); break;
	case 3: dfu_wait_while_busy(fake_handle, 0, DFU_BUSY_MANIFEST, NULL, 5000, &st, &err); break;
	case 4: dfu_parse_status(data + 2, (int)(size - 2), &st, &err); break;
	default: dfuse_ops(op >> 3, len); break;
	}
	fuzz_device_end();
	return 0;
}
