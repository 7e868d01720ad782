/* serial_io.h — the product's one boundary to libserialport: every open, close, setting, read
 * and write of a serial port goes through here, with libserialport's own signatures, so the
 * recording (io_record.h) sees every exchange in one place.  Port lookups and error texts that
 * touch no port are called directly. */
#ifndef RESCUE_SERIAL_IO_H
#define RESCUE_SERIAL_IO_H

#include <libserialport.h>
#include <sys/types.h>

/* sp_list_ports; the USB ports found are recorded (name, IDs, serial, bus and address). */
enum sp_return serial_io_list_ports(struct sp_port ***list);
enum sp_return serial_io_open(struct sp_port *port, enum sp_mode flags);
enum sp_return serial_io_close(struct sp_port *port);
enum sp_return serial_io_set_baudrate(struct sp_port *port, int baudrate);
enum sp_return serial_io_set_bits(struct sp_port *port, int bits);
enum sp_return serial_io_set_parity(struct sp_port *port, enum sp_parity parity);
enum sp_return serial_io_set_stopbits(struct sp_port *port, int stopbits);
enum sp_return serial_io_set_flowcontrol(struct sp_port *port, enum sp_flowcontrol flowcontrol);
enum sp_return serial_io_set_dtr(struct sp_port *port, enum sp_dtr dtr);
enum sp_return serial_io_set_rts(struct sp_port *port, enum sp_rts rts);
enum sp_return serial_io_read(struct sp_port *port, void *buf, size_t count, unsigned int timeout_ms);
enum sp_return serial_io_read_next(struct sp_port *port, void *buf, size_t count,
                                   unsigned int timeout_ms);
enum sp_return serial_io_write(struct sp_port *port, const void *buf, size_t count,
                               unsigned int timeout_ms);
/* read(2) on the port's descriptor (from sp_get_port_handle), for a caller that polls it. */
ssize_t serial_io_read_fd(struct sp_port *port, int fd, void *buf, size_t count);
enum sp_return serial_io_drain(struct sp_port *port);
enum sp_return serial_io_flush(struct sp_port *port, enum sp_buffer buffers);

#endif
