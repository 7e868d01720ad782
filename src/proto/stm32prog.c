/* stm32prog.c — the phase protocol's requests: alts and their ids, GetPhase, set phase,
 * download to a phase, detach.  Wire facts: reference alif-isp-openmv-ide-n6.md §4.2. */
#include "io/usb_io.h"
#include "stm32prog.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dfu.h"

const char *stm32prog_nor_addressing_name(enum stm32prog_nor_addressing m)
{
	return m == STM32PROG_NOR_BY_SET_PHASE ? "set-phase" : "layout";
}

int stm32prog_nor_addressing_from_name(const char *s)
{
	if (!strcmp(s, "layout"))
		return STM32PROG_NOR_BY_LAYOUT;
	if (!strcmp(s, "set-phase"))
		return STM32PROG_NOR_BY_SET_PHASE;
	return -1;
}

/* ---- pure helpers --------------------------------------------------------------------- */

int stm32prog_alt_id(const char *name)
{
	const char *p = name;
	while (*p == ' ')
		p++;
	if (*p == '@')
		p++;
	/* the label runs to " /" */
	const char *slash = strstr(p, "/");
	size_t label = slash ? (size_t)(slash - p) : strlen(p);
	while (label && p[label - 1] == ' ')
		label--;
	if (slash && slash[1] == '0' && (slash[2] == 'x' || slash[2] == 'X') && isxdigit((unsigned char)slash[3])) {
		char *end;
		unsigned long v = strtoul(slash + 3, &end, 16);
		if ((*end == '/' || *end == '\0' || *end == ' ') && end - (slash + 3) <= 8 && v <= 0xFF)
			return (int)v;
	}
	/* names whose number is not an id (reference §4.2 [S]: the N6 ROM's FSBL alt shows its
	 * load address) */
	if (label == 4 && !strncasecmp(p, "FSBL", 4))
		return STM32PROG_ID_FSBL;
	if (label == 7 && !strncasecmp(p, "virtual", 7))
		return STM32PROG_ID_CMD;
	return -1;
}

bool stm32prog_alt_head(const char *name, char *label, size_t n, uint32_t *number)
{
	const char *p = name;
	while (*p == ' ')
		p++;
	if (*p == '@')
		p++;
	const char *slash = strchr(p, '/');
	size_t len = slash ? (size_t)(slash - p) : strlen(p);
	while (len && p[len - 1] == ' ')
		len--;
	snprintf(label, n, "%.*s", (int)len, p);
	*number = 0;
	if (!slash || slash[1] != '0' || (slash[2] != 'x' && slash[2] != 'X') || !isxdigit((unsigned char)slash[3]))
		return false;
	char *end;
	unsigned long long v = strtoull(slash + 3, &end, 16);
	if ((*end != '/' && *end != '\0' && *end != ' ') || end - (slash + 3) > 8)
		return false;
	*number = (uint32_t)v;
	return true;
}

static uint32_t le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

int stm32prog_parse_phase(const uint8_t *buf, size_t len, struct stm32prog_phase *out,
                          struct rs_error *err)
{
	memset(out, 0, sizeof *out);
	if (len < STM32PROG_PHASE_MIN)
		return rs_fail(err, RS_E_PROTOCOL, "garbage phase answer: %zu bytes where at least %d are needed "
		               "(phase, address, extra)", len, STM32PROG_PHASE_MIN);
	out->id = buf[0];
	out->address = le32(buf + 1);
	out->extra = le32(buf + 5);
	/* reference §4.2: in the layout phase with no address, a tenth byte 0x01 asks for DETACH */
	out->detach = out->id == STM32PROG_ID_LAYOUT && out->address == STM32PROG_ADDR_UNDEFINED &&
	              len > STM32PROG_PHASE_MIN && buf[STM32PROG_PHASE_MIN] == 0x01;
	if (out->id == STM32PROG_ID_ERROR) {
		size_t k = 0;
		for (size_t i = STM32PROG_PHASE_MIN + 1; i < len && buf[i] && k + 1 < sizeof out->message; i++)
			out->message[k++] = isprint(buf[i]) ? (char)buf[i] : '?';
		out->message[k] = '\0';
		return rs_fail(err, RS_E_DEVICE, "the camera reported an error%s%s", k ? ": " : " (no text)",
		               out->message);
	}
	return RS_OK;
}

void stm32prog_encode_set_phase(uint8_t id, uint32_t address, uint8_t out[5])
{
	out[0] = id;
	out[1] = (uint8_t)(address >> 24); /* big-endian: U-Boot stm32prog (reference §4.2) */
	out[2] = (uint8_t)(address >> 16);
	out[3] = (uint8_t)(address >> 8);
	out[4] = (uint8_t)address;
}

/* ---- on a device ---------------------------------------------------------------------- */

int stm32prog_dfu_interface(libusb_device_handle *h, uint16_t *intf, struct rs_error *err)
{
	struct libusb_config_descriptor *cfg;
	int rc = usb_io_active_config(usb_io_device(h), &cfg);
	if (rc)
		return dfu_usb_error(rc, "reading the configuration", err);
	rc = rs_fail(err, RS_E_PROTOCOL, "the device has no DFU interface");
	for (int i = 0; i < cfg->bNumInterfaces && rc; i++) {
		const struct libusb_interface *it = &cfg->interface[i];
		/* application-specific class 0xFE, subclass 0x01: DFU (dfu-dfuse-picoboot-samba.md §1.4) */
		if (it->num_altsetting > 0 && it->altsetting[0].bInterfaceClass == 0xFE &&
		    it->altsetting[0].bInterfaceSubClass == 0x01) {
			*intf = it->altsetting[0].bInterfaceNumber;
			rc = RS_OK;
			rs_clear(err);
		}
	}
	usb_io_free_config(cfg);
	return rc;
}

int stm32prog_open(struct stm32prog_dev *d, libusb_device_handle *h, uint16_t intf,
                   struct rs_error *err)
{
	memset(d, 0, sizeof *d);
	d->h = h;
	d->intf = intf;
	struct libusb_config_descriptor *cfg;
	int rc = usb_io_active_config(usb_io_device(h), &cfg);
	if (rc)
		return dfu_usb_error(rc, "reading the configuration", err);
	struct dfu_func_desc fd;
	rc = dfu_find_func_desc(cfg, (uint8_t)intf, &fd, err);
	struct dfu_alt *alts = NULL;
	size_t n = 0;
	if (!rc) {
		alts = calloc(STM32PROG_MAX_ALTS, sizeof *alts);
		rc = alts ? dfu_list_alts(h, cfg, (uint8_t)intf, alts, STM32PROG_MAX_ALTS, &n, err)
		          : rs_fail(err, RS_E_NOMEM, "out of memory");
	}
	usb_io_free_config(cfg);
	if (!rc && fd.transfer_size == 0)
		rc = rs_fail(err, RS_E_PROTOCOL, "the device's DFU transfer size is 0");
	if (!rc) {
		d->transfer_size = fd.transfer_size;
		d->nalts = n < STM32PROG_MAX_ALTS ? (int)n : STM32PROG_MAX_ALTS;
		for (int i = 0; i < d->nalts; i++) {
			d->alts[i].alt = alts[i].alt;
			snprintf(d->alts[i].name, sizeof d->alts[i].name, "%s", alts[i].name);
			d->alts[i].id = stm32prog_alt_id(alts[i].name);
		}
	}
	free(alts);
	return rc;
}

int stm32prog_find_alt(const struct stm32prog_dev *d, uint8_t id, bool openbootloader)
{
	for (int i = 0; i < d->nalts; i++)
		if (d->alts[i].id == id)
			return d->alts[i].alt;
	if (!openbootloader)
		return -1;
	/* OpenBootloader's fixed alt -> phase table (openbl_usb_cmd.c OPENBL_USB_GetPhase,
	 * branch stm32n6), for alt names that carry no id */
	static const uint8_t obl_order[] = {STM32PROG_ID_LAYOUT, STM32PROG_ID_LOADER, 0x04, STM32PROG_ID_CMD, 0xF2, 0x05};
	for (unsigned a = 0; a < sizeof obl_order; a++)
		if (obl_order[a] == id)
			for (int i = 0; i < d->nalts; i++)
				if (d->alts[i].alt == a && d->alts[i].id < 0)
					return (int)a;
	return -1;
}

bool stm32prog_same_alts(const struct stm32prog_dev *a, const struct stm32prog_dev *b)
{
	if (a->nalts != b->nalts)
		return false;
	for (int i = 0; i < a->nalts; i++)
		if (a->alts[i].alt != b->alts[i].alt || strcmp(a->alts[i].name, b->alts[i].name))
			return false;
	return true;
}

static int cmd_alt(const struct stm32prog_dev *d, bool obl, struct rs_error *err)
{
	int alt = stm32prog_find_alt(d, STM32PROG_ID_CMD, obl);
	if (alt < 0)
		return rs_fail(err, RS_E_PROTOCOL, "the device has no phase command alt (id 0xF1 in its alt "
		               "names): it is not an STM32 ROM or OpenBootloader DFU device");
	return alt;
}

int stm32prog_get_phase(struct stm32prog_dev *d, bool openbootloader, struct stm32prog_phase *out,
                        struct rs_error *err)
{
	int alt = cmd_alt(d, openbootloader, err);
	if (alt < 0)
		return alt;
	int rc = dfu_prepare(d->h, d->intf, (uint8_t)alt, err);
	if (rc)
		return dfu_error_at(err, rc, "before reading the phase");
	uint16_t want = STM32PROG_PHASE_REQUEST;
	if (want > d->transfer_size)
		want = d->transfer_size;
	uint8_t buf[STM32PROG_PHASE_REQUEST];
	int got = dfu_req_upload(d->h, d->intf, 0, buf, want, err);
	if (got < 0)
		return dfu_error_at(err, got, "while reading the phase");
	/* the device waits in dfuUPLOAD-IDLE after a short upload too: back to dfuIDLE */
	rc = dfu_req_abort(d->h, d->intf, err);
	if (rc)
		return dfu_error_at(err, rc, "after reading the phase");
	return stm32prog_parse_phase(buf, (size_t)got, out, err);
}

int stm32prog_set_phase(struct stm32prog_dev *d, bool openbootloader, uint8_t id, uint32_t address,
                        struct rs_error *err)
{
	int alt = cmd_alt(d, openbootloader, err);
	if (alt < 0)
		return alt;
	int rc = dfu_prepare(d->h, d->intf, (uint8_t)alt, err);
	if (rc)
		return dfu_error_at(err, rc, "before setting the phase");
	uint8_t cmd[5];
	stm32prog_encode_set_phase(id, address, cmd);
	rc = dfu_req_dnload(d->h, d->intf, 0, cmd, sizeof cmd, err);
	if (rc < 0)
		return dfu_error_at(err, rc, "while setting phase 0x%02X", id);
	struct dfu_status st;
	rc = dfu_wait_while_busy(d->h, d->intf, DFU_BUSY_DNLOAD, NULL, DFU_BLOCK_DEADLINE_MS, &st, err);
	if (rc)
		return dfu_error_at(err, rc, "while setting phase 0x%02X", id);
	if (st.status != DFU_STATUS_OK)
		return dfu_error_at(err, dfu_status_error(&st, err), "when asked for phase 0x%02X at 0x%08X", id,
		                    (unsigned)address);
	/* leave dfuDNLOAD-IDLE without manifesting: the command is not an image */
	rc = dfu_req_abort(d->h, d->intf, err);
	return rc ? dfu_error_at(err, rc, "after setting the phase") : RS_OK;
}

int stm32prog_download(struct stm32prog_dev *d, bool openbootloader, uint8_t id, const uint8_t *data,
                       size_t len, const struct rs_progress *progress, struct rs_error *err)
{
	int alt = stm32prog_find_alt(d, id, openbootloader);
	if (alt < 0)
		return rs_fail(err, RS_E_PROTOCOL, "the device asks for phase 0x%02X but has no alt for it", id);
	int rc = dfu_prepare(d->h, d->intf, (uint8_t)alt, err);
	if (rc)
		return dfu_error_at(err, rc, "before phase 0x%02X", id);
	return dfu_download(d->h, d->intf, d->transfer_size, data, len, false, progress, err);
}

void stm32prog_detach(struct stm32prog_dev *d)
{
	/* reference §4.2: DFU_DETACH, "and usually USB reset"; a device that leaves at once
	 * answers with an error, which is what was asked */
	dfu_req_detach(d->h, d->intf, DFU_DETACH_TIMEOUT_MS, NULL);
	usb_io_reset(d->h);
}
