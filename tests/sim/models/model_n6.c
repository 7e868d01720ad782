/* Model of the OpenMV Cam N6's recovery path: the STM32N6 boot ROM's DFU (BOOT jumper to
 * VCC, 0483:DF11) and the OpenBootloader it loads into RAM, which comes back as 0483:DF11
 * with its own alts.  Both speak ST's DFU "phase" protocol.
 *
 * Facts and their sources:
 *  - the protocol: reference alif-isp-openmv-ide-n6.md §4.2 [C for TF-A and U-Boot]: alt
 *    names "@Name /0xID/...", the virtual alt 0xF1, GetPhase = UPLOAD block 0 on it, which
 *    answers [phase][address LE32][extra LE32] (+ 0x01 "detach" in the layout phase with no
 *    address), data = plain DFU downloads to the alt of the phase, manifestation, DETACH;
 *  - the ROM's alts FSBL, RSSE_FW (0xF3), RSSE_BLOB (0xF5), RSSE_PLUGIN (0xF6), virtual
 *    (0xF1), and the FSBL alt "@FSBL /0x34180400/01*512Kg": ref §4.2 [S];
 *  - OpenBootloader: ST's middleware, github.com/STMicroelectronics/stm32-mw-openbl branch
 *    stm32n6 (Modules/USB/openbl_usb_cmd.c, Util/openbl_util.c, STM32_USB_Device_Library
 *    Class/DFU usbd_dfu.c): alt order 0x00, 0x03, 0x04, 0xF1, 0xF2, 0x05; functional
 *    descriptor 0x0F, 255 ms, 1024 bytes; the DFU state machine below (dfuDNBUSY once per
 *    block, dfuMANIFEST then dfuIDLE); the phases themselves in model_n6_obl.c.
 * ASSUMPTIONS (cameras.c): A8 the ROM behaves like OpenBootloader's DFU class, is
 * manifestation-tolerant, answers GetPhase with the FSBL phase and its load address, and
 * after the FSBL asks to be detached as TF-A's device side does; A9 the addresses in
 * model_n6.h.  The alt names of OpenBootloader are ours [A10]: only their ids matter. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dfu_defs.h"
#include "model_n6.h"

static const uint8_t rom_ids[] = {N6_PHASE_FSBL, 0xF3, 0xF5, 0xF6, N6_PHASE_CMD};
static const char *const rom_alts[] = {"@FSBL /0x34180400/01*512Kg", "@RSSE_FW /0xF3/01*128Ka",
				       "@RSSE_BLOB /0xF5/01*4Ka", "@RSSE_PLUGIN /0xF6/01*128Ka",
				       "@virtual /0xF1/1*512Ba"};
static const uint8_t obl_ids[] = {N6_PHASE_LAYOUT, N6_PHASE_LOADER, 0x04, N6_PHASE_CMD, 0xF2, 0x05};
static const char *const obl_alts[] = {"@FlashLayout /0x00/1*1Ke", "@ExtMemLoader /0x03/1*1Me",
				       "@Partition4 /0x04/1*128Me", "@virtual /0xF1/1*512Ba",
				       "@OTP /0xF2/1*1Ke", "@Partition5 /0x05/1*128Me"};
/* impostor (README): the same 0483:DF11 and protocol, another device.  The ROM's FSBL alt is
 * an STM32MP's, "@FSBL /0x01/1*1Me" (ref §4.2 [C TF-A, U-Boot]): it takes the FSBL into RAM
 * all the same.  OpenBootloader's alt 2 is a user partition 0x10 (ids 0x10-0xF0, ref §4.2),
 * not nor0's 0x04: it takes the layout and the loader, then refuses the partition. */
static const char *const impostor_rom_alts[] = {"@FSBL /0x01/1*1Me", "@RSSE_FW /0xF3/01*128Ka",
						"@RSSE_BLOB /0xF5/01*4Ka", "@RSSE_PLUGIN /0xF6/01*128Ka",
						"@virtual /0xF1/1*512Ba"};
static const uint8_t impostor_obl_ids[] = {N6_PHASE_LAYOUT, N6_PHASE_LOADER, 0x10, N6_PHASE_CMD, 0xF2, 0x05};
static const char *const impostor_obl_alts[] = {"@FlashLayout /0x00/1*1Ke", "@ExtMemLoader /0x03/1*1Me",
						"@ssbl /0x10/1*2Me", "@virtual /0xF1/1*512Ba",
						"@OTP /0xF2/1*1Ke", "@Partition5 /0x05/1*128Me"};

static int current_id(const struct n6_model *m)
{
	return m->alt >= 0 && m->alt < m->n_alts ? m->alt_ids[m->alt] : -1;
}

static int status_reply(struct n6_model *m, const struct usbsim_ctrl *rq, int status, int state)
{
	uint8_t r[6];
	int n = camera_fault_on_status(m->cam, r, dfu_status_reply(r, status, 1, state));

	if (n > rq->wLength)
		n = rq->wLength;
	memcpy(rq->data, r, (size_t)n);
	return n;
}

/* The ROM: the FSBL goes to RAM at its load address, in order, up to 512 KiB. */
static int rom_write(struct n6_model *m)
{
	uint64_t off = (uint64_t)m->block * N6_XFER;

	if (current_id(m) != N6_PHASE_FSBL)
		return errTARGET; /* A8: only the FSBL alt takes data */
	if (off != m->fsbl_len || off + m->len > N6_FSBL_MAX)
		return errADDRESS;
	struct simmem *ram = camera_memory_at(m->cam, N6_FSBL_ADDRESS + (uint32_t)off, m->len);
	if (!ram)
		return errADDRESS;
	simmem_program(ram, N6_FSBL_ADDRESS + (uint32_t)off, m->buf, m->len);
	m->fsbl_len += m->len;
	return DFU_OK;
}

/* GetPhase, with the injected faults (camera_fault_on_phase). */
static int get_phase(struct n6_model *m, const struct usbsim_ctrl *rq)
{
	uint8_t a[16] = {0};
	int n = 9;

	if (!m->obl) {
		if (rq->wValue != 0)
			return 0; /* a second upload is the end of the answer (ref §4.2) */
		if (m->fsbl_ok) { /* A8: layout phase, no address, 0x01: "please detach" */
			memset(a + 1, 0xFF, 4);
			a[9] = 0x01;
			n = 10;
		} else {
			a[0] = N6_PHASE_FSBL;
			a[1] = (uint8_t)N6_FSBL_ADDRESS, a[2] = (uint8_t)(N6_FSBL_ADDRESS >> 8);
			a[3] = (uint8_t)(N6_FSBL_ADDRESS >> 16), a[4] = (uint8_t)(N6_FSBL_ADDRESS >> 24);
		}
	} else {
		n6_obl_phase(m, a);
	}
	n = camera_fault_on_phase(m->cam, a, n);
	if (n == CAMERA_FAULT_DISCONNECT) {
		camera_switch(m->cam, CAMERA_OFF, 0);
		return USBSIM_GONE;
	}
	/* OpenBootloader sends as many bytes as asked for, its answer first (usbd_dfu.c) */
	int len = m->obl && n == 9 ? rq->wLength : (n < rq->wLength ? n : rq->wLength);
	memset(rq->data, 0, rq->wLength);
	memcpy(rq->data, a, (size_t)(n < len ? n : len));
	return len;
}

static int accept_dnload(struct n6_model *m, const struct usbsim_ctrl *rq)
{
	int f = camera_fault_on_block(m->cam, rq->wValue, rq->wLength);

	if (f == CAMERA_FAULT_DISCONNECT) {
		camera_switch(m->cam, CAMERA_OFF, 0);
		return USBSIM_GONE;
	}
	m->fail_status = f;
	m->block = rq->wValue;
	m->len = rq->wLength > N6_XFER ? N6_XFER : rq->wLength;
	memcpy(m->buf, rq->data, m->len);
	m->pending = true;
	m->state = dfuDNLOAD_SYNC;
	return 0;
}

static int run_pending(struct n6_model *m, unsigned *ms)
{
	*ms = 0;
	if (m->fail_status)
		return m->fail_status;
	if (current_id(m) == N6_PHASE_CMD) {
		if (!m->obl || m->cam->opts.n6_nor_addressing != CAMERA_N6_NOR_SET_PHASE)
			return errTARGET; /* A8 / openbl_usb_cmd.c: no command is taken there */
		return n6_obl_set_phase(m, m->buf, m->len);
	}
	return m->obl ? n6_obl_write(m, ms) : rom_write(m);
}

static void manifest(struct n6_model *m)
{
	if (!m->obl)
		m->fsbl_ok = m->fsbl_len > 0; /* [S] the ROM checks the header; this model does not */
	else
		n6_obl_manifest(m);
}

static int n6_control(void *model, struct usbsim_dev *dev, const struct usbsim_ctrl *rq, unsigned *delay_us)
{
	struct n6_model *m = model;

	(void)dev;
	(void)delay_us;
	if ((rq->bmRequestType & 0x60) != 0x20 || (rq->bmRequestType & 0x1f) != 1)
		return USBSIM_STALL;
	int f = camera_fault_on_request(m->cam, rq);
	if (f)
		return f;
	switch (rq->bRequest) {
	case DFU_DNLOAD:
		if (m->state != dfuIDLE && m->state != dfuDNLOAD_IDLE)
			return USBSIM_STALL;
		if (rq->wLength > 0)
			return accept_dnload(m, rq);
		m->state = dfuMANIFEST_SYNC;
		m->manifest_done = false;
		return 0;
	case DFU_UPLOAD:
		if (m->state != dfuIDLE && m->state != dfuUPLOAD_IDLE)
			return USBSIM_STALL;
		if (rq->wLength == 0) {
			m->state = dfuIDLE;
			return 0;
		}
		if (current_id(m) != N6_PHASE_CMD)
			return USBSIM_STALL; /* A8/A10: nothing else is read back */
		m->state = dfuUPLOAD_IDLE;
		return get_phase(m, rq);
	case DFU_GETSTATUS:
		if (m->state == dfuDNLOAD_SYNC && m->pending) {
			unsigned ms;
			int st = run_pending(m, &ms);
			m->pending = false;
			int n = status_reply(m, rq, DFU_OK, dfuDNBUSY);
			if (st != DFU_OK) {
				m->state = dfuERROR;
				m->status = st;
			}
			return n;
		}
		if (m->state == dfuDNLOAD_SYNC)
			m->state = dfuDNLOAD_IDLE;
		if (m->state == dfuMANIFEST_SYNC) {
			if (!m->manifest_done) { /* usbd_dfu.c: dfuMANIFEST, then Leave */
				m->manifest_done = true;
				manifest(m);
				return status_reply(m, rq, DFU_OK, dfuMANIFEST);
			}
			m->state = dfuIDLE; /* manifestation-tolerant */
		}
		return status_reply(m, rq, m->status, m->state);
	case DFU_GETSTATE:
		if (rq->wLength < 1)
			return USBSIM_STALL;
		rq->data[0] = (uint8_t)m->state;
		return 1;
	case DFU_CLRSTATUS:
		if (m->state == dfuERROR) {
			m->state = dfuIDLE;
			m->status = DFU_OK;
		}
		return 0;
	case DFU_ABORT:
		if (m->state != dfuERROR) {
			m->state = dfuIDLE;
			m->pending = false;
		}
		return 0;
	case DFU_DETACH:
		m->state = dfuIDLE;
		if (!m->obl) { /* the ROM starts the FSBL it took, or stays (the BOOT jumper) */
			m->cam->leave_once = m->fsbl_ok ? CAMERA_N6_OPENBOOTLOADER : CAMERA_ST_ROM;
			m->cam->leave_once_set = true;
		}
		camera_leave_soon(m->cam, DETACH_LEAVE_MS);
		return 0;
	default:
		return USBSIM_STALL;
	}
}

static void n6_set_interface(void *model, struct usbsim_dev *dev, int intf, int alt)
{
	struct n6_model *m = model;

	(void)dev;
	(void)intf;
	m->alt = alt;
}

static void n6_reset(void *model, struct usbsim_dev *dev)
{
	struct n6_model *m = model;

	(void)dev;
	if (!m->obl && m->fsbl_ok) { /* A8: after the FSBL, a reset starts it at once */
		m->cam->leave_once = CAMERA_N6_OPENBOOTLOADER;
		m->cam->leave_once_set = true;
		camera_leave(m->cam);
		return;
	}
	/* a bus reset does not restart the chip: only the DFU state is back to idle */
	m->state = dfuIDLE;
	m->status = DFU_OK;
	m->pending = false;
}

static const struct usbsim_model_ops n6_ops = {
	.control = n6_control,
	.set_interface = n6_set_interface,
	.reset = n6_reset,
};

struct usbsim_dev *model_n6_plug(struct camera *cam, bool openbootloader)
{
	struct n6_model *m = camera_keep(cam, calloc(1, sizeof *m));
	struct usbsim_identity id = {.speed_mbps = 480};
	struct usbdesc d;
	bool impostor = camera_impostor(cam);
	const char *const *names = openbootloader ? (impostor ? impostor_obl_alts : obl_alts)
						  : (impostor ? impostor_rom_alts : rom_alts);
	char serial[40];

	m->cam = cam;
	m->obl = openbootloader;
	m->alt_ids = openbootloader ? (impostor ? impostor_obl_ids : obl_ids) : rom_ids;
	m->n_alts = openbootloader ? (int)sizeof obl_ids : (int)sizeof rom_ids;
	m->alt = 0;
	m->state = dfuIDLE;
	m->phase = N6_PHASE_LAYOUT;
	usbdesc_device(id.device_desc, 0, 0x0483, 0xDF11, 0x0200); /* bcdDevice: ref §4.2 (TF-A) */
	usbdesc_config_begin(&d, 1);
	for (int i = 0; i < m->n_alts; i++)
		usbdesc_interface(&d, 0, (uint8_t)i, 0, 0xFE, 0x01, 0x02, (uint8_t)(4 + i));
	usbdesc_dfu_functional(&d, 0x0F, 255, N6_XFER, 0x0110);
	usbdesc_config_end(&d);
	id.config_desc = d.buf;
	id.config_len = d.len;
	snprintf(serial, sizeof serial, "%.12s", cam->serial + 12);
	id.strings[1] = "STMicroelectronics";
	/* ref §4.2: "DFU @Device ID /0x<id>, @Revision ID /0x<rev>, @Name /<soc>," [A8: values] */
	id.strings[2] = openbootloader ? "DFU @Device ID /0x486, @Revision ID /0x0000, @Name /OpenBootloader,"
				       : "DFU @Device ID /0x486, @Revision ID /0x0000, @Name /STM32N6,";
	id.strings[3] = serial;
	for (int i = 0; i < m->n_alts; i++)
		id.strings[4 + i] = names[i];
	return usbsim_plug(cam->sim, cam->port, &id, &n6_ops, m);
}
