/* fuzz_device.c — see fuzz_device.h.
 *
 * How an answer is read from the input stream: one selector byte, then
 *   selector < 0xF0   a transfer that succeeds with min(selector, asked) bytes of data
 *                     taken from the stream (IN), or with every byte taken (OUT);
 *   selector >= 0xF0  a transfer that fails with one of the errors a real device causes
 *                     (stall, timeout, no device, I/O error, overflow, pipe, busy, other).
 * An exhausted stream is a device that stopped answering (a timeout).
 */
#include "fuzz_device.h"

#include <libserialport.h>
#include <libusb.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <sys/ioctl.h>

#include "fuzz_config.h"

static const uint8_t *in;
static size_t left;
static bool active;
static uint64_t virtual_ns;
static int pipe_rd = -1, pipe_wr = -1;

void fuzz_device_begin(const uint8_t *data, size_t size)
{
	in = data;
	left = size;
	active = true;
	virtual_ns = 1000000000ull;
}

void fuzz_device_end(void)
{
	active = false;
	if (pipe_rd >= 0)
		close(pipe_rd);
	if (pipe_wr >= 0)
		close(pipe_wr);
	pipe_rd = pipe_wr = -1;
}

uint8_t fuzz_take_byte(void)
{
	if (!left)
		return 0;
	left--;
	return *in++;
}

size_t fuzz_take(uint8_t *out, size_t n)
{
	if (n > left)
		n = left;
	if (out)
		memcpy(out, in, n);
	in += n;
	left -= n;
	return n;
}

size_t fuzz_left(void)
{
	return left;
}

int fuzz_device_fd(void)
{
	if (pipe_rd >= 0)
		return pipe_rd;
	int p[2];
	if (pipe(p) != 0)
		return -1;
	pipe_rd = p[0];
	pipe_wr = p[1];
	return pipe_rd;
}

/* The board answers a write: the next chunk of the stream goes into the pipe (selector,
 * then that many bytes), or a selector of 0xF0 and above hangs the port up. */
static void serial_answer(void)
{
	if (pipe_wr < 0 || !left)
		return;
	uint8_t sel = fuzz_take_byte();
	if (sel >= 0xF0) {
		close(pipe_wr);
		pipe_wr = -1;
		return;
	}
	uint8_t chunk[0xF0];
	size_t n = fuzz_take(chunk, sel);
	if (n && write(pipe_wr, chunk, n) < 0) {
		close(pipe_wr);
		pipe_wr = -1;
	}
}

/* The error a selector byte of 0xF0..0xFF stands for. */
static int selector_error(uint8_t sel)
{
	static const int errs[8] = {LIBUSB_ERROR_PIPE, LIBUSB_ERROR_TIMEOUT, LIBUSB_ERROR_NO_DEVICE,
				    LIBUSB_ERROR_IO, LIBUSB_ERROR_OVERFLOW, LIBUSB_ERROR_PIPE,
				    LIBUSB_ERROR_BUSY, LIBUSB_ERROR_OTHER};
	return errs[sel & 7];
}

/* One transfer: returns the byte count or a libusb error. */
static int transfer(bool dir_in, unsigned char *buf, int len)
{
	if (!left)
		return LIBUSB_ERROR_TIMEOUT;
	uint8_t sel = fuzz_take_byte();
	if (sel >= 0xF0)
		return selector_error(sel);
	if (!dir_in)
		return len;
	size_t n = sel < (size_t)len ? sel : (size_t)len;
	return (int)fuzz_take(buf, n);
}

/* ---- libusb ------------------------------------------------------------------------------ */

int __wrap_libusb_control_transfer(libusb_device_handle *h, uint8_t type, uint8_t req,
				   uint16_t value, uint16_t index, unsigned char *data,
				   uint16_t len, unsigned int timeout);
int __wrap_libusb_control_transfer(libusb_device_handle *h, uint8_t type, uint8_t req,
				   uint16_t value, uint16_t index, unsigned char *data,
				   uint16_t len, unsigned int timeout)
{
	(void)h, (void)req, (void)value, (void)index, (void)timeout;
	return transfer((type & 0x80) != 0, data, len);
}

int __wrap_libusb_bulk_transfer(libusb_device_handle *h, unsigned char ep, unsigned char *buf,
				int len, int *done, unsigned int timeout);
int __wrap_libusb_bulk_transfer(libusb_device_handle *h, unsigned char ep, unsigned char *buf,
				int len, int *done, unsigned int timeout)
{
	(void)h, (void)timeout;
	int r = transfer((ep & 0x80) != 0, buf, len);
	if (done)
		*done = r > 0 ? r : 0;
	return r < 0 ? r : 0;
}

int __wrap_libusb_interrupt_transfer(libusb_device_handle *h, unsigned char ep,
				     unsigned char *buf, int len, int *done, unsigned int timeout);
int __wrap_libusb_interrupt_transfer(libusb_device_handle *h, unsigned char ep,
				     unsigned char *buf, int len, int *done, unsigned int timeout)
{
	return __wrap_libusb_bulk_transfer(h, ep, buf, len, done, timeout);
}

/* A string descriptor in ASCII, as libusb gives it: the stream's bytes up to length. */
int __wrap_libusb_get_string_descriptor_ascii(libusb_device_handle *h, uint8_t index,
					      unsigned char *data, int length);
int __wrap_libusb_get_string_descriptor_ascii(libusb_device_handle *h, uint8_t index,
					      unsigned char *data, int length)
{
	(void)h, (void)index;
	if (length <= 0)
		return LIBUSB_ERROR_INVALID_PARAM;
	int r = transfer(true, data, length - 1);
	if (r >= 0)
		data[r] = 0; /* libusb terminates the string it returns */
	return r;
}

/* Requests that only answer yes or no. */
static int status_only(void)
{
	if (!left)
		return 0;
	uint8_t sel = fuzz_take_byte();
	return sel >= 0xF0 ? selector_error(sel) : 0;
}

int __wrap_libusb_set_interface_alt_setting(libusb_device_handle *h, int intf, int alt);
int __wrap_libusb_set_interface_alt_setting(libusb_device_handle *h, int intf, int alt)
{
	(void)h, (void)intf, (void)alt;
	return status_only();
}

int __wrap_libusb_reset_device(libusb_device_handle *h);
int __wrap_libusb_reset_device(libusb_device_handle *h)
{
	(void)h;
	return status_only();
}

int __wrap_libusb_clear_halt(libusb_device_handle *h, unsigned char ep);
int __wrap_libusb_clear_halt(libusb_device_handle *h, unsigned char ep)
{
	(void)h, (void)ep;
	return status_only();
}

libusb_device *__wrap_libusb_get_device(libusb_device_handle *h);
libusb_device *__wrap_libusb_get_device(libusb_device_handle *h)
{
	(void)h;
	return (libusb_device *)&in; /* any non-NULL token: only passed back to us */
}

int __wrap_libusb_get_device_descriptor(libusb_device *dev, struct libusb_device_descriptor *d);
int __wrap_libusb_get_device_descriptor(libusb_device *dev, struct libusb_device_descriptor *d)
{
	(void)dev;
	memset(d, 0, sizeof *d);
	d->bLength = LIBUSB_DT_DEVICE_SIZE;
	d->bDescriptorType = LIBUSB_DT_DEVICE;
	uint8_t b[6] = {0};
	fuzz_take(b, sizeof b);
	d->idVendor = (uint16_t)(b[0] | b[1] << 8);
	d->idProduct = (uint16_t)(b[2] | b[3] << 8);
	d->bcdDevice = (uint16_t)(b[4] | b[5] << 8);
	d->bNumConfigurations = 1;
	return 0;
}

int __wrap_libusb_get_active_config_descriptor(libusb_device *dev,
					       struct libusb_config_descriptor **config);
int __wrap_libusb_get_active_config_descriptor(libusb_device *dev,
					       struct libusb_config_descriptor **config)
{
	(void)dev;
	if (left && in[0] >= 0xF0)
		return selector_error(fuzz_take_byte());
	*config = fuzz_config_build();
	return *config ? 0 : LIBUSB_ERROR_NO_MEM;
}

void __wrap_libusb_free_config_descriptor(struct libusb_config_descriptor *config);
void __wrap_libusb_free_config_descriptor(struct libusb_config_descriptor *config)
{
	fuzz_config_free(config);
}

/* ---- libserialport ------------------------------------------------------------------------ */

enum sp_return __wrap_sp_blocking_read(struct sp_port *port, void *buf, size_t count,
				       unsigned int timeout_ms);
enum sp_return __wrap_sp_blocking_read(struct sp_port *port, void *buf, size_t count,
				       unsigned int timeout_ms)
{
	(void)port;
	virtual_ns += (uint64_t)timeout_ms * 1000000ull; /* as if it waited when it gets less */
	int r = transfer(true, buf, count > 0x7fffffff ? 0x7fffffff : (int)count);
	if (r == LIBUSB_ERROR_TIMEOUT)
		return 0;
	return r < 0 ? SP_ERR_FAIL : (enum sp_return)r;
}

enum sp_return __wrap_sp_nonblocking_read(struct sp_port *port, void *buf, size_t count);
enum sp_return __wrap_sp_nonblocking_read(struct sp_port *port, void *buf, size_t count)
{
	return __wrap_sp_blocking_read(port, buf, count, 0);
}

enum sp_return __wrap_sp_blocking_write(struct sp_port *port, const void *buf, size_t count,
					unsigned int timeout_ms);
enum sp_return __wrap_sp_blocking_write(struct sp_port *port, const void *buf, size_t count,
					unsigned int timeout_ms)
{
	(void)port, (void)buf, (void)timeout_ms;
	serial_answer();
	return (enum sp_return)count;
}

enum sp_return __wrap_sp_nonblocking_write(struct sp_port *port, const void *buf, size_t count);
enum sp_return __wrap_sp_nonblocking_write(struct sp_port *port, const void *buf, size_t count)
{
	(void)port, (void)buf;
	serial_answer();
	return (enum sp_return)count;
}

enum sp_return __wrap_sp_drain(struct sp_port *port);
enum sp_return __wrap_sp_drain(struct sp_port *port)
{
	(void)port;
	return SP_OK;
}

enum sp_return __wrap_sp_flush(struct sp_port *port, enum sp_buffer buffers);
enum sp_return __wrap_sp_flush(struct sp_port *port, enum sp_buffer buffers)
{
	(void)port, (void)buffers;
	return SP_OK;
}

enum sp_return __wrap_sp_input_waiting(struct sp_port *port);
enum sp_return __wrap_sp_input_waiting(struct sp_port *port)
{
	(void)port;
	return (enum sp_return)(left > 64 ? 64 : left);
}

enum sp_return __wrap_sp_get_port_handle(const struct sp_port *port, void *result_ptr);
enum sp_return __wrap_sp_get_port_handle(const struct sp_port *port, void *result_ptr)
{
	(void)port;
	int fd = fuzz_device_fd();
	if (fd < 0)
		return SP_ERR_FAIL;
	*(int *)result_ptr = fd;
	return SP_OK;
}

char *__wrap_sp_get_port_name(const struct sp_port *port);
char *__wrap_sp_get_port_name(const struct sp_port *port)
{
	(void)port;
	return (char *)"/dev/null"; /* a node that exists: the port has not gone */
}

enum sp_return __wrap_sp_set_baudrate(struct sp_port *port, int baudrate);
enum sp_return __wrap_sp_set_baudrate(struct sp_port *port, int baudrate)
{
	(void)port, (void)baudrate;
	return SP_OK;
}

enum sp_return __wrap_sp_set_dtr(struct sp_port *port, enum sp_dtr dtr);
enum sp_return __wrap_sp_set_dtr(struct sp_port *port, enum sp_dtr dtr)
{
	(void)port, (void)dtr;
	return SP_OK;
}

/* poll on the port's pipe: readable when the board has said something or hung up; otherwise
 * the wait runs out at once, in virtual time.  Other descriptors pass through. */
int __real_poll(struct pollfd *fds, nfds_t n, int timeout);
int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout);
int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout)
{
	if (!active || n != 1 || pipe_rd < 0 || fds[0].fd != pipe_rd)
		return __real_poll(fds, n, timeout);
	int avail = 0;
	if (ioctl(pipe_rd, FIONREAD, &avail) == 0 && avail > 0) {
		fds[0].revents = POLLIN;
		return 1;
	}
	if (pipe_wr < 0) {
		fds[0].revents = POLLHUP;
		return 1;
	}
	if (timeout > 0)
		virtual_ns += (uint64_t)timeout * 1000000ull;
	fds[0].revents = 0;
	return 0;
}

/* ---- time --------------------------------------------------------------------------------- */

int __real_clock_gettime(clockid_t clk, struct timespec *ts);
int __wrap_clock_gettime(clockid_t clk, struct timespec *ts);
int __wrap_clock_gettime(clockid_t clk, struct timespec *ts)
{
	if (!active || clk != CLOCK_MONOTONIC)
		return __real_clock_gettime(clk, ts);
	virtual_ns += 1000; /* every look at the clock costs a microsecond: loops end */
	ts->tv_sec = (time_t)(virtual_ns / 1000000000ull);
	ts->tv_nsec = (long)(virtual_ns % 1000000000ull);
	return 0;
}

int __real_clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
			   struct timespec *rem);
int __wrap_clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
			   struct timespec *rem);
int __wrap_clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
			   struct timespec *rem)
{
	if (!active)
		return __real_clock_nanosleep(clk, flags, req, rem);
	virtual_ns += (uint64_t)req->tv_sec * 1000000000ull + (uint64_t)req->tv_nsec;
	if (rem)
		rem->tv_sec = 0, rem->tv_nsec = 0;
	return 0;
}

int __real_usleep(useconds_t us);
int __wrap_usleep(useconds_t us);
int __wrap_usleep(useconds_t us)
{
	if (!active)
		return __real_usleep(us);
	virtual_ns += (uint64_t)us * 1000ull;
	return 0;
}

int __real_nanosleep(const struct timespec *req, struct timespec *rem);
int __wrap_nanosleep(const struct timespec *req, struct timespec *rem);
int __wrap_nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (!active)
		return __real_nanosleep(req, rem);
	return __wrap_clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem);
}
