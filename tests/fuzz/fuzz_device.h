/* fuzz_device.h — a USB or serial device made of the fuzz input, for the fuzz targets that
 * drive a protocol module's exchanges rather than a pure parser.
 *
 * The library calls the modules make (libusb transfers and descriptors, libserialport
 * reads and writes, the monotonic clock and sleeps) are redirected here at link time with
 * -Wl,--wrap=SYMBOL (tests/fuzz/meson.build lists them per target).  Every answer the
 * device gives comes from the input stream, so the fuzzer chooses what the device says,
 * whether a transfer stalls or the device vanishes, and how long it claims to be busy.
 *
 * Time is virtual while a target runs (fuzz_device_begin .. fuzz_device_end): sleeps
 * return at once and advance the clock, so a device that asks for long waits costs no
 * real time but still runs the modules' deadlines.  Outside that span the wrapped calls
 * pass through to the real ones (libFuzzer's own timers keep working).
 */
#ifndef FUZZ_DEVICE_H
#define FUZZ_DEVICE_H

#include <stddef.h>
#include <stdint.h>

/* Start serving answers from data[0..size). */
void fuzz_device_begin(const uint8_t *data, size_t size);
/* Stop serving; the wrapped calls pass through again. */
void fuzz_device_end(void);

/* Take bytes of the input stream directly (for a target's own choices). */
uint8_t fuzz_take_byte(void);
size_t fuzz_take(uint8_t *out, size_t n);
size_t fuzz_left(void);

/* The serial port's file descriptor (the read end of a pipe).  The board speaks only when
 * spoken to: each write the host makes puts the next chunk of the input stream into the
 * pipe (a selector byte with its length, then the bytes; a selector of 0xF0 and above
 * hangs the port up).  Valid until fuzz_device_end. */
int fuzz_device_fd(void);

#endif
