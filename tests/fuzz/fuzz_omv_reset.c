/* fuzz_omv_reset.c — libFuzzer target for what running OpenMV firmware answers to the
 * reset-to-bootloader requests of the debug protocol (src/proto/omv_reset.c): the v2 ACK
 * searched for in whatever bytes come back (noise, partial headers, bad CRCs, a port that
 * fails), and the v1 frame's write.  The serial port is made of the input (fuzz_device.h). */
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
	if (data[0] & 1)
		omv_reset_v1(fake_port, &err);
	else
		omv_reset_v2(fake_port, 40 * (1 + data[0] % 8), &err);
	fuzz_device_end();
	return 0;
}
