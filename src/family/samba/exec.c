/* family/samba/exec.c — the Nano 33 BLE Sense's SAM-BA flash (samba_family.h). */
#include "samba_family.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_delta.h"
#include "exec_nano_layout.h"
#include "identity.h"
#include "images.h"
#include "samba.h"
#include "serialdev.h"

/* How long the bootloader may take to appear: arduino-cli waits 10 s for the new port after
 * a touch (reference dfu-dfuse-picoboot-samba.md §3.1). */
#define NANO_DEVICE_TIMEOUT_MS 10000

/* How the log names delta mode's choice (run_delta.h): 4 KiB erased pages of units.flash, by
 * physical address. */
static const struct run_delta_words delta_words = {
	"page", "writing every page of the image",
	"asking the bootloader for each page's CRC-16 first, to write only the 4 KiB pages that differ"};

static int samba_write_image(struct run_ctx *rc, struct samba *sb, const struct step *s,
                             const uint8_t *data, size_t len, struct rs_error *err)
{
	struct rs_progress pr = run_progress_of(rc);
	struct samba_flash_result res;
	bool delta = run_delta_by_unit(rc, SAMBA_APP_BASE + s->address.value, SAMBA_PAGE_SIZE, &delta_words);
	int r = samba_flash_delta(sb, (uint32_t)s->address.value, data, len, delta, &pr, &res, err);
	if (r)
		return r;
	rc->res->bytes_written += res.bytes_written;
	rc->res->bytes_left_alone += res.bytes_left_alone;
	if (delta)
		run_log(rc, RUN_LOG_INFO, "%u of %u pages already held the image: writing %llu of %zu bytes",
		        res.pages_same, res.pages_same + res.pages, (unsigned long long)res.bytes_written, len);
	run_log(rc, RUN_LOG_INFO, "%u pages written at offset %s and verified; the board restarts "
	        "into the new firmware", res.verified_pages, s->address.text);
	return RS_OK;
}

/* verify: compare the image with the flash through the bootloader's CRC-16; nothing written. */
static int samba_verify(struct run_ctx *rc, struct samba *sb, const struct step *s,
                        const uint8_t *data, size_t len, struct rs_error *err)
{
	struct rs_progress pr = run_progress_of(rc);
	struct samba_compare c;
	const char *path = rc->plan->images[s->image].path;
	int r = samba_compare(sb, (uint32_t)s->address.value, data, len, &pr, &c, err);
	if (r)
		return r;
	if (!c.differ) {
		rc->res->images_equal++;
		run_log(rc, RUN_LOG_INFO, "%s: equal to the flash at 0x%08llx, all %zu bytes (by the "
		        "bootloader's CRC-16 of each page)", path,
		        (unsigned long long)(SAMBA_APP_BASE + s->address.value), len);
	} else {
		rc->res->images_differ++;
		run_log(rc, RUN_LOG_WARN, "%s: differs from the flash first at 0x%08llx; %u of %u pages "
		        "differ", path, (unsigned long long)(SAMBA_APP_BASE + c.first_differ), c.pages_differ,
		        c.pages);
	}
	return RS_OK;
}

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
	r = rc->opts->verify_only ? samba_verify(rc, &sb, s, data, len, err)
	                          : samba_write_image(rc, &sb, s, data, len, err);
	if (!r)
		r = samba_reset(&sb, err);
	serialdev_close(port);
	if (r && r != RS_E_CANCELLED && r != RS_E_INPUT)
		return run_advise(err, "; the bootloader is untouched: double-tap RESET and run the same action "
		              "again");
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
	else if ((r = samba_session(rc, s, data, len, err)) == 0 && !rc->opts->verify_only)
		rc->res->verified_writes++;
	free(data);
	return r;
}
