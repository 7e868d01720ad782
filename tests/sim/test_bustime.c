/* The full-speed bus time of control transfers (bus/usbsim_bustime.c) against the figures of
 * the USB 2.0 specification it is made from: Table 5-9 (full-speed control transfer limits:
 * 45 bytes of protocol beside 64 data bytes, 13 such transfers in a 1 ms frame) and 1500
 * bytes in a frame at 12 Mb/s (§7.1.11) less the SOF (§8.4.3). */
#include <stdio.h>

#include "usbsim.h"
#include "../common/tap.h"

int main(void)
{
	unsigned t64 = usbsim_ctrl_bus_ns(64);
	/* 109 bytes of the 1495 a frame leaves after its SOF, in a 1 ms frame */
	tap_check(t64 == 109ull * 1000000 / 1495, "a 64-byte transfer takes the bus 45 + 64 bytes long (Table 5-9)",
		  "%u ns", t64);
	tap_check(13ull * t64 <= 1000000 && 14ull * t64 > 1000000,
		  "13 of them fit in a 1 ms frame, 14 do not (Table 5-9: at most 13 per frame)", "%u ns each", t64);
	unsigned t0 = usbsim_ctrl_bus_ns(0);
	tap_check(t0 > 0 && t0 < t64, "a transfer without data still costs its setup and status stages", "%u ns", t0);
	unsigned t4k = usbsim_ctrl_bus_ns(4096);
	/* 8 + 4096 bytes, and 2 + 64 transactions of 37/3 bytes */
	unsigned long long want = (3ull * (8 + 4096) + 66ull * 37) * 1000000 / (3ull * 1495);
	tap_check(t4k == want, "a 4096-byte DFU block: 64 data packets of 64 bytes, with their framing", "%u ns", t4k);
	tap_check(usbsim_ctrl_bus_ns(65) > t64 + 13ull * 1000000 / 1495,
		  "a 65th byte takes a packet of its own (its framing as well as its byte)", "%u ns",
		  usbsim_ctrl_bus_ns(65));
	return tap_done();
}
