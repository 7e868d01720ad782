/* io_record.h — the recording behind --record FILE: one JSON object a line (jansson), a
 * versioned header first, then one line per exchange seen at the I/O boundary (usb_io.c,
 * serial_io.c).  Payloads are named by SHA-256 (nettle); their bytes are kept when short or
 * with --record-payloads.  The format is described in the README ("Record and replay"). */
#ifndef RESCUE_IO_RECORD_H
#define RESCUE_IO_RECORD_H

#include <libserialport.h>
#include <libusb.h>
#include <stdbool.h>
#include <stddef.h>

#define IO_RECORD_FORMAT "openmv-rescue-recording"
#define IO_RECORD_VERSION 1

struct io_record_header {
	const char *program_version, *board, *action, *serial;
	int argc;                 /* the options used: argv[1..argc-1] (argv[0], a path, is left out) */
	char **argv;
	bool payloads;            /* --record-payloads: every payload's bytes, not only its hash */
};

/* Create FILE (new, never through a symbolic link, mode 0600) and write the header.
 * Returns 0, or -errno; -EBUSY while another recording of this process is being written (one
 * at a time: of a wizard run on several cameras, the first camera's worker records). */
int io_record_start(const char *file, const struct io_record_header *h);
/* The same into an unnamed scratch file (the wizard's): kept after io_record_stop, so that
 * io_record_save can copy it where the person wants it; 0 or -errno. */
int io_record_start_scratch(const struct io_record_header *h);
/* Copy the finished scratch recording to ./openmv-rescue-YYYYmmdd-HHMMSS.jsonl (or into
 * $HOME), a new file of mode 0600: 0 with its path in out, or -1 with the reason in out. */
int io_record_save(char *out, size_t n);
/* Write the last line (the result) and close.  Returns 0, or -errno of the first failed write. */
int io_record_stop(int exit_status);
bool io_recording(void);
/* How many exchanges so far; the path of the file being written (NULL when none). */
unsigned io_record_count(void);
const char *io_record_path(void);
/* A note of the product's own, e.g. a step's name: {"kind":"note","text":...}. */
void io_record_note(const char *text);
/* An input file of the action, named and never copied:
 * {"kind":"input","slot":...,"file":BASENAME,"size":N,"sha256":HEX} (hex NULL: unreadable). */
void io_record_input(const char *slot, const char *file, unsigned long long size, const char *sha256_hex);

/* Monotonic microseconds, for the durations below. */
long long io_record_clock(void);

void io_record_control(libusb_device_handle *h, uint8_t type, uint8_t request, uint16_t value,
                       uint16_t index, const unsigned char *data, uint16_t length, int result,
                       long long t0);
void io_record_transfer(libusb_device_handle *h, const char *kind, unsigned char endpoint,
                        const unsigned char *data, int length, int transferred, int result,
                        long long t0);
void io_record_string(libusb_device_handle *h, uint8_t index, const unsigned char *text, int result);
/* open, close, claim, set-alt, reset...: arg_name NULL for none, alt < 0 for none */
void io_record_usb_op(libusb_device *dev, const char *what, const char *arg_name, int arg,
                      int alt, int result);
void io_record_device(libusb_device *dev, const struct libusb_device_descriptor *d);
void io_record_config(libusb_device *dev, const struct libusb_config_descriptor *c);
void io_record_device_list(libusb_device **list, ssize_t n);
/* The USB serial ports of a list, each once (until it leaves the list). */
void io_record_port_list(struct sp_port **list);
void io_record_serial(struct sp_port *port, const char *what, long arg, const void *data,
                      size_t len, int result, long long t0);

#endif
