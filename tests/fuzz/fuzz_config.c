/* fuzz_config.c — see fuzz_config.h. */
#include "fuzz_config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_device.h"

static unsigned char *take_extra(int *len_out)
{
	uint8_t n = fuzz_take_byte();
	unsigned char *extra = n ? malloc(n) : NULL;
	if (n && !extra)
		n = 0;
	*len_out = (int)fuzz_take(extra, n);
	return extra;
}

static void build_alt(struct libusb_interface_descriptor *d, uint8_t number)
{
	d->bLength = LIBUSB_DT_INTERFACE_SIZE;
	d->bDescriptorType = LIBUSB_DT_INTERFACE;
	d->bInterfaceNumber = number;
	d->bAlternateSetting = fuzz_take_byte();
	d->bInterfaceClass = fuzz_take_byte();
	d->bInterfaceSubClass = fuzz_take_byte();
	d->bInterfaceProtocol = fuzz_take_byte();
	d->iInterface = fuzz_take_byte();
	d->bNumEndpoints = fuzz_take_byte() % 4;
	d->extra = take_extra(&d->extra_length);
	struct libusb_endpoint_descriptor *ep = calloc(d->bNumEndpoints ? d->bNumEndpoints : 1,
						       sizeof *ep);
	for (int e = 0; ep && e < d->bNumEndpoints; e++) {
		ep[e].bLength = LIBUSB_DT_ENDPOINT_SIZE;
		ep[e].bDescriptorType = LIBUSB_DT_ENDPOINT;
		ep[e].bEndpointAddress = fuzz_take_byte();
		ep[e].bmAttributes = fuzz_take_byte();
		ep[e].wMaxPacketSize = (uint16_t)(fuzz_take_byte() | fuzz_take_byte() << 8);
	}
	if (!ep)
		d->bNumEndpoints = 0;
	d->endpoint = ep;
}

struct libusb_config_descriptor *fuzz_config_build(void)
{
	struct libusb_config_descriptor *cfg = calloc(1, sizeof *cfg);
	if (!cfg)
		return NULL;
	cfg->bLength = LIBUSB_DT_CONFIG_SIZE;
	cfg->bDescriptorType = LIBUSB_DT_CONFIG;
	cfg->bConfigurationValue = 1;
	cfg->bNumInterfaces = (uint8_t)(1 + fuzz_take_byte() % 4);
	struct libusb_interface *it = calloc(cfg->bNumInterfaces, sizeof *it);
	if (!it) {
		free(cfg);
		return NULL;
	}
	for (int i = 0; i < cfg->bNumInterfaces; i++) {
		int n = 1 + fuzz_take_byte() % 16;
		struct libusb_interface_descriptor *alts = calloc((size_t)n, sizeof *alts);
		if (!alts)
			break;
		uint8_t number = fuzz_take_byte();
		for (int a = 0; a < n; a++)
			build_alt(&alts[a], number);
		it[i].altsetting = alts;
		it[i].num_altsetting = n;
	}
	cfg->interface = it;
	cfg->extra = take_extra(&cfg->extra_length);
	return cfg;
}

void fuzz_config_free(struct libusb_config_descriptor *cfg)
{
	if (!cfg)
		return;
	for (int i = 0; i < cfg->bNumInterfaces; i++) {
		struct libusb_interface *it = (struct libusb_interface *)&cfg->interface[i];
		for (int a = 0; a < it->num_altsetting; a++) {
			struct libusb_interface_descriptor *d =
				(struct libusb_interface_descriptor *)&it->altsetting[a];
			free((void *)d->endpoint);
			free((void *)d->extra);
		}
		free((void *)it->altsetting);
	}
	free((void *)cfg->interface);
	free((void *)cfg->extra);
	free(cfg);
}
