/* dfuse.c — DfuSe commands, write, upload and leave.  See dfuse.h; wire facts from
 * reference dfu-dfuse-picoboot-samba.md §1.5–§1.6, device quirks in dfuse_quirks.c.
 *
 * Faster than dfu-util by design (§1.11): SET_ADDRESS once per run instead of once per
 * block, and no sleep after a GETSTATUS that already reports idle. */
#include "dfuse.h"

#include <stdio.h>
#include <string.h>

#include "dfuse_plan.h"
#include "dfuse_quirks.h"

/* One DfuSe command sent as DNLOAD block 0. */
struct special {
	uint8_t bytes[5];
	uint16_t len;
	char what[48];             /* "ERASE of the page at 0x08100000", for messages */
	uint32_t address;
	bool erase_page;
	bool mass_erase;
	uint32_t deadline_ms;
	unsigned quirks;
};

static void put_command(struct special *c, uint8_t cmd, uint32_t address, bool with_address)
{
	memset(c, 0, sizeof *c);
	c->bytes[0] = cmd;
	c->len = 1;
	c->address = address;
	if (with_address) {
		for (int i = 0; i < 4; i++)
			c->bytes[1 + i] = (uint8_t)(address >> (8 * i)); /* little-endian (§1.5) */
		c->len = 5;
	}
}

/* After the first reply: sleep and poll while dfuDNBUSY, within the command's deadline.
 * Hosts the stall tolerance and the H7 bank-2 recovery (dfuse_quirks.h). */
static int poll_special(libusb_device_handle *h, uint16_t intf, const struct special *c,
			struct dfu_status *st, bool *recovered, struct rs_error *err)
{
	uint32_t poll = dfuse_quirk_first_poll_ms(c->quirks, c->mass_erase, st->poll_timeout_ms);
	uint64_t start = dfu_now_ms();
	unsigned polls = 1, stalls = 0;
	while (st->state == DFU_STATE_DNBUSY) {
		uint64_t waited = dfu_now_ms() - start;
		if (c->erase_page && dfuse_quirk_erase_stuck(c->quirks, c->address, polls, waited)) {
			int rc = dfuse_quirk_recover_stuck_erase(h, intf, c->address, err);
			if (rc == RS_OK && recovered)
				*recovered = true;
			return rc;
		}
		if (waited + poll > c->deadline_ms)
			return rs_fail(err, RS_E_TIMEOUT, "the device stayed busy after %s (it "
				       "asked for %u ms more after %llu ms; the limit is %u s)",
				       c->what, poll, (unsigned long long)waited,
				       c->deadline_ms / 1000);
		dfu_sleep_ms(poll);
		bool stalled;
		int rc = dfu_req_getstatus_stall(h, intf, st, &stalled, err);
		if (rc < 0 && stalled && poll > 0 && stalls < dfuse_quirk_stall_budget(c->quirks)) {
			stalls++; /* STM32L4: a stall while erasing means "still busy" (§1.6) */
			rs_clear(err);
			st->state = DFU_STATE_DNBUSY;
			continue;
		}
		if (rc < 0)
			return dfu_error_at(err, rc, "(%s)", c->what);
		polls++;
		poll = st->poll_timeout_ms;
	}
	return RS_OK;
}

/* DNLOAD block 0, then the first GETSTATUS must say dfuDNBUSY (§1.6, §4 item 1). */
static int special_command(libusb_device_handle *h, uint16_t intf, const struct special *c,
			   bool *recovered, struct rs_error *err)
{
	int rc = dfu_req_dnload(h, intf, 0, c->bytes, c->len, err);
	if (rc < 0)
		return dfu_error_at(err, rc, "(%s)", c->what);
	struct dfu_status st;
	rc = dfu_req_getstatus(h, intf, &st, err);
	if (rc < 0)
		return dfu_error_at(err, rc, "(%s)", c->what);
	if (st.status != DFU_STATUS_OK)
		return dfu_error_at(err, dfu_status_error(&st, err), "after %s", c->what);
	if (st.state != DFU_STATE_DNBUSY)
		return rs_fail(err, RS_E_PROTOCOL, "after %s the device answered %s instead of "
			       "dfuDNBUSY", c->what, dfu_state_name(st.state));
	rc = poll_special(h, intf, c, &st, recovered, err);
	if (rc < 0 || (recovered && *recovered))
		return rc;
	if (st.status != DFU_STATUS_OK)
		return dfu_error_at(err, dfu_status_error(&st, err), "after %s", c->what);
	return RS_OK;
}

int dfuse_set_address(libusb_device_handle *h, uint16_t intf, uint32_t address,
		      struct rs_error *err)
{
	struct special c;
	put_command(&c, DFUSE_CMD_SET_ADDRESS, address, true);
	snprintf(c.what, sizeof c.what, "SET_ADDRESS 0x%08X", address);
	c.deadline_ms = DFUSE_COMMAND_DEADLINE_MS;
	return special_command(h, intf, &c, NULL, err);
}

int dfuse_erase_page(libusb_device_handle *h, uint16_t intf, uint32_t address, unsigned quirks,
		     bool *recovered, struct rs_error *err)
{
	struct special c;
	put_command(&c, DFUSE_CMD_ERASE, address, true);
	snprintf(c.what, sizeof c.what, "ERASE of the page at 0x%08X", address);
	c.erase_page = true;
	c.deadline_ms = DFUSE_ERASE_DEADLINE_MS;
	c.quirks = quirks;
	if (recovered)
		*recovered = false;
	return special_command(h, intf, &c, recovered, err);
}

int dfuse_mass_erase(libusb_device_handle *h, uint16_t intf, unsigned quirks,
		     struct rs_error *err)
{
	struct special c;
	put_command(&c, DFUSE_CMD_ERASE, 0, false);
	snprintf(c.what, sizeof c.what, "MASS ERASE");
	c.mass_erase = true;
	c.deadline_ms = DFUSE_MASS_ERASE_DEADLINE_MS;
	c.quirks = quirks;
	return special_command(h, intf, &c, NULL, err);
}

int dfuse_abort_to_idle(libusb_device_handle *h, uint16_t intf, struct rs_error *err)
{
	int rc = dfu_req_abort(h, intf, err);
	if (rc < 0)
		return rc;
	struct dfu_status st;
	rc = dfu_req_getstatus(h, intf, &st, err);
	if (rc < 0)
		return rc;
	if (st.state != DFU_STATE_IDLE)
		return rs_fail(err, RS_E_PROTOCOL, "the device did not return to dfuIDLE after "
			       "ABORT (it is in %s, status %s)", dfu_state_name(st.state),
			       dfu_status_name(st.status));
	return RS_OK;
}

/* Codes that mean "the device has gone" once it was told to leave or reset (§4 item 10). */
static bool vanished(int rc, bool stalled)
{
	return rc == RS_E_GONE || rc == RS_E_IO || stalled;
}

int dfuse_leave(libusb_device_handle *h, uint16_t intf, uint32_t address, struct rs_error *err)
{
	int rc = dfuse_set_address(h, intf, address, err);
	if (rc < 0)
		return dfu_error_at(err, rc, "before starting the firmware");
	rc = dfu_req_dnload(h, intf, DFUSE_FIRST_DATA_BLOCK, NULL, 0, err);
	if (vanished(rc, rc == RS_E_PROTOCOL)) {
		rs_clear(err);
		return RS_OK;
	}
	if (rc < 0)
		return rc;
	uint64_t start = dfu_now_ms();
	for (;;) {
		struct dfu_status st;
		bool stalled;
		rc = dfu_req_getstatus_stall(h, intf, &st, &stalled, err);
		if (vanished(rc, stalled)) {
			rs_clear(err);
			return RS_OK;
		}
		if (rc < 0)
			return rc;
		if (st.status != DFU_STATUS_OK)
			return dfu_error_at(err, dfu_status_error(&st, err),
					    "when asked to start the firmware");
		if (st.state == DFU_STATE_MANIFEST || st.state == DFU_STATE_MANIFEST_WAIT_RESET)
			return RS_OK; /* the ST ROM now resets and jumps (§1.14 item 2) */
		bool busy = st.state == DFU_STATE_DNBUSY || st.state == DFU_STATE_DNLOAD_SYNC ||
			    st.state == DFU_STATE_MANIFEST_SYNC;
		if (!busy)
			return rs_fail(err, RS_E_PROTOCOL, "the device went to %s instead of "
				       "starting the firmware", dfu_state_name(st.state));
		if (dfu_now_ms() - start + st.poll_timeout_ms > DFU_MANIFEST_DEADLINE_MS)
			return rs_fail(err, RS_E_TIMEOUT, "the device stayed in %s instead of "
				       "starting the firmware", dfu_state_name(st.state));
		dfu_sleep_ms(st.poll_timeout_ms);
	}
}
