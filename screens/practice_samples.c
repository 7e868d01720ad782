/* practice_samples.c — what a newcomer practising on a virtual camera needs instead of files
 * of their own: sample images made for the chosen board, valid for its image checks, and the
 * person's hands on the virtual camera (a replug).
 *
 * A sample firmware.bin of an STM32 board starts with a vector table that fits the board:
 * its initial stack pointer at the top of the board's RAM and its reset vector just inside
 * the image where the board links its firmware (boards.ini stack= and entry=, the ranges the
 * image checks read); the rest, and every other image, is a byte pattern.  The images are
 * checked by the same checks as a person's files, so a sample the board would refuse is
 * never taken.
 */
#include <libgen.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wiz.h"

#define SAMPLE_MAX (64 * 1024) /* small: a practice flash takes seconds */

static char sample_dir[512];
static char sample_paths[PLAN_MAX_IMAGES][600];
static int nsample_paths;

static void remove_samples(void)
{
	for (int i = 0; i < nsample_paths; i++)
		unlink(sample_paths[i]);
	if (sample_dir[0])
		rmdir(sample_dir);
}

static int make_dir(void)
{
	if (sample_dir[0])
		return 0;
	const char *base = getenv("TMPDIR");
	snprintf(sample_dir, sizeof sample_dir, "%s/openmv-rescue-practice.XXXXXX", base && base[0] ? base : "/tmp");
	if (!mkdtemp(sample_dir)) {
		sample_dir[0] = '\0';
		return -1;
	}
	atexit(remove_samples);
	return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

static int write_sample(const struct board *b, const struct plan_image *im, const char *path)
{
	size_t size = im && im->max_size && im->max_size < SAMPLE_MAX ? (size_t)im->max_size : SAMPLE_MAX;
	uint8_t *buf = malloc(size);
	if (!buf)
		return -1;
	for (size_t i = 0; i < size; i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	bool firmware = im && !strncmp(im->slot, "firmware", 8) && strstr(im->slot, ".bin");
	if (firmware && b->entry.end && b->nstack > 0 && size >= 8) {
		put32(buf, (uint32_t)b->stack[0].end);                 /* the stack grows down from its top */
		put32(buf + 4, (uint32_t)(b->entry.start + 0x200) | 1); /* Thumb: the low bit set */
	}
	FILE *f = fopen(path, "wb");
	int rc = f && fwrite(buf, 1, size, f) == size ? 0 : -1;
	if (f && fclose(f))
		rc = -1;
	free(buf);
	return rc;
}

int practice_samples(struct wiz *w, char *why, size_t n)
{
	if (make_dir()) {
		snprintf(why, n, "No sample images: a temporary folder could not be made.");
		return -1;
	}
	for (int i = 0; i < w->nslots; i++) {
		size_t len = strlen(w->slots[i].slot);
		if (len > 4 && !strcmp(w->slots[i].slot + len - 4, ".tsv")) {
			/* a layout for a ROM's phase protocol: the virtual camera's replug brings up its
			 * own bootloader, never the ROM the restore's first prompt asks for */
			snprintf(why, n, "No sample %s: practice cannot act out a restore through the chip's "
			         "ROM yet; practise another action or another camera.", w->slots[i].slot);
			return -1;
		}
		char path[600];
		snprintf(path, sizeof path, "%s/%s", sample_dir, w->slots[i].slot);
		if (write_sample(w->board, plan_image(&w->plan, w->slots[i].slot), path)) {
			snprintf(why, n, "No sample images: %s could not be written.", path);
			return -1;
		}
		if (nsample_paths < PLAN_MAX_IMAGES)
			wiz_copy(sample_paths[nsample_paths++], sizeof sample_paths[0], path);
		char problem[600];
		if (wiz_try_file(w, i, path, problem, sizeof problem)) {
			snprintf(why, n, "There is no sample %s for the %s (%s); practise another action or another camera.",
			         w->slots[i].slot, w->board->name, problem);
			return -1;
		}
		wiz_copy(w->slots[i].where, sizeof w->slots[i].where, "sample");
	}
	slog_add(&w->log, "sample images for practice in %s", sample_dir);
	return 0;
}

int practice_replug(const struct wiz *w)
{
	if (!w->practice)
		return -1;
	/* only the simulator that runs us gets the signal */
	pid_t parent = getppid();
	char link[64], exe[512];
	snprintf(link, sizeof link, "/proc/%d/exe", (int)parent);
	ssize_t len = readlink(link, exe, sizeof exe - 1);
	if (len <= 0)
		return -1;
	exe[len] = '\0';
	if (strcmp(basename(exe), "openmv-rescue-sim"))
		return -1;
	return kill(parent, SIGUSR1);
}
