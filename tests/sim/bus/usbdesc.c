/* Building USB descriptors for the device models. */
#include <string.h>

#include "usbdesc.h"

void usbdesc_device(uint8_t d[18], uint8_t device_class, uint16_t vid, uint16_t pid, uint16_t bcd_device)
{
	const uint8_t b[18] = {
		18, 1, 0x00, 0x02,               /* bcdUSB 2.00 */
		device_class, 0, 0, 64,          /* bMaxPacketSize0 64 */
		(uint8_t)vid, (uint8_t)(vid >> 8), (uint8_t)pid, (uint8_t)(pid >> 8),
		(uint8_t)bcd_device, (uint8_t)(bcd_device >> 8),
		1, 2, 3,                         /* iManufacturer, iProduct, iSerialNumber */
		1,                               /* bNumConfigurations */
	};
	memcpy(d, b, sizeof b);
}

void usbdesc_raw(struct usbdesc *d, const uint8_t *bytes, size_t n)
{
	if (d->len + n > sizeof d->buf)
		n = sizeof d->buf - d->len;
	memcpy(d->buf + d->len, bytes, n);
	d->len += n;
}

void usbdesc_config_begin(struct usbdesc *d, uint8_t num_interfaces)
{
	const uint8_t b[9] = {9, 2, 0, 0, num_interfaces, 1, 0, 0x80, 250};

	d->len = 0;
	usbdesc_raw(d, b, sizeof b);
}

void usbdesc_interface(struct usbdesc *d, uint8_t intf, uint8_t alt, uint8_t num_ep, uint8_t cls,
		       uint8_t subclass, uint8_t protocol, uint8_t istring)
{
	const uint8_t b[9] = {9, 4, intf, alt, num_ep, cls, subclass, protocol, istring};

	usbdesc_raw(d, b, sizeof b);
}

void usbdesc_endpoint(struct usbdesc *d, uint8_t addr, uint8_t attributes, uint16_t max_packet,
		      uint8_t interval)
{
	const uint8_t b[7] = {7, 5, addr, attributes, (uint8_t)max_packet, (uint8_t)(max_packet >> 8), interval};

	usbdesc_raw(d, b, sizeof b);
}

void usbdesc_dfu_functional(struct usbdesc *d, uint8_t attributes, uint16_t detach_timeout,
			    uint16_t transfer_size, uint16_t bcd_dfu)
{
	const uint8_t b[9] = {9, 0x21, attributes, (uint8_t)detach_timeout, (uint8_t)(detach_timeout >> 8),
			      (uint8_t)transfer_size, (uint8_t)(transfer_size >> 8), (uint8_t)bcd_dfu,
			      (uint8_t)(bcd_dfu >> 8)};

	usbdesc_raw(d, b, sizeof b);
}

void usbdesc_config_end(struct usbdesc *d)
{
	d->buf[2] = (uint8_t)d->len;
	d->buf[3] = (uint8_t)(d->len >> 8);
}
