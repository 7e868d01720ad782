/* dfuse_write.c — DfuSe write and upload: the plans of dfuse_plan.c carried out on the
 * wire with the commands of dfuse.c.  See dfuse.h. */
#include "dfuse.h"

#include <string.h>

#include "dfuse_plan.h"
#include "dfuse_quirks.h"

/* Progress bookkeeping shared by the erase and write passes. */
struct job {
	libusb_device_handle *h;
	uint16_t intf;
	const struct rs_progress *progress;
	uint64_t done, total;
	struct dfuse_stats *stats;
};

static void advance(struct job *j, uint64_t bytes)
{
	j->done += bytes;
	rs_progress_report(j->progress, j->done, j->total);
}

static int cancelled(struct job *j, size_t written, size_t len, struct rs_error *err)
{
	dfuse_abort_to_idle(j->h, j->intf, NULL); /* leave the device tidy; errors do not matter */
	return rs_fail(err, RS_E_CANCELLED, "stopped after %zu of %zu bytes; the memory now "
		       "holds a partial image", written, len);
}

static int check_write(const struct dfuse_layout *layout, uint16_t xfer, uint32_t address,
		       const uint8_t *data, size_t len, unsigned flags, struct rs_error *err)
{
	if (xfer == 0)
		return rs_fail(err, RS_E_INPUT, "the device's transfer size is 0, so blocks "
			       "cannot be sized");
	if (len == 0 || !data)
		return rs_fail(err, RS_E_INPUT, "the image is empty: nothing to write");
	if ((flags & DFUSE_WRITE_MASS_ERASE) && (flags & DFUSE_WRITE_NO_ERASE))
		return rs_fail(err, RS_E_INPUT, "mass erase and no erase were both asked for");
	if (!layout || !dfuse_layout_range_is(layout, address, len, DFUSE_MEM_WRITABLE))
		return rs_fail(err, RS_E_INPUT, "%zu bytes at 0x%08X do not fit inside the "
			       "writable memory of \"%s\"; check the address and the file", len,
			       address, layout ? layout->name : "(no memory layout)");
	return RS_OK;
}

/* Bytes of the image that lie in erasable pages: the weight of the erase pass. */
static uint64_t erase_weight(const struct dfuse_layout *l, uint32_t address, size_t len)
{
	uint64_t cursor = 0, sum = 0;
	uint32_t start, size;
	while (dfuse_plan_next_erase(l, address, len, &cursor, &start, &size))
		sum += dfuse_plan_page_overlap(address, len, start, size);
	return sum;
}

static int erase_pages(struct job *j, const struct dfuse_layout *l, uint32_t address,
		       size_t len, unsigned quirks, struct rs_error *err)
{
	uint64_t cursor = 0;
	uint32_t start, size;
	while (dfuse_plan_next_erase(l, address, len, &cursor, &start, &size)) {
		if (rs_progress_should_stop(j->progress))
			return cancelled(j, 0, len, err);
		bool recovered = false;
		int rc = dfuse_erase_page(j->h, j->intf, start, quirks, &recovered, err);
		if (rc < 0)
			return dfu_error_at(err, rc, "(nothing has been written yet)");
		struct dfuse_stats *s = j->stats;
		s->pages_erased++;
		if (recovered && s->quirk_recoveries < DFUSE_MAX_RECOVERED)
			s->recovered_pages[s->quirk_recoveries] = start;
		if (recovered)
			s->quirk_recoveries++;
		advance(j, dfuse_plan_page_overlap(address, len, start, size));
	}
	return RS_OK;
}

/* One data block: DNLOAD, then GETSTATUS until dfuDNLOAD-IDLE (busy replies only sleep). */
static int write_block(struct job *j, uint16_t block, const uint8_t *data, uint16_t n,
		       struct rs_error *err)
{
	int rc = dfu_req_dnload(j->h, j->intf, block, data, n, err);
	if (rc < 0)
		return rc;
	struct dfu_status st;
	rc = dfu_wait_while_busy(j->h, j->intf, DFU_BUSY_DNLOAD, NULL, DFU_BLOCK_DEADLINE_MS, &st,
				 err);
	if (rc < 0)
		return rc;
	if (st.status != DFU_STATUS_OK)
		return dfu_status_error(&st, err);
	if (st.state != DFU_STATE_DNLOAD_IDLE)
		return rs_fail(err, RS_E_PROTOCOL, "the device went to %s instead of "
			       "dfuDNLOAD-IDLE", dfu_state_name(st.state));
	return RS_OK;
}

static int write_runs(struct job *j, uint16_t xfer, uint32_t address, const uint8_t *data,
		      size_t len, unsigned flags, struct rs_error *err)
{
	bool per_block = flags & DFUSE_WRITE_ADDRESS_EVERY_BLOCK;
	size_t total_blocks = (len + xfer - 1) / xfer, index = 0, offset = 0;
	struct dfuse_run run;
	while (dfuse_plan_next_run(address, len, xfer, per_block, &offset, &run)) {
		int rc = dfuse_set_address(j->h, j->intf, run.address, err);
		if (rc < 0)
			return rc;
		j->stats->set_addresses++;
		for (uint32_t k = 0; k < run.blocks; k++, index++) {
			size_t at = run.offset + (size_t)k * xfer;
			if (rs_progress_should_stop(j->progress))
				return cancelled(j, at, len, err);
			uint16_t n = (uint16_t)dfuse_plan_block_len(&run, xfer, k);
			rc = write_block(j, dfuse_plan_block_number(k), data + at, n, err);
			bool last = index + 1 == total_blocks;
			if (rc < 0 && last && (flags & DFUSE_WRITE_WILL_RESET) &&
			    (rc == RS_E_GONE || rc == RS_E_IO || rc == RS_E_PROTOCOL)) {
				rs_clear(err); /* the device resets after its last block (§1.14 item 3) */
				rc = RS_OK;
			}
			if (rc < 0)
				return dfu_error_at(err, rc, "at 0x%08X (block %zu of %zu)",
						    (uint32_t)(address + at), index, total_blocks);
			j->stats->blocks++;
			advance(j, n);
		}
	}
	return RS_OK;
}

int dfuse_write(libusb_device_handle *h, uint16_t intf, const struct dfuse_layout *layout,
		uint16_t xfer, uint32_t address, const uint8_t *data, size_t len, unsigned flags,
		struct dfuse_stats *stats, const struct rs_progress *progress,
		struct rs_error *err)
{
	struct dfuse_stats local;
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof *stats);
	int rc = check_write(layout, xfer, address, data, len, flags, err);
	if (rc < 0)
		return rc;

	unsigned quirks = (flags & DFUSE_WRITE_NO_QUIRKS) ? 0 : dfuse_quirks_detect(h);
	bool page_erase = !(flags & (DFUSE_WRITE_MASS_ERASE | DFUSE_WRITE_NO_ERASE));
	struct job j = { h, intf, progress, 0, len, stats };
	if (page_erase)
		j.total += erase_weight(layout, address, len);
	rs_progress_report(progress, 0, j.total);

	if (flags & DFUSE_WRITE_MASS_ERASE)
		rc = dfuse_mass_erase(h, intf, quirks, err);
	else if (page_erase)
		rc = erase_pages(&j, layout, address, len, quirks, err);
	if (rc < 0)
		return rc;
	rc = write_runs(&j, xfer, address, data, len, flags, err);
	if (rc < 0 || (flags & DFUSE_WRITE_WILL_RESET))
		return rc;
	/* dfu-util ends every DfuSe download this way (§1.6 "After any DfuSe download"). */
	rc = dfuse_abort_to_idle(h, intf, err);
	return rc < 0 ? dfu_error_at(err, rc, "after writing all %zu bytes", len) : RS_OK;
}

int dfuse_upload(libusb_device_handle *h, uint16_t intf, uint16_t xfer, uint32_t address,
		 uint8_t *buf, size_t len, size_t *got, const struct rs_progress *progress,
		 struct rs_error *err)
{
	*got = 0;
	if (xfer == 0)
		return rs_fail(err, RS_E_INPUT, "the device's transfer size is 0, so blocks "
			       "cannot be sized");
	if ((uint64_t)address + len - (len > 0) > UINT32_MAX)
		return rs_fail(err, RS_E_INPUT, "%zu bytes from 0x%08X run past the end of the "
			       "32-bit address space", len, address);
	rs_progress_report(progress, 0, len);
	size_t offset = 0;
	struct dfuse_run run;
	while (dfuse_plan_next_run(address, len, xfer, false, &offset, &run)) {
		int rc = RS_OK;
		if (run.offset > 0) /* after full frames the device waits in dfuUPLOAD-IDLE */
			rc = dfuse_abort_to_idle(h, intf, err);
		if (rc == RS_OK)
			rc = dfuse_set_address(h, intf, run.address, err);
		if (rc == RS_OK)
			rc = dfuse_abort_to_idle(h, intf, err); /* UPLOAD needs dfuIDLE (§1.6) */
		if (rc < 0)
			return dfu_error_at(err, rc, "before reading 0x%08X", run.address);
		for (uint32_t k = 0; k < run.blocks; k++) {
			if (rs_progress_should_stop(progress)) {
				dfuse_abort_to_idle(h, intf, NULL);
				return rs_fail(err, RS_E_CANCELLED, "stopped after %zu bytes", *got);
			}
			size_t n = dfuse_plan_block_len(&run, xfer, k);
			rc = dfu_req_upload(h, intf, dfuse_plan_block_number(k), buf + *got,
					    (uint16_t)n, err);
			if (rc < 0)
				return dfu_error_at(err, rc, "reading 0x%08X",
						    (uint32_t)(address + *got));
			*got += (size_t)rc;
			rs_progress_report(progress, *got, len);
			if ((size_t)rc < n)
				return dfuse_abort_to_idle(h, intf, err); /* short frame: the end */
		}
	}
	return dfuse_abort_to_idle(h, intf, err);
}
