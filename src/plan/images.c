/* images.c — see images.h. */
#include "images.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "family.h"
#include "images_dfu.h"

void images_problem(struct image_problems *out, enum image_hint hint, const char *fmt, ...)
{
	if (out->n == IMAGES_MAX_PROBLEMS)
		return;
	va_list ap;
	va_start(ap, fmt);
	out->hint[out->n] = hint;
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

void images_check_firmware(const struct plan *p, const struct plan_image *im, const unsigned char *head,
                           size_t got, struct image_problems *out)
{
	const struct board *b = p->board;
	char why[300];
	if (!b->entry.end || strncasecmp(im->slot, "firmware", 8) || !ends_with(im->slot, ".bin"))
		return;
	if (got < 8)
		images_problem(out, IMAGE_HINT_NONE, "%s: too short to be a firmware image (%zu bytes)", im->path,
		               got); /* < 8 */
	else if (images_check_vectors(b, head, im->size, why, sizeof why))
		images_problem(out, IMAGE_HINT_NONE, "%s was not built for the %s: %s", im->path, b->name, why);
}

/* Exists, is a regular, readable, non-empty file: its size and first bytes into im, head. */
static int check_readable(struct plan_image *im, unsigned char head[8], size_t *got,
                          struct image_problems *out)
{
	struct stat st;
	if (stat(im->path, &st)) {
		if (errno == ENOENT)
			images_problem(out, im->given ? IMAGE_HINT_NONE : IMAGE_HINT_GIVE_FILE, "%s: no such file%s",
			               im->path, im->given ? "" : " (this action needs it)");
		else
			images_problem(out, IMAGE_HINT_NONE, "%s: %s", im->path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		images_problem(out, IMAGE_HINT_NONE, "%s: not a regular file", im->path);
		return -1;
	}
	FILE *f = fopen(im->path, "rb");
	if (!f) {
		images_problem(out, IMAGE_HINT_NONE, "%s: cannot be read (%s)", im->path, strerror(errno));
		return -1;
	}
	*got = fread(head, 1, 8, f);
	fclose(f);
	im->size = (uint64_t)st.st_size;
	if (im->size == 0) {
		images_problem(out, IMAGE_HINT_NONE, "%s: the file is empty", im->path);
		return -1;
	}
	return 0;
}

/* A DfuSe file carries its own addresses: check them, not the file's size. */
static void check_dfu_file(const struct plan *p, const struct plan_image *im, bool accept_combined,
                           struct image_problems *out)
{
	struct dfu_check c = {.region_size = im->max_size, .accept_combined = accept_combined};
	for (int i = 0; i < p->nsteps; i++)
		if (p->steps[i].image == im - p->images) {
			c.region_start = p->steps[i].address.value;
			c.writes_dfu_file = p->steps[i].kind == STEP_DFUSE_FILE;
		}
	enum image_hint hint;
	char why[300];
	if (images_check_dfu(p->board, im->path, &c, why, sizeof why, &hint))
		images_problem(out, hint, "%s %s", im->path, why);
}

static int check_size(const struct plan *p, const struct plan_image *im, struct image_problems *out)
{
	if (!im->max_size || im->size <= im->max_size)
		return 0;
	char a[32], c[32];
	images_problem(out, IMAGE_HINT_NONE, "%s is %s bytes but its place on the %s holds %s: it is not an "
	               "image for this board", im->path, images_bytes(im->size, a, sizeof a), p->board->name,
	               images_bytes(im->max_size, c, sizeof c));
	return -1;
}

/* The checks every image gets, then those of the family that added it (family.h). */
static void check_one(struct plan *p, struct plan_image *im, bool accept_combined,
                      struct image_problems *out)
{
	const struct family *fam = im->family;
	if (im->folder) {
		if (fam && fam->check_folder)
			fam->check_folder(p, im, out);
		return;
	}
	unsigned char head[8] = {0};
	size_t got = 0;
	if (check_readable(im, head, &got, out))
		return;
	if (ends_with(im->path, ".dfu") || (got >= 5 && !memcmp(head, "DfuSe", 5))) {
		check_dfu_file(p, im, accept_combined, out);
		return;
	}
	if (fam && fam->check_fit ? fam->check_fit(p, im, out) : check_size(p, im, out))
		return;
	if (fam && fam->check_file)
		fam->check_file(p, im, head, got, out);
}

int images_read_file(const char *path, size_t limit, uint8_t **buf, size_t *len,
                     struct rs_error *err)
{
	*buf = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return rs_fail(err, RS_E_INPUT, "%s cannot be read (%s)", path, strerror(errno));
	size_t cap = 0, n = 0;
	uint8_t *b = NULL;
	for (;;) {
		if (n == cap) {
			if (cap > limit) {
				free(b);
				fclose(f);
				return rs_fail(err, RS_E_INPUT, "%s is larger than %zu MiB: not a firmware image",
				               path, limit >> 20);
			}
			size_t ncap = cap ? cap * 2 : 64 * 1024;
			uint8_t *nb = realloc(b, ncap);
			if (!nb) {
				free(b);
				fclose(f);
				return rs_fail(err, RS_E_NOMEM, "out of memory reading %s", path);
			}
			b = nb;
			cap = ncap;
		}
		size_t got = fread(b + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad || n > limit) {
		free(b);
		return rs_fail(err, RS_E_INPUT, bad ? "%s could not be read to the end" :
		               "%s is too large to be a firmware image", path);
	}
	*buf = b;
	*len = n;
	return RS_OK;
}

int images_check(struct plan *p, bool accept_combined, struct image_problems *out)
{
	out->n = 0;
	for (int i = 0; i < p->nimages; i++)
		if (!p->images[i].generated)
			check_one(p, &p->images[i], accept_combined, out);
	return out->n;
}
