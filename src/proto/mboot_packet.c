/* mboot_packet.c — mboot packets, HID framing and status names (pure; see mboot.h).
 * Section numbers refer to reference nxp-sdp-mboot.md. */
#include "mboot.h"

#include <stdio.h>
#include <string.h>

uint32_t mboot_clamp_memory_id(uint32_t mem_id)
{
	return mem_id >= 1 && mem_id <= 255 ? 0 : mem_id;
}

static struct mboot_packet cmd(uint8_t tag, uint8_t flags, int n, uint32_t a, uint32_t b, uint32_t c)
{
	struct mboot_packet p = {.tag = tag, .flags = flags, .nparams = (uint8_t)n};
	p.params[0] = a;
	p.params[1] = b;
	p.params[2] = c;
	return p;
}

/* spsdk always sends the index as a second parameter (§2.4). */
struct mboot_packet mboot_cmd_get_property(uint32_t property, uint32_t index)
{
	return cmd(MBOOT_CMD_GET_PROPERTY, 0, 2, property, index, 0);
}

struct mboot_packet mboot_cmd_fill_memory(uint32_t address, uint32_t count, uint32_t pattern)
{
	return cmd(MBOOT_CMD_FILL_MEMORY, 0, 3, address, count, pattern);
}

struct mboot_packet mboot_cmd_configure_memory(uint32_t mem_id, uint32_t config_address)
{
	return cmd(MBOOT_CMD_CONFIGURE_MEMORY, 0, 2, mem_id, config_address, 0);
}

struct mboot_packet mboot_cmd_flash_erase_region(uint32_t address, uint32_t count, uint32_t mem_id)
{
	return cmd(MBOOT_CMD_FLASH_ERASE_REGION, 0, 3, address, count, mboot_clamp_memory_id(mem_id));
}

struct mboot_packet mboot_cmd_write_memory(uint32_t address, uint32_t count, uint32_t mem_id)
{
	return cmd(MBOOT_CMD_WRITE_MEMORY, MBOOT_FLAG_DATA_PHASE, 3, address, count,
	           mboot_clamp_memory_id(mem_id));
}

struct mboot_packet mboot_cmd_read_memory(uint32_t address, uint32_t count, uint32_t mem_id)
{
	return cmd(MBOOT_CMD_READ_MEMORY, 0, 3, address, count, mboot_clamp_memory_id(mem_id));
}

/* index, byteCount 4, the word (§2.4) */
struct mboot_packet mboot_cmd_efuse_program_once(uint32_t index, uint32_t word, bool lock)
{
	return cmd(MBOOT_CMD_FLASH_PROGRAM_ONCE, 0, 3, index | (lock ? 1u << 24 : 0), 4, word);
}

struct mboot_packet mboot_cmd_efuse_read_once(uint32_t index)
{
	return cmd(MBOOT_CMD_FLASH_READ_ONCE, 0, 2, index, 4, 0);
}

struct mboot_packet mboot_cmd_reset(void)
{
	return cmd(MBOOT_CMD_RESET, 0, 0, 0, 0, 0);
}

static void le32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t le32_get(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

size_t mboot_packet_encode(const struct mboot_packet *p, uint8_t *out, size_t cap)
{
	size_t len = 4 + 4 * (size_t)p->nparams;
	if (p->nparams > MBOOT_MAX_PARAMS || len > cap)
		return 0;
	out[0] = p->tag;
	out[1] = p->flags;
	out[2] = 0; /* reserved */
	out[3] = p->nparams;
	for (int i = 0; i < p->nparams; i++)
		le32_put(out + 4 + 4 * i, p->params[i]);
	return len;
}

int mboot_packet_decode(const uint8_t *buf, size_t len, struct mboot_packet *p)
{
	memset(p, 0, sizeof *p);
	if (len < 4 || buf[3] > MBOOT_MAX_PARAMS || len < 4 + 4 * (size_t)buf[3])
		return RS_E_PROTOCOL;
	p->tag = buf[0];
	p->flags = buf[1];
	p->nparams = buf[3];
	for (int i = 0; i < p->nparams; i++)
		p->params[i] = le32_get(buf + 4 + 4 * i);
	return 0;
}

size_t mboot_frame(uint8_t report_id, const uint8_t *payload, size_t n, uint8_t *out, size_t cap)
{
	if (n > 0xFFFF || MBOOT_HID_HEADER + n > cap)
		return 0;
	out[0] = report_id;
	out[1] = 0;
	out[2] = (uint8_t)n;
	out[3] = (uint8_t)(n >> 8);
	if (n)
		memcpy(out + MBOOT_HID_HEADER, payload, n);
	return MBOOT_HID_HEADER + n;
}

int mboot_unframe(const uint8_t *report, size_t len, uint8_t *id, const uint8_t **payload, size_t *n)
{
	if (len < MBOOT_HID_HEADER)
		return RS_E_PROTOCOL;
	size_t want = (size_t)report[2] | (size_t)report[3] << 8;
	if (len - MBOOT_HID_HEADER < want)
		return RS_E_PROTOCOL;
	*id = report[0];
	*payload = report + MBOOT_HID_HEADER;
	*n = want;
	return 0;
}

/* ---- status codes (§2.8) ----------------------------------------------------------------- */

static const struct {
	uint32_t code;
	const char *name, *meaning;
} statuses[] = {
	{0, "Success", "success"},
	{1, "Fail", "the operation failed"},
	{2, "ReadOnly", "the target is read-only"},
	{3, "OutOfRange", "a value is out of range"},
	{4, "InvalidArgument", "the bootloader rejected an argument of the command"},
	{5, "Timeout", "the operation timed out inside the bootloader"},
	{6, "NoTransferInProgress", "no transfer was in progress"},
	{100, "FlashSizeError", "the flash size is wrong for this operation"},
	{101, "FlashAlignmentError", "the address or length is not aligned to the flash sector or page"},
	{102, "FlashAddressError", "the address is not in the flash"},
	{103, "FlashAccessError", "the flash refused the access"},
	{104, "FlashProtectionViolation", "that part of the flash is protected"},
	{105, "FlashCommandFailure", "the flash command failed"},
	{10000, "UnknownCommand", "this bootloader does not know the command (an older or different bootloader)"},
	{10001, "SecurityViolation", "the part is secured and refuses this command"},
	{10002, "AbortDataPhase", "the data transfer was aborted"},
	{10004, "NoResponse", "no response"},
	{10006, "UnsupportedCommand", "this bootloader does not support the command"},
	{10200, "MemoryRangeInvalid", "the address range is outside the device's memory"},
	{10201, "MemoryReadFailed", "reading the memory failed"},
	{10202, "MemoryWriteFailed", "writing the memory failed"},
	{10203, "MemoryCumulativeWrite", "the flash was written without being erased first"},
	{10205, "MemoryNotConfigured", "the external flash is not configured yet (configure-memory must run first)"},
	{10206, "MemoryAlignmentError", "the address or length is not aligned for this memory"},
	{10207, "MemoryVerifyFailed", "the memory did not read back what was written"},
	{10208, "MemoryWriteProtected", "the memory is write-protected"},
	{10209, "MemoryAddressError", "the address is not valid for this memory"},
	{10210, "MemoryBlankCheckFailed", "the memory is not blank"},
	{10300, "UnknownProperty", "the bootloader does not know this property"},
	{10301, "ReadOnlyProperty", "the property is read-only"},
	{10302, "InvalidPropertyValue", "the property value is invalid"},
	{20100, "FlexSPINOR_ProgramFail", "programming the external flash failed"},
	{20101, "FlexSPINOR_EraseSectorFail", "erasing a sector of the external flash failed"},
	{20102, "FlexSPINOR_EraseAllFail", "erasing the external flash failed"},
	{20103, "FlexSPINOR_WaitTimeout", "the external flash did not finish in time"},
	{20104, "FlexSPINOR_PageSizeOverMax", "the external flash page size is too large"},
	{20105, "FlexSPINOR_WriteAlignmentError", "the write is not aligned for the external flash"},
	{20106, "FlexSPINOR_CommandFailure", "an external flash command failed"},
	{20107, "FlexSPINOR_SFDP_NotFound", "the external flash did not describe itself (no SFDP table): the flash chip may be faulty"},
	{20108, "FlexSPINOR_UnsupportedSFDPVersion", "the external flash has an unsupported SFDP version"},
	{20109, "FlexSPINOR_FlashNotFound", "no external flash chip answered"},
	{20110, "FlexSPINOR_DTRReadDummyProbeFailed", "probing the external flash's DTR read failed"},
	{20200, "OCOTP_ReadFailure", "reading the eFuses failed"},
	{20201, "OCOTP_ProgramFailure", "programming the eFuse failed"},
	{20202, "OCOTP_ReloadFailure", "reloading the eFuses failed"},
	{20203, "OCOTP_WaitTimeout", "the eFuse controller did not finish in time"},
};

const char *mboot_status_name(uint32_t status)
{
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (statuses[i].code == status)
			return statuses[i].name;
	return NULL;
}

const char *mboot_status_meaning(uint32_t status)
{
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (statuses[i].code == status)
			return statuses[i].meaning;
	return "a status this program does not know";
}

int mboot_status_error(uint32_t status, const char *doing, struct rs_error *err)
{
	const char *name = mboot_status_name(status);
	return rs_fail(err, RS_E_DEVICE, "%s: the bootloader answered status %lu (%s): %s", doing,
	               (unsigned long)status, name ? name : "unknown", mboot_status_meaning(status));
}
