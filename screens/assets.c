/* assets.c — finding the assets directory and reading a hardware prompt's text. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files_find.h"
#include "wiz.h"

void wiz_find_assets(struct wiz *w)
{
	char copy[512], dir[600];
	/* beside boards.ini: the source tree, the build tree, or the data directory */
	wiz_copy(copy, sizeof copy, w->db->path);
	snprintf(dir, sizeof dir, "%s/assets", dirname(copy));
	if (files_is_dir(dir)) {
		wiz_copy(w->assets, sizeof w->assets, dir);
		return;
	}
	snprintf(dir, sizeof dir, "%s/assets", RESCUE_DATADIR);
	if (files_is_dir(dir)) {
		wiz_copy(w->assets, sizeof w->assets, dir);
		return;
	}
	w->assets[0] = '\0';
}

char *wiz_prompt_text(const struct wiz *w, const char *id)
{
	if (!w->assets[0])
		return NULL;
	char path[700];
	snprintf(path, sizeof path, "%s/prompts/%s.txt", w->assets, id);
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = calloc(1, 8192);
	if (buf) {
		size_t got = fread(buf, 1, 8191, f);
		buf[got] = '\0';
	}
	fclose(f);
	return buf;
}
