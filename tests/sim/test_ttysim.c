/*
 * ttysim against the real libserialport, in process: listing with USB identity, opening,
 * modem lines, baud changes, the 1200-baud touch, data both ways, timers and hot-unplug.
 */
#include <string.h>

#include <glib.h>

#include "tty_testlib.h"

static struct test_log logbook;

static struct ttysim *add_port(UMockdevTestbed *tb, enum ttysim_driver drv, uint16_t vid,
                               uint16_t pid, const char *serial, int index)
{
    struct ttysim_config cfg = {
        .driver = drv, .index = index, .vid = vid, .pid = pid,
        .manufacturer = "OpenMV", .product = "OpenMV Cam", .serial = serial,
        .cb = {.event = test_log_event, .data = test_log_data}, .ctx = &logbook,
    };
    return ttysim_add(tb, &cfg);
}

static void test_listing(struct ttysim *acm, struct ttysim *ftdi, struct ttysim *ch341)
{
    int vid = 0, pid = 0;
    struct sp_port *p = test_find_listed("/dev/ttyACM0");
    tap_ok(p != NULL && strcmp(ttysim_devnode(acm), "/dev/ttyACM0") == 0,
           "cdc_acm port is listed as /dev/ttyACM0");
    if (p) {
        tap_ok(sp_get_port_transport(p) == SP_TRANSPORT_USB, "transport is USB");
        sp_get_port_usb_vid_pid(p, &vid, &pid);
        tap_ok(vid == 0x37c5 && pid == 0x1204, "VID:PID 37c5:1204 (got %04x:%04x)", vid, pid);
        const char *ser = sp_get_port_usb_serial(p);
        tap_ok(ser && strcmp(ser, "SIM0001") == 0, "serial SIM0001 (got %s)", ser ? ser : "-");
        const char *man = sp_get_port_usb_manufacturer(p), *prod = sp_get_port_usb_product(p);
        tap_ok(man && prod && !strcmp(man, "OpenMV") && !strcmp(prod, "OpenMV Cam"),
               "manufacturer and product strings");
        const char *desc = sp_get_port_description(p);
        tap_ok(desc && strstr(desc, "SIM0001"), "description names the serial (%s)",
               desc ? desc : "-");
        sp_free_port(p);
    }
    p = test_find_listed(ttysim_devnode(ftdi));
    vid = pid = 0;
    if (p)
        sp_get_port_usb_vid_pid(p, &vid, &pid);
    tap_ok(p && !strcmp(ttysim_name(ftdi), "ttyUSB0") && vid == 0x0403 && pid == 0x6015 &&
               sp_get_port_usb_serial(p) && !strcmp(sp_get_port_usb_serial(p), "FT0001"),
           "ftdi_sio bridge listed as ttyUSB0 with 0403:6015 and its serial");
    sp_free_port(p);
    p = test_find_listed(ttysim_devnode(ch341));
    vid = pid = 0;
    if (p)
        sp_get_port_usb_vid_pid(p, &vid, &pid);
    tap_ok(p && !strcmp(ttysim_name(ch341), "ttyUSB1") && vid == 0x1a86 && pid == 0x55d3,
           "ch341 bridge takes the next free name ttyUSB1 with 1a86:55d3");
    sp_free_port(p);
}

/* Waits up to 1 s for the port's line coding to become baud. */
static bool wait_baud(struct ttysim *port, unsigned baud)
{
    struct ttysim_state st;
    for (int i = 0; i < 100; i++) {
        ttysim_get_state(port, &st);
        if (st.baud == baud)
            return true;
        test_sleep_ms(10);
    }
    return false;
}

static void test_open_and_lines(struct ttysim *acm)
{
    struct ttysim_state st;
    unsigned from = test_log_count(&logbook);
    struct sp_port *p = test_open("/dev/ttyACM0");
    tap_ok(p != NULL, "sp_open succeeds");
    if (!p)
        return;
    ttysim_get_state(acm, &st);
    tap_ok(test_log_wait(&logbook, TTYSIM_EV_OPEN, from, 1000) >= 0 && st.clients == 1,
           "the model saw the open");
    tap_ok(st.dtr && st.rts, "opening raised DTR and RTS");

    sp_set_dtr(p, SP_DTR_OFF);
    ttysim_get_state(acm, &st);
    tap_ok(!st.dtr && st.rts, "sp_set_dtr(OFF) reached the model before returning");
    struct sp_port_config *cfg = NULL;
    enum sp_dtr dtr = SP_DTR_INVALID;
    sp_new_config(&cfg);
    if (sp_get_config(p, cfg) == SP_OK)
        sp_get_config_dtr(cfg, &dtr);
    sp_free_config(cfg);
    tap_ok(dtr == SP_DTR_OFF, "TIOCMGET reports DTR off");
    sp_set_rts(p, SP_RTS_OFF);
    sp_set_dtr(p, SP_DTR_ON);
    ttysim_get_state(acm, &st);
    tap_ok(st.dtr && !st.rts, "DTR on, RTS off");
    enum sp_signal sig = 0;
    tap_ok(sp_get_signals(p, &sig) == SP_OK && (sig & SP_SIG_CTS),
           "sp_get_signals works and shows CTS, as cdc_acm reports it [I: kernel driver]");

    /* Standard rate: tcsetattr bypasses the ioctl handler; packet mode reports it. */
    from = test_log_count(&logbook);
    sp_set_baudrate(p, 115200);
    int i = test_log_wait(&logbook, TTYSIM_EV_BAUD, from, 1000);
    tap_ok(i >= 0 && test_log_get(&logbook, (unsigned)i).baud == 115200,
           "baud change to 115200 seen by the model");
    /* 12000000 has no Bxxx constant: libserialport uses termios2 through ioctl(). */
    sp_set_baudrate(p, 12000000);
    ttysim_get_state(acm, &st);
    tap_ok(st.baud == 12000000, "non-standard 12000000 baud seen before sp_set_baudrate returns");
    sp_set_baudrate(p, 921600);
    tap_ok(wait_baud(acm, 921600), "back to a standard rate: 921600 seen");

    /* Data both ways. */
    struct ttysim_state before;
    ttysim_get_state(acm, &before);
    tap_ok(sp_blocking_write(p, "hello", 5, 1000) == 5 &&
               ttysim_wait_rx(acm, before.rx_bytes + 5, 1000),
           "bytes written by the program reach the data callback");
    pthread_mutex_lock(&logbook.lock);
    bool same = logbook.rx_len >= 5 && !memcmp(logbook.rx + logbook.rx_len - 5, "hello", 5);
    unsigned rx_baud = logbook.rx_baud;
    pthread_mutex_unlock(&logbook.lock);
    tap_ok(same && rx_baud == 921600, "...intact, tagged with 921600 baud (got %u)", rx_baud);
    char buf[16] = {0};
    tap_ok(ttysim_send(acm, "world!", 6) == 6 && sp_blocking_read(p, buf, 6, 1000) == 6 &&
               !memcmp(buf, "world!", 6),
           "bytes sent by the model are read by the program");

    from = test_log_count(&logbook);
    test_close(p);
    tap_ok(ttysim_wait_clients(acm, 0, 1000) && test_log_wait(&logbook, TTYSIM_EV_CLOSE, from,
                                                              1000) >= 0,
           "close seen");
    ttysim_get_state(acm, &st);
    tap_ok(!st.dtr && !st.rts, "last close with HUPCL dropped DTR and RTS [I: kernel tty_port_close]");
    tap_ok(ttysim_send(acm, "lost", 4) == 4, "sending while closed is accepted (dropped)");
    p = test_open("/dev/ttyACM0");
    tap_ok(p && sp_input_waiting(p) == 0, "bytes sent while closed are not delivered later");
    test_close(p);
    ttysim_wait_clients(acm, 0, 1000);
}

/* The Arduino touch as arduino-cli does it (§3.1): open, 1200, DTR off, close. */
static void test_touch(struct ttysim *acm)
{
    struct ttysim_state st0, st;
    unsigned caught = 0;
    ttysim_get_state(acm, &st0);
    for (int i = 0; i < 20; i++) {
        struct sp_port *p = test_open("/dev/ttyACM0");
        if (!p)
            break;
        sp_set_baudrate(p, 1200);
        sp_set_dtr(p, SP_DTR_OFF);
        ttysim_get_state(acm, &st);
        caught += st.touches == st0.touches + (uint64_t)i + 1;
        test_close(p);
        ttysim_wait_clients(acm, 0, 1000);
    }
    tap_ok(caught == 20, "1200-baud touch detected at the DTR edge %u/20 times", caught);

    /* DTR dropped at another rate is not a touch. */
    struct sp_port *p = test_open("/dev/ttyACM0");
    sp_set_baudrate(p, 9600);
    ttysim_get_state(acm, &st0);
    sp_set_dtr(p, SP_DTR_OFF);
    ttysim_get_state(acm, &st);
    tap_ok(st.touches == st0.touches && !st.dtr, "DTR off at 9600 is not a touch");
    test_close(p);
    ttysim_wait_clients(acm, 0, 1000);

    /* Open at 1200 and close: HUPCL drops DTR at 1200, which is a touch too. */
    unsigned from = test_log_count(&logbook);
    p = test_open("/dev/ttyACM0");
    sp_set_baudrate(p, 1200);
    test_close(p);
    tap_ok(test_log_wait(&logbook, TTYSIM_EV_TOUCH_1200, from, 1000) >= 0,
           "open at 1200 then close is a touch (DTR dropped by HUPCL) [I: kernel]");
    ttysim_wait_clients(acm, 0, 1000);
    p = test_open("/dev/ttyACM0");
    sp_set_baudrate(p, 115200);
    test_close(p);
    ttysim_wait_clients(acm, 0, 1000);
}

static void test_timer(struct ttysim *acm)
{
    unsigned from = test_log_count(&logbook);
    uint64_t t0 = test_now_us();
    ttysim_set_timer(acm, 60);
    int i = test_log_wait(&logbook, TTYSIM_EV_TIMER, from, 2000);
    tap_ok(i >= 0 && test_log_get(&logbook, (unsigned)i).time_us >= t0 + 60000,
           "timer fires, not early");
}

static void test_removal(UMockdevTestbed *tb, struct ttysim **acm_io)
{
    struct ttysim *acm = *acm_io;
    struct sp_port *p = test_open("/dev/ttyACM0");
    tap_ok(p != NULL, "opened before unplug");
    if (!p)
        return;
    unsigned from = test_log_count(&logbook);
    ttysim_remove(acm);
    tap_ok(test_log_wait(&logbook, TTYSIM_EV_REMOVED, from, 1000) >= 0, "REMOVED delivered");
    tap_ok(sp_blocking_write(p, "x", 1, 200) < 0, "write after unplug fails");
    tap_ok(sp_set_dtr(p, SP_DTR_OFF) < 0, "sp_set_dtr after unplug fails");
    enum sp_signal sig;
    tap_ok(sp_get_signals(p, &sig) < 0, "sp_get_signals after unplug fails");
    tap_ok(sp_set_baudrate(p, 115200) < 0, "sp_set_baudrate after unplug fails");
    char c;
    tap_ok(sp_nonblocking_read(p, &c, 1) <= 0, "read after unplug returns nothing");
    tap_ok(sp_close(p) == SP_OK, "sp_close still succeeds");
    sp_free_port(p);
    struct sp_port *q = NULL;
    tap_ok(test_find_listed("/dev/ttyACM0") == NULL &&
               sp_get_port_by_name("/dev/ttyACM0", &q) != SP_OK,
           "the port is no longer listed or found");
    tap_ok(test_open("/dev/ttyACM0") == NULL, "opening the vanished node fails");
    tap_ok(ttysim_send(acm, "x", 1) == -ENODEV, "ttysim_send after removal gives -ENODEV");
    ttysim_free(acm);

    /* A camera that re-enumerates gets the same name again. */
    *acm_io = acm = add_port(tb, TTYSIM_CDC_ACM, 0x37c5, 0x1204, "SIM0002", -1);
    q = test_find_listed("/dev/ttyACM0");
    tap_ok(acm && q && sp_get_port_usb_serial(q) && !strcmp(sp_get_port_usb_serial(q), "SIM0002"),
           "re-added port is listed again as ttyACM0");
    sp_free_port(q);
    p = test_open("/dev/ttyACM0");
    tap_ok(p && sp_blocking_write(p, "ok", 2, 500) == 2, "and works");
    test_close(p);
}

/* Hanging the tty below a USB device made by someone else (the USB simulator). */
static void test_usb_parent(UMockdevTestbed *tb)
{
    static const char parent[] = "/sys/devices/pci0000:00/0000:00:14.0/usb2/2-1";
    GError *gerr = NULL;
    gboolean made = umockdev_testbed_add_from_string(tb,
        "P: /devices/pci0000:00/0000:00:14.0/usb2/2-1\n"
        "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\n"
        "A: idVendor=37c5\nA: idProduct=1206\nA: busnum=2\nA: devnum=7\n"
        "A: serial=PARENT01\n\n", &gerr);
    g_clear_error(&gerr);
    struct ttysim_config cfg = {.index = -1, .usb_parent = parent, .ifnum = 0};
    struct ttysim *port = made ? ttysim_add(tb, &cfg) : NULL;
    int vid = 0, pid = 0;
    struct sp_port *p = port ? test_find_listed(ttysim_devnode(port)) : NULL;
    if (p)
        sp_get_port_usb_vid_pid(p, &vid, &pid);
    tap_ok(p && vid == 0x37c5 && pid == 0x1206 && sp_get_port_usb_serial(p) &&
               !strcmp(sp_get_port_usb_serial(p), "PARENT01"),
           "a tty below a given USB device shows that device's VID:PID and serial");
    sp_free_port(p);
    char *root = umockdev_testbed_get_root_dir(tb);
    char *attr = g_strconcat(root, parent, "/idVendor", NULL);
    ttysim_free(port);
    p = test_find_listed("/dev/ttyACM1");
    tap_ok(port && !p && g_file_test(attr, G_FILE_TEST_EXISTS),
           "removing it leaves the given USB device in place");
    sp_free_port(p);
    g_free(attr);
    g_free(root);
    if (made)
        umockdev_testbed_remove_device(tb, parent);
}

int main(void)
{
    UMockdevTestbed *tb = test_testbed_new();
    test_log_init(&logbook);
    struct ttysim *acm = add_port(tb, TTYSIM_CDC_ACM, 0x37c5, 0x1204, "SIM0001", -1);
    struct ttysim *ftdi = add_port(tb, TTYSIM_FTDI_SIO, 0x0403, 0x6015, "FT0001", -1);
    struct ttysim *ch341 = add_port(tb, TTYSIM_CH341, 0x1a86, 0x55d3, "CH0001", -1);
    if (!tap_ok(acm && ftdi && ch341, "three ports added"))
        return tap_done();
    tap_ok(add_port(tb, TTYSIM_CDC_ACM, 1, 2, "X", 0) == NULL, "a taken index is refused");

    test_listing(acm, ftdi, ch341);
    test_open_and_lines(acm);
    test_touch(acm);
    test_timer(acm);
    test_usb_parent(tb);
    test_removal(tb, &acm);

    ttysim_free(acm);
    ttysim_free(ftdi);
    ttysim_free(ch341);
    g_object_unref(tb);
    test_log_destroy(&logbook);
    return tap_done();
}
