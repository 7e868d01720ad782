/* test_dfu_fake.h — an in-process DFU / DfuSe device for unit tests of dfu*.c.
 *
 * The test executables are linked with -Wl,--wrap=<fn> for the few libusb functions the
 * DFU modules call, so the product code runs unchanged while its control transfers reach
 * this model instead of a kernel.  The model follows the device behaviour of reference
 * dfu-dfuse-picoboot-samba.md §1.3 (ST's variant for DfuSe) and the openmv_dfu facts of
 * alif-isp-openmv-ide-n6.md §2.2.  It records every request in a text log
 * ("GS DN0:5 SET:08000000 ...") for the tests to compare.  End-to-end tests through the
 * real libusb run against the umockdev devices of the sim suite.
 */
#ifndef TEST_DFU_FAKE_H
#define TEST_DFU_FAKE_H

#include <libusb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dfuse_mem.h"

struct fake_dev {
	/* identity and geometry */
	uint16_t vid, pid, bcd_device;
	bool dfuse;                  /* ST DfuSe semantics, else plain DFU (openmv_dfu-like) */
	uint16_t xfer;               /* the device's wTransferSize */
	bool manifestation_tolerant;
	uint32_t base;               /* memory start address (DfuSe) / partition start (plain) */
	size_t size;
	uint8_t *mem;
	struct dfuse_layout layout;  /* DfuSe: page geometry for erases */

	/* DFU state */
	uint8_t state, status;
	bool pending;                /* a DNLOAD waits for GETSTATUS to run it */
	uint16_t pend_block;
	uint16_t pend_len;
	uint8_t pend[4096];
	int busy_left;               /* busy replies still to give for the pending request */
	uint32_t pointer;            /* DfuSe address pointer */
	bool gone;                   /* disconnected: every request fails with NO_DEVICE */
	bool leave_pending;          /* DfuSe: the next GETSTATUS answers dfuMANIFEST, then gone */
	int manifest_polls;          /* plain: dfuMANIFEST replies before the end state */

	/* behaviour knobs */
	uint32_t busy_poll_ms;       /* bwPollTimeout in busy replies */
	int busy_replies;            /* busy replies per data block (DfuSe commands: >= 1) */
	bool forever_busy;           /* data blocks never finish */
	bool h7_bank2_stuck;         /* ERASE at >= 0x08100000 stays busy until 2 CLRSTATUS */
	bool h7_clrstatus_ignored;   /* ... and CLRSTATUS does not help */
	uint32_t stuck_poll_ms;      /* bwPollTimeout of those stuck replies (rev V: 1000) */
	bool commands_instant;       /* DfuSe command: first GETSTATUS already idle (wrong) */
	int stall_getstatus;         /* stall this many GETSTATUS while a command is busy */
	int fail_block;              /* plain: this block number gets fail_status (-1 none) */
	uint8_t fail_status;
	int gone_block;              /* DNLOAD of this block finds the device gone (-1 none) */
	int stall_block;             /* DNLOAD of this block is stalled (-1 none) */
	int garbage_len;             /* GETSTATUS answers this many bytes (0 = normal 6) */
	int reset_rc;                /* what libusb_reset_device returns */
	bool vanish_on_detach;       /* openmv_dfu: DETACH jumps to the firmware */

	/* record */
	char log[16384];
	size_t log_len;
	unsigned n_getstatus, n_dnload, n_upload, n_clrstatus, n_abort, n_detach, n_reset;
	unsigned n_set_address, n_erase;
	unsigned writes_to_unerased; /* data written over bytes that were not 0xFF */
	int alt;
};

/* A plain DFU device like the openmv_dfu bootloader: xfer 4096, manifestation-tolerant,
 * size bytes of memory filled with fill. */
void fake_init_plain(struct fake_dev *f, uint16_t xfer, size_t size, uint8_t fill);
/* An ST ROM DfuSe device with the given layout string (one /0x block), xfer and identity. */
void fake_init_dfuse(struct fake_dev *f, const char *layout, uint16_t xfer, uint16_t bcd_device,
		     uint8_t fill);
void fake_free(struct fake_dev *f);
/* The handle to pass to the product code. */
libusb_device_handle *fake_handle(struct fake_dev *f);
/* Memory at address (DfuSe) or offset (plain); NULL outside. */
uint8_t *fake_mem(struct fake_dev *f, uint32_t address);
/* true when the log contains needle. */
bool fake_logged(const struct fake_dev *f, const char *needle);

/* Interface strings for libusb_get_string_descriptor_ascii (index -> text). */
extern const char *fake_strings[8];

#endif
