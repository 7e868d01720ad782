/* The usbfs layer seen through the real libusb, in this process: enumeration and
 * strings, claiming, the kernel-driver detach path, control/interrupt/bulk
 * transfers, timeouts and cancellation, the synchronous CONTROL ioctl, counters. */
#include <sys/ioctl.h>
#include <fcntl.h>
#include <linux/usbdevice_fs.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "camera.h"
#include "../common/tap.h"
#include "testdev.h"

static libusb_context *ctx;

static void test_enumeration(struct camera *cam)
{
	libusb_device_handle *h = testdev_open(ctx, 0x37C5, 0x9204, 2000);
	unsigned char s[128];

	tap_check(h != NULL, "OPENMV4 bootloader enumerates as 37C5:9204", "not found");
	if (!h)
		return;
	libusb_device *d = libusb_get_device(h);
	struct libusb_device_descriptor dd;
	libusb_get_device_descriptor(d, &dd);
	tap_check(libusb_get_bus_number(d) == 1 && libusb_get_device_address(d) == usbsim_devnum(camera_usb(cam)),
	       "bus and device number come from sysfs", "bus %d addr %d", libusb_get_bus_number(d),
	       libusb_get_device_address(d));
	int n = libusb_get_string_descriptor_ascii(h, dd.iProduct, s, sizeof s);
	tap_check(n > 0 && strcmp((char *)s, "OpenMV Camera (DFU Mode)") == 0, "product string via GET_DESCRIPTOR",
	       "got %d \"%s\"", n, n > 0 ? (char *)s : "");
	struct libusb_config_descriptor *cfg = NULL;
	libusb_get_active_config_descriptor(d, &cfg);
	bool ok = cfg && cfg->bNumInterfaces == 1 && cfg->interface[0].num_altsetting == 4;
	const struct libusb_interface_descriptor *last = ok ? &cfg->interface[0].altsetting[3] : NULL;
	static const uint8_t func[9] = {9, 0x21, 0x07, 0xE8, 0x03, 0x00, 0x10, 0x10, 0x01};
	tap_check(ok && last->extra_length == 9 && memcmp(last->extra, func, 9) == 0,
	       "4 alternate settings, DFU functional descriptor after the last",
	       "alts %d extra %d", ok ? cfg->interface[0].num_altsetting : -1, last ? last->extra_length : -1);
	n = last ? libusb_get_string_descriptor_ascii(h, last->iInterface, s, sizeof s) : -1;
	tap_check(n > 0 && strcmp((char *)s, "ROMFS0") == 0, "alt 3 is named ROMFS0", "got %d", n);
	libusb_free_config_descriptor(cfg);
	uint8_t fd[16];
	n = libusb_get_descriptor(h, 0x21, 0, fd, sizeof fd);
	tap_check(n == 9 && memcmp(fd, func, 9) == 0, "GET_DESCRIPTOR(0x21) answers the functional descriptor",
	       "got %d", n);
	tap_check(usbsim_control_count(camera_usb(cam), 0x80, 6) >= 3, "the layer counts control requests",
	       "%u GET_DESCRIPTOR", usbsim_control_count(camera_usb(cam), 0x80, 6));
	libusb_close(h);
}

static void test_claims(void)
{
	libusb_device_handle *a = testdev_open(ctx, 0x37C5, 0x9204, 500);
	libusb_device_handle *b = testdev_open(ctx, 0x37C5, 0x9204, 500);

	if (!a || !b) {
		tap_check(false, "two handles on one device", "open failed");
		return;
	}
	tap_check(libusb_claim_interface(a, 0) == 0, "first handle claims interface 0", "-");
	int r = libusb_claim_interface(b, 0);
	tap_check(r == LIBUSB_ERROR_BUSY, "a second handle gets LIBUSB_ERROR_BUSY", "%s", libusb_error_name(r));
	libusb_release_interface(a, 0);
	r = libusb_claim_interface(b, 0);
	tap_check(r == 0, "after release the second handle claims it", "%s", libusb_error_name(r));
	libusb_close(b); /* closing releases, as close() on usbfs does */
	r = libusb_claim_interface(a, 0);
	tap_check(r == 0, "closing a handle releases its claim", "%s", libusb_error_name(r));
	r = libusb_set_interface_alt_setting(a, 0, 2);
	tap_check(r == 0, "SETINTERFACE to alt 2", "%s", libusb_error_name(r));
	r = libusb_set_interface_alt_setting(a, 0, 9);
	tap_check(r == LIBUSB_ERROR_NOT_FOUND, "SETINTERFACE to a missing alt: NOT_FOUND", "%s", libusb_error_name(r));
	libusb_close(a);
}

static void test_kernel_driver(void)
{
	libusb_device_handle *h = testdev_open(ctx, TESTDEV_VID, TESTDEV_PID, 500);

	if (!h) {
		tap_check(false, "test device", "not found");
		return;
	}
	tap_check(libusb_kernel_driver_active(h, 0) == 1, "usbhid is bound to the HID interface", "-");
	int r = libusb_claim_interface(h, 0);
	tap_check(r == LIBUSB_ERROR_BUSY, "claiming it while usbhid owns it: BUSY", "%s", libusb_error_name(r));
	r = libusb_detach_kernel_driver(h, 0);
	tap_check(r == 0 && libusb_kernel_driver_active(h, 0) == 0, "detach_kernel_driver unbinds usbhid", "%s",
	       libusb_error_name(r));
	tap_check(libusb_claim_interface(h, 0) == 0, "then the claim succeeds", "-");
	libusb_release_interface(h, 0);
	r = libusb_attach_kernel_driver(h, 0);
	tap_check(r == 0 && libusb_kernel_driver_active(h, 0) == 1, "attach_kernel_driver binds it again", "%s",
	       libusb_error_name(r));
	libusb_set_auto_detach_kernel_driver(h, 1);
	r = libusb_claim_interface(h, 0);
	tap_check(r == 0, "auto-detach claims through DISCONNECT_CLAIM", "%s", libusb_error_name(r));
	r = libusb_detach_kernel_driver(h, 1);
	tap_check(r == LIBUSB_ERROR_NOT_FOUND, "no driver on the vendor interface: NOT_FOUND", "%s",
	       libusb_error_name(r));
	libusb_close(h);
}

static void xfer_cb(struct libusb_transfer *t)
{
	*(int *)t->user_data = 1;
}

static void test_transfers(void)
{
	libusb_device_handle *h = testdev_open(ctx, TESTDEV_VID, TESTDEV_PID, 500);
	uint8_t out[8] = {1, 2, 3, 4, 5, 6, 7, 8}, in[64];
	int n = 0, r;

	if (!h)
		return;
	libusb_set_auto_detach_kernel_driver(h, 1);
	libusb_claim_interface(h, 0);
	libusb_claim_interface(h, 1);
	r = libusb_interrupt_transfer(h, 0x01, out, 8, &n, 500);
	int m = 0;
	int r2 = libusb_interrupt_transfer(h, 0x81, in, sizeof in, &m, 500);
	tap_check(r == 0 && n == 8 && r2 == 0 && m == 8 && in[0] == 0xFE && in[7] == 0xF7,
	       "interrupt OUT then IN: the model's inverted echo", "%s/%s n=%d m=%d", libusb_error_name(r),
	       libusb_error_name(r2), n, m);
	r = libusb_bulk_transfer(h, 0x02, out, 8, &n, 500);
	r2 = libusb_bulk_transfer(h, 0x82, in, sizeof in, &m, 500);
	tap_check(r == 0 && r2 == 0 && m == 8 && memcmp(in, out, 8) == 0, "bulk OUT then IN echo", "%s/%s",
	       libusb_error_name(r), libusb_error_name(r2));

	long long t0 = ms_now();
	r = libusb_interrupt_transfer(h, 0x81, in, sizeof in, &m, 150);
	long long dt = ms_now() - t0;
	tap_check(r == LIBUSB_ERROR_TIMEOUT && dt >= 140, "interrupt IN without data times out (then discarded)",
	       "%s after %lld ms", libusb_error_name(r), dt);

	struct libusb_transfer *t = libusb_alloc_transfer(0);
	int done = 0;
	libusb_fill_interrupt_transfer(t, h, 0x81, in, sizeof in, xfer_cb, &done, 0);
	libusb_submit_transfer(t);
	struct timeval tv = {0, 20000};
	libusb_handle_events_timeout_completed(ctx, &tv, NULL);
	libusb_cancel_transfer(t);
	while (!done)
		libusb_handle_events_completed(ctx, &done);
	tap_check(t->status == LIBUSB_TRANSFER_CANCELLED, "a pending URB is cancelled by DISCARDURB", "status %d",
	       t->status);
	libusb_free_transfer(t);

	r = libusb_control_transfer(h, 0xC0, 1, 0, 0, in, 16, 500);
	tap_check(r == 5 && memcmp(in, "hello", 5) == 0, "vendor control IN", "%d", r);
	r = libusb_control_transfer(h, 0xC0, 3, 0, 0, in, 16, 500);
	tap_check(r == LIBUSB_ERROR_PIPE, "a stalled request: LIBUSB_ERROR_PIPE", "%s", libusb_error_name(r));
	t0 = ms_now();
	r = libusb_control_transfer(h, 0xC0, 2, 0, 0, in, 16, 500);
	dt = ms_now() - t0;
	tap_check(r == 4 && dt >= 45, "a busy device answers later (50 ms)", "%d after %lld ms", r, dt);
	r = libusb_control_transfer(h, 0xC0, 4, 0, 0, in, 16, 100);
	tap_check(r == LIBUSB_ERROR_TIMEOUT, "a request never answered: LIBUSB_ERROR_TIMEOUT", "%s",
	       libusb_error_name(r));
	libusb_close(h);
}

/* libusb only uses SUBMITURB; the synchronous ioctl is exercised directly. */
static void test_sync_control(struct usbsim_dev *dev)
{
	char node[64];
	uint8_t buf[18];

	snprintf(node, sizeof node, "/dev/bus/usb/001/%03d", usbsim_devnum(dev));
	int fd = open(node, O_RDWR);
	struct usbdevfs_ctrltransfer ct = {0x80, 6, 0x0100, 0, 18, 500, buf};
	int r = fd >= 0 ? ioctl(fd, USBDEVFS_CONTROL, &ct) : -1;
	tap_check(r == 18 && buf[0] == 18 && buf[8] == 0x09 && buf[9] == 0x12,
	       "USBDEVFS_CONTROL reads the device descriptor", "r=%d", r);
	struct usbdevfs_ctrltransfer slow = {0xC0, 2, 0, 0, 4, 500, buf};
	r = fd >= 0 ? ioctl(fd, USBDEVFS_CONTROL, &slow) : -1;
	tap_check(r == 4 && buf[0] == 0x42, "USBDEVFS_CONTROL with a delayed answer", "r=%d", r);
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	struct usbsim *sim = testdev_sim_or_skip();
	char err[256];

	tap_plan(32);
	struct camera *cam = camera_new(sim, camera_type_find("OPENMV4"), 1, NULL, NULL);
	camera_plug(cam, CAMERA_BOOTLOADER, err, sizeof err);
	struct usbsim_dev *td = testdev_plug(sim, 2, TESTDEV_PID);
	if (libusb_init(&ctx) != 0) {
		tap_check(false, "libusb_init", "-");
		return 1;
	}
	test_enumeration(cam);
	test_claims();
	test_kernel_driver();
	test_transfers();
	test_sync_control(td);
	libusb_device_handle *h = testdev_open(ctx, TESTDEV_VID, TESTDEV_PID, 100);
	int r = libusb_control_transfer(h, 0xC0, 1, 0, 0, (unsigned char *)err, 8, 500);
	tap_check(usbsim_control_count(td, 0xC0, 1) == 2 && r == 5, "per-request counters (vendor request 1 seen twice)",
	       "%u", usbsim_control_count(td, 0xC0, 1));
	tap_check(usbsim_control_count(td, -1, -1) > usbsim_control_count(td, 0xC0, -1), "wildcard counters", "-");
	libusb_close(h);
	libusb_exit(ctx);
	camera_switch(cam, CAMERA_OFF, 0);
	usbsim_free(sim);
	camera_free(cam);
	return tap_exit();
}
