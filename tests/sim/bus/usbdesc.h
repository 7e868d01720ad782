/* Building USB descriptors for the device models (USB 2.0 chapter 9 layouts). */
#ifndef USBDESC_H
#define USBDESC_H

#include <stddef.h>
#include <stdint.h>

struct usbdesc {
	uint8_t buf[2048];
	size_t len;
};

/* Device descriptor: strings 1 manufacturer, 2 product, 3 serial; one configuration. */
void usbdesc_device(uint8_t out[18], uint8_t device_class, uint16_t vid, uint16_t pid,
		    uint16_t bcd_device);
/* Configuration header (bus powered, 500 mA); usbdesc_config_end() fills wTotalLength. */
void usbdesc_config_begin(struct usbdesc *d, uint8_t num_interfaces);
void usbdesc_interface(struct usbdesc *d, uint8_t intf, uint8_t alt, uint8_t num_ep, uint8_t cls,
		       uint8_t subclass, uint8_t protocol, uint8_t istring);
void usbdesc_endpoint(struct usbdesc *d, uint8_t addr, uint8_t attributes, uint16_t max_packet,
		      uint8_t interval);
/* DFU functional descriptor (DFU 1.1 §4.1.3; reference dfu-dfuse §1.4). */
void usbdesc_dfu_functional(struct usbdesc *d, uint8_t attributes, uint16_t detach_timeout,
			    uint16_t transfer_size, uint16_t bcd_dfu);
void usbdesc_raw(struct usbdesc *d, const uint8_t *bytes, size_t n);
void usbdesc_config_end(struct usbdesc *d);

#endif
