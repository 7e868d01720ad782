/* usbsim_bustime.c — the bus time of a control transfer at USB full speed, charged by the
 * virtual bus with --timing realistic (see usbsim.h, usbsim_set_bus_time).
 *
 * From the USB 2.0 specification:
 *   §7.1.11  full speed signals at 12.000 Mb/s: 1500 bytes in a 1 ms frame;
 *   §8.4.3   a frame starts every 1.00 ms with its SOF packet (SYNC, PID, 11-bit frame
 *            number, CRC5: 4 bytes, with its EOP and inter-packet gap about 5 bytes of the
 *            frame's 1500; the gap is inferred);
 *   §5.5.3   a full-speed control endpoint's packets carry at most 64 bytes;
 *   §5.5.4, Table 5-9 (full-speed control transfer limits): a control transfer with one data
 *            packet costs 45 bytes of protocol beside its data: 9 SYNC, 9 PID, 6 endpoint+CRC5,
 *            6 CRC16 bytes, the 8-byte SETUP data and 7 bytes of inter-packet delay, over its
 *            three stages (setup, data, status), each a transaction of token, data packet and
 *            handshake.
 * So each transaction beside the SETUP's 8 bytes costs (45 - 8) / 3 bytes, and a transfer
 * with L data bytes costs 8 + L + (2 + ceil(L / 64)) * 37 / 3 bytes (2 transactions when L
 * is 0: setup and status).  Bit stuffing (up to one bit in seven) is left out: this is the
 * least the bus can take, the bound a tool is measured against. */
#include "usbsim_priv.h"

#define FS_PACKET 64              /* §5.5.3 */
#define FS_FRAME_BYTES 1500       /* §7.1.11: 12 Mb/s for 1 ms */
#define SOF_BYTES 5               /* §8.4.3, the gap inferred */

unsigned usbsim_ctrl_bus_ns(unsigned len)
{
	unsigned packets = (len + FS_PACKET - 1) / FS_PACKET;
	/* in thirds of a byte: 3 * (8 + L) + (2 + packets) * 37 */
	unsigned long long thirds = 3ull * (8 + len) + (2ull + packets) * 37;
	/* 1 ms per frame of FS_FRAME_BYTES - SOF_BYTES bytes */
	return (unsigned)(thirds * 1000000ull / (3ull * (FS_FRAME_BYTES - SOF_BYTES)));
}

/* The virtual bus clock: a transfer's time runs from its arrival (or from the end of the one
 * before, if that is still due) for the model's hold and its bus time, to the nanosecond.
 * The reply is then held until that absolute time (usbsim_schedule_at), so a late wake-up
 * of one reply is never carried into the next one and nothing is rounded to timer ticks. */
unsigned long long usbsim_reply_due(struct usbsim_dev *dev, unsigned long long arrival_ns, unsigned hold_us,
				    int res)
{
	unsigned long long bus = 0;

	if (dev->sim->bus_time && res >= 0) {
		bus = usbsim_ctrl_bus_ns((unsigned)res);
		dev->sim->bus_ns_total += bus;
	}
	if (!hold_us && !bus)
		return 0;
	return usbsim_bus_clock(&dev->bus_free_ns, arrival_ns, hold_us * 1000ull, bus);
}

unsigned long long usbsim_bus_clock(unsigned long long *bus_free_ns, unsigned long long arrival_ns,
				    unsigned long long hold_ns, unsigned long long bus_ns)
{
	unsigned long long start = arrival_ns > *bus_free_ns ? arrival_ns : *bus_free_ns;

	*bus_free_ns = start + hold_ns + bus_ns;
	return *bus_free_ns;
}

void usbsim_set_bus_time(struct usbsim *sim, bool on) { sim->bus_time = on; }

unsigned long long usbsim_bus_ns(const struct usbsim *sim) { return sim->bus_ns_total; }
