/* crc16.h — CRC-16/XMODEM, the checksum of the SAM-BA "Z" command.
 *
 * Polynomial 0x1021, MSB first, initial value 0, no reflection, no final XOR: reference
 * dfu-dfuse-picoboot-samba.md §3.4 ("123456789" gives 0x31C3).  The same CRC closes each
 * XMODEM block, which bossac uses only on non-USB ports.
 */
#ifndef RESCUE_CRC16_H
#define RESCUE_CRC16_H

#include <stddef.h>
#include <stdint.h>

#define CRC16_XMODEM_INIT 0x0000

/* Continue a CRC-16/XMODEM over data[0..len); start with crc = CRC16_XMODEM_INIT. */
uint16_t crc16_xmodem_update(uint16_t crc, const uint8_t *data, size_t len);

/* The CRC-16/XMODEM of data[0..len). */
uint16_t crc16_xmodem(const uint8_t *data, size_t len);

#endif
