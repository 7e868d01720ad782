/* images.c — see images.h. */
#include "images.h"
#include "images_nxp.h"

#include "images_nano.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "images_alif.h"
#include "images_dfu.h"
#include "flashlayout.h"
#include "stm32prog.h"

static void problem(struct image_problems *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct image_problems *out, const char *fmt, ...)
{
	if (out->n == IMAGES_MAX_PROBLEMS)
		return;
	va_list ap;
	va_start(ap, fmt);
	out->hint[out->n] = IMAGE_HINT_NONE;
	vsnprintf(out->line[out->n++], sizeof out->line[0], fmt, ap);
	va_end(ap);
}

/* Exact, with thousands separators: two sizes that differ by a few KiB must not both read
 * "1.6 MiB" in a refusal. */
const char *images_bytes(uint64_t v, char *buf, size_t n)
{
	char digits[24];
	int len = snprintf(digits, sizeof digits, "%" PRIu64, v);
	size_t o = 0;
	for (int i = 0; i < len && o + 1 < n; i++) {
		if (i && (len - i) % 3 == 0 && o + 2 < n)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	if (n)
		buf[o < n ? o : n - 1] = '\0';
	return buf;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int images_check_vectors(const struct board *b, const unsigned char first8[8], uint64_t size,
                         char *why, size_t n)
{
	uint32_t sp = le32(first8), reset = le32(first8 + 4);
	bool sp_ok = false;
	for (int i = 0; i < b->nstack; i++) /* the stack grows down from one past its end */
		if (sp > b->stack[i].start && sp <= b->stack[i].end)
			sp_ok = true;
	uint64_t lo = b->entry.start, hi = b->entry.start + size;
	if (hi > b->entry.end)
		hi = b->entry.end;
	bool reset_ok = (reset & 1) && (reset & ~1u) >= lo && (reset & ~1u) < hi;
	if (sp_ok && reset_ok)
		return 0;
	if (!sp_ok)
		snprintf(why, n, "its initial stack pointer 0x%08" PRIX32 " is not in the RAM of the %s (%s)",
		         sp, b->name, b->mcu);
	else
		snprintf(why, n, "its reset vector 0x%08" PRIX32 " does not point into the image where the %s "
		         "links its firmware (0x%08" PRIX64 ")", reset, b->name, b->entry.start);
	return -1;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcasecmp(s + a - b, suffix);
}

/* A FlashLayout.tsv: every row and every binary it names (src/flashlayout.h). */
static void check_layout(struct plan_image *im, struct image_problems *out)
{
	static struct flashlayout fl; /* ~14 KiB: keep it off the stack */
	struct rs_error err = {0};
	if (flashlayout_load(im->path, &fl, &err)) {
		problem(out, "%s", err.msg);
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
		problem(out, "%s: %s", im->path, err.msg);
}

static void check_one(struct plan *p, struct plan_image *im, bool accept_combined,
                      struct image_problems *out)
{
	struct stat st;
	const struct board *b = p->board;
	char why[300];
	if (!strcmp(im->slot, PLAN_SLOT_SYSTEM_PACKAGE)) { /* a folder, not an image */
		if (images_check_system_package(im, why, sizeof why))
			problem(out, "%s: %s", im->path, why);
		return;
	}
	if (stat(im->path, &st)) {
		if (errno == ENOENT) {
			problem(out, "%s: no such file%s", im->path, im->given ? "" : " (this action needs it)");
			if (!im->given && out->n)
				out->hint[out->n - 1] = IMAGE_HINT_GIVE_FILE;
		} else
			problem(out, "%s: %s", im->path, strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		problem(out, "%s: not a regular file", im->path);
		return;
	}
	FILE *f = fopen(im->path, "rb");
	if (!f) {
		problem(out, "%s: cannot be read (%s)", im->path, strerror(errno));
		return;
	}
	unsigned char head[8] = {0};
	size_t got = fread(head, 1, sizeof head, f);
	fclose(f);
	im->size = (uint64_t)st.st_size;
	if (im->size == 0) {
		problem(out, "%s: the file is empty", im->path);
		return;
	}
	if (ends_with(im->path, ".dfu") || (got >= 5 && !memcmp(head, "DfuSe", 5))) {
		/* a DfuSe file carries its own addresses: check them, not the file's size */
		struct dfu_check c = {.region_size = im->max_size, .accept_combined = accept_combined};
		for (int i = 0; i < p->nsteps; i++)
			if (p->steps[i].image == im - p->images) {
				c.region_start = p->steps[i].address.value;
				c.writes_dfu_file = p->steps[i].kind == STEP_DFUSE_FILE;
			}
		enum image_hint hint;
		if (images_check_dfu(b, im->path, &c, why, sizeof why, &hint)) {
			problem(out, "%s %s", im->path, why);
			if (out->n)
				out->hint[out->n - 1] = hint;
		}
		return;
	}
	if (images_nano_applies(p)) { /* format and fit of the Nano boards' images */
		char why[400];
		if (images_nano_check(p, im, why, sizeof why))
			problem(out, "%s", why);
		return;
	}
	if (im->max_size && im->size > im->max_size) {
		char a[32], c[32];
		problem(out, "%s is %s bytes but its place on the %s holds %s: it is not an image for this board",
		        im->path, images_bytes(im->size, a, sizeof a), b->name, images_bytes(im->max_size, c, sizeof c));
		return;
	}
	/* firmware*.bin of an STM32 target: the vector table must fit this board */
	if (b->entry.end && !strncasecmp(im->slot, "firmware", 8) && ends_with(im->slot, ".bin")) {
		if (got < 8)
			problem(out, "%s: too short to be a firmware image (%zu bytes)", im->path, got); /* < 8 */
		else if (images_check_vectors(b, head, im->size, why, sizeof why))
			problem(out, "%s was not built for the %s: %s", im->path, b->name, why);
	}
	char nxp_why[300];
	if (images_check_nxp(p, im, head, got, nxp_why, sizeof nxp_why))
		problem(out, "%s %s", im->path, nxp_why);
	if (ends_with(im->slot, ".toc") && images_check_toc_file(im, why, sizeof why))
		problem(out, "%s is not a TOC image for the %s: %s", im->path, b->name, why);
	if (ends_with(im->slot, ".tsv"))
		check_layout(im, out);
}

int images_check(struct plan *p, bool accept_combined, struct image_problems *out)
{
	out->n = 0;
	for (int i = 0; i < p->nimages; i++)
		if (!p->images[i].generated)
			check_one(p, &p->images[i], accept_combined, out);
	return out->n;
}
