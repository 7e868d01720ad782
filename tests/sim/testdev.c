/* Shared pieces of the sim suite (see testdev.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/tap.h"
#include "testdev.h"
#include "usbdesc.h"

static int td_control(void *model, struct usbsim_dev *dev, const struct usbsim_ctrl *rq, unsigned *delay_us)
{
	(void)model;
	(void)dev;
	if ((rq->bmRequestType & 0x60) != 0x40)
		return USBSIM_STALL;
	switch (rq->bRequest) {
	case 1: {
		int n = rq->wLength < 5 ? rq->wLength : 5;
		memcpy(rq->data, "hello", (size_t)n);
		return n;
	}
	case 2:
		*delay_us = 50000;
		memset(rq->data, 0x42, rq->wLength < 4 ? rq->wLength : 4);
		return rq->wLength < 4 ? rq->wLength : 4;
	case 4:
		return USBSIM_NEVER;
	case 5: /* OUT: takes its data stage, whatever its length */
		return 0;
	default:
		return USBSIM_STALL;
	}
}

static int td_data_out(void *model, struct usbsim_dev *dev, uint8_t ep, const uint8_t *data, size_t len)
{
	uint8_t buf[512];

	(void)model;
	if (len > sizeof buf)
		len = sizeof buf;
	for (size_t i = 0; i < len; i++)
		buf[i] = ep == 0x01 ? (uint8_t)~data[i] : data[i];
	usbsim_in_push(dev, ep == 0x01 ? 0x81 : 0x82, buf, len);
	return (int)len;
}

static const struct usbsim_model_ops td_ops = {.control = td_control, .data_out = td_data_out};

struct usbsim_dev *testdev_plug(struct usbsim *sim, int port, uint16_t pid)
{
	struct usbsim_identity id = {.speed_mbps = 12};
	struct usbdesc d;
	static const uint8_t hid[9] = {9, 0x21, 0x11, 0x01, 0, 1, 0x22, 22, 0};

	usbdesc_device(id.device_desc, 0, TESTDEV_VID, pid, 0x0100);
	usbdesc_config_begin(&d, 2);
	usbdesc_interface(&d, 0, 0, 2, 0x03, 0, 0, 4);
	usbdesc_raw(&d, hid, sizeof hid);
	usbdesc_endpoint(&d, 0x81, 0x03, 64, 1);
	usbdesc_endpoint(&d, 0x01, 0x03, 64, 1);
	usbdesc_interface(&d, 1, 0, 2, 0xFF, 0, 0, 0);
	usbdesc_endpoint(&d, 0x82, 0x02, 64, 0);
	usbdesc_endpoint(&d, 0x02, 0x02, 64, 0);
	usbdesc_config_end(&d);
	id.config_desc = d.buf;
	id.config_len = d.len;
	id.strings[1] = "usbsim";
	id.strings[2] = "Test device";
	id.strings[3] = "TD0001";
	id.strings[4] = "Echo HID";
	id.kernel_driver[0] = "usbhid";
	return usbsim_plug(sim, port, &id, &td_ops, NULL);
}

struct usbsim *testdev_sim_or_skip(void)
{
	char why[256];
	struct usbsim *sim = usbsim_new(why, sizeof why);

	if (!sim) {
		tap_skip_plan(why);
		exit(77);
	}
	return sim;
}

long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

bool testdev_present(libusb_context *ctx, uint16_t vid, uint16_t pid)
{
	libusb_device **list;
	ssize_t n = libusb_get_device_list(ctx, &list);
	bool found = false;

	for (ssize_t i = 0; i < n && !found; i++) {
		struct libusb_device_descriptor dd;
		if (libusb_get_device_descriptor(list[i], &dd) == 0 && dd.idVendor == vid && dd.idProduct == pid)
			found = true;
	}
	if (n >= 0)
		libusb_free_device_list(list, 1);
	return found;
}

bool testdev_wait(libusb_context *ctx, uint16_t vid, uint16_t pid, bool want, int ms)
{
	long long end = ms_now() + ms;

	do {
		if (testdev_present(ctx, vid, pid) == want)
			return true;
		struct timeval tv = {0, 10000};
		libusb_handle_events_timeout_completed(ctx, &tv, NULL);
	} while (ms_now() < end);
	return false;
}

libusb_device_handle *testdev_open(libusb_context *ctx, uint16_t vid, uint16_t pid, int ms)
{
	long long end = ms_now() + ms;

	do {
		libusb_device_handle *h = libusb_open_device_with_vid_pid(ctx, vid, pid);
		if (h)
			return h;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	} while (ms_now() < end);
	return NULL;
}

int dfu_getstatus(libusb_device_handle *h, uint8_t st[6])
{
	return libusb_control_transfer(h, 0xA1, 3, 0, 0, st, 6, 2000);
}

int dfu_dnload(libusb_device_handle *h, uint16_t block, const void *data, uint16_t len)
{
	return libusb_control_transfer(h, 0x21, 1, block, 0, (unsigned char *)data, len, 2000);
}

int testdev_dfu_upload(libusb_device_handle *h, uint16_t block, void *buf, uint16_t len)
{
	return libusb_control_transfer(h, 0xA1, 2, block, 0, buf, len, 2000);
}

int dfu_simple(libusb_device_handle *h, uint8_t request)
{
	return libusb_control_transfer(h, 0x21, request, request == 0 ? 1000 : 0, 0, NULL, 0, 2000);
}
