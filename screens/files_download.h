/* files_download.h — the files screen's download offer: when no image of the board is found,
 * "Download the OpenMV firmware..." asks the releases API (through src/plan/download_job.h, never
 * HTTP here), offers "Download OpenMV firmware <tag> for the <board> (<size>)?", and on yes
 * shows the transfer's progress.  Until the person picks it nothing goes on the network. */
#ifndef RESCUE_FILES_DOWNLOAD_H
#define RESCUE_FILES_DOWNLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "wiz.h"

/* Should the files screen offer a download (no image found, or an offer under way)? */
bool fdl_offered(const struct wiz *w);

/* The menu label of the offer. */
const char *fdl_label(const struct wiz *w);

/* The person picked the offer: ask what the latest release is. */
void fdl_start(struct wiz *w);

/* Is a question or a transfer showing (the screen's keys go to fdl_key first)? */
bool fdl_busy(void);

/* A key while busy: y/Enter accepts the offer, n/Esc declines (or stops the transfer). */
void fdl_key(struct wiz *w, int ch);

/* Draw the offer, the progress or the failure from row y down; returns the rows used. */
int fdl_draw(const struct wiz *w, int y);

/* Every tick: true (and the zip's path in path) once a checked zip is there. */
bool fdl_tick(struct wiz *w, char *path, size_t n);

/* Drop an offer that belongs to another board (enter of the files screen). */
void fdl_reset_for(const struct wiz *w);

#endif
