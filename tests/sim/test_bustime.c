/* The full-speed bus time of control transfers (bus/usbsim_bustime.c) against the figures of
 * the USB 2.0 specification it is made from: Table 5-9 (full-speed control transfer limits:
 * 45 bytes of protocol beside 64 data bytes, 13 such transfers in a 1 ms frame) and 1500
 * bytes in a frame at 12 Mb/s (§7.1.11) less the SOF (§8.4.3).  Then that the virtual bus
 * charges it without drift: the bus clock adds exactly the model's figure transfer after
 * transfer, and 300 real transfers take their charged time, never less, and not a
 * millisecond each more (replies held to an absolute time, not rounded to timer ticks). */
#include <stdio.h>
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
		int ok = 0;
		unsigned long long before = usbsim_bus_ns(sim), t0 = now_ns();
		for (int i = 0; i < N; i++)
			ok += libusb_control_transfer(h, 0x40, 5, 0, 0, block, sizeof block, 1000) == (int)sizeof block;
		unsigned long long wall = now_ns() - t0, charged = usbsim_bus_ns(sim) - before;
		tap_check(ok == N, "every transfer completes", "%d of %d", ok, N);
		tap_check(charged == N * (unsigned long long)usbsim_ctrl_bus_ns(4096),
			  "the bus time charged is the model's figure, transfer for transfer", "%llu ns", charged);
		tap_check(wall >= charged, "the transfers take at least their bus time (no reply early)",
			  "%llu us for %llu us", wall / 1000, charged / 1000);
		/* the emulation's own cost per transfer (umockdev's socket round trips) is a few
		 * hundred microseconds; a millisecond more each is the rounding this replaced */
		tap_check(wall < charged + N * 1000000ull, "and less than a millisecond more each (no drift)",
			  "%llu us over, %llu us each", (wall - charged) / 1000, (wall - charged) / 1000 / N);
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
