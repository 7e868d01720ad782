/* crc16.c — see crc16.h. */
#include "crc16.h"

uint16_t crc16_xmodem_update(uint16_t crc, const uint8_t *data, size_t len)
{
	/* Bitwise: a flash page is 4 KiB and the device itself takes far longer per page than
	 * these 32 Kbit shifts, so a table would buy nothing measurable. */
	for (size_t i = 0; i < len; i++) {
		crc ^= (uint16_t)(data[i] << 8);
		for (int k = 0; k < 8; k++)
			crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
	}
	return crc;
}

uint16_t crc16_xmodem(const uint8_t *data, size_t len)
{
	return crc16_xmodem_update(CRC16_XMODEM_INIT, data, len);
}
