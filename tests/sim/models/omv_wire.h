/*
 * OpenMV debug protocol framing as the running firmware sees it, for the device model and
 * for the tests that talk to it. Facts: reference alif-isp-openmv-ide-n6.md §2.4.
 *
 * Protocol v1 ("USBDBG", firmware <= 4.8.x): 6-byte header 0x30, command, u32 LE length,
 * then a data phase of `length` bytes (host->device when bit 7 of the command is clear).
 *
 * Protocol v2 (firmware 5.x): 10-byte header
 *   sync u16 0xD5AA (AA D5 on the wire), sequence u8, channel u8, flags u8, opcode u8,
 *   payload length u16 LE, header CRC16 u16 LE over the first 8 bytes;
 * then, if length > 0, the payload and its CRC32 (u32 LE).
 * CRC16: poly 0xF94F, init 0xFFFF, MSB first, no final XOR.
 * CRC32: poly 0xFA567D89, init 0xFFFFFFFF, MSB first, no final XOR.
 */
#ifndef OMV_WIRE_H
#define OMV_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* v1 */
#define OMV_V1_HEADER 0x30
#define OMV_V1_CMD_SYS_RESET 0x0C      /* common/usbdbg.h of v4.8.1 */
#define OMV_V1_CMD_SYS_RESET_TO_BL 0x0E
#define OMV_V1_BAUD_SLOW 921600u
#define OMV_V1_BAUD_FAST 12000000u

/* v2 */
#define OMV_V2_BAUD 921600u
#define OMV_V2_HEADER_SIZE 10
#define OMV_V2_MAX_PAYLOAD 4096
#define OMV_V2_FLAG_ACK 0x01
#define OMV_V2_FLAG_NAK 0x02
#define OMV_V2_FLAG_RTX 0x04
#define OMV_V2_FLAG_ACK_REQ 0x08
#define OMV_V2_FLAG_FRAGMENT 0x10
#define OMV_V2_FLAG_EVENT 0x20
#define OMV_V2_OP_PROTO_SYNC 0x00
#define OMV_V2_OP_SYS_RESET 0x10
#define OMV_V2_OP_SYS_BOOT 0x11
#define OMV_V2_OP_SYS_EVENT 0x13
#define OMV_V2_CRC16_INIT 0xFFFFu
#define OMV_V2_CRC32_INIT 0xFFFFFFFFu

struct omv_v2_header {
    uint8_t seq, channel, flags, opcode;
    uint16_t length;
    uint16_t crc;       /* as received */
    bool crc_ok;        /* crc equals the CRC16 of the first 8 bytes */
};

/* Continue a CRC over len more bytes (start with the *_INIT value). */
uint16_t omv_wire_crc16(uint16_t crc, const void *buf, size_t len);
uint32_t omv_wire_crc32(uint32_t crc, const void *buf, size_t len);

/* Builds a complete v2 packet into out; returns its size, or 0 if cap is too small. */
size_t omv_v2_build(uint8_t *out, size_t cap, uint8_t seq, uint8_t channel, uint8_t flags,
                    uint8_t opcode, const void *payload, uint16_t length);

/* Decodes a header (the first 10 bytes of h); false if the sync word is wrong. */
bool omv_v2_parse_header(const uint8_t *h, struct omv_v2_header *out);

#endif
