/* exec_touch.c — see exec_touch.h. */
#include "exec_touch.h"

#include <time.h>

#include "detect.h"
#include "serialdev.h"

/* How long a bootloader may take to appear: arduino-cli waits 10 s for the new port after
 * a touch (reference dfu-dfuse-picoboot-samba.md §3.1). */
#define TOUCH_DEVICE_TIMEOUT_MS 10000

static bool bootloader_present(const struct board *b, enum usb_mode mode)
{
	if (mode == USB_SAMBA) { /* a CDC port: look for the tty, the thing we will open */
		char name[256];
		struct rs_error e = {0};
		return serialdev_find_wait(&b->usb[mode], 0, NULL, NULL, name, sizeof name, &e) == 0;
	}
	bool present = false;
	char other[8];
	detect_board_mode(b, mode, &present, other, 0);
	return present;
}

/* The IDs a board shows while it runs firmware or a sketch: those ports take the touch. */
static struct usb_ids running_ids(const struct board *b)
{
	struct usb_ids ids = {0};
	const enum usb_mode modes[] = {USB_FIRMWARE, USB_ARDUINO_SKETCH};
	for (size_t m = 0; m < sizeof modes / sizeof *modes; m++)
		for (int i = 0; i < b->usb[modes[m]].n && ids.n < BOARD_MAX_IDS; i++)
			ids.id[ids.n++] = b->usb[modes[m]].id[i];
	return ids;
}

int exec_touch_enter(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	const struct board *b = rc->plan->board;
	if (s->mode != USB_SAMBA && s->mode != USB_BOOTSEL)
		return rs_fail(err, RS_E_UNSUPPORTED, "internal: the 1200-baud touch enters no bootloader of mode %s",
		               usb_mode_name(s->mode));
	if (bootloader_present(b, s->mode)) {
		run_log(rc, RUN_LOG_INFO, "the %s is already in its bootloader", b->name);
		return 0;
	}
	struct usb_ids ids = running_ids(b);
	char port[256];
	struct rs_error e = {0};
	if (!ids.n || serialdev_find_wait(&ids, 0, NULL, NULL, port, sizeof port, &e)) {
		run_log(rc, RUN_LOG_INFO, "no running %s found to reset from software", b->name);
		return 0;
	}
	run_log(rc, RUN_LOG_INFO, "resetting the %s on %s into its bootloader (1200-baud touch)",
	        b->name, port);
	if (serialdev_touch_1200(port, &e)) {
		run_log(rc, RUN_LOG_WARN, "the 1200-baud touch failed: %s", e.msg);
		return 0;
	}
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (bootloader_present(b, s->mode)) {
			run_log(rc, RUN_LOG_INFO, "the bootloader (%s) is there", b->usb[s->mode].id[0].text);
			return 0;
		}
		if (run_should_stop(rc))
			return rs_fail(err, RS_E_CANCELLED, "stopped while waiting for the bootloader; nothing "
			               "was written");
		clock_gettime(CLOCK_MONOTONIC, &now);
		long ms = (now.tv_sec - start.tv_sec) * 1000L + (now.tv_nsec - start.tv_nsec) / 1000000L;
		if (ms >= TOUCH_DEVICE_TIMEOUT_MS) {
			run_log(rc, RUN_LOG_WARN, "the board did not restart into its bootloader within %d s",
			        TOUCH_DEVICE_TIMEOUT_MS / 1000);
			return 0;
		}
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}
