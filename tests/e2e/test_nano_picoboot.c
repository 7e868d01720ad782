/* test_nano_picoboot.c — the Nano RP2040 Connect flashed end to end: the real openmv-rescue
 * binary (argv[1]) against the RP2040 boot ROM model on the virtual USB bus, through the real
 * libusb.  `flash` with a UF2 and with a plain .bin (picotool load -x), `erase-fs` (4 KiB of
 * zeros at 0x10200000, no reboot), a device that vanishes mid-write, a bootrom without the
 * PICOBOOT interface (the RPI-RP2 drive is the way then), and the stall-and-recover path of
 * the module in-process.  Facts: reference dfu-dfuse-picoboot-samba.md §2. */
#include <glib.h>
#include <libusb.h>
#include <stdlib.h>
#include <string.h>

#include "model_arduino.h"
#include "nano_testlib.h"
#include "picoboot.h"
#include "rp2040_usb.h"
#include "samba_tty.h"
#include "tty_testlib.h"
#include "usbdev.h"

static struct usbsim *sim;
static const char *rescue;

static void run(const char *action, const char *fw, struct child_result *r)
{
	char *argv[] = {(char *)rescue, (char *)action, "--board", "ARDUINO_NANO_RP2040_CONNECT", "--yes",
	                fw ? "--firmware" : NULL, (char *)fw, NULL};
	nano_run(argv, r);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A UF2 of the payload: blocks in address order, RP2040 family (§2.8). */
static char *write_uf2(const char *name, const uint8_t *payload, size_t len, uint32_t addr)
{
	uint32_t n = (uint32_t)((len + 255) / 256);
	uint8_t *f = calloc(n, 512);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *b = f + 512 * i;
		put32(b, 0x0A324655);
		put32(b + 4, 0x9E5D5157);
		put32(b + 8, 0x2000);
		put32(b + 12, addr + 256 * i);
		put32(b + 16, 256);
		put32(b + 20, i);
		put32(b + 24, n);
		put32(b + 28, 0xE48BFF56);
		memcpy(b + 32, payload + 256 * i, len - 256 * i < 256 ? len - 256 * i : 256);
		put32(b + 508, 0x0AB16F30);
	}
	char *path = g_build_filename(nano_tmpdir(), name, NULL);
	g_file_set_contents(path, (const char *)f, (gssize)n * 512, NULL);
	free(f);
	return path;
}

static bool wait_gone(struct rp2040_usb *u, int ms)
{
	for (int i = 0; i < ms / 10; i++) {
		usbsim_lock(sim);
		bool present = rp2040_usb_present(u);
		usbsim_unlock(sim);
		if (!present)
			return true;
		test_sleep_ms(10);
	}
	return false;
}

static void test_flash_uf2(void)
{
	uint8_t *data;
	size_t len = 300 * 1024 + 100;
	char *bin = nano_write_file("payload.bin", len, 5, &data);
	char *uf2 = write_uf2("firmware.uf2", data, len, 0x10000000);
	struct rp2040_usb *u = rp2040_usb_plug(sim, 2, RP2040_FAULT_NONE, 0, false);
	struct child_result r;
	run("flash", uf2, &r);
	tap_ok(r.exit_code == 0 && strstr(r.out, "every write verified"), "flash firmware.uf2 exits 0, verified (%d)", r.exit_code);
	if (r.exit_code)
		tap_diag("stdout: %s\nstderr: %s", r.out, r.err);
	usbsim_lock(sim);
	struct rp2040_model_stats st;
	rp2040_model_get_stats(rp2040_usb_model(u), &st);
	const uint8_t *fl = rp2040_model_flash(rp2040_usb_model(u));
	bool same = !memcmp(fl, data, len);
	bool tail = true; /* the 156 bytes after the image: the UF2's zero padding of its last block */
	for (size_t i = len; i < (len + 255) / 256 * 256; i++)
		tail &= fl[i] == 0;
	usbsim_unlock(sim);
	tap_ok(same && tail, "flash at 0x10000000 holds the UF2's payload");
	tap_ok(!st.programmed_unerased && st.max_erase_size <= 65536, "erased before written, at most 64 KiB per erase (%u)",
	       st.max_erase_size);
	tap_ok(st.exclusive == 1, "exclusive access taken (EXCLUSIVE_ACCESS 1)");
	tap_ok(st.reboots == 1 && st.reboot_pc == 0 && st.reboot_sp == 0x20042000 && st.reboot_delay == 500,
	       "rebooted as picotool -x does: flash boot, SP 0x20042000, 500 ms");
	tap_ok(st.one_byte_acks >= 1 && st.reads >= 5,
	       "read back to verify (%u reads), IN data acked with one byte as picotool does (that the "
	       "bootrom takes it is inferred)", st.reads);
	tap_ok(wait_gone(u, 3000), "the board left BOOTSEL after the reboot delay");
	nano_result_free(&r);
	rp2040_usb_free(u);
	free(data);
	g_free(bin);
	g_free(uf2);
}

static void test_flash_bin(void)
{
	uint8_t *data;
	size_t len = 10000;
	char *bin = nano_write_file("firmware.bin", len, 9, &data);
	struct rp2040_usb *u = rp2040_usb_plug(sim, 3, RP2040_FAULT_NONE, 0, false);
	struct child_result r;
	run("flash", bin, &r);
	usbsim_lock(sim);
	const uint8_t *fl = rp2040_model_flash(rp2040_usb_model(u));
	bool same = !memcmp(fl, data, len) && fl[len] == 0 && fl[0x2FFF] == 0 && fl[0x3000] == 0xFF;
	usbsim_unlock(sim);
	tap_ok(r.exit_code == 0 && same, "a plain firmware.bin lands at 0x10000000, the rest of its last sector zero as picotool pads it (%d)",
	       r.exit_code);
	if (r.exit_code)
		tap_diag("stderr: %s", r.err);
	nano_result_free(&r);
	rp2040_usb_free(u);
	free(data);
	g_free(bin);
}

static void test_erase_fs(void)
{
	struct rp2040_usb *u = rp2040_usb_plug(sim, 4, RP2040_FAULT_NONE, 0, false);
	usbsim_lock(sim);
	uint8_t *fl = rp2040_model_flash(rp2040_usb_model(u));
	memset(fl + 0x1FF000, 0x5A, 0x3000); /* the filesystem header and its neighbours */
	usbsim_unlock(sim);
	struct child_result r;
	run("erase-fs", NULL, &r);
	usbsim_lock(sim);
	bool zeros = true;
	for (uint32_t i = 0x200000; i < 0x201000; i++)
		zeros &= fl[i] == 0;
	bool around = fl[0x1FFFFF] == 0x5A && fl[0x201000] == 0x5A;
	struct rp2040_model_stats st;
	rp2040_model_get_stats(rp2040_usb_model(u), &st);
	bool present = rp2040_usb_present(u);
	usbsim_unlock(sim);
	tap_ok(r.exit_code == 0, "erase-fs exits 0 (%d)", r.exit_code);
	if (r.exit_code)
		tap_diag("stdout: %s\nstderr: %s", r.out, r.err);
	tap_ok(zeros && around, "4 KiB of zeros at 0x10200000, the neighbours untouched (OpenMV IDE's erase command)");
	tap_ok(st.reboots == 0 && present && strstr(r.err, "stays in BOOTSEL"),
	       "no reboot (the command has no -x); the person is told to replug");
	nano_result_free(&r);
	rp2040_usb_free(u);
}

static void test_faults(void)
{
	size_t len = 200 * 1024;
	uint8_t *data;
	char *bin = nano_write_file("payload2.bin", len, 13, &data);
	char *uf2 = write_uf2("vanish.uf2", data, len, 0x10000000);
	struct rp2040_usb *u = rp2040_usb_plug(sim, 5, RP2040_FAULT_VANISH_AT_WRITE, 2, false);
	struct child_result r;
	run("flash", uf2, &r);
	if (!tap_ok(r.exit_code == 1 && strstr(r.err, "disconnected while writing"),
	            "a board leaving mid-write: exit 1 (%d)", r.exit_code))
		tap_diag("stderr: %s", r.err);
	nano_result_free(&r);
	rp2040_usb_free(u);

	u = rp2040_usb_plug(sim, 6, RP2040_FAULT_NONE, 0, true);
	run("flash", uf2, &r);
	tap_ok(r.exit_code == 1 && strstr(r.err, "no PICOBOOT interface") && strstr(r.err, "RPI-RP2 drive"),
	       "no PICOBOOT interface: the error points to the RPI-RP2 drive (%d)", r.exit_code);
	if (r.exit_code != 1)
		tap_diag("stderr: %s", r.err);
	nano_result_free(&r);
	rp2040_usb_free(u);

	u = rp2040_usb_plug(sim, 7, RP2040_FAULT_CORRUPT_WRITE, 2, false);
	run("flash", uf2, &r);
	tap_ok(r.exit_code == 1 && strstr(r.err, "does not hold what was written"), "a bad bit in flash: verify fails (%d)",
	       r.exit_code);
	nano_result_free(&r);
	rp2040_usb_free(u);
	free(data);
	g_free(bin);
	g_free(uf2);
}

/* Through the real libusb in this process: a refused command stalls, the module reads the
 * status, resets the interface, and the next commands work. */
static void test_stall_recovery(void)
{
	struct rp2040_usb *u = rp2040_usb_plug(sim, 8, RP2040_FAULT_NONE, 0, false);
	struct usb_ids ids = {.n = 1, .id = {{RP2040_USB_VID, RP2040_USB_PID, "2E8A:0003"}}};
	struct usbdev d;
	struct rs_error err = {0};
	struct picoboot pb;
	int intf;
	uint8_t out, in;
	int r = usbdev_open_wait(&d, &ids, NULL, 3000, NULL, NULL, &err);
	if (!r)
		r = picoboot_find_interface(d.handle, &intf, &out, &in, &err);
	if (!r)
		r = usbdev_claim(&d, intf, &err);
	if (!r)
		r = picoboot_open(&pb, d.handle, intf, out, in, &err);
	tap_ok(r == 0 && intf == 1 && out == 0x03 && in == 0x84, "PICOBOOT found and claimed on interface 1 (%s)", err.msg);
	uint8_t page[256], back[256];
	memset(page, 0xA5, sizeof page);
	int w = r ? r : picoboot_write(&pb, 0x10000080, page, sizeof page, &err);
	tap_ok(w == RS_E_DEVICE && strstr(err.msg, "bad address alignment (status 5)"), "unaligned WRITE: %s", err.msg);
	int e = r ? r : picoboot_flash_erase(&pb, 0x10000800, 4096, &err);
	tap_ok(e == RS_E_DEVICE && strstr(err.msg, "bad address alignment"), "unaligned FLASH_ERASE: %s", err.msg);
	rs_clear(&err);
	if (!r)
		r = picoboot_exit_xip(&pb, &err);
	if (!r)
		r = picoboot_flash_erase(&pb, 0x10000000, 4096, &err);
	if (!r)
		r = picoboot_write(&pb, 0x10000000, page, sizeof page, &err);
	if (!r)
		r = picoboot_read(&pb, 0x10000000, back, sizeof back, &err);
	tap_ok(r == 0 && !memcmp(page, back, sizeof page), "after IF_RESET the interface works again (%s)", err.msg);
	usbdev_close(&d);
	rp2040_usb_free(u);
}

/* ---- the 1200-baud touch from a running board ------------------------------------------- */

struct touch_host {
	struct test_host rec;
	struct usbsim_dev *fw_usb;
	struct arduino_fw_model *fw;
	struct rp2040_usb *boot;
	pthread_t thread;
};

/* Plays the board: the running firmware's port goes, the BOOTSEL device comes
 * (reference §2.10: the Arduino RP2040 core reboots to BOOTSEL on the touch). */
static void *reboot_thread(void *arg)
{
	struct touch_host *h = arg;
	/* more than one: the test woke us after a run without a touch */
	if (test_host_wait_reboots(&h->rec, 1, 15000) != 1)
		return NULL;
	ttysim_remove(arduino_fw_port(h->fw));
	usbsim_unplug(h->fw_usb);
	test_sleep_ms(300);
	h->boot = rp2040_usb_plug(sim, 10, RP2040_FAULT_NONE, 0, false);
	return NULL;
}

static void test_touch(void)
{
	uint8_t *data;
	size_t len = 6000;
	char *bin = nano_write_file("touch.bin", len, 17, &data);
	struct touch_host h = {0};
	test_host_init(&h.rec);
	/* 2341:015e: the board running OpenMV firmware (boards.ini usb.firmware; fw repo) */
	h.fw_usb = nano_cdc_plug(sim, 9, 0x2341, 0x015e, 0x0100, "Nano RP2040 Connect", "RP2FW0001");
	usbsim_sync(sim);
	struct arduino_fw_config cfg = {.port = {.index = -1, .pid = 0x015e, .usb_parent = usbsim_syspath(h.fw_usb),
	                                         .ifnum = NANO_TTY_IFNUM},
	                                .hooks = test_host_hooks(&h.rec)};
	h.fw = arduino_fw_add(nano_testbed(sim), &cfg);
	if (!tap_ok(h.fw != NULL, "running-firmware port added")) {
		test_host_destroy(&h.rec);
		return;
	}
	pthread_create(&h.thread, NULL, reboot_thread, &h);
	struct child_result r;
	run("flash", bin, &r);
	pthread_mutex_lock(&h.rec.lock); /* wake the helper if there was no touch */
	h.rec.reboots += 100;
	pthread_cond_broadcast(&h.rec.cond);
	pthread_mutex_unlock(&h.rec.lock);
	pthread_join(h.thread, NULL);
	struct arduino_fw_stats fs;
	arduino_fw_get_stats(h.fw, &fs);
	tap_ok(fs.common.resets_requested == 1 && !strcmp(fs.common.last_reason, "touch-1200"),
	       "the running board got a 1200-baud touch");
	bool same = false;
	if (h.boot) {
		usbsim_lock(sim);
		same = !memcmp(rp2040_model_flash(rp2040_usb_model(h.boot)), data, len);
		usbsim_unlock(sim);
	}
	if (!tap_ok(r.exit_code == 0 && same, "then BOOTSEL appeared and took the image (%d)", r.exit_code))
		tap_diag("stdout: %s\nstderr: %s", r.out, r.err);
	nano_result_free(&r);
	rp2040_usb_free(h.boot);
	arduino_fw_free(h.fw);
	test_host_destroy(&h.rec);
	free(data);
	g_free(bin);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		tap_skip_all("usage: test_nano_picoboot OPENMV-RESCUE");
	rescue = argv[1];
	char why[256];
	sim = usbsim_new(why, sizeof why);
	if (!sim)
		tap_skip_all(why);
	test_stall_recovery();
	test_flash_uf2();
	test_flash_bin();
	test_erase_fs();
	test_faults();
	test_touch();
	nano_tmpdir_remove();
	usbsim_free(sim);
	return tap_done();
}
