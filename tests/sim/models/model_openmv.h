/*
 * Model of an OpenMV camera running its firmware: a CDC ACM port with the camera's run-time
 * VID:PID that can be told to reboot into its bootloader (reference
 * alif-isp-openmv-ide-n6.md §2.2 for the IDs, §2.4 for the commands):
 *
 *   OMV_RESET_V1     protocol v1: the frame 30 0E 00 00 00 00 (SYS_RESET_TO_BL), honoured
 *                    only while the line coding is 921600 or 12000000 baud; no reply.
 *   OMV_RESET_V2     protocol v2, active only at 921600 baud with DTR asserted: a SYNC
 *                    (opcode 0, channel 0, length 0, any sequence) resets the sequence to 0
 *                    and is answered by an ACK packet (seq 0, channel 0, opcode 0, flags ACK,
 *                    length 0); SYS_BOOT (0x11) on channel 0 with the expected sequence and a
 *                    valid header CRC reboots; no reply. Packets with a bad CRC are dropped.
 *   OMV_RESET_TOUCH  the line coding set to 1200 baud reboots (§2.4: TinyUSB-based v1 ports;
 *                    for v2 firmware this is inferred).
 * A plain reset (v1 SYS_RESET 0x0C, v2 SYS_RESET 0x10) reboots through the bootloader's
 * power-up window: the reason given to the hooks ends in "-reset" (common/usbdbg.h of
 * openmv/openmv v4.8.1; docs/protocol.md).
 *
 * How the v1 receiver takes the bytes depends on the firmware and its USB stack (rx):
 *   OMV_V1_RX_SCAN           the generic model: skips to the next 0x30 [kinder than any real one]
 *   OMV_V1_RX_TINYUSB_FATAL  TinyUSB ports (RT1062, AE3) of 4.4.0 .. 4.7.0: 6-byte headers
 *                            read whole; one not starting with 0x30 calls __fatal_error, an
 *                            endless loop: the port answers nothing, not even the touch, until
 *                            the camera is replugged (src/omv/common/tinyusb_debug.c of v4.4.0
 *                            .. v4.6.0, common/tinyusb_debug.c of v4.7.0)
 *   OMV_V1_RX_TINYUSB        4.8.x: the same 6-byte reads; a bad header is dropped whole, so a
 *                            10-byte v2 SYNC leaves the next frame 4 bytes out of step
 *                            (common/tinyusb_debug.c of v4.8.0, v4.8.1)
 *   OMV_V1_RX_STMUSB         the STM32 USB stack: one host transfer is one command, its first
 *                            byte checked, the rest ignored (openmv/qt-creator
 *                            openmvpluginio.cpp checkProtocolVerison(), "STM32 USBDBG Behavior")
 *
 * Not modelled: every other v1/v2 command gets no answer (they are consumed, v2 sequence
 * advances [inferred]); bytes outside the active protocol go to a silent REPL.
 */
#ifndef MODEL_OPENMV_H
#define MODEL_OPENMV_H

#include "model_common.h"

#define OMV_RESET_V1 0x1u
#define OMV_RESET_V2 0x2u
#define OMV_RESET_TOUCH 0x4u
#define OMV_RESET_ALL (OMV_RESET_V1 | OMV_RESET_V2 | OMV_RESET_TOUCH)

#define OMV_VID 0x37C5
/* Run-time PIDs: M4 1202, M7 1203, H7 1204, H7 Plus 124A, PureThermal 1205, N6 1206,
 * AE3 16E3, RT1062 1060 (§2.2). */
#define OMV_RUNTIME_PID_COUNT 8
extern const uint16_t omv_runtime_pids[OMV_RUNTIME_PID_COUNT];

enum omv_v1_rx { OMV_V1_RX_SCAN = 0, OMV_V1_RX_TINYUSB_FATAL, OMV_V1_RX_TINYUSB, OMV_V1_RX_STMUSB };

struct omv_fw_config {
    /* Port identity and placement. Unset fields default to: vid 37C5, pid 1204,
     * manufacturer "OpenMV", product "OpenMV Cam", serial "000000000000"; cdc_acm.
     * cb/ctx are taken over by the model. */
    struct ttysim_config port;
    unsigned reset_methods;     /* OMV_RESET_* mask; 0 = OMV_RESET_ALL */
    enum omv_v1_rx rx;
    enum tty_fault fault;
    struct tty_model_hooks hooks;
};

/* v2 and v1 traffic counters. */
struct omv_fw_stats {
    struct tty_model_stats common;
    unsigned v1_frames;         /* complete v1 headers parsed */
    unsigned v2_packets;        /* v2 packets with valid CRCs */
    unsigned v2_bad_crc;        /* headers or payloads dropped for a CRC mismatch */
    unsigned v2_seq_errors;     /* valid packets dropped for an unexpected sequence */
    unsigned v2_syncs;          /* SYNCs answered */
    unsigned v1_dropped;        /* 6-byte headers (or transfers) dropped for a bad first byte */
    bool crashed;               /* OMV_V1_RX_TINYUSB_FATAL met a bad header: dead until replug */
};

struct omv_fw_model;

/* Creates the port (ttysim_add) and the model; NULL on failure. */
struct omv_fw_model *omv_fw_add(UMockdevTestbed *tb, const struct omv_fw_config *cfg);
struct ttysim *omv_fw_port(struct omv_fw_model *m);
void omv_fw_get_stats(struct omv_fw_model *m, struct omv_fw_stats *st);
/* Removes the port if still there, frees it and the model. Not from a callback. */
void omv_fw_free(struct omv_fw_model *m);

#endif
