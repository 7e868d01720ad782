/* dfuse_quirks.c — see dfuse_quirks.h.  Evidence for each quirk is cited where it acts. */
#include "io/usb_io.h"
#include "dfuse_quirks.h"

#include "dfu.h"

/* The ST system-ROM DFU device (§1.13). */
#define ST_ROM_VID 0x0483
#define ST_ROM_PID 0xDF11
/* bcdDevice of the STM32H7 ROM (§1.14 item 10, from public logs [R]).  USB descriptors do
 * not tell rev V from rev Y [I]; the recovery below is harmless on rev Y, whose bank-2
 * erases finish normally and so never look stuck. */
#define ST_H7_ROM_BCD 0x0200
/* Bank 2 of the 2 MiB STM32H743/753 starts at sector 8 (§1.14 item 10). */
#define H7_BANK2_START 0x08100000u
/* "Stuck": still busy after this many replies spanning at least this long.  The reference
 * suggests 2-3 polls or > 2 s (§1.14 item 10); the rev V ROM asks for 1000 ms per poll, and
 * a healthy ST ROM answers the second GETSTATUS only once the erase is over (§1.3). */
#define H7_STUCK_POLLS 3
#define H7_STUCK_MS 2000
/* dfu-util's substitute for the F405's 100 ms mass-erase poll (§1.6, §1.14 item 4). */
#define F405_MASS_ERASE_REPORTED_MS 100
#define F405_MASS_ERASE_WAIT_MS 35000
/* dfu-util tolerates 3 stalled GETSTATUS during an STM32L4 erase (§1.6). */
#define L4_STALL_BUDGET 3

unsigned dfuse_quirks_for_device(uint16_t vid, uint16_t pid, uint16_t bcd_device)
{
	/* dfu-util applies these two to every DfuSe device, so do we (§1.6). */
	unsigned q = DFUSE_QUIRK_MASS_ERASE_100MS | DFUSE_QUIRK_STALLED_GETSTATUS;
	if (vid == ST_ROM_VID && pid == ST_ROM_PID && bcd_device == ST_H7_ROM_BCD)
		q |= DFUSE_QUIRK_H7_BANK2_ERASE;
	return q;
}

unsigned dfuse_quirks_detect(libusb_device_handle *h)
{
	struct libusb_device_descriptor dd;
	if (usb_io_device_descriptor(usb_io_device(h), &dd) < 0)
		return dfuse_quirks_for_device(0, 0, 0);
	return dfuse_quirks_for_device(dd.idVendor, dd.idProduct, dd.bcdDevice);
}

uint32_t dfuse_quirk_first_poll_ms(unsigned quirks, bool mass_erase, uint32_t reported_ms)
{
	if ((quirks & DFUSE_QUIRK_MASS_ERASE_100MS) && mass_erase &&
	    reported_ms == F405_MASS_ERASE_REPORTED_MS)
		return F405_MASS_ERASE_WAIT_MS;
	return reported_ms;
}

unsigned dfuse_quirk_stall_budget(unsigned quirks)
{
	return (quirks & DFUSE_QUIRK_STALLED_GETSTATUS) ? L4_STALL_BUDGET : 0;
}

bool dfuse_quirk_erase_stuck(unsigned quirks, uint32_t page_addr, unsigned polls,
			     uint64_t elapsed_ms)
{
	return (quirks & DFUSE_QUIRK_H7_BANK2_ERASE) && page_addr >= H7_BANK2_START &&
	       polls >= H7_STUCK_POLLS && elapsed_ms >= H7_STUCK_MS;
}

static int h7_give_up(uint32_t page_addr, const char *what, struct rs_error *err)
{
	return rs_fail(err, RS_E_DEVICE, "erasing the page at 0x%08X never finished and the "
		       "device did not recover (%s); this STM32H7 revision V ROM stalls erasing "
		       "bank 2; flash only bootloader.bin via the ST ROM, then the firmware "
		       "through the OpenMV bootloader", page_addr, what);
}

int dfuse_quirk_recover_stuck_erase(libusb_device_handle *h, uint16_t intf, uint32_t page_addr,
				    struct rs_error *err)
{
	/* Wire sequence from a CubeProgrammer log (§1.14 item 10): CLRSTATUS outside dfuERROR
	 * drives an ST device into dfuERROR/errUNKNOWN (§1.3), a second one back to dfuIDLE. */
	struct dfu_status st;
	if (dfu_req_clrstatus(h, intf, NULL) < 0 || dfu_req_getstatus(h, intf, &st, NULL) < 0)
		return h7_give_up(page_addr, "the first CLRSTATUS failed", err);
	if (st.state != DFU_STATE_ERROR)
		return h7_give_up(page_addr, "the first CLRSTATUS did not give dfuERROR", err);
	if (dfu_req_clrstatus(h, intf, NULL) < 0 || dfu_req_getstatus(h, intf, &st, NULL) < 0)
		return h7_give_up(page_addr, "the second CLRSTATUS failed", err);
	if (st.state != DFU_STATE_IDLE || st.status != DFU_STATUS_OK)
		return h7_give_up(page_addr, "the second CLRSTATUS did not give dfuIDLE", err);
	return RS_OK;
}
