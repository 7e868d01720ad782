/* io_record.c — see io_record.h. */
#include "io/io_record.h"

#include <time.h>

/* Step one of the boundary: the recording itself follows. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

static bool active;

bool io_recording(void)
{
	return active;
}

long long io_record_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void io_record_control(libusb_device_handle *h, uint8_t type, uint8_t request, uint16_t value,
                       uint16_t index, const unsigned char *data, uint16_t length, int result,
                       long long t0) {}
void io_record_transfer(libusb_device_handle *h, const char *kind, unsigned char endpoint,
                        const unsigned char *data, int length, int transferred, int result,
                        long long t0) {}
void io_record_string(libusb_device_handle *h, uint8_t index, const unsigned char *text, int result) {}
void io_record_usb_op(libusb_device *dev, const char *what, int arg, int result) {}
void io_record_device(libusb_device *dev, const struct libusb_device_descriptor *d) {}
void io_record_config(libusb_device *dev, const struct libusb_config_descriptor *c) {}
void io_record_device_list(libusb_device **list, ssize_t n) {}
void io_record_serial(struct sp_port *port, const char *what, long arg, const void *data,
                      size_t len, int result, long long t0) {}
