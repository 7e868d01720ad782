/* OpenBootloader's phases on the N6 (see model_n6.c for the sources).  Our reading of ST's
 * middleware, branch stm32n6 (Modules/USB/openbl_usb_cmd.c, Util/openbl_util.c):
 *  - GetPhase on the command alt answers the layout phase first, then the id of each later
 *    layout row in order, then the end (0xFE); every answer comes twice, because the host
 *    asks once before a phase ("phase operation") and once after it ("start operation");
 *  - the address is the layout's own for phase 0x00, the loader's RAM address for 0x03 and
 *    external-memory base + the row's offset for 0x04/0x05;
 *  - data goes to the phase of the last GetPhase: the layout (its first 256 bytes skipped,
 *    the rest parsed as "opt\tid\tname\ttype\tip\toffset\n" lines), the loader into RAM,
 *    partitions into the NOR: each 64 KiB sector erased when first entered, then
 *    programmed and verified;
 *  - the loader must be in RAM before the NOR can be written (OPENBL_MEM_Init).
 * Stricter than the middleware, so a host mistake shows [A10]: data must go to the alt
 * whose id is the current phase (the middleware ignores the alt); a layout that would
 * make the middleware hang or overflow (a seventh column, a column over 32 characters, a
 * '#' line first) is refused with errTARGET; a layout that spans two blocks too.
 * Set-phase variant (camera option n6_nor_addressing, reference §4.2, U-Boot): a 5-byte
 * DNLOAD [id, offset BE] on the command alt selects the phase; GetPhase then repeats it. */
#include <stdlib.h>
#include <string.h>

#include "dfu_defs.h"
#include "model_n6.h"

#define N6_SECTOR (64u * 1024u) /* the sim's xSPI NOR (cameras.c STM32_SPI) */

static bool set_phase_variant(const struct n6_model *m)
{
	return m->cam->opts.n6_nor_addressing == CAMERA_N6_NOR_SET_PHASE;
}

static uint32_t phase_address(const struct n6_model *m, int phase)
{
	if (phase == N6_PHASE_LAYOUT)
		return N6_LAYOUT_ADDRESS;
	if (phase == N6_PHASE_LOADER)
		return N6_LOADER_ADDRESS;
	if (phase == 0x04 || phase == 0x05)
		for (int i = 0; i < m->nrows; i++)
			if (m->rows[i].id == phase)
				return N6_EXT_BASE + m->rows[i].offset;
	return 0xFFFFFFFFu; /* UNDEF_ADDRESS */
}

void n6_obl_phase(struct n6_model *m, uint8_t out[9])
{
	if (!set_phase_variant(m)) {
		if (m->partition == 0)
			m->phase = N6_PHASE_LAYOUT;
		else if (m->partition < m->nrows)
			m->phase = m->rows[m->partition].id;
		else
			m->phase = N6_PHASE_END;
		m->dest = phase_address(m, m->phase);
		m->written = 0;
		if (m->start_op) {
			m->start_op = false;
			m->partition++;
		} else {
			m->start_op = true;
		}
	}
	uint32_t a = phase_address(m, m->phase);
	memset(out, 0, 9);
	out[0] = (uint8_t)m->phase;
	out[1] = (uint8_t)a, out[2] = (uint8_t)(a >> 8), out[3] = (uint8_t)(a >> 16), out[4] = (uint8_t)(a >> 24);
}

int n6_obl_set_phase(struct n6_model *m, const uint8_t *cmd, int len)
{
	if (len != 5)
		return errTARGET;
	uint32_t off = (uint32_t)cmd[1] << 24 | (uint32_t)cmd[2] << 16 | (uint32_t)cmd[3] << 8 | cmd[4];
	if (cmd[0] != N6_PHASE_LOADER && cmd[0] != 0x04 && cmd[0] != 0x05)
		return errTARGET;
	m->phase = cmd[0];
	if (m->phase != N6_PHASE_LOADER) { /* remember the row, so GetPhase shows its address */
		int i = 0;
		while (i < m->nrows && m->rows[i].id != m->phase)
			i++;
		if (i == m->nrows && m->nrows < N6_MAX_ROWS)
			m->nrows++;
		m->rows[i] = (struct n6_row){m->phase, off};
	}
	m->dest = phase_address(m, m->phase);
	m->written = 0;
	return DFU_OK;
}

/* The middleware's layout parser, with its limits turned into errors (see above).  A '#'
 * line is refused too: first, the middleware takes it for a row whose id does not parse;
 * later, its bookkeeping stores the row before it over an earlier one. */
static int parse_layout(struct n6_model *m, const uint8_t *p, int len)
{
	char col[6][33];
	int ncol = 0, clen = 0, rows = 0;

	memset(col, 0, sizeof col);
	for (int i = 0; i < len && p[i]; i++) {
		char c = (char)p[i];
		if (c == '#' && ncol == 0 && clen == 0)
			return errTARGET;
		if (c == '\n') {
			if (ncol != 5 || rows == N6_MAX_ROWS)
				return errTARGET;
			char *end;
			unsigned long id = strtoul(col[1], &end, 0);
			if (end == col[1])
				return errTARGET;
			unsigned long off = strtoul(col[5], &end, 0);
			if (end == col[5])
				return errTARGET;
			m->rows[rows++] = (struct n6_row){(uint8_t)id, (uint32_t)off};
			memset(col, 0, sizeof col);
			ncol = clen = 0;
			continue;
		}
		if (c == '\t') {
			if (++ncol > 5)
				return errTARGET; /* a seventh column: the middleware would never return */
			clen = 0;
			continue;
		}
		if (clen == 32)
			return errTARGET; /* char column[33] */
		col[ncol][clen++] = c;
	}
	m->nrows = rows;
	m->layout_ok = rows > 0;
	return rows > 0 ? DFU_OK : errTARGET;
}

static int write_nor(struct n6_model *m, unsigned *ms)
{
	if (!m->loader_ok)
		return errTARGET; /* OPENBL_MEM_Init needs the external-memory loader */
	uint32_t addr = m->dest + m->written;
	if (addr < N6_EXT_BASE || m->dest == 0xFFFFFFFFu)
		return errADDRESS;
	uint32_t off = addr - N6_EXT_BASE;
	struct simmem *nor = camera_memory(m->cam, "xspi");
	if (!nor || !simmem_contains(nor, off, m->len))
		return errADDRESS;
	for (uint32_t s = off / N6_SECTOR; s <= (off + m->len - 1) / N6_SECTOR; s++)
		if (s + 1 > m->last_sector) { /* CurrentSector > LastSector: erase it */
			*ms += simmem_erase_range(nor, s * N6_SECTOR, N6_SECTOR);
			m->last_sector = s + 1;
		}
	*ms += (simmem_program(nor, off, m->buf, m->len) + 999) / 1000;
	uint8_t back[N6_XFER];
	simmem_read(nor, off, back, m->len);
	if (memcmp(back, m->buf, m->len))
		return errVERIFY; /* OPENBL_MEM_Verify */
	m->written += m->len;
	return DFU_OK;
}

int n6_obl_write(struct n6_model *m, unsigned *ms)
{
	int id = m->alt >= 0 && m->alt < m->n_alts ? m->alt_ids[m->alt] : -1;

	*ms = 0;
	if (id != m->phase)
		return errTARGET; /* A10: the data of a phase belongs on its alt */
	switch (m->phase) {
	case N6_PHASE_LAYOUT:
		if (m->block != 0 || m->len <= 256)
			return errTARGET; /* the layout is parsed from one block, after 256 bytes */
		return parse_layout(m, m->buf + 256, m->len - 256);
	case N6_PHASE_LOADER: {
		uint32_t at = N6_LOADER_ADDRESS + m->written;
		struct simmem *ram = camera_memory_at(m->cam, at, m->len);
		if (m->written + m->len > N6_LOADER_MAX || !ram)
			return errADDRESS;
		simmem_program(ram, at, m->buf, m->len);
		m->written += m->len;
		return DFU_OK;
	}
	case 0x04:
	case 0x05:
		return write_nor(m, ms);
	default:
		return errTARGET; /* the end, or a phase with nothing to write */
	}
}

void n6_obl_manifest(struct n6_model *m)
{
	if (m->phase == N6_PHASE_LOADER && m->written > 0)
		m->loader_ok = true;
}
