/* prompts.h — the hardware prompts a plan can ask a person to carry out.
 *
 * Each prompt has an id (used in boards.ini and plans), a one-line title used by dry runs,
 * logs and the prompt screen, the meaning of each other mode the camera may show up in
 * meanwhile, and a drawing with numbered steps that the wizard shows.  All of them are texts
 * of assets/prompts (prompts.ini and <id>.txt), the only place these instructions live; this
 * module reads them once per process, before a run starts (read-only afterwards).
 */
#ifndef RESCUE_PROMPTS_H
#define RESCUE_PROMPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "boarddb.h"

struct prompt_def {
	char id[32];            /* the section of prompts.ini: "boot_rst_jumper" */
	const char *title;      /* one line: "Disconnect the camera, jumper BOOT to RST, reconnect" */
};

/* The prompt with this id, or NULL (also before the prompts are read). */
const struct prompt_def *prompt_find(const char *id);

/* All prompts, in the order of prompts.ini, for listing and tests; sets *n. */
const struct prompt_def *prompt_all(size_t *n);

/* The assets directory beside the board database at boards_path (the source tree, the build
 * tree), beside the program, or in the data directory.  Returns 0, or -1 when there is none. */
int prompts_assets_dir(const char *boards_path, char *out, size_t n);

/* Read assets_dir/prompts/prompts.ini, once per process (a later call returns 0 at once).
 * Returns 0, or -1 with the reason in why (the file is missing, a prompt has no title, or a
 * key is neither title nor a mode of boards.ini); nothing is kept then, and it may be tried
 * again. */
int prompts_load(const char *assets_dir, char *why, size_t n);

/* prompts_load from the assets directory prompts_assets_dir finds for boards_path: what
 * boarddb_load does before it checks the boards' ACTION.prompt. */
int prompts_load_beside(const char *boards_path, char *why, size_t n);

/* Whether the prompts were read; if not, *why (when why is not NULL) says why not. */
bool prompts_loaded(const char **why);

/* What seeing the camera in mode during prompt id means (one sentence), or NULL. */
const char *prompt_meaning(const char *id, enum usb_mode mode);

/* "Seen instead: OTHER - MEANING": the line the wizard and the CLI both show when the camera
 * appears in another mode during prompt id (the meaning from prompts.ini, or a general one). */
void prompt_seen_instead(const char *id, enum usb_mode mode, const char *other, char *buf, size_t n);

#endif
