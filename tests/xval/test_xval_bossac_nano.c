/* test_xval_bossac_nano.c — Debian's unmodified bossac against the Nano 33 BLE SAM-BA model
 * (tests/sim/nano), and openmv-rescue against a second, identical model: the seed's
 *   bossac -e -w -v -R --offset=0x16000 firmware.bin          (seed 002 §10.7.8)
 * and `openmv-rescue flash --board ARDUINO_NANO_33_BLE_SENSE` must leave the same flash.
 *
 * argv: OPENMV-RESCUE BOSSAC.  Debian ships upstream BOSSA 1.9.1, which identifies the chip
 * by register reads and believes the model is a 1 MiB part with 512-byte pages (see the
 * disguise in samba_model.h), so it pads its last write to 512 bytes; the Arduino build of
 * bossac that OpenMV IDE bundles uses 4 KiB pages for the nRF52840 and pads to 4 KiB, as
 * openmv-rescue does (reference §3.5, §4 item 25).  So: a file of whole 4 KiB pages must
 * give identical flash, byte for byte; for any other length the two differ only between
 * the 512-byte and the 4 KiB boundary after the file, where each tool's padding is checked.
 * Port naming: bossac treats a port as USB only if its name holds "ttyACM" (§3.3, §4 item 22). */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nano_testlib.h"
#include "samba_tty.h"
#include "tty_testlib.h"

#define OFFSET 0x16000u
#define PHYS (0x10000u + OFFSET) /* reference §3.2 [I] */

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
	tap_diag("%s: exit %d, %u copies, %u checksums, %u long reads, reset %s", who, r->exit_code, st.copies,
	         st.checksums, st.long_reads, reset ? "yes" : "no");
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
	uint8_t *by_bossac = flash_with(pb, "bossac", &rb);
	char *po[] = {(char *)rescue, "flash", "--board", "ARDUINO_NANO_33_BLE_SENSE", "--firmware", fw, "--yes", NULL};
	uint8_t *by_us = flash_with(po, "openmv-rescue", &ro);
	tap_ok(rb.exit_code == 0 && strstr(rb.out, "Verify successful"), "%zu bytes: bossac writes and verifies (exit %d)",
	       len, rb.exit_code);
	if (rb.exit_code)
		tap_diag("bossac stdout: %s\nbossac stderr: %s", rb.out, rb.err);
	tap_ok(ro.exit_code == 0, "%zu bytes: openmv-rescue writes and verifies (exit %d)", len, ro.exit_code);
	if (ro.exit_code)
		tap_diag("openmv-rescue stderr: %s", ro.err);
	size_t page512 = (len + 511) / 512 * 512, page4k = (len + 4095) / 4096 * 4096;
	size_t first_diff = SIZE_MAX, diffs = 0;
	bool padding_ok = true;
	for (size_t a = 0; by_bossac && by_us && a < SAMBA_MODEL_FLASH_SIZE; a++) {
		bool in_gap = a >= PHYS + page512 && a < PHYS + page4k;
		if (in_gap) { /* bossac: erased after its 512-byte page; openmv-rescue: zeros to 4 KiB */
			padding_ok &= by_bossac[a] == 0xFF && by_us[a] == 0x00;
			continue;
		}
		if (by_bossac[a] != by_us[a] && !diffs++)
			first_diff = a;
	}
	bool zero_tail = true; /* both pad the file's last 512-byte page with zeros */
	for (size_t a = PHYS + len; by_us && by_bossac && a < PHYS + page512; a++)
		zero_tail &= by_bossac[a] == 0 && by_us[a] == 0;
	if (page4k == len)
		tap_ok(by_bossac && by_us && diffs == 0 && !memcmp(by_bossac, by_us, SAMBA_MODEL_FLASH_SIZE),
		       "%zu bytes (whole 4 KiB pages): the 1 MiB flash is identical byte for byte", len);
	else
		tap_ok(by_bossac && by_us && diffs == 0,
		       "%zu bytes: identical outside the padding (%zu differences, first at 0x%zX)", len, diffs,
		       first_diff == SIZE_MAX ? 0 : first_diff);
	if (page4k != len)
		tap_ok(padding_ok && zero_tail, "%zu bytes: zeros to 0x%zX from both; then bossac leaves 0xFF and "
		       "openmv-rescue zeros up to the 4 KiB page end 0x%zX", len, PHYS + page512, PHYS + page4k);
	nano_result_free(&rb);
	nano_result_free(&ro);
	free(by_bossac);
	free(by_us);
	g_free(fw);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		tap_skip_all("bossac not found");
	rescue = argv[1];
	bossac = argv[2];
	char why[256];
	sim = usbsim_new(why, sizeof why);
	if (!sim)
		tap_skip_all(why);
	compare(40 * 4096, 21);          /* whole pages */
	compare(40 * 4096 + 1000, 22);   /* a last page of 1000 bytes */
	compare(0xAA000, 23);            /* the largest image the board takes (flash.max_size) */
	nano_tmpdir_remove();
	usbsim_free(sim);
	return tap_done();
}
