/*
 * The Arduino running-firmware model through the real libserialport: the 1200-baud touch
 * (line coding 1200, then DTR low, at least 200 ms after the 1200 was set:
 * dfu-dfuse-picoboot-samba.md §3.1), what is not a touch, and the fault modes.
 */
#include <string.h>

#include <glib.h>

#include "model_arduino.h"
#include "tty_testlib.h"

static UMockdevTestbed *tb;
static struct test_host host;

static struct arduino_fw_model *make(uint16_t pid, enum tty_fault fault)
{
    test_host_destroy(&host);
    test_host_init(&host);
    struct arduino_fw_config cfg = {
        .port = {.index = -1, .pid = pid, .serial = "ARD0001"},
        .fault = fault, .hooks = test_host_hooks(&host)};
    return arduino_fw_add(tb, &cfg);
}

static const char *node(struct arduino_fw_model *m)
{
    return ttysim_devnode(arduino_fw_port(m));
}

static void test_ids(void)
{
    struct arduino_fw_model *a = make(0, TTY_FAULT_NONE);
    struct arduino_fw_model *b = make(ARDUINO_PID_SKETCH, TTY_FAULT_NONE);
    int vid = 0, pid = 0, vid2 = 0, pid2 = 0;
    struct sp_port *p = test_find_listed(node(a)), *q = test_find_listed(node(b));
    if (p)
        sp_get_port_usb_vid_pid(p, &vid, &pid);
    if (q)
        sp_get_port_usb_vid_pid(q, &vid2, &pid2);
    tap_ok(vid == 0x2341 && pid == 0x025b, "default run-time ID 2341:025b (%04x:%04x)", vid, pid);
    tap_ok(vid2 == 0x2341 && pid2 == 0x805b, "configured run-time ID 2341:805b");
    sp_free_port(p);
    sp_free_port(q);
    arduino_fw_free(a);
    arduino_fw_free(b);
}

/* arduino-cli's sequence: open, 1200 baud, DTR off, close (§3.1). */
static void test_touch(void)
{
    unsigned ok = 0, early = 0;
    for (int i = 0; i < 5; i++) {
        struct arduino_fw_model *m = make(0, TTY_FAULT_NONE);
        struct sp_port *p = test_open(node(m));
        uint64_t t0 = test_now_us();
        sp_set_baudrate(p, 1200);
        sp_set_dtr(p, SP_DTR_OFF);
        test_close(p);
        struct arduino_fw_stats st;
        if (test_host_wait_reboots(&host, 1, 2000) == 1 && !strcmp(host.reason, "touch-1200"))
            ok++;
        arduino_fw_get_stats(m, &st);
        if (st.common.reboot_time_us < st.armed_time_us + 200000 ||
            st.common.reboot_time_us < t0 + 200000)
            early++;
        arduino_fw_free(m);
    }
    tap_ok(ok == 5, "1200-baud touch requests the bootloader (%u/5)", ok);
    tap_ok(early == 0, "never before 200 ms after the 1200 line coding (%u early)", early);
}

static void test_dtr_held(void)
{
    struct arduino_fw_model *m = make(0, TTY_FAULT_NONE);
    struct sp_port *p = test_open(node(m));
    sp_set_baudrate(p, 1200);
    sp_set_dtr(p, SP_DTR_ON); /* the model has now seen the 1200 */
    tap_ok(test_host_wait_reboots(&host, 1, 400) == 0, "1200 with DTR still high: no reset");
    uint64_t t0 = test_now_us();
    sp_set_dtr(p, SP_DTR_OFF);
    tap_ok(test_host_wait_reboots(&host, 1, 1000) == 1 && host.reboot_us - t0 < 150000,
           "...DTR low later (200 ms already passed): reset at once");
    test_close(p);
    arduino_fw_free(m);

    m = make(0, TTY_FAULT_NONE);
    p = test_open(node(m));
    sp_set_baudrate(p, 115200);
    sp_set_dtr(p, SP_DTR_OFF);
    test_close(p);
    ttysim_wait_clients(arduino_fw_port(m), 0, 1000);
    struct arduino_fw_stats st;
    arduino_fw_get_stats(m, &st);
    tap_ok(st.armed_time_us == 0 && test_host_wait_reboots(&host, 1, 300) == 0,
           "DTR off at 115200 and close: no reset");
    arduino_fw_free(m);
}

static void test_faults(void)
{
    struct arduino_fw_model *m = make(0, TTY_FAULT_IGNORE_RESET);
    struct sp_port *p = test_open(node(m));
    sp_set_baudrate(p, 1200);
    sp_set_dtr(p, SP_DTR_OFF);
    struct arduino_fw_stats st = {0};
    for (int i = 0; i < 100 && st.common.resets_ignored == 0; i++) {
        test_sleep_ms(10);
        arduino_fw_get_stats(m, &st);
    }
    tap_ok(st.common.resets_ignored == 1 && host.reboots == 0,
           "fault ignore-reset: the touch is ignored");
    test_close(p);
    arduino_fw_free(m);

    m = make(0, TTY_FAULT_VANISH_MID_WRITE);
    p = test_open(node(m));
    sp_blocking_write(p, "hello", 5, 1000);
    tap_ok(ttysim_wait_removed(arduino_fw_port(m), 2000) && host.vanishes == 1,
           "fault vanish: the port disappears on the first write");
    tap_ok(sp_blocking_write(p, "x", 1, 200) < 0, "fault vanish: later writes fail");
    test_close(p);
    arduino_fw_free(m);

    m = make(0, TTY_FAULT_GARBAGE);
    p = test_open(node(m));
    char buf[8];
    sp_blocking_write(p, "abc", 3, 1000);
    tap_ok(sp_blocking_read(p, buf, 3, 1000) == 3, "fault garbage: writes get noise back");
    test_close(p);
    arduino_fw_free(m);
}

int main(void)
{
    tb = test_testbed_new();
    test_host_init(&host);
    test_ids();
    test_touch();
    test_dtr_held();
    test_faults();
    test_host_destroy(&host);
    g_object_unref(tb);
    return tap_done();
}
