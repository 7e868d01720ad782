/* fuzz_flashlayout.c — libFuzzer target for the FlashLayout.tsv reader: any bytes must parse
 * or be refused with one line naming the file (and line), never crash, leak or read out of
 * bounds; a layout that parses holds only rows the checks allow. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flashlayout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct flashlayout fl;
	struct rs_error err = {0};
	int rc = flashlayout_parse((const char *)data, size, "fuzz/FlashLayout.tsv", &fl, &err);
	if (rc) {
		if (rc != RS_E_INPUT || strncmp(err.msg, "fuzz/FlashLayout.tsv", 20) || strchr(err.msg, '\n'))
			abort(); /* every refusal is one line that names the file */
		return 0;
	}
	if (fl.nrows < 1 || fl.nrows > FLASHLAYOUT_MAX_ROWS)
		abort();
	for (int i = 0; i < fl.nrows; i++) {
		const struct flashlayout_row *r = &fl.rows[i];
		if (r->id == 0 || r->id > 0xF0 || !r->name[0] || !r->binary[0])
			abort();
		/* binaries resolve against the TSV's folder unless written as absolute paths */
		if (r->binary[0] == '/' ? strcmp(r->path, r->binary) : strncmp(r->path, "fuzz/", 5))
			abort();
		for (int k = 0; k < i; k++)
			if (fl.rows[k].id == r->id)
				abort();
	}
	return 0;
}
