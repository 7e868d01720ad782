/* test_prompt_assets.c — every hardware prompt of assets/prompts/prompts.ini has a title
 * that fits the prompt screen's two heading rows at 80x24, and its text in
 * assets/prompts/<id>.txt, and each text fits the wizard's prompt screen at 80x24 in any
 * locale: printable ASCII only, at most 74 columns and 13 rows (the prompt screen's room
 * between the title and the waiting line), a drawing, and numbered steps.  The meanings of
 * a mode seen instead name only known prompts and modes, and read back; a prompts.ini
 * without a title or with an unknown key is refused.
 *
 * Usage: test_prompt_assets ASSETS_PROMPTS_DIR
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* A prompts.ini of text in a new assets directory under tmp; the loader's verdict. */
static int load_text(const char *tmp, const char *name, const char *text, char *why, size_t n)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/%s/prompts", tmp, name);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/%s/prompts/prompts.ini", tmp, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	return prompts_load(path, why, n);
}

/* A refused prompts.ini leaves nothing read (so these go before the real one loads). */
static void refusals(void)
{
	char tmp[512], why[300] = "";
	snprintf(tmp, sizeof tmp, "%s/prompts-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!ok(mkdtemp(tmp) != NULL, "a temporary directory"))
		return;
	ok(load_text(tmp, "untitled", "[bootsel]\nfirmware = let go sooner.\n", why, sizeof why) == -1 &&
	   strstr(why, "[bootsel] has no title"), "a prompt without a title is refused: %s", why);
	ok(load_text(tmp, "mode", "[bootsel]\ntitle = Hold BOOTSEL\nfirmwre = typo.\n", why, sizeof why) == -1 &&
	   strstr(why, "[bootsel] firmwre"), "a key that is no USB mode is refused: %s", why);
	ok(load_text(tmp, "top", "title = Hold BOOTSEL\n[bootsel]\ntitle = x\n", why, sizeof why) == -1 &&
	   strstr(why, "section"), "a key before the first section is refused: %s", why);
	why[0] = '\0';
	ok(prompts_load(tmp, why, sizeof why) == -1 && strstr(why, "cannot be read"), "a missing one: %s", why);
	const char *unread = NULL;
	size_t n;
	prompt_all(&n);
	ok(!prompts_loaded(&unread) && unread && n == 0 && !prompt_find("bootsel"),
	   "nothing is kept of a refused file (%s)", unread ? unread : "no reason");
	const char *names[] = {"untitled", "mode", "top"};
	for (size_t i = 0; i < 3; i++) {
		char p[1024];
		snprintf(p, sizeof p, "%s/%s/prompts/prompts.ini", tmp, names[i]);
		remove(p);
		snprintf(p, sizeof p, "%s/%s/prompts", tmp, names[i]);
		rmdir(p);
		snprintf(p, sizeof p, "%s/%s", tmp, names[i]);
		rmdir(p);
	}
	rmdir(tmp);
}

/* Every title fits the prompt screen's heading: two rows of 76 columns (80x24, its margins). */
static void titles(void)
{
	size_t n;
	const struct prompt_def *all = prompt_all(&n);
	ok(n == 13, "13 hardware prompts, as the seeds describe them (%zu)", n);
	for (size_t i = 0; i < n; i++)
		ok(all[i].title && all[i].title[0] && strlen(all[i].title) <= 2 * 76 && !strchr(all[i].title, '\n'),
		   "%s: a one-line title of at most two rows: %s", all[i].id, all[i].title ? all[i].title : "(none)");
	const struct prompt_def *d = prompt_find("boot_rst_jumper");
	ok(d && !strcmp(d->title, "Disconnect the camera, connect a jumper wire between BOOT and RST, reconnect"),
	   "the BOOT-RST title in seed 003's words: %s", d ? d->title : "(none)");
}

/* The meanings: both front ends get the wizard's words for the firmware seen during the
 * BOOT-RST jumper prompt. */
static void meanings(void)
{
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
	refusals();
	char assets[1024], why[300] = "";
	snprintf(assets, sizeof assets, "%s/..", argv[1]);
	ok(prompts_load(assets, why, sizeof why) == 0, "prompts.ini loads%s%s", why[0] ? ": " : "", why);
	titles();
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
			printf("# %s has no prompt in assets/prompts/prompts.ini\n", e->d_name);
			stale++;
		}
	}
	if (d)
		closedir(d);
	ok(d && stale == 0, "every file in assets/prompts belongs to a prompt");
	meanings();
	return tap_done();
}
