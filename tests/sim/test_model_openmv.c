/*
 * The OpenMV running-firmware model driven through the real libserialport: run-time IDs,
 * reset to the bootloader by protocol v1, protocol v2 and the 1200-baud line coding, the
 * cases that must NOT reset, the reset-method mask, and the fault modes.
 * Protocol facts: alif-isp-openmv-ide-n6.md §2.2 and §2.4.
 */
#include <string.h>

#include <glib.h>

#include "model_openmv.h"
#include "omv_wire.h"
#include "tty_testlib.h"

static UMockdevTestbed *tb;
static struct test_host host;

static const uint8_t v1_reset[6] = {0x30, 0x0E, 0x00, 0x00, 0x00, 0x00};

static struct omv_fw_model *make(unsigned methods, enum tty_fault fault)
{
    test_host_destroy(&host);
    test_host_init(&host);
    struct omv_fw_config cfg = {
        .port = {.index = -1, .serial = "OMV0001"},
        .reset_methods = methods, .fault = fault, .hooks = test_host_hooks(&host)};
    return omv_fw_add(tb, &cfg);
}

static struct sp_port *open_at(struct omv_fw_model *m, int baud, bool dtr)
{
    struct sp_port *p = test_open(ttysim_devnode(omv_fw_port(m)));
    if (!p)
        return NULL;
    sp_set_baudrate(p, baud);
    /* A DTR ioctl returns only after the model has seen it, and it carries the baud rate
     * just set: after this call the model knows both. */
    sp_set_dtr(p, dtr ? SP_DTR_ON : SP_DTR_OFF);
    return p;
}

/* Writes and waits until the model has consumed the bytes. */
static bool send_all(struct omv_fw_model *m, struct sp_port *p, const void *buf, size_t len)
{
    struct ttysim_state st;
    ttysim_get_state(omv_fw_port(m), &st);
    return sp_blocking_write(p, buf, len, 1000) == (int)len &&
           ttysim_wait_rx(omv_fw_port(m), st.rx_bytes + len, 1000);
}

static size_t v2(uint8_t *out, uint8_t seq, uint8_t opcode)
{
    return omv_v2_build(out, 64, seq, 0, 0, opcode, NULL, 0);
}

static void finish(struct omv_fw_model *m, struct sp_port *p)
{
    test_close(p);
    omv_fw_free(m);
}

static void test_crc(void)
{
    /* With init 0, the CRC of one byte b is entry b of the MSB-first lookup table; these
     * entries are from openmv/openmv common/omv_crc.c. */
    uint8_t b1 = 1, b2 = 2, b255 = 255;
    tap_ok(omv_wire_crc16(0, &b1, 1) == 0xF94F && omv_wire_crc16(0, &b2, 1) == 0x0BD1 &&
               omv_wire_crc16(0, &b255, 1) == 0x551E,
           "CRC16 poly 0xF94F matches the firmware's table entries 1, 2, 255");
    tap_ok(omv_wire_crc32(0, &b1, 1) == 0xFA567D89u && omv_wire_crc32(0, &b2, 1) == 0x0EFA869Bu &&
               omv_wire_crc32(0, &b255, 1) == 0x25C4421Bu,
           "CRC32 poly 0xFA567D89 matches the firmware's table entries 1, 2, 255");
}

static void test_runtime_ids(void)
{
    struct omv_fw_model *m[OMV_RUNTIME_PID_COUNT];
    unsigned listed = 0;
    for (int i = 0; i < OMV_RUNTIME_PID_COUNT; i++) {
        struct omv_fw_config cfg = {.port = {.index = -1, .pid = omv_runtime_pids[i]}};
        m[i] = omv_fw_add(tb, &cfg);
    }
    for (int i = 0; i < OMV_RUNTIME_PID_COUNT; i++) {
        int vid = 0, pid = 0;
        struct sp_port *p = m[i] ? test_find_listed(ttysim_devnode(omv_fw_port(m[i]))) : NULL;
        if (p && sp_get_port_usb_vid_pid(p, &vid, &pid) == SP_OK && vid == OMV_VID &&
            pid == omv_runtime_pids[i])
            listed++;
        sp_free_port(p);
    }
    tap_ok(listed == OMV_RUNTIME_PID_COUNT, "all 8 run-time VID:PIDs listed (%u)", listed);
    for (int i = 0; i < OMV_RUNTIME_PID_COUNT; i++)
        omv_fw_free(m[i]);
}

static void test_v1(void)
{
    static const int bauds[2] = {921600, 12000000};
    for (int i = 0; i < 2; i++) {
        struct omv_fw_model *m = make(0, TTY_FAULT_NONE);
        struct sp_port *p = open_at(m, bauds[i], true);
        sp_blocking_write(p, v1_reset, sizeof(v1_reset), 1000);
        tap_ok(test_host_wait_reboots(&host, 1, 2000) == 1 && !strcmp(host.reason, "v1"),
               "v1 SYS_RESET_TO_BL at %d baud requests the bootloader", bauds[i]);
        finish(m, p);
    }

    struct omv_fw_model *m = make(0, TTY_FAULT_NONE);
    struct sp_port *p = open_at(m, 115200, true);
    struct omv_fw_stats st;
    send_all(m, p, v1_reset, sizeof(v1_reset));
    omv_fw_get_stats(m, &st);
    tap_ok(host.reboots == 0 && st.v1_frames == 0, "v1 frame at 115200 is ignored");
    finish(m, p);

    /* A data phase is payload, not commands: SCRIPT_EXEC (0x05) carrying the reset bytes. */
    m = make(0, TTY_FAULT_NONE);
    p = open_at(m, 921600, false);
    const uint8_t exec[6] = {0x30, 0x05, 6, 0, 0, 0};
    send_all(m, p, exec, sizeof(exec));
    send_all(m, p, v1_reset, sizeof(v1_reset));
    omv_fw_get_stats(m, &st);
    tap_ok(host.reboots == 0 && st.v1_frames == 1,
           "reset bytes inside a host data phase do not reset");
    send_all(m, p, v1_reset, 2);
    send_all(m, p, v1_reset + 2, 4);
    tap_ok(test_host_wait_reboots(&host, 1, 2000) == 1,
           "a reset frame split over two writes resets (DTR not needed for v1)");
    finish(m, p);
}

static bool valid_sync_ack(const uint8_t *r)
{
    struct omv_v2_header h;
    return omv_v2_parse_header(r, &h) && h.crc_ok && (h.flags & OMV_V2_FLAG_ACK) &&
           h.opcode == OMV_V2_OP_PROTO_SYNC && h.channel == 0 && h.seq == 0 && h.length == 0;
}

static void test_v2(void)
{
    uint8_t pkt[64], reply[16];
    struct omv_fw_stats st;
    struct omv_fw_model *m = make(0, TTY_FAULT_NONE);
    struct sp_port *p = open_at(m, 921600, true);
    size_t n = v2(pkt, 7, OMV_V2_OP_PROTO_SYNC);
    sp_blocking_write(p, pkt, n, 1000);
    int got = sp_blocking_read(p, reply, OMV_V2_HEADER_SIZE, 1000);
    tap_ok(got == OMV_V2_HEADER_SIZE && valid_sync_ack(reply),
           "v2 SYNC is answered by an ACK packet with a valid CRC [I: seq/opcode/channel 0]");
    n = v2(pkt, 0, OMV_V2_OP_SYS_BOOT);
    sp_blocking_write(p, pkt, n, 1000);
    tap_ok(test_host_wait_reboots(&host, 1, 2000) == 1 && !strcmp(host.reason, "v2"),
           "v2 SYS_BOOT after SYNC requests the bootloader");
    finish(m, p);

    m = make(0, TTY_FAULT_NONE);
    p = open_at(m, 921600, true);
    n = v2(pkt, 0, OMV_V2_OP_PROTO_SYNC);
    send_all(m, p, pkt, n);
    sp_blocking_read(p, reply, OMV_V2_HEADER_SIZE, 1000);
    n = v2(pkt, 0, OMV_V2_OP_SYS_BOOT);
    pkt[8] ^= 0x01; /* corrupt the header CRC */
    send_all(m, p, pkt, n);
    omv_fw_get_stats(m, &st);
    tap_ok(host.reboots == 0 && st.v2_bad_crc >= 1, "SYS_BOOT with a bad header CRC is ignored");
    n = v2(pkt, 5, OMV_V2_OP_SYS_BOOT);
    send_all(m, p, pkt, n);
    omv_fw_get_stats(m, &st);
    tap_ok(host.reboots == 0 && st.v2_seq_errors == 1,
           "SYS_BOOT with an unexpected sequence is ignored [I: no NAK modelled]");
    n = v2(pkt, 0, OMV_V2_OP_SYS_BOOT);
    send_all(m, p, pkt, n);
    tap_ok(test_host_wait_reboots(&host, 1, 2000) == 1,
           "the receiver resynchronises: a valid SYS_BOOT then reboots");
    finish(m, p);

    /* v2 needs 921600 and DTR. */
    m = make(0, TTY_FAULT_NONE);
    p = open_at(m, 921600, false);
    n = v2(pkt, 0, OMV_V2_OP_PROTO_SYNC);
    send_all(m, p, pkt, n);
    tap_ok(sp_blocking_read(p, reply, OMV_V2_HEADER_SIZE, 200) == 0,
           "with DTR off, SYNC gets no answer");
    n = v2(pkt, 0, OMV_V2_OP_SYS_BOOT);
    send_all(m, p, pkt, n);
    tap_ok(host.reboots == 0, "with DTR off, SYS_BOOT is ignored");
    sp_set_baudrate(p, 115200);
    sp_set_dtr(p, SP_DTR_ON);
    n = v2(pkt, 0, OMV_V2_OP_PROTO_SYNC);
    send_all(m, p, pkt, n);
    n = v2(pkt, 0, OMV_V2_OP_SYS_BOOT);
    send_all(m, p, pkt, n);
    omv_fw_get_stats(m, &st);
    tap_ok(host.reboots == 0 && st.v2_packets == 0, "at 115200, v2 is inactive");
    finish(m, p);
}

static void test_touch_and_methods(void)
{
    struct omv_fw_model *m = make(0, TTY_FAULT_NONE);
    struct sp_port *p = test_open(ttysim_devnode(omv_fw_port(m)));
    sp_set_baudrate(p, 1200);
    tap_ok(test_host_wait_reboots(&host, 1, 2000) == 1 && !strcmp(host.reason, "touch-1200"),
           "line coding 1200 requests the bootloader [C for v1 firmware, I for v2]");
    finish(m, p);

    uint8_t pkt[64];
    m = make(OMV_RESET_V1, TTY_FAULT_NONE);
    p = open_at(m, 921600, true);
    send_all(m, p, pkt, v2(pkt, 0, OMV_V2_OP_PROTO_SYNC));
    send_all(m, p, pkt, v2(pkt, 0, OMV_V2_OP_SYS_BOOT));
    tap_ok(host.reboots == 0 && sp_input_waiting(p) == 0, "v1-only firmware ignores v2");
    sp_set_baudrate(p, 1200);
    sp_set_dtr(p, SP_DTR_OFF);
    tap_ok(host.reboots == 0, "v1-only firmware ignores the 1200 baud touch");
    sp_set_baudrate(p, 921600);
    sp_blocking_write(p, v1_reset, sizeof(v1_reset), 1000);
    tap_ok(test_host_wait_reboots(&host, 1, 2000) == 1, "v1-only firmware resets by v1");
    finish(m, p);

    m = make(OMV_RESET_V2, TTY_FAULT_NONE);
    p = open_at(m, 921600, true);
    send_all(m, p, v1_reset, sizeof(v1_reset));
    tap_ok(host.reboots == 0, "v2-only firmware ignores v1");
    send_all(m, p, pkt, v2(pkt, 0, OMV_V2_OP_PROTO_SYNC));
    sp_blocking_write(p, pkt, v2(pkt, 0, OMV_V2_OP_SYS_BOOT), 1000);
    tap_ok(test_host_wait_reboots(&host, 1, 2000) == 1, "v2-only firmware resets by v2");
    finish(m, p);
}

static void test_faults(void)
{
    struct omv_fw_stats st;
    struct omv_fw_model *m = make(0, TTY_FAULT_IGNORE_RESET);
    struct sp_port *p = open_at(m, 921600, true);
    send_all(m, p, v1_reset, sizeof(v1_reset));
    omv_fw_get_stats(m, &st);
    tap_ok(host.reboots == 0 && st.common.resets_ignored == 1,
           "fault ignore-reset: the request is recognised but nothing happens");
    finish(m, p);

    m = make(0, TTY_FAULT_VANISH_MID_WRITE);
    p = open_at(m, 921600, true);
    sp_blocking_write(p, v1_reset, sizeof(v1_reset), 1000);
    tap_ok(ttysim_wait_removed(omv_fw_port(m), 2000) && host.vanishes == 1 && host.reboots == 0,
           "fault vanish: the port disappears without a reboot request");
    tap_ok(sp_blocking_write(p, v1_reset, sizeof(v1_reset), 200) < 0,
           "fault vanish: the next write fails");
    finish(m, p);

    uint8_t pkt[64], reply[16];
    m = make(0, TTY_FAULT_GARBAGE);
    p = open_at(m, 921600, true);
    sp_blocking_write(p, pkt, v2(pkt, 0, OMV_V2_OP_PROTO_SYNC), 1000);
    int got = sp_blocking_read(p, reply, OMV_V2_HEADER_SIZE, 1000);
    tap_ok(got == OMV_V2_HEADER_SIZE && !valid_sync_ack(reply),
           "fault garbage: SYNC is answered with 10 bytes that are not an ACK");
    send_all(m, p, pkt, v2(pkt, 0, OMV_V2_OP_SYS_BOOT));
    omv_fw_get_stats(m, &st);
    tap_ok(host.reboots == 0 && st.common.garbage_replies == 2, "fault garbage: no reboot");
    finish(m, p);
}

/* The host may remove the port right inside the reboot hook. */
struct holder {
    struct omv_fw_model *m;
};

static void remove_in_hook(void *ctx, const char *reason)
{
    (void)reason;
    struct holder *h = ctx;
    ttysim_remove(omv_fw_port(h->m));
}

static void test_remove_from_hook(void)
{
    struct holder h = {0};
    struct omv_fw_config cfg = {
        .port = {.index = -1},
        .hooks = {.request_reboot_to_bootloader = remove_in_hook, .ctx = &h}};
    h.m = omv_fw_add(tb, &cfg);
    if (!tap_ok(h.m != NULL, "model added"))
        return;
    struct sp_port *p = open_at(h.m, 921600, true);
    sp_blocking_write(p, v1_reset, sizeof(v1_reset), 1000);
    tap_ok(ttysim_wait_removed(omv_fw_port(h.m), 2000) &&
               test_find_listed(ttysim_devnode(omv_fw_port(h.m))) == NULL,
           "removing the port from inside the reboot hook works");
    finish(h.m, p);
}

int main(void)
{
    tb = test_testbed_new();
    test_host_init(&host);
    test_crc();
    test_runtime_ids();
    test_v1();
    test_v2();
    test_touch_and_methods();
    test_faults();
    test_remove_from_hook();
    test_host_destroy(&host);
    g_object_unref(tb);
    return tap_done();
}
