/* Model of OpenMV's openmv_dfu bootloader (TinyUSB DFU class, plain DFU 1.1).
 *
 * Facts (reference alif-isp-openmv-ide-n6.md §2.2, board facts from boot/src/common):
 *  - one interface, one alternate setting per partition, named by strings from index 4;
 *  - functional descriptor: can-download | can-upload | manifestation-tolerant (0x07),
 *    wDetachTimeOut 1000, wTransferSize 4096, bcdDFU 1.10;
 *  - block N is written at partition start + N * 4096; past the limit -> errADDRESS;
 *    a read-only partition -> errWRITE;
 *  - internal flash: a sector is erased when a write starts at its first byte; SPI
 *    flash: an erase block when the write address is aligned (cameras.c A5);
 *  - upload block N reads wLength bytes at start + N * 4096 (wLength at most 4096, else a
 *    stall), so a short request reads the block's first bytes; past the limit (start + N * 4096
 *    + wLength beyond it) a 4-byte frame of zeros (short frame = end of file); an UPLOAD
 *    leaves the state as it was (see upload());
 *  - DETACH or a USB reset leaves the bootloader for the firmware, except that a bootloader
 *    before 1.0.2 entered on request (the magic word: mode bootloader) ignores both and
 *    stays in DFU (see stays_after_detach below);
 *  - bcdDevice is the bootloader's version, major<<8 | minor<<4 | patch (boot/src/common/desc.c);
 *  - after power-up it stays only OMV_BOOT_DFU_TIMEOUT (1500 ms, boards/<TARGET>/boot_config.h)
 *    unless something holds it: its main loop leaves for the firmware when the timeout passes
 *    in state DETACHED; only tud_dfu_get_timeout_cb (the GETSTATUS that follows a DNLOAD or
 *    the manifest request) and tud_dfu_upload_cb (an UPLOAD) set ATTACHED, which holds it
 *    for good (openmv/openmv:boot/src/common/dfu.c, boot/src/common/main.c).  A GETSTATUS
 *    or GETSTATE in dfuIDLE, an ABORT or a CLRSTATUS call neither, so they do not hold it;
 *    see hold_window();
 *  - a partition with an MPU region (the AE3's MRAM ones, cameras.h `mpu`) is read-only
 *    until block 0 of it is written in this session, and again after the manifest
 *    (tud_dfu_download_cb, tud_dfu_manifest_cb and port_mpu_config in boot/src/common/dfu.c,
 *    mpu.c): the write of any other block first makes the CPU fault in the middle of the
 *    flash write.  What the fault handler then does is not in the source [I]: the model's
 *    bootloader answers nothing more (every request times out) until it is unplugged;
 *  - block numbers need not follow each other (TinyUSB's dfu_device.c passes wValue through,
 *    the download callback places the block by its number);
 *  - AE3 alt RECOVERY: a download starting with the 16-byte key re-initialises the
 *    external memory (blank afterwards), at most once per bootloader session; otherwise errWRITE.
 * State machine: TinyUSB's DFU class — the first GETSTATUS after a DNLOAD reports
 * dfuDNBUSY with bwPollTimeout 0 (boot/src/common/dfu.c returns the partition's `delay`, set
 * by no board), then the block is written and EP0 NAKs until it is; the next GETSTATUS
 * answers dfuDNLOAD-IDLE
 * (or dfuERROR with the write's status); after the zero-length DNLOAD, GETSTATUS
 * reports dfuMANIFEST, then dfuIDLE (manifestation-tolerant) [I: TinyUSB behaviour as
 * understood from its state machine, not checked on hardware]. */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "camera_priv.h"
#include "dfu_defs.h"

#define OMV_XFER 4096 /* CFG_TUD_DFU_XFER_BUFSIZE (reference alif-isp §2.2) */

struct omv_model {
	struct camera *cam;
	int alt;
	int state, status;
	bool block_pending, manifest_done;
	uint16_t block, len;
	gint64 busy_until; /* the device NAKs EP0 until the write is done (monotonic us) */
	int fail_status;   /* injected: the pending block fails with this */
	bool writable[CAM_MAX_PARTS]; /* the MPU region opened by block 0 (mpu partitions) */
	bool faulted;      /* a write hit a read-only MPU region: the CPU is in its fault handler */
	uint8_t buf[OMV_XFER];
};

static const struct cam_region *region_of(const struct camera *cam, const struct simmem *m)
{
	for (int i = 0; i < cam->type->n_regions; i++)
		if (strcmp(cam->type->regions[i].name, m->name) == 0)
			return &cam->type->regions[i];
	return NULL;
}

/* AE3 RECOVERY: initialise the Everspin part; it reads blank afterwards (seed 001). */
static int recovery_write(struct omv_model *mdl, unsigned *us)
{
	struct camera *cam = mdl->cam;
	struct simmem *ospi = camera_memory(cam, "ospi");

	if (mdl->block != 0 || mdl->len < 16 || cam->recovery_key_used ||
	    memcmp(mdl->buf, cam_ae3_recovery_key, 16) != 0 || !ospi)
		return errWRITE;
	cam->recovery_key_used = true;
	simmem_erase_all(ospi);
	*us = cam->opts.realistic_timing ? 2000000 : 1000; /* A4 */
	return DFU_OK;
}

/* Write the pending block; returns a DFU status and the time it takes in microseconds
 * (the program time keeps its fraction of a millisecond: the device time the simulator
 * reports counts it so, and a model that rounded each block up would be slower than it). */
static int write_block(struct omv_model *mdl, unsigned *us)
{
	struct camera *cam = mdl->cam;
	const struct cam_partition *p = &cam->type->parts[mdl->alt];
	uint64_t addr = p->start + (uint64_t)mdl->block * OMV_XFER;

	*us = 0;
	if (mdl->fail_status)
		return mdl->fail_status;
	if (p->rdonly)
		return errWRITE;
	if (p->kind == CAM_PART_RECOVERY_KEY)
		return recovery_write(mdl, us);
	if (mdl->block == 0)
		mdl->writable[mdl->alt] = true; /* port_mpu_config(p, 0, 1, 1) */
	if (addr + mdl->len > p->limit)
		return errADDRESS;
	struct simmem *m = camera_memory_at(cam, (uint32_t)addr, mdl->len);
	const struct cam_region *r = m ? region_of(cam, m) : NULL;
	if (!m || !r)
		return errADDRESS;
	if (p->mpu && !mdl->writable[mdl->alt]) {
		mdl->faulted = true; /* MemManage fault on the first store: nothing is written */
		return DFU_OK;
	}
	if (m->kind == SIMMEM_NOR) {
		uint32_t start, size;
		if (r->boot_erase_unit == 0 && simmem_sector(m, (uint32_t)addr, &start, &size) && start == addr)
			*us += 1000u * (unsigned)simmem_erase_sector(m, (uint32_t)addr);
		else if (r->boot_erase_unit && addr % r->boot_erase_unit == 0)
			*us += 1000u * simmem_erase_range(m, (uint32_t)addr, r->boot_erase_unit);
	}
	*us += simmem_program(m, (uint32_t)addr, mdl->buf, mdl->len);
	return DFU_OK;
}

static int upload_block(struct omv_model *mdl, const struct usbsim_ctrl *rq)
{
	struct camera *cam = mdl->cam;
	if (rq->wLength > OMV_XFER)
		return USBSIM_STALL; /* dfu_device.c: wLength must fit CFG_TUD_DFU_XFER_BUFSIZE (a
		                      * Linux host cannot ask more: usbfs takes a page, 4096 bytes on x86,
		                      * drivers/usb/core/devio.c) */
	const struct cam_partition *p = &cam->type->parts[mdl->alt];
	uint64_t addr = p->start + (uint64_t)rq->wValue * OMV_XFER;

	if (p->kind == CAM_PART_RECOVERY_KEY) {
		mdl->status = errFILE; /* no readable memory behind it [I] */
		return 0;
	}
	if (addr + rq->wLength > p->limit) {
		int n = rq->wLength < 4 ? rq->wLength : 4;
		memset(rq->data, 0, (size_t)n); /* end of partition: short frame of zeros */
		return n;
	}
	struct simmem *m = camera_memory_at(cam, (uint32_t)addr, rq->wLength);
	if (!m) {
		mdl->status = errFILE;
		return 0;
	}
	simmem_read(m, (uint32_t)addr, rq->data, rq->wLength);
	return rq->wLength;
}

/* The bootloader's state becomes ATTACHED: the power-up window no longer closes
 * (openmv/openmv:boot/src/common/main.c leaves only from DETACHED or RESET). */
static void hold_window(struct omv_model *mdl)
{
	mdl->cam->dfu_activity = true;
}

static int status_reply(struct omv_model *mdl, const struct usbsim_ctrl *rq, int status, unsigned poll,
			int state)
{
	uint8_t r[6];
	int n = dfu_status_reply(r, status, poll, state);

	n = camera_fault_on_status(mdl->cam, r, n);
	if (n > rq->wLength)
		n = rq->wLength;
	memcpy(rq->data, r, (size_t)n);
	return n;
}

static int accept_dnload(struct omv_model *mdl, const struct usbsim_ctrl *rq)
{
	int f = camera_fault_on_block(mdl->cam, rq->wValue, rq->wLength);

	if (f == CAMERA_FAULT_DISCONNECT) {
		camera_switch(mdl->cam, CAMERA_OFF, 0);
		return USBSIM_GONE;
	}
	mdl->fail_status = f;
	mdl->block = rq->wValue;
	mdl->len = rq->wLength > OMV_XFER ? OMV_XFER : rq->wLength;
	memcpy(mdl->buf, rq->data, mdl->len);
	mdl->block_pending = true;
	mdl->state = dfuDNLOAD_SYNC;
	return 0;
}

static int stall_to_error(struct omv_model *mdl)
{
	mdl->state = dfuERROR;
	return USBSIM_STALL;
}

/* An UPLOAD, in whatever state (hathach/tinyusb src/class/dfu/dfu_device.c, the UPLOAD case of
 * dfu_moded_control_xfer_cb: it checks only can-upload and wLength, never the state, and sets
 * no state itself, so there is no dfuUPLOAD-IDLE: a full reply leaves dfuIDLE as it was).
 * tud_dfu_upload_cb (boot/src/common/dfu.c) reads wLength bytes at start + block x 4096 and
 * ends with tud_dfu_finish_flashing: OK clears the pending block or manifest (flashing_in_progress),
 * so a DNLOAD's block, or the manifest that closes the MPU, not yet taken up by its GETSTATUS is
 * dropped [I: read from the source, not tried on hardware]; a failed read is dfuERROR. */
static int upload(struct omv_model *mdl, const struct usbsim_ctrl *rq)
{
	hold_window(mdl); /* tud_dfu_upload_cb, whatever the read's outcome */
	int n = upload_block(mdl, rq);
	if (n < 0)
		return n;
	if (mdl->status) {
		mdl->state = dfuERROR; /* tud_dfu_finish_flashing(DFU_STATUS_ERR_FILE) */
		return n;
	}
	mdl->block_pending = false;
	if (mdl->state == dfuMANIFEST_SYNC)
		mdl->manifest_done = true; /* the manifest callback will not run */
	return n;
}

/* The bootloader's version as the camera was given it (bl=), 1.0.2 by default. */
static uint16_t bl_version(const struct camera *cam)
{
	return cam->opts.bl_version ? cam->opts.bl_version : 0x0102;
}

/* Before 1.0.2 the main loop runs while the device is mounted, and in forced mode (the magic
 * word the firmware sets on a reset-to-bootloader request) nothing but an unmount ends it:
 * DETACH only marks it detached, and on some hosts the device stays mounted through the USB
 * reset that follows, so the bootloader stays in DFU (openmv/openmv commit 3a1e8dab7,
 * "boot: Fix DFU detach not exiting main loop on some hosts", boot/src/common/main.c before
 * and after; the IDE's OMVCamera::boot() avoids forcing bootloaders older than 1.0.2).  The
 * model is that host.  Entered at power-up (not forced) it leaves on DETACH as 1.0.2 does. */
static bool stays_after_detach(const struct camera *cam)
{
	return bl_version(cam) < 0x0102 && cam->mode == CAMERA_BOOTLOADER;
}

/* A request while the flash write runs is NAKed until it is done: its reply is held back by
 * the time left, to the microsecond (the bus holds it until an absolute time, usbsim_urb.c). */
static void hold_while_busy(struct omv_model *mdl, gint64 now, unsigned *delay_us)
{
	if (mdl->busy_until > now)
		*delay_us = (unsigned)(mdl->busy_until - now);
}

static int omv_control(void *model, struct usbsim_dev *dev, const struct usbsim_ctrl *rq, unsigned *delay_us)
{
	struct omv_model *mdl = model;
	gint64 now = g_get_monotonic_time();

	(void)dev;
	if ((rq->bmRequestType & 0x60) != 0x20 || (rq->bmRequestType & 0x1f) != 1)
		return USBSIM_STALL; /* only DFU class requests to the interface */
	if (mdl->faulted)
		return USBSIM_NEVER;
	int f = camera_fault_on_request(mdl->cam, rq);
	if (f)
		return f;
	hold_while_busy(mdl, now, delay_us);

	if (rq->bRequest == DFU_DETACH) {
		if (!stays_after_detach(mdl->cam)) /* tud_dfu_detach_cb: the loop jumps away */
			camera_leave_soon(mdl->cam, DETACH_LEAVE_MS);
		return 0;
	}
	if (rq->bRequest == DFU_GETSTATE) {
		if (rq->wLength < 1)
			return USBSIM_STALL;
		rq->data[0] = (uint8_t)mdl->state;
		return 1;
	}
	if (rq->bRequest == DFU_UPLOAD)
		return upload(mdl, rq);
	switch (mdl->state) {
	case dfuIDLE:
	case dfuDNLOAD_IDLE:
		if (rq->bRequest == DFU_DNLOAD && rq->wLength > 0)
			return accept_dnload(mdl, rq);
		if (rq->bRequest == DFU_DNLOAD && mdl->state == dfuDNLOAD_IDLE) {
			mdl->state = dfuMANIFEST_SYNC;
			mdl->manifest_done = false;
			return 0;
		}
		if (rq->bRequest == DFU_GETSTATUS)
			return status_reply(mdl, rq, mdl->status, 0, mdl->state);
		if (rq->bRequest == DFU_ABORT) {
			mdl->state = dfuIDLE;
			return 0;
		}
		return stall_to_error(mdl);
	case dfuDNLOAD_SYNC:
		if (rq->bRequest != DFU_GETSTATUS)
			return stall_to_error(mdl);
		if (mdl->block_pending) {
			hold_window(mdl); /* tud_dfu_get_timeout_cb(DNBUSY), then the download callback */
			unsigned us = 0;
			int st = write_block(mdl, &us);
			mdl->block_pending = false;
			mdl->busy_until = now + (gint64)us + (gint64)*delay_us;
			/* bwPollTimeout is the partition's `delay` (tud_dfu_get_timeout_cb), which no
			 * board's boot_config.h sets: 0.  The host polls at once; the write NAKs it. */
			int n = status_reply(mdl, rq, DFU_OK, 0, dfuDNBUSY);
			if (st != DFU_OK) { /* tud_dfu_finish_flashing(error) */
				mdl->status = st;
				mdl->state = dfuERROR;
			}
			return n;
		}
		mdl->state = dfuDNLOAD_IDLE;
		return status_reply(mdl, rq, mdl->status, 0, mdl->state);
	case dfuMANIFEST_SYNC:
		if (rq->bRequest != DFU_GETSTATUS)
			return stall_to_error(mdl);
		if (!mdl->manifest_done) {
			hold_window(mdl); /* tud_dfu_get_timeout_cb(MANIFEST) */
			mdl->manifest_done = true; /* manifest_cb finishes at once */
			mdl->writable[mdl->alt] = false; /* port_mpu_config(p, 1, 1, 1) */
			return status_reply(mdl, rq, DFU_OK, 0, dfuMANIFEST);
		}
		mdl->state = dfuIDLE; /* manifestation-tolerant */
		return status_reply(mdl, rq, mdl->status, 0, mdl->state);
	case dfuERROR:
		if (rq->bRequest == DFU_GETSTATUS)
			return status_reply(mdl, rq, mdl->status, 0, mdl->state);
		if (rq->bRequest == DFU_CLRSTATUS) {
			mdl->state = dfuIDLE;
			mdl->status = DFU_OK;
			return 0;
		}
		return USBSIM_STALL;
	default:
		return stall_to_error(mdl);
	}
}

static void omv_set_interface(void *model, struct usbsim_dev *dev, int intf, int alt)
{
	struct omv_model *mdl = model;

	(void)dev;
	(void)intf;
	mdl->alt = alt;
}

static int omv_claimed(void *model, struct usbsim_dev *dev, int intf)
{
	struct omv_model *mdl = model;

	(void)dev;
	(void)intf;
	return camera_fault_on_claim(mdl->cam);
}

static void omv_reset(void *model, struct usbsim_dev *dev)
{
	struct omv_model *mdl = model;

	(void)dev;
	if (!stays_after_detach(mdl->cam))
		camera_leave(mdl->cam); /* the bootloader only runs while mounted (ref alif-isp §2.2 [I]) */
}

static const struct usbsim_model_ops omv_ops = {
	.control = omv_control,
	.set_interface = omv_set_interface,
	.claimed = omv_claimed,
	.reset = omv_reset,
};

struct usbsim_dev *model_openmv_dfu_plug(struct camera *cam)
{
	const struct camera_type *t = cam->type;
	struct omv_model *mdl = camera_keep(cam, calloc(1, sizeof *mdl));
	struct usbsim_identity id = {.speed_mbps = 12};
	struct usbdesc d;

	mdl->cam = cam;
	mdl->state = dfuIDLE;
	usbdesc_device(id.device_desc, 0, t->boot_vid, t->boot_pid, bl_version(cam));
	usbdesc_config_begin(&d, 1);
	for (int i = 0; i < t->n_parts; i++)
		usbdesc_interface(&d, 0, (uint8_t)i, 0, 0xFE, 0x01, 0x02, (uint8_t)(4 + i));
	/* Once, after the last alternate setting (TinyUSB's DFU descriptor layout). */
	usbdesc_dfu_functional(&d, 0x07, 1000, OMV_XFER, 0x0110);
	usbdesc_config_end(&d);
	id.config_desc = d.buf;
	id.config_len = d.len;
	id.strings[1] = "OpenMV";
	id.strings[2] = "OpenMV Camera (DFU Mode)";
	id.strings[3] = cam->serial;
	for (int i = 0; i < t->n_parts; i++)
		id.strings[4 + i] = t->parts[i].name;
	if (cam->opts.impostor) /* the same IDs, another device's alt names */
		id.strings[4 + 2] = "Flash";
	return usbsim_plug(cam->sim, cam->port, &id, &omv_ops, mdl);
}
