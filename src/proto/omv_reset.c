/* omv_reset.c — see omv_reset.h. */
#include "io/serial_io.h"
#include "omv_reset.h"

#include <string.h>

#define V2_SYNC0 0xAA /* sync word 0xD5AA, little-endian on the wire (§2.4) */
#define V2_SYNC1 0xD5
#define V2_FLAG_ACK 0x01
#define V2_OP_SYNC 0x00
#define V2_OP_SYS_RESET 0x10
#define V2_OP_SYS_BOOT 0x11
#define V1_SYS_RESET 0x0C       /* common/usbdbg.h of openmv/openmv v4.8.1 */
#define V1_SYS_RESET_TO_BL 0x0E
#define V1_HEADER_SIZE 6        /* TinyUSB ports read the debug channel 6 bytes at a time */

uint16_t omv_crc16(const uint8_t *p, size_t n)
{
	uint16_t crc = 0xFFFF;
	for (size_t i = 0; i < n; i++) {
		crc ^= (uint16_t)(p[i] << 8);
		for (int b = 0; b < 8; b++)
			crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0xF94F) : (uint16_t)(crc << 1);
	}
	return crc;
}

uint32_t omv_crc32(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		crc ^= (uint32_t)p[i] << 24;
		for (int b = 0; b < 8; b++)
			crc = (crc & 0x80000000u) ? (crc << 1) ^ 0xFA567D89u : crc << 1;
	}
	return crc;
}

size_t omv_v2_packet(uint8_t out[10], uint8_t seq, uint8_t channel, uint8_t flags, uint8_t opcode)
{
	out[0] = V2_SYNC0;
	out[1] = V2_SYNC1;
	out[2] = seq;
	out[3] = channel;
	out[4] = flags;
	out[5] = opcode;
	out[6] = out[7] = 0; /* payload length 0 */
	uint16_t crc = omv_crc16(out, 8);
	out[8] = (uint8_t)crc;
	out[9] = (uint8_t)(crc >> 8);
	return 10;
}

static int write_all(struct sp_port *port, const uint8_t *p, size_t n, struct rs_error *err)
{
	enum sp_return r = serial_io_write(port, p, n, 1000);
	if (r < 0 || (size_t)r != n)
		return rs_fail(err, RS_E_IO, "could not write to the camera's serial port");
	serial_io_drain(port);
	return 0;
}

int omv_probe_v2(struct sp_port *port, int timeout_ms, struct rs_error *err)
{
	/* 10 bytes of SYNC and 2 of padding: two whole 6-byte v1 headers (see omv_reset.h);
	 * the padding (zeros, not 0x30) is skipped by the v2 receiver's search for AA D5. */
	uint8_t pkt[2 * V1_HEADER_SIZE] = {0}, buf[64];
	serial_io_flush(port, SP_BUF_INPUT);
	omv_v2_packet(pkt, 0, 0, 0, V2_OP_SYNC);
	int r = write_all(port, pkt, sizeof pkt, err);
	if (r)
		return r;
	/* Look for a valid ACK header anywhere in what comes back within the timeout. */
	size_t have = 0;
	int waited = 0;
	while (waited < timeout_ms) {
		enum sp_return got = serial_io_read(port, buf + have, sizeof buf - have, 20);
		waited += 20;
		if (got > 0)
			have += (size_t)got;
		for (size_t i = 0; i + 10 <= have; i++) {
			const uint8_t *h = buf + i;
			if (h[0] == V2_SYNC0 && h[1] == V2_SYNC1 && (h[4] & V2_FLAG_ACK) &&
			    omv_crc16(h, 8) == (uint16_t)(h[8] | h[9] << 8))
				return 0;
		}
		if (have == sizeof buf) { /* keep the tail, where a header may start */
			memmove(buf, buf + have - 9, 9);
			have = 9;
		}
	}
	return rs_fail(err, RS_E_TIMEOUT, "the camera did not answer the protocol-v2 SYNC");
}

int omv_reset_v2(struct sp_port *port, bool to_bootloader, struct rs_error *err)
{
	uint8_t pkt[10];
	omv_v2_packet(pkt, 0, 0, 0, to_bootloader ? V2_OP_SYS_BOOT : V2_OP_SYS_RESET);
	return write_all(port, pkt, sizeof pkt, err);
}

int omv_reset_v1(struct sp_port *port, bool to_bootloader, struct rs_error *err)
{
	const uint8_t frame[V1_HEADER_SIZE] = {0x30, to_bootloader ? V1_SYS_RESET_TO_BL : V1_SYS_RESET, 0, 0, 0, 0};
	return write_all(port, frame, sizeof frame, err);
}
