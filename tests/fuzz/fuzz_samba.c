/* fuzz_samba.c — libFuzzer target for the SAM-BA monitor's replies (src/proto/samba.c):
 * the version and chip strings, acknowledgements, read data, CRC answers, a board that
 * stops talking or hangs up mid-reply.  The serial port is a pipe holding the input: the
 * board says exactly the input and then hangs up (fuzz_device.h). */
#include <string.h>

#include "fuzz_device.h"
#include "proto/samba.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sp_port *const fake_port = (struct sp_port *)&fake_port;
static uint8_t image[2 * 4096 + 5];
static uint8_t buf[600];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint8_t op = data[0];
	size_t len = 1 + (size_t)data[1] * 37u % sizeof image;
	memset(image, 0x3C, sizeof image);
	fuzz_device_begin(data + 2, size - 2);
	struct rs_error err;
	struct samba s;
	struct samba_flash_result res;
	uint16_t crc;
	if (samba_connect(&s, fake_port, &err) == RS_OK) {
		switch (op % 5) {
		case 0: samba_read(&s, 0x10000, buf, 1 + op % sizeof buf, &err); break;
		case 1: samba_checksum(&s, 0x26000, 4096, &crc, &err); break;
		case 2: samba_flash(&s, 0x16000, image, len, NULL, &res, &err); break;
		case 3: samba_chip_erase(&s, 0x16000, &err); break;
		default: samba_reset(&s, &err); break;
		}
	}
	fuzz_device_end();
	return 0;
}
