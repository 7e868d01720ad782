/* Model of the NXP MCU bootloader over USB HID (15A2:0073): the RT1062's RAM flashloader
 * and its secure bootloader on flash.
 *
 * Facts (reference nxp-sdp-mboot.md): four reports of 3 + MaxPacketSize bytes after the ID,
 * interrupt IN and OUT endpoints (§2.1); every report starts ID, 0, length LE16 and IN
 * reports are padded to the full size (§2.2); packets tag, flags, 0, count, u32 LE
 * parameters (§2.3); commands and responses of §2.4/§2.5; data phases of §2.6 (a device
 * error mid-transfer: a zero-length report 3, then the final response with the status;
 * DATA_OUT reports that follow are dropped); a zero-length report 1 aborts, a report 2
 * while idle is a flush (§4); MaxPacketSize configurable, default 1012 (§2.7); statuses
 * of §2.8; FlexSPI at 0x60000000 answers 10205 until configure-memory 9 reads an option
 * word whose tag nibble is 0xC (§4.6); erase sets bytes to 0xFF (§4.7); memory id 0 or 9
 * is accepted for the FlexSPI window (§2.4); unknown commands get status 10000 with the
 * offending tag (§2.12); get-property of an unknown property: count 1, status 10300 (§2.5).
 * [I] option word 0xF000000F writes a 512-byte stand-in FCB at the start of the flash,
 * which must be erased (else 10202); the content of a real FCB is not modelled.
 * [I] erase-region erases every 4 KiB sector the range touches (cameras.c A7).
 * [I] any other option tag: 4 (InvalidArgument); another memory id: 10200.
 * Timing: the flash takes its erase and program times (host/simmem.c, cameras.c A4): the
 * response to flash-erase-region comes when its sectors are erased, one after another; the
 * data of a write-memory is programmed as it arrives (the flashloader buffers a report while
 * it programs the one before [I]), and the closing response comes when the last is
 * programmed. */
#include <stdlib.h>
#include <string.h>

#include "model_nxp.h"

enum { ST_OK = 0, ST_INVALID_ARGUMENT = 4, ST_UNKNOWN_COMMAND = 10000, ST_RANGE_INVALID = 10200,
       ST_WRITE_FAILED = 10202, ST_NOT_CONFIGURED = 10205, ST_UNKNOWN_PROPERTY = 10300 };

#define FCB_STAND_IN 512

struct mboot_model {
	struct camera *cam;
	struct usbsim_dev *dev;
	unsigned max_packet;
	bool configured;            /* FlexSPI NOR configured by configure-memory */
	bool receiving;             /* write-memory data phase */
	uint32_t addr, left;
	unsigned out_reports, commands, data_reports, in_reports;
	unsigned long long busy_until_ns; /* the flash is programming until then */
	bool hung;                  /* timeout@N struck: nothing is answered any more */
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

/* Send one IN report, padded to the declared size (§2.2). */
static void push_report(struct mboot_model *m, uint8_t id, const uint8_t *payload, size_t n)
{
	size_t full = 4 + (size_t)m->max_packet; /* ID + (3 + MaxPacketSize) */
	uint8_t *r = calloc(1, full);
	r[0] = id, r[2] = (uint8_t)n, r[3] = (uint8_t)(n >> 8);
	if (n)
		memcpy(r + 4, payload, n);
	m->in_reports++;
	size_t len = full;
	if (n && camera_take_fault(m->cam, FAULT_SHORT_REPORT, m->in_reports))
		len = 4 + n / 2; /* cut short of its own length field */
	usbsim_in_push(m->dev, NXP_EP_IN, r, len);
	free(r);
}

static void respond(struct mboot_model *m, uint8_t tag, uint8_t flags, const uint32_t *params, int n)
{
	uint8_t p[4 + 4 * 8] = {tag, flags, 0, (uint8_t)n};
	for (int i = 0; i < n; i++)
		put_le32(p + 4 + 4 * i, params[i]);
	push_report(m, 3, p, 4 + 4 * (size_t)n);
}

static void generic(struct mboot_model *m, uint32_t status, uint8_t cmd)
{
	const uint32_t p[2] = {status, cmd};
	respond(m, 0xA0, 0, p, 2);
}

struct late_generic {
	struct mboot_model *m;
	uint32_t status;
	uint8_t cmd;
};

static void late_generic_job(void *arg)
{
	struct late_generic *g = arg;
	generic(g->m, g->status, g->cmd);
	free(g);
}

/* The generic response once the flash is done (busy_until_ns), or now. */
static void generic_when_done(struct mboot_model *m, uint32_t status, uint8_t cmd)
{
	if (m->busy_until_ns <= usbsim_now_ns()) {
		generic(m, status, cmd);
		return;
	}
	struct late_generic *g = malloc(sizeof *g);
	*g = (struct late_generic){m, status, cmd};
	usbsim_schedule_at(m->cam->sim, m->busy_until_ns, late_generic_job, g);
}

/* The flash is busy for us more, after what it is doing now. */
static void busy_for(struct mboot_model *m, unsigned long long us)
{
	unsigned long long now = usbsim_now_ns();
	m->busy_until_ns = (m->busy_until_ns > now ? m->busy_until_ns : now) + us * 1000ull;
}

static bool in_flexspi(const struct mboot_model *m, uint32_t addr)
{
	const struct simmem *f = camera_memory(m->cam, "flexspi");
	return f && addr >= f->base && addr - f->base < f->size;
}

/* Where [addr, addr+len) may be accessed: a status, and the memory. */
static uint32_t check_range(struct mboot_model *m, uint32_t addr, uint32_t len, uint32_t mem_id,
			    struct simmem **out)
{
	*out = NULL;
	if (mem_id != 0 && mem_id != 9)
		return ST_RANGE_INVALID;
	struct simmem *mem = camera_memory_at(m->cam, addr, len ? len : 1);
	if (!mem || strcmp(mem->name, "fuses") == 0)
		return ST_RANGE_INVALID;
	if (in_flexspi(m, addr) && !m->configured)
		return ST_NOT_CONFIGURED;
	*out = mem;
	return ST_OK;
}

static uint32_t configure(struct mboot_model *m, uint32_t mem_id, uint32_t addr)
{
	uint8_t w[4];
	struct simmem *ram = camera_memory_at(m->cam, addr, 4);
	if (mem_id != 9 || !ram || ram->kind != SIMMEM_RAM)
		return ST_INVALID_ARGUMENT;
	simmem_read(ram, addr, w, 4);
	uint32_t option = le32(w);
	if (option >> 28 == 0xC) {
		m->configured = true;
		return ST_OK;
	}
	if (option >> 28 == 0xF && m->configured) { /* program the FCB [I] */
		struct simmem *f = camera_memory(m->cam, "flexspi");
		uint8_t fcb[FCB_STAND_IN];
		simmem_read(f, f->base, fcb, sizeof fcb);
		for (size_t i = 0; i < sizeof fcb; i++)
			if (fcb[i] != 0xFF)
				return ST_WRITE_FAILED;
		for (size_t i = 0; i < sizeof fcb; i++)
			fcb[i] = (uint8_t)("FCB stand-in "[i % 13]);
		simmem_program(f, f->base, fcb, sizeof fcb);
		return ST_OK;
	}
	return ST_INVALID_ARGUMENT;
}

static void read_memory(struct mboot_model *m, uint32_t addr, uint32_t len, uint32_t mem_id)
{
	struct simmem *mem;
	uint32_t st = check_range(m, addr, len, mem_id, &mem);
	const uint32_t p[2] = {st, st ? 0 : len};
	respond(m, 0xA3, st ? 0 : 1, p, 2);
	if (st) /* §2.12: no data phase and no second response after a failed start */
		return;
	uint8_t *chunk = malloc(m->max_packet);
	for (uint32_t off = 0; off < len; off += m->max_packet) {
		uint32_t part = len - off < m->max_packet ? len - off : m->max_packet;
		simmem_read(mem, addr + off, chunk, part);
		push_report(m, 4, chunk, part);
	}
	free(chunk);
	generic(m, ST_OK, 0x03);
}

static void command(struct mboot_model *m, const uint8_t *c, size_t n)
{
	if (n < 4 || n < 4 + 4 * (size_t)c[3])
		return;
	uint8_t tag = c[0];
	uint32_t a[8] = {0};
	for (int i = 0; i < c[3] && i < 8; i++)
		a[i] = le32(c + 4 + 4 * i);
	struct simmem *mem;
	uint32_t st;
	m->commands++;
	m->cam->dfu_activity = true; /* a command holds the secure bootloader (ref-alif §2.3) */
	struct fault *f = camera_take_fault(m->cam, FAULT_STATUS_CMD, m->commands);
	if (f) {
		if (tag == 0x03) {
			const uint32_t p[2] = {(uint32_t)f->code, 0};
			respond(m, 0xA3, 0, p, 2);
		} else if (tag == 0x07) {
			const uint32_t p[1] = {(uint32_t)f->code};
			respond(m, 0xA7, 0, p, 1);
		} else {
			generic(m, (uint32_t)f->code, tag);
		}
		return;
	}
	switch (tag) {
	case 0x07: { /* get-property */
		uint32_t p[2] = {ST_OK, 0};
		if (a[0] == 0x01)
			p[1] = m->cam->opts.impostor ? 0x50010000 /* 'P'1.0.0: not an MCU bootloader */ : m->cam->type->nxp->version;
		else if (a[0] == 0x0B)
			p[1] = m->max_packet;
		else
			p[0] = ST_UNKNOWN_PROPERTY;
		respond(m, 0xA7, 0, p, p[0] ? 1 : 2);
		break;
	}
	case 0x05: { /* fill-memory: RAM only */
		st = check_range(m, a[0], a[1], 0, &mem);
		if (!st && mem->kind != SIMMEM_RAM)
			st = ST_RANGE_INVALID;
		for (uint32_t off = 0; !st && off < a[1]; off++) {
			uint8_t b = (uint8_t)(a[2] >> (8 * (off & 3)));
			simmem_program(mem, a[0] + off, &b, 1);
		}
		generic(m, st, tag);
		break;
	}
	case 0x11: /* configure-memory */
		generic(m, configure(m, a[0], a[1]), tag);
		break;
	case 0x02: /* flash-erase-region */
		st = check_range(m, a[0], a[1], a[2], &mem);
		if (!st && mem->kind == SIMMEM_NOR && a[1]) {
			uint32_t start = a[0] & ~4095u, end = (a[0] + a[1] + 4095u) & ~4095u;
			unsigned ms = simmem_erase_range(mem, start, end - start);
			if (m->cam->opts.realistic_timing) { /* sector by sector [I] */
				unsigned each = simmem_erase_ms(mem, 4096) * ((end - start) / 4096);
				mem->erase_ms_total += each - ms;
				ms = each;
			}
			busy_for(m, ms * 1000ull);
		}
		generic_when_done(m, st, tag);
		break;
	case 0x04: /* write-memory */
		st = check_range(m, a[0], a[1], a[2], &mem);
		generic(m, st, tag);
		m->receiving = !st && a[1] > 0;
		m->addr = a[0], m->left = a[1];
		break;
	case 0x03:
		read_memory(m, a[0], a[1], a[2]);
		break;
	case 0x0E: { /* efuse-program-once: index, byte count 4, word */
		struct simmem *fuses = camera_memory(m->cam, "fuses");
		uint32_t index = a[0] & 0xFFFFFF;
		if (a[1] != 4 || 4 * (index + 1) > fuses->size) {
			generic(m, ST_INVALID_ARGUMENT, tag);
			break;
		}
		uint8_t w[4];
		simmem_read(fuses, fuses->base + 4 * index, w, 4);
		put_le32(w, le32(w) | a[2]); /* fuses only gain bits */
		simmem_program(fuses, fuses->base + 4 * index, w, 4);
		generic(m, ST_OK, tag);
		break;
	}
	case 0x0F: { /* efuse-read-once */
		struct simmem *fuses = camera_memory(m->cam, "fuses");
		uint32_t index = a[0] & 0xFFFFFF;
		uint8_t w[4] = {0};
		if (4 * (index + 1) <= fuses->size) {
			simmem_read(fuses, fuses->base + 4 * index, w, 4);
			const uint32_t p[3] = {ST_OK, 4, le32(w)};
			respond(m, 0xAF, 0, p, 3);
		} else {
			const uint32_t p[2] = {ST_INVALID_ARGUMENT, 0};
			respond(m, 0xAF, 0, p, 2);
		}
		break;
	}
	case 0x0B: /* reset: answer, then leave the bus */
		generic(m, ST_OK, tag);
		camera_leave_soon(m->cam, 30);
		break;
	default:
		generic(m, ST_UNKNOWN_COMMAND, tag);
		break;
	}
}

static void data(struct mboot_model *m, const uint8_t *d, size_t n)
{
	if (!m->receiving) /* a flush, or data the device already gave up on (§2.6, §4) */
		return;
	m->data_reports++;
	struct fault *f = camera_take_fault(m->cam, FAULT_STATUS_DATA, m->data_reports);
	if (f) {
		m->receiving = false;
		push_report(m, 3, NULL, 0);
		generic(m, (uint32_t)f->code, 0x04);
		return;
	}
	uint32_t part = n < m->left ? (uint32_t)n : m->left;
	struct simmem *mem = camera_memory_at(m->cam, m->addr, part);
	busy_for(m, simmem_program(mem, m->addr, d, part));
	m->addr += part, m->left -= part;
	if (m->left == 0) {
		m->receiving = false;
		generic_when_done(m, ST_OK, 0x04);
	}
}

static int mboot_data_out(void *model, struct usbsim_dev *dev, uint8_t ep, const uint8_t *r, size_t len)
{
	struct mboot_model *m = model;
	(void)dev;
	(void)ep;
	m->out_reports++;
	if (camera_take_fault(m->cam, FAULT_VANISH_REPORT, m->out_reports)) {
		camera_switch(m->cam, CAMERA_OFF, 0);
		return USBSIM_GONE;
	}
	if (camera_take_fault(m->cam, FAULT_STALL, m->out_reports))
		return USBSIM_STALL;
	m->hung |= camera_take_fault(m->cam, FAULT_TIMEOUT, m->out_reports) != NULL;
	if (m->hung)
		return USBSIM_NEVER;
	if (len < 4)
		return (int)len;
	size_t n = (size_t)r[2] | (size_t)r[3] << 8;
	if (n > len - 4) /* the device checks the report holds its length (§2.2) */
		return (int)len;
	if (r[0] == 1 && n == 0)
		m->receiving = false; /* host abort (§2.6) */
	else if (r[0] == 1)
		command(m, r + 4, n);
	else if (r[0] == 2)
		data(m, r + 4, n);
	return (int)len;
}

static const struct usbsim_model_ops mboot_ops = {.data_out = mboot_data_out};

struct usbsim_dev *model_nxp_mboot_plug(struct camera *cam)
{
	const struct cam_nxp *x = cam->type->nxp;
	struct mboot_model *m = camera_keep(cam, calloc(1, sizeof *m));
	m->cam = cam;
	m->max_packet = cam->opts.max_packet ? cam->opts.max_packet : x->max_packet;
	/* the secure bootloader on flash has configured its flash already [I] */
	m->configured = cam->mode == CAMERA_SBL || cam->mode == CAMERA_SBL_POWER_UP;
	uint16_t bytes = (uint16_t)(3 + m->max_packet); /* §2.1: 3 + max packet after the ID */
	const struct nxp_report reports[] = {{1, bytes, false}, {2, bytes, false}, {3, bytes, true}, {4, bytes, true}};
	m->dev = nxp_hid_plug(cam, x->fl_vid, x->fl_pid, "NXP", "Simulated MCU bootloader", reports, 4, true,
			      &mboot_ops, m);
	return m->dev;
}
