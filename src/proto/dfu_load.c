/* dfu_load.c — plain DFU 1.1 sequences: prepare, download, upload.
 * Order of requests: reference dfu-dfuse-picoboot-samba.md §1.6 ("Plain DFU download",
 * "Plain DFU upload", "Start-up sequence"); the openmv_dfu bootloader is such a device
 * (reference alif-isp-openmv-ide-n6.md §2.2: blocks from 0, wTransferSize 4096,
 * manifestation-tolerant, DETACH jumps to the firmware). */
#include "io/usb_io.h"
#include "dfu.h"

#include <stdlib.h>
#include <string.h>

/* DETACH/CLRSTATUS/ABORT rounds before dfu_prepare gives up on reaching dfuIDLE. */
#define DFU_PREPARE_ROUNDS 4
#define DFU_MAX_BLOCK 0xFFFFu /* wValue is 16 bits */

int dfu_prepare(libusb_device_handle *h, uint16_t intf, uint8_t alt, struct rs_error *err)
{
	int rc = usb_io_set_alt(h, intf, alt);
	if (rc < 0)
		return dfu_error_at(err, dfu_usb_error(rc, "SET_INTERFACE", err), "(alt %u)", alt);
	struct dfu_status st = { 0 };
	for (int round = 0; round < DFU_PREPARE_ROUNDS; round++) {
		rc = dfu_req_getstatus(h, intf, &st, err);
		if (rc < 0)
			return rc;
		switch (st.state) {
		case DFU_STATE_APP_IDLE:
		case DFU_STATE_APP_DETACH:
			return rs_fail(err, RS_E_PROTOCOL, "the device is still in run-time mode "
				       "(%s): it has to be switched to its bootloader first",
				       dfu_state_name(st.state));
		case DFU_STATE_ERROR:
			/* An ST ROM with no valid firmware starts here (§1.14 item 1). */
			rc = dfu_req_clrstatus(h, intf, err);
			break;
		case DFU_STATE_DNLOAD_IDLE:
		case DFU_STATE_UPLOAD_IDLE:
			rc = dfu_req_abort(h, intf, err);
			break;
		case DFU_STATE_DNLOAD_SYNC:
		case DFU_STATE_DNBUSY:
		case DFU_STATE_MANIFEST_SYNC:
		case DFU_STATE_MANIFEST:
			rc = dfu_wait_while_busy(h, intf, DFU_BUSY_MANIFEST, &st,
						 DFU_MANIFEST_DEADLINE_MS, &st, err);
			break;
		case DFU_STATE_MANIFEST_WAIT_RESET:
			return rs_fail(err, RS_E_PROTOCOL, "the device is waiting for a USB reset "
				       "after an earlier download; unplug it and plug it back in");
		case DFU_STATE_IDLE:
			if (st.status == DFU_STATUS_OK)
				return RS_OK;
			/* Idle with a stale error status: clear it like dfu-util (§1.6). */
			rc = dfu_req_clrstatus(h, intf, err);
			break;
		default:
			return rs_fail(err, RS_E_PROTOCOL, "the device reported state %u, which DFU "
				       "does not define", st.state);
		}
		if (rc < 0)
			return rc;
	}
	return rs_fail(err, RS_E_PROTOCOL, "the device did not become ready (still %s, status "
		       "%s) after %d attempts", dfu_state_name(st.state),
		       dfu_status_name(st.status), DFU_PREPARE_ROUNDS);
}

/* DNLOAD one block and wait until the device has stored it (dfuDNLOAD-IDLE).  The first
 * GETSTATUS follows at once; the device's poll timeout is slept only while it is busy. */
static int download_block(libusb_device_handle *h, uint16_t intf, uint16_t block,
			  const uint8_t *data, uint16_t len, struct rs_error *err)
{
	int rc = dfu_req_dnload(h, intf, block, data, len, err);
	if (rc < 0)
		return rc;
	struct dfu_status st;
	rc = dfu_wait_while_busy(h, intf, DFU_BUSY_DNLOAD, NULL, DFU_BLOCK_DEADLINE_MS, &st, err);
	if (rc < 0)
		return rc;
	if (st.status != DFU_STATUS_OK)
		return dfu_status_error(&st, err);
	if (st.state != DFU_STATE_DNLOAD_IDLE)
		return rs_fail(err, RS_E_PROTOCOL, "the device went to %s instead of "
			       "dfuDNLOAD-IDLE", dfu_state_name(st.state));
	return RS_OK;
}

/* After the zero-length DNLOAD: wait until the device is done manifesting.  Returns the
 * final state in *state; a device that vanishes now has reset itself after manifesting. */
static int manifest(libusb_device_handle *h, uint16_t intf, uint8_t *state,
		    struct rs_error *err)
{
	struct dfu_status st;
	struct rs_error local = { 0 };
	int rc = dfu_wait_while_busy(h, intf, DFU_BUSY_MANIFEST, NULL, DFU_MANIFEST_DEADLINE_MS,
				     &st, &local);
	if (rc == RS_E_GONE) {
		/* [I] All blocks were acknowledged; a device that is not manifestation-tolerant
		 * may reset itself before answering. */
		*state = DFU_STATE_MANIFEST_WAIT_RESET;
		return RS_OK;
	}
	if (rc < 0) {
		if (err)
			*err = local;
		return dfu_error_at(err, rc, "while the device finished the download");
	}
	*state = st.state;
	if (st.status != DFU_STATUS_OK)
		return dfu_error_at(err, dfu_status_error(&st, err),
				    "while the device finished the download");
	if (st.state != DFU_STATE_IDLE && st.state != DFU_STATE_MANIFEST_WAIT_RESET)
		return rs_fail(err, RS_E_PROTOCOL, "the device went to %s instead of finishing "
			       "the download", dfu_state_name(st.state));
	return RS_OK;
}

/* DETACH (its failure does not matter: the device may leave at once), then a USB reset.
 * A device that has already left answers the reset with NO_DEVICE or NOT_FOUND. */
static int detach_and_reset(libusb_device_handle *h, uint16_t intf, bool detach,
			    struct rs_error *err)
{
	if (detach)
		dfu_req_detach(h, intf, DFU_DETACH_TIMEOUT_MS, NULL);
	int rc = usb_io_reset(h);
	if (rc == 0 || rc == LIBUSB_ERROR_NO_DEVICE || rc == LIBUSB_ERROR_NOT_FOUND)
		return RS_OK;
	return dfu_usb_error(rc, "USB reset", err);
}

static int check_transfer_size(uint16_t transfer_size, struct rs_error *err)
{
	if (transfer_size == 0)
		return rs_fail(err, RS_E_INPUT, "the device's transfer size is 0, so blocks "
			       "cannot be sized");
	return RS_OK;
}

int dfu_download(libusb_device_handle *h, uint16_t intf, uint16_t transfer_size,
		 const uint8_t *data, size_t len, bool reset_after,
		 const struct rs_progress *progress, struct rs_error *err)
{
	return dfu_download_blocks(h, intf, transfer_size, data, len, NULL, reset_after, progress, err);
}

/* The bytes of the blocks to send. */
static size_t bytes_to_send(size_t len, uint16_t transfer_size, size_t blocks, const uint8_t *write)
{
	size_t total = 0;
	for (size_t b = 0; b < blocks; b++)
		if (!write || write[b])
			total += len - b * transfer_size < transfer_size ? len - b * transfer_size : transfer_size;
	return total;
}

int dfu_download_blocks(libusb_device_handle *h, uint16_t intf, uint16_t transfer_size,
			const uint8_t *data, size_t len, const uint8_t *write, bool reset_after,
			const struct rs_progress *progress, struct rs_error *err)
{
	int rc = check_transfer_size(transfer_size, err);
	if (rc < 0)
		return rc;
	if (len == 0)
		return rs_fail(err, RS_E_INPUT, "the image is empty: nothing to download");
	size_t blocks = (len + transfer_size - 1) / transfer_size;
	/* Blocks 0..blocks-1 carry data and block `blocks` is the zero-length end marker. */
	if (blocks > DFU_MAX_BLOCK)
		return rs_fail(err, RS_E_INPUT, "the image needs %zu blocks of %u bytes; DFU "
			       "block numbers stop at 65535", blocks, transfer_size);

	if (write && !write[0])
		return rs_fail(err, RS_E_INPUT, "block 0 must be written: the download ends only "
			       "from dfuDNLOAD-IDLE");
	size_t total = bytes_to_send(len, transfer_size, blocks, write), sent = 0;
	rs_progress_report(progress, 0, total);
	for (size_t b = 0, off = 0; b < blocks; b++, off += transfer_size) {
		if (write && !write[b])
			continue;
		if (rs_progress_should_stop(progress)) {
			dfu_req_abort(h, intf, NULL); /* back to dfuIDLE; the image is incomplete */
			return rs_fail(err, RS_E_CANCELLED, "stopped after block %zu of %zu; the "
				       "image on the device is incomplete", b, blocks);
		}
		size_t chunk = len - off < transfer_size ? len - off : transfer_size;
		rc = download_block(h, intf, (uint16_t)b, data + off, (uint16_t)chunk, err);
		if (rc < 0)
			return dfu_error_at(err, rc, "at block %zu of %zu", b, blocks);
		sent += chunk;
		rs_progress_report(progress, sent, total);
	}

	rc = dfu_req_dnload(h, intf, (uint16_t)blocks, NULL, 0, err);
	if (rc < 0 && rc != RS_E_GONE)
		return dfu_error_at(err, rc, "when ending the download after block %zu", blocks);
	uint8_t state = DFU_STATE_MANIFEST_WAIT_RESET;
	if (rc != RS_E_GONE) {
		rc = manifest(h, intf, &state, err);
		if (rc < 0)
			return rc;
	}
	rs_clear(err);
	if (reset_after || state == DFU_STATE_MANIFEST_WAIT_RESET)
		return detach_and_reset(h, intf, reset_after, err);
	return RS_OK;
}

int dfu_upload(libusb_device_handle *h, uint16_t intf, uint16_t transfer_size, uint8_t *buf,
	       size_t max, size_t *got, const struct rs_progress *progress,
	       struct rs_error *err)
{
	*got = 0;
	int rc = check_transfer_size(transfer_size, err);
	if (rc < 0)
		return rc;
	rs_progress_report(progress, 0, max);
	for (size_t block = 0; *got < max; block++) {
		if (block > DFU_MAX_BLOCK)
			return rs_fail(err, RS_E_INPUT, "the upload needs more than 65536 blocks "
				       "of %u bytes; DFU block numbers stop at 65535", transfer_size);
		if (rs_progress_should_stop(progress)) {
			dfu_req_abort(h, intf, NULL);
			return rs_fail(err, RS_E_CANCELLED, "stopped after %zu bytes", *got);
		}
		size_t want = max - *got < transfer_size ? max - *got : transfer_size;
		rc = dfu_req_upload(h, intf, (uint16_t)block, buf + *got, (uint16_t)want, err);
		if (rc < 0)
			return dfu_error_at(err, rc, "at upload block %zu (after %zu bytes)", block,
					    *got);
		*got += (size_t)rc;
		rs_progress_report(progress, *got, max);
		if ((size_t)rc < want)
			return RS_OK; /* a short frame ends the upload; the device is idle again */
	}
	/* Stopped by the limit: the device still waits in dfuUPLOAD-IDLE (§1.3). */
	rc = dfu_req_abort(h, intf, err);
	return rc < 0 ? dfu_error_at(err, rc, "after the upload") : RS_OK;
}

int dfu_verify_blocks(libusb_device_handle *h, uint16_t intf, uint16_t transfer_size,
		      const uint8_t *data, size_t len, const uint8_t *only,
		      const struct rs_progress *progress, struct rs_error *err)
{
	int rc = check_transfer_size(transfer_size, err);
	if (rc < 0)
		return rc;
	uint8_t *buf = malloc(transfer_size);
	if (!buf)
		return rs_fail(err, RS_E_NOMEM, "out of memory");
	for (size_t off = 0, block = 0; off < len && !rc; off += transfer_size, block++) {
		size_t want = len - off < transfer_size ? len - off : transfer_size;
		if (only && !only[block])
			continue;
		int got = dfu_req_upload(h, intf, (uint16_t)block, buf, transfer_size, err);
		if (got < 0)
			rc = got;
		else if ((size_t)got < want || memcmp(buf, data + off, want))
			rc = rs_fail(err, RS_E_VERIFY, "read-back differs from the image at byte %zu: "
				     "the write did not take; run the same action again", off);
		rs_progress_report(progress, off + want, len);
	}
	free(buf);
	if (!rc)
		dfu_req_abort(h, intf, NULL); /* leave dfuUPLOAD-IDLE */
	return rc;
}
