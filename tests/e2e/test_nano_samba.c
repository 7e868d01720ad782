/* test_nano_samba.c — the Nano 33 BLE Sense flashed end to end: the real openmv-rescue
 * binary (argv[1]) against the SAM-BA bootloader model on a virtual ttyACM port, with the
 * real libserialport.  Checks the flash it leaves (application at physical 0x26000 for
 * offset 0x16000, zero padding to the 4 KiB page, SoftDevice and bootloader untouched), the
 * 1200-baud touch from a running board, and the faults: a board that vanishes, a wrong
 * reply, a verify mismatch, a sketch instead of the bootloader.  The SAM-BA module is also
 * driven in-process for its 63-byte reads.  Facts: reference dfu-dfuse-picoboot-samba.md §3. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc16.h"
#include "model_arduino.h"
#include "nano_testlib.h"
#include "samba.h"
#include "samba_tty.h"
#include "serialdev.h"
#include "tty_testlib.h"

#define OFFSET 0x16000u          /* seed 002 §10.7.8 */
#define PHYS (0x10000u + OFFSET) /* reference §3.2 [I]: offsets count from 0x10000 */

static struct usbsim *sim;
static UMockdevTestbed *tb;
static const char *rescue;

static void run_flash(const char *fw, struct child_result *r)
{
	char *argv[] = {(char *)rescue, "flash", "--board", "ARDUINO_NANO_33_BLE_SENSE", "--firmware",
	                (char *)fw, "--yes", NULL};
	nano_run(argv, r);
}

/* The flash a correct run leaves: file at PHYS, zeros to the 4 KiB page, the rest erased
 * up to the bootloader, and the protected areas as the model made them. */
static bool flash_is_right(struct samba_model *m, const uint8_t *data, size_t len, char *why, size_t n)
{
	const uint8_t *fl = samba_model_flash(m);
	size_t padded = (len + 4095) / 4096 * 4096;
	if (memcmp(fl + PHYS, data, len))
		return snprintf(why, n, "the image differs"), false;
	for (size_t i = len; i < padded; i++)
		if (fl[PHYS + i])
			return snprintf(why, n, "padding byte at 0x%zX is 0x%02X", PHYS + i, fl[PHYS + i]), false;
	for (size_t a = PHYS + padded; a < SAMBA_MODEL_BOOTLOADER; a++)
		if (fl[a] != 0xFF)
			return snprintf(why, n, "0x%zX is not erased", a), false;
	static uint8_t fresh[SAMBA_MODEL_FLASH_SIZE];
	samba_model_layout(fresh, SAMBA_LAYOUT_UPDATED);
	for (uint32_t a = 0; a < PHYS; a++)
		if (fl[a] != fresh[a])
			return snprintf(why, n, "the MBR or SoftDevice area changed at 0x%X", a), false;
	for (uint32_t a = SAMBA_MODEL_BOOTLOADER; a < SAMBA_MODEL_FLASH_SIZE; a++)
		if (fl[a] != fresh[a])
			return snprintf(why, n, "the bootloader changed at 0x%X", a), false;
	return snprintf(why, n, "as expected"), true;
}

static void test_flash(void)
{
	uint8_t *data;
	size_t len = 0x2A000 + 300; /* 43 pages, the last one partly */
	char *fw = nano_write_file("firmware.bin", len, 7, &data);
	struct samba_tty *t = samba_tty_add(sim, 2, SAMBA_FAULT_NONE, 0);
	if (!tap_ok(t != NULL, "SAM-BA bootloader port added"))
		return;
	struct child_result r;
	run_flash(fw, &r);
	tap_ok(r.exit_code == 0, "openmv-rescue flash exits 0 (%d)", r.exit_code);
	if (r.exit_code)
		tap_diag("stdout: %s\nstderr: %s", r.out, r.err);
	tap_ok(strstr(r.out, "every write verified") != NULL, "the summary says every write was verified");
	char why[120];
	/* the reset command may still be on its way when the program has ended */
	bool removed = ttysim_wait_removed(samba_tty_port(t), 2000);
	samba_tty_lock(t);
	struct samba_model *m = samba_tty_model(t);
	bool right = flash_is_right(m, data, len, why, sizeof why);
	struct samba_model_stats st;
	samba_model_get_stats(m, &st);
	bool dead = samba_model_dead(m);
	samba_tty_unlock(t);
	tap_ok(right, "flash: image at 0x26000 (offset 0x16000 + 0x10000, an inferred mapping), zero padding to 4 KiB, "
	       "nothing else touched (%s)", why);
	tap_ok(st.erases == 1 && st.erase_from == PHYS, "one erase from physical 0x%X (X%08X#)", st.erase_from, OFFSET);
	/* delta mode: one Z of each whole page first (an erased page differs), then S, Y, Z */
	tap_ok(st.copies == 43 && st.checksums == 8 + 43 + 43, "43 pages copied and each checked with Z "
	       "before (delta mode) and after, after 8 Z reading the layout's 3 words (%u, %u)", st.copies,
	       st.checksums);
	tap_ok(!strncmp(st.letters, "NVIZZZZZZZZX", 12), "the session starts N#, V#, I#, the layout check, then X "
	       "(%.12s)", st.letters);
	tap_ok(st.unknown == 0, "no command the bootloader lacks (R, w, W, ...: %u)", st.unknown);
	tap_ok(removed && dead && st.resets == 1, "the board was reset into the new firmware (K#) and left the bus");
	struct ttysim_state ps;
	ttysim_get_state(samba_tty_port(t), &ps);
	tap_ok(ps.touches == 0, "the bootloader's port never saw 1200 baud");
	nano_result_free(&r);
	samba_tty_free(t);
	free(data);
	g_free(fw);
}

/* ---- the 1200-baud touch from a running board ------------------------------------------- */

struct touch_host {
	struct test_host rec;
	struct arduino_fw_model *fw;
	struct usbsim_dev *fw_usb;
	struct samba_tty *boot;
	pthread_t thread;
};

/* Plays the board: once the running firmware asks to reboot, its port goes and the
 * bootloader's port appears (a callback may not add ports, so this runs on its own thread). */
static void *reboot_thread(void *arg)
{
	struct touch_host *h = arg;
	/* more than one: the test woke us after a run without a touch */
	if (test_host_wait_reboots(&h->rec, 1, 15000) != 1)
		return NULL;
	ttysim_remove(arduino_fw_port(h->fw));
	usbsim_unplug(h->fw_usb);
	test_sleep_ms(300); /* the new CDC device enumerates a little later */
	h->boot = samba_tty_add(sim, 2, SAMBA_FAULT_NONE, 0);
	return NULL;
}

static void test_touch(void)
{
	uint8_t *data;
	size_t len = 5000;
	char *fw = nano_write_file("touch.bin", len, 11, &data);
	struct touch_host h = {0};
	test_host_init(&h.rec);
	/* 2341:015a: the board running OpenMV firmware (boards.ini usb.firmware; fw repo) */
	h.fw_usb = nano_cdc_plug(sim, 3, 0x2341, 0x015a, 0x0100, "Nano 33 BLE Sense", "N33FW0001");
	usbsim_sync(sim);
	struct arduino_fw_config cfg = {.port = {.index = -1, .pid = 0x015a, .usb_parent = usbsim_syspath(h.fw_usb),
	                                         .ifnum = NANO_TTY_IFNUM},
	                                .hooks = test_host_hooks(&h.rec)};
	h.fw = arduino_fw_add(tb, &cfg);
	if (!tap_ok(h.fw != NULL, "running-firmware port added")) {
		test_host_destroy(&h.rec);
		return;
	}
	pthread_create(&h.thread, NULL, reboot_thread, &h);
	struct child_result r;
	run_flash(fw, &r);
	/* wake the helper if the program never touched the port */
	pthread_mutex_lock(&h.rec.lock);
	h.rec.reboots += 100;
	pthread_cond_broadcast(&h.rec.cond);
	pthread_mutex_unlock(&h.rec.lock);
	pthread_join(h.thread, NULL);
	struct arduino_fw_stats fs;
	arduino_fw_get_stats(h.fw, &fs);
	tap_ok(fs.common.resets_requested == 1 && !strcmp(fs.common.last_reason, "touch-1200"),
	       "the running board got a 1200-baud touch (%u, %s)", fs.common.resets_requested, fs.common.last_reason);
	tap_ok(r.exit_code == 0 && strstr(r.err, "1200-baud touch"), "then the flash ran to the end (%d)", r.exit_code);
	if (r.exit_code)
		tap_diag("stdout: %s\nstderr: %s", r.out, r.err);
	char why[120] = "no bootloader port";
	bool right = false;
	if (h.boot) {
		samba_tty_lock(h.boot);
		right = flash_is_right(samba_tty_model(h.boot), data, len, why, sizeof why);
		samba_tty_unlock(h.boot);
	}
	tap_ok(right, "the bootloader that appeared holds the image (%s)", why);
	nano_result_free(&r);
	samba_tty_free(h.boot);
	arduino_fw_free(h.fw);
	test_host_destroy(&h.rec);
	free(data);
	g_free(fw);
}

/* ---- faults ------------------------------------------------------------------------------ */

static void fault(enum samba_fault f, unsigned at, const char *expect, const char *name)
{
	char *fw = nano_write_file("fault.bin", 5 * 4096, 3, NULL);
	struct samba_tty *t = samba_tty_add(sim, 2, f, at);
	struct child_result r;
	run_flash(fw, &r);
	tap_ok(r.exit_code == 1 && strstr(r.err, expect), "%s: exit 1 naming it (%d)", name, r.exit_code);
	if (r.exit_code != 1 || !strstr(r.err, expect))
		tap_diag("stderr: %s", r.err);
	struct samba_model_stats st = {.resets = 99};
	if (t) {
		samba_tty_lock(t);
		samba_model_get_stats(samba_tty_model(t), &st);
		samba_tty_unlock(t);
	}
	tap_ok(st.resets == 0, "%s: the board was not reset into a half-written firmware", name);
	nano_result_free(&r);
	samba_tty_free(t);
	g_free(fw);
}

static void test_faults(void)
{
	fault(SAMBA_FAULT_VANISH, 3, "disconnected while copying the buffer to flash offset 0x18000",
	      "the board vanishes at page 3");
	fault(SAMBA_FAULT_WRONG_REPLY, 2, "answered 0x4E instead of 'Y'", "a wrong reply to Y");
	fault(SAMBA_FAULT_CORRUPT, 4, "page 4 of 5 (flash offset 0x19000) does not hold what was written: 1 of its",
	      "a page that does not verify");
	fault(SAMBA_FAULT_SKETCH, 0, "not in its bootloader: double-tap RESET", "a sketch echoing instead of the bootloader");
}

/* ---- the module in-process: 63-byte reads ------------------------------------------------ */

static void test_module(void)
{
	struct samba_tty *t = samba_tty_add(sim, 2, SAMBA_FAULT_NONE, 0);
	struct sp_port *port = NULL;
	struct rs_error err = {0};
	struct samba sb;
	int r = serialdev_open(ttysim_devnode(samba_tty_port(t)), SAMBA_BAUD, &port, &err);
	if (!r)
		r = samba_connect(&sb, port, &err);
	tap_ok(r == 0 && !strcmp(sb.chip, "nRF52840-QIAA") && !strcmp(sb.extensions, "IKXYZ"),
	       "connect: chip %s, extensions %s (%s)", r ? "?" : sb.chip, r ? "?" : sb.extensions, err.msg);
	uint8_t buf[200];
	if (!r)
		r = samba_read(&sb, 0x6000, buf, sizeof buf, &err); /* physical 0x16000: SoftDevice */
	samba_tty_lock(t);
	struct samba_model_stats st;
	samba_model_get_stats(samba_tty_model(t), &st);
	bool same = !memcmp(buf, samba_model_flash(samba_tty_model(t)) + 0x16000, sizeof buf);
	samba_tty_unlock(t);
	tap_ok(r == 0 && same, "200 bytes read back from offset 0x6000 (%s)", err.msg);
	tap_ok(st.reads == 0 && st.checksums == 100, "through 100 two-byte Z checksums, no R (the bootloader has "
	       "none): %u Z, %u R", st.checksums, st.reads);
	uint16_t crc = 0;
	if (!r)
		r = samba_checksum(&sb, 0x6000, sizeof buf, &crc, &err);
	tap_ok(r == 0 && crc == crc16_xmodem(buf, sizeof buf), "the device's Z checksum matches CRC-16/XMODEM");
	serialdev_close(port);
	samba_tty_free(t);
}

/* ---- the two layouts, read through Z; the updated bootloader's bound ---------------------- */

static uint32_t word_at(struct samba *sb, uint32_t phys, int *r, struct rs_error *err)
{
	uint8_t b[4] = {0};
	if (!*r)
		*r = samba_read(sb, phys - 0x10000u, b, 4, err); /* wraps below 0x10000 */
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void test_layouts(void)
{
	for (int stock = 0; stock < 2; stock++) {
		struct samba_tty *t = samba_tty_add_layout(sim, 2, stock ? SAMBA_LAYOUT_STOCK : SAMBA_LAYOUT_UPDATED,
		                                           SAMBA_FAULT_NONE, 0);
		struct sp_port *port = NULL;
		struct rs_error err = {0};
		struct samba sb;
		int r = serialdev_open(ttysim_devnode(samba_tty_port(t)), SAMBA_BAUD, &port, &err);
		if (!r)
			r = samba_connect(&sb, port, &err);
		uint32_t sp0 = word_at(&sb, 0, &r, &err), magic = word_at(&sb, 0x3004, &r, &err);
		uint32_t boot = word_at(&sb, 0xE0000, &r, &err);
		if (stock)
			tap_ok(!r && sp0 == 0x20008D48 && magic != 0x51B1E5DB && boot == 0xFFFFFFFF,
			       "stock layout through Z: the bootloader's stack pointer at 0 (0x%08X), no SoftDevice magic "
			       "at 0x3004 (0x%08X), nothing at 0xE0000 (0x%08X) (%s)", sp0, magic, boot, err.msg);
		else
			tap_ok(!r && sp0 == 0x20000400 && magic == 0x51B1E5DB && boot == 0x2000CD40,
			       "updated layout through Z: the MBR at 0 (0x%08X), the SoftDevice magic at 0x3004 (0x%08X), "
			       "the bootloader at 0xE0000 (0x%08X) (%s)", sp0, magic, boot, err.msg);
		if (!stock && !r) { /* a copy that would end above 0xE0000: USB off, no answer */
			uint8_t page[4096];
			memset(page, 0, sizeof page);
			r = samba_write(&sb, SAMBA_BUFFER_ADDR, page, sizeof page, &err);
			if (!r)
				r = samba_copy_to_flash(&sb, SAMBA_BUFFER_ADDR, 0xCF800, sizeof page, &err);
			samba_tty_lock(t);
			bool dead = samba_model_dead(samba_tty_model(t));
			bool kept = samba_model_flash(samba_tty_model(t))[0xDF800] == 0xFF;
			samba_tty_unlock(t);
			tap_ok(r != 0 && dead && kept, "updated bootloader: a copy reaching past 0xE0000 is not answered and "
			       "writes nothing (%s)", err.msg);
		}
		serialdev_close(port);
		samba_tty_free(t);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2)
		tap_skip_all("usage: test_nano_samba OPENMV-RESCUE");
	rescue = argv[1];
	char why[256];
	sim = usbsim_new(why, sizeof why);
	if (!sim)
		tap_skip_all(why);
	tb = nano_testbed(sim);
	test_module();
	test_layouts();
	test_flash();
	test_touch();
	test_faults();
	nano_tmpdir_remove();
	usbsim_free(sim);
	return tap_done();
}
