/* usb_io.h — the product's one boundary to libusb.  Every call that talks to a device or reads
 * what it enumerated with goes through here (transfers, open/close, claims, alt settings,
 * resets, descriptors, strings, device lists, hotplug), with libusb's own signatures, so the
 * recording (io_record.h) sees every exchange in one place.  Pure accessors that do not touch
 * a device (bus number, address, port numbers, error names, init/exit) are called directly. */
#ifndef RESCUE_USB_IO_H
#define RESCUE_USB_IO_H

#include <libusb.h>

int usb_io_control(libusb_device_handle *h, uint8_t request_type, uint8_t request, uint16_t value,
                   uint16_t index, unsigned char *data, uint16_t length, unsigned int timeout);
int usb_io_bulk(libusb_device_handle *h, unsigned char endpoint, unsigned char *data, int length,
                int *transferred, unsigned int timeout);
int usb_io_interrupt(libusb_device_handle *h, unsigned char endpoint, unsigned char *data,
                     int length, int *transferred, unsigned int timeout);
int usb_io_string_ascii(libusb_device_handle *h, uint8_t index, unsigned char *data, int length);

int usb_io_open(libusb_device *dev, libusb_device_handle **h);
void usb_io_close(libusb_device_handle *h);
int usb_io_claim(libusb_device_handle *h, int interface);
int usb_io_release(libusb_device_handle *h, int interface);
int usb_io_set_alt(libusb_device_handle *h, int interface, int alt);
int usb_io_reset(libusb_device_handle *h);
int usb_io_clear_halt(libusb_device_handle *h, unsigned char endpoint);
int usb_io_kernel_driver_active(libusb_device_handle *h, int interface);
int usb_io_detach_kernel_driver(libusb_device_handle *h, int interface);
int usb_io_attach_kernel_driver(libusb_device_handle *h, int interface);
int usb_io_set_auto_detach(libusb_device_handle *h, int enable);
libusb_device *usb_io_device(libusb_device_handle *h);

int usb_io_device_descriptor(libusb_device *dev, struct libusb_device_descriptor *d);
int usb_io_active_config(libusb_device *dev, struct libusb_config_descriptor **config);
int usb_io_config(libusb_device *dev, uint8_t index, struct libusb_config_descriptor **config);
void usb_io_free_config(struct libusb_config_descriptor *config);
/* One libusb context for the process's device scans, made on first use, once even when several
 * runs (one thread each, openmv-rescue ACTION --all) scan at the same moment: libusb contexts
 * may be used from any thread.  NULL when libusb cannot start. */
libusb_context *usb_io_scan_context(void);
ssize_t usb_io_device_list(libusb_context *ctx, libusb_device ***list);
void usb_io_free_device_list(libusb_device **list, int unref);

int usb_io_hotplug_register(libusb_context *ctx, int events, int flags, int vendor, int product,
                            int dev_class, libusb_hotplug_callback_fn cb, void *user,
                            libusb_hotplug_callback_handle *handle);
void usb_io_hotplug_deregister(libusb_context *ctx, libusb_hotplug_callback_handle handle);
int usb_io_handle_events(libusb_context *ctx, struct timeval *tv, int *completed);

#endif
