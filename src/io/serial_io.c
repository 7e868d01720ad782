/* serial_io.c — see serial_io.h.  Each wrapper makes the libserialport call, then hands what
 * went over the line to the recording (a no-op unless --record started one). */
#include "io/serial_io.h"

#include <unistd.h>

#include "io/io_record.h"

enum sp_return serial_io_list_ports(struct sp_port ***list)
{
	enum sp_return r = sp_list_ports(list);
	if (io_recording() && r == SP_OK)
		io_record_port_list(*list);
	return r;
}

enum sp_return serial_io_open(struct sp_port *port, enum sp_mode flags)
{
	enum sp_return r = sp_open(port, flags);
	if (io_recording())
		io_record_serial(port, "open", -1, NULL, 0, r, 0);
	return r;
}

enum sp_return serial_io_close(struct sp_port *port)
{
	enum sp_return r = sp_close(port);
	if (io_recording())
		io_record_serial(port, "close", -1, NULL, 0, r, 0);
	return r;
}

enum sp_return serial_io_set_baudrate(struct sp_port *port, int baudrate)
{
	enum sp_return r = sp_set_baudrate(port, baudrate);
	if (io_recording())
		io_record_serial(port, "baud", baudrate, NULL, 0, r, 0);
	return r;
}

enum sp_return serial_io_set_bits(struct sp_port *port, int bits)
{
	return sp_set_bits(port, bits);
}

enum sp_return serial_io_set_parity(struct sp_port *port, enum sp_parity parity)
{
	return sp_set_parity(port, parity);
}

enum sp_return serial_io_set_stopbits(struct sp_port *port, int stopbits)
{
	return sp_set_stopbits(port, stopbits);
}

enum sp_return serial_io_set_flowcontrol(struct sp_port *port, enum sp_flowcontrol flowcontrol)
{
	return sp_set_flowcontrol(port, flowcontrol);
}

enum sp_return serial_io_set_dtr(struct sp_port *port, enum sp_dtr dtr)
{
	enum sp_return r = sp_set_dtr(port, dtr);
	if (io_recording())
		io_record_serial(port, "dtr", dtr == SP_DTR_ON, NULL, 0, r, 0);
	return r;
}

enum sp_return serial_io_set_rts(struct sp_port *port, enum sp_rts rts)
{
	enum sp_return r = sp_set_rts(port, rts);
	if (io_recording())
		io_record_serial(port, "rts", rts == SP_RTS_ON, NULL, 0, r, 0);
	return r;
}

enum sp_return serial_io_read(struct sp_port *port, void *buf, size_t count, unsigned int timeout_ms)
{
	long long t0 = io_recording() ? io_record_clock() : 0;
	enum sp_return r = sp_blocking_read(port, buf, count, timeout_ms);
	if (io_recording())
		io_record_serial(port, "read", (long)count, buf, r > 0 ? (size_t)r : 0, r, t0);
	return r;
}

enum sp_return serial_io_read_next(struct sp_port *port, void *buf, size_t count,
                                   unsigned int timeout_ms)
{
	long long t0 = io_recording() ? io_record_clock() : 0;
	enum sp_return r = sp_blocking_read_next(port, buf, count, timeout_ms);
	if (io_recording())
		io_record_serial(port, "read", (long)count, buf, r > 0 ? (size_t)r : 0, r, t0);
	return r;
}

ssize_t serial_io_read_fd(struct sp_port *port, int fd, void *buf, size_t count)
{
	long long t0 = io_recording() ? io_record_clock() : 0;
	ssize_t r = read(fd, buf, count);
	if (io_recording() && r != 0)
		io_record_serial(port, "read", (long)count, buf, r > 0 ? (size_t)r : 0, (int)r, t0);
	return r;
}

enum sp_return serial_io_write(struct sp_port *port, const void *buf, size_t count,
                               unsigned int timeout_ms)
{
	long long t0 = io_recording() ? io_record_clock() : 0;
	enum sp_return r = sp_blocking_write(port, buf, count, timeout_ms);
	if (io_recording())
		io_record_serial(port, "write", (long)count, buf, r > 0 ? (size_t)r : 0, r, t0);
	return r;
}

enum sp_return serial_io_drain(struct sp_port *port)
{
	return sp_drain(port);
}

enum sp_return serial_io_flush(struct sp_port *port, enum sp_buffer buffers)
{
	enum sp_return r = sp_flush(port, buffers);
	if (io_recording())
		io_record_serial(port, "flush", buffers, NULL, 0, r, 0);
	return r;
}
