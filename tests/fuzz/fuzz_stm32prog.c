/* fuzz_stm32prog.c — libFuzzer target for the STM32 phase protocol's answers (src/proto/
 * stm32prog*.c, the N6 restore): GetPhase answers (phase id, address, detach flag, error
 * text), the alts a device lists, and the DFU status of each download, through the ROM
 * stage and the OpenBootloader stage.  The device is made of the input (fuzz_device.h). */
#include <string.h>

#include "fuzz_device.h"
#include "proto/stm32prog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static libusb_device_handle *const fake_handle = (libusb_device_handle *)&fake_handle;
static uint8_t blob[3000];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t op = data[0];
	struct rs_error err;
	struct stm32prog_phase ph;
	if (op % 3 == 0) { /* the pure decoder on raw bytes */
		stm32prog_parse_phase(data + 1, size - 1, &ph, &err);
		return 0;
	}
	memset(blob, 0x77, sizeof blob);
	/* The rows of OpenMV's FlashLayout.tsv (tests/data/n6): OpenBootloader, the flash
	 * loader, the bootloader on nor0. */
	const struct stm32prog_part parts[3] = {
		{.id = 0x01, .opt = "P", .name = "fsbl-openbl", .type = "Binary", .ip = "none",
		 .data = blob, .len = 1000},
		{.id = 0x03, .opt = "P", .name = "fsbl-extfl", .type = "Binary", .ip = "none",
		 .data = blob, .len = 900},
		{.id = 0x04, .opt = "P", .name = "fsbl-app", .type = "Binary", .ip = "nor0",
		 .offset = 0, .data = blob, .len = 2500},
	};
	fuzz_device_begin(data + 1, size - 1);
	static struct stm32prog_dev d;
	int written = 0;
	if (stm32prog_open(&d, fake_handle, 0, &err) == RS_OK) {
		if (op % 3 == 1)
			stm32prog_rom_stage(&d, &parts[0], NULL, NULL, &err);
		else
			stm32prog_obl_stage(&d, parts, 3, (op >> 2) & 1 ? STM32PROG_NOR_BY_SET_PHASE :
					    STM32PROG_NOR_BY_LAYOUT, NULL, NULL, &written, &err);
	}
	fuzz_device_end();
	return 0;
}
