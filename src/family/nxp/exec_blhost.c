/* family/nxp/exec_blhost.c — the blhost steps of the RT1062 recipes (seed 002 §10.7.7, seed 000, seed
 * 003 "OpenMV Cam RT1062") carried out with src/proto/mboot.h on the cached flashloader. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blhost_delta.h"
#include "exec_nxp.h"
#include "exec_nxp_internal.h"

/* Read-back for verification goes in pieces so that a stop request is honoured between them. */
#define VERIFY_CHUNK (64u * 1024u)

static int flashloader(struct run_ctx *rc, struct nxp_device **d, struct rs_error *err)
{
	int r = nxp_device_get(rc, USB_FLASHLOADER, nxp_wait_ms(rc, NXP_APPEAR_TIMEOUT_MS), d, err);
	if (r == RS_E_TIMEOUT)
		return nxp_fail(r, err, "the camera is no longer in its bootloader: run the same action again");
	return r;
}

/* What the person should do after a failed step: it depends on what the step was writing. */
static int step_failed(struct run_ctx *rc, const struct step *s, int code, struct rs_error *err)
{
	if (code == RS_E_CANCELLED)
		return code;
	if (code == RS_E_GONE)
		nxp_device_drop(rc);
	if (s->flags & STEP_BOOTLOADER || rc->plan->action == ACTION_RESTORE)
		return nxp_fail(code, err, "the bootloader is not complete yet: keep the SBL jumper, "
		                "reconnect the camera and run restore-bootloader again");
	return nxp_fail(code, err, "the secure bootloader is untouched: run the same action again");
}

int exec_blhost_fill(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	struct nxp_device *d;
	int r = flashloader(rc, &d, err);
	if (!r)
		r = mboot_fill_memory(&d->mboot, (uint32_t)s->address.value, (uint32_t)s->length.value,
		                      (uint32_t)s->value.value, err);
	return r ? step_failed(rc, s, r, err) : 0;
}

int exec_blhost_configure(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	struct nxp_device *d;
	int r = flashloader(rc, &d, err);
	if (!r)
		r = mboot_configure_memory(&d->mboot, (uint32_t)s->value.value, (uint32_t)s->address.value,
		                           NXP_CONFIGURE_TIMEOUT_MS, err);
	return r ? step_failed(rc, s, r, err) : 0;
}

int exec_blhost_erase(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	uint64_t len = s->length.value;
	if (s->text[0]) { /* <firmware_size>, <sbl_size>: the image's size (seed 002, seed 003) */
		if (s->image < 0 || s->image >= rc->plan->nimages || !rc->plan->images[s->image].size)
			return rs_fail(err, RS_E_INPUT, "internal: the size of the image for %s is not known", s->text);
		len = rc->plan->images[s->image].size;
	}
	if (!len || len > UINT32_MAX)
		return rs_fail(err, RS_E_INPUT, "internal: an erase of %" PRIu64 " bytes", len);
	int timeout = s->value.value ? (int)s->value.value : NXP_ERASE_TIMEOUT_MS;
	struct nxp_device *d;
	int r = flashloader(rc, &d, err);
	if (!r)
		r = blhost_delta_erase(rc, d, s, len, timeout, err);
	if (r <= 0) /* done by delta mode (or nothing erased for verify), or failed */
		return r ? step_failed(rc, s, r, err) : 0;
	run_log(rc, RUN_LOG_INFO, "erasing %" PRIu64 " bytes at 0x%08" PRIX64 " (this can take up to %d s)",
	        len, s->address.value, timeout / 1000);
	run_progress(rc, 0, len);
	/* memory id 0: the seeds give none, and both hosts send 0 for the mapped flash (§2.4) */
	r = mboot_flash_erase_region(&d->mboot, (uint32_t)s->address.value, (uint32_t)len,
	                             MBOOT_MEM_INTERNAL, timeout, err);
	if (r)
		return step_failed(rc, s, r, err);
	run_progress(rc, len, len);
	return 0;
}

/* Read back what was written and compare; 1 when the device cannot read it back. */
static int verify(struct run_ctx *rc, struct nxp_device *d, const struct step *s, const uint8_t *data,
                  size_t n, const char *name, struct rs_error *err)
{
	if (rc->opts->no_verify)
		return 1; /* not read back: reported as unverified */
	uint8_t *back = malloc(VERIFY_CHUNK);
	if (!back)
		return rs_fail(err, RS_E_NOMEM, "out of memory for the read-back");
	run_log(rc, RUN_LOG_INFO, "reading %s back to verify it", name);
	int r = 0;
	for (size_t off = 0; off < n && !r; off += VERIFY_CHUNK) {
		size_t part = n - off < VERIFY_CHUNK ? n - off : VERIFY_CHUNK;
		uint32_t at = (uint32_t)(s->address.value + off);
		if (run_should_stop(rc)) {
			r = rs_fail(err, RS_E_CANCELLED, "stopped while verifying %s; it was written completely", name);
			break;
		}
		r = mboot_read_memory(&d->mboot, at, back, part, MBOOT_MEM_INTERNAL, NULL, err);
		if (r == RS_E_DEVICE) { /* this bootloader does not allow reading it back */
			run_log(rc, RUN_LOG_WARN, "%s was written but could not be read back to verify it (%s)",
			        name, err->msg);
			r = 1;
			break;
		}
		if (!r && memcmp(back, data + off, part)) {
			size_t k = 0;
			while (back[k] == data[off + k])
				k++;
			r = rs_fail(err, RS_E_VERIFY, "%s reads back differently at 0x%08" PRIX32 " (byte %zu of %zu): "
			            "the flash did not keep what was written", name, at + (uint32_t)k, off + k, n);
		}
		run_progress(rc, off + part, n);
	}
	free(back);
	return r;
}

int exec_blhost_write(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	struct nxp_device *d;
	int r = flashloader(rc, &d, err);
	if (r)
		return step_failed(rc, s, r, err);
	uint8_t *data = NULL;
	size_t n = 0;
	const char *name;
	if ((r = nxp_image_load(rc, s->image, &data, &n, &name, err)))
		return r;
	if (rc->opts->verify_only) { /* its erase step erased nothing: compare, write nothing */
		r = blhost_compare(rc, d, s, data, n, name, err);
		free(data);
		return r ? step_failed(rc, s, r, err) : 0;
	}
	r = blhost_delta_write(rc, d, s, data, n, err);
	if (!r)
		r = verify(rc, d, s, data, n, name, err);
	free(data);
	if (r == 1) {
		rc->res->unverified_writes = true;
		return 0;
	}
	if (r)
		return step_failed(rc, s, r, err);
	rc->res->verified_writes++;
	return 0;
}

int exec_blhost_efuse(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	/* the runner asked for the typed word; this is the last guard (seed 003 warning) */
	if (rc->opts && rc->opts->assume_yes && !rc->opts->allow_irreversible)
		return rs_fail(err, RS_E_INPUT, "the eFuse write is irreversible; with --yes it also needs "
		               "--allow-irreversible. Nothing was burned");
	char *end;
	unsigned long word = strtoul(s->text, &end, 16); /* blhost takes the data as hex without 0x */
	if (!s->text[0] || *end || strlen(s->text) > 8)
		return rs_fail(err, RS_E_INPUT, "internal: eFuse data '%s' is not a hex word", s->text);
	uint32_t index = (uint32_t)s->value.value;
	struct nxp_device *d;
	int r = flashloader(rc, &d, err);
	if (!r)
		r = mboot_efuse_program_once(&d->mboot, index, (uint32_t)word, err);
	if (r)
		return step_failed(rc, s, r, err);
	uint32_t back = 0;
	struct rs_error quiet;
	r = mboot_efuse_read_once(&d->mboot, index, &back, &quiet);
	if (r == RS_E_DEVICE) {
		run_log(rc, RUN_LOG_WARN, "the eFuse was programmed but could not be read back (%s)", quiet.msg);
		return 0;
	}
	if (r) {
		*err = quiet;
		return step_failed(rc, s, r, err);
	}
	/* a fuse word can only gain bits: spsdk's --verify checks (read & value) == value */
	if ((back & (uint32_t)word) != (uint32_t)word)
		return rs_fail(err, RS_E_VERIFY, "eFuse 0x%02" PRIX32 " reads 0x%08" PRIX32 " after programming "
		               "0x%08lX: the boot fuse did not take; do not retry, ask for help with this log",
		               index, back, word);
	run_log(rc, RUN_LOG_DEVICE, "eFuse 0x%02" PRIX32 " now reads 0x%08" PRIX32, index, back);
	return 0;
}

int exec_blhost_reset(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	struct nxp_device *d;
	int r = flashloader(rc, &d, err);
	if (!r)
		r = mboot_reset(&d->mboot, err);
	nxp_device_drop(rc); /* it leaves the bus either way */
	return r ? step_failed(rc, s, r, err) : 0;
}
