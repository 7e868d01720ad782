/* usb_io.c — see usb_io.h.  Each wrapper makes the libusb call, then hands what went over the
 * wire to the recording (a no-op unless --record started one). */
#include "io/usb_io.h"

#include "io/io_record.h"

#include <pthread.h>

int usb_io_control(libusb_device_handle *h, uint8_t request_type, uint8_t request, uint16_t value,
                   uint16_t index, unsigned char *data, uint16_t length, unsigned int timeout)
{
	long long t0 = io_recording() ? io_record_clock() : 0;
	int r = libusb_control_transfer(h, request_type, request, value, index, data, length, timeout);
	if (io_recording())
		io_record_control(h, request_type, request, value, index, data, length, r, t0);
	return r;
}

int usb_io_bulk(libusb_device_handle *h, unsigned char endpoint, unsigned char *data, int length,
                int *transferred, unsigned int timeout)
{
	long long t0 = io_recording() ? io_record_clock() : 0;
	int r = libusb_bulk_transfer(h, endpoint, data, length, transferred, timeout);
	if (io_recording())
		io_record_transfer(h, "bulk", endpoint, data, length, transferred ? *transferred : 0, r, t0);
	return r;
}

int usb_io_interrupt(libusb_device_handle *h, unsigned char endpoint, unsigned char *data,
                     int length, int *transferred, unsigned int timeout)
{
	long long t0 = io_recording() ? io_record_clock() : 0;
	int r = libusb_interrupt_transfer(h, endpoint, data, length, transferred, timeout);
	if (io_recording())
		io_record_transfer(h, "interrupt", endpoint, data, length, transferred ? *transferred : 0, r, t0);
	return r;
}

int usb_io_string_ascii(libusb_device_handle *h, uint8_t index, unsigned char *data, int length)
{
	int r = libusb_get_string_descriptor_ascii(h, index, data, length);
	if (io_recording())
		io_record_string(h, index, data, r);
	return r;
}

int usb_io_open(libusb_device *dev, libusb_device_handle **h)
{
	int r = libusb_open(dev, h);
	if (io_recording())
		io_record_usb_op(dev, "open", NULL, 0, -1, r);
	return r;
}

void usb_io_close(libusb_device_handle *h)
{
	if (io_recording() && h)
		io_record_usb_op(libusb_get_device(h), "close", NULL, 0, -1, 0);
	libusb_close(h);
}

int usb_io_claim(libusb_device_handle *h, int interface)
{
	int r = libusb_claim_interface(h, interface);
	if (io_recording())
		io_record_usb_op(libusb_get_device(h), "claim", "interface", interface, -1, r);
	return r;
}

int usb_io_release(libusb_device_handle *h, int interface)
{
	int r = libusb_release_interface(h, interface);
	if (io_recording())
		io_record_usb_op(libusb_get_device(h), "release", "interface", interface, -1, r);
	return r;
}

int usb_io_reset(libusb_device_handle *h)
{
	int r = libusb_reset_device(h);
	if (io_recording())
		io_record_usb_op(libusb_get_device(h), "reset", NULL, 0, -1, r);
	return r;
}

int usb_io_clear_halt(libusb_device_handle *h, unsigned char endpoint)
{
	int r = libusb_clear_halt(h, endpoint);
	if (io_recording())
		io_record_usb_op(libusb_get_device(h), "clear-halt", "ep", endpoint, -1, r);
	return r;
}

int usb_io_detach_kernel_driver(libusb_device_handle *h, int interface)
{
	int r = libusb_detach_kernel_driver(h, interface);
	if (io_recording())
		io_record_usb_op(libusb_get_device(h), "detach-driver", "interface", interface, -1, r);
	return r;
}

int usb_io_attach_kernel_driver(libusb_device_handle *h, int interface)
{
	int r = libusb_attach_kernel_driver(h, interface);
	if (io_recording())
		io_record_usb_op(libusb_get_device(h), "attach-driver", "interface", interface, -1, r);
	return r;
}

int usb_io_set_alt(libusb_device_handle *h, int interface, int alt)
{
	int r = libusb_set_interface_alt_setting(h, interface, alt);
	if (io_recording())
		io_record_usb_op(libusb_get_device(h), "set-alt", "interface", interface, alt, r);
	return r;
}

int usb_io_kernel_driver_active(libusb_device_handle *h, int interface)
{
	return libusb_kernel_driver_active(h, interface);
}

int usb_io_set_auto_detach(libusb_device_handle *h, int enable)
{
	return libusb_set_auto_detach_kernel_driver(h, enable);
}

libusb_device *usb_io_device(libusb_device_handle *h)
{
	return libusb_get_device(h);
}

int usb_io_device_descriptor(libusb_device *dev, struct libusb_device_descriptor *d)
{
	int r = libusb_get_device_descriptor(dev, d);
	if (io_recording() && r == 0)
		io_record_device(dev, d);
	return r;
}

int usb_io_active_config(libusb_device *dev, struct libusb_config_descriptor **config)
{
	int r = libusb_get_active_config_descriptor(dev, config);
	if (io_recording() && r == 0)
		io_record_config(dev, *config);
	return r;
}

int usb_io_config(libusb_device *dev, uint8_t index, struct libusb_config_descriptor **config)
{
	int r = libusb_get_config_descriptor(dev, index, config);
	if (io_recording() && r == 0)
		io_record_config(dev, *config);
	return r;
}

void usb_io_free_config(struct libusb_config_descriptor *config)
{
	libusb_free_config_descriptor(config);
}

static libusb_context *scan_ctx;
static pthread_once_t scan_once = PTHREAD_ONCE_INIT;

static void scan_init(void)
{
	if (libusb_init(&scan_ctx))
		scan_ctx = NULL;
}

libusb_context *usb_io_scan_context(void)
{
	pthread_once(&scan_once, scan_init);
	return scan_ctx;
}

ssize_t usb_io_device_list(libusb_context *ctx, libusb_device ***list)
{
	ssize_t n = libusb_get_device_list(ctx, list);
	if (io_recording())
		io_record_device_list(*list, n);
	return n;
}

void usb_io_free_device_list(libusb_device **list, int unref)
{
	libusb_free_device_list(list, unref);
}

int usb_io_hotplug_register(libusb_context *ctx, int events, int flags, int vendor, int product,
                            int dev_class, libusb_hotplug_callback_fn cb, void *user,
                            libusb_hotplug_callback_handle *handle)
{
	return libusb_hotplug_register_callback(ctx, events, flags, vendor, product, dev_class, cb,
	                                        user, handle);
}

void usb_io_hotplug_deregister(libusb_context *ctx, libusb_hotplug_callback_handle handle)
{
	libusb_hotplug_deregister_callback(ctx, handle);
}

int usb_io_handle_events(libusb_context *ctx, struct timeval *tv, int *completed)
{
	return libusb_handle_events_timeout_completed(ctx, tv, completed);
}
