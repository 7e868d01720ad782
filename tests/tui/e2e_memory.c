/* e2e_memory.c — what the whole-recovery flows need beyond the screen: images with
 * contents of their own, the wizard under the simulator with its memories dumped at the
 * end (openmv-rescue-sim --dump), and checks of those dumps (see flows.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "flows.h"

/* A file of size bytes: head first (may be NULL), then bytes of a generator seeded with seed,
 * so that two images never look alike and a write at the wrong place shows. */
void write_pattern(const char *rel, size_t size, uint32_t seed, const uint8_t *head, size_t nhead)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", home, rel);
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	uint32_t x = seed * 2654435761u + 1;
	for (size_t i = 0; i < size; i++) {
		x = x * 1664525u + 1013904223u; /* Numerical Recipes' LCG: cheap, not random */
		fputc(i < nhead ? head[i] : (int)(x >> 24), f);
	}
	fclose(f);
}

void write_text(const char *rel, const char *text)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", home, rel);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* openmv-rescue-sim --camera CAMERA --dump HOME/dump [OPTS...] -- openmv-rescue */
struct vt *start_sim_dump(const char *camera, const char *const *opts, const char *first_text)
{
	char dump[600];
	snprintf(dump, sizeof dump, "%s/dump", home);
	mkdirs("dump");
	char *argv[24] = {(char *)sim, "--camera", (char *)camera, "--dump", dump};
	int n = 5;
	for (int i = 0; opts && opts[i] && n < 20; i++)
		argv[n++] = (char *)opts[i];
	argv[n++] = "--";
	argv[n++] = (char *)program;
	argv[n] = NULL;
	return start_argv(argv, "C.UTF-8", NULL, 24, 80, first_text);
}

bool wait_or_result(struct vt *v, const char *text, int ms)
{
	for (int waited = 0; waited < ms; waited += 100) {
		if (vt_wait_text(v, text, 100) == 0)
			return true;
		if (vt_contains(v, "openmv-rescue - Result"))
			return vt_contains(v, text);
	}
	printf("# waited %d ms for \"%s\"\n", ms, text);
	vt_dump(v, stdout);
	return false;
}

bool quit_for_dump(struct vt *v)
{
	vt_type(v, "q");
	int status = -1;
	bool done = vt_wait_exit(v, WAIT_MS, &status) == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (!done)
		printf("# the wizard under the simulator did not end with status 0 (wait status %d)\n", status);
	return done;
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;
	do {
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? cap * 2 : 1 << 16);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return buf;
}

/* The dumped memory (dump/CAMERA.MEMORY.bin) from offset holds the file rel. */
bool dump_holds(const char *memory, uint32_t offset, const char *rel)
{
	char path[1024];
	size_t mlen = 0, flen = 0;
	snprintf(path, sizeof path, "%s/dump/%s", home, memory);
	uint8_t *mem = read_all(path, &mlen);
	snprintf(path, sizeof path, "%s/%s", home, rel);
	uint8_t *file = read_all(path, &flen);
	bool same = mem && file && flen && offset <= mlen && flen <= mlen - offset &&
	            !memcmp(mem + offset, file, flen);
	if (!same)
		printf("# dump/%s at 0x%X does not hold %s (%zu bytes of memory, %zu of file)\n", memory,
		       (unsigned)offset, rel, mlen, flen);
	free(mem);
	free(file);
	return same;
}

/* The dumped memory holds len bytes of value from offset (value -1: anything but 0xFF, i.e.
 * the bytes were written). */
bool dump_is(const char *memory, uint32_t offset, size_t len, int value)
{
	char path[1024];
	size_t mlen = 0;
	snprintf(path, sizeof path, "%s/dump/%s", home, memory);
	uint8_t *mem = read_all(path, &mlen);
	bool yes = mem && offset <= mlen && len <= mlen - offset;
	for (size_t i = 0; yes && i < len; i++)
		yes = value < 0 ? mem[offset + i] != 0xFF : mem[offset + i] == (uint8_t)value;
	if (!yes)
		printf("# dump/%s: 0x%X..+%zu is not all %s\n", memory, (unsigned)offset, len,
		       value < 0 ? "written" : "the expected byte");
	free(mem);
	return yes;
}
