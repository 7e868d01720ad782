/* The DfuSe models (ST system ROM, Arduino bootloader) request by request through
 * libusb: the ST rules of reference dfu-dfuse-picoboot-samba.md §1.3 and §1.14. */
#include <stdio.h>
#include <string.h>

#include "camera.h"
#include "../common/tap.h"
#include "testdev.h"

static libusb_context *ctx;

static libusb_device_handle *open_at(struct camera *cam, int alt)
{
	libusb_device_handle *h = NULL;
	libusb_device **list;
	ssize_t n = libusb_get_device_list(ctx, &list);

	for (ssize_t i = 0; i < n && !h; i++)
		if (libusb_get_device_address(list[i]) == usbsim_devnum(camera_usb(cam)))
			libusb_open(list[i], &h);
	libusb_free_device_list(list, 1);
	if (h) {
		libusb_claim_interface(h, 0);
		libusb_set_interface_alt_setting(h, 0, alt);
	}
	return h;
}

/* A DfuSe command or data block: DNLOAD, then GETSTATUS until not busy.
 * Returns the state of the first reply; *st holds the last. */
static int dfuse(libusb_device_handle *h, uint16_t block, const void *data, uint16_t len, uint8_t st[6])
{
	if (dfu_dnload(h, block, data, len) < 0)
		return -1;
	dfu_getstatus(h, st);
	int first = st[4];
	for (int i = 0; i < 5 && st[4] == 4; i++)
		dfu_getstatus(h, st);
	return first;
}

static void cmd5(uint8_t b[5], uint8_t op, uint32_t a)
{
	b[0] = op, b[1] = (uint8_t)a, b[2] = (uint8_t)(a >> 8), b[3] = (uint8_t)(a >> 16), b[4] = (uint8_t)(a >> 24);
}

static void test_rom_rules(struct camera *cam)
{
	libusb_device_handle *h = open_at(cam, 0);
	uint8_t st[6], c[5], data[1024], up[8];

	dfu_getstatus(h, st);
	tap_check(st[0] == 10 && st[4] == 10, "ST ROM without an application starts in dfuERROR / errFIRMWARE",
	       "status %d state %d", st[0], st[4]);
	dfu_simple(h, 6 /* ABORT */);
	dfu_getstatus(h, st);
	tap_check(st[4] == 10, "ABORT is ignored in dfuERROR", "state %d", st[4]);
	dfu_simple(h, 4);
	dfu_getstatus(h, st);
	tap_check(st[0] == 0 && st[4] == 2, "CLRSTATUS leaves dfuERROR", "state %d", st[4]);
	dfu_simple(h, 4);
	dfu_getstatus(h, st);
	tap_check(st[0] == 14 && st[4] == 10, "CLRSTATUS outside dfuERROR: dfuERROR / errUNKNOWN", "status %d state %d",
	       st[0], st[4]);
	dfu_simple(h, 4);

	cmd5(c, 0x21, 0x08000000);
	int first = dfuse(h, 0, c, 5, st);
	tap_check(first == 4 && st[4] == 5, "a command: dfuDNBUSY first, then dfuDNLOAD-IDLE", "%d then %d", first,
	       st[4]);

	/* Programming without the erase ANDs into old data: the damage shows. */
	struct simmem *flash = camera_memory(cam, "flash");
	memset(flash->bytes, 0x0F, 2048);
	memset(data, 0xF0, sizeof data);
	dfuse(h, 2, data, 1024, st);
	tap_check(flash->bytes[0] == 0x00 && flash->unerased_writes > 0, "a write without its erase is caught",
	       "byte 0x%02X, %lu unerased", flash->bytes[0], flash->unerased_writes);
	cmd5(c, 0x41, 0x08000400); /* any address inside the 128 KiB sector */
	dfuse(h, 0, c, 5, st);
	cmd5(c, 0x21, 0x08000000);
	dfuse(h, 0, c, 5, st);
	dfuse(h, 2, data, 1024, st);
	dfuse(h, 3, data, 1024, st); /* wValue 3 = pointer + 1 x wTransferSize */
	tap_check(st[4] == 5 && memcmp(flash->bytes, data, 1024) == 0 && memcmp(flash->bytes + 1024, data, 1024) == 0 &&
	       flash->bytes[2048] == 0xFF, "erase page, then blocks 2 and 3 at pointer + (n-2) x 1024", "state %d",
	       st[4]);
	cmd5(c, 0x21, 0x20000000);
	dfuse(h, 0, c, 5, st);
	tap_check(st[0] == 1 && st[4] == 10, "an address outside the layout: errTARGET", "status %d", st[0]);
	dfu_simple(h, 4);

	dfu_simple(h, 6);
	int n = testdev_dfu_upload(h, 0, up, sizeof up);
	tap_check(n == 4 && memcmp(up, "\x00\x21\x41\x92", 4) == 0, "UPLOAD block 0: Get Commands 00 21 41 92", "%d", n);
	dfu_simple(h, 6);
	cmd5(c, 0x21, 0x08000000);
	dfuse(h, 0, c, 5, st);
	dfu_simple(h, 6);
	n = testdev_dfu_upload(h, 3, up, sizeof up);
	tap_check(n == 8 && memcmp(up, data, 8) == 0, "UPLOAD block 3 reads pointer + 1 x 1024", "%d", n);
	dfu_simple(h, 6);
	uint8_t mass = 0x41;
	dfuse(h, 0, &mass, 1, st);
	tap_check(flash->bytes[0] == 0xFF && flash->bytes[1024] == 0xFF, "mass erase", "-");

	/* :leave — zero-length DNLOAD, GETSTATUS reports dfuMANIFEST, the device goes. */
	dfu_simple(h, 6);
	dfu_dnload(h, 2, NULL, 0);
	dfu_getstatus(h, st);
	int state = st[4];
	tap_check(state == 7 && testdev_wait(ctx, 0x0483, 0xDF11, false, 2000),
	       "leave: dfuMANIFEST, then the ROM jumps away", "state %d", state);
	libusb_close(h);
}

static void test_h7_rev_v(struct camera *cam)
{
	libusb_device_handle *h = open_at(cam, 0);
	struct simmem *flash = camera_memory(cam, "flash");
	uint8_t st[6], c[5];

	memset(flash->bytes + 0x100000, 0x00, 0x20000);
	dfu_getstatus(h, st);
	dfu_simple(h, 4);
	cmd5(c, 0x41, 0x08100000);
	dfu_dnload(h, 0, c, 5);
	int busy = 0;
	for (int i = 0; i < 4; i++) {
		dfu_getstatus(h, st);
		busy += st[4] == 4 && st[0] == 0 && (st[1] | st[2] << 8) == 1000;
	}
	tap_check(busy == 4, "H7 rev V: erase in bank 2 answers (OK, dfuDNBUSY, 1000 ms) again and again", "%d of 4",
	       busy);
	tap_check(flash->bytes[0x100000] == 0xFF && flash->bytes[0x11FFFF] == 0xFF, "...and yet the sector is erased",
	       "-");
	dfu_simple(h, 4);
	dfu_getstatus(h, st);
	tap_check(st[0] == 14 && st[4] == 10, "first CLRSTATUS: errUNKNOWN / dfuERROR", "status %d state %d", st[0], st[4]);
	dfu_simple(h, 4);
	dfu_getstatus(h, st);
	tap_check(st[0] == 0 && st[4] == 2, "second CLRSTATUS: OK / dfuIDLE", "status %d state %d", st[0], st[4]);
	cmd5(c, 0x41, 0x08020000);
	int first = dfuse(h, 0, c, 5, st);
	tap_check(first == 4 && st[4] == 5, "bank 1 erases finish normally", "%d then %d", first, st[4]);
	libusb_close(h);
}

static void test_arduino(struct camera *cam)
{
	libusb_device_handle *h = open_at(cam, 1);
	uint8_t st[6], c[5], data[4096];

	dfu_getstatus(h, st);
	tap_check(st[4] == 2, "the Arduino bootloader starts in dfuIDLE", "state %d", st[4]);
	memset(data, 0xA5, sizeof data);
	cmd5(c, 0x41, 0x90B00000);
	dfuse(h, 0, c, 5, st);
	cmd5(c, 0x21, 0x90B00000);
	dfuse(h, 0, c, 5, st);
	dfuse(h, 2, data, 4096, st);
	struct simmem *q = camera_memory(cam, "qspi");
	tap_check(st[4] == 5 && memcmp(q->bytes + 0xB00000, data, 4096) == 0, "QSPI on alt 1 at 0x90000000", "state %d",
	       st[4]);
	libusb_set_interface_alt_setting(h, 0, 0);
	cmd5(c, 0x41, 0x08000000);
	dfuse(h, 0, c, 5, st);
	tap_check(st[0] == 1 && st[4] == 10, "sector 0 (the Arduino bootloader) cannot be erased", "status %d", st[0]);
	dfu_simple(h, 4);
	dfu_simple(h, 0 /* DETACH */);
	tap_check(testdev_wait(ctx, 0x2341, 0x035B, false, 2000), "DETACH: the bootloader leaves", "-");
	libusb_close(h);
}

int main(void)
{
	struct usbsim *sim = testdev_sim_or_skip();
	char err[256];
	struct camera_options after = {.after_leave = CAMERA_OFF};

	tap_plan(22);
	struct camera *rom = camera_new(sim, camera_type_find("OPENMV4"), 1, NULL, &after);
	struct camera *revv = camera_new(sim, camera_type_find("OPENMV4P"), 2, NULL, &after);
	struct camera *ard = camera_new(sim, camera_type_find("ARDUINO_PORTENTA_H7"), 3, NULL, &after);
	camera_add_fault(revv, "h7-rev-v", err, sizeof err);
	struct camera *f4 = camera_new(sim, camera_type_find("OPENMV2"), 9, NULL, NULL);
	tap_check(camera_add_fault(f4, "h7-rev-v", err, sizeof err) < 0,
	       "h7-rev-v is refused for a camera without an STM32H7", "%s", err);
	camera_plug(rom, CAMERA_ST_ROM, err, sizeof err);
	libusb_init(&ctx);
	test_rom_rules(rom);
	camera_plug(revv, CAMERA_ST_ROM, err, sizeof err);
	test_h7_rev_v(revv);
	camera_plug(ard, CAMERA_ARDUINO_DFU, err, sizeof err);
	test_arduino(ard);
	libusb_exit(ctx);
	usbsim_free(sim);
	camera_free(rom);
	camera_free(revv);
	camera_free(ard);
	camera_free(f4);
	return tap_exit();
}
