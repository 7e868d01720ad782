/* fuzz_omv_reset.c — libFuzzer target for what running OpenMV firmware answers to the
 * reset-to-bootloader requests of the debug protocol (src/proto/omv_reset.c): the v2 ACK
 * searched for in whatever bytes come back (noise, partial headers, bad CRCs, a port that
 * fails) after the v2 probe and the v2 SYS_BOOT/SYS_RESET, and the v1 frames' writes.  The serial port is made of the input (fuzz_device.h). */
#include "fuzz_device.h"
#include "proto/omv_reset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sp_port *const fake_port = (struct sp_port *)&fake_port;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fuzz_device_begin(data + 1, size - 1);
	struct rs_error err;
	bool to_bootloader = data[0] & 0x80;
	switch (data[0] % 3) { /* which request: the v1 frame, the v2 probe, a v2 reset */
	case 1:
		omv_reset_v1(fake_port, to_bootloader, &err);
		break;
	case 2:
		omv_probe_v2(fake_port, 40 * (1 + (data[0] >> 2) % 8), &err);
		break;
	default:
		omv_reset_v2(fake_port, to_bootloader, &err);
		break;
	}
	fuzz_device_end();
	return 0;
}
