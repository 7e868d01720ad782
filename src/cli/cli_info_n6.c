/* cli_info_n6.c — `info` on a 0483:DF11 device that speaks ST's DFU phase protocol (the N6
 * boot ROM, or the OpenBootloader it loads; src/proto/stm32prog.h): which of the two it is,
 * each alt's phase id, and the identity check against boards.ini.  Descriptors only:
 * GetPhase is not asked, because OpenBootloader moves on to its next phase when it answers
 * (stm32-mw-openbl, branch stm32n6, openbl_usb_cmd.c), so asking would change it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_list.h"
#include "identity_n6.h"

/* Each alt object of "alts" gets its phase id; the DfuSe reading of the name (segments at
 * "addresses" 0xF1, 0xF3 ...) is dropped: these names carry ids, not memory layouts. */
static void phase_alts(const struct stm32prog_dev *dev, json_t *o)
{
	json_t *alts = json_object_get(o, "alts");
	for (int i = 0; i < dev->nalts; i++) {
		json_t *a = json_array_get(alts, (size_t)dev->alts[i].alt);
		if (!a)
			continue;
		json_object_del(a, "segments");
		json_object_del(a, "source");
		char label[64];
		uint32_t number;
		bool has = stm32prog_alt_head(dev->alts[i].name, label, sizeof label, &number);
		json_object_set_new(a, "phase_id", dev->alts[i].id >= 0 ? json_sprintf("0x%02X", dev->alts[i].id) : json_null());
		if (has && (int64_t)number != dev->alts[i].id) /* the ROM's FSBL alt shows its load address */
			json_object_set_new(a, "load_address", json_sprintf("0x%08X", (unsigned)number));
	}
}

void cli_info_stm32prog(libusb_device_handle *h, const struct boarddb *db, const struct devinfo *d, json_t *o)
{
	static struct stm32prog_dev dev;
	struct rs_error e = {0};
	uint16_t intf;
	if (stm32prog_dfu_interface(h, &intf, &e) || stm32prog_open(&dev, h, intf, &e) ||
	    stm32prog_find_alt(&dev, STM32PROG_ID_CMD, false) < 0)
		return; /* no phase command alt: a DfuSe ROM, shown by its layouts */
	bool rom = stm32prog_find_alt(&dev, STM32PROG_ID_FSBL, false) >= 0;
	json_object_set_new(o, "phase_protocol", json_string(rom ? "boot ROM" : "OpenBootloader"));
	phase_alts(&dev, o);
	for (int i = 0; i < d->ncandidates; i++) {
		const struct board *b = boarddb_find(db, d->candidates[i]);
		if (!b || b->actions[ACTION_RESTORE].method != METHOD_STM32PROG)
			continue;
		char why[400];
		bool same = !(rom ? identity_check_n6_rom(b, &dev, why, sizeof why)
		                  : identity_check_n6_obl(b, &dev, why, sizeof why));
		json_object_set_new(o, "identity", json_pack("{s:b, s:s, s:s}", "ok", same, "found",
		                    same ? "matches boards.ini" : why, "board", b->target));
	}
}
