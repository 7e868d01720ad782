/* flows_serial.c — whole recoveries through the wizard against the virtual cameras whose
 * devices live on the serial side of openmv-rescue-sim (tests/sim/host/serialside): a running
 * camera reset into its bootloader, the AE3's Secure Enclave with the hard-maintenance branch,
 * the Nano boards' SAM-BA and BOOTSEL bootloaders.  The person's hands are the simulator's
 * SIGUSR1 (bring the bootloader up: switch and button, double tap, BOOTSEL) and SIGUSR2 (power
 * cycle), sent only once the wizard shows the prompt that asks for them. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "flows.h"

#define RUN_MS 30000

/* openmv-rescue-sim --camera SPEC --dump HOME/dump -- openmv-rescue */
static struct vt *start_serial(const char *camera, const char *first_text)
{
	char dump[600];
	snprintf(dump, sizeof dump, "%s/dump", home);
	mkdirs("dump");
	char *argv[] = {(char *)sim, "--camera", (char *)camera, "--dump", dump, "--", (char *)program, NULL};
	return start_argv(argv, "C.UTF-8", NULL, 24, 80, first_text);
}

static uint8_t *read_all(const char *rel, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", home, rel);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
	*len = buf && n > 0 && fread(buf, 1, (size_t)n, f) == (size_t)n ? (size_t)n : 0;
	fclose(f);
	return buf;
}

/* The dump file holds the image file at offset. */
static bool dumped_at(const char *dump_rel, size_t offset, const char *image_rel)
{
	size_t dl = 0, il = 0;
	uint8_t *d = read_all(dump_rel, &dl), *im = read_all(image_rel, &il);
	bool same = d && im && il && offset + il <= dl && !memcmp(d + offset, im, il);
	if (!same)
		printf("# %s does not hold %s at 0x%zX\n", dump_rel, image_rel, offset);
	free(d);
	free(im);
	return same;
}

/* Wait for the run to end on the result screen saying done. */
static bool finish_step(struct vt *v, const char *done)
{
	bool ended = vt_wait_text(v, "openmv-rescue - Result", RUN_MS) == 0;
	bool right = ended && vt_contains(v, done);
	if (!right)
		vt_dump(v, stdout);
	return right;
}

/* The same, then quit, so that the simulator writes its dump. */
static bool finish_run(struct vt *v, const char *done)
{
	bool right = finish_step(v, done);
	vt_type(v, "q");
	int status = -1;
	vt_wait_exit(v, WAIT_MS, &status);
	return right;
}

/* Wait for a hardware prompt by its title; true when it is there. */
static bool prompt_up(struct vt *v, const char *title)
{
	bool up = vt_wait_text(v, title, RUN_MS) == 0;
	if (!up)
		vt_dump(v, stdout);
	return up;
}

/* ---- a running H7: proposed by the detect screen, flashed without a replug ---------------- */

void flow_e2e_h7_running(void)
{
	mkdirs("build/OPENMV4/bin");
	write_h7_firmware("build/OPENMV4/bin/firmware.bin");
	write_image("build/OPENMV4/bin/romfs0.img", 0, 0, 8192);
	struct vt *v = start_serial("OPENMV4:firmware", "running firmware");
	ok(shows(v, "OpenMV Cam H7 - running firmware (37C5:1204)"), "running H7: the detect screen names it");
	ok(highlighted(v, "OpenMV Cam H7 is running its firmware - update the firmware?"),
	   "running H7: and proposes to update its firmware");
	enter(v);
	ok(shows(v, "Files for flash on the OpenMV Cam H7"), "running H7: accepting goes to the files");
	vt_select(v, "Continue");
	enter(v);
	enter(v); /* Start */
	ok(finish_run(v, "Done: OpenMV Cam H7 flash: all"), "running H7: the flash runs to the end");
	ok(!vt_contains(v, "Unplug the camera"), "running H7: no replug was asked for");
	vt_free(v);
	ok(dumped_at("dump/OPENMV4.flash.bin", 0x40000, "build/OPENMV4/bin/firmware.bin"),
	   "running H7: firmware.bin at 0x08040000 (the bootloader came up by the debug protocol)");
	ok(dumped_at("dump/OPENMV4.flash.bin", 0x1E0000, "build/OPENMV4/bin/romfs0.img"),
	   "running H7: romfs0.img at 0x081E0000");
}

/* ---- the AE3's bootloader through its Secure Enclave, hard-maintenance branch -------------- */

static uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
	uint32_t c = ~0u;
	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
	}
	return ~c;
}

/* firmware_pad.toc: zeros, then an OEMTOC01 header with one entry, and the tail with its
 * CRC-32 (reference alif-isp-openmv-ide-n6.md §1.10); 8192 bytes, the size of alt 4. */
static void write_toc(const char *rel)
{
	static uint8_t toc[8192];
	uint8_t *h = toc + sizeof toc - 16 - 64;
	memcpy(h, "OEMTOC01", 8);
	h[8] = 32, h[10] = 1, h[12] = 32, h[14] = 2;
	memcpy(h + 52, "HP_BOOT", 7);
	uint32_t crc = crc32_ieee(h, 64);
	for (int i = 0; i < 4; i++)
		toc[sizeof toc - 16 + i] = (uint8_t)(crc >> (8 * i));
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", home, rel);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(toc, 1, sizeof toc, f);
		fclose(f);
	}
}

void flow_e2e_ae3_hard_maintenance(void)
{
	mkdirs("build/OPENMV_AE3/bin");
	write_image("build/OPENMV_AE3/bin/bootloader.bin", 0, 0, 4096);
	write_toc("build/OPENMV_AE3/bin/firmware_pad.toc");
	const char *const images[] = {"firmware_M55_HP.bin", "firmware_M55_HE.bin", "romfs1.img", "romfs0.img"};
	for (int i = 0; i < 4; i++) {
		char rel[200];
		snprintf(rel, sizeof rel, "build/OPENMV_AE3/bin/%s", images[i]);
		write_image(rel, 0, 0, 16384 + 4096 * (size_t)i);
	}
	/* a Secure Enclave that answers nothing until the handshake; the hands wait for signals */
	struct vt *v = start_serial("OPENMV_AE3:se,se-silent,hands=signal", "0403:6015");
	vt_watch(v, " --"); /* every screen of the restore and the flash that follows */
	ok(highlighted(v, "The serial ISP port of OpenMV AE3 is connected - restore the bootloader?"),
	   "AE3: its serial ISP port is seen and the restore proposed");
	enter(v);
	ok(shows(v, "bootloader.bin") && shows(v, "firmware_pad.toc"), "AE3: bootloader.bin and firmware_pad.toc found");
	vt_select(v, "Continue");
	enter(v);
	enter(v); /* Start */
	ok(prompt_up(v, "Waiting for the Secure Enclave's answer") &&
	   shows(v, "set the hard-maintenance switch"),
	   "AE3: the SE stays silent, so the hard-maintenance prompt comes while the handshake is sent");
	enter(v); /* the switch is on */
	ok(prompt_up(v, "Press the user button on the camera now"), "AE3: then the user button");
	vt_kill(v, SIGUSR1); /* the hands: switch on, button pressed */
	ok(prompt_up(v, "Power-cycle the camera and turn the hard-maintenance switch back off"),
	   "AE3: after the handshake and the MRAM write, the last prompt: switch off, power cycle");
	vt_kill(v, SIGUSR2); /* the power cycle, the switch off: the new bootloader boots */
	enter(v);
	ok(finish_step(v, "Done: OpenMV AE3 restore-bootloader: all 6 steps done"), "AE3: the restore is done");
	ok(shows(v, "Now flash the firmware normally"), "AE3: and the result says to flash the firmware next");
	/* the continuation: start over; the camera now runs (its bootloader's window has passed) */
	vt_key(v, VTERM_KEY_DOWN); /* from "Save the log" to "Start over" */
	enter(v);
	ok(vt_wait_text(v, "OpenMV AE3 - running firmware (37C5:16E3)", RUN_MS) == 0,
	   "AE3: after the power cycle the camera booted its bootloader, then its firmware");
	ok(vt_select(v, "OpenMV AE3 is running its firmware - update the firmware?") == 0,
	   "AE3: and flashing it is proposed");
	enter(v);
	ok(shows(v, "firmware_M55_HP.bin") && shows(v, "romfs1.img"), "AE3: the four images found");
	vt_select(v, "Continue");
	enter(v);
	enter(v); /* Start */
	ok(finish_run(v, "Done: OpenMV AE3 flash: all 5 steps done"),
	   "AE3: the four images flashed through the restored bootloader, no replug");
	ok(!vt_watch_seen(v), "AE3 restore and flash: no screen tells the person to pass a flag (%s)",
	   vt_watch_seen(v) ? vt_watch_seen(v) : "none did");
	vt_free(v);
	ok(dumped_at("dump/OPENMV_AE3.mram.bin", 0, "build/OPENMV_AE3/bin/bootloader.bin") &&
	   dumped_at("dump/OPENMV_AE3.mram.bin", 0x57E000, "build/OPENMV_AE3/bin/firmware_pad.toc"),
	   "AE3: bootloader.bin at 0x80000000 and firmware_pad.toc at 0x8057E000 in MRAM");
	ok(dumped_at("dump/OPENMV_AE3.mram.bin", 0x20000, "build/OPENMV_AE3/bin/firmware_M55_HP.bin") &&
	   dumped_at("dump/OPENMV_AE3.mram.bin", 0x320000, "build/OPENMV_AE3/bin/firmware_M55_HE.bin") &&
	   dumped_at("dump/OPENMV_AE3.mram.bin", 0x47E000, "build/OPENMV_AE3/bin/romfs1.img") &&
	   dumped_at("dump/OPENMV_AE3.ospi.bin", 0x800000, "build/OPENMV_AE3/bin/romfs0.img"),
	   "AE3: then HP, HE and ROMFS1 in MRAM and ROMFS0 in the OSPI flash");
}

/* ---- the Nano boards: the bootloader by hand, as the prompt asks ------------------------------ */

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* firmware.uf2 for the RP2040 (reference dfu-dfuse-picoboot-samba.md §2.8): the payload in
 * 256-byte blocks from 0x10000000; the payload alone goes to payload_rel, to compare. */
static void write_uf2(const char *rel, const char *payload_rel, uint32_t nblocks)
{
	char path[1024];
	write_image(payload_rel, 0, 0, 256 * (size_t)nblocks);
	size_t plen = 0;
	uint8_t *payload = read_all(payload_rel, &plen);
	snprintf(path, sizeof path, "%s/%s", home, rel);
	FILE *f = fopen(path, "wb");
	for (uint32_t i = 0; f && payload && i < nblocks; i++) {
		uint8_t b[512] = {0};
		const uint32_t head[8] = {0x0A324655, 0x9E5D5157, 0x2000, 0x10000000 + 256 * i, 256, i, nblocks,
		                          0xE48BFF56};
		for (int k = 0; k < 8; k++)
			put32(b + 4 * k, head[k]);
		memcpy(b + 32, payload + 256 * i, 256);
		put32(b + 508, 0x0AB16F30);
		fwrite(b, 1, sizeof b, f);
	}
	if (f)
		fclose(f);
	free(payload);
}

static void nano_flow(const char *target, const char *name, const char *file, const char *prompt,
                      const char *waiting, const char *dump, size_t offset)
{
	char dir[200], rel[300], camera[120], payload[300];
	snprintf(dir, sizeof dir, "build/%s/bin", target);
	snprintf(rel, sizeof rel, "%s/%s", dir, file);
	mkdirs(dir);
	snprintf(payload, sizeof payload, "%s/payload.bin", dir);
	if (strstr(file, ".uf2"))
		write_uf2(rel, payload, 36);
	else
		write_image(payload, 0, 0, 9000), write_image(rel, 0, 0, 9000);
	/* nothing on the bus: the board is unplugged until the person's hands bring it up */
	snprintf(camera, sizeof camera, "%s:off,hands=signal", target);
	struct vt *v = start_serial(camera, "Find the camera");
	to_action(v, target, "Flash firmware");
	ok(shows(v, file), "%s: %s found", name, file);
	vt_select(v, "Continue");
	enter(v);
	enter(v); /* Start */
	ok(prompt_up(v, prompt), "%s: the prompt asks for the bootloader by hand", name);
	ok(shows(v, waiting), "%s: and waits for it (%s)", name, waiting);
	vt_kill(v, SIGUSR1);
	char done[200];
	snprintf(done, sizeof done, "Done: %s flash: all 3 steps done", name);
	ok(finish_run(v, done), "%s: it moves on by itself and flashes", name);
	vt_free(v);
	ok(dumped_at(dump, offset, payload), "%s: %s in flash at 0x%zX", name, file, offset);
}

void flow_e2e_nano33(void)
{
	/* bossac --offset=0x16000 is physical 0x26000 [inferred: offsets count from 0x10000] */
	nano_flow("ARDUINO_NANO_33_BLE_SENSE", "Arduino Nano 33 BLE Sense", "firmware.bin",
	          "Double-tap the RESET button", "SAM-BA bootloader 2341:005a",
	          "dump/ARDUINO_NANO_33_BLE_SENSE.flash.bin", 0x26000);
}

void flow_e2e_nano_rp2040(void)
{
	nano_flow("ARDUINO_NANO_RP2040_CONNECT", "Arduino Nano RP2040 Connect", "firmware.uf2",
	          "Hold the BOOTSEL button while connecting USB", "RP2040 BOOTSEL 2E8A:0003",
	          "dump/ARDUINO_NANO_RP2040_CONNECT.flash.bin", 0);
}

/* A Nano 33 BLE Sense without the layout of Arduino's updater sketch (the simulator's
 * layout=stock): the wizard stops before writing and shows why, and how to fix it. */
void flow_e2e_nano33_stock(void)
{
	const char *target = "ARDUINO_NANO_33_BLE_SENSE";
	mkdirs("build/ARDUINO_NANO_33_BLE_SENSE/bin");
	write_image("build/ARDUINO_NANO_33_BLE_SENSE/bin/firmware.bin", 0, 0, 9000);
	struct vt *v = start_serial("ARDUINO_NANO_33_BLE_SENSE:off,hands=signal,layout=stock", "Find the camera");
	to_action(v, target, "Flash firmware");
	vt_select(v, "Continue");
	enter(v);
	enter(v); /* Start */
	ok(prompt_up(v, "Double-tap the RESET button"), "stock Nano 33: the prompt asks for the bootloader");
	vt_kill(v, SIGUSR1);
	if (vt_wait_text(v, "Nano33_updateBLandSoftDevice", 20000))
		vt_dump(v, stdout);
	ok(shows(v, "no SoftDevice") && shows(v, "Nano33_updateBLandSoftDevice") && shows(v, "nothing was written"),
	   "stock Nano 33: the wizard shows why it stopped and names Arduino's updater sketch");
	ok(!vt_contains(v, "--"), "stock Nano 33: no command-line option on the screen");
	vt_free(v);
	ok(!dumped_at("dump/ARDUINO_NANO_33_BLE_SENSE.flash.bin", 0x26000,
	              "build/ARDUINO_NANO_33_BLE_SENSE/bin/firmware.bin"),
	   "stock Nano 33: the firmware was not written");
}

/* ---- the result screen at 80x24: a long note and the log's path, nothing cut ------------- */

/* Every row of the screen's text above its menu, joined: with spaces (words) and without
 * (a path split across rows), scrolling with PgDn while the screen says there is more. */
static void result_text(struct vt *v, char *words, size_t wn, char *packed, size_t pn)
{
	size_t w = 0, p = 0;
	for (int page = 0; page < 10; page++) {
		for (int row = 1; row < vt_rows(v) - 1; row++) {
			char line[400];
			vt_row(v, row, line, sizeof line);
			if (strstr(line, "PgUp/PgDn"))
				continue;
			for (char *c = line; *c; c++) {
				if (!strncmp(c, "\u2502", 3)) { /* the frame's side */
					c += 2;
					continue;
				}
				if (w + 2 < wn)
					words[w++] = *c;
				if (*c != ' ' && p + 1 < pn)
					packed[p++] = *c;
			}
			if (w + 2 < wn)
				words[w++] = ' ';
		}
		int row, col, first, last, total;
		char more[200];
		if (vt_find(v, "(rows ", &row, &col))
			break;
		vt_row(v, row, more, sizeof more);
		if (sscanf(strstr(more, "(rows "), "(rows %d-%d of %d", &first, &last, &total) != 3 || last >= total)
			break;
		vt_key(v, VTERM_KEY_PAGEDOWN);
		vt_wait_idle(v, 500);
	}
	words[w] = packed[p] = '\0';
}

static void squeeze(char *s) /* runs of spaces become one */
{
	char *o = s;
	for (char *c = s; *c; c++)
		if (*c != ' ' || (o > s && o[-1] != ' '))
			*o++ = *c;
	*o = '\0';
}

void flow_result_long_note(void)
{
	mkdirs("build/OPENMV_AE3/bin");
	write_image("build/OPENMV_AE3/bin/bootloader.bin", 0, 0, 4096);
	write_toc("build/OPENMV_AE3/bin/firmware_pad.toc");
	struct vt *v = start_serial("OPENMV_AE3:se,se-silent,hands=signal", "0403:6015");
	enter(v); /* restore the bootloader */
	vt_select(v, "Continue");
	enter(v);
	enter(v); /* Start */
	ok(prompt_up(v, "Waiting for the Secure Enclave's answer"), "AE3 restore: the hard-maintenance prompt");
	vt_key(v, VTERM_KEY_ESCAPE);
	vt_type(v, "y");
	ok(vt_wait_text(v, "openmv-rescue - Result", WAIT_MS) == 0, "cancelled: the result screen at 80x24");
	static char words[8000], packed[8000];
	result_text(v, words, sizeof words, packed, sizeof packed);
	squeeze(words);
	bool whole = strstr(words, "The Secure Enclave's system package (Alif's SP-*.bin) is not included: it "
	                    "is taken from an OpenMV IDE installation, or from a folder you name.") != NULL;
	ok(whole, "the system-package note is shown to its last words");
	if (!whole)
		printf("# %s\n", words);
	vt_type(v, "s");
	char cmd[700], path[600] = "";
	snprintf(cmd, sizeof cmd, "ls %s/openmv-rescue-*.log 2>/dev/null", home);
	FILE *ls = popen(cmd, "r");
	if (ls && fgets(path, sizeof path, ls))
		path[strcspn(path, "\n")] = '\0';
	if (ls)
		pclose(ls);
	result_text(v, words, sizeof words, packed, sizeof packed);
	ok(path[0] && strstr(packed, path), "the saved log's whole path is shown (%zu characters): %s",
	   strlen(path), path);
	ok(!vt_contains(v, "%.250s"), "no format left on the status line");
	vt_free(v);
}
