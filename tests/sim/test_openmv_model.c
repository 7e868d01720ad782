/* The openmv_dfu bootloader model, request by request through libusb (facts in
 * model_openmv_dfu.c), and every fault kind as a host observes it. */
#include <stdio.h>
#include <string.h>

#include "camera.h"
#include "../common/tap.h"
#include "testdev.h"

static libusb_context *ctx;
static struct usbsim *sim;
static struct camera *cams[16];
static int n_cams;

static struct camera *track(struct camera *cam)
{
	cams[n_cams++] = cam;
	return cam;
}

static struct camera *plug(const char *type, int port, bool realistic)
{
	char err[256];
	struct camera_options o = {.realistic_timing = realistic};
	struct camera *cam = track(camera_new(sim, camera_type_find(type), port, NULL, &o));

	camera_plug(cam, CAMERA_BOOTLOADER, err, sizeof err);
	return cam;
}

static libusb_device_handle *open_cam(struct camera *cam, int alt)
{
	const struct camera_type *t = camera_type_of(cam);
	libusb_device_handle *h = NULL;
	libusb_device **list;
	ssize_t n = libusb_get_device_list(ctx, &list);

	for (ssize_t i = 0; i < n && !h; i++)
		if (libusb_get_device_address(list[i]) == usbsim_devnum(camera_usb(cam)))
			libusb_open(list[i], &h);
	libusb_free_device_list(list, 1);
	if (h && (libusb_claim_interface(h, 0) != 0 || libusb_set_interface_alt_setting(h, 0, alt) != 0)) {
		libusb_close(h);
		h = NULL;
	}
	(void)t;
	return h;
}

/* DNLOAD one block and poll as dfu-util does; returns the final status byte pair. */
static int write_block(libusb_device_handle *h, uint16_t block, const uint8_t *data, uint16_t len, uint8_t st[6])
{
	int r = dfu_dnload(h, block, data, len);
	if (r < 0)
		return r;
	for (int i = 0; i < 10; i++) {
		r = dfu_getstatus(h, st);
		if (r != 6 || st[4] == 5 || st[4] == 10)
			return r;
	}
	return -100;
}

static void test_protocol(void)
{
	struct camera *cam = plug("OPENMV4", 1, false);
	libusb_device_handle *h = open_cam(cam, 0);
	uint8_t blk[4096], st[6], back[4096];

	memset(blk, 0x5A, sizeof blk);
	int r = dfu_dnload(h, 0, blk, sizeof blk);
	int r1 = dfu_getstatus(h, st);
	tap_check(r == 4096 && r1 == 6 && st[4] == 4 /* dfuDNBUSY */ && st[0] == 0,
	       "first GETSTATUS after DNLOAD: dfuDNBUSY", "r %d state %d", r, st[4]);
	dfu_getstatus(h, st);
	tap_check(st[0] == 3 && st[4] == 10, "alt 0 BOOTLOADER is read-only: errWRITE, dfuERROR", "status %d state %d",
	       st[0], st[4]);
	r = dfu_dnload(h, 0, blk, sizeof blk);
	tap_check(r == LIBUSB_ERROR_PIPE, "DNLOAD in dfuERROR stalls", "%s", libusb_error_name(r));
	dfu_simple(h, 4 /* CLRSTATUS */);
	dfu_getstatus(h, st);
	tap_check(st[0] == 0 && st[4] == 2, "CLRSTATUS returns to dfuIDLE", "status %d state %d", st[0], st[4]);

	/* FILESYSTEM (alt 1) = 0x08020000, one 128 KiB sector: the write at its start erases it. */
	struct simmem *flash = camera_memory(cam, "flash");
	memset(flash->bytes + 0x20000, 0x11, 0x20000);
	libusb_set_interface_alt_setting(h, 0, 1);
	r = write_block(h, 0, blk, sizeof blk, st);
	bool erased = flash->bytes[0x21000] == 0xFF && flash->bytes[0x3FFFF] == 0xFF;
	tap_check(r == 6 && st[4] == 5 && memcmp(flash->bytes + 0x20000, blk, 4096) == 0 && erased,
	       "block 0 of alt 1 lands at 0x08020000 and its sector is erased first", "state %d erased %d", st[4],
	       erased);
	r = write_block(h, 32, blk, sizeof blk, st);
	tap_check(r == 6 && st[0] == 8 && st[4] == 10, "a block past the partition's limit: errADDRESS", "status %d",
	       st[0]);
	dfu_simple(h, 4);

	/* Upload: whole blocks, then a 4-byte frame of zeros at the limit. */
	libusb_set_interface_alt_setting(h, 0, 1);
	r = testdev_dfu_upload(h, 0, back, sizeof back);
	int r2 = testdev_dfu_upload(h, 31, back, sizeof back);
	int r3 = testdev_dfu_upload(h, 32, back, sizeof back);
	tap_check(r == 4096 && r2 == 4096 && r3 == 4 && memcmp(back, "\0\0\0\0", 4) == 0,
	       "upload: 32 full blocks of FILESYSTEM, then a short frame of 4 zeros", "%d %d %d", r, r2, r3);
	dfu_getstatus(h, st);
	tap_check(st[4] == 2, "the short frame ends the upload (dfuIDLE)", "state %d", st[4]);

	/* A short UPLOAD reads the block's first wLength bytes, and a full reply (as long as
	 * asked) leaves dfuIDLE as it was: TinyUSB's dfu_device.c sets no state on UPLOAD, so
	 * a DNLOAD may follow without ABORT. */
	for (int i = 0; i < 4096; i++)
		flash->bytes[0x20000 + 3 * 4096 + i] = (uint8_t)(i * 3 + 1);
	r = testdev_dfu_upload(h, 3, back, 64);
	dfu_getstatus(h, st);
	bool first64 = r == 64 && memcmp(back, flash->bytes + 0x20000 + 3 * 4096, 64) == 0;
	tap_check(first64 && st[4] == 2, "upload of 64 bytes: block 3's first 64, then still dfuIDLE",
	       "r %d state %d", r, st[4]);
	testdev_dfu_upload(h, 3, back, 64);
	r = write_block(h, 0, blk, sizeof blk, st);
	tap_check(r == 6 && st[4] == 5 && memcmp(flash->bytes + 0x20000, blk, 4096) == 0,
	       "a DNLOAD right after an UPLOAD is taken (no dfuUPLOAD-IDLE to leave)", "r %d state %d", r, st[4]);

	/* Manifestation: zero-length DNLOAD -> dfuMANIFEST -> dfuIDLE (tolerant). */
	write_block(h, 0, blk, sizeof blk, st);
	dfu_dnload(h, 1, NULL, 0);
	dfu_getstatus(h, st);
	int manifest = st[4];
	dfu_getstatus(h, st);
	tap_check(manifest == 7 && st[4] == 2, "zero-length DNLOAD: dfuMANIFEST, then dfuIDLE", "%d then %d", manifest,
	       st[4]);
	libusb_close(h);
}

static void test_timing(void)
{
	struct camera *cam = plug("OPENMV4", 2, true);
	libusb_device_handle *h = open_cam(cam, 2);
	uint8_t blk[4096] = {0}, st[6];

	dfu_dnload(h, 0, blk, sizeof blk);
	dfu_getstatus(h, st);
	unsigned poll = st[1] | st[2] << 8 | st[3] << 16;
	int busy = st[4];
	long long t0 = ms_now();
	dfu_getstatus(h, st); /* asked too early: the busy device answers when done */
	long long dt = ms_now() - t0;
	/* bwPollTimeout is the partition's `delay`, which no board sets (boot/src/common/dfu.c):
	 * the busy reply says 0 and the device holds the next GETSTATUS until the write is done */
	tap_check(busy == 4 && poll == 0 && st[4] == 5, "realistic timing: dfuDNBUSY with bwPollTimeout 0, "
	       "as the real bootloader", "poll %u, busy state %d, then state %d", poll, busy, st[4]);
	tap_check(dt >= 900, "a GETSTATUS during a 128 KiB sector erase (~1 s) is answered when it is done",
	       "answered after %lld ms", dt);
	libusb_close(h);
}

static void test_recovery_key(void)
{
	static const uint8_t key[16] = {0x15, 0x9E, 0x7D, 0x42, 0x96, 0x1A, 0x71, 0xEB,
					0x73, 0xA3, 0x26, 0x29, 0x2B, 0x08, 0x09, 0x0E};
	struct camera *cam = plug("OPENMV_AE3", 3, false);
	struct simmem *ospi = camera_memory(cam, "ospi");
	uint8_t blk[4096] = {0}, st[6];

	memset(ospi->bytes + 0x800000, 0x33, 4096);
	libusb_device_handle *h = open_cam(cam, 7);
	blk[0] = 0x15;
	write_block(h, 0, blk, sizeof blk, st);
	tap_check(st[0] == 3 && ospi->bytes[0x800000] == 0x33, "AE3 alt 7: a wrong key is errWRITE, nothing changes",
	       "status %d", st[0]);
	dfu_simple(h, 4);
	memcpy(blk, key, 16);
	write_block(h, 0, blk, sizeof blk, st);
	tap_check(st[0] == 0 && ospi->bytes[0x800000] == 0xFF, "the key re-initialises the external memory (blank)",
	       "status %d", st[0]);
	write_block(h, 0, blk, sizeof blk, st);
	tap_check(st[0] == 3, "the key works once per bootloader session, then errWRITE", "status %d", st[0]);
	libusb_close(h);
}

/* The AE3's MRAM partitions are guarded by the MPU until block 0 of each is written
 * (boot/src/common/dfu.c); the OSPI ones are not.  A write elsewhere first hangs the bootloader. */
static void test_mpu(void)
{
	struct camera *cam = plug("OPENMV_AE3", 12, false);
	struct simmem *mram = camera_memory(cam, "mram"), *ospi = camera_memory(cam, "ospi");
	uint8_t blk[4096], st[6];

	memset(blk, 0x42, sizeof blk);
	libusb_device_handle *h = open_cam(cam, 6); /* ROMFS0 on OSPI: no MPU region */
	int r = write_block(h, 3, blk, sizeof blk, st);
	tap_check(r == 6 && st[0] == 0 && ospi->bytes[0x800000 + 3 * 4096] == 0x42,
	          "AE3 ROMFS0 (OSPI): block 3 may come first", "r %d status %d", r, st[0]);
	libusb_set_interface_alt_setting(h, 0, 1); /* HP in MRAM */
	r = write_block(h, 0, blk, sizeof blk, st);
	int r2 = write_block(h, 5, blk, sizeof blk, st);
	tap_check(r == 6 && r2 == 6 && st[0] == 0 && mram->bytes[0x20000 + 5 * 4096] == 0x42,
	          "AE3 HP (MRAM): after block 0, any block may follow", "r %d %d status %d", r, r2, st[0]);
	dfu_dnload(h, 6, NULL, 0); /* the manifest closes the region again */
	dfu_getstatus(h, st);
	dfu_getstatus(h, st);
	libusb_set_interface_alt_setting(h, 0, 2); /* HE: its region never opened */
	mram->bytes[0x320000 + 4096] = 0x11;
	r = dfu_dnload(h, 1, blk, sizeof blk);
	int s1 = dfu_getstatus(h, st);
	int s2 = libusb_control_transfer(h, 0xA1, 3, 0, 0, st, 6, 300);
	tap_check(r == 4096 && s1 == 6 && s2 == LIBUSB_ERROR_TIMEOUT && mram->bytes[0x320000 + 4096] == 0x11,
	          "AE3 HE (MRAM): block 1 before block 0 faults the bootloader: nothing written, no answer",
	          "dnload %d status %d then %s", r, s1, s2 < 0 ? libusb_error_name(s2) : "an answer");
	libusb_close(h);
}

/* Every fault kind, each on its own camera (faults count from enumeration). */
static void test_faults(void)
{
	static const struct {
		const char *spec;
		const char *name;
	} f[] = {
		{"stall@2", "stall@2: the second class request stalls"},
		{"timeout@2", "timeout@2: the second request never completes"},
		{"disconnect@block=1", "disconnect@block=1: the device vanishes at block 1"},
		{"status=errVERIFY@block=1", "status=errVERIFY@block=1: block 1 fails with errVERIFY"},
		{"garbage-status@2", "garbage-status@2: the second GETSTATUS is garbage"},
		{"short-status@2", "short-status@2: the second GETSTATUS is 3 bytes"},
	};
	uint8_t blk[4096] = {0}, st[6];
	char err[256];

	for (int i = 0; i < 6; i++) {
		struct camera *cam = track(camera_new(sim, camera_type_find("OPENMV4"), 4 + i, NULL, NULL));
		camera_add_fault(cam, f[i].spec, err, sizeof err);
		camera_plug(cam, CAMERA_BOOTLOADER, err, sizeof err);
		libusb_device_handle *h = open_cam(cam, 2);
		int r0 = dfu_getstatus(h, st), r = 0;
		bool ok = false;
		switch (i) {
		case 0:
			r = dfu_dnload(h, 0, blk, sizeof blk);
			ok = r0 == 6 && r == LIBUSB_ERROR_PIPE;
			break;
		case 1:
			r = libusb_control_transfer(h, 0xA1, 3, 0, 0, st, 6, 200);
			ok = r0 == 6 && r == LIBUSB_ERROR_TIMEOUT;
			break;
		case 2:
			write_block(h, 0, blk, sizeof blk, st);
			r = dfu_dnload(h, 1, blk, sizeof blk);
			ok = r == LIBUSB_ERROR_NO_DEVICE && camera_usb(cam) == NULL;
			break;
		case 3:
			write_block(h, 0, blk, sizeof blk, st);
			r = write_block(h, 1, blk, sizeof blk, st);
			ok = r == 6 && st[0] == 7 && st[4] == 10;
			break;
		case 4:
			r = dfu_getstatus(h, st);
			ok = r == 6 && st[0] == 0xA5 && st[4] == 0xEE;
			break;
		case 5:
			r = dfu_getstatus(h, st);
			ok = r == 3;
			break;
		}
		tap_check(ok, f[i].name, "first %d then %d (%s)", r0, r, r < 0 ? libusb_error_name(r) : "-");
		libusb_close(h);
	}
	struct camera *bad = track(camera_new(sim, camera_type_find("OPENMV4"), 11, NULL, NULL));
	tap_check(camera_add_fault(bad, "stall@x", err, sizeof err) < 0 && camera_add_fault(bad, "status=errFOO@block=1",
	       err, sizeof err) < 0, "malformed fault specifications are refused", "-");
}

int main(void)
{
	sim = testdev_sim_or_skip();
	tap_plan(26);
	libusb_init(&ctx);
	test_protocol();
	test_timing();
	test_recovery_key();
	test_mpu();
	test_faults();
	libusb_exit(ctx);
	usbsim_free(sim);
	for (int i = 0; i < n_cams; i++)
		camera_free(cams[i]);
	return tap_exit();
}
