/* family/alif/exec_write.c — the writing steps of the AE3 Secure Enclave recovery: the ROM recovery
 * write, STEP_ISP_UPDATE_SP and STEP_ISP_WRITE_MRAM (see exec_alif.h). */
#include "io/serial_io.h"
#include "exec_alif_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void alif_back_to_boot_baud(struct alif_run *r)
{
	if (!r->port || r->isp.baud == r->boot_baud)
		return;
	struct rs_error e = {0};
	if (alif_isp_set_baud(&r->isp, r->boot_baud, &e)) {
		/* the SE is gone or reset (it then boots at its boot rate): follow it */
		serial_io_set_baudrate(r->port, r->boot_baud);
		r->isp.baud = r->boot_baud;
		serial_io_flush(r->port, SP_BUF_BOTH);
	}
}

struct package_data {
	uint8_t *sp, *offset, *sp_sign, *offset_sign;
	size_t sp_len, offset_len, sign_len[2];
};

static void package_free(struct package_data *d)
{
	free(d->sp);
	free(d->offset);
	free(d->sp_sign);
	free(d->offset_sign);
	memset(d, 0, sizeof *d);
}

/* Read the package's files and check them against the board's MRAM layout. */
static int package_load(struct run_ctx *rc, const struct alif_package *pkg, bool with_sign,
                        struct package_data *d, struct rs_error *err)
{
	const struct board_action *a = &rc->plan->board->actions[ACTION_RESTORE];
	uint64_t room = a->sp_offset_address.value - a->sp_address.value;
	size_t orig = 0;
	memset(d, 0, sizeof *d);
	int rv = alif_file_read(pkg->sp, (size_t)room, 16, &d->sp, &d->sp_len, NULL, err);
	if (!rv)
		rv = alif_file_read(pkg->offset, 16, 16, &d->offset, &d->offset_len, &orig, err);
	if (!rv && orig != 16)
		rv = rs_fail(err, RS_E_INPUT, "%s is %zu bytes; an offset file is exactly 16", pkg->offset, orig);
	/* §1.8: the offset file's last word says where the package starts, relative to the MRAM */
	uint64_t expect = a->sp_address.value - a->mram_base.value;
	if (!rv && le32(d->offset + 12) != expect)
		rv = rs_fail(err, RS_E_INPUT, "%s places the system package at offset 0x%08X, but on the %s it lives at "
		             "0x%08llX: it belongs to another chip", pkg->offset, le32(d->offset + 12),
		             rc->plan->board->name, (unsigned long long)expect);
	if (!rv && with_sign && pkg->sp_sign[0]) {
		rv = alif_file_read(pkg->sp_sign, ALIF_ISP_SIGN_SIZE, 1, &d->sp_sign, &d->sign_len[0], NULL, err);
		if (!rv)
			rv = alif_file_read(pkg->offset_sign, ALIF_ISP_SIGN_SIZE, 1, &d->offset_sign, &d->sign_len[1], NULL, err);
	}
	if (rv)
		package_free(d);
	return rv;
}

int alif_rom_recovery(struct run_ctx *rc, struct alif_run *r, const struct alif_package *pkg,
                      struct rs_error *err)
{
	const struct board_action *a = &rc->plan->board->actions[ACTION_RESTORE];
	struct package_data d;
	int rv = package_load(rc, pkg, false, &d, err);
	if (rv)
		return rv;
	run_log(rc, RUN_LOG_INFO, "ROM recovery: writing %s and %s", pkg->sp, pkg->offset);
	struct rs_progress outer = run_progress_of(rc);
	struct rs_progress_span m; /* over both files */
	rs_progress_span_init(&m, &outer, d.sp_len + d.offset_len);
	uint32_t base = (uint32_t)a->mram_base.value;
	rv = alif_isp_rom_write(&r->isp, (uint32_t)a->sp_address.value - base, d.sp, d.sp_len, &m.inner, err);
	m.base = d.sp_len;
	if (!rv)
		rv = alif_isp_rom_write(&r->isp, (uint32_t)a->sp_offset_address.value - base, d.offset, d.offset_len, &m.inner, err);
	package_free(&d);
	if (rv)
		return rs_wrap(err, "the ROM recovery write stopped; run restore-bootloader again");
	return alif_isp_reset(&r->isp, err); /* the "Recovery" (with reset) variant, §1.8 */
}

static uint32_t random_token(void)
{
	uint32_t t = 0;
	FILE *f = fopen("/dev/urandom", "rb");
	if (!f || fread(&t, 1, sizeof t, f) != sizeof t)
		t = (uint32_t)time(NULL) ^ ((uint32_t)getpid() << 16);
	if (f)
		fclose(f);
	return t;
}

/* ---- STEP_ISP_UPDATE_SP ------------------------------------------------------------------- */

static int write_package(struct run_ctx *rc, struct alif_run *r, const struct alif_package *pkg,
                         struct rs_error *err)
{
	const struct board_action *a = &rc->plan->board->actions[ACTION_RESTORE];
	struct package_data d;
	int rv = package_load(rc, pkg, true, &d, err);
	if (rv)
		return rv;
	if (!d.sp_sign)
		run_log(rc, RUN_LOG_WARN, "no .sign files beside the system package: it is written without authentication");
	struct rs_progress outer = run_progress_of(rc);
	struct rs_progress_span m; /* over both files */
	rs_progress_span_init(&m, &outer, d.sp_len + d.offset_len);
	uint32_t token = random_token();
	if ((rv = alif_isp_set_baud(&r->isp, r->fast_baud, err)))
		goto out;
	rv = alif_isp_burn_mram(&r->isp, (uint32_t)a->sp_address.value, d.sp, d.sp_len, d.sp_sign, d.sign_len[0],
	                        token, &m.inner, err);
	m.base = d.sp_len;
	if (!rv)
		rv = alif_isp_burn_mram(&r->isp, (uint32_t)a->sp_offset_address.value, d.offset, d.offset_len,
		                        d.offset_sign, d.sign_len[1], token, &m.inner, err);
	if (!rv)
		rv = alif_isp_set_baud(&r->isp, r->boot_baud, err);
out:
	package_free(&d);
	if (rv) {
		alif_back_to_boot_baud(r);
		return rs_wrap(err, "updating the Secure Enclave's system package");
	}
	if ((rv = alif_isp_stop(&r->isp, err)) || (rv = alif_isp_reset(&r->isp, err)))
		return rv;
	return 0;
}

int exec_isp_update_sp(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	struct alif_run *r = alif_run_get(rc, s, err);
	if (!r)
		return RS_E_NOMEM;
	if (r->rom_recovered) {
		run_log(rc, RUN_LOG_INFO, "The system package was just rewritten from ROM: no update needed");
		return 0;
	}
	struct alif_package pkg;
	char where[700];
	int found = alif_locate_package(rc, r, s->image, &pkg, where, sizeof where, err);
	if (found < 0)
		return found;
	if (!found) {
		run_log(rc, RUN_LOG_INFO, "No Alif system package in %s: the Secure Enclave firmware is left as it is "
		        "(name a package folder with --image system-package=DIR to update it)", where);
		return 0;
	}
	/* The IDE updates when the SE firmware is older than its package (§1.11 version.json) */
	const struct alif_isp_version *have = &r->version, *pv = &pkg.version;
	if (!pkg.have_version && r->have_version) {
		run_log(rc, RUN_LOG_INFO, "The system package in %s has no version.json, so it cannot be compared with the "
		        "Secure Enclave firmware v%d.%d.%d: left as it is", pkg.dir, have->major, have->minor, have->patch);
		return 0;
	}
	if (pkg.have_version && r->have_version && alif_isp_version_cmp(have, pv) >= 0) {
		run_log(rc, RUN_LOG_INFO, "The Secure Enclave firmware v%d.%d.%d is up to date (package v%d.%d.%d): no update",
		        have->major, have->minor, have->patch, pv->major, pv->minor, pv->patch);
		return 0;
	}
	if (!pkg.have_version && !r->have_version) {
		run_log(rc, RUN_LOG_INFO, "Neither the Secure Enclave nor the package in %s tells its version: "
		        "the system package is left as it is", pkg.dir);
		return 0;
	}
	if (r->have_version)
		run_log(rc, RUN_LOG_INFO, "Updating the Secure Enclave firmware v%d.%d.%d to the system package v%d.%d.%d",
		        have->major, have->minor, have->patch, pv->major, pv->minor, pv->patch);
	else
		run_log(rc, RUN_LOG_INFO, "The Secure Enclave firmware version is unknown: writing the system package v%d.%d.%d",
		        pv->major, pv->minor, pv->patch);
	int rv = alif_begin(rc, r, 3, err);
	if (!rv)
		rv = alif_ensure_maintenance(rc, r, err);
	if (!rv)
		rv = write_package(rc, r, &pkg, err);
	if (rv)
		return rv;
	r->sp_updated = true;
	r->version = *pv;
	return alif_power_cycle(rc, r, err); /* §2.3 step 8: the IDE asks for a power cycle */
}

/* ---- STEP_ISP_WRITE_MRAM ------------------------------------------------------------------ */

/* Read the image at addr back from MRAM (MRAM_READ, a line a command) and compare.  verify: an
 * equal or differing image is counted and logged, 0; after a write: a difference is RS_E_VERIFY.
 * Progress goes through m from its base (the caller's bytes before this pass). */
static int compare_image(struct run_ctx *rc, struct alif_run *r, const char *path, uint32_t addr,
                         const uint8_t *data, size_t len, struct rs_progress_span *m, struct rs_error *err)
{
	const struct board_action *a = &rc->plan->board->actions[ACTION_RESTORE];
	struct alif_isp_compare c;
	uint32_t base = (uint32_t)a->mram_base.value;
	int rv = alif_isp_mram_compare(&r->isp, addr - base, data, len, &m->inner, &c, err);
	if (rv)
		return rs_wrap(err, "%s at 0x%08X", path, addr);
	bool verify_only = rc->opts->verify_only;
	if (!c.lines_differ) {
		if (verify_only)
			rc->res->images_equal++;
		else
			rc->res->verified_writes++;
		run_log(rc, RUN_LOG_INFO, "%s: equal to the MRAM at 0x%08X, all %zu bytes (read back %zu lines "
		        "of 16 bytes)", path, addr, len, c.lines);
		return 0;
	}
	if (verify_only) {
		rc->res->images_differ++;
		run_log(rc, RUN_LOG_WARN, "%s: differs from the MRAM first at 0x%08X; %zu of %zu 16-byte lines differ",
		        path, base + c.first_differ, c.lines_differ, c.lines);
		return 0;
	}
	return rs_fail(err, RS_E_VERIFY, "%s was written at 0x%08X, but the MRAM reads back other bytes first at "
	               "0x%08X (%zu of %zu 16-byte lines differ): run restore-bootloader again", path, addr,
	               base + c.first_differ, c.lines_differ, c.lines);
}

/* Write (or under verify, compare) one image; a write is read back unless --no-verify.  The
 * read-back's progress follows the write's (m->base advanced here); the caller advances m->base
 * past the last pass. */
static int write_image(struct run_ctx *rc, struct alif_run *r, const char *path, uint32_t addr,
                       const uint8_t *data, size_t len, struct rs_progress_span *m, struct rs_error *err)
{
	if (rc->opts->verify_only)
		return compare_image(rc, r, path, addr, data, len, m, err);
	run_log(rc, RUN_LOG_INFO, "Writing %s (%zu bytes) at 0x%08X", path, len, addr);
	int rv = alif_isp_burn_mram(&r->isp, addr, data, len, NULL, 0, 0, &m->inner, err);
	if (rv) { /* what happened first, then what to do (the wrap's prefix is cut at 200 bytes) */
		rs_wrap(err, "writing %s at 0x%08X", path, addr);
		size_t n = strlen(err->msg);
		snprintf(err->msg + n, sizeof err->msg - n, "; the bootloader area is incomplete: run "
		         "restore-bootloader again (the Secure Enclave itself is untouched)");
		return rv;
	}
	rc->res->bytes_written += len;
	if (rc->opts->no_verify) {
		rc->res->unverified_writes = true;
		return 0;
	}
	m->base += len;
	return compare_image(rc, r, path, addr, data, len, m, err);
}

int exec_isp_write_mram(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	const struct board *b = rc->plan->board;
	const struct board_action *a = &b->actions[ACTION_RESTORE];
	struct alif_run *r = alif_run_get(rc, s, err);
	if (!r)
		return RS_E_NOMEM;
	int idx[2] = {s->image, s->image2};
	uint8_t *buf[2] = {NULL, NULL};
	size_t len[2] = {0, 0}, orig[2] = {0, 0};
	uint32_t addr[2] = {0, 0};
	uint64_t total = 0;
	int rv = 0;
	for (int i = 0; i < 2 && !rv; i++) {
		if (idx[i] < 0 || i >= a->nalts)
			continue;
		const struct board_alt *al = board_alt(b, a->alts[i]);
		addr[i] = (uint32_t)al->start.value;
		/* the images of the OpenMV release end on 16-byte lines; pad any that do not (§1.7 --pad) */
		rv = alif_file_read(rc->plan->images[idx[i]].path, (size_t)al->size.value, 16, &buf[i], &len[i], &orig[i], err);
		/* never touch anything outside the application area: the Alif area holds the SE firmware */
		if (!rv && (al->start.value < a->mram_base.value || al->start.value + len[i] > a->sp_address.value))
			rv = rs_fail(err, RS_E_INPUT, "internal: alt %d lies outside the MRAM application area", al->alt);
		if (!rv && len[i] != orig[i])
			run_log(rc, RUN_LOG_INFO, "%s is padded with %zu zero bytes to a 16-byte line", rc->plan->images[idx[i]].path,
			        len[i] - orig[i]);
		/* progress: the write, then its read-back (verify: the read-back only) */
		total += len[i] * (rc->opts->verify_only || rc->opts->no_verify ? 1 : 2);
	}
	if (!rv)
		rv = alif_begin(rc, r, 3, err);
	if (!rv)
		rv = alif_ensure_maintenance(rc, r, err);
	if (!rv)
		rv = alif_isp_set_baud(&r->isp, r->fast_baud, err);
	struct rs_progress outer = run_progress_of(rc);
	struct rs_progress_span m; /* over the writes and their read-backs */
	rs_progress_span_init(&m, &outer, total);
	for (int i = 0; i < 2 && !rv; i++) {
		if (!buf[i])
			continue;
		rv = write_image(rc, r, rc->plan->images[idx[i]].path, addr[i], buf[i], len[i], &m, err);
		m.base += len[i];
	}
	if (!rv)
		rv = alif_isp_set_baud(&r->isp, r->boot_baud, err);
	else
		alif_back_to_boot_baud(r);
	for (int i = 0; i < 2; i++)
		free(buf[i]);
	if (!rv && !(rv = alif_isp_stop(&r->isp, err)))
		rv = alif_isp_reset(&r->isp, err);
	return rv;
}
