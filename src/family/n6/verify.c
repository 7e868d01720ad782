/* family/n6/verify.c — STEP_DFU_COMPARE: verify restore-bootloader on the N6.  The layout's row
 * that writes where the step's alt lies (boards.ini restore.readback_alt: the bootloader's own
 * partition) is read from disk and compared with that alt, read back through the openmv_dfu
 * bootloader the restore wrote (openmv/openmv boot/src/common/dfu.c: its upload reads any
 * partition).  Writes nothing. */
#include "exec_dfu.h"
#include "n6_family.h"

#include <stdlib.h>
#include <string.h>

#include "flashlayout.h"
#include "images.h"

/* The one row that programs a memory (not RAM) at offset, or NULL with err filled. */
static const struct flashlayout_row *row_at(const struct flashlayout *fl, uint64_t offset, int alt,
                                            struct rs_error *err)
{
	const struct flashlayout_row *found = NULL;
	for (int i = 0; i < fl->nrows; i++) {
		const struct flashlayout_row *r = &fl->rows[i];
		if (!flashlayout_row_programs(r) || !strcmp(r->ip, "none") || r->offset != offset)
			continue;
		if (found) {
			rs_fail(err, RS_E_INPUT, "%s writes both %s and %s at offset 0x%llX: which one alt %d "
			        "holds cannot be told", fl->path, found->binary, r->binary, (unsigned long long)offset, alt);
			return NULL;
		}
		found = r;
	}
	if (!found)
		rs_fail(err, RS_E_INPUT, "%s writes nothing at offset 0x%llX, where alt %d lies: nothing to "
		        "compare", fl->path, (unsigned long long)offset, alt);
	return found;
}

int exec_dfu_compare_layout(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	const struct board_alt *al = board_alt(rc->plan->board, s->alt);
	if (s->image < 0 || !al)
		return rs_fail(err, RS_E_INPUT, "internal: the compare step has no layout or no alt");
	struct flashlayout *fl = calloc(1, sizeof *fl);
	if (!fl)
		return rs_fail(err, RS_E_NOMEM, "out of memory");
	int r = flashlayout_load(rc->plan->images[s->image].path, fl, err);
	const struct flashlayout_row *row = r ? NULL : row_at(fl, al->start.value, s->alt, err);
	uint8_t *data = NULL;
	size_t len = 0;
	if (!row)
		r = r ? r : RS_E_INPUT;
	else if (!(r = images_read_file(row->path, (size_t)al->size.value, &data, &len, err)))
		r = exec_dfu_compare_with(rc, s, row->path, data, len, err);
	free(data);
	free(fl);
	return r;
}
