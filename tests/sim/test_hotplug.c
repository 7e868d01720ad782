/* Unplug and re-enumeration through the real libusb: ENODEV on open handles,
 * in-flight transfers ending with NO_DEVICE, hotplug events for the new identity,
 * the bootloader's power-up window, the camera's mode switches and a replug. */
#include <stdio.h>
#include <string.h>

#include "camera.h"
#include "../common/tap.h"
#include "testdev.h"

static libusb_context *ctx;
static int arrived_1204, left_9204;

static int on_hotplug(libusb_context *c, libusb_device *d, libusb_hotplug_event ev, void *user)
{
	struct libusb_device_descriptor dd;

	(void)c;
	(void)user;
	libusb_get_device_descriptor(d, &dd);
	if (ev == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED && dd.idProduct == 0x1204)
		arrived_1204++;
	if (ev == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT && dd.idProduct == 0x9204)
		left_9204++;
	return 0;
}

static void pump_until(int *flag, int ms)
{
	long long end = ms_now() + ms;

	while (!*flag && ms_now() < end) {
		struct timeval tv = {0, 10000};
		libusb_handle_events_timeout_completed(ctx, &tv, NULL);
	}
}

static void xfer_cb(struct libusb_transfer *t)
{
	*(int *)t->user_data = 1;
}

int main(void)
{
	struct usbsim *sim = testdev_sim_or_skip();
	char err[256];
	uint8_t st[6];

	tap_plan(14);
	struct camera_options fw_after = {.after_leave = CAMERA_FIRMWARE};
	struct camera *cam = camera_new(sim, camera_type_find("OPENMV4"), 1, NULL, &fw_after);
	camera_plug(cam, CAMERA_BOOTLOADER, err, sizeof err);
	struct usbsim_dev *td = testdev_plug(sim, 2, TESTDEV_PID);
	libusb_init(&ctx);
	libusb_hotplug_callback_handle hh;
	libusb_hotplug_register_callback(ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
					 0x37C5, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, NULL, &hh);

	/* An in-flight transfer when the cable goes. */
	libusb_device_handle *th = testdev_open(ctx, TESTDEV_VID, TESTDEV_PID, 500);
	libusb_set_auto_detach_kernel_driver(th, 1);
	libusb_claim_interface(th, 0);
	uint8_t in[64];
	int done = 0;
	struct libusb_transfer *t = libusb_alloc_transfer(0);
	libusb_fill_interrupt_transfer(t, th, 0x81, in, sizeof in, xfer_cb, &done, 0);
	libusb_submit_transfer(t);
	usbsim_unplug(td);
	pump_until(&done, 2000);
	tap_check(done && t->status == LIBUSB_TRANSFER_NO_DEVICE, "an in-flight transfer ends with NO_DEVICE on unplug",
	       "done %d status %d", done, t->status);
	libusb_free_transfer(t);
	int r = libusb_control_transfer(th, 0xC0, 1, 0, 0, in, 8, 500);
	tap_check(r == LIBUSB_ERROR_NO_DEVICE, "a new request on the open handle: NO_DEVICE", "%s", libusb_error_name(r));
	libusb_close(th);
	tap_check(testdev_wait(ctx, TESTDEV_VID, TESTDEV_PID, false, 2000), "the unplugged device leaves the list", "-");

	/* DETACH: the bootloader jumps to the firmware, which enumerates as 37C5:1204. */
	libusb_device_handle *h = testdev_open(ctx, 0x37C5, 0x9204, 500);
	libusb_claim_interface(h, 0);
	r = dfu_simple(h, 0);
	tap_check(r == 0, "DETACH is answered before the bootloader leaves", "%s", libusb_error_name(r));
	pump_until(&arrived_1204, 3000);
	tap_check(left_9204 == 1 && arrived_1204 == 1, "hotplug: 9204 left, the firmware 1204 arrived",
	       "left %d arrived %d", left_9204, arrived_1204);
	r = dfu_getstatus(h, st);
	tap_check(r == LIBUSB_ERROR_NO_DEVICE, "the old handle now gets NO_DEVICE", "%s", libusb_error_name(r));
	libusb_close(h);
	tap_check(camera_mode(cam) == CAMERA_FIRMWARE, "the camera is in firmware mode", "mode %d", camera_mode(cam));

	/* The hook for the running firmware: "reboot into the bootloader". */
	camera_reboot_to_bootloader(cam);
	tap_check(testdev_wait(ctx, 0x37C5, 0x9204, true, 2000) && !testdev_present(ctx, 0x37C5, 0x1204),
	       "camera_reboot_to_bootloader: 1204 goes, 9204 comes", "-");

	/* A plain reset: the power-up window, nobody talks, the firmware starts. */
	long long t0 = ms_now();
	camera_reboot(cam);
	bool back = testdev_wait(ctx, 0x37C5, 0x9204, true, 1000);
	bool fw = back && testdev_wait(ctx, 0x37C5, 0x1204, true, 3000);
	long long dt = ms_now() - t0;
	tap_check(fw && dt >= 1500, "power-up: the bootloader leaves for the firmware after 1500 ms of silence",
	       "back %d firmware %d after %lld ms", back, fw, dt);

	/* A GETSTATUS in dfuIDLE does not hold the window: only a download (on the GETSTATUS
	 * that follows it) or an upload does (openmv/openmv:boot/src/common/dfu.c, main.c). */
	camera_reboot(cam);
	h = testdev_open(ctx, 0x37C5, 0x9204, 1000);
	r = h ? dfu_getstatus(h, st) : -99;
	fw = testdev_wait(ctx, 0x37C5, 0x1204, true, 3000);
	tap_check(r == 6 && fw, "a GETSTATUS in dfuIDLE does not hold the window: the firmware starts",
	       "r %d firmware %d", r, fw);
	if (h)
		libusb_close(h);

	/* ...an UPLOAD does. */
	camera_reboot(cam);
	h = testdev_open(ctx, 0x37C5, 0x9204, 1000);
	uint8_t up[64] = {0};
	if (h)
		libusb_claim_interface(h, 0);
	r = h ? testdev_dfu_upload(h, 0, up, sizeof up) : -99;
	bool still = testdev_wait(ctx, 0x37C5, 0x1204, true, 2000) == false && testdev_present(ctx, 0x37C5, 0x9204);
	tap_check(r == (int)sizeof up && still, "an UPLOAD within the window holds the bootloader", "r %d", r);
	r = h ? (libusb_reset_device(h), dfu_getstatus(h, st)) : -99;
	tap_check(r == LIBUSB_ERROR_NO_DEVICE && testdev_wait(ctx, 0x37C5, 0x1204, true, 2000),
	       "a USB reset makes it leave for the firmware", "%s", libusb_error_name(r));
	if (h)
		libusb_close(h);

	/* ...and so does a DNLOAD with the GETSTATUS that follows it. */
	camera_reboot(cam);
	h = testdev_open(ctx, 0x37C5, 0x9204, 1000);
	if (h) {
		libusb_claim_interface(h, 0);
		libusb_set_interface_alt_setting(h, 0, 1); /* the filesystem partition */
	}
	r = h ? dfu_dnload(h, 0, up, sizeof up) : -99;
	int r2 = h ? dfu_getstatus(h, st) : -99;
	still = testdev_wait(ctx, 0x37C5, 0x1204, true, 2000) == false && testdev_present(ctx, 0x37C5, 0x9204);
	tap_check(r >= 0 && r2 == 6 && still, "a DNLOAD and its GETSTATUS hold the bootloader", "r %d %d", r, r2);
	if (h) {
		libusb_reset_device(h);
		libusb_close(h);
	}
	testdev_wait(ctx, 0x37C5, 0x1204, true, 2000);

	/* A person replugs the camera (openmv-rescue-sim's SIGUSR1): from the ST ROM it comes
	 * back in its after-leave mode, the firmware here. */
	camera_switch(cam, CAMERA_ST_ROM, 0);
	bool rom = testdev_wait(ctx, 0x0483, 0xDF11, true, 2000);
	camera_replug(cam);
	tap_check(rom && testdev_wait(ctx, 0x37C5, 0x1204, true, 2000) && !testdev_present(ctx, 0x0483, 0xDF11),
	       "camera_replug: the ST ROM goes, the after-leave mode comes", "rom %d", rom);

	libusb_hotplug_deregister_callback(ctx, hh);
	libusb_exit(ctx);
	camera_switch(cam, CAMERA_OFF, 0);
	usbsim_free(sim);
	camera_free(cam);
	return tap_exit();
}
