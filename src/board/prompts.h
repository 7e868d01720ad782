/* prompts.h — the hardware prompts a plan can ask a person to carry out.
 *
 * Each prompt has an id (used in boards.ini and plans), a one-line title used by dry runs
 * and logs, and a drawing with numbered steps in assets/prompts/<id>.txt that the wizard
 * shows.  The texts are the only place these instructions live.
 */
#ifndef RESCUE_PROMPTS_H
#define RESCUE_PROMPTS_H

#include <stddef.h>

#include "boarddb.h"

struct prompt_def {
	const char *id;
	const char *title;      /* one line: "Disconnect the camera, jumper BOOT to RST, reconnect" */
};

/* The prompt with this id, or NULL. */
const struct prompt_def *prompt_find(const char *id);

/* All prompts, for listing and tests; sets *n. */
const struct prompt_def *prompt_all(size_t *n);

/* The assets directory beside the board database at boards_path (the source tree, the build
 * tree) or in the data directory.  Returns 0, or -1 when there is none. */
int prompts_assets_dir(const char *boards_path, char *out, size_t n);

/* Read assets_dir/prompts/meanings.ini: what it means when the camera shows up in another
 * mode during a prompt.  Once per process, before a run starts (the tables are read-only
 * afterwards).  Returns 0, or -1 with the reason in why (the file is missing, or names a
 * prompt or a mode that does not exist). */
int prompt_meanings_load(const char *assets_dir, char *why, size_t n);

/* What seeing the camera in mode during prompt id means (one sentence), or NULL. */
const char *prompt_meaning(const char *id, enum usb_mode mode);

/* "Seen instead: OTHER - MEANING": the line the wizard and the CLI both show when the camera
 * appears in another mode during prompt id (the meaning from meanings.ini, or a general one). */
void prompt_seen_instead(const char *id, enum usb_mode mode, const char *other, char *buf, size_t n);

#endif
