/* fuzz_picoboot.c — libFuzzer target for the RP2040 bootrom's PICOBOOT answers
 * (src/proto/picoboot.c): command acknowledgements, CMD_STATUS replies, read data, the ROM
 * magic and version, stalls and a device that vanishes, through identify, read and a
 * whole flash load.  The device is made of the input (fuzz_device.h). */
#include <string.h>

#include "fuzz_device.h"
#include "proto/picoboot.h"
#include "proto/uf2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static libusb_device_handle *const fake_handle = (libusb_device_handle *)&fake_handle;
static uint8_t image[2 * 4096 + 300];
static uint8_t buf[1024];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint8_t op = data[0];
	size_t len = 1 + (size_t)data[1] * 41u % sizeof image;
	memset(image, 0x5A, sizeof image);
	fuzz_device_begin(data + 2, size - 2);
	struct rs_error err;
	struct picoboot pb;
	struct picoboot_status st;
	unsigned rom;
	struct uf2_image img;
	if (picoboot_open(&pb, fake_handle, 1, 0x03, 0x84, &err) == RS_OK) {
		switch (op % 5) {
		case 0: picoboot_identify(&pb, &rom, &err); break;
		case 1: picoboot_read(&pb, PICOBOOT_FLASH_BASE, buf, 1 + op * 4u % sizeof buf, &err); break;
		case 2: picoboot_cmd_status(&pb, &st, &err); break;
		case 3: picoboot_reboot(&pb, 0, 0x20042000, 500, &err); break;
		default:
			if (uf2_image_from_bin(image, len, PICOBOOT_FLASH_BASE, &img, &err) == RS_OK) {
				picoboot_load_flash(&pb, &img, NULL, &err);
				uf2_image_free(&img);
			}
			break;
		}
	}
	fuzz_device_end();
	return 0;
}
