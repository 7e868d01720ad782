/* The full-speed bus time of control transfers (bus/usbsim_bustime.c) against the figures of
 * the USB 2.0 specification it is made from: Table 5-9 (full-speed control transfer limits:
 * 45 bytes of protocol beside 64 data bytes, 13 such transfers in a 1 ms frame) and 1500
 * bytes in a frame at 12 Mb/s (§7.1.11) less the SOF (§8.4.3).  Then that the virtual bus
 * charges it without drift: the bus clock adds exactly the model's figure transfer after
 * transfer, and 300 real transfers take their charged time, never less, and typically little
 * more than 300 twins without bus time (replies held to an absolute time, not rounded to timer ticks). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "testdev.h"
#include "usbsim.h"
#include "../common/tap.h"

static void spec_figures(void)
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
}

/* The clock alone: 1000 blocks arriving the moment the one before is due (a host with no
 * work of its own) end exactly 1000 block times later, with no whole milliseconds in it; one
 * that arrives early waits for the bus; one that arrives late starts when it arrives. */
static void bus_clock(void)
{
	unsigned long long t4k = usbsim_ctrl_bus_ns(4096), free_ns = 0, start = 5000000000ull, due = start;

	for (int i = 0; i < 1000; i++)
		due = usbsim_bus_clock(&free_ns, due, 0, t4k);
	tap_check(due - start == 1000ull * t4k, "1000 back-to-back 4 KiB transfers: the clock moves by exactly 1000 times one",
		  "%llu ns, want %llu", due - start, 1000ull * t4k);
	unsigned long long early = usbsim_bus_clock(&free_ns, due - 100000, 250000, t4k);
	tap_check(early == due + 250000 + t4k, "a transfer arriving while the bus is busy starts when it is free",
		  "%llu ns after", early - due);
	unsigned long long late = usbsim_bus_clock(&free_ns, early + 7777, 0, t4k);
	tap_check(late == early + 7777 + t4k, "an idle bus charges from the arrival, nothing for the idle time",
		  "%llu ns after", late - early);
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static unsigned long long median(unsigned long long *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_ull);
	return v[n / 2];
}

/* Through the real libusb: N OUT transfers of 4096 bytes with bus time on. */
static void real_transfers(void)
{
	enum { N = 300 };
	struct usbsim *sim = testdev_sim_or_skip();
	libusb_context *ctx = NULL;

	usbsim_set_bus_time(sim, true);
	testdev_plug(sim, 1, TESTDEV_PID);
	if (libusb_init(&ctx) != 0) {
		tap_check(false, "libusb_init", "-");
		usbsim_free(sim);
		return;
	}
	libusb_device_handle *h = testdev_open(ctx, TESTDEV_VID, TESTDEV_PID, 3000);
	tap_check(h != NULL, "the test device opens", "-");
	if (h) {
		static unsigned char block[4096];
		static unsigned long long took[2][N];
		int ok = 0;
		unsigned long long charged = 0, wall_on = 0;
		/* every other transfer without bus time: the emulation's own cost, taken under the
		 * same load as the others, so that only the charged time should tell them apart */
		for (int i = 0; i < 2 * N; i++) {
			bool on = i % 2 == 0;
			usbsim_set_bus_time(sim, on);
			unsigned long long before = usbsim_bus_ns(sim), t0 = now_ns();
			ok += libusb_control_transfer(h, 0x40, 5, 0, 0, block, sizeof block, 1000) == (int)sizeof block;
			took[on][i / 2] = now_ns() - t0;
			charged += usbsim_bus_ns(sim) - before;
			if (on)
				wall_on += took[on][i / 2];
		}
		tap_check(ok == 2 * N, "every transfer completes", "%d of %d", ok, 2 * N);
		tap_check(charged == N * (unsigned long long)usbsim_ctrl_bus_ns(4096),
			  "the bus time charged is the model's figure, transfer for transfer", "%llu ns", charged);
		tap_check(wall_on >= charged, "the transfers take at least their bus time (no reply early)",
			  "%llu us for %llu us", wall_on / 1000, charged / 1000);
		/* the typical transfer with bus time against its typical twin without: the
		 * difference is the bus time and the reply's wake-up: tens of microseconds on an
		 * idle machine, up to about 500 us on two cores loaded twelve deep.  A hold rounded
		 * up to a whole millisecond tick (GLib's timeouts) comes to 700 us more on top of
		 * that wake-up.  Medians, as other work on the machine delays a few transfers a lot. */
		long long extra = (long long)median(took[1], N) - (long long)median(took[0], N) -
				  (long long)usbsim_ctrl_bus_ns(4096);
		tap_check(extra < 1000000, "and the typical one less than 1 ms more than its twin without bus time (no drift)",
			  "%lld us more; without bus time %llu us", extra / 1000, median(took[0], N) / 1000);
		libusb_close(h);
	}
	libusb_exit(ctx);
	usbsim_free(sim);
}

int main(void)
{
	spec_figures();
	bus_clock();
	real_transfers();
	return tap_done();
}
