/* files_download.c — see files_download.h.  The offer's state lives here; the thread, the
 * HTTP and the checks are src/plan/download_job.c's. */
#include "files_download.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "download_job.h"
#include "widgets.h"

static struct {
	struct dl_job *job;
	char target[48];        /* the board the offer is for */
	char failed[600];       /* why the last try failed, for the person */
	struct dl_job_view view;
} d;

static void drop(void)
{
	dl_job_free(d.job);
	d.job = NULL;
	memset(&d.view, 0, sizeof d.view);
}

void fdl_reset_for(const struct wiz *w)
{
	if (strcmp(d.target, w->board->target)) {
		drop();
		d.failed[0] = '\0';
	}
}

bool fdl_offered(const struct wiz *w)
{
	if (w->practice || !w->nslots) /* practice has sample images; some actions read nothing */
		return false;
	if (d.job)
		return true;
	for (int i = 0; i < w->nslots; i++)
		if (w->slots[i].path[0])
			return false;
	return true;
}

const char *fdl_label(const struct wiz *w)
{
	static char label[200];
	if (d.job && d.view.state == DLJ_LOOKING)
		snprintf(label, sizeof label, "Download the OpenMV firmware...  asking which is the latest release");
	else if (d.failed[0])
		/* short enough for an 80-column terminal: why it failed is the line below the list */
		snprintf(label, sizeof label, "Try the download again (the last try failed)...");
	else
		snprintf(label, sizeof label, "Download the OpenMV firmware for the %s...", w->board->name);
	return label;
}

void fdl_start(struct wiz *w)
{
	drop();
	d.failed[0] = '\0';
	wiz_copy(d.target, sizeof d.target, w->board->target);
	d.job = dl_job_start(w->args ? w->args->mirror : NULL, w->board->target, w->wake_fd);
	if (!d.job)
		snprintf(d.failed, sizeof d.failed, "the download could not start (no thread)");
	slog_add(&w->log, "download offer: asking for the latest release for %s", w->board->target);
}

bool fdl_busy(void)
{
	return d.job != NULL;
}

void fdl_key(struct wiz *w, int ch)
{
	bool yes = ch == 'y' || ch == 'Y' || ch == '\n' || ch == '\r' || ch == KEY_ENTER;
	bool no = ch == 'n' || ch == 'N' || ch == 27 || ch == KEY_LEFT || ch == KEY_BACKSPACE;
	if (d.view.state == DLJ_OFFER && yes) {
		slog_add(&w->log, "download: yes to %s of %s", d.view.pick.name, d.view.pick.tag);
		dl_job_accept(d.job);
		d.view.state = DLJ_FETCHING;
		return;
	}
	if (!no)
		return;
	bool fetching = d.view.state == DLJ_FETCHING;
	drop();
	slog_add(&w->log, "download: %s", fetching ? "stopped" : "declined");
	snprintf(w->status, sizeof w->status, fetching ? "Download stopped; nothing was kept." :
	         "Not downloaded. Pick the images yourself, or a folder or release zip.");
}

int fdl_draw(const struct wiz *w, int y)
{
	int x = ui_left(), wd = ui_width();
	char text[900], a[32], b[32];
	if (!d.job && d.failed[0]) {
		snprintf(text, sizeof text, "Download failed: %s", d.failed);
		return ui_wrap(y, x, wd, 4, UI_BAD, text);
	}
	if (!d.job)
		return 0;
	const struct release_pick *p = &d.view.pick;
	switch (d.view.state) {
	case DLJ_OFFER:
		ui_human_size(p->size, a, sizeof a);
		snprintf(text, sizeof text, "Download OpenMV firmware %s for the %s (%s)?%s\n"
		         "y: yes, download it   n: no, stay offline", p->tag, w->board->name, a,
		         d.view.offline ? " (no connection now: as the server described it last time)" : "");
		return ui_wrap(y, x, wd, 4, UI_TITLE, text);
	case DLJ_FETCHING:
	case DLJ_DONE:
		ui_human_size(d.view.done, a, sizeof a);
		ui_human_size(p->size, b, sizeof b);
		snprintf(text, sizeof text, "Downloading %s: %s of %s (n stops)", p->name, a, b);
		ui_text(y, x, wd, UI_NORMAL, text);
		ui_progress_bar(y + 1, x, wd, d.view.done, p->size);
		return 2;
	default:
		ui_text(y, x, wd, UI_DISABLED, "Asking which is the latest OpenMV release...");
		return 1;
	}
}

bool fdl_tick(struct wiz *w, char *path, size_t n)
{
	if (!d.job)
		return false;
	dl_job_view(d.job, &d.view);
	if (d.view.state == DLJ_FAILED) {
		wiz_copy(d.failed, sizeof d.failed, d.view.error.msg);
		wiz_plain_words(d.failed, sizeof d.failed);
		slog_add(&w->log, "download failed: %s", d.view.error.msg);
		drop();
		return false;
	}
	if (d.view.state != DLJ_DONE)
		return false;
	wiz_copy(path, n, d.view.path);
	slog_add(&w->log, "download: %s %s", d.view.from_cache ? "already in the cache," : "checked,",
	         d.view.path);
	snprintf(w->status, sizeof w->status, "%s %s (its SHA-256 matches the release's).",
	         d.view.from_cache ? "Already downloaded:" : "Downloaded:", d.view.pick.name);
	drop();
	return true;
}
