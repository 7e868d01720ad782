/*
 * Unmodified bossac (Debian's 1.9.1) against a ttysim port, in a child process: it must
 * open the port and talk to it. There is no SAM-BA model behind the port yet, so bossac's
 * identification is expected to fail; only the opening and the first command are checked.
 * bossac's behaviour: dfu-dfuse-picoboot-samba.md §3.3 (a ttyACM port is a USB port, opened
 * at 921600 baud; init sends "N#").
 */
#include <string.h>

#include <glib.h>

#include "tty_testlib.h"

static struct test_log logbook;

int main(int argc, char **argv)
{
    if (argc < 2)
        tap_skip_all("bossac not found");
    UMockdevTestbed *tb = test_testbed_new();
    test_log_init(&logbook);
    /* 2341:005a: the Nano 33 BLE bootloader's ID (§3.1). */
    struct ttysim_config cfg = {
        .index = 0, .vid = 0x2341, .pid = 0x005a, .manufacturer = "Arduino",
        .product = "Arduino Nano 33 BLE", .serial = "SAMBA0001",
        .cb = {.event = test_log_event, .data = test_log_data}, .ctx = &logbook};
    struct ttysim *port = ttysim_add(tb, &cfg);
    if (!tap_ok(port != NULL, "port added"))
        return tap_done();

    /* The child needs the preload; UMOCKDEV_DIR is already in the environment. */
    char **env = g_environ_setenv(g_get_environ(), "LD_PRELOAD", "libumockdev-preload.so.0",
                                  TRUE);
    char *args[] = {argv[1], "-p", "ttyACM0", "-U", "-i", NULL};
    char *out = NULL, *err = NULL;
    int status = 0;
    GError *gerr = NULL;
    gboolean ran = g_spawn_sync(NULL, args, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                                &status, &gerr);
    tap_ok(ran, "bossac ran%s%s", gerr ? ": " : "", gerr ? gerr->message : "");
    tap_diag("bossac exit %d, stdout: %s", status, out ? g_strstrip(out) : "");
    tap_diag("bossac stderr: %s", err ? g_strstrip(err) : "");

    tap_ok(test_log_wait(&logbook, TTYSIM_EV_OPEN, 0, 1000) >= 0, "bossac opened the port");
    pthread_mutex_lock(&logbook.lock);
    bool said_n = logbook.rx_len >= 2 && memmem(logbook.rx, logbook.rx_len, "N#", 2);
    size_t rx = logbook.rx_len;
    pthread_mutex_unlock(&logbook.lock);
    tap_ok(said_n, "bossac sent its SAM-BA init \"N#\" (%zu bytes received)", rx);
    int i = test_log_wait(&logbook, TTYSIM_EV_BAUD, 0, 1000);
    tap_ok(i >= 0 && test_log_get(&logbook, (unsigned)i).baud == 921600,
           "bossac set 921600 baud on the USB port");
    tap_ok(ran && status != 0, "identification fails without a SAM-BA model");
    tap_ok(ttysim_wait_clients(port, 0, 2000), "bossac closed the port");

    g_free(out);
    g_free(err);
    g_clear_error(&gerr);
    g_strfreev(env);
    ttysim_free(port);
    g_object_unref(tb);
    test_log_destroy(&logbook);
    return tap_done();
}
