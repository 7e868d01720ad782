/* Model of DfuSe 1.1a bootloaders: the STM32 system-memory ROM (0483:DF11) and the
 * Arduino boards' bootloader (2341:03xx), which speaks the same dialect.
 *
 * Facts: reference dfu-dfuse-picoboot-samba.md §1.3 (ST's implementation rules),
 * §1.5 (commands, block addressing), §1.7 (layout strings), §1.13 (descriptors),
 * §1.14 (ROM quirks incl. STM32H7 revision V).  In short:
 *  - DNLOAD wValue 0 carries a command: 0x21 set address, 0x41 erase page (the page
 *    holding the address) or, alone, mass erase, 0x92 read unprotect;
 *  - data blocks: wValue >= 2 at pointer + (wValue - 2) * wTransferSize;
 *  - the first GETSTATUS after a DNLOAD reports dfuDNBUSY with the poll timeout, the
 *    command runs after that reply, the next GETSTATUS reports dfuDNLOAD-IDLE;
 *  - zero-length DNLOAD -> GETSTATUS reports dfuMANIFEST, then the device leaves;
 *  - CLRSTATUS outside dfuERROR -> dfuERROR/errUNKNOWN; ABORT is ignored in dfuERROR;
 *  - UPLOAD wValue 0 = Get Commands; wValue >= 2 = data;
 *  - the ROM starts in dfuERROR/errFIRMWARE when there is no application;
 *  - flash can only be programmed where erased (programming ANDs into it). */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "camera_priv.h"
#include "dfu_defs.h"

#define DFUSE_MAX_XFER 4096
#define H7_BANK2 0x08100000u /* bank 2 of the 2 MiB STM32H743 (reference §1.14.10) */

struct seg {
	uint32_t start, end, page; /* end exclusive */
	int type;                  /* bit0 readable, bit1 erasable, bit2 writable */
};

struct layout {
	struct seg segs[12];
	int n;
};

struct dfuse_model {
	struct camera *cam;
	bool arduino;
	int alt, n_alts;
	struct layout alts[4];
	uint16_t xfer;
	int state, status;
	uint32_t addr; /* the address pointer */
	bool cmd_pending;
	uint16_t wvalue, len;
	unsigned chunks; /* data blocks seen, for faults */
	int fail_status;
	bool h7_stuck; /* revision V: erase in bank 2 never leaves dfuDNBUSY */
	gint64 busy_until;
	uint8_t buf[DFUSE_MAX_XFER];
};

/* Our own reading of the UM0424 layout format: "@name/0xADDR/NN*SSSMt,...[/0xADDR/...]". */
static void parse_layout(const char *s, struct layout *l)
{
	const char *p = strchr(s, '/');

	l->n = 0;
	while (p && *p == '/') {
		char *end;
		uint32_t addr = (uint32_t)strtoul(p + 1, &end, 16);
		if (end == p + 1 || *end != '/')
			return;
		p = end + 1;
		for (;;) {
			unsigned long count = strtoul(p, &end, 10);
			if (end == p || *end != '*')
				return;
			unsigned long size = strtoul(end + 1, &end, 10);
			char mult = *end;
			if (mult == 'K')
				size *= 1024, end++;
			else if (mult == 'M')
				size *= 1024 * 1024, end++;
			else if (mult == 'B' || mult == ' ')
				end++;
			if (*end < 'a' || *end > 'g' || l->n == (int)(sizeof l->segs / sizeof l->segs[0]))
				return;
			l->segs[l->n++] = (struct seg){addr, addr + (uint32_t)(count * size), (uint32_t)size,
						       *end - 'a' + 1};
			addr += (uint32_t)(count * size);
			p = end + 1;
			if (*p != ',')
				break;
			p++;
		}
	}
}

static const struct seg *seg_at(const struct dfuse_model *mdl, uint32_t addr)
{
	const struct layout *l = &mdl->alts[mdl->alt];

	for (int i = 0; i < l->n; i++)
		if (addr >= l->segs[i].start && addr < l->segs[i].end)
			return &l->segs[i];
	return NULL;
}

static bool no_application(struct camera *cam)
{
	struct simmem *m = camera_memory_at(cam, 0x08000000, 4);

	return !m || memcmp(m->bytes + (0x08000000 - m->base), "\xff\xff\xff\xff", 4) == 0;
}

static void power_on_state(struct dfuse_model *mdl)
{
	mdl->addr = 0x08000000; /* default pointer: start of internal flash (AN2662, §1.5) */
	mdl->cmd_pending = mdl->h7_stuck = false;
	if (!mdl->arduino && no_application(mdl->cam)) {
		mdl->state = dfuERROR; /* the ROM's "no valid firmware" start (§1.14.1) */
		mdl->status = errFIRMWARE;
	} else {
		mdl->state = dfuIDLE;
		mdl->status = DFU_OK;
	}
}

static int erase_page(struct dfuse_model *mdl, uint32_t addr, unsigned *us)
{
	const struct seg *s = seg_at(mdl, addr);

	if (!s || !(s->type & 2))
		return errTARGET;
	uint32_t start = s->start + (addr - s->start) / s->page * s->page;
	struct simmem *m = camera_memory_at(mdl->cam, start, s->page);
	if (!m)
		return errTARGET;
	*us = simmem_erase_range(m, start, s->page) * 1000u;
	if (camera_fault_active(mdl->cam, FAULT_H7_REV_V) && !mdl->arduino && start >= H7_BANK2 &&
	    strcmp(m->name, "flash") == 0)
		mdl->h7_stuck = true; /* erased, but the ROM never says so (§1.14.10) */
	return DFU_OK;
}

static int mass_erase(struct dfuse_model *mdl, unsigned *us)
{
	const struct layout *l = &mdl->alts[mdl->alt];

	*us = 0;
	for (int i = 0; i < l->n; i++) {
		if (!(l->segs[i].type & 2))
			continue;
		for (uint32_t a = l->segs[i].start; a < l->segs[i].end; a += l->segs[i].page) {
			struct simmem *m = camera_memory_at(mdl->cam, a, l->segs[i].page);
			if (m)
				*us += simmem_erase_range(m, a, l->segs[i].page) * 1000u;
		}
	}
	return DFU_OK;
}

static int write_chunk(struct dfuse_model *mdl, unsigned *us)
{
	uint64_t addr = mdl->addr + (uint64_t)(mdl->wvalue - 2) * mdl->xfer;
	const struct seg *s = seg_at(mdl, (uint32_t)addr);

	if (!s || addr + mdl->len > s->end)
		return errTARGET; /* outside the alt's memory (AN2662 via §1.5) */
	if (!(s->type & 4))
		return errWRITE;
	struct simmem *m = camera_memory_at(mdl->cam, (uint32_t)addr, mdl->len);
	if (!m)
		return errTARGET;
	*us = simmem_program(m, (uint32_t)addr, mdl->buf, mdl->len);
	return DFU_OK;
}

/* Run the DNLOAD received before; returns a DFU status and how long it takes (us). */
static int execute(struct dfuse_model *mdl, unsigned *us)
{
	const uint8_t *b = mdl->buf;

	*us = 0;
	if (mdl->fail_status)
		return mdl->fail_status;
	if (mdl->wvalue >= 2)
		return write_chunk(mdl, us);
	if (mdl->wvalue == 1)
		return errTARGET;
	if (mdl->len == 5 && b[0] == 0x21) {
		uint32_t a = (uint32_t)(b[1] | b[2] << 8 | b[3] << 16 | (uint32_t)b[4] << 24);
		if (!seg_at(mdl, a))
			return errTARGET;
		mdl->addr = a;
		return DFU_OK;
	}
	if (mdl->len == 5 && b[0] == 0x41)
		return erase_page(mdl, (uint32_t)(b[1] | b[2] << 8 | b[3] << 16 | (uint32_t)b[4] << 24), us);
	if (mdl->len == 1 && b[0] == 0x41)
		return mass_erase(mdl, us);
	if (mdl->len == 1 && b[0] == 0x92 && !mdl->arduino) {
		int st = mass_erase(mdl, us);
		camera_leave_soon(mdl->cam, 1); /* read unprotect resets the chip (§1.14.3) */
		return st;
	}
	return errTARGET;
}

static int status_reply(struct dfuse_model *mdl, const struct usbsim_ctrl *rq, int status, unsigned poll,
			int state)
{
	uint8_t r[6];
	int n = camera_fault_on_status(mdl->cam, r, dfu_status_reply(r, status, poll, state));

	if (n > rq->wLength)
		n = rq->wLength;
	memcpy(rq->data, r, (size_t)n);
	return n;
}

static int get_status(struct dfuse_model *mdl, const struct usbsim_ctrl *rq, gint64 now, unsigned waited_us)
{
	if (mdl->h7_stuck)
		return status_reply(mdl, rq, DFU_OK, 1000, dfuDNBUSY); /* forever (seed 004) */
	if (mdl->state == dfuDNLOAD_SYNC && mdl->cmd_pending) {
		unsigned us = 0;
		int st = execute(mdl, &us);
		mdl->cmd_pending = false;
		/* busy for the operation's time to the microsecond; bwPollTimeout is whole
		 * milliseconds (DFU 1.1 Table 6.2), the time rounded up so that a host that waits
		 * it never finds the device still busy [I: what the ROM reports for a program
		 * is not published; for a 128 KiB erase it is 1000 ms, seed 004] */
		mdl->busy_until = now + (gint64)us + (gint64)waited_us;
		int n = status_reply(mdl, rq, DFU_OK, mdl->h7_stuck ? 1000 : (us + 999) / 1000, dfuDNBUSY);
		if (st != DFU_OK) {
			mdl->state = dfuERROR;
			mdl->status = st;
		}
		return n;
	}
	if (mdl->state == dfuDNLOAD_SYNC)
		mdl->state = dfuDNLOAD_IDLE;
	if (mdl->state == dfuMANIFEST_SYNC) {
		mdl->state = dfuMANIFEST_WAIT_RESET;
		camera_leave_soon(mdl->cam, 1); /* after this reply: reset and jump (§1.3) */
		return status_reply(mdl, rq, DFU_OK, 1, dfuMANIFEST);
	}
	return status_reply(mdl, rq, mdl->status, 0, mdl->state);
}

static int upload(struct dfuse_model *mdl, const struct usbsim_ctrl *rq)
{
	if (rq->wValue == 0) { /* Get Commands: ROM per AN2662, ST library without 0x92 */
		static const uint8_t cmds[] = {0x00, 0x21, 0x41, 0x92};
		int n = mdl->arduino ? 3 : 4;
		if (n > rq->wLength)
			n = rq->wLength;
		memcpy(rq->data, cmds, (size_t)n);
		mdl->state = dfuUPLOAD_IDLE;
		return n;
	}
	uint64_t addr = mdl->addr + (uint64_t)(rq->wValue - 2) * mdl->xfer;
	const struct seg *s = rq->wValue >= 2 ? seg_at(mdl, (uint32_t)addr) : NULL;
	struct simmem *m = s ? camera_memory_at(mdl->cam, (uint32_t)addr, rq->wLength) : NULL;
	if (!s || !(s->type & 1) || !m || addr + rq->wLength > s->end) {
		mdl->state = dfuERROR; /* [I] unreadable or outside: stall, errTARGET */
		mdl->status = errTARGET;
		return USBSIM_STALL;
	}
	simmem_read(m, (uint32_t)addr, rq->data, rq->wLength);
	mdl->state = dfuUPLOAD_IDLE;
	return rq->wLength;
}

static int dfuse_control(void *model, struct usbsim_dev *dev, const struct usbsim_ctrl *rq,
			 unsigned *delay_us)
{
	struct dfuse_model *mdl = model;
	gint64 now = g_get_monotonic_time();

	(void)dev;
	if ((rq->bmRequestType & 0x60) != 0x20 || (rq->bmRequestType & 0x1f) != 1)
		return USBSIM_STALL;
	int f = camera_fault_on_request(mdl->cam, rq);
	if (f)
		return f;
	if (mdl->busy_until > now) /* a busy device NAKs: answered when done, to the microsecond */
		*delay_us = (unsigned)(mdl->busy_until - now);

	switch (rq->bRequest) {
	case DFU_DNLOAD:
		if ((mdl->state != dfuIDLE && mdl->state != dfuDNLOAD_IDLE) || mdl->h7_stuck)
			return USBSIM_STALL;
		if (rq->wLength == 0) {
			mdl->state = dfuMANIFEST_SYNC;
			return 0;
		}
		mdl->fail_status = 0;
		if (rq->wValue >= 2) {
			int fb = camera_fault_on_block(mdl->cam, mdl->chunks++, rq->wLength);
			if (fb == CAMERA_FAULT_DISCONNECT) {
				camera_switch(mdl->cam, CAMERA_OFF, 0);
				return USBSIM_GONE;
			}
			mdl->fail_status = fb;
		}
		mdl->wvalue = rq->wValue;
		mdl->len = rq->wLength > mdl->xfer ? mdl->xfer : rq->wLength;
		memcpy(mdl->buf, rq->data, mdl->len);
		mdl->cmd_pending = true;
		mdl->state = dfuDNLOAD_SYNC;
		return 0;
	case DFU_UPLOAD:
		if ((mdl->state != dfuIDLE && mdl->state != dfuUPLOAD_IDLE) || mdl->h7_stuck || rq->wValue == 1)
			return USBSIM_STALL;
		return upload(mdl, rq);
	case DFU_GETSTATUS:
		return get_status(mdl, rq, now, *delay_us);
	case DFU_GETSTATE:
		if (rq->wLength < 1)
			return USBSIM_STALL;
		rq->data[0] = (uint8_t)(mdl->h7_stuck ? dfuDNBUSY : mdl->state);
		return 1;
	case DFU_CLRSTATUS:
		if (mdl->state == dfuERROR && !mdl->h7_stuck) {
			mdl->state = dfuIDLE;
			mdl->status = DFU_OK;
		} else { /* ST: CLRSTATUS elsewhere is itself an error (§1.3) */
			mdl->h7_stuck = false;
			mdl->cmd_pending = false;
			mdl->state = dfuERROR;
			mdl->status = errUNKNOWN;
		}
		return 0;
	case DFU_ABORT:
		if (!mdl->h7_stuck && (mdl->state == dfuIDLE || mdl->state == dfuDNLOAD_SYNC ||
				       mdl->state == dfuDNLOAD_IDLE || mdl->state == dfuMANIFEST_SYNC ||
				       mdl->state == dfuUPLOAD_IDLE)) {
			mdl->state = dfuIDLE;
			mdl->status = DFU_OK;
			mdl->cmd_pending = false;
		}
		return 0; /* ignored elsewhere, dfuERROR included */
	case DFU_DETACH:
		mdl->state = dfuIDLE;
		camera_leave_soon(mdl->cam, DETACH_LEAVE_MS); /* bitWillDetach: it detaches itself */
		return 0;
	default:
		return USBSIM_STALL;
	}
}

static void dfuse_set_interface(void *model, struct usbsim_dev *dev, int intf, int alt)
{
	struct dfuse_model *mdl = model;

	(void)dev;
	(void)intf;
	mdl->alt = alt;
}

static void dfuse_reset(void *model, struct usbsim_dev *dev)
{
	struct dfuse_model *mdl = model;

	(void)dev;
	if (mdl->arduino)
		camera_leave(mdl->cam); /* the Arduino bootloader reboots into the sketch [I] */
	else
		power_on_state(mdl); /* the BOOT pin still selects the ROM */
}

static int dfuse_claimed(void *model, struct usbsim_dev *dev, int intf)
{
	struct dfuse_model *mdl = model;

	(void)dev;
	(void)intf;
	return camera_fault_on_claim(mdl->cam);
}

static const struct usbsim_model_ops dfuse_ops = {
	.control = dfuse_control,
	.set_interface = dfuse_set_interface,
	.claimed = dfuse_claimed,
	.reset = dfuse_reset,
};

struct usbsim_dev *model_dfuse_plug(struct camera *cam, bool arduino)
{
	const struct camera_type *t = cam->type;
	struct dfuse_model *mdl = camera_keep(cam, calloc(1, sizeof *mdl));
	struct usbsim_identity id = {.speed_mbps = 12};
	struct usbdesc d;
	const char *const *alts = arduino ? t->arduino_alts : t->rom->alts;
	char serial[40];

	mdl->cam = cam;
	mdl->arduino = arduino;
	mdl->n_alts = arduino ? 2 : t->rom->n_alts;
	mdl->xfer = arduino ? t->arduino_transfer_size : t->rom->transfer_size;
	for (int i = 0; i < mdl->n_alts; i++)
		parse_layout(alts[i], &mdl->alts[i]);
	power_on_state(mdl);

	if (arduino)
		usbdesc_device(id.device_desc, 0, t->boot_vid, t->boot_pid, 0x0200 /* A1 */);
	else
		usbdesc_device(id.device_desc, 0, 0x0483, 0xDF11, t->rom->bcd_device);
	usbdesc_config_begin(&d, 1);
	for (int i = 0; i < mdl->n_alts; i++)
		usbdesc_interface(&d, 0, (uint8_t)i, 0, 0xFE, 0x01, 0x02, (uint8_t)(4 + i));
	/* Once after the last alt: download + upload + will-detach, 255 ms (§1.13). */
	usbdesc_dfu_functional(&d, 0x0B, 255, mdl->xfer, 0x011A);
	usbdesc_config_end(&d);
	id.config_desc = d.buf;
	id.config_len = d.len;
	if (arduino) {
		/* The board ID with its three 32-bit words in reverse order (ref alif-isp §2.3). */
		snprintf(serial, sizeof serial, "%.8s%.8s%.8s", cam->serial + 16, cam->serial + 8, cam->serial);
		id.strings[1] = "Arduino";
		id.strings[2] = t->display;
	} else {
		snprintf(serial, sizeof serial, "%.12s", cam->serial + 12); /* 12 hex digits (§1.13) */
		id.strings[1] = "STMicroelectronics";
		id.strings[2] = "STM32  BOOTLOADER";
	}
	id.strings[3] = serial;
	for (int i = 0; i < mdl->n_alts; i++)
		id.strings[4 + i] = alts[i];
	if (cam->opts.impostor) { /* the same IDs, another chip's memory: the ROM's flash alt, Arduino's QSPI alt */
		static const char *other = "@Internal Flash  /0x00200000/04*016Kg";
		int alt = arduino ? mdl->n_alts - 1 : 0;
		id.strings[4 + alt] = other;
		parse_layout(other, &mdl->alts[alt]);
	}
	return usbsim_plug(cam->sim, cam->port, &id, &dfuse_ops, mdl);
}
