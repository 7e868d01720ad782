/* omv_reset.h — asking running OpenMV firmware to reboot into its bootloader, over its
 * USB CDC serial port (reference alif-isp-openmv-ide-n6.md §2.4).
 *
 * Three ways, tried by the caller in this order for OpenMV cameras:
 *  - protocol v2 (firmware 5.x): at 921600 baud with DTR on, SYNC (answered by an ACK
 *    packet), then SYS_BOOT; no reply, the camera reboots;
 *  - protocol v1 "USBDBG" (firmware 4.8 and older): at 921600 baud, the 6-byte frame
 *    30 0E 00 00 00 00 (SYS_RESET_TO_BL); no reply;
 *  - the 1200-baud touch (Arduino boards; also honoured by TinyUSB-based OpenMV ports).
 * The module only speaks on an already opened port; it never prints and knows no board.
 */
#ifndef RESCUE_OMV_RESET_H
#define RESCUE_OMV_RESET_H

#include <libserialport.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define OMV_DEBUG_BAUD 921600 /* USBDBG_BAUDRATE_SLOW and protocol v2's baud (§2.4) */

/* Protocol v2 CRCs (§2.4): CRC-16 poly 0xF94F init 0xFFFF, CRC-32 poly 0xFA567D89 init
 * 0xFFFFFFFF; both MSB-first, not reflected, no final XOR. */
uint16_t omv_crc16(const uint8_t *p, size_t n);
uint32_t omv_crc32(const uint8_t *p, size_t n);

/* Build a v2 packet with no payload into out (10 bytes); returns its length. */
size_t omv_v2_packet(uint8_t out[10], uint8_t seq, uint8_t channel, uint8_t flags, uint8_t opcode);

/* Protocol v2: SYNC, wait up to timeout_ms for the ACK, then SYS_BOOT.  RS_E_TIMEOUT when
 * no valid ACK arrives (firmware without protocol v2). */
int omv_reset_v2(struct sp_port *port, int timeout_ms, struct rs_error *err);

/* Protocol v1: the SYS_RESET_TO_BL frame. */
int omv_reset_v1(struct sp_port *port, struct rs_error *err);

#endif
