/*
 * OpenMV v2 framing and CRCs (see omv_wire.h). Bit-by-bit CRCs: slow but obviously the
 * textbook MSB-first algorithm with the parameters from the reference.
 */
#include <string.h>

#include "omv_wire.h"

uint16_t omv_wire_crc16(uint16_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint16_t)(p[i] << 8);
        for (int bit = 0; bit < 8; bit++)
            crc = (crc & 0x8000u) ? (uint16_t)((crc << 1) ^ 0xF94Fu) : (uint16_t)(crc << 1);
    }
    return crc;
}

uint32_t omv_wire_crc32(uint32_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint32_t)p[i] << 24;
        for (int bit = 0; bit < 8; bit++)
            crc = (crc & 0x80000000u) ? (crc << 1) ^ 0xFA567D89u : crc << 1;
    }
    return crc;
}

static void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

size_t omv_v2_build(uint8_t *out, size_t cap, uint8_t seq, uint8_t channel, uint8_t flags,
                    uint8_t opcode, const void *payload, uint16_t length)
{
    size_t total = OMV_V2_HEADER_SIZE + (length ? (size_t)length + 4 : 0);
    if (cap < total)
        return 0;
    out[0] = 0xAA;
    out[1] = 0xD5;
    out[2] = seq;
    out[3] = channel;
    out[4] = flags;
    out[5] = opcode;
    put_le16(out + 6, length);
    put_le16(out + 8, omv_wire_crc16(OMV_V2_CRC16_INIT, out, 8));
    if (length) {
        memcpy(out + OMV_V2_HEADER_SIZE, payload, length);
        uint32_t c = omv_wire_crc32(OMV_V2_CRC32_INIT, payload, length);
        uint8_t *t = out + OMV_V2_HEADER_SIZE + length;
        t[0] = (uint8_t)c;
        t[1] = (uint8_t)(c >> 8);
        t[2] = (uint8_t)(c >> 16);
        t[3] = (uint8_t)(c >> 24);
    }
    return total;
}

bool omv_v2_parse_header(const uint8_t *h, struct omv_v2_header *out)
{
    if (h[0] != 0xAA || h[1] != 0xD5)
        return false;
    out->seq = h[2];
    out->channel = h[3];
    out->flags = h[4];
    out->opcode = h[5];
    out->length = (uint16_t)(h[6] | h[7] << 8);
    out->crc = (uint16_t)(h[8] | h[9] << 8);
    out->crc_ok = out->crc == omv_wire_crc16(OMV_V2_CRC16_INIT, h, 8);
    return true;
}
