/* family/n6/images.c — the N6 restore's FlashLayout.tsv check (n6_family.h). */
#include "n6_family.h"

#include <string.h>
#include <strings.h>

#include "flashlayout.h"
#include "images.h"
#include "stm32prog.h"

/* A FlashLayout.tsv: every row and every binary it names (src/plan/flashlayout.h). */
static void check_layout(const struct plan_image *im, struct image_problems *out)
{
	static struct flashlayout fl; /* ~14 KiB: keep it off the stack */
	struct rs_error err = {0};
	if (flashlayout_load(im->path, &fl, &err)) {
		images_problem(out, IMAGE_HINT_NONE, "%s", err.msg);
		return;
	}
	/* and what the N6 path can run (src/proto/stm32prog.h) */
	struct stm32prog_part parts[FLASHLAYOUT_MAX_ROWS];
	int n = 0;
	for (int i = 0; i < fl.nrows; i++) {
		const struct flashlayout_row *r = &fl.rows[i];
		if (flashlayout_row_programs(r))
			parts[n++] = (struct stm32prog_part){.id = r->id, .opt = r->opt_text, .name = r->name,
			                                     .type = r->type, .ip = r->ip, .offset = r->offset,
			                                     .len = r->size};
	}
	if (stm32prog_check_parts(parts, n, &err))
		images_problem(out, IMAGE_HINT_NONE, "%s: %s", im->path, err.msg);
}

void n6_check_file(const struct plan *p, const struct plan_image *im, const unsigned char *head,
                   size_t got, struct image_problems *out)
{
	(void)p;
	(void)head;
	(void)got;
	size_t len = strlen(im->slot);
	if (len >= 4 && !strcasecmp(im->slot + len - 4, ".tsv"))
		check_layout(im, out);
}
