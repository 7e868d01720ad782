/* test_prompt_assets.c — every hardware prompt of src/board/prompts.c has its text in
 * assets/prompts/<id>.txt, and each text fits the wizard's prompt screen at 80x24 in any
 * locale: printable ASCII only, at most 74 columns and 13 rows (the prompt screen's room
 * between the title and the waiting line), a drawing, and numbered steps.  The meanings of
 * a mode seen instead (meanings.ini) name only known prompts and modes, and read back.
 *
 * Usage: test_prompt_assets ASSETS_PROMPTS_DIR
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "../common/tap.h"
#include "prompts.h"

#define MAX_COLS 74
#define MAX_ROWS 13

static void check(const char *dir, const char *id)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s.txt", dir, id);
	FILE *f = fopen(path, "r");
	if (!ok(f != NULL, "%s: assets/prompts/%s.txt exists", id, id))
		return;
	char line[512];
	int rows = 0, widest = 0, drawing = 0, steps = 0, bad_char = 0, next_step = 1;
	while (fgets(line, sizeof line, f)) {
		size_t len = strcspn(line, "\n");
		rows++;
		if ((int)len > widest)
			widest = (int)len;
		for (size_t i = 0; i < len; i++)
			if (line[i] < 0x20 || line[i] > 0x7E)
				bad_char++;
		if (strpbrk(line, "+|=") && !(line[0] >= '1' && line[0] <= '9'))
			drawing++;
		char want[16];
		snprintf(want, sizeof want, "%d. ", next_step);
		if (!strncmp(line, want, strlen(want))) {
			steps++;
			next_step++;
		}
	}
	fclose(f);
	ok(bad_char == 0, "%s: printable ASCII only (%d other bytes)", id, bad_char);
	ok(widest <= MAX_COLS, "%s: at most %d columns (widest %d)", id, MAX_COLS, widest);
	ok(rows <= MAX_ROWS, "%s: at most %d rows (%d)", id, MAX_ROWS, rows);
	ok(drawing >= 2, "%s: has a drawing (%d lines)", id, drawing);
	ok(steps >= 1, "%s: has numbered steps 1., 2., ... (%d)", id, steps);
}

/* meanings.ini: loads (its loader refuses an unknown prompt or mode), and both front ends
 * get the wizard's words for the firmware seen during the BOOT-RST jumper prompt. */
static void meanings(const char *dir)
{
	char assets[1024], why[300] = "";
	snprintf(assets, sizeof assets, "%s/..", dir);
	ok(prompt_meanings_load(assets, why, sizeof why) == 0, "meanings.ini loads%s%s", why[0] ? ": " : "", why);
	const char *m = prompt_meaning("boot_rst_jumper", USB_FIRMWARE);
	ok(m && strstr(m, "the jumper is not on BOOT-RST"), "boot_rst_jumper, firmware seen: %s", m ? m : "(none)");
	ok(prompt_meaning("boot_rst_jumper", USB_ST_ROM) == NULL, "the awaited mode itself has no meaning");
	size_t n;
	const struct prompt_def *all = prompt_all(&n);
	int count = 0;
	for (size_t i = 0; i < n; i++)
		for (int mode = 0; mode < USB_MODE_COUNT; mode++)
			count += prompt_meaning(all[i].id, (enum usb_mode)mode) != NULL;
	ok(count == 14, "14 meanings, as the wizard had them (%d)", count);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_prompt_assets DIR\n");
		return 2;
	}
	size_t n;
	const struct prompt_def *all = prompt_all(&n);
	for (size_t i = 0; i < n; i++)
		check(argv[1], all[i].id);
	/* and no text that no prompt uses (a renamed id leaves a stale file) */
	DIR *d = opendir(argv[1]);
	int stale = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char id[256];
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".txt"))
			continue;
		snprintf(id, sizeof id, "%.*s", (int)(len - 4), e->d_name);
		if (!prompt_find(id)) {
			printf("# %s has no prompt in src/board/prompts.c\n", e->d_name);
			stale++;
		}
	}
	if (d)
		closedir(d);
	ok(d && stale == 0, "every file in assets/prompts belongs to a prompt");
	meanings(argv[1]);
	return tap_done();
}
