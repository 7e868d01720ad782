/* family/samba/exec.c — the Nano 33 BLE Sense's SAM-BA flash (samba_family.h). */
#include "samba_family.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_nano_layout.h"
#include "identity.h"
#include "images.h"
#include "samba.h"
#include "serialdev.h"

/* How long the bootloader may take to appear: arduino-cli waits 10 s for the new port after
 * a touch (reference dfu-dfuse-picoboot-samba.md §3.1). */
#define NANO_DEVICE_TIMEOUT_MS 10000

static int samba_session(struct run_ctx *rc, const struct step *s, const uint8_t *data, size_t len,
                         struct rs_error *err)
{
	const struct board *b = rc->plan->board;
	char name[256];
	int r = serialdev_find_wait(&b->usb[USB_SAMBA], run_device_timeout(rc, NANO_DEVICE_TIMEOUT_MS),
	                            run_stop_cb, rc, name, sizeof name, err);
	if (r)
		return r == RS_E_TIMEOUT ? run_advise(err, ": double-tap RESET so that the LED breathes, then "
		                                  "run the same action again") : r;
	struct sp_port *port;
	if ((r = serialdev_open(name, SAMBA_BAUD, &port, err)))
		return r;
	struct samba sb;
	r = samba_connect(&sb, port, err);
	if (r) {
		serialdev_close(port);
		return run_advise(err, " — the board is not in its bootloader: double-tap RESET so that the LED "
		              "breathes, then run the same action again");
	}
	run_log(rc, RUN_LOG_DEVICE, "%s: %s, chip %s", name, sb.version, sb.chip);
	/* V# and the I# chip, e.g. "nRF52840-QIAA" (reference §3.3), against boards.ini */
	char why[300];
	if (identity_check_samba(b, sb.version, sb.chip, why, sizeof why)) {
		serialdev_close(port);
		return rs_fail(err, RS_E_INPUT, "%s (on %s); nothing was written", why, name);
	}
	if ((r = exec_nano_check_layout(rc, &sb, err))) {
		serialdev_close(port);
		return r;
	}
	struct rs_progress pr = run_progress_of(rc);
	struct samba_flash_result res;
	r = samba_flash(&sb, (uint32_t)s->address.value, data, len, &pr, &res, err);
	if (!r)
		r = samba_reset(&sb, err);
	serialdev_close(port);
	if (r && r != RS_E_CANCELLED && r != RS_E_INPUT)
		return run_advise(err, "; the bootloader is untouched: double-tap RESET and run the same action "
		              "again");
	if (!r)
		run_log(rc, RUN_LOG_INFO, "%u pages written at offset %s and verified; the board restarts "
		        "into the new firmware", res.verified_pages, s->address.text);
	return r;
}

int exec_samba_flash(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	const struct plan_image *im = &rc->plan->images[s->image];
	if (s->image < 0 || s->address.value > UINT32_MAX)
		return rs_fail(err, RS_E_INPUT, "internal: SAM-BA step without an image or offset");
	uint8_t *data;
	size_t len;
	int r = images_read_file(im->path, IMAGES_READ_MAX, &data, &len, err);
	if (r)
		return r;
	if (!len || (im->max_size && len > im->max_size)) /* checked before the run; the file may have changed */
		r = rs_fail(err, RS_E_INPUT, "%s is %zu bytes: it does not fit the application area "
		            "(%llu bytes)", im->path, len, (unsigned long long)im->max_size);
	else if ((r = samba_session(rc, s, data, len, err)) == 0)
		rc->res->verified_writes++;
	free(data);
	return r;
}
