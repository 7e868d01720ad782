/* omv_reset.h — asking running OpenMV firmware to reboot into its bootloader, over its
 * USB CDC serial port (reference alif-isp-openmv-ide-n6.md §2.4).
 *
 * The ways, chosen by the caller from what the running firmware shows:
 *  - protocol v2 (firmware 5.x): at 921600 baud with DTR on, SYNC (answered by an ACK
 *    packet), then SYS_BOOT (0x11, into the bootloader) or SYS_RESET (0x10, a plain reset
 *    through the bootloader's power-up window); no reply, the camera reboots;
 *  - protocol v1 "USBDBG" (firmware 4.8.1 and older): at 921600 baud, the 6-byte frame
 *    30 0E 00 00 00 00 (SYS_RESET_TO_BL) or 30 0C 00 00 00 00 (SYS_RESET, plain); no reply
 *    (common/usbdbg.h of openmv/openmv v4.8.1);
 *  - the 1200-baud touch (Arduino boards; also honoured by TinyUSB-based OpenMV ports).
 * Not every v1 firmware survives a v2 frame: the TinyUSB ports of 4.4.0 .. 4.7.0 read 6-byte
 * headers and stop dead (__fatal_error) on one that does not start with 0x30; 4.8.x drops it
 * whole (common/tinyusb_debug.c).  So the v2 probe here is the SYNC padded to 12 bytes: two
 * whole 6-byte headers, neither starting with 0x30, that 4.8.x drops and leaves the next v1
 * frame in step, while the STM32 stack ignores a transfer not starting with 0x30 (OpenMV IDE,
 * openmvpluginio.cpp checkProtocolVerison()).  Firmware that may be 4.4 .. 4.7 (1209:ABD1)
 * must get no v2 byte at all: the caller sends v1 only.
 * The module only speaks on an already opened port; it never prints and knows no board.
 */
#ifndef RESCUE_OMV_RESET_H
#define RESCUE_OMV_RESET_H

#include <libserialport.h>
#include <stdbool.h>
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

/* Protocol v2 probe: the padded SYNC, then wait up to timeout_ms for its ACK.  0 when the
 * firmware speaks v2, RS_E_TIMEOUT when no valid ACK arrives (v1 firmware 4.8.x). */
int omv_probe_v2(struct sp_port *port, int timeout_ms, struct rs_error *err);

/* After a successful probe: SYS_BOOT (to_bootloader) or SYS_RESET. */
int omv_reset_v2(struct sp_port *port, bool to_bootloader, struct rs_error *err);

/* Protocol v1: the SYS_RESET_TO_BL frame (to_bootloader) or the SYS_RESET frame. */
int omv_reset_v1(struct sp_port *port, bool to_bootloader, struct rs_error *err);

#endif
