/* stm32prog_run.c — the N6 restore as two stages of the phase protocol: the boot ROM takes
 * OpenBootloader into RAM; OpenBootloader takes the external-memory loader and the images
 * for nor0.  Order and addressing: reference alif-isp-openmv-ide-n6.md §4.2 ("Expected
 * sequence for OpenMV's TSV" [I]) and ST's OpenBootloader middleware, branch stm32n6
 * (Modules/USB/openbl_usb_cmd.c: each row is announced twice by GetPhase, once before its
 * data and once after; Util/openbl_util.c: the layout text it parses). */
#include "stm32prog.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void note(const struct stm32prog_log *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(const struct stm32prog_log *log, const char *fmt, ...)
{
	if (!log || !log->note)
		return;
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log->note(log->ctx, msg);
}

/* ---- layout checks and the layout download (pure) ------------------------------------- */

static bool is_ram(const struct stm32prog_part *p)
{
	return !strcmp(p->ip, "none");
}

int stm32prog_check_parts(const struct stm32prog_part *parts, int n, struct rs_error *err)
{
	if (n < 2)
		return rs_fail(err, RS_E_INPUT, "the layout programs %d row%s: the N6 needs OpenBootloader (Id 0x01) "
		               "and at least one image after it", n, n == 1 ? "" : "s");
	if (n > STM32PROG_OBL_MAX_ROWS)
		return rs_fail(err, RS_E_INPUT, "the layout programs %d rows; OpenBootloader keeps at most %d", n,
		               STM32PROG_OBL_MAX_ROWS);
	if (parts[0].id != STM32PROG_ID_FSBL || !is_ram(&parts[0]))
		return rs_fail(err, RS_E_INPUT, "the first row programmed must be Id 0x01 with IP none "
		               "(OpenBootloader, which the N6 ROM loads into RAM); it is Id 0x%02X, IP %s",
		               parts[0].id, parts[0].ip);
	for (int i = 0; i < n; i++) {
		const struct stm32prog_part *p = &parts[i];
		const char *cols[] = {p->opt, p->name, p->type, p->ip};
		for (int k = 0; k < 4; k++)
			if (strlen(cols[k]) > STM32PROG_OBL_MAX_FIELD)
				return rs_fail(err, RS_E_INPUT, "row Id 0x%02X: '%s' is longer than the %d characters "
				               "OpenBootloader reads per column", p->id, cols[k], STM32PROG_OBL_MAX_FIELD);
		if (i == 0)
			continue;
		if (p->id == STM32PROG_ID_FSBL)
			return rs_fail(err, RS_E_INPUT, "Id 0x01 may only be the first row");
		if (p->id == STM32PROG_ID_LOADER) {
			if (!is_ram(p))
				return rs_fail(err, RS_E_INPUT, "row Id 0x03 is the external-memory loader: its IP must be "
				               "none (RAM), not %s", p->ip);
			continue;
		}
		/* OpenBootloader writes external memory for phases 4 and 5 only (openbl_usb_cmd.c) */
		if (p->id != 0x04 && p->id != 0x05)
			return rs_fail(err, RS_E_INPUT, "row Id 0x%02X: OpenBootloader on the N6 writes only partitions "
			               "0x04 and 0x05", p->id);
		if (strncmp(p->ip, "nor", 3))
			return rs_fail(err, RS_E_INPUT, "row Id 0x%02X: IP %s is not a NOR flash (nor0)", p->id, p->ip);
		bool loader = false;
		for (int k = 1; k < i; k++)
			loader |= parts[k].id == STM32PROG_ID_LOADER;
		if (!loader)
			return rs_fail(err, RS_E_INPUT, "row Id 0x%02X writes %s before any external-memory loader "
			               "(Id 0x03) row", p->id, p->ip);
	}
	return RS_OK;
}

int stm32prog_layout_blob(const struct stm32prog_part *parts, int n, uint8_t *out, size_t max,
                          size_t *len, struct rs_error *err)
{
	*len = 0;
	if (max < STM32PROG_LAYOUT_HEADER)
		return rs_fail(err, RS_E_INPUT, "no room for the layout header");
	memset(out, 0, STM32PROG_LAYOUT_HEADER);
	size_t off = STM32PROG_LAYOUT_HEADER;
	for (int i = 0; i < n; i++) {
		const struct stm32prog_part *p = &parts[i];
		/* six columns, tab between, '\n' after each row, no header line: what
		 * OPENBL_FlashLayout_Parse_Layout reads (openbl_util.c) */
		char line[4 * (STM32PROG_OBL_MAX_FIELD + 1) + 32];
		int k = snprintf(line, sizeof line, "%s\t0x%02X\t%s\t%s\t%s\t0x%08X\n", p->opt, p->id, p->name,
		                 p->type, p->ip, (unsigned)p->offset);
		if (k < 0 || (size_t)k >= sizeof line || off + (size_t)k > max)
			return rs_fail(err, RS_E_INPUT, "the layout does not fit in %zu bytes (one DFU block): "
			               "shorten the row names", max);
		memcpy(out + off, line, (size_t)k);
		off += (size_t)k;
	}
	*len = off;
	return RS_OK;
}

/* ---- ROM stage ------------------------------------------------------------------------- */

int stm32prog_rom_stage(struct stm32prog_dev *d, const struct stm32prog_part *fsbl,
                        const struct rs_progress *progress, const struct stm32prog_log *log,
                        struct rs_error *err)
{
	struct stm32prog_phase ph;
	int rc = stm32prog_get_phase(d, false, &ph, err);
	if (rc)
		return rs_wrap(err, "asking the N6 ROM which phase it wants");
	if (ph.id != STM32PROG_ID_FSBL)
		return rs_fail(err, RS_E_PROTOCOL, "the N6 ROM asks for phase 0x%02X, not the first-stage loader "
		               "(0x01): is the camera really in its ROM's DFU mode (BOOT jumper to VCC)?", ph.id);
	note(log, "the ROM asks for phase 0x01 (load address 0x%08X): sending %s, %zu bytes", (unsigned)ph.address,
	     fsbl->name, fsbl->len);
	struct rs_progress_span sp;
	rs_progress_span_init(&sp, progress, fsbl->len);
	rc = stm32prog_download(d, false, STM32PROG_ID_FSBL, fsbl->data, fsbl->len, &sp.inner, err);
	if (rc)
		return rs_wrap(err, "sending %s to the N6 ROM", fsbl->name);
	/* TF-A's device side answers the next GetPhase with "detach" once the FSBL is taken
	 * (reference §4.2); the ROM may also leave at once, so the answer is only logged */
	struct rs_error local = {0};
	if (stm32prog_get_phase(d, false, &ph, &local) == RS_OK)
		note(log, "after the FSBL the ROM answers phase 0x%02X%s", ph.id, ph.detach ? " (detach)" : "");
	else
		note(log, "after the FSBL the ROM did not answer GetPhase (%s)", local.msg);
	stm32prog_detach(d);
	return RS_OK;
}

/* ---- OpenBootloader stage --------------------------------------------------------------- */

static const struct stm32prog_part *part_with_id(const struct stm32prog_part *parts, int n, uint8_t id)
{
	for (int i = 1; i < n; i++)
		if (parts[i].id == id)
			return &parts[i];
	return NULL;
}

/* Read the phase; the device must not vanish or fail here. */
static int expect_phase(struct stm32prog_dev *d, struct stm32prog_phase *ph, const char *when,
                        struct rs_error *err)
{
	int rc = stm32prog_get_phase(d, true, ph, err);
	if (rc)
		return rs_wrap(err, "asking OpenBootloader for the next phase %s", when);
	if (ph->detach)
		return rs_fail(err, RS_E_PROTOCOL, "OpenBootloader asks to be detached %s, before the layout "
		               "was finished", when);
	return RS_OK;
}

/* One part: its data to the alt of its id, then the second GetPhase ("start" of that phase
 * in openbl_usb_cmd.c), which must name the same phase.  *written counts NOR parts whose
 * data started to go in: from then on nor0 may hold part of it. */
static int send_part(struct stm32prog_dev *d, const struct stm32prog_part *p, const uint8_t *data, size_t len,
                     struct rs_progress_span *sp, const struct stm32prog_log *log, int *written,
                     struct rs_error *err)
{
	if (p->ip && strcmp(p->ip, "none"))
		++*written;
	int rc = stm32prog_download(d, true, p->id, data, len, &sp->inner, err);
	if (rc)
		return rs_wrap(err, "sending %s (phase 0x%02X)", p->name, p->id);
	sp->base += len;
	struct stm32prog_phase ph;
	char when[80];
	snprintf(when, sizeof when, "after %s", p->name);
	if ((rc = expect_phase(d, &ph, when, err)))
		return rc;
	if (ph.id != p->id)
		return rs_fail(err, RS_E_PROTOCOL, "after %s OpenBootloader answers phase 0x%02X where it should "
		               "confirm 0x%02X", p->name, ph.id, p->id);
	note(log, "%s done (phase 0x%02X, %zu bytes)", p->name, p->id, len);
	return RS_OK;
}

static int obl_by_layout(struct stm32prog_dev *d, const struct stm32prog_part *parts, int n,
                         struct rs_progress_span *sp, const struct stm32prog_log *log, int *written,
                         struct rs_error *err)
{
	bool done[STM32PROG_OBL_MAX_ROWS] = {false};
	bool layout_sent = false;
	/* every row but the first, each announced twice, plus the layout, plus the end: a
	 * device that keeps asking for more is wrong */
	for (int round = 0; round < 2 * n + 4; round++) {
		struct stm32prog_phase ph;
		int rc = expect_phase(d, &ph, layout_sent ? "" : "at the start", err);
		if (rc)
			return rc;
		if (ph.id == STM32PROG_ID_END) {
			for (int i = 1; i < n; i++)
				if (!done[i])
					return rs_fail(err, RS_E_PROTOCOL, "OpenBootloader reported the end without asking "
					               "for %s (phase 0x%02X)", parts[i].name, parts[i].id);
			return RS_OK;
		}
		if (ph.id == STM32PROG_ID_LAYOUT) {
			if (layout_sent)
				return rs_fail(err, RS_E_PROTOCOL, "OpenBootloader asks for the layout a second time");
			uint8_t blob[STM32PROG_PHASE_REQUEST * 8];
			size_t len, max = d->transfer_size < sizeof blob ? d->transfer_size : sizeof blob;
			if ((rc = stm32prog_layout_blob(parts, n, blob, max, &len, err)))
				return rc;
			note(log, "OpenBootloader asks for the flash layout: %d rows, %zu bytes", n, len);
			struct stm32prog_part lp = {.id = STM32PROG_ID_LAYOUT, .name = "the flash layout"};
			/* the layout is not counted in the progress: it is not an image */
			struct rs_progress_span none;
			rs_progress_span_init(&none, NULL, 0);
			int unused = 0;
			if ((rc = send_part(d, &lp, blob, len, &none, log, &unused, err)))
				return rc;
			layout_sent = true;
			continue;
		}
		const struct stm32prog_part *p = part_with_id(parts, n, ph.id);
		if (!p)
			return rs_fail(err, RS_E_PROTOCOL, "OpenBootloader asks for phase 0x%02X, which the layout does "
			               "not have", ph.id);
		int idx = (int)(p - parts);
		if (!layout_sent || done[idx])
			return rs_fail(err, RS_E_PROTOCOL, "OpenBootloader asks for phase 0x%02X %s", ph.id,
			               done[idx] ? "a second time" : "before the layout");
		note(log, "OpenBootloader asks for phase 0x%02X (%s) at 0x%08X", ph.id, p->name, (unsigned)ph.address);
		if ((rc = send_part(d, p, p->data, p->len, sp, log, written, err)))
			return rc;
		done[idx] = true;
	}
	return rs_fail(err, RS_E_PROTOCOL, "OpenBootloader never reported the end of the layout");
}

static int obl_by_set_phase(struct stm32prog_dev *d, const struct stm32prog_part *parts, int n,
                            struct rs_progress_span *sp, const struct stm32prog_log *log, int *written,
                            struct rs_error *err)
{
	for (int i = 1; i < n; i++) {
		const struct stm32prog_part *p = &parts[i];
		int rc = stm32prog_set_phase(d, true, p->id, p->offset, err);
		if (rc)
			return rs_wrap(err, "selecting %s (phase 0x%02X, offset 0x%08X)", p->name, p->id, (unsigned)p->offset);
		struct stm32prog_phase ph;
		if ((rc = expect_phase(d, &ph, "after setting the phase", err)))
			return rc;
		if (ph.id != p->id)
			return rs_fail(err, RS_E_PROTOCOL, "asked for phase 0x%02X, the device answers 0x%02X", p->id, ph.id);
		if (strcmp(p->ip, "none"))
			++*written;
		rc = stm32prog_download(d, true, p->id, p->data, p->len, &sp->inner, err);
		if (rc)
			return rs_wrap(err, "sending %s (phase 0x%02X)", p->name, p->id);
		sp->base += p->len;
		note(log, "%s done (phase 0x%02X at offset 0x%08X)", p->name, p->id, (unsigned)p->offset);
	}
	return RS_OK;
}

int stm32prog_obl_stage(struct stm32prog_dev *d, const struct stm32prog_part *parts, int n,
                        enum stm32prog_nor_addressing mode, const struct rs_progress *progress,
                        const struct stm32prog_log *log, int *written, struct rs_error *err)
{
	*written = 0;
	int rc = stm32prog_check_parts(parts, n, err);
	if (rc)
		return rc;
	uint64_t total = 0;
	for (int i = 1; i < n; i++)
		total += parts[i].len;
	struct rs_progress_span sp;
	rs_progress_span_init(&sp, progress, total);
	note(log, "OpenBootloader: %d alts, blocks of %u bytes; nor0 addressing: %s", d->nalts, d->transfer_size,
	     stm32prog_nor_addressing_name(mode));
	if (mode == STM32PROG_NOR_BY_SET_PHASE)
		rc = obl_by_set_phase(d, parts, n, &sp, log, written, err);
	else
		rc = obl_by_layout(d, parts, n, &sp, log, written, err);
	if (rc)
		return rc;
	rs_progress_report(progress, total, total);
	/* reference §4.2 step 4: "then end (phase 0xFF / detach)" */
	stm32prog_detach(d);
	return RS_OK;
}
