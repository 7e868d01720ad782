/*
 * The product's reset-to-bootloader code (src/proto/omv_reset.c, src/run/serialdev.c) against the
 * independent running-firmware models, through the real libserialport: debug protocol v2
 * (SYNC, ACK, SYS_BOOT), v1 (30 0E 00 00 00 00), and the 1200-baud touch of OpenMV and
 * Arduino firmware (reference alif-isp-openmv-ide-n6.md §2.4, dfu-dfuse-picoboot-samba.md §3.1).
 */
#include <string.h>

#include "model_arduino.h"
#include "model_openmv.h"
#include "omv_reset.h"
#include "serialdev.h"
#include "tty_testlib.h"

static UMockdevTestbed *tb;
static struct test_host host;

static struct omv_fw_model *openmv_rx(unsigned methods, enum tty_fault fault, enum omv_v1_rx rx)
{
	test_host_destroy(&host);
	test_host_init(&host);
	struct omv_fw_config cfg = {.port = {.index = -1, .vid = 0x37C5, .pid = 0x1204, .serial = "OMV0001"},
	                            .reset_methods = methods, .rx = rx, .fault = fault, .hooks = test_host_hooks(&host)};
	return omv_fw_add(tb, &cfg);
}

static struct omv_fw_model *openmv(unsigned methods, enum tty_fault fault)
{
	return openmv_rx(methods, fault, OMV_V1_RX_SCAN);
}

/* The product's way for a 37C5 camera: open at the debug baud, the padded v2 probe, then v1
 * if v2 got no ACK; into the bootloader or a plain reset. */
static int product_reset_to(struct omv_fw_model *m, int *v2_rc, bool to_bootloader)
{
	struct sp_port *p;
	struct rs_error err = {0};
	int r = serialdev_open(ttysim_devnode(omv_fw_port(m)), OMV_DEBUG_BAUD, &p, &err);
	if (r)
		return r;
	*v2_rc = omv_probe_v2(p, 300, &err);
	r = *v2_rc ? omv_reset_v1(p, to_bootloader, &err) : omv_reset_v2(p, to_bootloader, &err);
	serialdev_close(p);
	return r;
}

static int product_reset(struct omv_fw_model *m, int *v2_rc)
{
	return product_reset_to(m, v2_rc, true);
}

/* What the product sent before: the bare 10-byte SYNC, then the v1 frame. */
static void old_product_reset(struct omv_fw_model *m)
{
	struct sp_port *p;
	struct rs_error err = {0};
	if (serialdev_open(ttysim_devnode(omv_fw_port(m)), OMV_DEBUG_BAUD, &p, &err))
		return;
	uint8_t sync[10];
	omv_v2_packet(sync, 0, 0, 0, 0);
	sp_blocking_write(p, sync, sizeof sync, 1000);
	sp_drain(p);
	omv_reset_v1(p, true, &err);
	serialdev_close(p);
}

/* The firmware versions of fw= (model_openmv.h): which probe each survives. */
static void firmware_versions(void)
{
	struct omv_fw_stats st;
	int v2;
	struct omv_fw_model *m = openmv_rx(OMV_RESET_V1, 0, OMV_V1_RX_TINYUSB_FATAL);
	old_product_reset(m);
	bool rebooted = test_host_wait_reboots(&host, 1, 700) != 0; /* the bytes have arrived by then */
	omv_fw_get_stats(m, &st);
	tap_ok(!rebooted && st.crashed,
	       "TinyUSB 4.4..4.7: the old v2-SYNC-first reset crashes it (no reboot, USB dead)");
	omv_fw_free(m);
	m = openmv_rx(OMV_RESET_V1 | OMV_RESET_TOUCH, 0, OMV_V1_RX_TINYUSB_FATAL);
	struct sp_port *p;
	struct rs_error err = {0};
	if (!serialdev_open(ttysim_devnode(omv_fw_port(m)), OMV_DEBUG_BAUD, &p, &err)) {
		omv_reset_v1(p, false, &err);
		serialdev_close(p);
	}
	tap_ok(test_host_wait_reboots(&host, 1, 2000) == 1 && !strcmp(host.reason, "v1-reset"),
	       "TinyUSB 4.4..4.7: v1 alone (SYS_RESET 0x0C) resets it plainly (%s)", host.reason);
	omv_fw_free(m);

	m = openmv_rx(OMV_RESET_V1, 0, OMV_V1_RX_TINYUSB);
	old_product_reset(m);
	rebooted = test_host_wait_reboots(&host, 1, 700) != 0;
	omv_fw_get_stats(m, &st);
	tap_ok(!rebooted && st.v1_dropped >= 2 && !st.crashed,
	       "TinyUSB 4.8.x: after the bare 10-byte SYNC the v1 frame is 4 bytes out of step and lost");
	omv_fw_free(m);
	m = openmv_rx(OMV_RESET_V1, 0, OMV_V1_RX_TINYUSB);
	tap_ok(product_reset(m, &v2) == 0 && v2 == RS_E_TIMEOUT && test_host_wait_reboots(&host, 1, 2000) == 1 &&
	       !strcmp(host.reason, "v1"), "TinyUSB 4.8.x: the padded probe keeps the v1 frame in step");
	omv_fw_free(m);

	m = openmv_rx(OMV_RESET_V1, 0, OMV_V1_RX_STMUSB);
	tap_ok(product_reset_to(m, &v2, false) == 0 && v2 == RS_E_TIMEOUT &&
	       test_host_wait_reboots(&host, 1, 2000) == 1 && !strcmp(host.reason, "v1-reset"),
	       "STM32 v1 firmware: the probe is ignored, SYS_RESET resets it plainly");
	omv_fw_free(m);
	m = openmv(OMV_RESET_V2, 0);
	tap_ok(product_reset_to(m, &v2, false) == 0 && v2 == 0 && test_host_wait_reboots(&host, 1, 2000) == 1 &&
	       !strcmp(host.reason, "v2-reset"), "v2 firmware: the probe is answered, SYS_RESET resets it plainly");
	omv_fw_free(m);
}

int main(void)
{
	tb = test_testbed_new();
	test_host_init(&host);
	struct rs_error err = {0};
	int v2;

	struct omv_fw_model *m = openmv(OMV_RESET_ALL, 0);
	struct usb_ids ids = {1, {{0x37C5, 0x1204, "37C5:1204"}}};
	char name[128] = "";
	tap_ok(m && !serialdev_find_wait(&ids, 2000, NULL, NULL, name, sizeof name, &err) &&
	       !strcmp(name, ttysim_devnode(omv_fw_port(m))),
	       "serialdev_find_wait finds the running camera by its VID:PID (%s)", name);
	tap_ok(product_reset(m, &v2) == 0 && v2 == 0, "firmware with both protocols: v2 answers the SYNC");
	tap_ok(test_host_wait_reboots(&host, 1, 2000) == 1 && !strcmp(host.reason, "v2"),
	       "... and SYS_BOOT reboots it into its bootloader (v2)");
	omv_fw_free(m);

	m = openmv(OMV_RESET_V1, 0);
	tap_ok(product_reset(m, &v2) == 0 && v2 == RS_E_TIMEOUT,
	       "v1-only firmware: no ACK to the v2 SYNC, so v1 is sent");
	tap_ok(test_host_wait_reboots(&host, 1, 2000) == 1 && !strcmp(host.reason, "v1"),
	       "... and the v1 frame reboots it");
	omv_fw_free(m);

	m = openmv(OMV_RESET_V2, 0);
	tap_ok(product_reset(m, &v2) == 0 && v2 == 0, "v2-only firmware: the SYNC is answered");
	tap_ok(test_host_wait_reboots(&host, 1, 2000) == 1 && !strcmp(host.reason, "v2"),
	       "... and only v2 was needed");
	omv_fw_free(m);

	m = openmv(OMV_RESET_TOUCH, 0);
	tap_ok(!serialdev_touch_1200(ttysim_devnode(omv_fw_port(m)), &err), "the 1200-baud touch is sent");
	tap_ok(test_host_wait_reboots(&host, 1, 2000) == 1 && !strcmp(host.reason, "touch-1200"),
	       "... and touch-only firmware reboots on it");
	omv_fw_free(m);

	m = openmv(OMV_RESET_ALL, TTY_FAULT_IGNORE_RESET);
	product_reset(m, &v2);
	tap_ok(test_host_wait_reboots(&host, 1, 700) == 0,
	       "firmware that ignores the reset is not counted as rebooted");
	omv_fw_free(m);

	firmware_versions();

	test_host_destroy(&host);
	test_host_init(&host);
	struct arduino_fw_config acfg = {.port = {.index = -1}, .hooks = test_host_hooks(&host)};
	struct arduino_fw_model *a = arduino_fw_add(tb, &acfg);
	uint64_t t0 = test_now_us();
	tap_ok(a && !serialdev_touch_1200(ttysim_devnode(arduino_fw_port(a)), &err),
	       "Arduino: the 1200-baud touch is sent (%s)", err.msg);
	tap_ok(test_host_wait_reboots(&host, 1, 3000) == 1 && host.reboot_us - t0 >= 200000,
	       "Arduino: the board enters its bootloader, at least 200 ms after the touch (§3.1)");
	arduino_fw_free(a);

	test_host_destroy(&host);
	g_object_unref(tb);
	return tap_done();
}
