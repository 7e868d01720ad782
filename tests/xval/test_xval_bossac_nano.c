/* test_xval_bossac_nano.c — the Arduino bossac that OpenMV IDE ships for the Nano 33 BLE
 * Sense (../shared/oracles/bin/bossac-arduino: Arduino's BOSSA fork with its nRF52840 entry)
 * against the SAM-BA model answering as the real bootloader (tests/sim/models/samba_model.h),
 * and openmv-rescue against a second, identical model: the seed's
 *   bossac -e -w -v -R --offset=0x16000 firmware.bin          (seed 002 §10.7.8)
 * and `openmv-rescue flash --board ARDUINO_NANO_33_BLE_SENSE` must leave the same flash,
 * byte for byte, at every length: both write whole 4 KiB pages and pad the last one with
 * zeros (reference §3.5, §4 item 25).
 *
 * Debian's bossac (upstream BOSSA 1.9.1) is not run any more: it has no nRF52840 entry and
 * identifies a chip by word reads (w) of its ID registers, a command the real bootloader
 * does not have (samba_model.h), so it cannot drive a real board either; the model used to
 * answer those reads as a SAMD51 only to let it run.
 *
 * argv: OPENMV-RESCUE [BOSSAC-ARDUINO].  Port naming: bossac treats a port as USB only if
 * its name holds "ttyACM" (reference §3.3, §4 item 22). */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nano_testlib.h"
#include "samba_tty.h"
#include "tty_testlib.h"

#define OFFSET 0x16000u
#define PHYS (0x10000u + OFFSET) /* the bootloader adds 0x10000 to every flash offset */

static struct usbsim *sim;
static const char *rescue, *bossac;

/* Flash one model with a command; return a copy of its whole flash (NULL on failure). */
static uint8_t *flash_with(char **argv, const char *who, struct child_result *r)
{
	struct samba_tty *t = samba_tty_add(sim, 2, SAMBA_FAULT_NONE, 0);
	if (!t)
		return NULL;
	char node[64];
	snprintf(node, sizeof node, "%s", ttysim_devnode(samba_tty_port(t)));
	for (int i = 0; argv[i]; i++)
		if (!strcmp(argv[i], "@PORT@"))
			argv[i] = node;
	nano_run(argv, r);
	bool reset = ttysim_wait_removed(samba_tty_port(t), 3000);
	samba_tty_lock(t);
	uint8_t *copy = malloc(SAMBA_MODEL_FLASH_SIZE);
	memcpy(copy, samba_model_flash(samba_tty_model(t)), SAMBA_MODEL_FLASH_SIZE);
	struct samba_model_stats st;
	samba_model_get_stats(samba_tty_model(t), &st);
	samba_tty_unlock(t);
	tap_diag("%s: exit %d, %u copies, %u checksums, %u unknown commands, reset %s", who, r->exit_code,
	         st.copies, st.checksums, st.unknown, reset ? "yes" : "no");
	samba_tty_free(t);
	return copy;
}

static void compare(size_t len, uint32_t seed)
{
	char name[32];
	snprintf(name, sizeof name, "fw-%zu.bin", len);
	char *fw = nano_write_file(name, len, seed, NULL);
	struct child_result rb, ro;
	char *pb[] = {(char *)bossac, "-p", "@PORT@", "-e", "-w", "-v", "-R", "--offset=0x16000", fw, NULL};
	uint8_t *by_bossac = flash_with(pb, "bossac-arduino", &rb);
	char *po[] = {(char *)rescue, "flash", "--board", "ARDUINO_NANO_33_BLE_SENSE", "--firmware", fw, "--yes", NULL};
	uint8_t *by_us = flash_with(po, "openmv-rescue", &ro);
	tap_ok(rb.exit_code == 0 && strstr(rb.out, "Verify successful"),
	       "%zu bytes: the Arduino bossac writes and verifies (exit %d)", len, rb.exit_code);
	if (rb.exit_code)
		tap_diag("bossac stdout: %s\nbossac stderr: %s", rb.out, rb.err);
	tap_ok(ro.exit_code == 0, "%zu bytes: openmv-rescue writes and verifies (exit %d)", len, ro.exit_code);
	if (ro.exit_code)
		tap_diag("openmv-rescue stderr: %s", ro.err);
	size_t first_diff = SIZE_MAX, diffs = 0;
	for (size_t a = 0; by_bossac && by_us && a < SAMBA_MODEL_FLASH_SIZE; a++)
		if (by_bossac[a] != by_us[a] && !diffs++)
			first_diff = a;
	size_t page4k = (len + 4095) / 4096 * 4096;
	bool zero_pad = by_us != NULL;
	for (size_t a = PHYS + len; by_us && a < PHYS + page4k; a++)
		zero_pad &= by_us[a] == 0;
	tap_ok(by_bossac && by_us && diffs == 0,
	       "%zu bytes: the 1 MiB flash is identical byte for byte (%zu differences, first at 0x%zX)", len,
	       diffs, first_diff == SIZE_MAX ? 0 : first_diff);
	tap_ok(zero_pad && by_us && !memcmp(by_us + PHYS, by_bossac ? by_bossac + PHYS : by_us, len),
	       "%zu bytes: the file at physical 0x%X, zeros from 0x%zX to the page end 0x%zX", len, PHYS,
	       PHYS + len, PHYS + page4k);
	nano_result_free(&rb);
	nano_result_free(&ro);
	free(by_bossac);
	free(by_us);
	g_free(fw);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		tap_skip_all("the Arduino bossac (../shared/oracles/bin/bossac-arduino, or bossac-arduino on "
		             "PATH) is not there");
	rescue = argv[1];
	bossac = argv[2];
	char why[256];
	sim = usbsim_new(why, sizeof why);
	if (!sim)
		tap_skip_all(why);
	compare(40 * 4096, 21);          /* whole pages */
	compare(40 * 4096 + 1000, 22);   /* a last page of 1000 bytes */
	compare(4096 * 7 + 1, 24);       /* a last page of one byte */
	compare(0xAA000, 23);            /* the largest image the board takes (flash.max_size) */
	nano_tmpdir_remove();
	usbsim_free(sim);
	return tap_done();
}
