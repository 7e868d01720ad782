/* assets.c — finding the assets directory and reading a hardware prompt's text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prompts.h"
#include "wiz.h"

void wiz_find_assets(struct wiz *w)
{
	/* beside boards.ini: the source tree, the build tree, or the data directory */
	char why[300];
	if (!prompts_assets_dir(w->db->path, w->assets, sizeof w->assets) &&
	    prompts_load(w->assets, why, sizeof why))
		slog_add(&w->log, "%s", why);
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
