/* Model of the i.MX RT ROM serial downloader (SDP over USB HID, 1FC9:0135).
 *
 * Facts (reference nxp-sdp-mboot.md): reports 1 (16-byte command, big-endian fields;
 * oversize reports accepted, bytes after 16 ignored) and 2 (1024 data bytes) arrive as
 * SET_REPORT on EP0 — the ROM has only an interrupt IN endpoint (§1.1); every command is
 * answered with the HAB word in report 3 (0x56787856: HAB open); WRITE_FILE takes count
 * bytes from reports 2 (padding ignored) and answers 0x88888888 in report 4; READ_REGISTER
 * answers ceil(count/64) reports 4; WRITE_REGISTER answers 0x128A8A12; ERROR_STATUS answers
 * the last status (0xF0F0F0F0); JUMP_ADDRESS answers only report 3 and, when the address
 * holds an IVT header (D1 00 20 40/41), leaves the bus and the flashloader enumerates
 * (§1.5, §4).  [I] the failure word for a jump to a non-IVT address is not documented:
 * this model sends 0x33333333 (the HAB failure word of §1.4).  [I] unknown commands get no
 * answer (§4: undocumented).  [I] writes outside RAM fail the same way as a bad count:
 * report 4 = 0x89232389 (§1.4). */
#include <stdlib.h>
#include <string.h>

#include "model_nxp.h"

#define HAB_OPEN 0x56787856u
#define WRITE_FILE_DONE 0x88888888u
#define WRITE_REG_DONE 0x128A8A12u
#define HAB_SUCCESS 0xF0F0F0F0u
#define HAB_FAILURE 0x33333333u
#define REENUM_ACK 0x89232389u
/* The flashloader enumerates 1-3 s after the jump (§1.5); fast mode keeps tests quick. */
#define JUMP_ENUM_MS_REALISTIC 1500

struct sdp_model {
	struct camera *cam;
	struct usbsim_dev *dev;
	bool receiving;           /* WRITE_FILE data phase */
	uint32_t addr, left;
	bool bad_write;
	uint32_t last_status;
	unsigned out_reports, commands, in_reports;
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void push(struct sdp_model *m, uint8_t id, const uint8_t *payload, size_t n)
{
	uint8_t r[65] = {id};
	size_t len = id == 3 ? 5 : 65; /* §1.1: report 3 is 4 bytes, report 4 is 64 */
	memcpy(r + 1, payload, n < len - 1 ? n : len - 1);
	m->in_reports++;
	if (camera_take_fault(m->cam, FAULT_SHORT_REPORT, m->in_reports))
		len = 3; /* shorter than any answer word */
	usbsim_in_push(m->dev, NXP_EP_IN, r, len);
}

static void push_word(struct sdp_model *m, uint8_t id, uint32_t w)
{
	const uint8_t b[4] = {(uint8_t)(w >> 24), (uint8_t)(w >> 16), (uint8_t)(w >> 8), (uint8_t)w};
	push(m, id, b, 4);
}

/* The status word of this command: the model's, or an injected one. */
static uint32_t status_of(struct sdp_model *m, uint32_t normal)
{
	struct fault *f = camera_take_fault(m->cam, FAULT_STATUS_CMD, m->commands);
	return f ? (uint32_t)f->code : normal;
}

static void jump_job(void *arg)
{
	struct camera *cam = arg;
	camera_switch(cam, CAMERA_FLASHLOADER,
		      cam->opts.realistic_timing ? JUMP_ENUM_MS_REALISTIC : camera_boot_delay(cam));
}

static void command(struct sdp_model *m, const uint8_t *c)
{
	uint16_t type = (uint16_t)(c[0] << 8 | c[1]);
	uint32_t addr = be32(c + 2), count = be32(c + 7), data = be32(c + 11);
	uint8_t format = c[6];
	struct simmem *mem;

	m->commands++;
	switch (type) {
	case 0x0404: /* WRITE_FILE: the answer comes after the data */
		m->receiving = count > 0;
		m->addr = addr, m->left = count;
		m->bad_write = !camera_memory_at(m->cam, addr, count ? count : 1) ||
			       camera_memory_at(m->cam, addr, 1)->kind != SIMMEM_RAM;
		break;
	case 0x0101: { /* READ_REGISTER */
		push_word(m, 3, HAB_OPEN);
		mem = camera_memory_at(m->cam, addr, count);
		for (uint32_t off = 0; off < count; off += 64) {
			uint8_t b[64] = {0};
			uint32_t part = count - off < 64 ? count - off : 64;
			if (mem)
				simmem_read(mem, addr + off, b, part);
			push(m, 4, b, 64);
		}
		break;
	}
	case 0x0202: { /* WRITE_REGISTER: count is ignored (§1.5) */
		unsigned width = format == 8 ? 1 : format == 16 ? 2 : 4;
		uint8_t le[4] = {(uint8_t)data, (uint8_t)(data >> 8), (uint8_t)(data >> 16), (uint8_t)(data >> 24)};
		push_word(m, 3, HAB_OPEN);
		mem = camera_memory_at(m->cam, addr, width);
		if (mem && mem->kind == SIMMEM_RAM)
			simmem_program(mem, addr, le, width);
		push_word(m, 4, status_of(m, mem ? WRITE_REG_DONE : HAB_FAILURE));
		break;
	}
	case 0x0505: /* ERROR_STATUS */
		push_word(m, 3, HAB_OPEN);
		push_word(m, 4, status_of(m, m->last_status));
		break;
	case 0x0B0B: { /* JUMP_ADDRESS */
		uint8_t ivt[4] = {0};
		push_word(m, 3, HAB_OPEN);
		mem = camera_memory_at(m->cam, addr, 4);
		if (mem)
			simmem_read(mem, addr, ivt, 4);
		bool valid = ivt[0] == 0xD1 && ivt[1] == 0x00 && ivt[2] == 0x20 && (ivt[3] == 0x40 || ivt[3] == 0x41);
		struct fault *f = camera_take_fault(m->cam, FAULT_STATUS_CMD, m->commands);
		if (valid && !f) { /* leave once the host has had time to read report 3 */
			m->cam->dfu_activity = true;
			usbsim_schedule(m->cam->sim, 30, jump_job, m->cam);
		} else {
			m->last_status = f ? (uint32_t)f->code : HAB_FAILURE;
			push_word(m, 4, m->last_status);
		}
		break;
	}
	default:
		break;
	}
}

static void data(struct sdp_model *m, const uint8_t *d, size_t n)
{
	if (!m->receiving)
		return;
	uint32_t part = m->left < 1024 ? m->left : 1024;
	if (n < part)
		part = (uint32_t)n;
	if (!m->bad_write) {
		struct simmem *mem = camera_memory_at(m->cam, m->addr, part);
		simmem_program(mem, m->addr, d, part);
	}
	m->addr += part, m->left -= part;
	if (m->left == 0) {
		m->receiving = false;
		push_word(m, 3, HAB_OPEN);
		push_word(m, 4, status_of(m, m->bad_write ? REENUM_ACK : WRITE_FILE_DONE));
	}
}

static int sdp_control(void *model, struct usbsim_dev *dev, const struct usbsim_ctrl *rq, unsigned *delay_us)
{
	struct sdp_model *m = model;
	(void)dev;
	(void)delay_us;
	if (!nxp_is_set_report(rq) || rq->wLength < 1)
		return USBSIM_STALL;
	m->out_reports++;
	if (camera_take_fault(m->cam, FAULT_VANISH_REPORT, m->out_reports)) {
		camera_switch(m->cam, CAMERA_OFF, 0);
		return USBSIM_GONE;
	}
	if (rq->data[0] == 1 && rq->wLength >= 17)
		command(m, rq->data + 1);
	else if (rq->data[0] == 2)
		data(m, rq->data + 1, rq->wLength - 1u);
	return 0;
}

static const struct usbsim_model_ops sdp_ops = {.control = sdp_control};

struct usbsim_dev *model_nxp_sdp_plug(struct camera *cam)
{
	const struct cam_nxp *x = cam->type->nxp;
	static const struct nxp_report reports[] = {{1, 16, false}, {2, 1024, false}, {3, 4, true}, {4, 64, true}};
	struct sdp_model *m = camera_keep(cam, calloc(1, sizeof *m));
	m->cam = cam;
	m->last_status = HAB_SUCCESS;
	/* product strings as seen in an emulator [I: unverified for the real ROM, §1.1] */
	m->dev = nxp_hid_plug(cam, x->sdp_vid, x->sdp_pid, "Freescale SemiConductor Inc", "SE Blank RT",
			      reports, 4, false, &sdp_ops, m);
	return m->dev;
}
